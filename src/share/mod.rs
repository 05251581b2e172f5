//! Sharing: the share file format and its crypto (`file`), a whole
//! device's backup (`backup`), and sending a
//! plan or adding a copy someone sent (`exchange`), and the caseload's
//! returns as CSV (`returns`).
//!
//! Uses `crate::plan` and `crate::doc`; the browser uses this room.

pub mod backup;
mod crypto;
pub mod exchange;
pub mod file;
pub mod returns;
pub mod shard;
pub mod sync;

pub use crypto::{derive, CryptoError, Kdf, Key, CIPHER};
pub use file::{Lock, ShareError, ShareHeader, Unopened, SHARE_FORMAT};
