//! The plan operations the screens call: open and start plans, type an
//! answer, make a named change, switch framework, sign off, settle a
//! conflict, delete. Each either changes the open plan (then shows it and
//! saves it) or says why not.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::doc::{heads_of, DocError, PlanDoc};
use crate::plan::framework::Framework;
use crate::plan::ids::item_id;
use crate::plan::{Edit, Field, PlanId};
use crate::web::engine::protocol::{Named, Reading, Readout};

use super::super::platform::events::next_turn;
use super::super::platform::plan_store::{self, OpenError};
use super::super::platform::tabs::TabMessage;
use super::super::platform::{journal, settings};
use super::super::route::{self, Page, Route};
use super::super::words::Words;
use super::typing::Key;
use super::viewing::InEngine;
use super::{now_ms, App, AppError, Opening, SaveStatus, Session, Shown, Touched};

/// The framework a plan starts with until "Where do you live?" is answered.
pub const DEFAULT_FRAMEWORK: &str = "scotland-national";

impl App {
    /// Open a plan for the screens: through the engine, the page holding
    /// no copy (`viewing.rs`), or, when no engine can, in the page's own
    /// copy (from memory if it is already open there).
    pub fn open(&self, id: PlanId) {
        match self.ui.opening.get_untracked() {
            Opening::Ready(ref cur) | Opening::Loading(ref cur) if *cur == id => return,
            _ => {}
        }
        settings::set_last_plan(Some(&id));
        if self.read(&id, |_| ()).is_some() {
            self.show(&id);
            return;
        }
        self.ui.opening.set(Opening::Loading(id.clone()));
        self.ui.plan.set(None);
        self.set_parts(Vec::new());
        let db = match self.db() {
            Ok(db) => db,
            Err(e) => {
                self.ui.opening.set(Opening::Failed(e.to_string()));
                return;
            }
        };
        let app = *self;
        spawn_local(async move {
            match app.open_in_engine(&id).await {
                InEngine::Opened => return,
                InEngine::NotOpened(why) => return app.not_opened(id, why),
                InEngine::NoEngine => {}
            }
            // Opened in the page's own copy from here on.
            if let Some(i) = app.inner() {
                if let Ok(mut views) = i.views.try_borrow_mut() {
                    views.remove(&id);
                }
            }
            let result = app.load_session(&db, &id).await;
            // Loading and showing are two tasks, so the page paints and
            // answers between them.
            next_turn().await;
            // The person may have moved on while it loaded.
            let still_wanted =
                matches!(app.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == id);
            match result {
                Ok(()) if still_wanted => app.show(&id),
                Ok(()) => {}
                Err(OpenError::NotFound) if still_wanted => {
                    app.ui.opening.set(Opening::NotFound(id));
                }
                Err(OpenError::Damaged { error, raw }) => {
                    if let Some(i) = app.inner() {
                        i.damaged.borrow_mut().insert(id.clone(), raw);
                    }
                    if still_wanted {
                        app.ui.opening.set(Opening::Damaged {
                            id,
                            message: error.words(),
                        });
                    }
                }
                Err(OpenError::Store(e)) if still_wanted => {
                    app.ui.opening.set(Opening::Failed(e.to_string()));
                }
                // The person moved on before it loaded: nobody waits for
                // this plan now. A read only, so nothing is lost; opening
                // it again reads it again (and says what is wrong then).
                Err(OpenError::NotFound | OpenError::Store(_)) => {}
            }
        });
    }

    /// Read a stored plan into memory: its chunks, plus any changes the
    /// journal kept when a page last closed mid-save (saved again at once).
    pub(super) async fn load_session(
        &self,
        db: &super::super::platform::idb::Db,
        id: &PlanId,
    ) -> Result<(), OpenError> {
        let actor = self.actor().ok_or(OpenError::NotFound)?;
        let (mut doc, log) = plan_store::load_giving_turns(db, id, &actor).await?;
        let recovered = journal::read(id).is_some_and(|b| doc.apply_saved(&b).is_ok());
        if let Some(inner) = self.inner() {
            if let Ok(mut sessions) = inner.sessions.try_borrow_mut() {
                sessions.entry(id.clone()).or_insert(Session::new(doc, log));
            }
        }
        self.record_me(id);
        let typed = self.settle_journaled(id);
        if recovered || typed {
            self.save_now(id.clone());
        }
        Ok(())
    }

    pub(super) fn show(&self, id: &PlanId) {
        // The plan first, then "ready": the form never shows empty answers.
        let plan = self.read(id, |d| d.plan().ok()).flatten();
        self.show_plan(id, plan);
        self.ui.opening.set(Opening::Ready(id.clone()));
        let saved = self
            .with_session(id, |s| s.log.is_saved(&s.doc))
            .unwrap_or(false);
        if let Some(inner) = self.inner() {
            inner.refused.set(false);
        }
        if saved {
            self.set_status(id, SaveStatus::Saved);
        }
    }

