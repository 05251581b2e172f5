//! The engine's reading service: what a screen shows of a plan beyond its
//! answers, which grows with everything ever typed in it — the history,
//! what others changed since the person last looked (the plan as they knew
//! it, read at older heads), and "Download my data". Read from the plan as
//! stored with the page's unsaved changes, so the page's thread never
//! walks the plan's history. [`readout`] is also what the page runs when
//! no engine can.

use super::held;
use super::protocol::{Read, Reading, Readout, Reply, SignedRead};
use crate::doc::{conflict, history, signoff, takeout, DocError, PlanDoc};
use crate::plan::answers::answers_of;
use crate::plan::distance::distance;
use crate::plan::Framework;

/// Read the plan as asked; `Failed` (the page then reads it itself) when it
/// is not stored here or cannot be read.
pub async fn read(ask: Read) -> Reply {
    let (mut doc, log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why.to_string()),
    };
    // The page's changes not stored yet: they are the page's own and are
    // about to be stored (or journaled), so they stay in the plan kept.
    if !ask.unsaved.is_empty() {
        if let Err(e) = doc.apply_stored(&ask.unsaved) {
            return Reply::Failed(e.to_string());
        }
    }
    let out = readout(&doc, &ask.what);
    held::keep(ask.plan, doc, log);
    match out {
        Ok(out) => Reply::Read(out),
        Err(e) => Reply::Failed(e.to_string()),
    }
}

/// What `what` asks of `doc`.
pub fn readout(doc: &PlanDoc, what: &Reading) -> Result<Readout, DocError> {
    Ok(match what {
        Reading::History => Readout::History(history::history(doc)),
        Reading::Unseen { seen, my_device } => {
            let seen: Vec<automerge::ChangeHash> =
                seen.iter().filter_map(|h| h.parse().ok()).collect();
            Readout::Unseen(history::unseen(doc, &seen, my_device))
        }
        Reading::Json => Readout::Json(takeout::json(doc)?),
        Reading::Automerge => Readout::Automerge(takeout::automerge_document(doc)?),
        Reading::SignStatus => Readout::SignStatus(signoff::status(doc)),
        Reading::Signed => Readout::Signed(signed(doc)),
        Reading::Version => Readout::Version(doc.version() as u64),
        Reading::Conflicts => Readout::Conflicts(conflict::choice_conflicts(doc)),
        Reading::Distance => {
            let fw = Framework::for_plan(&doc.plan()?.framework);
            Readout::Distance(distance(&signoff::signed_plans(doc), fw))
        }
    })
}

/// The last signed version's answers as signed, section by section.
fn signed(doc: &PlanDoc) -> Option<SignedRead> {
    let (version, then, covered) = signoff::signed_version(doc)?;
    let fw = Framework::for_plan(&doc.plan().ok()?.framework);
    let sections = covered
        .into_iter()
        .map(|section| {
            let rows: Vec<(String, String)> = answers_of(&then, &section, fw)
                .into_iter()
                .filter_map(|a| a.value.map(|v| (a.question, v)))
                .collect();
            (section, rows)
        })
        .filter(|(_, rows)| !rows.is_empty())
        .collect();
    Some(SignedRead { version, sections })
}
