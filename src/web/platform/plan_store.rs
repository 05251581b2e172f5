//! A plan's chunks in IndexedDB: load, save (incremental or compacting),
//! read another tab's saves, list, delete. The bookkeeping is
//! `crate::store`; this module only moves bytes.

use crate::doc::{DocError, PlanDoc};
use crate::plan::summary::{PlanStatus, PlanSummary};
use crate::plan::{DeviceActor, PlanId};
use crate::share::backup::{self, BackupError};
use crate::store::{self, ChunkKey, ChunkKind, ChunkLog, Chunks, PendingSave};
use wasm_bindgen::JsValue;

use super::idb::{Db, StoreError, Write};

/// Why a plan could not be opened.
#[derive(Debug)]
pub enum OpenError {
    /// Storage itself failed.
    Store(StoreError),
    /// Nothing is stored under this id.
    NotFound,
    /// The bytes are there but cannot be read; they are left untouched and
    /// given back so the person can download them.
    Damaged { error: DocError, raw: Vec<u8> },
}

fn key_range(id: &PlanId) -> (String, String) {
    ChunkKey::range_for(id)
}

async fn stored_chunks(db: &Db, id: &PlanId) -> Result<Chunks, StoreError> {
    let (lo, hi) = key_range(id);
    Ok(db
        .chunks_in(&lo, &hi)
        .await?
        .into_iter()
        .filter_map(|(k, v)| ChunkKey::parse(&k).map(|k| (k, v)))
        .collect())
}

pub async fn load(
    db: &Db,
    id: &PlanId,
    actor: &DeviceActor,
) -> Result<(PlanDoc, ChunkLog), OpenError> {
    let chunks = plan_chunks(db, id).await?;
    let loaded = ChunkLog::load(chunks.clone(), actor);
    checked(loaded, id, chunks)
}

/// A plan's stored chunks; `NotFound` if there are none.
async fn plan_chunks(db: &Db, id: &PlanId) -> Result<Chunks, OpenError> {
    let chunks = stored_chunks(db, id).await.map_err(OpenError::Store)?;
    if chunks.is_empty() {
        return Err(OpenError::NotFound);
    }
    Ok(chunks)
}

/// Hold the page's thread for a plan's parts no longer than this before
/// the browser has a turn (see [`load_giving_turns`]).
const TURN_AFTER_MS: f64 = 20.0;

/// As [`load`], on the page: one part of the plan at a time, the browser
/// given a turn to paint and answer whenever loading has held its thread
/// for a while, so a long plan opens without freezing the page for the
/// whole of it (a part's own load cannot be cut).
pub async fn load_giving_turns(
    db: &Db,
    id: &PlanId,
    actor: &DeviceActor,
) -> Result<(PlanDoc, ChunkLog), OpenError> {
    let chunks = plan_chunks(db, id).await?;
    let loaded = async {
        let mut loading = ChunkLog::start_load(chunks.clone(), actor)?;
        let mut since = js_sys::Date::now();
        loop {
            let more = loading.step()?;
            if js_sys::Date::now() - since >= TURN_AFTER_MS {
                super::events::next_turn().await;
                since = js_sys::Date::now();
            }
            if !more {
                // Reading the whole plan once, to check it, is a step too.
                break loading.finish();
            }
        }
    }
    .await;
    checked(loaded, id, chunks)
}

/// A plan loaded from `chunks`, or why it cannot be opened (with the
/// chunks' bytes, untouched, for the person to download).
fn checked(
    loaded: Result<(PlanDoc, ChunkLog), DocError>,
    id: &PlanId,
    chunks: Chunks,
) -> Result<(PlanDoc, ChunkLog), OpenError> {
    match loaded {
        Ok((doc, log)) if doc.plan_id() == id => Ok((doc, log)),
        Ok(_) => Err(OpenError::Damaged {
            error: DocError::DifferentPlan,
            raw: store::concatenate(chunks),
        }),
        Err(error) => Err(OpenError::Damaged {
            error,
            raw: store::concatenate(chunks),
        }),
    }
}

/// A save ready to write, and what to record once it is written.
pub struct PreparedSave {
    pub write: Write,
    key: ChunkKey,
    pending: PendingSave,
    compacting: Option<Vec<ChunkKey>>,
}

