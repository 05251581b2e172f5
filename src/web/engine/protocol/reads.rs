//! The reads of a plan for a screen (`Request::Read`, `engine/reads.rs`).

use serde::{Deserialize, Serialize};

use crate::plan::{PlanId, Section};

/// A read of a plan for a screen.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Read {
    pub plan: PlanId,
    /// The plan's changes the page has not stored yet (as
    /// [`super::MakeShare::unsaved`]), so the screen shows what the person sees.
    pub unsaved: Vec<u8>,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
    pub what: Reading,
}

/// What a screen reads of a plan (`engine/reads.rs`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reading {
    /// Every change, folded as people read it (`doc::history::history`).
    History,
    /// What others changed since the heads this person last looked at
    /// (hex), leaving out this device's own (`doc::history::unseen`).
    Unseen {
        seen: Vec<String>,
        my_device: String,
    },
    /// "Download my data": the plan as readable JSON.
    Json,
    /// "Download my data": the plan as one Automerge document.
    Automerge,
    /// Whether the plan is signed off and changed since
    /// (`doc::signoff::status`: the changes since the signed version).
    SignStatus,
    /// "The signed version": the last signed version's answers as signed,
    /// section by section (`doc::signoff::signed_version`).
    Signed,
    /// "How far things have moved": every signed version's ratings
    /// (`doc::signoff::signed_plans`, then `plan::distance`).
    Distance,
    /// How many changes people have made: the version number in print
    /// (`PlanDoc::version`, which looks at every change).
    Version,
    /// The choices that hold two values, given at once by two people
    /// (`doc::conflict::choice_conflicts`), for the person to keep one.
    Conflicts,
}

/// The last signed version as it was signed: who signed and when, and each
/// section it covered with its answers then (question, answer), in the
/// words of "Check your answers"; sections with no answer left out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignedRead {
    pub version: crate::plan::SignedVersion,
    pub sections: Vec<(Section, Vec<(String, String)>)>,
}

/// What was read, as [`Reading`] asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Readout {
    History(Vec<crate::doc::history::HistoryEntry>),
    Unseen(crate::doc::history::Unseen),
    Json(String),
    Automerge(Vec<u8>),
    SignStatus(crate::doc::signoff::SignStatus),
    /// `None`: never signed off (or its heads are not on this device).
    Signed(Option<SignedRead>),
    Distance(crate::plan::distance::Distance),
    Version(u64),
    Conflicts(Vec<crate::doc::conflict::ChoiceConflict>),
}
