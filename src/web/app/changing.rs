//! Named changes made beside the page (`Request::Change`): a choice picked,
//! a section marked finished. Made on the page, each read the whole plan
//! and wrote the parts that changed, then read the whole plan again for the
//! screen (19 ms of the page's thread at 4× CPU on a long plan, 29 ms at
//! p95). Now the change is checked against the plan on screen and shown
//! there at once (`Edit::apply`, the values only); the engine worker makes
//! it in the plan it holds, stores it and tells the other tabs, and the
//! page takes the stored chunk into its own copy (which live sync seals
//! from). While it is in flight the save line's region is busy; if the page
//! is hidden or closed meanwhile, the page makes the change in its own copy
//! and journals it (`flush_in_flight`), so nothing picked is lost with the
//! tab. With no engine free, or when it could not, the page makes it
//! itself, as before.
//!
//! Only changes of one answer's value go this way: the hours (typed, a
//! change a key, like every answer typed), adding an item (typed into at
//! once, in the page's copy), the carer's agreement and a review's
//! start (which signing off, on the page, reads straight after) are made on
//! the page until typing and signing move too (docs/engine-documents.md).

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::doc::DocError;
use crate::plan::{Edit, PlanId};
use crate::web::engine::protocol::{Change, Reply};

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
        | SetAreaChanged { .. } => true,
        // The hours are typed, a change a key: typing stays on the page.
        SetHours { .. }
        | AddPerson { .. }
        | RemovePerson { .. }
        | AddAction { .. }
        | AddContact { .. }
        | AddRisk { .. }
        | MarkReadyToAgree { .. }
        | CarerAgrees { .. }
        | CarerDisagrees { .. }
        | StartReview { .. } => false,
    }
}

impl App {
    /// Make `edit` beside the page when it is one made there and the
    /// engine is free: `Ok(false)` when the page is to make it itself.
    pub(super) fn edit_beside(&self, id: &PlanId, edit: &Edit) -> Result<bool, AppError> {
        if !made_beside(edit) || !self.is_current(id) {
            return Ok(false);
        }
        let (Ok(engine), Some(actor), Some(by)) = (self.engine_link(), self.actor(), self.tab_id())
        else {
            return Ok(false);
        };
        // Changes in flight: this one follows them there, never past them
        // on the page (the plan on screen shows them in the order made).
        if !engine.free() && !self.in_flight(id) {
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
        let Ok(unsaved) = self.with_session(id, |s| {
            s.log.pending(&s.doc).map(|p| p.bytes).unwrap_or_default()
        }) else {
            return Ok(false);
        };
        let at = now_ms();
        self.ui.plan.update(|p| {
            if let Some(p) = p.as_mut() {
                edit.apply(p);
            }
        });
        if let Some(inner) = self.inner() {
            inner.refused.set(false);
            inner
                .in_flight
                .borrow_mut()
                .entry(id.clone())
                .or_default()
                .push((edit.clone(), at));
        }
        self.set_status(id, SaveStatus::Saving);
        let ask = Change {
            plan: id.clone(),
            edit: edit.clone(),
            unsaved,
            at_ms: at,
            device: actor.as_str().to_owned(),
            by,
        };
        let app = *self;
        let (id, edit) = (id.clone(), edit.clone());
        spawn_local(async move {
            let reply = engine.change(ask).await;
            app.answered(&id, &edit, at, reply).await;
        });
        Ok(true)
    }

    /// The named changes of `id` still in the engine's hands, shown in
    /// `plan` (read from the page's copy, which does not have them yet).
    pub(super) fn show_in_flight(&self, id: &PlanId, plan: &mut crate::plan::Plan) {
        if let Some(inner) = self.inner() {
            if let Some(edits) = inner.in_flight.borrow().get(id) {
                for (edit, _) in edits {
                    edit.apply(plan);
                }
            }
        }
    }

    /// Named changes of `id` made beside the page and not answered yet.
    pub(super) fn in_flight(&self, id: &PlanId) -> bool {
        self.inner()
            .is_some_and(|i| i.in_flight.borrow().get(id).is_some_and(|e| !e.is_empty()))
    }

    /// The engine answered a change (or could not make it).
    async fn answered(&self, id: &PlanId, edit: &Edit, at: i64, reply: Option<Reply>) {
        let Some(inner) = self.inner() else { return };
        // Whether it was still in flight, and the changes asked after it.
        let (was_in_flight, later) = {
            let mut flying = inner.in_flight.borrow_mut();
            let list = flying.entry(id.clone()).or_default();
            match list.iter().position(|(e, t)| e == edit && *t == at) {
                Some(i) => {
                    list.remove(i);
                    (true, list[i..].to_vec())
                }
                None => (false, Vec::new()),
            }
        };
        // The page was hidden meanwhile and made it itself (journaled): the
        // engine's chunk, if any, is taken in as another tab's.
        match reply {
            Some(Reply::Changed(Some(chunk))) if was_in_flight => {
                let taken = self.with_session(id, |s| {
                    s.log.take_in_one(&mut s.doc, &chunk.key, chunk.bytes)
                });
                if !matches!(taken, Ok(true)) {
                    self.merge_stored(id.clone()).await;
                }
            }
            // Nothing changed, or stored by an engine that stopped before
            // it answered: what is stored is taken in.
            Some(Reply::Changed(_)) => self.merge_stored(id.clone()).await,
            _ if !was_in_flight => {}
            _ => {
                // No engine could: the page makes it, and makes again after
                // it those asked of the engine since (they may be answered
                // too: the same values twice), so the plan ends as picked.
                let made = self.with_session(id, |s| {
                    let made = s.doc.apply(edit, at);
                    for (edit, at) in &later {
                        let _ = s.doc.apply(edit, *at);
                    }
                    made
                });
                match made {
                    Ok(Ok(true)) => return self.changed(id, Touched::Plan),
                    Ok(Ok(false)) => {}
                    Ok(Err(e)) => {
                        // Shown at once, refused now: the plan as it is.
                        self.show_problem(Some(&AppError::Plan(e)));
                        self.publish(id);
                    }
                    Err(e) => self.show_problem(Some(&e)),
                }
            }
        }
        self.save_now(id.clone());
        self.live_changed(id);
    }

    /// The page is being hidden or closed: changes still in the engine's
    /// hands are made in the page's own copy, to be journaled with the rest
    /// (an engine stops with its page). If the engine stored one too, the
    /// two say the same, and the plan shows one value.
    pub(super) fn flush_in_flight(&self) {
        let Some(inner) = self.inner() else { return };
        let flying: Vec<(PlanId, Vec<(Edit, i64)>)> =
            inner.in_flight.borrow_mut().drain().collect();
        for (id, edits) in flying {
            for (edit, at) in edits {
                // A change the page's copy refuses was refused on screen too.
                let _ = self.with_session(&id, |s| s.doc.apply(&edit, at));
            }
        }
    }
}