/// What the next save writes: an increment, or, when the increments have
/// outgrown the snapshot, a new snapshot replacing the chunks this copy knows.
/// `summary`: the list entry from the plan as the screen already has it,
/// when it is the one on screen, so it needs no read of the whole plan.
/// `compact_here`: whether outgrown increments are compacted in this save
/// (`false` when the engine worker will compact them from storage, so the
/// page's thread never saves the whole plan while someone types).
pub fn prepare(
    doc: &PlanDoc,
    summary: Option<PlanSummary>,
    log: &ChunkLog,
    now_ms: i64,
    nonce: u32,
    compact_here: bool,
) -> Option<PreparedSave> {
    let pending = log.pending(doc)?;
    let summary = summary
        .or_else(|| doc.plan().ok().map(|p| PlanSummary::of(&p, now_ms)))
        .and_then(|s| serde_json::to_string(&s).ok());
    let mut write = Write::default();
    if let Some(json) = summary {
        write.put_plans.push((doc.plan_id().to_string(), json));
    }
    let compact = (compact_here && log.should_compact()) || log.next_kind() == ChunkKind::Snapshot;
    if compact {
        let key = ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, now_ms, nonce);
        let removed = log.compactable();
        let snapshot = doc.save();
        write
            .put_chunks
            .push((key.as_str().to_owned(), snapshot.clone()));
        write.delete_chunks = removed.iter().map(|k| k.as_str().to_owned()).collect();
        Some(PreparedSave {
            write,
            key,
            pending: PendingSave {
                bytes: snapshot,
                heads: pending.heads,
            },
            compacting: Some(removed),
        })
    } else {
        let key = ChunkKey::new(doc.plan_id(), ChunkKind::Increment, now_ms, nonce);
        write
            .put_chunks
            .push((key.as_str().to_owned(), pending.bytes.clone()));
        Some(PreparedSave {
            write,
            key,
            pending,
            compacting: None,
        })
    }
}

impl PreparedSave {
    /// Whether this save compacts the plan's chunks.
    pub fn compacts(&self) -> bool {
        self.compacting.is_some()
    }

    /// The chunk this save writes, as written (its key and bytes), when it
    /// adds one beside the others (`None` when it compacts them: whoever
    /// takes it in reads storage).
    pub fn increment(&self) -> Option<(String, Vec<u8>)> {
        self.compacting
            .is_none()
            .then(|| (self.key.as_str().to_owned(), self.pending.bytes.clone()))
    }

    /// Take the write out to perform it; keep the rest to record afterwards.
    pub fn take_write(&mut self) -> Write {
        std::mem::take(&mut self.write)
    }

    /// The write succeeded: record it.
    pub fn record(self, log: &mut ChunkLog) {
        match self.compacting {
            Some(removed) => log.compacted(
                self.key,
                self.pending.bytes.len(),
                &removed,
                self.pending.heads,
            ),
            None => log.written(self.key, &self.pending),
        }
    }
}

/// Chunks another tab (or the engine worker) wrote that this copy has not
/// read, plus the keys now in storage (so chunks compacted away can be
/// forgotten). Only the unread chunks' bytes are read: a tab's save costs
/// the tabs that take it in what it added, not the whole plan.
pub async fn unseen(
    db: &Db,
    id: &PlanId,
    log: &ChunkLog,
) -> Result<(Chunks, Vec<ChunkKey>), StoreError> {
    let (lo, hi) = key_range(id);
    let keys: Vec<ChunkKey> = db
        .chunk_keys_in(&lo, &hi)
        .await?
        .iter()
        .filter_map(|k| ChunkKey::parse(k))
        .collect();
    let mut chunks = Chunks::new();
    for key in log.unseen(&keys) {
        // Compacted away since the keys were read: what it held is in the
        // snapshot that replaced it, which that tab's announcement brings.
        if let Some(bytes) = db.chunk(key.as_str()).await? {
            chunks.push((key, bytes));
        }
    }
    Ok((chunks, keys))
}

/// Every plan listed on this device, most recently changed first. An entry
/// that cannot be read is passed over (its plan's bytes are not touched).
pub async fn list(db: &Db) -> Result<Vec<PlanSummary>, StoreError> {
    let mut out: Vec<PlanSummary> = db
        .plan_summaries()
        .await?
        .iter()
        // An entry whose plan id is not one does not read (`PlanId`'s serde).
        .filter_map(|json| summary_from(json))
        .collect();
    out.sort_by_key(|s| std::cmp::Reverse(s.updated_at));
    Ok(out)
}

