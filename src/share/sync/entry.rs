//! What a device puts in a plan's sealed document on the relay (format 2),
//! each entry signed by the device that wrote it:
//!
//! * a **request** to join (`r…`), sealed with the link's key: the asking
//!   device's keys, its name and role. The link lets a device ask, nothing
//!   more.
//! * a **list of devices** (`a…`), written only by a carer's device: who is
//!   allowed (keys, name, role, when), who was removed or refused, the
//!   sections kept in step, whether keeping in step stopped. Its body is
//!   sealed with the key of its *epoch*; that key (with every earlier one,
//!   so a new device reads the plan's whole history) is sealed to each
//!   allowed device's X25519 key. Removing a device starts a new epoch
//!   whose key it never gets.
//! * a **change bundle** (`d…`), sealed with an epoch key: the chosen
//!   parts' Automerge changes (`sealed::Bundle`).
//!
//! Layout: `0x02 | kind | signer (32) | body | Ed25519 signature (64)`; the
//! signature covers a fixed prefix, the relay document's id and every byte
//! before it, so an entry moved to another plan, changed, or signed by
//! another key is refused. The relay sees public keys, sizes and times of
//! arrival, never names, sections or words.
//! Over 400 lines because the three entries are written and read side by
//! side (one format), with their tests.

use std::collections::BTreeMap;

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use minicbor::Decoder;

use super::cbor::{self, Writer, Written};
use super::docid::DocumentId;
use super::identity::{seal_for, DeviceId, DeviceKey};
use super::sealed::{self, Bundle};
use crate::plan::{Coded, PlanId, Role};

pub const VERSION: u8 = 2;
const REQUEST: u8 = b'R';
const ROSTER: u8 = b'A';
const CHANGES: u8 = b'C';
const STOPPED: u8 = b'S';
const REFUSED: u8 = b'X';
const SIG_PREFIX: &[u8] = b"carer-support-plan signed entry 2\n";
const AAD_PREFIX: &[u8] = b"carer-support-plan keep-in-step 2\n";
/// The most devices one plan's list may hold (a carer's phones, a few
/// workers' laptops and phones, with room to spare).
pub const MAX_MEMBERS: usize = 64;
/// The longest device name kept.
pub const MAX_NAME: usize = 120;

/// Keys of the epochs this device holds, by epoch.
pub type Ring = BTreeMap<u32, [u8; 32]>;

/// A device allowed to keep a plan in step.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Member {
    pub device: DeviceId,
    pub dh: [u8; 32],
    pub name: String,
    pub role: Role,
    pub allowed_at: i64,
}

/// A device asking to join.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Request {
    pub device: DeviceId,
    pub dh: [u8; 32],
    pub name: String,
    pub role: Role,
    pub at: i64,
}

/// The list of devices, as one carer's device wrote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Roster {
    pub epoch: u32,
    pub plan_id: PlanId,
    pub members: Vec<Member>,
    pub removed: Vec<DeviceId>,
    pub refused: Vec<DeviceId>,
    pub sections: Vec<String>,
    pub stopped: bool,
    pub at: i64,
}

impl Roster {
    pub fn member(&self, d: &DeviceId) -> Option<&Member> {
        self.members.iter().find(|m| m.device == *d)
    }
}

/// An entry read from the sealed document, its signature checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Entry {
    Request(Request),
    /// A list of devices: the signer, its epoch, the key ring sealed to
    /// this device (if it is on it) and the body, still sealed.
    Roster {
        signer: DeviceId,
        epoch: u32,
        ring: Option<Vec<u8>>,
        body: Vec<u8>,
    },
    /// The carer's device says keeping in step has stopped (sealed with
    /// the link's key, so a device that only asked learns it too).
    Stopped {
        signer: DeviceId,
    },
    /// A carer's device says it refused a device that asked (sealed with
    /// the link's key, so the device that asked learns it, instead of
    /// waiting for ever; the list of devices says it to allowed ones).
    Refused {
        signer: DeviceId,
        device: DeviceId,
    },
    /// A change bundle, still sealed with its epoch's key.
    Changes {
        signer: DeviceId,
        epoch: u32,
        body: Vec<u8>,
    },
}

