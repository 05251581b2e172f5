//! automerge-repo's websocket protocol, version 1: every frame is one CBOR
//! map (see `@automerge/automerge-repo-network-websocket`'s README, "Wire
//! Protocol"). This file only turns frames into [`Message`]s and back; what
//! to do with them is `hub.rs`'s.
//!
//! Frames come from a relay the app does not trust to be well behaved, so
//! decoding checks sizes before it allocates, refuses what it does not
//! understand with a [`WireError`], and never panics (a fuzz target,
//! `fuzz/fuzz_targets/sync_frame.rs`, feeds it garbage).

use minicbor::data::Type;
use minicbor::Decoder;

use super::cbor::{self, Writer, Written};

/// The only protocol version there is.
pub const PROTOCOL_VERSION: &str = "1";
/// The largest frame the app accepts (the relay may send bigger ones: they
/// are refused, not read).
pub const MAX_FRAME: usize = 16 * 1024 * 1024;
/// Ids, versions and error texts are short; anything longer is refused.
const MAX_TEXT: usize = 1024;

/// One message of the protocol. Messages the app does not use (`ephemeral`,
/// `remote-heads-changed`, `remote-subscription-change`, …) are [`Message::Other`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Message {
    /// The client's opening message.
    Join {
        sender_id: String,
        versions: Vec<String>,
        /// The client's storage id, if it keeps sync state between visits.
        storage_id: Option<String>,
        is_ephemeral: bool,
    },
    /// The relay's answer to `join`.
    Peer {
        sender_id: String,
        target_id: String,
        version: String,
    },
    /// "Start syncing this document; tell me if you do not have it."
    Request(Sync),
    Sync(Sync),
    DocUnavailable {
        sender_id: String,
        target_id: String,
        document_id: String,
    },
    Error {
        message: String,
    },
    Leave {
        sender_id: String,
    },
    Other {
        kind: String,
    },
}

/// A `sync` or `request` message: an Automerge sync message for one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sync {
    pub sender_id: String,
    pub target_id: String,
    pub document_id: String,
    pub data: Vec<u8>,
}

/// Why a frame was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum WireError {
    #[error("a frame of {0} bytes, over the limit")]
    TooLarge(usize),
    /// Not CBOR, or not the shape of any message.
    #[error("a frame that is not a message: {0}")]
    Malformed(String),
    /// A message without a field it must have.
    #[error("a message without its {0}")]
    Missing(&'static str),
}

impl From<minicbor::decode::Error> for WireError {
    fn from(e: minicbor::decode::Error) -> Self {
        WireError::Malformed(e.to_string())
    }
}

impl Message {
    /// The frame for this message.
    pub fn encode(&self) -> Vec<u8> {
        cbor::to_vec(|e| write(e, self))
    }

    /// Read one frame.
    pub fn decode(frame: &[u8]) -> Result<Message, WireError> {
        if frame.len() > MAX_FRAME {
            return Err(WireError::TooLarge(frame.len()));
        }
        let mut d = Decoder::new(frame);
        let fields = read_map(&mut d)?;
        if d.position() != frame.len() {
            return Err(WireError::Malformed("bytes after the message".into()));
        }
        fields.into_message()
    }
}

fn write(e: &mut Writer, m: &Message) -> Written {
    match m {
        Message::Join {
            sender_id,
            versions,
            storage_id,
            is_ephemeral,
        } => {
            e.map(4)?.str("type")?.str("join")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("supportedProtocolVersions")?
                .array(versions.len() as u64)?;
            for v in versions {
                e.str(v)?;
            }
            e.str("peerMetadata")?
                .map(if storage_id.is_some() { 2 } else { 1 })?;
            if let Some(s) = storage_id {
                e.str("storageId")?.str(s)?;
            }
            e.str("isEphemeral")?.bool(*is_ephemeral)?;
        }
        Message::Peer {
            sender_id,
            target_id,
            version,
        } => {
            e.map(5)?.str("type")?.str("peer")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("selectedProtocolVersion")?.str(version)?;
            e.str("peerMetadata")?
                .map(1)?
                .str("isEphemeral")?
                .bool(true)?;
        }
        Message::Request(s) | Message::Sync(s) => {
            let kind = if matches!(m, Message::Request(_)) {
                "request"
            } else {
                "sync"
            };
            e.map(5)?.str("type")?.str(kind)?;
            e.str("senderId")?.str(&s.sender_id)?;
            e.str("targetId")?.str(&s.target_id)?;
            e.str("documentId")?.str(&s.document_id)?;
            e.str("data")?.bytes(&s.data)?;
        }
        Message::DocUnavailable {
            sender_id,
            target_id,
            document_id,
        } => {
            e.map(4)?.str("type")?.str("doc-unavailable")?;
            e.str("senderId")?.str(sender_id)?;
            e.str("targetId")?.str(target_id)?;
            e.str("documentId")?.str(document_id)?;
        }
        Message::Error { message } => {
            e.map(2)?.str("type")?.str("error")?;
            e.str("message")?.str(message)?;
        }
        Message::Leave { sender_id } => {
            e.map(2)?.str("type")?.str("leave")?;
            e.str("senderId")?.str(sender_id)?;
        }
        Message::Other { kind } => {
            e.map(1)?.str("type")?.str(kind)?;
        }
    }
    Ok(())
}