/// A list entry as stored (JSON, serde's form of [`PlanSummary`], written
/// by every release), read with the browser's own `JSON` as serde reads it:
/// the fields added later are optional, a review date that is not one reads
/// as none, and an entry of any other shape does not read. The page module
/// thus lists plans with no JSON code of its own (issue #21).
pub fn summary_from(json: &str) -> Option<PlanSummary> {
    use super::local::{field, optional, strings, whole};
    let v = js_sys::JSON::parse(json).ok()?;
    let f = |name: &str| field(&v, name);
    // `#[serde(default)]` strings: missing is "", anything but a string fails.
    let text_or_empty = |name: &str| -> Option<String> {
        let value = f(name);
        if value.is_undefined() {
            return Some(String::new());
        }
        value.as_string()
    };
    let status = match f("status").as_string()?.as_str() {
        "draft" => PlanStatus::Draft,
        "signed-off" => PlanStatus::SignedOff,
        _ => return None,
    };
    let pair = |p: &JsValue| match strings(p)?.as_slice() {
        [area, level] => Some((area.clone(), level.clone())),
        _ => None,
    };
    let rank = |r: &JsValue| usize::try_from(whole(r)?).ok();
    Some(PlanSummary {
        plan_id: PlanId::parse(&f("plan_id").as_string()?)?,
        name: f("name").as_string()?,
        full_name: text_or_empty("full_name")?,
        preferred_name: text_or_empty("preferred_name")?,
        updated_at: whole(&f("updated_at"))?,
        status,
        last_shared: optional(&f("last_shared"), whole)?,
        review_due: optional(&f("review_due"), JsValue::as_string)?
            .as_deref()
            .and_then(crate::plan::date::parse_iso),
        highest_impact: optional(&f("highest_impact"), pair)?,
        highest_rank: optional(&f("highest_rank"), rank)?,
    })
}

/// Remove every byte of a plan: its chunks and its list entry, in one transaction.
pub async fn delete(db: &Db, id: &PlanId) -> Result<(), StoreError> {
    db.write(Write {
        delete_chunk_range: Some(key_range(id)),
        delete_plans: vec![id.to_string()],
        ..Write::default()
    })
    .await
}

/// What restoring one plan of a backup did to this device's storage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Restoring {
    /// New to this device: stored as the backup holds it.
    Added,
    /// Merged into the copy stored here (never overwriting it).
    Merged,
    /// The copy here already had everything: nothing written.
    Unchanged,
    /// The copy here cannot be read: left exactly as it is.
    Skipped,
}

/// How many plans of a backup each [`Restoring`] befell.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Tally {
    pub added: u32,
    pub merged: u32,
    pub unchanged: u32,
    pub skipped: u32,
}

impl Tally {
    /// Count one plan; `true` if it was written (others must hear of it).
    pub fn count(&mut self, r: Restoring) -> bool {
        let n = match r {
            Restoring::Added => &mut self.added,
            Restoring::Merged => &mut self.merged,
            Restoring::Unchanged => &mut self.unchanged,
            Restoring::Skipped => &mut self.skipped,
        };
        *n += 1;
        matches!(r, Restoring::Added | Restoring::Merged)
    }
}

/// Merge one checked plan of a backup into the copy stored here, if any, and
/// write the result with its list entry in one transaction.
pub async fn restore_plan<E: From<BackupError> + From<StoreError>>(
    db: &Db,
    actor: &DeviceActor,
    theirs: PlanDoc,
    now_ms: i64,
    nonce: u32,
) -> Result<Restoring, E> {
    let (kept, log, existed) = match load(db, theirs.plan_id(), actor).await {
        Ok((mine, log)) => (backup::merge_into(Some(mine), theirs)?, log, true),
        Err(OpenError::NotFound) => (theirs, ChunkLog::empty(), false),
        Err(OpenError::Damaged { .. }) => return Ok(Restoring::Skipped),
        Err(OpenError::Store(e)) => return Err(e.into()),
    };
    let Some(mut save) = prepare(&kept, None, &log, now_ms, nonce, true) else {
        return Ok(Restoring::Unchanged);
    };
    db.write(save.take_write()).await?;
    Ok(if existed {
        Restoring::Merged
    } else {
        Restoring::Added
    })
}
