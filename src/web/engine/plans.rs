//! The engine's plans service: a plan opened for the screens is read here,
//! as stored with the page's journal, and held (`held.rs`) for the reads
//! that follow it (its history, its banner, its sign-off status), so those
//! read only what was stored since. The first step of the open plan's
//! documents moving into the engine (docs/engine-documents.md): the page
//! still loads its own copy, which makes its changes.

use super::held;
use super::protocol::{Open, Opened, Reply};

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
        heads: doc.heads().iter().map(|h| h.to_string()).collect(),
    });
    held::keep(ask.plan, doc, log);
    match opened {
        Ok(opened) => Reply::Opened(Box::new(opened)),
        Err(e) => Reply::Failed(e.to_string()),
    }
}
