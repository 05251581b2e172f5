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
        if self.viewing(id) {
            return self.reopen(id);
        }
        let plan = self.read(id, |d| d.plan().ok()).flatten();
        self.show_plan(id, plan);
    }

    /// Show `plan` (read from the page's copy, or the engine's values of
    /// the same version) and the sections the copy holds, with the changes
    /// still in the engine's hands over both: another framework's areas
    /// are there to open before its documents are in the page's copy.
    pub(super) fn show_plan(&self, id: &PlanId, plan: Option<Plan>) {
        let parts: Vec<Section> = match plan {
            Some(_) => self
                .read(id, |d| d.parts().cloned().collect())
                .unwrap_or_default(),
            None => Vec::new(),
        };
        self.show_plan_with(id, plan, parts);
    }

    /// Show `plan` with the sections this copy holds (`parts`), with the
    /// keys and changes still in the engine's hands over both.
    pub(super) fn show_plan_with(
        &self,
        id: &PlanId,
        mut plan: Option<Plan>,
        mut parts: Vec<Section>,
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
        // its reads beside the page are asked anew.
        if self.ui.plan.with_untracked(|shown| *shown != plan) {
            self.ui.plan.set(plan);
        }
    }

    /// The page's copy took in a change: the sections it holds now, with
    /// those a change still in flight adds (already on screen).
    pub(super) fn refresh_parts(&self, id: &PlanId) {
        if !self.is_current(id) || self.viewing(id) {
            return;
        }
        let mut parts: Vec<Section> = self
            .read(id, |d| d.parts().cloned().collect())
            .unwrap_or_default();
        if self.in_flight(id) {
            self.ui.parts.with_untracked(|shown| {
                for s in shown {
                    if !parts.contains(s) {
                        parts.push(s.clone());
                    }
                }
            });
        }
        self.set_parts(parts);
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

    /// Show a change to one part of the open plan: only that part is read
    /// again, into the plan already on screen (a keystroke's cost is its
    /// part's, whatever the size of the others or of the history).
    pub(super) fn publish_part(&self, id: &PlanId, part: &Section) {
        if !self.is_current(id) {
            return;
        }
        let mut read = false;
        self.ui.plan.update(|shown| {
            if let Some(plan) = shown.as_mut() {
                read = self
                    .read(id, |d| d.read_part(part, plan).is_ok())
                    .unwrap_or(false);
                self.show_typing(id, plan);
                self.show_in_flight(id, plan);
            }
        });
        if !read {
            self.publish(id);
        } else {
            self.refresh_parts(id);
        }
    }
}
