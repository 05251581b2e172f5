//! What other tabs (and the engine worker) stored of the plans open here:
//! the plan on screen is read again from the engine when they say so.

use leptos::prelude::*;

use super::super::platform::tabs::TabMessage;
use super::{App, Opening};

impl App {
    /// Another tab saved or deleted a plan.
    pub fn on_tab_message(&self, msg: TabMessage) {
        match msg {
            TabMessage::Saved { plan: id, .. } => {
                // Once for many plans stored together (a caseload catching
                // up after time away: the engine tells a save a plan).
                self.refresh_list_soon();
                let opening =
                    matches!(self.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == id);
                if opening {
                    if let Some(i) = self.inner() {
                        *i.stored_while_opening.borrow_mut() = Some(id.clone());
                    }
                }
                if self.viewing(&id) {
                    self.reopen(&id);
                }
            }
            TabMessage::Deleted { plan: id } => {
                self.refresh_list();
                if let Some(i) = self.inner() {
                    if let Ok(mut v) = i.views.try_borrow_mut() {
                        v.remove(&id);
                    }
                }
                if self.is_current(&id) {
                    self.ui.plan.set(None);
                    self.ui.opening.set(Opening::NotFound(id));
                }
            }
        }
    }
}
