//! The engine's reading service: what a screen shows of a plan beyond its
//! answers, which grows with everything ever typed in it — the history,
//! what others changed since the person last looked (the plan as they knew
//! it, read at older heads), and "Download my data". Read from the plan as
//! stored with the page's unsaved changes, so the page's thread never
//! walks the plan's history. [`readout`] is also what the page runs when
//! no engine can.

use std::cell::RefCell;

use super::protocol::{Read, Reading, Readout, Reply, SignedRead};
use super::storage::db;
use crate::doc::{history, signoff, takeout, DocError, PlanDoc};
use crate::plan::answers::answers_of;
use crate::plan::distance::distance;
use crate::plan::{DeviceActor, Framework, PlanId};
use crate::store::ChunkLog;
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, OpenError};

/// How many plans the engine keeps read between two reads: the plan on
/// screen is read again whenever it changes (its history, its banner, its
/// sign-off status), so only what was stored since is read from storage.
const KEEP: usize = 3;

thread_local! {
    /// The plans read lately, the most recent last, each with the chunks
    /// of storage it holds (`ChunkLog`), as a tab keeps an open plan.
    static READ: RefCell<Vec<(PlanId, PlanDoc, ChunkLog)>> = const { RefCell::new(Vec::new()) };
}

/// Read the plan as asked; `Failed` (the page then reads it itself) when it
/// is not stored here or cannot be read.
pub async fn read(ask: Read) -> Reply {
    let Some(actor) = DeviceActor::for_device(&ask.device).and_then(|d| d.new_session().ok())
    else {
        return Reply::Failed("not a device id".into());
    };
    let db = match db().await {
        Ok(db) => db,
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let (mut doc, log) = match stored(&db, &ask.plan, &actor).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why),
    };
    // The page's changes not stored yet: they are the page's own and are
    // about to be stored (or journaled), so they stay in the plan kept.
    if !ask.unsaved.is_empty() {
        if let Err(e) = doc.apply_saved(&ask.unsaved) {
            return Reply::Failed(e.to_string());
        }
    }
    let out = readout(&doc, &ask.what);
    keep(ask.plan, doc, log);
    match out {
        Ok(out) => Reply::Read(out),
        Err(e) => Reply::Failed(e.to_string()),
    }
}

/// The plan as stored: the copy read last time with what was stored since,
/// or read whole.
async fn stored(
    db: &Db,
    plan: &PlanId,
    actor: &DeviceActor,
) -> Result<(PlanDoc, ChunkLog), String> {
    let kept = READ.with_borrow_mut(|read| {
        let at = read.iter().position(|(id, ..)| id == plan)?;
        Some(read.remove(at))
    });
    let Some((_, mut doc, mut log)) = kept else {
        return match plan_store::load(db, plan, actor).await {
            Ok(read) => Ok(read),
            Err(OpenError::Store(e)) => Err(e.to_string()),
            Err(OpenError::NotFound | OpenError::Damaged { .. }) => {
                Err("the plan is not stored here".into())
            }
        };
    };
    let (chunks, keys) = plan_store::unseen(db, plan, &log)
        .await
        .map_err(|e| e.to_string())?;
    // Deleted since (the whole plan is gone from storage).
    if keys.is_empty() {
        return Err("the plan is not stored here".into());
    }
    if !log.take_in(&mut doc, chunks, &keys) {
        return Err("a change stored since could not be read".into());
    }
    Ok((doc, log))
}

/// Keep a plan read for the next read, and no more than [`KEEP`].
fn keep(plan: PlanId, doc: PlanDoc, log: ChunkLog) {
    READ.with_borrow_mut(|read| {
        read.retain(|(id, ..)| *id != plan);
        read.push((plan, doc, log));
        while read.len() > KEEP {
            read.remove(0);
        }
    });
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