/// The fields of a message the app reads; the others are skipped.
#[derive(Default)]
struct Fields {
    kind: Option<String>,
    sender_id: Option<String>,
    target_id: Option<String>,
    document_id: Option<String>,
    data: Option<Vec<u8>>,
    versions: Vec<String>,
    version: Option<String>,
    message: Option<String>,
    storage_id: Option<String>,
    is_ephemeral: Option<bool>,
}

impl Fields {
    fn into_message(self) -> Result<Message, WireError> {
        let kind = self.kind.ok_or(WireError::Missing("type"))?;
        let sender = || self.sender_id.clone().ok_or(WireError::Missing("senderId"));
        let target = || self.target_id.clone().ok_or(WireError::Missing("targetId"));
        let document = || {
            self.document_id
                .clone()
                .ok_or(WireError::Missing("documentId"))
        };
        Ok(match kind.as_str() {
            "join" => Message::Join {
                sender_id: sender()?,
                versions: self.versions.clone(),
                storage_id: self.storage_id.clone(),
                is_ephemeral: self.is_ephemeral.unwrap_or(true),
            },
            "peer" => Message::Peer {
                sender_id: sender()?,
                target_id: target()?,
                version: self
                    .version
                    .clone()
                    .ok_or(WireError::Missing("selectedProtocolVersion"))?,
            },
            "sync" | "request" => {
                let s = Sync {
                    sender_id: sender()?,
                    target_id: target()?,
                    document_id: document()?,
                    data: self.data.clone().ok_or(WireError::Missing("data"))?,
                };
                if kind == "sync" {
                    Message::Sync(s)
                } else {
                    Message::Request(s)
                }
            }
            "doc-unavailable" => Message::DocUnavailable {
                sender_id: sender()?,
                target_id: target()?,
                document_id: document()?,
            },
            "error" => Message::Error {
                message: self.message.clone().unwrap_or_default(),
            },
            "leave" => Message::Leave {
                sender_id: sender()?,
            },
            _ => Message::Other { kind },
        })
    }
}

/// How many entries a map or array has; `None` for an indefinite one.
fn length(n: Option<u64>, left: usize) -> Result<Option<usize>, WireError> {
    match n {
        // Every entry takes at least a byte: a longer count is a lie.
        Some(n) if n > left as u64 => {
            Err(WireError::Malformed("a count longer than the frame".into()))
        }
        Some(n) => Ok(Some(n as usize)),
        None => Ok(None),
    }
}

/// Whether an indefinite map or array has more entries (and step past its end).
fn more(d: &mut Decoder<'_>, count: Option<usize>, i: usize) -> Result<bool, WireError> {
    match count {
        Some(n) => Ok(i < n),
        None => {
            if d.datatype()? == Type::Break {
                d.skip()?;
                Ok(false)
            } else {
                Ok(true)
            }
        }
    }
}

fn left(d: &Decoder<'_>) -> usize {
    d.input().len().saturating_sub(d.position())
}

fn text(d: &mut Decoder<'_>) -> Result<String, WireError> {
    let s = d.str()?;
    if s.len() > MAX_TEXT {
        return Err(WireError::Malformed("a text field that is too long".into()));
    }
    Ok(s.to_owned())
}

fn bytes(d: &mut Decoder<'_>) -> Result<Vec<u8>, WireError> {
    // cbor-x can tag a Uint8Array (tag 64); automerge-repo turns that off,
    // but a tagged byte string is the same bytes.
    if d.datatype()? == Type::Tag {
        d.tag()?;
    }
    Ok(d.bytes()?.to_vec())
}

fn read_map(d: &mut Decoder<'_>) -> Result<Fields, WireError> {
    if d.datatype()? != Type::Map && d.datatype()? != Type::MapIndef {
        return Err(WireError::Malformed("not a map".into()));
    }
    let count = length(d.map()?, left(d))?;
    let mut f = Fields::default();
    let mut i = 0;
    while more(d, count, i)? {
        i += 1;
        if !matches!(d.datatype()?, Type::String) {
            d.skip()?;
            d.skip()?;
            continue;
        }
        match d.str()? {
            "type" => f.kind = Some(text(d)?),
            "senderId" => f.sender_id = Some(text(d)?),
            "targetId" => f.target_id = Some(text(d)?),
            "documentId" => f.document_id = Some(text(d)?),
            "data" => f.data = Some(bytes(d)?),
            "selectedProtocolVersion" => f.version = Some(text(d)?),
            "message" => f.message = Some(text(d)?),
            "supportedProtocolVersions" => {
                let n = length(d.array()?, left(d))?;
                let mut j = 0;
                while more(d, n, j)? {
                    j += 1;
                    if d.datatype()? == Type::String && f.versions.len() < 16 {
                        f.versions.push(text(d)?);
                    } else {
                        d.skip()?;
                    }
                }
            }
            "peerMetadata" | "metadata" if matches!(d.datatype()?, Type::Map | Type::MapIndef) => {
                let n = length(d.map()?, left(d))?;
                let mut j = 0;
                while more(d, n, j)? {
                    j += 1;
                    let key = if d.datatype()? == Type::String {
                        Some(d.str()?.to_owned())
                    } else {
                        d.skip()?;
                        None
                    };
                    match (key.as_deref(), d.datatype()?) {
                        (Some("storageId"), Type::String) => f.storage_id = Some(text(d)?),
                        (Some("isEphemeral"), Type::Bool) => f.is_ephemeral = Some(d.bool()?),
                        _ => d.skip()?,
                    }
                }
            }
            _ => d.skip()?,
        }
    }
    Ok(f)
}
