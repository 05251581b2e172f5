//! A synchronous backstop for the moment a page dies.
//!
//! Chromium aborts IndexedDB transactions still open when a page unloads,
//! and the engine worker stops with the page. localStorage writes are
//! synchronous: on `pagehide` (and when the page is hidden) what is still
//! in the engine's hands is written here, one key per plan, and made again
//! when the plan is next opened; the entry is removed once the engine
//! has stored it.
//!
//! Written without JSON (the page carries no JSON reader). Earlier releases wrote JSON; what they left is read as
//! they wrote it, or handed to the engine to read.

use super::local::{delete, get_string, local};
use crate::plan::ids::{from_hex, hex};
use crate::plan::PlanId;

fn key(id: &PlanId) -> String {
    format!("csp.unsaved.{id}")
}

/// The unsaved changes an earlier release kept for a plan (the page's own
/// copy's saves, as a JSON string of hex), if any and readable.
pub fn read(id: &PlanId) -> Option<Vec<u8>> {
    from_hex(&get_string(&key(id))?)
}

pub fn clear(id: &PlanId) {
    delete(&key(id));
}

fn journaled_key(id: &PlanId) -> String {
    format!("csp.typed.{id}")
}

/// Where a journal an earlier release wrote (JSON) is kept once this
/// release journals anew for the same plan, until the plan is opened.
fn earlier_key(id: &PlanId) -> String {
    format!("csp.typed-earlier.{id}")
}

/// How this release writes a journal: this mark, then the postcard bytes
/// (the engine protocol's own encoding) as hex. Earlier releases wrote
/// JSON, which starts with `{`.
const MARK: &str = "p:";

/// What was in the engine worker's hands of a plan when the page was
/// hidden or closed (the engine stops with the page): the texts of its
/// answers' boxes with keys in flight, and the named changes shown at once.
/// Made again on the plan as stored when it is next opened.
pub fn write_journaled<T: serde::Serialize>(id: &PlanId, kept: &T) {
    let Some(local) = local() else { return };
    let key = journaled_key(id);
    // A journal an earlier release left is moved aside, not overwritten:
    // the engine makes it first when the plan is next opened.
    if let Ok(Some(earlier)) = local.get_item(&key) {
        if !earlier.starts_with(MARK) {
            let _ = local.set_item(&earlier_key(id), &earlier);
        }
    }
    let Ok(bytes) = postcard::to_allocvec(kept) else {
        return;
    };
    let _ = local.set_item(&key, &format!("{MARK}{}", hex(&bytes)));
}

/// What was journaled of a plan by this release (nothing if nothing was,
/// or it cannot be read).
pub fn read_journaled<T: serde::de::DeserializeOwned + Default>(id: &PlanId) -> T {
    local()
        .and_then(|l| l.get_item(&journaled_key(id)).ok().flatten())
        .and_then(|s| from_hex(s.strip_prefix(MARK)?))
        .and_then(|bytes| postcard::from_bytes(&bytes).ok())
        .unwrap_or_default()
}

/// A journal an earlier release wrote for a plan, in its JSON form, for
/// the engine to read (the page has no JSON reader of its own).
pub fn read_earlier(id: &PlanId) -> Option<String> {
    let local = local()?;
    let here = local.get_item(&journaled_key(id)).ok().flatten();
    match here {
        Some(json) if !json.starts_with(MARK) => Some(json),
        _ => local.get_item(&earlier_key(id)).ok().flatten(),
    }
}

pub fn clear_journaled(id: &PlanId) {
    delete(&journaled_key(id));
    delete(&earlier_key(id));
}
