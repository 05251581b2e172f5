//! A synchronous backstop for the moment a page dies.
//!
//! Chromium aborts IndexedDB transactions still open when a page unloads, so
//! a save issued a moment before the tab is closed can be lost. localStorage
//! writes are synchronous: on `pagehide` (and when the page is hidden) the
//! changes not yet confirmed in IndexedDB are written here, as hex, one key
//! per plan. The next load merges them back and saves them properly; the
//! entry is removed once IndexedDB holds everything.

use gloo_storage::{LocalStorage, Storage};

use crate::plan::ids::{from_hex, hex};
use crate::plan::PlanId;

fn key(id: &PlanId) -> String {
    format!("csp.unsaved.{id}")
}

pub fn write(id: &PlanId, bytes: &[u8]) {
    // If localStorage refuses, IndexedDB's own save (started at the same
    // moment) is all there is: nothing more can be done while the page dies.
    let _ = LocalStorage::set(key(id), hex(bytes));
}

/// The unsaved changes kept for a plan, if any (and readable).
pub fn read(id: &PlanId) -> Option<Vec<u8>> {
    from_hex(&LocalStorage::get::<String>(key(id)).ok()?)
}

pub fn clear(id: &PlanId) {
    LocalStorage::delete(key(id));
}
