//! The messages about the plans open for the screens: the first step of
//! moving the open plan's documents from the page into the engine
//! (docs/engine-documents.md).

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use crate::doc::conflict::{ChoiceConflict, Scalar};
use crate::doc::signoff::{self, SignError};
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, Field, Participant, Plan, PlanId, Section, Version};

/// A plan opened for the screens: the engine reads it and keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Open {
    pub plan: PlanId,
    /// The plan's changes the page journaled (localStorage, which only the
    /// page can read) when it was last closed or hidden with saves in
    /// flight: Automerge's saved form, empty when there are none.
    pub journal: Vec<u8>,
    /// What the page journaled of its boxes and named changes while they
    /// were in the engine's hands (`web/platform/journal.rs`): made again
    /// on the plan as stored, so nothing typed or picked is lost with an
    /// engine that stopped with the page.
    pub journaled: Journaled,
    /// A journal an earlier release left (protocol 18 and before wrote it
    /// as JSON, which the page does not read): made first, as written.
    pub earlier_journal: Option<String>,
    /// Who uses this device: recorded in the plan if it does not say so.
    pub me: Option<Participant>,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
    /// The asking page (see [`super::Store::by`]): the other tabs are told
    /// when opening stored something.
    pub by: u32,
}

/// What a page left in its journal for a plan when it was hidden or
/// closed with work in the engine's hands.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Journaled {
    /// Each answer's box and the text it showed: the answer is made that
    /// text on the plan as stored (a key an engine stored before it
    /// stopped is not made twice).
    pub typed: Vec<(Field, String)>,
    /// Named changes shown at once (a rating picked…) and when they were
    /// made: made again (the same value twice is one value).
    pub named: Vec<(Named, i64)>,
}

impl Journaled {
    pub fn is_empty(&self) -> bool {
        self.typed.is_empty() && self.named.is_empty()
    }
}

/// A new plan to start (`App::create`), with the id the page gave it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Create {
    pub plan: PlanId,
    pub me: Participant,
    pub framework: String,
    pub at_ms: i64,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
    /// The asking page (see [`super::Store::by`]).
    pub by: u32,
}

/// The plan as the engine opened it: what the screens show.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Opened {
    /// The plan's values, as the page's own copy reads them.
    pub plan: Plan,
    /// The sections this copy holds (a key worker's copy holds those the
    /// carer shared).
    pub parts: Vec<Section>,
    /// The version read (the plan's heads, as a token).
    pub heads: Version,
}

/// Why the engine could not open a plan (`Reply::NotOpened`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum NotOpened {
    /// Nothing is stored under its id: deleted, or made in another browser.
    NotFound,
    /// Its stored bytes cannot be read: what the person is told
    /// (`web/words/`), and the bytes as stored, untouched, for her to
    /// download.
    Damaged { message: String, raw: Vec<u8> },
}

/// A named change to make to an open plan (`App::edit`, `App::sign_off`):
/// the engine makes it in the plan it holds, stores it and tells the other
/// tabs. The changes one page asks of one plan are made in the order asked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub plan: PlanId,
    pub named: Named,
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

/// The named changes the engine makes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Named {
    /// One of the plan's edits (a choice, the carer's agreement, a review
    /// started…).
    Edit(crate::plan::Edit),
    /// The key worker signs the plan off (`doc::signoff::sign`): the
    /// version signed is the plan as the engine holds it, after every
    /// change asked before.
    SignOff(SignOff),
    /// Keep one of the values a choice was given at once by two people.
    KeepChoice {
        conflict: ChoiceConflict,
        pick: Scalar,
    },
    /// Make an answer this whole text (a version kept on the conflicts
    /// page, a box settled whose keys went astray): one splice from what
    /// the answer holds.
    SetAnswer { field: Field, text: String },
}

/// The history line of keeping one of two choices.
const KEPT_CHOICE: &str = "Chose between two answers";

impl Named {
    /// Whether the page shows it at once (an edit, on the plan's values),
    /// rather than once it is made: a sign-off, a choice kept, an item
    /// added (its page opens once it is in the page's copy, to be typed
    /// into) or a person removed. Those are never made twice by the page
    /// and the engine.
    pub fn shown_at_once(&self) -> bool {
        match self {
            Named::Edit(e) => !e.changes_a_list(),
            Named::SetAnswer { .. } => true,
            Named::SignOff(_) | Named::KeepChoice { .. } => false,
        }
    }

    /// Make it in `doc`, as the device `device` at `at_ms` (the engine in
    /// the plan it holds, the page in its own copy when no engine can):
    /// whether it changed anything.
    pub fn make(
        &self,
        doc: &mut PlanDoc,
        device: &DeviceActor,
        at_ms: i64,
    ) -> Result<bool, SignError> {
        match self {
            Named::Edit(edit) => Ok(doc.apply(edit, at_ms)?),
            // Asked again of a new engine after one that signed it stopped
            // before it answered: signed once.
            Named::SignOff(_) if signoff::signed_by_at(doc, device, at_ms)? => Ok(false),
            Named::SignOff(s) => {
                let (carer, worker) = (&s.carer_name, &s.worker_name);
                signoff::sign(doc, device, carer, worker, s.review, s.today, at_ms)?;
                Ok(true)
            }
            Named::KeepChoice { conflict, pick } => {
                doc.resolve_choice(conflict, pick, KEPT_CHOICE, at_ms)?;
                Ok(true)
            }
            Named::SetAnswer { field, text } => Ok(doc.type_answer(field, text, at_ms)?.is_some()),
        }
    }
}

/// What the key worker entered to sign the plan off.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SignOff {
    pub carer_name: String,
    pub worker_name: String,
    #[serde(with = "crate::plan::date::iso")]
    pub review: NaiveDate,
    #[serde(with = "crate::plan::date::iso")]
    pub today: NaiveDate,
}

/// What the engine stored for a change: the chunk's key and bytes, for the
/// asking page to take into its own copy without reading storage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Chunk {
    pub key: String,
    pub bytes: Vec<u8>,
}

/// A change made and stored (a sign-off, which the page does not show
/// before its answer): the chunk, and the plan's values after it, of the
/// version `heads`. The page shows them without reading its own copy
/// whole, when its copy is then of that version.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Made {
    /// `None`: nothing was made (an engine that stopped before it answered
    /// had made it).
    pub chunk: Option<Chunk>,
    pub plan: Plan,
    pub heads: Version,
    /// The sections this copy holds after it (an item added may add one).
    pub parts: Vec<Section>,
}
