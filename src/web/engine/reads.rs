//! The engine's reading service: what a screen shows of a plan beyond its
//! answers, which grows with everything ever typed in it — the history,
//! what others changed since the person last looked (the plan as they knew
//! it, read at older heads), and "Download my data". Read from the plan as
//! stored with the page's unsaved changes, so the page's thread never
//! walks the plan's history. [`readout`] is also what the page runs when
//! no engine can.

use super::protocol::{Read, Reading, Readout, Reply};
use super::storage::db;
use crate::doc::{history, takeout, DocError, PlanDoc};
use crate::plan::DeviceActor;
use crate::web::platform::plan_store::{self, OpenError};

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
    let mut doc = match plan_store::load(&db, &ask.plan, &actor).await {
        Ok((doc, _)) => doc,
        Err(OpenError::Store(e)) => return Reply::Failed(e.to_string()),
        Err(OpenError::NotFound | OpenError::Damaged { .. }) => {
            return Reply::Failed("the plan is not stored here".into())
        }
    };
    if !ask.unsaved.is_empty() {
        if let Err(e) = doc.apply_saved(&ask.unsaved) {
            return Reply::Failed(e.to_string());
        }
    }
    match readout(&doc, &ask.what) {
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
    })
}
