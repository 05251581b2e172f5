//! One connection to the relay for every plan kept in step on the device:
//! the handshake (`join`, then the relay's `peer`) and the routing of each
//! document's sync messages. Sans-IO: frames in, frames and events out.

use super::docid::DocumentId;
use super::wire::{Message, Sync, WireError, PROTOCOL_VERSION};

/// What a frame from the relay means for the app.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The handshake is done: sync messages can go.
    Ready,
    /// A sync message for one plan's sealed document.
    Sync { doc: DocumentId, data: Vec<u8> },
    /// The relay does not have this document (nobody has put it there yet,
    /// or the relay lost its data).
    Unavailable(DocumentId),
    /// The relay reported an error and will close the connection.
    RelayError(String),
    /// A message the app does not use.
    Ignored,
}

/// Why a frame was refused (the connection is then closed and opened
/// again later; nothing stored changes).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HubError {
    #[error("frame refused")]
    Wire(#[from] WireError),
    /// A message out of order (before the handshake, or a second `peer`).
    #[error("a message out of turn")]
    OutOfOrder,
    /// A message for another peer, from another peer, or with a document
    /// id that is not one.
    #[error("a message for another peer or document")]
    NotForUs,
    /// The relay chose a protocol version the app does not speak.
    #[error("a protocol version this app does not speak")]
    Version,
}

/// The connection's state.
pub struct Hub {
    peer_id: String,
    relay: Option<String>,
}

impl Hub {
    /// `peer_id`: this tab's id for the relay (random; changes with each page load).
    pub fn new(peer_id: String) -> Hub {
        Hub {
            peer_id,
            relay: None,
        }
    }

    /// The first frame on a new connection.
    pub fn join(&mut self) -> Vec<u8> {
        self.relay = None;
        Message::Join {
            sender_id: self.peer_id.clone(),
            versions: vec![PROTOCOL_VERSION.into()],
            storage_id: None,
            is_ephemeral: true,
        }
        .encode()
    }

    pub fn is_ready(&self) -> bool {
        self.relay.is_some()
    }

    /// Read a frame from the relay.
    pub fn on_frame(&mut self, frame: &[u8]) -> Result<Event, HubError> {
        let message = Message::decode(frame).map_err(HubError::Wire)?;
        let Some(relay) = self.relay.clone() else {
            return match message {
                Message::Peer {
                    sender_id,
                    target_id,
                    version,
                } => {
                    if target_id != self.peer_id {
                        return Err(HubError::NotForUs);
                    }
                    if version != PROTOCOL_VERSION {
                        return Err(HubError::Version);
                    }
                    self.relay = Some(sender_id);
                    Ok(Event::Ready)
                }
                Message::Error { message } => Ok(Event::RelayError(message)),
                _ => Err(HubError::OutOfOrder),
            };
        };
        match message {
            Message::Sync(s) | Message::Request(s) => {
                if s.target_id != self.peer_id || s.sender_id != relay {
                    return Err(HubError::NotForUs);
                }
                let doc = DocumentId::parse(&s.document_id).ok_or(HubError::NotForUs)?;
                Ok(Event::Sync { doc, data: s.data })
            }
            Message::DocUnavailable {
                target_id,
                document_id,
                ..
            } => {
                if target_id != self.peer_id {
                    return Err(HubError::NotForUs);
                }
                let doc = DocumentId::parse(&document_id).ok_or(HubError::NotForUs)?;
                Ok(Event::Unavailable(doc))
            }
            Message::Error { message } => Ok(Event::RelayError(message)),
            Message::Peer { .. } | Message::Join { .. } => Err(HubError::OutOfOrder),
            Message::Leave { .. } | Message::Other { .. } => Ok(Event::Ignored),
        }
    }

    /// A frame carrying one sync message for `doc`: a `request` when this
    /// device has nothing of it yet (so the relay says if it has nothing
    /// either), else a `sync`. `None` before the handshake is done.
    pub fn frame(&self, doc: &DocumentId, data: Vec<u8>, request: bool) -> Option<Vec<u8>> {
        let relay = self.relay.clone()?;
        let s = Sync {
            sender_id: self.peer_id.clone(),
            target_id: relay,
            document_id: doc.to_string(),
            data,
        };
        Some(
            if request {
                Message::Request(s)
            } else {
                Message::Sync(s)
            }
            .encode(),
        )
    }
}
