//! The engine's plans service: a plan opened for the screens is read here,
//! as stored with the page's journal, and held (`held.rs`) for the reads
//! that follow it (its history, its banner, its sign-off status), so those
//! read only what was stored since. The first step of the open plan's
//! documents moving into the engine (docs/engine-documents.md): the page
//! still loads its own copy, which makes its changes.

use super::held;
use super::protocol::{Change, Made, Open, Opened, Reply};
use super::storage;

/// Open a plan: its values, the sections this copy holds and its heads;
/// `Failed` when it is not stored here or cannot be read (the page's own
/// load then says why, in its words).
pub async fn open(ask: Open) -> Reply {
    let (mut doc, log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why),
    };
    // Changes the page journaled: merged as the page merges them on
    // opening (a journal that cannot be read is left, as there).
    if !ask.journal.is_empty() {
        let _ = doc.apply_saved(&ask.journal);
    }
    let opened = doc.plan().map(|plan| Opened {
        plan,
        parts: doc.parts().cloned().collect(),
        heads: doc.version_token(),
    });
    held::keep(ask.plan, doc, log);
    match opened {
        Ok(opened) => Reply::Opened(Box::new(opened)),
        Err(e) => Reply::Failed(e.to_string()),
    }
}

/// Make a named change in the plan held for the page, store it (with the
/// plan's list entry) and tell the other tabs; answer with the chunk, for
/// the asking page to take into its copy. A plan that could not be stored
/// is not held (the next request reads it from storage), and the page then
/// makes the change itself.
pub async fn change(ask: Change) -> Reply {
    let (mut doc, mut log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why),
    };
    // The page's changes not stored yet: stored with this one (the page
    // stores them too; the same change twice is one change).
    if !ask.unsaved.is_empty() {
        if let Err(e) = doc.apply_stored(&ask.unsaved) {
            return Reply::Failed(e.to_string());
        }
    }
    let Some(device) = crate::plan::DeviceActor::for_device(&ask.device) else {
        return Reply::Failed("not a device id".into());
    };
    match ask.named.make(&mut doc, &device, ask.at_ms) {
        Ok(true) => {}
        Ok(false) => {
            held::keep(ask.plan, doc, log);
            return Reply::Changed(None);
        }
        // Refused (the page checked it against the plan on screen, so
        // something stored since decides): the page makes it itself and
        // says why in its words.
        Err(e) => return Reply::Failed(e.to_string()),
    }
    let chunk = match storage::store_for(&doc, &mut log, &ask.plan, ask.by).await {
        Ok(chunk) => chunk,
        Err(why) => return Reply::Failed(why),
    };
    // A change not shown before its answer (a sign-off, a choice kept):
    // the plan's values after it go with the chunk, read here rather than
    // on the page.
    let reply = match (ask.named.shown_at_once(), chunk) {
        (false, Some(chunk)) => match doc.plan() {
            Ok(plan) => Reply::Made(Box::new(Made {
                chunk,
                plan,
                heads: doc.version_token(),
            })),
            Err(_) => Reply::Changed(Some(chunk)),
        },
        (_, chunk) => Reply::Changed(chunk),
    };
    held::keep(ask.plan, doc, log);
    reply
}
