//! The browser: the app's context and its plan operations (`app`), the
//! platform adapters (`platform`: IndexedDB, tabs, settings, journal,
//! downloads, service worker), the pages' addresses (`route`) and the
//! screens (`ui`), and the words of every error and status raised below it
//! (`words`). WebAssembly only, but for `words`, which the native tests
//! read; uses every room below it.

#[cfg(target_arch = "wasm32")]
pub mod app;
#[cfg(target_arch = "wasm32")]
pub mod engine;
#[cfg(target_arch = "wasm32")]
pub mod platform;
#[cfg(target_arch = "wasm32")]
pub mod route;
#[cfg(target_arch = "wasm32")]
mod start;
#[cfg(target_arch = "wasm32")]
pub mod ui;
pub mod words;

#[cfg(target_arch = "wasm32")]
pub use start::{quick_exit, start};
