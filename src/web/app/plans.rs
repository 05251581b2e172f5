//! The plan operations the screens call: open and start plans, type an
//! answer, make a named change, switch framework, sign off, settle a
//! conflict, delete. Each either changes the open plan (then shows it and
//! saves it) or says why not.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::framework::Framework;
use crate::plan::ids::item_id;
use crate::plan::{Edit, Field, PlanId};
use crate::web::engine::protocol::{Named, Reading, Readout};

use super::super::platform::plan_store;
use super::super::platform::tabs::TabMessage;
use super::super::platform::{journal, settings};
use super::super::route::{self, Page, Route};
use super::typing::Key;
use super::viewing::InEngine;
use super::{App, AppError, Opening, Shown};

/// The framework a plan starts with until "Where do you live?" is answered.
pub const DEFAULT_FRAMEWORK: &str = "scotland-national";

impl App {
    /// Open a plan for the screens, through the engine (`viewing.rs`):
    /// the page holds no copy of it. When no engine can answer (its module
    /// did not arrive, or engines keep stopping), the plan's page says so
    /// and offers to try again; what was typed waits in the journal.
    pub fn open(&self, id: PlanId) {
        match self.ui.opening.get_untracked() {
            Opening::Ready(ref cur) | Opening::Loading(ref cur) if *cur == id => return,
            _ => {}
        }
        settings::set_last_plan(Some(&id));
        // A new plan no engine could make: made now.
        if let Some(framework) = self.not_made(&id, None) {
            return self.create_in_engine(&id, &framework);
        }
        self.ui.opening.set(Opening::Loading(id.clone()));
        self.ui.plan.set(None);
        self.set_parts(Vec::new());
        let app = *self;
        spawn_local(async move {
            match app.open_in_engine(&id).await {
                InEngine::Opened => {}
                InEngine::NotOpened(why) => app.not_opened(id, why),
                InEngine::NoEngine => {
                    let still_wanted = matches!(
                        app.ui.opening.get_untracked(),
                        Opening::Loading(ref l) if *l == id
                    );
                    if still_wanted {
                        app.ui
                            .opening
                            .set(Opening::Failed(AppError::NoEngine.to_string()));
                    }
                }
            }
        });
    }

    /// Start a new plan: its id at once; it is made and stored by the
    /// engine and shown when it is.
    pub fn create(&self) -> Result<PlanId, AppError> {
        let id = PlanId::random()?;
        settings::set_last_plan(Some(&id));
        self.create_in_engine(&id, DEFAULT_FRAMEWORK);
        Ok(id)
    }

    /// Set a field to a whole value (a version kept on the conflicts
    /// page). A refused value (too long) changes nothing.
    pub fn set_field(&self, id: &PlanId, field: &Field, value: &str) -> Result<(), AppError> {
        field.validate(value)?;
        let named = Named::SetAnswer {
            field: field.clone(),
            text: value.to_owned(),
        };
        self.change_beside(id, named)
    }

    /// The person typed in a field's box: `splice` is what the key did
    /// there, in the box that showed `before` (as [`Self::shown`] gave it,
    /// or as its last key left it: `shown` says which), and now holds
    /// `text`. Returns what the box shows now. A refused key (the answer
    /// would be too long) changes nothing.
    ///
    /// The engine worker makes the key (`typing.rs`): the box's text is
    /// shown at once, and nothing of the document is worked on the page's
    /// thread.
    pub fn type_into(&self, id: &PlanId, key: Key<'_>) -> Result<Shown, AppError> {
        self.type_beside(id, &key).unwrap_or(Err(AppError::NotOpen))
    }

    /// Make one of the plan's named changes.
    pub fn edit(&self, id: &PlanId, edit: Edit) -> Result<(), AppError> {
        self.edit_beside(id, &edit)
    }

