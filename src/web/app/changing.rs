//! Named changes made beside the page (`Request::Change`): a choice picked,
//! a section marked finished, the carer's agreement, a review started, a
//! sign-off. Made on the page, each read the whole plan and wrote the parts
//! that changed, then read the whole plan again for the screen (19 ms of
//! the page's thread at 4× CPU on a long plan, 29 ms at p95; a sign-off,
//! which reads the plan's heads and values twice over, more). Now an edit
//! is checked against the plan on screen and shown there at once
//! (`Edit::apply`, the values only); a sign-off is checked there and waits
//! for its answer. The engine worker makes each in the plan it holds, in
//! the order asked, stores it and tells the other tabs, and the page takes
//! the stored chunk into its own copy (which live sync seals from). While
//! one is in flight the save line's region is busy; if the page is hidden
//! or closed meanwhile, the page makes it in its own copy and journals it
//! (`flush_in_flight`), so nothing picked is lost with the tab. With no
//! engine free, or when it could not, the page makes it itself, as before.
//!
//! An item added (`App::add_item`) and a person removed go the same way as
//! a sign-off: made by the engine, and the item's page opened once it is in
//! the page's copy, where it is typed into. The hours (typed, a change a key, like every answer
//! typed) are made on the page until typing moves too
//! (docs/engine-documents.md).

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::doc::conflict::{ChoiceConflict, Scalar};
use crate::doc::signoff::SignError;
use crate::doc::DocError;
use crate::plan::review::check_sign_off;
use crate::plan::{Edit, PlanId, Section};
use crate::web::engine::protocol::{Change, Made, Named, Reply, SignOff};
use crate::web::engine::EngineLink;

use super::session::make_here;
use super::{now_ms, App, AppError, SaveStatus, Touched};

/// Whether `edit` is made beside the page: a change of one answer's value.
fn made_beside(edit: &Edit) -> bool {
    use Edit::*;
    match edit {
        SetHelpedBy(_)
        | SetLivesWithCarer { .. }
        | SetNightCare(_)
        | SetAbleToContinue(_)
        | SetWillingToContinue(_)
        | SetTerminalIllness(_)
        | SetRating { .. }
        | SetWorkerRating { .. }
        | SetActionStatus { .. }
        | SetActionDate { .. }
        | SetEligibility { .. }
        | SetBudgetManaged(_)
        | MarkSection { .. }
        | SetAreaChanged { .. }
        | MarkReadyToAgree { .. }
        | CarerAgrees { .. }
        | CarerDisagrees { .. }
        | StartReview { .. } => true,
        // Another framework adds sections, listed at once and typed into at
        // once: their documents must be in the page's copy before they are
        // listed, or words typed there before the engine's answer have no
        // document to go into (seen in "name every section the same way",
        // one run in six). Made on the page until typing moves too.
        UseFramework { .. } => false,
        // The hours are typed, a change a key: typing stays on the page.
        // An item added is made before its page opens (`App::add_item`),
        // a person removed before the screens move on
        // (`App::remove_person`).
        SetHours { .. }
        | AddPerson { .. }
        | RemovePerson { .. }
        | AddAction { .. }
        | AddContact { .. }
        | AddRisk { .. } => false,
    }
}

