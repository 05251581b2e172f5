//! The plan itself: what an Adult Carer Support Plan holds and the rules
//! about it, in plain Rust.
//!
//! The domain room. Nothing here knows how the plan is stored: no Automerge
//! type appears in its public items, and nothing here imports the document,
//! storage, sharing or browser layers (`tests/architecture.rs` checks both).
//! autosurgeon's derives on [`Plan`] say how each value maps to a document;
//! the mapping itself is `crate::doc`'s business.

pub mod answer;
pub mod answers;
pub mod budget;
pub mod calendar;
pub mod compare;
pub mod date;
pub mod distance;
pub mod edit;
pub mod field;
pub mod framework;
pub mod ids;
pub mod limits;
pub(crate) mod line;
pub mod model;
pub mod options;
pub mod people;
pub mod progress;
pub mod questions;
pub mod review;
pub mod section;
pub mod summary;
pub mod text;
mod values;
pub(crate) mod wire;

pub use edit::Edit;
pub use field::{CarerField, Field, FieldError, FieldKind};
pub use framework::Framework;
pub use ids::{DeviceActor, NotAPlanId, PlanId, RandomError, Version};
pub use model::*;
pub use options::{Coded, YesNo};
pub use progress::Status;
pub use section::Section;
