//! What of a plan is saved on the device, and when to compact it.
//!
//! A plan is stored as chunks under keys `"{plan id}/{kind}{time}-{nonce}"`:
//! one snapshot (`s`, Automerge's compressed whole document) and the
//! increments (`i`, the changes since) written after each edit. Each tab
//! writes chunks under its own new keys, so two tabs never overwrite each
//! other's saves. When the increments outgrow the snapshot, one tab writes a
//! new snapshot and deletes only the chunks it has itself loaded; a chunk
//! another tab has just written survives until it has been merged.
//!
//! This module is the bookkeeping; the browser layer does the reading and
//! writing.

use std::collections::BTreeMap;

use automerge::ChangeHash;

use crate::doc::{DocError, Loading, PlanDoc};
use crate::plan::{DeviceActor, PlanId};

/// Increments are compacted once they are larger than the snapshot and
/// larger than this, so a young plan is not rewritten on every keystroke.
pub const MIN_COMPACT_BYTES: usize = 4 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChunkKind {
    Snapshot,
    Increment,
}

/// A chunk's storage key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ChunkKey(String);

impl ChunkKey {
    pub fn new(plan: &PlanId, kind: ChunkKind, now_ms: i64, nonce: u32) -> Self {
        let k = match kind {
            ChunkKind::Snapshot => 's',
            ChunkKind::Increment => 'i',
        };
        Self(format!("{plan}/{k}{:013}-{nonce:08x}", now_ms.max(0)))
    }

    pub fn parse(s: &str) -> Option<Self> {
        let (plan, rest) = s.split_once('/')?;
        PlanId::parse(plan)?;
        matches!(rest.as_bytes().first(), Some(b's' | b'i')).then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn kind(&self) -> ChunkKind {
        match self.0.split_once('/').map(|(_, r)| r.as_bytes().first()) {
            Some(Some(b's')) => ChunkKind::Snapshot,
            _ => ChunkKind::Increment,
        }
    }

    /// The plan whose chunk this is.
    pub fn plan(&self) -> Option<PlanId> {
        self.0.split_once('/').and_then(|(p, _)| PlanId::parse(p))
    }

    /// The range of keys holding one plan's chunks: `[lower, upper)`.
    pub fn range_for(plan: &PlanId) -> (String, String) {
        (format!("{plan}/"), format!("{plan}0"))
    }
}

/// The chunks of one plan as read from storage.
pub type Chunks = Vec<(ChunkKey, Vec<u8>)>;

/// Snapshots first, then increments, each in key (time) order: the order
/// that lets Automerge apply every change as soon as it is read.
pub fn load_order(chunks: &mut Chunks) {
    chunks.sort_by(|(a, _), (b, _)| {
        let rank = |k: &ChunkKey| matches!(k.kind(), ChunkKind::Increment);
        (rank(a), a).cmp(&(rank(b), b))
    });
}

/// All the chunks as one byte string, in load order: what "download the raw
/// saved data" gives when a plan cannot be opened.
pub fn concatenate(mut chunks: Chunks) -> Vec<u8> {
    load_order(&mut chunks);
    chunks.into_iter().flat_map(|(_, b)| b).collect()
}

/// Which chunks this copy of the document has read or written, their sizes,
/// and the document heads that are safely in storage.
#[derive(Debug, Clone)]
pub struct ChunkLog {
    known: BTreeMap<ChunkKey, usize>,
    persisted: Vec<ChangeHash>,
}

/// A plan being loaded from its stored chunks ([`ChunkLog::start_load`]).
#[derive(Debug)]
pub struct LoadingPlan {
    loading: Loading,
    known: BTreeMap<ChunkKey, usize>,
}

impl LoadingPlan {
    /// Load the next part; `Ok(true)` while parts are left. Fails, touching
    /// nothing stored, if a chunk is damaged.
    pub fn step(&mut self) -> Result<bool, DocError> {
        self.loading.step()
    }

