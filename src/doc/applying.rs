//! Adding saved bytes of a plan to a copy of it: another tab's save, the
//! journal, a chunk the engine stored, the page's changes not stored yet.
//! Every piece is checked whole before any is applied, so damaged bytes
//! change nothing.

use std::collections::btree_map::{BTreeMap, Entry};

use automerge::{Automerge, AutomergeError, LoadOptions, OnPartialLoad, ReadDoc};

use super::bundle;
use super::document::{bundle_error, check_part};
use super::error::DocError;
use super::PlanDoc;

impl PlanDoc {
    /// Add saved bytes of this same plan (another tab's save, or what the
    /// journal kept) to this copy. Every piece is checked before anything
    /// is applied, so damaged bytes are refused and change nothing.
    pub fn apply_saved(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        let pieces = bundle::split(bytes).map_err(bundle_error)?;
        for piece in pieces.values() {
            check_complete(piece)?;
        }
        let mut staged = Vec::new();
        for (part, piece) in pieces {
            let mut doc = match self.parts.get(&part) {
                Some(d) => d.fork().with_actor(self.actor.clone()),
                None => Automerge::new().with_actor(self.actor.clone()),
            };
            doc.load_incremental(&piece).map_err(DocError::load)?;
            check_part(&doc, &part, Some(&self.plan_id))?;
            staged.push((part, doc));
        }
        for (part, doc) in staged {
            self.parts.insert(part, doc);
        }
        Ok(())
    }

    /// Add saved bytes of this same plan that this device made: a chunk
    /// another tab or the engine stored (`ChunkLog::take_in`, `take_in_one`)
    /// or the page's changes not stored yet that come with a request to the
    /// engine. Checked whole first, as [`Self::apply_saved`] does, so
    /// damaged bytes change nothing; a part new to this copy is made and
    /// checked apart first; then the changes are loaded into the parts in
    /// place, with no staging copy of each: forking a long plan's part to
    /// load a one-change chunk into it cost more than the change (1.8 of
    /// 4.6 ms of the page's thread a rating picked, 4× CPU, the 20,000-edit
    /// plan). Loading complete changes fails only on changes that contradict
    /// this copy's (the same author and number, different content); those
    /// before them may be in by then, which callers treat as not read (read
    /// again, or the copy dropped).
    pub fn apply_stored(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        self.apply_stored_all(&[bytes])
    }

    /// [`Self::apply_stored`] for many chunks at once: each part's pieces
    /// are loaded in one go. Loading into a long plan's part costs about
    /// the same for one change as for many (Automerge goes through the
    /// part's operations once a load: 44 ms a chunk at 4× CPU in the
    /// 20,000-edit plan), so a page taking in fifty keys typed elsewhere
    /// pays that once, not fifty times. All are checked before any is
    /// applied.
    pub fn apply_stored_all(&mut self, chunks: &[&[u8]]) -> Result<(), DocError> {
        let mut pieces: BTreeMap<_, Vec<u8>> = BTreeMap::new();
        for bytes in chunks {
            for (part, piece) in bundle::split(bytes).map_err(bundle_error)? {
                // One chunk's piece is taken as it is; later ones follow it.
                match pieces.entry(part) {
                    Entry::Vacant(v) => {
                        v.insert(piece);
                    }
                    Entry::Occupied(o) => o.into_mut().extend_from_slice(&piece),
                }
            }
        }
        // Checked a part at a time (a damaged chunk among them fails its
        // part's check), not a chunk at a time: each check is a load.
        for piece in pieces.values() {
            check_complete(piece)?;
        }
        let mut new_parts = Vec::new();
        for (part, piece) in &pieces {
            if !self.parts.contains_key(part) {
                let mut doc = Automerge::new().with_actor(self.actor.clone());
                doc.load_incremental(piece).map_err(DocError::load)?;
                check_part(&doc, part, Some(&self.plan_id))?;
                new_parts.push((part.clone(), doc));
            }
        }
        for (part, piece) in pieces {
            if let Some(doc) = self.parts.get_mut(&part) {
                doc.load_incremental(&piece).map_err(DocError::load)?;
            }
        }
        self.parts.extend(new_parts);
        Ok(())
    }

    /// Whether this copy holds changes it cannot apply yet, waiting for
    /// changes they follow that it has not been given (a chunk taken in
    /// before the chunk it was made after).
    pub fn is_waiting(&self) -> bool {
        self.parts
            .values()
            .any(|d| !d.get_missing_deps(&[]).is_empty())
    }
}

/// Whether saved bytes (a whole document, changes, or both) are complete:
/// no chunk damaged or cut short. Automerge's own loader decides, with
/// partial loads refused; changes that only lack their earlier history
/// (an increment saved after what this copy already has) are complete.
fn check_complete(bytes: &[u8]) -> Result<(), DocError> {
    match Automerge::load_with_options(
        bytes,
        LoadOptions::new().on_partial_load(OnPartialLoad::Error),
    ) {
        Ok(_) | Err(AutomergeError::MissingDeps) => Ok(()),
        Err(e) => Err(DocError::load(e)),
    }
}
