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

fn journaled_key(id: &PlanId) -> String {
    format!("csp.typed.{id}")
}

/// What was in the engine worker's hands of a plan when the page was
/// hidden or closed (the engine stops with the page): the texts of its
/// answers' boxes with keys in flight, and the named changes shown at once.
/// Made again on the plan as stored when it is next opened.
pub fn write_journaled<T: serde::Serialize>(id: &PlanId, kept: &T) {
    let _ = LocalStorage::set(journaled_key(id), kept);
}

/// What was journaled of a plan (nothing if nothing was, or it cannot be
/// read).
pub fn read_journaled<T: serde::de::DeserializeOwned + Default>(id: &PlanId) -> T {
    LocalStorage::get(journaled_key(id)).unwrap_or_default()
}

pub fn clear_journaled(id: &PlanId) {
    LocalStorage::delete(journaled_key(id));
}
