//! The plan operations the screens call: open and start plans, type an
//! answer, make a named change, switch framework, sign off, settle a
//! conflict, delete. Each either changes the open plan (then shows it and
//! saves it) or says why not.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::doc::{heads_of, DocError, PlanDoc};
use crate::plan::framework::Framework;
use crate::plan::ids::item_id;
use crate::plan::text::Splice;
use crate::plan::{Edit, Field, PlanId, Version};
use crate::store::ChunkLog;
use crate::web::engine::protocol::Named;

use super::super::platform::events::next_turn;
use super::super::platform::plan_store::{self, OpenError};
use super::super::platform::tabs::TabMessage;
use super::super::platform::{journal, settings};
use super::super::route::{self, Page, Route};
use super::super::words::Words;
use super::{now_ms, App, AppError, Opening, SaveStatus, Session, Touched};

/// The framework a plan starts with until "Where do you live?" is answered.
pub const DEFAULT_FRAMEWORK: &str = "scotland-national";

impl App {
    /// Open a plan for the screens (from memory if it is already open).
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
        self.open_beside(&id);
        let app = *self;
        spawn_local(async move {
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
        if recovered {
            self.save_now(id.clone());
        }
        Ok(())
    }

    fn show(&self, id: &PlanId) {
        // The plan first, then "ready": the form never shows empty answers.
        let plan = self
            .opened_in_engine(id)
            .or_else(|| self.read(id, |d| d.plan().ok()).flatten());
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

    /// Start a new plan; returns its id once it is in memory (it is saved at once).
    pub fn create(&self) -> Result<PlanId, AppError> {
        let inner = self.inner().ok_or(AppError::NotReady)?;
        let framework = Framework::for_plan(DEFAULT_FRAMEWORK);
        let indicators: Vec<&str> = framework.indicators.iter().map(|i| i.id.as_str()).collect();
        let doc = PlanDoc::create(
            &inner.actor,
            self.me(),
            &framework.id,
            &indicators,
            now_ms(),
        )?;
        let id = doc.plan_id().clone();
        inner
            .sessions
            .try_borrow_mut()
            .map_err(|_| AppError::Busy)?
            .insert(id.clone(), Session::new(doc, ChunkLog::empty()));
        self.save_now(id.clone());
        Ok(id)
    }

    /// Set a field to a whole value (a version kept on the conflicts
    /// page). A refused value (too long) changes nothing.
    pub fn set_field(&self, id: &PlanId, field: &Field, value: &str) -> Result<(), AppError> {
        let result = self.with_session(id, |s| s.doc.type_answer(field, value, now_ms()))?;
        self.typed(id, result, Touched::Part)
    }

    /// The person typed in a field's box: `splice` is what the key did
    /// there, in the box that showed the answer at `shown` (heads, as
    /// [`Self::shown`] gave them), which now holds `text`. Returns the heads
    /// the box shows now. A refused key (the answer would be too long)
    /// changes nothing.
    ///
    /// When the answer's part was at the version the box showed, the key
    /// makes the answer's text exactly the box's (`Keyed::as_shown`): the
    /// plan on screen is given that text (`Touched::Typed`) and nothing is
    /// read back out of the document. Otherwise (the other person's typing
    /// or another tab's came in first) the key is placed through their
    /// changes and the part is read.
    pub fn type_into(
        &self,
        id: &PlanId,
        field: &Field,
        shown: &Version,
        splice: &Splice,
        text: &str,
    ) -> Result<Version, AppError> {
        let shown = heads_of(shown);
        let result =
            self.with_session(id, |s| s.doc.type_splice(field, &shown, splice, now_ms()))?;
        self.typed(id, result, |keyed| match keyed.as_shown {
            true => Touched::Typed {
                field: field.clone(),
                text: text.to_owned(),
            },
            false => Touched::Part(keyed.part),
        })?;
        Ok(self.read(id, PlanDoc::version_token).unwrap_or_default())
    }

    /// What a box for `field` shows: the answer's text, and the plan's
    /// version it is read at.
    pub fn shown(&self, id: &PlanId, field: &Field) -> Option<(String, Version)> {
        self.read(id, |d| (d.field_value(field), d.version_token()))
    }

    /// Where a caret at `caret` (characters) in the answer as it was at
    /// `shown` belongs now (`PlanDoc::caret_now`).
    pub fn caret_now(&self, id: &PlanId, field: &Field, shown: &Version, caret: usize) -> usize {
        self.read(id, |d| d.caret_now(field, &heads_of(shown), caret))
            .unwrap_or(caret)
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

    /// The open plan's whole document, for "Download a copy".
    pub fn document_bytes(&self, id: &PlanId) -> Option<Vec<u8>> {
        self.read(id, PlanDoc::save)
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
        journal::clear(&id);
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
