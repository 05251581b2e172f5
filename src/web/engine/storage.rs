//! The engine's way into storage: the same IndexedDB and chunk log as the
//! page's tabs (`platform/plan_store.rs`), written as one more tab writes.

use std::cell::OnceCell;

use crate::doc::PlanDoc;
use crate::plan::PlanId;
use crate::store::ChunkLog;
use crate::web::platform::idb::{Db, StoreError};
use crate::web::platform::plan_store;
use crate::web::platform::tabs::{Compacted, TabMessage, Tabs};

use super::db::{self, db};
use super::protocol::{Chunk, Compact, Reply, Store};
use crate::plan::DeviceActor;
use crate::store::{ChunkKey, ChunkKind};
use crate::web::platform::idb::Write;

thread_local! {
    /// The engine's own end of the tabs' channel.
    static TABS: OnceCell<Tabs> = const { OnceCell::new() };
}

/// Write a save the page prepared, whole, in one transaction, and tell the
/// other tabs (not the page that asked: it has the change). On a failure
/// the database is opened afresh next time, and the page writes this one
/// itself (its own error then says why, in its words).
pub async fn store(ask: Store) -> Reply {
    let Store { plan, write, by } = ask;
    let written = match db().await {
        Ok(db) => db.write(write).await,
        Err(e) => Err(e),
    };
    match written {
        Ok(()) => {
            tell_tabs(TabMessage::Saved {
                plan,
                by: Some(by),
                compacted: None,
            });
            Reply::Written
        }
        Err(e) => {
            db::reopen_next_time();
            Reply::Failed(e.to_string())
        }
    }
}

/// Replace a plan's stored chunks (those the page named, every one still
/// there) by one snapshot of them, in one transaction, and tell the other
/// tabs. The snapshot holds exactly the changes of those chunks: it is
/// loaded from storage, never from the page, and nothing is changed in it.
pub async fn compact(ask: Compact) -> Reply {
    let by = Some(ask.by);
    compact_for(ask, by).await
}

/// [`compact`], told to the tabs as made for the page `by`, or for none
/// (the engine compacts the keys it stored itself: every page records it).
pub(in crate::web::engine) async fn compact_for(ask: Compact, by: Option<u32>) -> Reply {
    let Compact {
        plan,
        chunks,
        device,
        ..
    } = ask;
    let Some(actor) = DeviceActor::for_device(&device).and_then(|d| d.new_session().ok()) else {
        return Reply::Failed("not a device id".into());
    };
    let db = match db().await {
        Ok(db) => db,
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let asked: Vec<ChunkKey> = chunks.iter().filter_map(|k| ChunkKey::parse(k)).collect();
    let (lo, hi) = ChunkKey::range_for(&plan);
    let stored = match db.chunks_in(&lo, &hi).await {
        Ok(stored) => stored,
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let found: Vec<(ChunkKey, Vec<u8>)> = stored
        .into_iter()
        .filter_map(|(k, v)| ChunkKey::parse(&k).map(|k| (k, v)))
        .filter(|(k, _)| asked.contains(k))
        .collect();
    // Another tab compacted some of them meanwhile: its snapshot holds them.
    if asked.is_empty() || found.len() != asked.len() || asked.len() != chunks.len() {
        return Reply::Failed("the chunks changed".into());
    }
    let snapshot = match ChunkLog::load(found, &actor) {
        Ok((doc, _)) if doc.plan_id() == &plan => doc.save(),
        Ok(_) => return Reply::Failed("another plan's chunks".into()),
        Err(e) => return Reply::Failed(e.to_string()),
    };
    let now = js_sys::Date::now() as i64;
    let nonce = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let key = ChunkKey::new(&plan, ChunkKind::Snapshot, now, nonce);
    let len = snapshot.len() as u64;
    let write = Write {
        put_chunks: vec![(key.as_str().to_owned(), snapshot)],
        delete_chunks: chunks.clone(),
        ..Write::default()
    };
    match db.write(write).await {
        Ok(()) => {
            // The plan held here, and the other tabs, record the snapshot
            // without reading it when they had read every chunk it replaced.
            super::held::replaced(&plan, &key, len as usize, &asked);
            tell_tabs(TabMessage::Saved {
                plan,
                by,
                compacted: Some(Compacted {
                    key: key.as_str().to_owned(),
                    len,
                    removed: chunks,
                }),
            });
            Reply::Compacted {
                key: key.as_str().to_owned(),
                len,
            }
        }
        Err(e) => {
            db::reopen_next_time();
            Reply::Failed(e.to_string())
        }
    }
}

/// Tell the other tabs (and every page but the one that asked, when
/// `by` names it) that a plan changed in storage; keeping in step seals it.
pub(in crate::web::engine) fn tell_tabs(message: TabMessage) {
    if let TabMessage::Saved { plan, .. } = &message {
        super::live::changed(plan);
    }
    listen_tabs();
    TABS.with(|tabs| {
        if let Some(tabs) = tabs.get() {
            tabs.announce(&message);
        }
    });
}

/// Listen on the tabs' channel: another tab's save is sealed by keeping in
/// step here too (as each tab's page did before the engine kept in step).
pub(in crate::web::engine) fn listen_tabs() {
    TABS.with(|tabs| {
        tabs.get_or_init(|| {
            Tabs::listen(|message| {
                if let TabMessage::Saved { plan, .. } = message {
                    super::live::changed(&plan);
                }
            })
        });
    });
}

/// Write what the stored chunks (`log`) do not hold of `doc`, with the
/// plan's list entry, in one transaction. `false`: nothing to write.
pub async fn write(db: &Db, doc: &PlanDoc, log: &ChunkLog) -> Result<bool, StoreError> {
    let Some(mut save) = prepare(doc, log, true) else {
        return Ok(false);
    };
    db.write(save.take_write()).await?;
    Ok(true)
}

/// Store a change the engine made in a plan for a page (`by`): what `log`
/// does not hold of `doc`, with the plan's list entry, recorded in `log`,
/// and the other tabs told. The chunk is for the asking page's own copy.
/// `Err`: a technical detail (nothing was recorded).
pub(in crate::web::engine) async fn store_for(
    doc: &PlanDoc,
    log: &mut ChunkLog,
    plan: &PlanId,
    by: u32,
) -> Result<Option<Chunk>, String> {
    let mut save = prepare(doc, log, false).ok_or("nothing to store")?;
    let chunk = save.increment().map(|(key, bytes)| Chunk { key, bytes });
    let db = db().await.map_err(|e| e.to_string())?;
    db.write(save.take_write())
        .await
        .map_err(|e| e.to_string())?;
    save.record(log);
    tell_tabs(TabMessage::Saved {
        plan: plan.clone(),
        by: Some(by),
        compacted: None,
    });
    Ok(chunk)
}

/// A save of what `log` does not hold of `doc`, with the plan's list entry,
/// keyed by the time now (`plan_store::prepare`).
pub(in crate::web::engine) fn prepare(
    doc: &PlanDoc,
    log: &ChunkLog,
    compact_here: bool,
) -> Option<plan_store::PreparedSave> {
    let now = js_sys::Date::now() as i64;
    let nonce = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    plan_store::prepare(doc, None, log, now, nonce, compact_here)
}

/// Tell the tabs a plan changed in storage, as a tab does after it saves:
/// each merges it into the plan if it has it open, and lists it again.
pub fn announce(id: &PlanId) {
    tell_tabs(TabMessage::Saved {
        plan: id.clone(),
        by: None,
        compacted: None,
    });
}