/// Why an entry was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntryError {
    /// Not format 2 (an older bundle, or not this app's).
    Unknown,
    /// Cut short, changed, moved from another plan or not signed by its key.
    BadSignature,
    /// Signed, but its inside is not what it says.
    Malformed,
    /// Signed and opened, but it names a section this version does not
    /// know: written by a newer version of the app.
    Newer,
    /// Sealed with a key this device does not hold (yet).
    NoKey,
    /// The device could not get random numbers.
    Random,
}

fn signed_bytes(doc: &DocumentId, body: &[u8]) -> Vec<u8> {
    let mut m = SIG_PREFIX.to_vec();
    m.extend_from_slice(doc.bytes());
    m.extend_from_slice(body);
    m
}

fn aad(doc: &DocumentId, kind: u8, signer: &DeviceId, epoch: u32) -> Vec<u8> {
    let mut a = AAD_PREFIX.to_vec();
    a.extend_from_slice(doc.bytes());
    a.push(kind);
    a.extend_from_slice(&signer.0);
    a.extend_from_slice(&epoch.to_be_bytes());
    a
}

fn encrypt(key: &[u8; 32], plain: &[u8], aad: &[u8]) -> Result<Vec<u8>, EntryError> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|_| EntryError::Random)?;
    let c = Aes256Gcm::new_from_slice(key).map_err(|_| EntryError::Unknown)?;
    let ct = c
        .encrypt(Nonce::from_slice(&nonce), Payload { msg: plain, aad })
        .map_err(|_| EntryError::Unknown)?;
    let mut out = nonce.to_vec();
    out.extend_from_slice(&ct);
    Ok(out)
}

fn decrypt(key: &[u8; 32], sealed: &[u8], aad: &[u8]) -> Result<Vec<u8>, EntryError> {
    if sealed.len() < 12 + 16 {
        return Err(EntryError::Malformed);
    }
    let c = Aes256Gcm::new_from_slice(key).map_err(|_| EntryError::Unknown)?;
    c.decrypt(
        Nonce::from_slice(&sealed[..12]),
        Payload {
            msg: &sealed[12..],
            aad,
        },
    )
    .map_err(|_| EntryError::Malformed)
}

fn finish(me: &DeviceKey, doc: &DocumentId, mut out: Vec<u8>) -> Vec<u8> {
    let sig = me.sign(&signed_bytes(doc, &out));
    out.extend_from_slice(&sig);
    out
}

fn head(kind: u8, me: &DeviceKey) -> Vec<u8> {
    let mut out = vec![VERSION, kind];
    out.extend_from_slice(&me.id().0);
    out
}

fn name_of(s: &str) -> String {
    s.chars()
        .filter(|c| !c.is_control())
        .take(MAX_NAME)
        .collect()
}

/// This device asks to join, sealed with the link's key.
pub fn request(
    me: &DeviceKey,
    doc: &DocumentId,
    link_key: &[u8; 32],
    name: &str,
    role: Role,
    at: i64,
) -> Result<Vec<u8>, EntryError> {
    let plain = cbor::to_vec(|e| {
        e.map(4)?;
        e.str("dh")?.bytes(&me.dh_public())?;
        e.str("name")?.str(&name_of(name))?;
        e.str("role")?.str(role.code())?;
        e.str("at")?.i64(at)?;
        Ok(())
    });
    sealed_with_link(REQUEST, me, doc, link_key, &plain)
}

/// An entry every holder of the link can open: `plain` sealed with the
/// link's key, signed by `me`.
fn sealed_with_link(
    kind: u8,
    me: &DeviceKey,
    doc: &DocumentId,
    link_key: &[u8; 32],
    plain: &[u8],
) -> Result<Vec<u8>, EntryError> {
    let mut out = head(kind, me);
    out.extend(encrypt(link_key, plain, &aad(doc, kind, &me.id(), 0))?);
    Ok(finish(me, doc, out))
}

/// A carer's device says keeping in step has stopped, to every holder of
/// the link (a device that asked is told, instead of waiting for ever).
pub fn stopped(
    me: &DeviceKey,
    doc: &DocumentId,
    link_key: &[u8; 32],
    at: i64,
) -> Result<Vec<u8>, EntryError> {
    sealed_with_link(STOPPED, me, doc, link_key, &at.to_be_bytes())
}

/// A carer's device says it refused `device`, to every holder of the link.
pub fn refused(
    me: &DeviceKey,
    doc: &DocumentId,
    link_key: &[u8; 32],
    device: &DeviceId,
    at: i64,
) -> Result<Vec<u8>, EntryError> {
    let mut plain = device.0.to_vec();
    plain.extend_from_slice(&at.to_be_bytes());
    sealed_with_link(REFUSED, me, doc, link_key, &plain)
}

