//! This page on the tabs' channel: the id the engine's saves for it carry
//! (the engine worker stores every change, and tells the other tabs).

use super::super::platform::tabs::Tabs;
use super::App;

impl App {
    /// This page's id on the tabs' channel (`Tabs::id`), if it listens.
    pub(super) fn tab_id(&self) -> Option<u32> {
        self.inner()
            .and_then(|i| i.tabs.borrow().as_ref().map(Tabs::id))
    }
}
