//! The browser's capabilities the app uses, one file each: IndexedDB
//! (`idb`) and the plans' chunks in it (`plan_store`), the other tabs
//! (`tabs`), small settings and the unsaved-changes journal in localStorage
//! (`settings`, `journal`, both through `local`), downloads (`download`), the service worker and
//! persistent storage (`service_worker`), event listeners (`events`), and
//! knowing when a worker has stopped (`life`, through Web Locks).
//! None of them knows about screens.

pub mod caret;
pub mod download;
pub mod events;
pub mod idb;
pub mod journal;
pub mod life;
pub mod local;
pub mod plan_store;
pub mod relay_config;
pub mod service_worker;
pub mod settings;
pub mod share_sheet;
pub mod socket;
pub mod tabs;
