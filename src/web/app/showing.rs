//! The plan on screen follows the open plan's document: read whole after a
//! named change, one part after a key placed through someone else's
//! changes, or given the box's own text after a key typed at the version it
//! showed.

use leptos::prelude::*;

use crate::plan::{Plan, PlanId, Section};

use super::App;

impl App {
    /// Show the open plan's latest content.
    pub(super) fn publish(&self, id: &PlanId) {
        if !self.is_current(id) {
            return;
        }
        self.reopen(id);
    }

    /// Show `plan` with the sections this copy holds (`parts`), with the
    /// keys and changes still in the engine's hands over both. `made`: the
    /// plan after a change the page asked for and waited on (a choice
    /// settled, an item added), drawn even when its values are the same.
    pub(super) fn show_plan_with(
        &self,
        id: &PlanId,
        mut plan: Option<Plan>,
        mut parts: Vec<Section>,
        made: bool,
    ) {
        if let Some(plan) = plan.as_mut() {
            self.show_typing(id, plan);
            for added in self.show_in_flight(id, plan) {
                if !parts.contains(&added) {
                    parts.push(added);
                }
            }
        }
        self.set_parts(parts);
        // The plan read again as it is on screen (another tab's save that
        // changed nothing here, a read after a copy added that brought
        // nothing new): nothing is drawn again, so no screen blinks while
        // its reads beside the page are asked anew. A change she waited on
        // that leaves the values as shown (the choice she kept is the one
        // shown) is drawn: what the screens read beside the page (the
        // choices to settle, the history) follow the plan signal.
        if made || self.ui.plan.with_untracked(|shown| *shown != plan) {
            self.ui.plan.set(plan);
        }
    }

    /// Only a change of the sections redraws what lists them.
    pub(super) fn set_parts(&self, parts: Vec<Section>) {
        if self.ui.parts.with_untracked(|shown| *shown != parts) {
            self.ui.parts.set(parts);
        }
    }

    /// Show a key typed in an answer's box, which made the document's text
    /// the box's: that text is put into the plan on screen, nothing is read
    /// out of the document (the part is read if the plan on screen does not
    /// have the answer).
    pub(super) fn publish_typed(&self, id: &PlanId, field: &crate::plan::Field, text: &str) {
        if !self.is_current(id) {
            return;
        }
        let mut shown = false;
        self.ui.plan.update(|plan| {
            if let Some(plan) = plan.as_mut() {
                shown = field.show_value_in(plan, text);
            }
        });
        if !shown {
            self.publish(id);
        }
    }
}
