//! Random identifiers: a plan's id, list items' ids and a device's id, and
//! the one hex encoding they are written in.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use thiserror::Error;

/// The operating system or browser could not give us random bytes.
#[derive(Debug, Error)]
#[error("this device could not make a random identifier")]
pub struct RandomError;

fn random_bytes<const N: usize>() -> Result<[u8; N], RandomError> {
    let mut bytes = [0u8; N];
    getrandom::fill(&mut bytes).map_err(|_| RandomError)?;
    Ok(bytes)
}

/// Lower-case hex: how every id and hash is written.
pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bytes written by [`hex`]; `None` for anything else.
pub fn from_hex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Whether `s` is `len` lower-case hex digits.
pub fn is_hex(s: &str, len: usize) -> bool {
    s.len() == len
        && s.bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
}

/// A stable id for a new list item (a person, an action, a risk): 12 random
/// hex digits, enough that two devices adding items never collide.
pub fn item_id() -> Result<String, RandomError> {
    Ok(hex(&random_bytes::<6>()?))
}

/// A plan's identity: 128 random bits, written as 32 lower-case hex digits.
/// Two copies merge only when their plan ids are equal.
///
/// Read from text once, where it comes in (a page address, a storage key,
/// a file's header, a document), with [`PlanId::parse`] or `str::parse`;
/// everything after passes the typed value. In JSON (the list entries in
/// IndexedDB, settings in localStorage, tab messages, backups) it is the
/// same string as ever, and a string that is not an id does not read.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct PlanId(String);

/// Text that is not a plan id (32 lower-case hex digits).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
#[error("not a plan id")]
pub struct NotAPlanId;

impl PlanId {
    pub fn random() -> Result<Self, RandomError> {
        Ok(Self(hex(&random_bytes::<16>()?)))
    }

