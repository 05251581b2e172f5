//! Sharing: the share file format and its crypto (`file`), and sending a
//! plan or adding a copy someone sent (`exchange`).
//!
//! Uses `crate::plan` and `crate::doc`; the browser uses this room.

mod crypto;
pub mod exchange;
pub mod file;
pub mod sync;

pub use file::{Lock, ShareError, ShareHeader, SHARE_FORMAT};
