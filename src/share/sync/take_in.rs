//! Bundles from the other side into the plan: the first copy of a plan a
//! worker joins, and every update after it, merged as a share file is
//! (both sides' edits kept, long answers both changed reported), but with
//! no import recorded in the plan (that would itself be sent back, for
//! ever).

use super::sealed::Bundle;
use crate::doc::PlanDoc;
use crate::plan::DeviceActor;
use crate::share::exchange::{merge_changes, ImportError, MergeReport};

fn changes(bundles: &[Bundle]) -> Vec<u8> {
    bundles
        .iter()
        .flat_map(|b| b.changes.iter().copied())
        .collect()
}

/// The plan as the bundles so far hold it: checked against every limit of
/// a plan, as a share file is.
pub fn first_copy(bundles: &[Bundle], actor: &DeviceActor) -> Result<PlanDoc, ImportError> {
    Ok(PlanDoc::load_incoming(&changes(bundles), actor)?)
}

/// Merge the bundles' changes into this device's copy.
pub fn take_in(mine: &mut PlanDoc, bundles: &[Bundle]) -> Result<MergeReport, ImportError> {
    let bytes = changes(bundles);
    let mut theirs = mine.fork_for_preview();
    if !bytes.is_empty() {
        theirs.apply_saved(&bytes)?;
    }
    merge_changes(mine, theirs)
}
