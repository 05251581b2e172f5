//! What is in the engine's hands of a plan open through it
//! (`viewing.rs`), and what becomes of it: a named change answered (shown
//! with the values it answered with, or taken back when it could not be
//! made), one not stored (kept on screen and asked again), one no engine
//! could make (kept in the journal), and the journal written when the
//! page is hidden or closed with keys or changes in flight.

use std::collections::HashMap;

use wasm_bindgen_futures::spawn_local;

use crate::plan::PlanId;
use crate::web::engine::protocol::{Change, Journaled, Made, Named, Reply};

use super::super::platform::journal;
use super::{App, AppError, SaveStatus};

/// How long a change not stored waits before it is asked again.
const ASK_AGAIN_MS: u64 = 3000;

impl App {
    /// The engine answered a change of a plan open through it: a change
    /// not shown before (a sign-off, an item added) is shown with the
    /// values it answered with; one it could not make is said, and the
    /// plan read again as stored (the value on screen taken back).
    pub(super) fn answered_viewing(
        &self,
        id: &PlanId,
        (named, at): (&Named, i64),
        was_in_flight: bool,
        reply: Option<Reply>,
    ) -> Result<(), AppError> {
        let made = match reply {
            // Made but not stored (storage full or failing): kept on
            // screen, and in flight, the save line says so, and it is
            // asked again in a while (a box's settling asks again itself).
            Some(Reply::NotStored(why)) if was_in_flight => {
                self.set_status(id, SaveStatus::NotKept(why.clone()));
                if !matches!(named, Named::SetAnswer { .. }) {
                    self.ask_again_later(id, named.clone(), at);
                }
                return Err(AppError::NotStored(why));
            }
            Some(Reply::Made(made)) if was_in_flight && self.is_current(id) => {
                let Made {
                    plan, heads, parts, ..
                } = *made;
                self.set_view_heads(id, heads);
                self.show_plan_with(id, Some(plan), parts, true);
                Ok(())
            }
            Some(Reply::Changed(_) | Reply::Made(_)) => {
                // Made by an engine that stopped before it answered, or
                // after the page journaled it: read as stored.
                if !was_in_flight {
                    self.reopen(id);
                }
                Ok(())
            }
            _ if !was_in_flight => Ok(()),
            Some(Reply::Refused { message, details }) => {
                self.reopen(id);
                Err(AppError::Refused { message, details })
            }
            // No engine could (none runs): a change shown at once stays on
            // screen and in the journal, made when the plan is next opened
            // through an engine; the person is told nothing is lost.
            None if named.shown_at_once() => {
                self.keep_in_journal(id, named, at);
                Err(AppError::NoEngine)
            }
            _ => {
                self.reopen(id);
                Err(AppError::NotMadeNow)
            }
        };
        if !self.in_flight(id) {
            self.set_status(id, SaveStatus::Saved);
        }
        self.journal_settled(id);
        made
    }

    /// A change no engine could make, kept in the journal (`Journaled`).
    pub(super) fn keep_in_journal(&self, id: &PlanId, named: &Named, at: i64) {
        let Some(inner) = self.inner() else { return };
        let mut kept: Journaled = journal::read_journaled(id);
        match named {
            // An answer's latest text is all that matters.
            Named::SetAnswer { field, text } => {
                kept.typed.retain(|(f, _)| f != field);
                kept.typed.push((field.clone(), text.clone()));
            }
            named => kept.named.push((named.clone(), at)),
        }
        journal::write_journaled(id, &kept);
        let mut marked = inner.journal_kept.borrow_mut();
        if !marked.contains(id) {
            marked.push(id.clone());
        }
    }

    /// A change not stored: in flight again, and asked again in a while.
    fn ask_again_later(&self, id: &PlanId, named: Named, at: i64) {
        let Some(inner) = self.inner() else { return };
        inner.in_flight.borrow_mut().push(id, (named.clone(), at));
        let (app, id) = (*self, id.clone());
        leptos::prelude::set_timeout(
            move || {
                let (Ok(engine), Some(actor)) = (app.engine_link(), app.actor()) else {
                    return;
                };
                let ask = Change {
                    plan: id,
                    named,
                    unsaved: Vec::new(),
                    at_ms: at,
                    device: actor.as_str().to_owned(),
                    by: app.tab_id().unwrap_or(0),
                };
                spawn_local(async move {
                    let id = ask.plan.clone();
                    if let Err(e) = app.ask(engine, ask).await {
                        if !matches!(e, AppError::NotStored(_)) {
                            app.show_problem(Some(&e));
                            app.publish(&id);
                        }
                    }
                });
            },
            std::time::Duration::from_millis(ASK_AGAIN_MS),
        );
    }

    /// The page is being hidden or closed: what is in the engine's hands
    /// of a plan open through it — the text of every box with keys in
    /// flight, the named changes shown at once — is journaled (the engine
    /// stops with the page), to be made again when the plan is next opened.
    pub(super) fn journal_in_hand(&self) {
        let Some(inner) = self.inner() else { return };
        let mut by_plan: HashMap<PlanId, Journaled> = HashMap::new();
        for (p, field, text) in self.boxes_in_hand() {
            by_plan.entry(p).or_default().typed.push((field, text));
        }
        let views: Vec<PlanId> = inner
            .views
            .try_borrow()
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default();
        if let Ok(flying) = inner.in_flight.try_borrow() {
            for p in views {
                for (named, at) in flying.of(&p) {
                    if named.shown_at_once() {
                        by_plan
                            .entry(p.clone())
                            .or_default()
                            .named
                            .push((named.clone(), *at));
                    }
                }
            }
        }
        for (p, kept) in by_plan {
            journal::write_journaled(&p, &kept);
        }
    }

    /// Nothing of `id` is in the engine's hands: what was journaled of it
    /// is stored, and not needed.
    pub(super) fn journal_settled(&self, id: &PlanId) {
        let kept = self
            .inner()
            .is_some_and(|i| i.journal_kept.borrow().contains(id));
        if self.viewing(id) && !kept && !self.typing(id) && !self.in_flight(id) {
            journal::clear_journaled(id);
        }
    }
}