impl App {
    /// Make `edit` beside the page when it is one made there and the
    /// engine is free: `Ok(false)` when the page is to make it itself.
    pub(super) fn edit_beside(&self, id: &PlanId, edit: &Edit) -> Result<bool, AppError> {
        // A plan open through the engine has no copy here: all go there.
        if !made_beside(edit) && !self.viewing(id) {
            return Ok(false);
        }
        let checked = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(|p| edit.check(p)));
        match checked {
            None => return Ok(false),
            Some(Err(e)) => return Err(AppError::Plan(DocError::Edit(e))),
            Some(Ok(())) => {}
        }
        // Its sections first: what lists them is drawn with the plan.
        let added = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(|p| edit.parts_added(p)))
            .unwrap_or_default();
        let named = Named::Edit(edit.clone());
        let Some((engine, ask)) = self.beside(id, named) else {
            return Ok(false);
        };
        if !added.is_empty() {
            self.ui.parts.update(|parts| {
                for s in added {
                    if !parts.contains(&s) {
                        parts.push(s);
                    }
                }
            });
        }
        self.ui.plan.update(|p| {
            if let Some(p) = p.as_mut() {
                edit.apply(p);
            }
        });
        self.send_change(engine, ask);
        Ok(true)
    }

    /// Make a change shown at once (an answer made a whole text) in the
    /// engine, for a plan open through it.
    pub(super) fn change_beside(&self, id: &PlanId, named: Named) -> Result<(), AppError> {
        let Some((engine, ask)) = self.beside(id, named.clone()) else {
            return Err(AppError::NotMadeNow);
        };
        if let Named::SetAnswer { field, text } = &named {
            self.publish_typed(id, field, text);
        }
        self.send_change(engine, ask);
        Ok(())
    }

    fn send_change(&self, engine: EngineLink, ask: Change) {
        let app = *self;
        spawn_local(async move {
            let id = ask.plan.clone();
            match app.ask(engine, ask).await {
                // Not stored: the save line says so, and it is asked again.
                Ok(()) | Err(AppError::NotStored(_)) => {}
                // Shown at once, refused now: the plan as it is.
                Err(e) => {
                    app.show_problem(Some(&e));
                    app.publish(&id);
                }
            }
        });
    }

    /// Sign the plan off (the key worker, with the carer's agreement):
    /// checked against the plan on screen, then made by the engine after
    /// every change asked before it, or by the page when no engine can.
    pub async fn sign_off(
        &self,
        id: &PlanId,
        carer_name: &str,
        worker_name: &str,
        review: chrono::NaiveDate,
        today: chrono::NaiveDate,
    ) -> Result<(), AppError> {
        let refused = self.ui.plan.with_untracked(|p| {
            p.as_ref()
                .and_then(|p| check_sign_off(p, carer_name, worker_name, review, today).err())
        });
        if let Some(e) = refused {
            return Err(SignError::Rule(e).into());
        }
        let named = Named::SignOff(SignOff {
            carer_name: carer_name.to_owned(),
            worker_name: worker_name.to_owned(),
            review,
            today,
        });
        self.make_after(id, named).await
    }

    /// Settle a choice both people changed at once with the value picked.
    pub async fn keep_choice(
        &self,
        id: &PlanId,
        conflict: &ChoiceConflict,
        pick: &Scalar,
    ) -> Result<(), AppError> {
        let named = Named::KeepChoice {
            conflict: conflict.clone(),
            pick: pick.clone(),
        };
        self.make_after(id, named).await
    }

    /// Make a named change the page shows once it is made (a sign-off, a
    /// choice kept, an item added): asked of the engine once the changes before it are
    /// answered (whatever they come to, made by the engine or by the page,
    /// it follows them, and a sign-off is never made again after one of
    /// them), or made by the page when no engine can.
    pub(super) async fn make_after(&self, id: &PlanId, named: Named) -> Result<(), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        while let Some(inner) = self.inner().filter(|_| self.in_flight(id)) {
            let settled = inner.in_flight.borrow_mut().settled(id);
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
        }
        if let Some((engine, ask)) = self.beside(id, named.clone()) {
            return self.ask(engine, ask).await;
        }
        let at = now_ms();
        if self.with_session(id, |s| make_here(s, &named, at, &actor))?? {
            self.changed(id, Touched::Plan);
        }
        Ok(())
    }

    /// The request for `named`, made now, when the engine is to make it:
    /// `None` when the page is to make it itself (not the plan on screen,
    /// no engine free and none of its changes in flight).
    fn beside(&self, id: &PlanId, named: Named) -> Option<(EngineLink, Change)> {
        if !self.is_current(id) {
            return None;
        }
        let (Ok(engine), Some(actor), Some(by)) = (self.engine_link(), self.actor(), self.tab_id())
        else {
            return None;
        };
        // Changes in flight: this one follows them there, never past them
        // on the page (the plan on screen shows them in the order made).
        let viewing = self.viewing(id);
        if !engine.free() && !self.in_flight(id) && !viewing {
            return None;
        }
        let unsaved = match viewing {
            true => Vec::new(),
            false => self
                .with_session(id, |s| {
                    s.log.pending(&s.doc).map(|p| p.bytes).unwrap_or_default()
                })
                .ok()?,
        };
        let ask = Change {
            plan: id.clone(),
            named,
            unsaved,
            at_ms: now_ms(),
            device: actor.as_str().to_owned(),
            by,
        };
        // In flight from now, before anything is awaited: the next change
        // asked sees it.
        if let Some(inner) = self.inner() {
            inner.refused.set(false);
            inner
                .in_flight
                .borrow_mut()
                .push(id, (ask.named.clone(), ask.at_ms));
        }
        self.set_status(id, SaveStatus::Saving);
        Some((engine, ask))
    }

    /// Ask the engine to make a change [`Self::beside`] put in flight, and
    /// take in its answer.
    pub(super) async fn ask(&self, engine: EngineLink, ask: Change) -> Result<(), AppError> {
        let (id, named, at) = (ask.plan.clone(), ask.named.clone(), ask.at_ms);
        let reply = engine.change(ask).await;
        self.answered(&id, &named, at, reply).await
    }

    /// The named changes of `id` still in the engine's hands, shown in
    /// `plan` (read from the page's copy, which does not have them yet),
    /// and the sections they add.
    pub(super) fn show_in_flight(&self, id: &PlanId, plan: &mut crate::plan::Plan) -> Vec<Section> {
        let mut added = Vec::new();
        if let Some(inner) = self.inner() {
            for (named, _) in inner.in_flight.borrow().of(id) {
                if let Named::Edit(edit) = named {
                    added.extend(edit.parts_added(plan));
                    edit.apply(plan);
                }
            }
        }
        added
    }

    /// Named changes of `id` made beside the page and not answered yet.
    pub(super) fn in_flight(&self, id: &PlanId) -> bool {
        self.inner().is_some_and(|i| i.in_flight.borrow().any(id))
    }

    /// The engine answered a change (or could not make it).
    async fn answered(
        &self,
        id: &PlanId,
        named: &Named,
        at: i64,
        reply: Option<Reply>,
    ) -> Result<(), AppError> {
        let Some(inner) = self.inner() else {
            return Err(AppError::NotReady);
        };
        // Whether it was still in flight, and the changes asked after it.
        let answered = inner.in_flight.borrow_mut().answered(id, named, at);
        let was_in_flight = answered.is_some();
        let later = answered.unwrap_or_default();
        if self.viewing(id) {
            return self.answered_viewing(id, (named, at), was_in_flight, reply);
        }
        // The page was hidden meanwhile and made it itself (journaled): the
        // engine's chunk, if any, is taken in as another tab's.
        let made = match reply {
            Some(Reply::Changed(Some(chunk))) if was_in_flight => {
                match self.take_in_chunk(id, chunk) {
                    Some(_) => self.refresh_parts(id),
                    None => self.merge_stored(id.clone()).await,
                }
                Ok(())
            }
            // A sign-off, not shown before its answer: the plan on screen
            // is the engine's values after it (with the edits asked since).
            // The page's copy then of the same version (nothing typed
            // since), else it is read whole.
            Some(Reply::Made(made)) if was_in_flight => {
                let Made {
                    chunk, plan, heads, ..
                } = *made;
                match chunk.and_then(|c| self.take_in_chunk(id, c)) {
                    Some(now) if now == heads && self.is_current(id) => {
                        self.show_plan(id, Some(plan))
                    }
                    Some(_) => self.publish(id),
                    None => self.merge_stored(id.clone()).await,
                }
                Ok(())
            }
            // Nothing changed, or stored by an engine that stopped before
            // it answered: what is stored is taken in.
            Some(Reply::Changed(_) | Reply::Made(_)) => {
                self.merge_stored(id.clone()).await;
                Ok(())
            }
            _ if !was_in_flight => Ok(()),
            _ => {
                // No engine could: the page makes it, and makes again after
                // it the edits asked of the engine since (they may be
                // answered too: the same values twice), so the plan ends as
                // picked. (A sign-off is asked only once those before it are
                // answered, so none is among them.)
                let actor = self.actor().ok_or(AppError::NotReady)?;
                let made = self.with_session(id, |s| {
                    let made = make_here(s, named, at, &actor);
                    for (named, at) in &later {
                        if named.shown_at_once() {
                            let _ = make_here(s, named, *at, &actor);
                        }
                    }
                    made
                })?;
                match made {
                    Ok(true) => {
                        self.changed(id, Touched::Plan);
                        return Ok(());
                    }
                    Ok(false) => Ok(()),
                    Err(e) => Err(e),
                }
            }
        };
        self.save_now(id.clone());
        made
    }
}
