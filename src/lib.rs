//! Carer Support Plan.
//!
//! * [`core`] is plain Rust: the plan's shape, its Automerge document, merging,
//!   history and the bookkeeping of what is saved. It uses no browser crate, so
//!   `cargo test` runs it natively.
//! * `web` (WebAssembly only) is the thin browser layer: IndexedDB, settings,
//!   tabs talking to each other, and the Leptos screens.

pub mod core;

#[cfg(target_arch = "wasm32")]
pub mod web;
