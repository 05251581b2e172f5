//! The plan on screen follows the open plan's document: read whole after a
//! named change, one part after a key placed through someone else's
//! changes, or given the box's own text after a key typed at the version it
//! showed.

use leptos::prelude::*;

use crate::plan::{PlanId, Section};

use super::App;

impl App {
    /// Show the open plan's latest content.
    pub(super) fn publish(&self, id: &PlanId) {
        if !self.is_current(id) {
            return;
        }
        let mut plan = self.read(id, |d| d.plan().ok()).flatten();
        if let Some(plan) = plan.as_mut() {
            self.show_in_flight(id, plan);
        }
        self.ui.plan.set(plan);
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
                self.show_in_flight(id, plan);
            }
        });
        if !read {
            self.publish(id);
        }
    }
}