    /// Accepts only the canonical form, so an id read from storage or a file
    /// cannot smuggle in anything else.
    pub fn parse(s: &str) -> Option<Self> {
        is_hex(s, 32).then(|| Self(s.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// The all-zero id: a placeholder no real plan has (ids are 128 random
/// bits), for a [`crate::plan::Plan`] not yet read from a document.
impl Default for PlanId {
    fn default() -> Self {
        Self("0".repeat(32))
    }
}

impl FromStr for PlanId {
    type Err = NotAPlanId;
    fn from_str(s: &str) -> Result<Self, NotAPlanId> {
        Self::parse(s).ok_or(NotAPlanId)
    }
}

impl TryFrom<String> for PlanId {
    type Error = NotAPlanId;
    fn try_from(s: String) -> Result<Self, NotAPlanId> {
        if is_hex(&s, 32) {
            Ok(Self(s))
        } else {
            Err(NotAPlanId)
        }
    }
}

impl From<PlanId> for String {
    fn from(id: PlanId) -> String {
        id.0
    }
}

impl fmt::Display for PlanId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// autosurgeon mapping for a [`PlanId`] field (`#[autosurgeon(with =
/// "...")]`): the document keeps the id as its string.
pub(crate) mod in_doc {
    use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconciler};

    use super::PlanId;

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<PlanId, HydrateError> {
        let raw = String::hydrate(doc, obj, prop)?;
        PlanId::parse(&raw)
            .ok_or_else(|| HydrateError::unexpected("a plan id of 32 hex digits", raw))
    }

    pub(crate) fn reconcile<R: Reconciler>(value: &PlanId, mut r: R) -> Result<(), R::Error> {
        r.str(value.as_str())
    }
}

/// A version of a plan: the hashes of its latest changes (its documents'
/// heads), as a text box and the page's messages carry it. A token, only
/// compared and handed back: what it holds is the document layer's
/// (`PlanDoc::version`), so no screen names a document's types.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Version(pub Vec<[u8; 32]>);

impl Version {
    /// No version: a box not told yet which version it shows.
    pub fn is_none(&self) -> bool {
        self.0.is_empty()
    }

    /// Its heads as lowercase hex, as Automerge writes a change's hash
    /// (what the device keeps of what a person has seen).
    pub fn to_hex(&self) -> Vec<String> {
        self.0
            .iter()
            .map(|h| h.iter().map(|b| format!("{b:02x}")).collect())
            .collect()
    }

    /// Whether `s` is a head as [`Self::to_hex`] writes it.
    pub fn is_hex_head(s: &str) -> bool {
        s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
    }
}

/// Who is writing: this device's id (made once, stored, the same for every
/// plan on the device) plus a random suffix for this session (one open tab).
///
/// Automerge needs every concurrent writer to have its own actor: two tabs of
/// one device writing with one actor would both make "change 2" and the
/// copies could no longer merge. So the Automerge actor is the 16-byte device
/// id followed by 4 session bytes, and the plan's participants are keyed by
/// the device id alone: history still says which device, and so which
/// person, made each change.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DeviceActor {
    device: String,
    session: [u8; 4],
}

impl DeviceActor {
    /// A new device id, in a new session.
    pub fn random() -> Result<Self, RandomError> {
        Self::for_device(&hex(&random_bytes::<16>()?)).ok_or(RandomError)
    }

    /// A new session of a stored device id; `None` if the id is not canonical.
    pub fn for_device(device: &str) -> Option<Self> {
        if !is_hex(device, 32) {
            return None;
        }
        Some(Self {
            device: device.to_owned(),
            session: random_bytes::<4>().ok()?,
        })
    }

    /// Another session (another tab) of the same device.
    pub fn new_session(&self) -> Result<Self, RandomError> {
        Ok(Self {
            device: self.device.clone(),
            session: random_bytes::<4>()?,
        })
    }

    /// The device id: 32 lower-case hex digits.
    pub fn as_str(&self) -> &str {
        &self.device
    }

    /// The bytes of this session's Automerge actor: the 16-byte device id
    /// followed by the 4 session bytes (`crate::doc` makes the actor).
    pub fn actor_bytes(&self) -> Vec<u8> {
        // The device id is checked to be 32 hex digits when it is made.
        let mut bytes = from_hex(&self.device).unwrap_or_else(|| vec![0; 16]);
        bytes.extend_from_slice(&self.session);
        bytes
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_random_and_canonical() {
        let a = PlanId::random().unwrap();
        let b = PlanId::random().unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().parse::<PlanId>(), Ok(a.clone()));
        assert_eq!(PlanId::parse(a.as_str()), Some(a));
        assert_eq!(PlanId::parse("not an id"), None);
        assert_eq!(PlanId::parse(&"A".repeat(32)), None);
        assert_eq!(from_hex(&hex(&[0, 7, 255])), Some(vec![0, 7, 255]));
        assert_eq!(from_hex("abc"), None);
        assert_eq!(from_hex("zz"), None);
        assert_eq!("ab".parse::<PlanId>(), Err(NotAPlanId));
    }

    /// Ids in stored JSON (list entries, settings, tab messages, backups)
    /// read as before, and are written to the same bytes.
    #[test]
    fn a_plan_id_in_json_is_the_same_string_as_before() {
        let old = r#"{"plan_id":"0123456789abcdef0123456789abcdef","ids":["fedcba9876543210fedcba9876543210"]}"#;
        #[derive(Serialize, Deserialize)]
        struct Stored {
            plan_id: PlanId,
            ids: Vec<PlanId>,
        }
        let read: Stored = serde_json::from_str(old).unwrap();
        assert_eq!(read.plan_id.as_str(), "0123456789abcdef0123456789abcdef");
        assert_eq!(serde_json::to_string(&read).unwrap(), old);
        for bad in [
            r#""ab""#,
            r#""0123456789ABCDEF0123456789ABCDEF""#,
            "17",
            "null",
        ] {
            assert!(serde_json::from_str::<PlanId>(bad).is_err(), "{bad}");
        }
    }
}