    /// Add a new list item (a person, an action, a contact, a risk) with a
    /// fresh id, then open its page. Checked against the plan on screen at
    /// once (a full list is said at once); made by the engine, and its page
    /// opened once the engine has made it, ready to be typed into. A second press meanwhile adds
    /// nothing more.
    pub fn add_item(
        &self,
        id: &PlanId,
        make: impl FnOnce(String) -> Edit,
        page: impl FnOnce(String) -> Page + 'static,
    ) -> Result<(), AppError> {
        let inner = self.inner().ok_or(AppError::NotReady)?;
        if inner.adding.get() {
            return Ok(());
        }
        let new = item_id()?;
        let edit = make(new.clone());
        let refused = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().and_then(|p| edit.check(p).err()));
        if let Some(e) = refused {
            return Err(AppError::Edit(e));
        }
        inner.adding.set(true);
        self.ui.adding.set(true);
        let (app, id, from) = (*self, id.clone(), route::current());
        spawn_local(async move {
            let made = app.make_after(&id, Named::Edit(edit)).await;
            if let Some(inner) = app.inner() {
                inner.adding.set(false);
            }
            app.ui.adding.set(false);
            match made {
                // Unless they went elsewhere meanwhile.
                Ok(()) if route::current() == from => route::go(&Route::Plan(id, page(new))),
                Ok(()) => {}
                Err(e) => app.show_problem(Some(&e)),
            }
        });
        Ok(())
    }

    /// Take a person the carer cares for out of the plan (she said yes on
    /// "Are you sure?"): made by the engine before the screens move on.
    pub async fn remove_person(&self, id: &PlanId, person: &str) -> Result<(), AppError> {
        let edit = Edit::RemovePerson {
            id: person.to_owned(),
        };
        self.make_after(id, Named::Edit(edit)).await
    }

    /// Use another framework (where the carer lives); every word is kept.
    pub fn use_framework(&self, id: &PlanId, framework: &Framework) -> Result<(), AppError> {
        let edit = Edit::UseFramework {
            framework: framework.id.clone(),
        };
        self.edit(id, edit)
    }

    /// Settle a long answer both people changed: keep `value`, and stop
    /// asking about it.
    pub fn keep_text(&self, id: &PlanId, field: &Field, value: &str) -> Result<(), AppError> {
        self.set_field(id, field, value)?;
        let mut list = settings::text_conflicts(id);
        list.retain(|x| x.field != *field);
        settings::set_text_conflicts(id, &list);
        Ok(())
    }

    /// The open plan's whole document, for "Download a copy": read by the
    /// engine for a plan open through it.
    pub async fn document_bytes(&self, id: &PlanId) -> Option<Vec<u8>> {
        match self.read_later(id, Reading::Automerge).await {
            Ok(Readout::Automerge(bytes)) => Some(bytes),
            _ => None,
        }
    }

    /// The stored bytes of a plan that could not be opened.
    pub fn damaged_bytes(&self, id: &PlanId) -> Option<Vec<u8>> {
        self.inner()?.damaged.borrow().get(id).cloned()
    }

    /// Delete a plan from this device: every chunk, its list entry, its
    /// journal, and the setting that names it. Other tabs are told.
    pub async fn delete(&self, id: PlanId) -> Result<(), AppError> {
        let inner = self.inner().ok_or(AppError::NotReady)?;
        if let Ok(db) = self.db() {
            plan_store::delete(&db, &id).await?;
        }
        inner.damaged.borrow_mut().remove(&id);
        if let Ok(mut views) = inner.views.try_borrow_mut() {
            views.remove(&id);
        }
        journal::clear(&id);
        journal::clear_journaled(&id);
        settings::forget_plan(&id);
        if settings::last_plan().as_ref() == Some(&id) {
            settings::set_last_plan(None);
        }
        if self.is_current(&id) {
            self.ui.plan.set(None);
            self.ui.opening.set(Opening::Nothing);
        }
        if let Some(t) = inner.tabs.borrow().as_ref() {
            t.announce(&TabMessage::Deleted { plan: id.clone() });
        }
        self.refresh_list();
        Ok(())
    }
}
