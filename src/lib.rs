//! Carer Support Plan.
//!
//! Five rooms, each using only the ones before it
//! (`plan ← doc ← store, share ← web`; see `ARCHITECTURE.md`):
//!
//! * [`plan`]: the domain — the plan's content, its sections, answers,
//!   frameworks, dates, sign-off and review rules, and the read models the
//!   screens show. No Automerge in its public surface.
//! * [`doc`]: the plan as Automerge documents, one per section — create,
//!   load, edit, merge, history, conflicts, signing, takeout.
//! * [`store`]: what of a plan is saved on the device and when to compact
//!   (the chunk log), independent of IndexedDB.
//! * [`share`]: the share file format and its crypto; sending a plan and
//!   adding a copy.
//! * `web` (WebAssembly only, but for its `words`): the browser — IndexedDB
//!   and the other platform adapters, the app's context and its plan
//!   operations, screens, and the words of every error and status raised
//!   in the other rooms.

pub mod doc;
pub mod plan;
pub mod share;
pub mod store;

pub mod web;