/// A carer's device writes the list of devices for `epoch`, sealing the
/// ring (every epoch key up to this one) to each member.
pub fn roster(
    me: &DeviceKey,
    doc: &DocumentId,
    roster: &Roster,
    ring: &Ring,
) -> Result<Vec<u8>, EntryError> {
    let key = ring.get(&roster.epoch).ok_or(EntryError::NoKey)?;
    let ring_bytes = encode_ring(ring);
    let context = ring_context(doc, roster.epoch);
    let mut out = head(ROSTER, me);
    out.extend_from_slice(&roster.epoch.to_be_bytes());
    out.extend_from_slice(&(roster.members.len() as u16).to_be_bytes());
    for m in &roster.members {
        let sealed = seal_for(&m.dh, &ring_bytes, &context).map_err(|_| EntryError::Random)?;
        out.extend_from_slice(&m.device.0);
        out.extend_from_slice(&(sealed.len() as u16).to_be_bytes());
        out.extend_from_slice(&sealed);
    }
    out.extend(encrypt(
        key,
        &encode_roster(roster),
        &aad(doc, ROSTER, &me.id(), roster.epoch),
    )?);
    Ok(finish(me, doc, out))
}

/// A change bundle sealed with the key of `epoch`.
pub fn changes(
    me: &DeviceKey,
    doc: &DocumentId,
    epoch: u32,
    key: &[u8; 32],
    bundle: &Bundle,
) -> Result<Vec<u8>, EntryError> {
    let mut out = head(CHANGES, me);
    out.extend_from_slice(&epoch.to_be_bytes());
    out.extend(encrypt(
        key,
        &sealed::encode(bundle),
        &aad(doc, CHANGES, &me.id(), epoch),
    )?);
    Ok(finish(me, doc, out))
}

/// Read an entry: its signature is checked first; a request is opened with
/// the link's key; this device's sealed ring is picked out of a list.
pub fn read(
    bytes: &[u8],
    doc: &DocumentId,
    link_key: &[u8; 32],
    me: &DeviceId,
) -> Result<Entry, EntryError> {
    if bytes.len() > sealed::MAX_SEALED {
        return Err(EntryError::Malformed);
    }
    if bytes.first() != Some(&VERSION) {
        return Err(EntryError::Unknown);
    }
    if bytes.len() < 2 + 32 + 64 {
        return Err(EntryError::BadSignature);
    }
    let (body, sig) = bytes.split_at(bytes.len() - 64);
    let signer = DeviceId(body[2..34].try_into().map_err(|_| EntryError::Malformed)?);
    let sig: [u8; 64] = sig.try_into().map_err(|_| EntryError::Malformed)?;
    if !signer.verify(&signed_bytes(doc, body), &sig) {
        return Err(EntryError::BadSignature);
    }
    let rest = &body[34..];
    match body[1] {
        REQUEST => {
            let plain = decrypt(link_key, rest, &aad(doc, REQUEST, &signer, 0))?;
            decode_request(&plain, signer).ok_or(EntryError::Malformed)
        }
        STOPPED => {
            decrypt(link_key, rest, &aad(doc, STOPPED, &signer, 0))?;
            Ok(Entry::Stopped { signer })
        }
        REFUSED => {
            let plain = decrypt(link_key, rest, &aad(doc, REFUSED, &signer, 0))?;
            let device = plain
                .get(..32)
                .filter(|_| plain.len() == 40)
                .and_then(|b| b.try_into().ok())
                .ok_or(EntryError::Malformed)?;
            Ok(Entry::Refused {
                signer,
                device: DeviceId(device),
            })
        }
        ROSTER => {
            let mut d = rest;
            let epoch = take_u32(&mut d)?;
            let n = take_u16(&mut d)? as usize;
            if n > MAX_MEMBERS {
                return Err(EntryError::Malformed);
            }
            let mut ring = None;
            for _ in 0..n {
                let device = take(&mut d, 32)?;
                let len = take_u16(&mut d)? as usize;
                let sealed = take(&mut d, len)?;
                if device == me.0 {
                    ring = Some(sealed.to_vec());
                }
            }
            Ok(Entry::Roster {
                signer,
                epoch,
                ring,
                body: d.to_vec(),
            })
        }
        CHANGES => {
            let mut d = rest;
            let epoch = take_u32(&mut d)?;
            Ok(Entry::Changes {
                signer,
                epoch,
                body: d.to_vec(),
            })
        }
        _ => Err(EntryError::Unknown),
    }
}