    /// The plan, and what of it is in storage.
    pub fn finish(self) -> Result<(PlanDoc, ChunkLog), DocError> {
        // If loading migrated the document, the migration is not yet stored:
        // record the stored heads only, so the next save writes it.
        let (doc, stored) = self.loading.finish()?;
        Ok((
            doc,
            ChunkLog {
                known: self.known,
                persisted: stored,
            },
        ))
    }
}

/// A save waiting to be written: its bytes and the heads it brings storage to.
#[derive(Debug, Clone)]
pub struct PendingSave {
    pub bytes: Vec<u8>,
    pub heads: Vec<ChangeHash>,
}

impl ChunkLog {
    /// A log for a document that is not in storage at all yet.
    pub fn empty() -> Self {
        Self {
            known: BTreeMap::new(),
            persisted: Vec::new(),
        }
    }

    /// Load a plan from its stored chunks. Fails, touching nothing, if any
    /// chunk is damaged.
    pub fn load(chunks: Chunks, actor: &DeviceActor) -> Result<(PlanDoc, ChunkLog), DocError> {
        Self::start_load(chunks, actor)?.finish()
    }

    /// Start loading a plan from its stored chunks, to be loaded one part
    /// at a time ([`LoadingPlan::step`]), so the page paints between them.
    pub fn start_load(mut chunks: Chunks, actor: &DeviceActor) -> Result<LoadingPlan, DocError> {
        load_order(&mut chunks);
        let known = chunks.iter().map(|(k, b)| (k.clone(), b.len())).collect();
        let bytes: Vec<u8> = chunks.into_iter().flat_map(|(_, b)| b).collect();
        Ok(LoadingPlan {
            loading: Loading::start(&bytes, actor)?,
            known,
        })
    }

    /// The changes not yet in storage, if any.
    pub fn pending(&self, doc: &PlanDoc) -> Option<PendingSave> {
        let heads = doc.heads();
        if same_heads(&heads, &self.persisted) {
            return None;
        }
        Some(PendingSave {
            bytes: if self.persisted.is_empty() {
                doc.save()
            } else {
                doc.save_after(&self.persisted)
            },
            heads,
        })
    }

    /// The kind a pending save should be written as: the very first save of
    /// a plan is a snapshot.
    pub fn next_kind(&self) -> ChunkKind {
        if self.known.is_empty() {
            ChunkKind::Snapshot
        } else {
            ChunkKind::Increment
        }
    }

    /// A pending save was written under `key`.
    pub fn written(&mut self, key: ChunkKey, save: &PendingSave) {
        self.known.insert(key, save.bytes.len());
        self.persisted = save.heads.clone();
    }

    /// Whether the increments have outgrown the snapshot.
    pub fn should_compact(&self) -> bool {
        let (snap, inc) = self.sizes();
        inc > MIN_COMPACT_BYTES && inc > snap
    }

    /// (snapshot bytes, increment bytes) as far as this copy knows.
    pub fn sizes(&self) -> (usize, usize) {
        self.known
            .iter()
            .fold((0, 0), |(s, i), (k, len)| match k.kind() {
                ChunkKind::Snapshot => (s + len, i),
                ChunkKind::Increment => (s, i + len),
            })
    }

    /// The keys a compaction may delete: exactly the chunks this copy holds.
    pub fn compactable(&self) -> Vec<ChunkKey> {
        self.known.keys().cloned().collect()
    }

    /// A snapshot of `heads` was written under `key` and `removed` deleted.
    pub fn compacted(
        &mut self,
        key: ChunkKey,
        len: usize,
        removed: &[ChunkKey],
        heads: Vec<ChangeHash>,
    ) {
        for k in removed {
            self.known.remove(k);
        }
        self.known.insert(key, len);
        self.persisted = heads;
    }

    /// A snapshot of exactly the chunks `removed` was written under `key`
    /// (by the engine worker, from storage) and they were deleted: what is
    /// stored holds the same changes as before, so the heads stay.
    pub fn replaced(&mut self, key: ChunkKey, len: usize, removed: &[ChunkKey]) {
        for k in removed {
            self.known.remove(k);
        }
        self.known.insert(key, len);
    }

