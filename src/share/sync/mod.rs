//! Keeping a plan in step with the key worker, live, through a relay that
//! never reads it: automerge-repo's own sync server, spoken to in its
//! websocket protocol (`wire`, `hub`), holding for each plan one Automerge
//! document of sealed bundles (`keep`, `sealed`) that only the carer's and
//! the worker's devices can open, with the key handed over in a link
//! (`link`); one engine per relay shard the device needs (`shards`).
//! Sans-IO: the browser layer moves the frames.

pub mod backoff;
mod cbor;
pub mod consent;
pub mod docid;
pub mod engine;
pub mod entry;
pub mod hub;
pub mod identity;
pub mod keep;
mod keep_bytes;
mod keep_devices;
pub mod link;
pub mod sealed;
pub mod shards;
pub mod take_in;
pub mod wire;

pub use backoff::Backoff;
pub use docid::DocumentId;
pub use engine::{CatchUp, Engine, Event as SyncEvent, Problem, Taken, Which};
pub use hub::{Event, Hub};
pub use identity::{DeviceId, DeviceKey};
pub use keep::{Keep, KeepError, Standing};
pub use link::{fragment_of, url_of, Link, LinkError};
pub use shards::Engines;
