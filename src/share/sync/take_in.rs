//! Bundles from other devices into the plan: the first copy of a plan a
//! device joins, and every update after it, merged as a share file is
//! (both sides' edits kept, long answers both changed reported), with no
//! import recorded in the plan (that would itself be sent back, for ever).
//!
//! Every bundle meets the same limits as a file (checked on a copy before
//! anything is merged), and what only one side may say is taken only from
//! that side's devices: "ready for the carer to agree" and the worker's
//! signature from a worker's device; the carer's agreement, disagreement
//! and consent (keeping in step started, changed, stopped) from a carer's
//! device (or, for the agreement, in a meeting on the worker's device);
//! a device names only people of its own role.

use super::sealed::Bundle;
use crate::doc::{bundle, DocError, PlanDoc};
use crate::plan::{DeviceActor, Plan, Role, Section};
use crate::share::exchange::{merge_changes, merge_fast_forward, ImportError, MergeReport};

/// Why a bundle was not merged. Nothing changes.
#[derive(Debug)]
pub enum TakeError {
    /// Over a limit of the plan, or not a plan's changes.
    Import(ImportError),
    /// It changes what only the other side may say.
    NotTheirs,
    /// It builds on changes that have not come yet (another device's
    /// bundle, or another tab's, still on its way): it waits for them.
    NotYet,
}

impl From<ImportError> for TakeError {
    fn from(e: ImportError) -> Self {
        TakeError::Import(e)
    }
}

impl From<DocError> for TakeError {
    fn from(e: DocError) -> Self {
        TakeError::Import(e.into())
    }
}

/// The plan as the bundles so far hold it: checked against every limit of
/// a plan, as a share file is.
pub fn first_copy(bundles: &[&Bundle], actor: &DeviceActor) -> Result<PlanDoc, ImportError> {
    let bytes: Vec<u8> = bundles
        .iter()
        .flat_map(|b| b.changes.iter().copied())
        .collect();
    Ok(PlanDoc::load_incoming(&bytes, actor)?)
}

/// Merge one bundle, written by a device of role `from`, into this copy.
pub fn take_in(mine: &mut PlanDoc, bundle: &Bundle, from: Role) -> Result<MergeReport, TakeError> {
    let changed: Vec<Section> = bundle::split(&bundle.changes)
        .map_err(|_| TakeError::Import(ImportError::Plan(DocError::NotAPlan)))?
        .into_keys()
        .collect();
    let mut theirs = mine.fork_for_preview();
    if !bundle.changes.is_empty() {
        match theirs.apply_saved(&bundle.changes) {
            Err(DocError::MissingChanges) => return Err(TakeError::NotYet),
            other => other?,
        }
    }
    if theirs.heads() != mine.heads() {
        theirs.check_limits_of(&changed)?;
        // What only one side may say lives in the plan part.
        if changed.contains(&Section::Plan) {
            let read = |d: &PlanDoc| -> Result<Plan, DocError> {
                let mut p = Plan::default();
                d.read_part(&Section::Plan, &mut p)?;
                Ok(p)
            };
            if !allowed_for(&read(mine)?, &read(&theirs)?, from) {
                return Err(TakeError::NotTheirs);
            }
        }
    }
    // Written on top of all of ours (the usual live update): no conflict
    // can come of it, so none is looked for.
    let fast_forward = !bundle.header.parts.is_empty()
        && changed.iter().all(|part| {
            let theirs_heads = bundle
                .header
                .parts
                .iter()
                .find(|(p, _)| p == part)
                .map(|(_, h)| h.clone())
                .unwrap_or_default();
            let mine_heads = mine.part_heads(std::slice::from_ref(part));
            let mine_heads: Vec<_> = mine_heads.into_iter().flat_map(|(_, h)| h).collect();
            theirs.written_after(part, &mine_heads, &theirs_heads)
        });
    if fast_forward {
        return Ok(merge_fast_forward(mine, theirs)?);
    }
    Ok(merge_changes(mine, theirs)?)
}

/// Whether a device of role `from` may have made the difference between
/// `before` and `after`.
pub fn allowed_for(before: &Plan, after: &Plan, from: Role) -> bool {
    let worker_only = before.ready_at == after.ready_at
        && before.sign_off.worker == after.sign_off.worker
        && before.sign_off.signed_versions == after.sign_off.signed_versions;
    let in_meeting = after.agreed_in_meeting == Some(true);
    let agreement_same = before.agreed_at == after.agreed_at
        && before.agreed_by == after.agreed_by
        && before.disagreed_at == after.disagreed_at
        && before.disagreement == after.disagreement;
    let consent_same = {
        let keep = |p: &Plan| -> Vec<String> {
            p.shares
                .iter()
                .filter(|s| s.id.starts_with("keep-"))
                .map(|s| s.id.clone())
                .collect()
        };
        keep(before) == keep(after)
    };
    let people_ok = after
        .participants
        .iter()
        .all(|(actor, p)| before.participants.get(actor) == Some(p) || p.role == from);
    people_ok
        && match from {
            Role::Carer => worker_only,
            Role::KeyWorker => consent_same && (agreement_same || in_meeting),
        }
}
