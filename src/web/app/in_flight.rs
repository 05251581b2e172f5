//! The named changes asked of the engine and not answered yet, plan by
//! plan, in the order asked (`changing.rs`), and whoever waits for a plan
//! to have none: a sign-off, a choice kept or an item added is asked only
//! once the changes before it are answered. The waiting is a promise
//! settled when the last one is answered, not a poll.

use std::collections::HashMap;

use js_sys::{Function, Promise};
use wasm_bindgen::JsValue;

use crate::plan::PlanId;
use crate::web::engine::protocol::Named;

/// A named change asked of the engine, and when it was made (ms since 1970).
pub(super) type Flying = (Named, i64);

#[derive(Default)]
pub(super) struct InFlight {
    by_plan: HashMap<PlanId, Vec<Flying>>,
    /// Waiting for a plan to have nothing in flight.
    waiting: Vec<(PlanId, Function)>,
}

impl InFlight {
    pub(super) fn push(&mut self, id: &PlanId, flying: Flying) {
        self.by_plan.entry(id.clone()).or_default().push(flying);
    }

    /// The changes of `id` in flight, oldest first.
    pub(super) fn of(&self, id: &PlanId) -> &[Flying] {
        self.by_plan.get(id).map_or(&[], Vec::as_slice)
    }

    pub(super) fn any(&self, id: &PlanId) -> bool {
        !self.of(id).is_empty()
    }

    /// `named`, made at `at`, is answered: taken out, with the changes
    /// asked after it; `None` when it was no longer in flight.
    pub(super) fn answered(&mut self, id: &PlanId, named: &Named, at: i64) -> Option<Vec<Flying>> {
        let list = self.by_plan.get_mut(id)?;
        let i = list.iter().position(|(n, t)| n == named && *t == at)?;
        list.remove(i);
        let later = list[i..].to_vec();
        self.wake();
        Some(later)
    }

    /// A promise settled once `id` has nothing in flight (at once if it
    /// has none now).
    pub(super) fn settled(&mut self, id: &PlanId) -> Promise {
        let mut settle = None;
        let promise = Promise::new(&mut |resolve, _| settle = Some(resolve));
        if let Some(resolve) = settle {
            if self.any(id) {
                self.waiting.push((id.clone(), resolve));
            } else {
                let _ = resolve.call0(&JsValue::NULL);
            }
        }
        promise
    }

    /// Settle the waits of the plans with nothing in flight now.
    fn wake(&mut self) {
        self.by_plan.retain(|_, list| !list.is_empty());
        let by_plan = &self.by_plan;
        self.waiting.retain(|(id, resolve)| {
            let done = !by_plan.contains_key(id);
            if done {
                let _ = resolve.call0(&JsValue::NULL);
            }
            !done
        });
    }
}
