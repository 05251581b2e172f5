//! The document's format version, and migrations from older versions.
//!
//! Version history:
//! * 1: the first format, without `sections` (section progress) and
//!   `participants` (who each actor is).
//! * 2: adds both maps.
//! * 3: adds `eligibility`, `budget` and `information_given` (England's Care Act).
//!
//! A migration that creates a map or list must not make two different
//! objects on two devices that each migrate their own copy (one would hide
//! the other when they merge). So such steps are made *deterministically*: on
//! a fork of the document at its first change, by an actor derived from the
//! plan id and the version, with timestamp 0. Every device makes the very
//! same change (same hash), and merging two migrated copies keeps one.

use automerge::transaction::Transactable;
use automerge::{Automerge, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::document::{commit, DocError};
use super::ids::PlanId;

pub const CURRENT_SCHEMA: u64 = 3;

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

/// Bring a document of `version` up to [`CURRENT_SCHEMA`].
pub(crate) fn migrate(doc: &mut Automerge, plan_id: &PlanId, version: u64) -> Result<(), DocError> {
    let mut v = version;
    while v < CURRENT_SCHEMA {
        match v {
            1 => deterministic_step(doc, plan_id, 2, |tx| {
                for key in ["sections", "participants"] {
                    if tx.get(ROOT, key)?.is_none() {
                        tx.put_object(ROOT, key, ObjType::Map)?;
                    }
                }
                Ok(())
            })?,
            2 => deterministic_step(doc, plan_id, 3, |tx| {
                if tx.get(ROOT, "eligibility")?.is_none() {
                    tx.put_object(ROOT, "eligibility", ObjType::Map)?;
                }
                if tx.get(ROOT, "budget")?.is_none() {
                    let budget = tx.put_object(ROOT, "budget", ObjType::Map)?;
                    tx.put(&budget, "indicative", "")?;
                    tx.put(&budget, "final_amount", "")?;
                    tx.put(&budget, "managed", ScalarValue::Null)?;
                }
                if tx.get(ROOT, "information_given")?.is_none() {
                    tx.put_object(ROOT, "information_given", ObjType::Text)?;
                }
                Ok(())
            })?,
            _ => return Err(DocError::WrongShape(format!("unknown format version {v}"))),
        }
        v += 1;
    }
    Ok(())
}

fn deterministic_step<F>(
    doc: &mut Automerge,
    plan_id: &PlanId,
    to: u64,
    step: F,
) -> Result<(), DocError>
where
    F: FnOnce(
        &mut automerge::transaction::Transaction<'_>,
    ) -> Result<(), automerge::AutomergeError>,
{
    let genesis: Vec<_> = doc
        .get_changes_meta(&[])
        .into_iter()
        .filter(|c| c.deps.is_empty())
        .map(|c| c.hash)
        .collect();
    if genesis.len() != 1 {
        return Err(DocError::WrongShape(
            "the plan has no single first change".into(),
        ));
    }
    let actor = automerge::ActorId::from(format!("migrate-v{to}-{plan_id}").into_bytes());
    let mut fork = doc.fork_at(&genesis)?.with_actor(actor);
    fork.transact_with(
        |_| commit(format!("Upgraded the plan's format to version {to}"), 0),
        |tx| {
            step(tx)?;
            tx.put(ROOT, "schema_version", to)
        },
    )
    .map_err(|f| DocError::from(f.error))?;
    doc.merge(&mut fork)?;
    Ok(())
}