/// Open this device's ring from a list of devices.
pub fn open_ring(
    me: &DeviceKey,
    doc: &DocumentId,
    epoch: u32,
    sealed: &[u8],
) -> Result<Ring, EntryError> {
    let plain = me
        .open_sealed(sealed, &ring_context(doc, epoch))
        .map_err(|_| EntryError::NoKey)?;
    decode_ring(&plain).ok_or(EntryError::Malformed)
}

/// Open a list's body with its epoch's key.
pub fn open_roster(
    doc: &DocumentId,
    signer: &DeviceId,
    epoch: u32,
    body: &[u8],
    ring: &Ring,
) -> Result<Roster, EntryError> {
    let key = ring.get(&epoch).ok_or(EntryError::NoKey)?;
    let plain = decrypt(key, body, &aad(doc, ROSTER, signer, epoch))?;
    let r = decode_roster(&plain).ok_or(EntryError::Malformed)?;
    if r.epoch != epoch {
        return Err(EntryError::Malformed);
    }
    Ok(r)
}

/// Open a change bundle with its epoch's key.
pub fn open_changes(
    doc: &DocumentId,
    signer: &DeviceId,
    epoch: u32,
    body: &[u8],
    ring: &Ring,
) -> Result<Bundle, EntryError> {
    let key = ring.get(&epoch).ok_or(EntryError::NoKey)?;
    let plain = decrypt(key, body, &aad(doc, CHANGES, signer, epoch))?;
    sealed::read_plaintext(&plain).map_err(|e| match e {
        sealed::SealError::UnknownSection => EntryError::Newer,
        _ => EntryError::Malformed,
    })
}

fn ring_context(doc: &DocumentId, epoch: u32) -> Vec<u8> {
    let mut c = b"carer-support-plan ring 2\n".to_vec();
    c.extend_from_slice(doc.bytes());
    c.extend_from_slice(&epoch.to_be_bytes());
    c
}

fn take<'a>(d: &mut &'a [u8], n: usize) -> Result<&'a [u8], EntryError> {
    if d.len() < n {
        return Err(EntryError::Malformed);
    }
    let (a, b) = d.split_at(n);
    *d = b;
    Ok(a)
}

fn take_u16(d: &mut &[u8]) -> Result<u16, EntryError> {
    let b = take(d, 2)?;
    Ok(u16::from_be_bytes(
        b.try_into().map_err(|_| EntryError::Malformed)?,
    ))
}

fn take_u32(d: &mut &[u8]) -> Result<u32, EntryError> {
    let b = take(d, 4)?;
    Ok(u32::from_be_bytes(
        b.try_into().map_err(|_| EntryError::Malformed)?,
    ))
}

fn encode_ring(ring: &Ring) -> Vec<u8> {
    cbor::to_vec(|e| {
        e.map(ring.len() as u64)?;
        for (epoch, key) in ring {
            e.u32(*epoch)?.bytes(key)?;
        }
        Ok(())
    })
}

fn decode_ring(b: &[u8]) -> Option<Ring> {
    let mut d = Decoder::new(b);
    let n = d.map().ok()??;
    if n > 4096 {
        return None;
    }
    let mut ring = Ring::new();
    for _ in 0..n {
        let epoch = d.u32().ok()?;
        ring.insert(epoch, d.bytes().ok()?.try_into().ok()?);
    }
    (d.position() == b.len()).then_some(ring)
}

fn decode_request(b: &[u8], device: DeviceId) -> Option<Entry> {
    let mut d = Decoder::new(b);
    let n = d.map().ok()??;
    let (mut dh, mut name, mut role, mut at) = (None, None, None, None);
    for _ in 0..n.min(16) {
        match d.str().ok()? {
            "dh" => dh = Some(<[u8; 32]>::try_from(d.bytes().ok()?).ok()?),
            "name" => name = Some(name_of(d.str().ok()?)),
            "role" => role = Role::from_code(d.str().ok()?),
            "at" => at = Some(d.i64().ok()?),
            _ => d.skip().ok()?,
        }
    }
    Some(Entry::Request(Request {
        device,
        dh: dh?,
        name: name?,
        role: role?,
        at: at?,
    }))
}

