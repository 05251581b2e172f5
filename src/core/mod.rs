//! The plan and its document, in plain Rust with no browser dependencies.
//!
//! Nothing in this tree may import leptos, web-sys, wasm-bindgen or gloo: the
//! browser layer (`crate::web`) sits on top of it.

pub mod answer;
pub mod bundle;
pub mod conflict;
pub mod date;
pub mod document;
pub mod exchange;
pub mod field;
pub mod framework;
pub mod history;
pub mod ids;
pub mod part;
pub mod persist;
pub mod plan;
pub mod schema;
pub mod section;
pub mod share;
pub mod signoff;
pub mod summary;
pub mod takeout;

pub use document::{DocError, PlanDoc};
pub use field::{CarerField, Field};
pub use ids::{DeviceActor, PlanId};
pub use plan::Plan;
