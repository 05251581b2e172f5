//! The messages about the plans open for the screens: the first step of
//! moving the open plan's documents from the page into the engine
//! (docs/engine-documents.md).

use serde::{Deserialize, Serialize};

use crate::plan::{Plan, PlanId, Section};

/// A plan opened for the screens: the engine reads it and keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Open {
    pub plan: PlanId,
    /// The plan's changes the page journaled (localStorage, which only the
    /// page can read) when it was last closed or hidden with saves in
    /// flight: Automerge's saved form, empty when there are none.
    pub journal: Vec<u8>,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
}

/// The plan as the engine opened it: what the screens show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    /// The plan's values, as the page's own copy reads them.
    pub plan: Plan,
    /// The sections this copy holds (a key worker's copy holds those the
    /// carer shared).
    pub parts: Vec<Section>,
    /// The version read: the plan's heads (hex change hashes).
    pub heads: Vec<String>,
}

/// A named change to make to an open plan (`App::edit`): the engine makes
/// it in the plan it holds, stores it and tells the other tabs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub plan: PlanId,
    pub edit: crate::plan::Edit,
    /// The plan's changes the page has not stored yet (as
    /// [`super::Read::unsaved`]): the change is made on the plan as the
    /// person sees it (a person just added, not yet stored, is there to
    /// say whether they live with her).
    pub unsaved: Vec<u8>,
    /// When the person made it (ms since 1970): the change's time.
    pub at_ms: i64,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
    /// The asking page (see [`super::Store::by`]): the other tabs are told
    /// of the save, that page takes the chunk from the answer.
    pub by: u32,
}

/// What the engine stored for a change: the chunk's key and bytes, for the
/// asking page to take into its own copy without reading storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    pub key: String,
    pub bytes: Vec<u8>,
}
