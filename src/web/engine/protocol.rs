//! The one message protocol between the page and the engine worker.
//!
//! Every message is `postcard` bytes (serde) in a `Uint8Array`, moved, not
//! copied: the protocol's [`VERSION`] as a varint, then a [`ToEngine`] or a
//! [`FromEngine`]. The engine says [`FromEngine::Ready`] with its version
//! once it listens; a page and an engine of different versions (an update
//! half installed) never exchange anything else: the page does the work
//! itself instead (`link.rs`). Adding a request or a reply is a new variant
//! at the end and a new [`VERSION`].
//!
//! | page sends (`Request`) | engine answers (`Reply`) |
//! |---|---|
//! | `DeriveKey { passphrase, kdf }`: a lock's key (Argon2id), for sharing, adding a copy, backing up and restoring | `Key(key)`, or `Failed(detail)` |

use serde::{Deserialize, Serialize};

use crate::share::{Kdf, Key};

/// Bumped whenever a message's shape changes.
pub const VERSION: u32 = 1;

/// Work the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Turn a passphrase into its key under a lock's settings (the slow step
    /// of every lock: 19 MiB and two passes, up to 64 MiB and ten).
    DeriveKey { passphrase: String, kdf: Kdf },
}

/// The engine's answer to one [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    Key(Key),
    /// The work could not be done: a technical detail, never shown as it is.
    Failed(String),
}

/// A message to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToEngine {
    Ask { id: u32, request: Request },
}

/// A message from the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromEngine {
    /// The engine listens (and speaks this version of the protocol).
    Ready {
        version: u32,
    },
    Answer {
        id: u32,
        reply: Reply,
    },
}

/// Why bytes are not a message of this protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Another version of the protocol (the found one, if it could be read).
    Version(Option<u32>),
    Malformed,
}

/// A message as bytes: the version, then the message.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    let mut out = postcard::to_allocvec(&VERSION).unwrap_or_default();
    // Encoding into a growable buffer fails only on a serde error, which
    // these types (no maps with non-string keys, no untagged data) never
    // raise; an empty message is read as malformed on the other side.
    if let Ok(body) = postcard::to_allocvec(message) {
        out.extend_from_slice(&body);
    }
    out
}

/// The message in `bytes`, if it is one of this version.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Unreadable> {
    let (version, rest) =
        postcard::take_from_bytes::<u32>(bytes).map_err(|_| Unreadable::Version(None))?;
    if version != VERSION {
        return Err(Unreadable::Version(Some(version)));
    }
    match postcard::take_from_bytes::<T>(rest) {
        Ok((message, [])) => Ok(message),
        _ => Err(Unreadable::Malformed),
    }
}
