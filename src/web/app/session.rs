//! One plan open on the page: its documents, what of them storage holds,
//! and where its saving has got.

use crate::doc::PlanDoc;
use crate::store::ChunkLog;

/// One open plan.
pub(crate) struct Session {
    pub doc: PlanDoc,
    pub log: ChunkLog,
    pub writing: bool,
    pub again: bool,
    /// The engine worker is compacting the stored chunks (`Request::Compact`).
    pub compacting: bool,
    /// The engine could not compact them: the page does, in its next save.
    pub compact_here: bool,
    /// The journal may hold changes of this plan (written when the page
    /// was hidden, or left by a page that closed): cleared once everything
    /// is stored, not on every key (localStorage is synchronous).
    pub journaled: bool,
}

impl Session {
    pub(super) fn new(doc: PlanDoc, log: ChunkLog) -> Self {
        Session {
            doc,
            log,
            writing: false,
            again: false,
            compacting: false,
            compact_here: false,
            journaled: true,
        }
    }
}
