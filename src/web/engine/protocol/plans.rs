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