    /// Another tab's compaction: a snapshot of exactly the chunks `removed`
    /// written under `key`. Recorded without reading it when this copy had
    /// read every one of them (it holds nothing new); `false`, and nothing
    /// recorded, when it had not (the snapshot is then read as any chunk).
    pub fn replaced_if_read(&mut self, key: ChunkKey, len: usize, removed: &[ChunkKey]) -> bool {
        if removed.is_empty() || !removed.iter().all(|k| self.known.contains_key(k)) {
            return false;
        }
        self.replaced(key, len, removed);
        true
    }

    /// Of the keys now in storage, those this copy has not read.
    pub fn unseen(&self, in_storage: &[ChunkKey]) -> Vec<ChunkKey> {
        in_storage
            .iter()
            .filter(|k| !self.known.contains_key(k))
            .cloned()
            .collect()
    }

    /// Another tab's chunk was merged into the document. If nothing of ours
    /// was waiting to be saved, everything the document holds is now in
    /// storage; otherwise the next save simply includes the merged changes
    /// again (harmless: Automerge ignores changes it already has).
    pub fn merged_from_storage(
        &mut self,
        key: ChunkKey,
        len: usize,
        heads_before: &[ChangeHash],
        heads_after: Vec<ChangeHash>,
    ) {
        self.known.insert(key, len);
        if same_heads(heads_before, &self.persisted) {
            self.persisted = heads_after;
        }
    }

    /// Take in the chunks another tab (or the engine worker) stored that this
    /// copy had not read (`in_storage`: every key now stored, so chunks
    /// compacted away are forgotten): each merged into `doc` and recorded.
    /// A chunk that cannot be read is left unrecorded, to be read again;
    /// `false` if there was one.
    pub fn take_in(&mut self, doc: &mut PlanDoc, chunks: Chunks, in_storage: &[ChunkKey]) -> bool {
        self.forget_missing(in_storage);
        // All at once when they all read (one load a part, whatever their
        // number); else one by one, so a chunk that cannot be read is the
        // only one left unrecorded.
        if chunks.len() > 1 {
            let before = doc.heads();
            let all: Vec<&[u8]> = chunks.iter().map(|(_, b)| b.as_slice()).collect();
            if doc.apply_stored_all(&all).is_ok() && !doc.is_waiting() {
                let after = doc.heads();
                for (key, bytes) in chunks {
                    self.merged_from_storage(key, bytes.len(), &before, after.clone());
                }
                return true;
            }
        }
        let mut all_read = true;
        for (key, bytes) in chunks {
            let before = doc.heads();
            match doc.apply_stored(&bytes) {
                Ok(()) => {
                    let after = doc.heads();
                    self.merged_from_storage(key, bytes.len(), &before, after);
                }
                Err(_) => all_read = false,
            }
        }
        all_read
    }

    /// Take in one chunk this copy has not read, stored by the engine worker
    /// for it (its key and bytes, from the engine's answer): merged into
    /// `doc` and recorded, as [`Self::take_in`] does with what another tab
    /// stored, without reading storage. `false`: it could not be read, or
    /// it follows changes this copy has not read (read storage then).
    pub fn take_in_one(&mut self, doc: &mut PlanDoc, key: &str, bytes: Vec<u8>) -> bool {
        let Some(key) = ChunkKey::parse(key) else {
            return false;
        };
        let before = doc.heads();
        // Made after changes this copy has not read (stored by an engine
        // that stopped before it answered): not taken, storage is read.
        if doc.apply_stored(&bytes).is_err() || doc.is_waiting() {
            return false;
        }
        let after = doc.heads();
        self.merged_from_storage(key, bytes.len(), &before, after);
        true
    }

    /// Keys deleted from storage by another tab's compaction.
    pub fn forget_missing(&mut self, in_storage: &[ChunkKey]) {
        self.known.retain(|k, _| in_storage.contains(k));
    }

    /// The names of the chunks this copy was read from or wrote.
    pub fn known_keys(&self) -> Vec<String> {
        self.known.keys().map(|k| k.as_str().to_owned()).collect()
    }

    pub fn is_saved(&self, doc: &PlanDoc) -> bool {
        same_heads(&doc.heads(), &self.persisted)
    }
}

fn same_heads(a: &[ChangeHash], b: &[ChangeHash]) -> bool {
    let mut a = a.to_vec();
    let mut b = b.to_vec();
    a.sort();
    b.sort();
    a == b
}
