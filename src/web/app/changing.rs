//! Named changes made by the engine worker (`Request::Change`): a choice
//! picked, a section marked finished, an answer made a whole text, another
//! framework, the carer's agreement, a review started, a sign-off, an item
//! added or a person removed. An edit is checked against the plan on
//! screen and shown there at once (`Edit::apply`, the values only); a
//! sign-off, a choice kept and an item added wait for their answer. The
//! engine makes each in the plan it holds, in the order asked, stores it
//! and tells the other tabs. While one is in flight the save line's region
//! is busy; if the page is hidden or closed meanwhile, what was shown at
//! once is journaled (`in_hand.rs`), so nothing picked is lost with the
//! tab. With no engine, a change shown at once is journaled and the person
//! told; one that waits for its answer is refused plainly.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::doc::conflict::{ChoiceConflict, Scalar};
use crate::plan::review::check_sign_off;
use crate::plan::{Edit, PlanId, Section};
use crate::web::engine::protocol::{Change, Named, Reply, SignOff};
use crate::web::engine::EngineLink;

use super::{now_ms, App, AppError, SaveStatus};

impl App {
    /// Make `edit` in the engine: checked against the plan on screen and
    /// shown there at once, its sections listed; `NotMadeNow` when no
    /// engine can make it now.
    pub(super) fn edit_beside(&self, id: &PlanId, edit: &Edit) -> Result<(), AppError> {
        let checked = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(|p| edit.check(p)));
        match checked {
            None => return Err(AppError::NotOpen),
            Some(Err(e)) => return Err(AppError::Edit(e)),
            Some(Ok(())) => {}
        }
        // Its sections first: what lists them is drawn with the plan.
        let added = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(|p| edit.parts_added(p)))
            .unwrap_or_default();
        let named = Named::Edit(edit.clone());
        let at = now_ms();
        // With no engine it is still shown, and kept in the journal below.
        let asked = match self.beside(id, named.clone()) {
            Err(e) if !matches!(e, AppError::NoEngine) => return Err(e),
            asked => asked,
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
        match asked {
            Ok((engine, ask)) => {
                self.send_change(engine, ask);
                Ok(())
            }
            // No engine now: kept in the journal, made when the plan is
            // next opened through one; she is told nothing is lost.
            Err(e) => {
                self.keep_in_journal(id, &named, at);
                Err(e)
            }
        }
    }

    /// Make a change shown at once (an answer made a whole text) in the
    /// engine, for a plan open through it.
    pub(super) fn change_beside(&self, id: &PlanId, named: Named) -> Result<(), AppError> {
        let asked = self.beside(id, named.clone());
        if let Named::SetAnswer { field, text } = &named {
            if matches!(&asked, Ok(_) | Err(AppError::NoEngine)) {
                self.publish_typed(id, field, text);
            }
        }
        match asked {
            Ok((engine, ask)) => {
                self.send_change(engine, ask);
                Ok(())
            }
            Err(AppError::NoEngine) => {
                self.keep_in_journal(id, &named, now_ms());
                Err(AppError::NoEngine)
            }
            Err(e) => Err(e),
        }
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
            return Err(e.into());
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
    /// choice kept, an item added): asked of the engine once the changes
    /// before it are answered (whatever they come to, it follows them, and
    /// a sign-off is never made again after one of them).
    pub(super) async fn make_after(&self, id: &PlanId, named: Named) -> Result<(), AppError> {
        while let Some(inner) = self.inner().filter(|_| self.in_flight(id)) {
            let settled = inner.in_flight.borrow_mut().settled(id);
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
        }
        let (engine, ask) = self.beside(id, named)?;
        self.ask(engine, ask).await
    }

    /// The request for `named`, made now, and put in flight: `NotOpen` for
    /// a plan not open through the engine, `NoEngine` when none runs.
    fn beside(&self, id: &PlanId, named: Named) -> Result<(EngineLink, Change), AppError> {
        if !self.is_current(id) || !self.viewing(id) {
            return Err(AppError::NotOpen);
        }
        let (Ok(engine), Some(actor), Some(by)) = (self.engine_link(), self.actor(), self.tab_id())
        else {
            return Err(AppError::NoEngine);
        };
        let ask = Change {
            plan: id.clone(),
            named,
            unsaved: Vec::new(),
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
        Ok((engine, ask))
    }

    /// Ask the engine to make a change [`Self::beside`] put in flight, and
    /// take in its answer.
    pub(super) async fn ask(&self, engine: EngineLink, ask: Change) -> Result<(), AppError> {
        let (id, named, at) = (ask.plan.clone(), ask.named.clone(), ask.at_ms);
        let reply = engine.change(ask).await;
        self.answered(&id, &named, at, reply).await
    }

    /// The named changes of `id` still in the engine's hands, shown in
    /// `plan` (read by the engine before they were made there),
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
        self.answered_viewing(id, (named, at), was_in_flight, reply)
    }
}