    /// Make sure the plan records who this device's user is.
    pub(super) fn record_me(&self, id: &PlanId) {
        let me = self.me();
        let Some(actor) = self.actor() else { return };
        let changed = self.with_session(id, |s| {
            let known = s.doc.participant(&actor);
            if known.as_ref() == Some(&me) {
                Ok(false)
            } else {
                s.doc.ensure_participant(&actor, me, now_ms())
            }
        });
        match changed {
            Ok(Ok(true)) => self.save_now(id.clone()),
            Ok(Ok(false)) | Err(AppError::NotOpen) => {}
            Ok(Err(e)) => self.show_problem(Some(&AppError::Plan(e))),
            Err(e) => self.show_problem(Some(&e)),
        }
    }

    /// Start a new plan: its id at once; it is made and stored by the
    /// engine (or the page, when no engine can) and shown when it is.
    pub fn create(&self) -> Result<PlanId, AppError> {
        let id = PlanId::random()?;
        settings::set_last_plan(Some(&id));
        self.create_in_engine(&id, DEFAULT_FRAMEWORK);
        Ok(id)
    }

    /// Set a field to a whole value (a version kept on the conflicts
    /// page). A refused value (too long) changes nothing.
    pub fn set_field(&self, id: &PlanId, field: &Field, value: &str) -> Result<(), AppError> {
        if self.viewing(id) {
            field.validate(value)?;
            let named = Named::SetAnswer {
                field: field.clone(),
                text: value.to_owned(),
            };
            return self.change_beside(id, named);
        }
        let result = self.with_session(id, |s| s.doc.type_answer(field, value, now_ms()))?;
        self.typed(id, result, Touched::Part)
    }

    /// The person typed in a field's box: `splice` is what the key did
    /// there, in the box that showed `before` (as [`Self::shown`] gave it,
    /// or as its last key left it: `shown` says which), and now holds
    /// `text`. Returns what the box shows now. A refused key (the answer
    /// would be too long) changes nothing.
    ///
    /// The engine worker makes the key when it can (`typing.rs`): the box's
    /// text is shown at once, and nothing of the document is worked on
    /// the page's thread. Otherwise the page's copy makes it, at the
    /// version the box showed: when the answer's part was at that version,
    /// the key makes the answer's text exactly the box's (`Keyed::as_shown`)
    /// and the plan on screen is given that text (`Touched::Typed`);
    /// otherwise (the other person's typing or another tab's came in
    /// first) the key is placed through their changes and the part is
    /// read.
    pub fn type_into(&self, id: &PlanId, key: Key<'_>) -> Result<Shown, AppError> {
        if let Some(done) = self.type_beside(id, &key) {
            return done;
        }
        let Key {
            field,
            shown,
            splice,
            text,
            ..
        } = key;
        let at = match shown {
            Shown::At(version) => heads_of(version),
            // A box whose keys went through the engine: its text is made
            // the answer, whatever the engine made of them.
            Shown::Box(_) => {
                let result = self.with_session(id, |s| s.doc.type_answer(field, text, now_ms()))?;
                self.typed(id, result, Touched::Part)?;
                return Ok(Shown::At(
                    self.read(id, PlanDoc::version_token).unwrap_or_default(),
                ));
            }
            Shown::Nothing => Vec::new(),
        };
        let result = self.with_session(id, |s| s.doc.type_splice(field, &at, splice, now_ms()))?;
        self.typed(id, result, |keyed| match keyed.as_shown {
            true => Touched::Typed {
                field: field.clone(),
                text: text.to_owned(),
            },
            false => Touched::Part(keyed.part),
        })?;
        Ok(Shown::At(
            self.read(id, PlanDoc::version_token).unwrap_or_default(),
        ))
    }

    fn typed<T>(
        &self,
        id: &PlanId,
        result: Result<Option<T>, DocError>,
        touched: impl FnOnce(T) -> Touched,
    ) -> Result<(), AppError> {
        let changed = match result {
            Ok(changed) => changed,
            Err(e) => {
                // The field says why; the save status must not say "Saved".
                if !matches!(self.ui.save.get_untracked(), SaveStatus::NotKept(_)) {
                    self.set_status(id, SaveStatus::NotSaved);
                }
                return Err(e.into());
            }
        };
        if let Some(change) = changed {
            self.changed(id, touched(change));
        }
        Ok(())
    }

    /// Make one of the plan's named changes.
    pub fn edit(&self, id: &PlanId, edit: Edit) -> Result<(), AppError> {
        if self.edit_beside(id, &edit)? {
            return Ok(());
        }
        let changed = self.with_session(id, |s| s.doc.apply(&edit, now_ms()))??;
        if changed {
            self.changed(id, Touched::Plan);
        }
        Ok(())
    }

    /// Add a new list item (a person, an action, a contact, a risk) with a
    /// fresh id, then open its page. Checked against the plan on screen at
    /// once (a full list is said at once); made by the engine (or the page,
    /// when no engine can), and its page opened once the item is in the
    /// page's copy, ready to be typed into. A second press meanwhile adds
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
            return Err(AppError::Plan(DocError::Edit(e)));
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
    /// "Are you sure?"): made by the engine (or the page, when no engine
    /// can) before the screens move on.
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
        if let Some(bytes) = self.read(id, PlanDoc::save) {
            return Some(bytes);
        }
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
        inner
            .sessions
            .try_borrow_mut()
            .map_err(|_| AppError::Busy)?
            .remove(&id);
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
