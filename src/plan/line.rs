//! One-line answers (a name, a phone number, "how long") as they are kept:
//! Automerge text, so two people typing in one at once both keep their
//! words, as in a long answer. Plans from before kept them as plain string
//! values; those read the same and become text on their first edit
//! (`crate::doc`, which makes that change the same on every device).
//!
//! These are the `autosurgeon` functions the [`super::model`] fields name.
//! Writing one always writes text: the document layer turns a plain value
//! into text before any change to its part is written, so a write never
//! replaces one person's text with another's.

use autosurgeon::reconcile::TextReconciler;
use autosurgeon::{HydrateError, Prop, ReadDoc, Reconciler};

/// Read a one-line answer: text, or a plain string from before.
pub(crate) fn hydrate<D: ReadDoc>(
    doc: &D,
    obj: &automerge::ObjId,
    prop: Prop<'_>,
) -> Result<String, HydrateError> {
    use automerge::{ObjType, ScalarValue, Value};
    match doc.get(obj, &prop)? {
        Some((Value::Object(ObjType::Text), id)) => Ok(doc.text(&id)?),
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Ok(s.to_string()),
            _ => Err(HydrateError::unexpected(
                "a one-line answer",
                "another value".into(),
            )),
        },
        _ => Err(HydrateError::unexpected(
            "a one-line answer",
            "something else".into(),
        )),
    }
}

/// Write a one-line answer as text: only where it differs, so a change
/// elsewhere in its section leaves it (and anyone typing in it) alone.
pub(crate) fn reconcile<R: Reconciler>(value: &String, mut reconciler: R) -> Result<(), R::Error> {
    reconciler.text()?.update(value)
}
