//! The plan as Automerge documents: one document per section (its part),
//! created, loaded, edited, merged, forked and saved here, with the plan's
//! history, its conflicts, signing off and "Download my data".
//!
//! Uses `crate::plan` and nothing above it: storage, sharing and the
//! browser use this room, never the other way round. The raw Automerge
//! documents stay inside it; what leaves is the plan's values, its heads
//! and changes, and saved bytes.

pub mod actor;
mod applying;
mod at;
pub mod bundle;
pub mod conflict;
mod cost;
mod document;
mod edit;
mod error;
mod export;
pub mod history;
mod incoming;
mod loading;
mod part;
mod path;
pub mod schema;
pub mod signoff;
pub mod takeout;
mod typing;
mod typing_box;
mod versions;
pub use typing::Keyed;
pub use typing_box::BoxView;

pub use document::{heads_of, version_of, ChangeInfo, PlanDoc};
pub use error::DocError;
pub use incoming::Incoming;
pub use loading::Loading;