fn ids(e: &mut Writer, list: &[DeviceId]) -> Written {
    e.array(list.len() as u64)?;
    for d in list {
        e.bytes(&d.0)?;
    }
    Ok(())
}

fn encode_roster(r: &Roster) -> Vec<u8> {
    cbor::to_vec(|e| {
        e.map(8)?;
        e.str("epoch")?.u32(r.epoch)?;
        e.str("plan")?.str(r.plan_id.as_str())?;
        e.str("members")?.array(r.members.len() as u64)?;
        for m in &r.members {
            e.array(5)?
                .bytes(&m.device.0)?
                .bytes(&m.dh)?
                .str(&m.name)?
                .str(m.role.code())?
                .i64(m.allowed_at)?;
        }
        e.str("removed")?;
        ids(e, &r.removed)?;
        e.str("refused")?;
        ids(e, &r.refused)?;
        e.str("sections")?.array(r.sections.len() as u64)?;
        for s in &r.sections {
            e.str(s)?;
        }
        e.str("stopped")?.bool(r.stopped)?;
        e.str("at")?.i64(r.at)?;
        Ok(())
    })
}

fn decode_ids(d: &mut Decoder<'_>) -> Option<Vec<DeviceId>> {
    let n = d.array().ok()??;
    if n > 4096 {
        return None;
    }
    (0..n)
        .map(|_| Some(DeviceId(d.bytes().ok()?.try_into().ok()?)))
        .collect()
}

