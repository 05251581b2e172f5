//! The plan's format version.
//!
//! Version history:
//! * 1–3: one Automerge document per plan (test versions only; no longer read).
//! * 4: one document per part (see [`crate::plan::part`]), so a share can
//!   leave sections out, history and all.
//!
//! A future version that needs new maps or lists in a part must make them
//! deterministically, as each part's first change is made (same actor, time
//! and content on every device), so two devices upgrading their own copies
//! make the very same change and still merge.

use automerge::{Automerge, ReadDoc, ScalarValue, Value, ROOT};

pub const CURRENT_SCHEMA: u64 = 4;

/// The format version a document says it has, if it says one.
pub fn version_of(doc: &Automerge) -> Option<u64> {
    match doc.get(ROOT, "schema_version").ok()?? {
        (Value::Scalar(s), _) => match s.as_ref() {
            ScalarValue::Uint(v) => Some(*v),
            ScalarValue::Int(v) => u64::try_from(*v).ok(),
            _ => None,
        },
        _ => None,
    }
}
