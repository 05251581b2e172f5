//! Signing off a plan: the carer agrees and the key worker signs, with
//! names and dates. The signed version is kept (the heads of the shared
//! parts at signing); any later edit makes the plan a new draft. Signing
//! sets the next review: six to eight weeks after the first sign-off, then
//! yearly; the worker may choose another date within the allowed range.

use chrono::NaiveDate;
use thiserror::Error;

use super::actor::is_genesis_actor;
use super::document::{known_to, PlanDoc};
use super::error::DocError;
use crate::plan::ids::item_id;
use crate::plan::review::{check_sign_off, open_review, SignRuleError};
use crate::plan::{DeviceActor, Plan, Section, Signature, SignedVersion};

#[derive(Debug, Error)]
pub enum SignError {
    #[error("sign-off rule")]
    Rule(#[from] SignRuleError),
    #[error("sign-off not recorded")]
    Doc(#[from] DocError),
}

/// Where a plan stands.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum SignStatus {
    NotSigned,
    /// Signed, and nothing shared has changed since.
    Signed(SignedVersion),
    /// Signed once; edits since make this a new draft.
    ChangedSince(SignedVersion),
}

/// Sign the plan off. Every part this copy holds (but the private notes)
/// is covered by the signed version.
pub fn sign(
    doc: &mut PlanDoc,
    worker: &DeviceActor,
    carer_name: &str,
    worker_name: &str,
    review: NaiveDate,
    today: NaiveDate,
    now_ms: i64,
) -> Result<(), SignError> {
    let plan = doc.plan()?;
    check_sign_off(&plan, carer_name, worker_name, review, today)?;
    let (carer_name, worker_name) = (carer_name.trim(), worker_name.trim());
    let heads: Vec<String> = signed_heads(doc).iter().map(|h| h.to_string()).collect();
    // The carer's signature is their agreement: on their device, or on this
    // one in a meeting.
    let carer = match plan.agreed_by.as_deref() {
        Some(device) if !device.is_empty() => device.to_owned(),
        _ => plan.carer_device().unwrap_or_default().to_owned(),
    };
    let carer_sig = Signature {
        name: carer_name.into(),
        actor: carer,
        at: plan.agreed_at.unwrap_or(now_ms),
    };
    let worker_sig = Signature {
        name: worker_name.into(),
        actor: worker.as_str().into(),
        at: now_ms,
    };
    let id = item_id().map_err(DocError::from)?;
    // Signing closes an open review round (it started before this signature).
    let reviewing = open_review(&plan).is_some();
    let message = if reviewing {
        "Signed off the review"
    } else {
        "Signed off the plan"
    };
    doc.change(message, now_ms, |p| {
        p.sign_off.carer = Some(carer_sig.clone());
        p.sign_off.worker = Some(worker_sig.clone());
        p.sign_off.signed_versions.push(SignedVersion {
            id: id.clone(),
            heads: heads.clone(),
            carer: carer_sig.clone(),
            worker: worker_sig.clone(),
            review_due: Some(review),
        });
        if reviewing || p.review.next_due.is_some_and(|last| last <= today) {
            p.review.last_reviewed = Some(today);
        }
        p.review.next_due = Some(review);
    })?;
    Ok(())
}

/// Whether `worker` signed the plan off at `at_ms` already (a sign-off
/// asked twice is one sign-off).
pub fn signed_by_at(doc: &PlanDoc, worker: &DeviceActor, at_ms: i64) -> Result<bool, DocError> {
    Ok(doc
        .plan()?
        .sign_off
        .signed_versions
        .iter()
        .any(|v| v.worker.actor == worker.as_str() && v.worker.at == at_ms))
}

/// The heads of the parts a signed version covers: all but the plan part
/// (which records the signing itself) and the private notes.
fn signed_heads(doc: &PlanDoc) -> Vec<automerge::ChangeHash> {
    let mut out = Vec::new();
    for part in doc.parts() {
        if *part != Section::Plan && part.shareable() {
            if let Some(d) = doc.part_doc(part) {
                out.extend(d.get_heads());
            }
        }
    }
    out
}

/// Whether the plan is signed off, and whether it changed since.
pub fn status(doc: &PlanDoc) -> SignStatus {
    let Ok(plan) = doc.plan() else {
        return SignStatus::NotSigned;
    };
    let Some(last) = plan.sign_off.signed_versions.last().cloned() else {
        return SignStatus::NotSigned;
    };
    let signed: Vec<automerge::ChangeHash> =
        last.heads.iter().filter_map(|h| h.parse().ok()).collect();
    // Only the parts the signed version covered: a carer's unshared
    // sections were never signed, so editing them is no new draft.
    let covered = |part: &Section| {
        doc.part_doc(part)
            .is_some_and(|d| !known_to(d, &signed).is_empty())
    };
    let changed = doc.changes_since(&signed).iter().any(|c| {
        c.part != Section::Plan
            && c.part.shareable()
            && covered(&c.part)
            && !is_genesis_actor(&c.actor)
    });
    if changed {
        SignStatus::ChangedSince(last)
    } else {
        SignStatus::Signed(last)
    }
}

/// The last signed version as it was signed: the plan's values read from
/// the document at the signed heads, and the sections it covered.
pub fn signed_version(doc: &PlanDoc) -> Option<(SignedVersion, Plan, Vec<Section>)> {
    let plan = doc.plan().ok()?;
    let signed = plan.sign_off.signed_versions.last()?.clone();
    let heads: Vec<automerge::ChangeHash> =
        signed.heads.iter().filter_map(|h| h.parse().ok()).collect();
    let (then, known) = doc.plan_at(&heads).ok()?;
    let covered = known
        .into_iter()
        .filter(|p| *p != Section::Plan && p.shareable())
        .collect();
    Some((signed, then, covered))
}

/// Every signed version as it was signed, oldest first: the plan's values
/// read at each version's heads (for distance travelled). A version whose
/// heads this copy does not hold is left out.
pub fn signed_plans(doc: &PlanDoc) -> Vec<(SignedVersion, Plan)> {
    let Ok(plan) = doc.plan() else {
        return Vec::new();
    };
    plan.sign_off
        .signed_versions
        .into_iter()
        .filter_map(|v| {
            let heads: Vec<automerge::ChangeHash> =
                v.heads.iter().filter_map(|h| h.parse().ok()).collect();
            let (then, _) = doc.plan_at(&heads).ok()?;
            Some((v, then))
        })
        .collect()
}
