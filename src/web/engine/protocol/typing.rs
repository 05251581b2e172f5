//! Typing through the engine (`Request::Type`): each key a person presses
//! in an answer's box is sent as the splice it made there, without waiting
//! for the key before it to be made. The engine keeps what each box shows
//! (`doc::BoxView`), so every key is placed by the box's own text, through
//! whatever else reached the plan meanwhile (docs/engine-documents.md).

use serde::{Deserialize, Serialize};

use super::plans::Chunk;
use crate::plan::text::Splice;
use crate::plan::{Field, PlanId, Version};

/// One key typed in an answer's box.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Type {
    pub plan: PlanId,
    pub field: Field,
    /// The asking page (see [`super::Store::by`]): the other tabs are told
    /// of the save, that page takes the chunk from the answer.
    pub by: u32,
    /// The page's number for the box, new each time the box is given the
    /// answer anew: its keys follow one another in the engine.
    pub box_id: u32,
    /// With the box's first key: the version of the plan it was given the
    /// answer at, and the text it showed then.
    pub shown: Option<(Version, String)>,
    /// What the key did in the box's text.
    pub splice: Splice,
    /// When it was typed (ms since 1970): the change's time.
    pub at_ms: i64,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
}

/// A key made and stored (the other tabs told).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Typed {
    /// The stored chunk, for the asking page's own copy (`None`: the key
    /// changed nothing).
    pub chunk: Option<Chunk>,
    /// The plan's version after it.
    pub heads: Version,
    /// The answer's text when it is not the box's (the key was placed
    /// through words the box had not shown): the box is given it once its
    /// keys are all answered.
    pub text: Option<String>,
}
