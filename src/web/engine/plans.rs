//! The engine's plans service: a plan opened for the screens is read here,
//! as stored with the page's journal, and held (`held.rs`) for the reads
//! that follow it (its history, its banner, its sign-off status), so those
//! read only what was stored since. The first step of the open plan's
//! documents moving into the engine (docs/engine-documents.md).

use super::held::{self, NotHeld};
use super::protocol::{Change, Create, Journaled, Made, NotOpened, Open, Opened, Reply};
use super::storage;
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId};
use crate::store::ChunkLog;
use crate::web::words::Words;

/// Open a plan: its values, the sections this copy holds and its heads;
/// `NotOpened` when it is not stored here or its bytes cannot be read
/// (what the screens say, and the bytes to download); `Failed` when
/// storage failed. What the page journaled is made on
/// the plan as stored, and who uses the device recorded, then stored and
/// told to the other tabs before the answer.
pub async fn open(ask: Open) -> Reply {
    let (mut doc, mut log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(NotHeld::NotFound) => return Reply::NotOpened(NotOpened::NotFound),
        Err(NotHeld::Damaged { error, raw }) => {
            return Reply::NotOpened(NotOpened::Damaged {
                message: error.words(),
                raw,
            })
        }
        Err(why) => return Reply::Failed(why.to_string()),
    };
    // Changes the page journaled: merged as the page merges them on
    // opening (a journal that cannot be read is left, as there).
    if !ask.journal.is_empty() {
        let _ = doc.apply_saved(&ask.journal);
    }
    let Some(device) = DeviceActor::for_device(&ask.device) else {
        return Reply::Failed("not a device id".into());
    };
    let at = js_sys::Date::now() as i64;
    // An earlier release's journal (JSON) first, then this release's.
    let earlier: Journaled = ask
        .earlier_journal
        .as_deref()
        .and_then(|json| serde_json::from_str(json).ok())
        .unwrap_or_default();
    for (field, text) in earlier.typed.iter().chain(&ask.journaled.typed) {
        // One the answer's limit refuses was refused on screen too.
        let _ = doc.type_answer(field, text, at);
    }
    for (named, at_ms) in earlier.named.iter().chain(&ask.journaled.named) {
        let _ = named.make(&mut doc, &device, *at_ms);
    }
    if let Some(me) = ask.me {
        if doc.participant(&device).as_ref() != Some(&me) {
            let _ = doc.ensure_participant(&device, me, at);
        }
    }
    if !log.is_saved(&doc) {
        if let Err(why) = storage::store_for(&doc, &mut log, &ask.plan, ask.by).await {
            // No storage here at all: the plan held is the only copy.
            if super::db::db().await.is_ok() {
                return Reply::Failed(why);
            }
        }
    }
    opened(ask.plan, doc, log)
}

/// The plan's values, sections and heads for the screens; the plan held.
fn opened(plan: PlanId, doc: PlanDoc, log: ChunkLog) -> Reply {
    let opened = doc.plan().map(|values| Opened {
        plan: values,
        parts: doc.parts().cloned().collect(),
        heads: doc.version_token(),
    });
    held::keep(plan, doc, log);
    match opened {
        Ok(opened) => Reply::Opened(Box::new(opened)),
        Err(e) => Reply::Failed(e.to_string()),
    }
}

/// Start a new plan with the id the page gave it, in the framework it
/// starts with, store it (the other tabs told) and open it.
pub async fn create(ask: Create) -> Reply {
    let Some(device) = DeviceActor::for_device(&ask.device) else {
        return Reply::Failed("not a device id".into());
    };
    let Ok(session) = device.new_session() else {
        return Reply::Failed("no session for the device".into());
    };
    let framework = crate::plan::framework::Framework::for_plan(&ask.framework);
    let indicators: Vec<&str> = framework.indicators.iter().map(|i| i.id.as_str()).collect();
    let doc = match PlanDoc::create_with_id(
        ask.plan.clone(),
        &session,
        ask.me,
        &framework.id,
        &indicators,
        ask.at_ms,
    ) {
        Ok(doc) => doc,
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let mut log = ChunkLog::empty();
    if storage::store_for(&doc, &mut log, &ask.plan, ask.by)
        .await
        .is_err()
    {
        // No storage here at all: held in memory, and the save line says
        // nothing is kept; storage that failed otherwise: not made.
        if super::db::db().await.is_ok() {
            return Reply::Failed("the new plan could not be stored".into());
        }
    }
    opened(ask.plan, doc, log)
}

/// Make a named change in the plan held for the page, store it (with the
/// plan's list entry) and tell the other tabs; answer with the chunk, for
/// the asking page to take into its copy. A plan that could not be stored
/// is not held (the next request reads it from storage), and the page then
/// makes the change itself.
pub async fn change(ask: Change) -> Reply {
    let (mut doc, mut log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why.to_string()),
    };
    // The page's changes not stored yet: stored with this one (the page
    // stores them too; the same change twice is one change).
    if !ask.unsaved.is_empty() {
        if let Err(e) = doc.apply_stored(&ask.unsaved) {
            return Reply::Failed(e.to_string());
        }
    }
    let Some(device) = DeviceActor::for_device(&ask.device) else {
        return Reply::Failed("not a device id".into());
    };
    match ask.named.make(&mut doc, &device, ask.at_ms) {
        Ok(true) => {}
        // Nothing to make (asked again of a new engine after one that made
        // it stopped before it answered): a change not shown before its
        // answer still answers with the plan's values, for the page to show.
        Ok(false) => {
            let reply = match ask.named.shown_at_once() {
                true => Reply::Changed(None),
                false => made(&doc, None),
            };
            held::keep(ask.plan, doc, log);
            return reply;
        }
        // Refused (the page checked it against the plan on screen, so
        // something stored since decides): the page makes it itself and
        // says why in its words.
        Err(e) => return Reply::Failed(e.to_string()),
    }
    let chunk = match storage::store_for(&doc, &mut log, &ask.plan, ask.by).await {
        Ok(chunk) => chunk,
        Err(why) => {
            held::keep_unstored(ask.plan, doc, log).await;
            return Reply::NotStored(why);
        }
    };
    // A change not shown before its answer (a sign-off, a choice kept):
    // the plan's values after it go with the chunk, read here rather than
    // on the page.
    let reply = match ask.named.shown_at_once() {
        false => made(&doc, chunk),
        true => Reply::Changed(chunk),
    };
    held::keep(ask.plan, doc, log);
    reply
}

/// A change not shown before its answer, made: the plan's values after it
/// (`Changed` when they cannot be read).
fn made(doc: &PlanDoc, chunk: Option<super::protocol::Chunk>) -> Reply {
    match doc.plan() {
        Ok(plan) => Reply::Made(Box::new(Made {
            chunk,
            plan,
            heads: doc.version_token(),
            parts: doc.parts().cloned().collect(),
        })),
        Err(_) => Reply::Changed(chunk),
    }
}
