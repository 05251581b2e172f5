//! Signing off a plan: the carer agrees and the key worker signs, with
//! names and dates. The signed version is kept (the heads of the shared
//! parts at signing); any later edit makes the plan a new draft. Signing
//! sets the next review: six to eight weeks after the first sign-off, then
//! yearly; the worker may choose another date within the allowed range.

use chrono::NaiveDate;
use thiserror::Error;

use super::date::{first_review_due, first_review_earliest, next_yearly_review};
use super::document::{DocError, PlanDoc};
use super::ids::{item_id, DeviceActor};
use super::part::Part;
use super::plan::{Plan, Signature, SignedVersion};

#[derive(Debug, Error)]
pub enum SignError {
    #[error("Tick the box to confirm the carer has read the plan and agrees with it.")]
    CarerHasNotAgreed,
    #[error("Enter the carer's name and your name.")]
    MissingName,
    #[error("The review date must be between {earliest} and {latest}.")]
    ReviewOutOfRange { earliest: String, latest: String },
    #[error("{0}")]
    Doc(#[from] DocError),
}

/// Where a plan stands.
#[derive(Debug, Clone, PartialEq)]
pub enum SignStatus {
    NotSigned,
    /// Signed, and nothing shared has changed since.
    Signed(SignedVersion),
    /// Signed once; edits since make this a new draft.
    ChangedSince(SignedVersion),
}

/// The review dates allowed at a sign-off on `today`, and the suggested one.
pub fn review_range(plan: &Plan, today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate) {
    if plan.sign_off.signed_versions.is_empty() {
        (
            first_review_earliest(today),
            first_review_due(today),
            first_review_due(today),
        )
    } else {
        // Yearly at the latest; sooner if circumstances change.
        (
            today + chrono::Duration::days(1),
            next_yearly_review(today),
            next_yearly_review(today),
        )
    }
}

/// Sign the plan off. Every part this copy holds (but the private notes)
/// is covered by the signed version.
pub fn sign(
    doc: &mut PlanDoc,
    worker: &DeviceActor,
    carer_name: &str,
    worker_name: &str,
    carer_agreed: bool,
    review: NaiveDate,
    today: NaiveDate,
    now_ms: i64,
) -> Result<(), SignError> {
    if !carer_agreed {
        return Err(SignError::CarerHasNotAgreed);
    }
    let (carer_name, worker_name) = (carer_name.trim(), worker_name.trim());
    if carer_name.is_empty() || worker_name.is_empty() {
        return Err(SignError::MissingName);
    }
    let plan = doc.plan()?;
    let (earliest, latest, _) = review_range(&plan, today);
    if review < earliest || review > latest {
        return Err(SignError::ReviewOutOfRange {
            earliest: super::date::long_date(earliest),
            latest: super::date::long_date(latest),
        });
    }
    let heads: Vec<String> = signed_heads(doc).iter().map(|h| h.to_string()).collect();
    let carer = plan
        .participants
        .iter()
        .find(|(_, p)| p.role == super::plan::Role::Carer)
        .map(|(d, _)| d.clone())
        .unwrap_or_default();
    let carer_sig = Signature {
        name: carer_name.into(),
        actor: carer,
        at: now_ms,
    };
    let worker_sig = Signature {
        name: worker_name.into(),
        actor: worker.as_str().into(),
        at: now_ms,
    };
    let id = item_id().map_err(DocError::from)?;
    doc.change("Signed off the plan", now_ms, |p| {
        p.sign_off.carer = Some(carer_sig.clone());
        p.sign_off.worker = Some(worker_sig.clone());
        p.sign_off.signed_versions.push(SignedVersion {
            id: id.clone(),
            heads: heads.clone(),
            carer: carer_sig.clone(),
            worker: worker_sig.clone(),
            review_due: Some(review),
        });
        if let Some(last) = p.review.next_due {
            if last <= today {
                p.review.last_reviewed = Some(today);
            }
        }
        p.review.next_due = Some(review);
    })?;
    Ok(())
}

/// The heads of the parts a signed version covers: all but the plan part
/// (which records the signing itself) and the private notes.
fn signed_heads(doc: &PlanDoc) -> Vec<automerge::ChangeHash> {
    let mut out = Vec::new();
    for part in doc.parts() {
        if *part != Part::Plan && part.shareable() {
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
    let covered = |part: &Part| {
        doc.part_doc(part)
            .is_some_and(|d| !super::document::known_to(d, &signed).is_empty())
    };
    let changed = doc.changes_since(&signed).iter().any(|c| {
        c.part != Part::Plan
            && c.part.shareable()
            && covered(&c.part)
            && !super::part::is_genesis_actor(&c.actor)
    });
    if changed {
        SignStatus::ChangedSince(last)
    } else {
        SignStatus::Signed(last)
    }
}