fn decode_roster(b: &[u8]) -> Option<Roster> {
    let mut d = Decoder::new(b);
    let n = d.map().ok()??;
    let mut r = Roster {
        epoch: 0,
        plan_id: PlanId::default(),
        members: Vec::new(),
        removed: Vec::new(),
        refused: Vec::new(),
        sections: Vec::new(),
        stopped: false,
        at: 0,
    };
    let mut plan = false;
    for _ in 0..n.min(32) {
        match d.str().ok()? {
            "epoch" => r.epoch = d.u32().ok()?,
            "plan" => {
                r.plan_id = PlanId::parse(d.str().ok()?)?;
                plan = true;
            }
            "members" => {
                let k = d.array().ok()??;
                if k as usize > MAX_MEMBERS {
                    return None;
                }
                for _ in 0..k {
                    if d.array().ok()?? != 5 {
                        return None;
                    }
                    r.members.push(Member {
                        device: DeviceId(d.bytes().ok()?.try_into().ok()?),
                        dh: d.bytes().ok()?.try_into().ok()?,
                        name: name_of(d.str().ok()?),
                        role: Role::from_code(d.str().ok()?)?,
                        allowed_at: d.i64().ok()?,
                    });
                }
            }
            "removed" => r.removed = decode_ids(&mut d)?,
            "refused" => r.refused = decode_ids(&mut d)?,
            "sections" => {
                let k = d.array().ok()??;
                if k > 256 {
                    return None;
                }
                for _ in 0..k {
                    r.sections.push(d.str().ok()?.to_owned());
                }
            }
            "stopped" => r.stopped = d.bool().ok()?,
            "at" => r.at = d.i64().ok()?,
            _ => d.skip().ok()?,
        }
    }
    (plan && d.position() == b.len()).then_some(r)
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ChangeHash;

    fn plan_id() -> PlanId {
        PlanId::parse(&"ab".repeat(16)).unwrap()
    }

    /// Three devices (the carer's, the worker's, and one the carer
    /// refused), a sealed document and a link secret.
    struct Setup {
        carer: DeviceKey,
        worker: DeviceKey,
        stranger: DeviceKey,
        doc: DocumentId,
        link: [u8; 32],
    }

    fn setup() -> Setup {
        Setup {
            carer: DeviceKey::generate().unwrap(),
            worker: DeviceKey::generate().unwrap(),
            stranger: DeviceKey::generate().unwrap(),
            doc: DocumentId::from_bytes([1; 16]),
            link: [5u8; 32],
        }
    }

    /// The ring of epoch 1, and a list with the carer and the worker on it
    /// and the stranger refused.
    fn ring_and_roster(s: &Setup) -> (Ring, Roster) {
        let mut ring = Ring::new();
        ring.insert(1, [3; 32]);
        let member = |key: &DeviceKey, name: &str, role, allowed_at| Member {
            device: key.id(),
            dh: key.dh_public(),
            name: name.into(),
            role,
            allowed_at,
        };
        let r = Roster {
            epoch: 1,
            plan_id: plan_id(),
            members: vec![
                member(&s.carer, "Ann's phone", Role::Carer, 1),
                member(&s.worker, "Sam's laptop", Role::KeyWorker, 2),
            ],
            removed: vec![],
            refused: vec![s.stranger.id()],
            sections: vec!["about-you".into()],
            stopped: false,
            at: 2,
        };
        (ring, r)
    }

    #[test]
    fn a_request_opens_only_as_signed_and_for_its_document() {
        let Setup {
            carer,
            worker,
            doc,
            link,
            ..
        } = setup();
        let req = request(&worker, &doc, &link, "Sam's laptop", Role::KeyWorker, 9).unwrap();
        match read(&req, &doc, &link, &carer.id()).unwrap() {
            Entry::Request(r) => {
                assert_eq!(r.device, worker.id());
                assert_eq!(r.name, "Sam's laptop");
                assert_eq!(r.dh, worker.dh_public());
            }
            e => panic!("{e:?}"),
        }
        let other = DocumentId::from_bytes([2; 16]);
        assert_eq!(
            read(&req, &other, &link, &carer.id()),
            Err(EntryError::BadSignature)
        );
        for i in [1, 10, 40, req.len() - 1] {
            let mut t = req.clone();
            t[i] ^= 1;
            assert!(read(&t, &doc, &link, &carer.id()).is_err(), "byte {i}");
        }
    }

    #[test]
    fn a_roster_opens_its_ring_only_for_its_members() {
        let s = setup();
        let Setup {
            carer,
            worker,
            stranger,
            doc,
            link,
        } = &s;
        let (ring, r) = ring_and_roster(&s);
        let bytes = roster(carer, doc, &r, &ring).unwrap();
        let Entry::Roster {
            signer,
            epoch,
            ring: sealed,
            body,
        } = read(&bytes, doc, link, &worker.id()).unwrap()
        else {
            panic!()
        };
        assert_eq!((signer, epoch), (carer.id(), 1));
        let got = open_ring(worker, doc, 1, &sealed.unwrap()).unwrap();
        assert_eq!(got, ring);
        assert_eq!(open_roster(doc, &signer, 1, &body, &got).unwrap(), r);
        // The stranger finds no ring of its own.
        let Entry::Roster { ring: none, .. } = read(&bytes, doc, link, &stranger.id()).unwrap()
        else {
            panic!()
        };
        assert!(none.is_none());
    }

    #[test]
    fn a_refusal_is_told_to_the_refused_device_only_as_signed() {
        let Setup {
            carer,
            stranger,
            doc,
            link,
            ..
        } = setup();
        // The stranger is told it was refused, by the carer's device.
        let no = refused(&carer, &doc, &link, &stranger.id(), 3).unwrap();
        assert_eq!(
            read(&no, &doc, &link, &stranger.id()),
            Ok(Entry::Refused {
                signer: carer.id(),
                device: stranger.id()
            })
        );
        let mut t = no.clone();
        t[40] ^= 1;
        assert!(read(&t, &doc, &link, &stranger.id()).is_err());
    }

    #[test]
    fn changes_open_with_the_ring_and_only_as_signed() {
        let s = setup();
        let (ring, _) = ring_and_roster(&s);
        let Setup {
            carer,
            worker,
            doc,
            link,
            ..
        } = s;
        let b = Bundle {
            header: sealed::Header {
                plan_id: plan_id(),
                from_name: String::new(),
                from_role: Role::KeyWorker,
                sections: vec![],
                stopped: false,
                heads: vec![ChangeHash([4; 32])],
                parts: vec![],
            },
            changes: b"x".to_vec(),
        };
        let c = changes(&worker, &doc, 1, &[3; 32], &b).unwrap();
        let Entry::Changes {
            signer,
            epoch,
            body,
        } = read(&c, &doc, &link, &carer.id()).unwrap()
        else {
            panic!()
        };
        assert_eq!(signer, worker.id());
        assert_eq!(open_changes(&doc, &signer, epoch, &body, &ring).unwrap(), b);
        // Claiming another signer breaks the signature.
        let mut forged = c.clone();
        forged[2..34].copy_from_slice(&carer.id().0);
        assert_eq!(
            read(&forged, &doc, &link, &carer.id()),
            Err(EntryError::BadSignature)
        );
        assert!(!c.windows(3).any(|w| w == b"Sam"));
    }
}
