//! A keep as bytes, for IndexedDB between visits (format 2): a CBOR map of
//! what must outlive the tab — the link, the sealed document saved whole,
//! the sync state with the relay (as Automerge encodes it), the bundles
//! already taken, the epoch keys, what the other devices last said they
//! have. Entries are collected again from the sealed document's history
//! when the keep is read back, so nothing half-done is stored.
//!
//! Format 1 (a CBOR array of 16 fields, before devices had to be allowed)
//! is still read: the carer's keep carries on under the same relay
//! document with her device as the one that decides (she gives her key
//! worker the new link); a worker's keep asks for a new link.

use std::collections::{BTreeMap, BTreeSet};

use automerge::sync;
use automerge::{Automerge, ChangeHash};
use minicbor::bytes::ByteArray;
use minicbor::encode::{self, Write};
use minicbor::{decode, Decode, Decoder, Encode, Encoder};

mod format_1;

use super::cbor::{self, Writer, Written};
use super::docid::DocumentId;
use super::entry;
use super::identity::{DeviceId, DeviceKey};
use super::keep::{Keep, PartHeads};
use super::link::Link;
use crate::plan::{Coded, PlanId, Role, Section};

// The keep itself is a map with *text* keys ("v", "doc", "flags", …) in a
// fixed order, and minicbor's derive writes maps with number keys only: the
// map is written and read by hand below so that stored keeps keep their
// bytes (`tests/fixtures/sync/format-2/`). What sits inside it in a shape
// the derive writes the same (arrays of fixed fields) is derived.

/// What another device last said it has of each part: `[device,
/// {part: [head, …], …}, at]`.
#[derive(Encode, Decode)]
struct Theirs {
    #[n(0)]
    device: ByteArray<32>,
    #[n(1)]
    #[cbor(encode_with = "encode_parts", decode_with = "decode_parts")]
    parts: PartHeads,
    #[n(2)]
    at: i64,
}

/// `[ack due, stopped, old link, relinked]`.
#[derive(Encode, Decode)]
struct Flags {
    #[n(0)]
    ack_due: bool,
    #[n(1)]
    stopped: bool,
    #[n(2)]
    old_link: bool,
    #[n(3)]
    relinked: bool,
}

/// The most parts a device reports, and heads a list holds.
const MAX_PARTS: u64 = 256;
const MAX_HEADS: u64 = 65_536;

fn encode_hashes<W: Write>(
    hs: &[ChangeHash],
    e: &mut Encoder<W>,
) -> Result<(), encode::Error<W::Error>> {
    e.array(hs.len() as u64)?;
    for h in hs {
        e.bytes(h.as_ref())?;
    }
    Ok(())
}

fn decode_hashes(d: &mut Decoder<'_>) -> Result<Vec<ChangeHash>, decode::Error> {
    let n = d
        .array()?
        .ok_or_else(|| decode::Error::message("heads of unknown length"))?;
    if n > MAX_HEADS {
        return Err(decode::Error::message("too many heads"));
    }
    (0..n)
        .map(|_| ChangeHash::try_from(d.bytes()?).map_err(|_| decode::Error::message("not a head")))
        .collect()
}

fn read_hashes(d: &mut Decoder<'_>) -> Option<Vec<ChangeHash>> {
    decode_hashes(d).ok()
}

fn encode_parts<C, W: Write>(
    parts: &[(Section, Vec<ChangeHash>)],
    e: &mut Encoder<W>,
    _: &mut C,
) -> Result<(), encode::Error<W::Error>> {
    e.map(parts.len() as u64)?;
    for (part, hs) in parts {
        e.str(&part.id())?;
        encode_hashes(hs, e)?;
    }
    Ok(())
}

/// A part this version does not know (only a newer version's device could
/// have named one) is passed over: it is only what that device said it had.
fn decode_parts<C>(d: &mut Decoder<'_>, _: &mut C) -> Result<PartHeads, decode::Error> {
    let n = d
        .map()?
        .ok_or_else(|| decode::Error::message("parts of unknown length"))?;
    if n > MAX_PARTS {
        return Err(decode::Error::message("too many parts"));
    }
    let mut out = Vec::new();
    for _ in 0..n {
        let part = Section::parse(d.str()?);
        let heads = decode_hashes(d)?;
        out.extend(part.map(|p| (p, heads)));
    }
    Ok(out)
}

fn encode_strings<'a>(list: impl ExactSizeIterator<Item = &'a String>, e: &mut Writer) -> Written {
    e.array(list.len() as u64)?;
    for s in list {
        e.str(s)?;
    }
    Ok(())
}

fn read_strings(d: &mut Decoder<'_>, max: u64) -> Option<Vec<String>> {
    let n = d.array().ok()??;
    if n > max {
        return None;
    }
    (0..n).map(|_| d.str().ok().map(str::to_owned)).collect()
}

impl Keep {
    /// Everything kept between visits, as bytes (see [`Keep::restore`]).
    pub fn save(&self) -> Vec<u8> {
        cbor::to_vec(|e| self.write(e))
    }

    fn write(&self, e: &mut Writer) -> Written {
        // `covered_chunks` only once known: a keep read from an earlier
        // release is written again byte for byte.
        e.map(16 + u64::from(self.covered_chunks.is_some()))?;
        e.str("v")?.u8(2)?;
        e.str("doc")?.bytes(self.link.doc.bytes())?;
        e.str("key")?.bytes(&self.link.key)?;
        e.str("root")?
            .encode(self.link.root.as_ref().map(|r| ByteArray::from(r.0)))?;
        e.str("me")?.str(self.me.code())?;
        e.str("device")?.bytes(&self.device.0)?;
        e.str("plan")?
            .str(self.plan_id.as_ref().map(PlanId::as_str).unwrap_or(""))?;
        e.str("sections")?;
        encode_strings(self.sections.iter(), e)?;
        e.str("sealed")?.bytes(&self.sealed.save())?;
        e.str("relay")?.bytes(&self.relay.encode())?;
        e.str("taken")?;
        encode_strings(self.taken.iter(), e)?;
        e.str("covered")?;
        encode_hashes(&self.covered, e)?;
        if let Some(chunks) = &self.covered_chunks {
            e.str("covered_chunks")?;
            encode_strings(chunks.iter(), e)?;
        }
        e.str("ring")?.map(self.ring.len() as u64)?;
        for (epoch, key) in &self.ring {
            e.u32(*epoch)?.bytes(key)?;
        }
        e.str("theirs")?.array(self.their_heads.len() as u64)?;
        for (device, (parts, at)) in &self.their_heads {
            e.encode(Theirs {
                device: ByteArray::from(device.0),
                parts: parts.clone(),
                at: *at,
            })?;
        }
        e.str("unconfirmed")?.encode(self.unconfirmed_since)?;
        e.str("flags")?.encode(Flags {
            ack_due: self.ack_due,
            stopped: self.stopped,
            old_link: self.old_link,
            relinked: self.relinked,
        })?;
        Ok(())
    }

    /// Read what [`Keep::save`] wrote (or format 1); `None` if it is not
    /// that. `me` is this device (a format-1 carer's keep is carried on
    /// under it).
    pub fn restore(bytes: &[u8], me: &DeviceKey, now_ms: i64) -> Option<Keep> {
        let d = Decoder::new(bytes);
        match d.datatype().ok()? {
            minicbor::data::Type::Map => restore_2(bytes),
            minicbor::data::Type::Array => format_1::restore(bytes, me, now_ms),
            _ => None,
        }
    }
}

fn restore_2(bytes: &[u8]) -> Option<Keep> {
    let mut d = Decoder::new(bytes);
    let n = d.map().ok()??;
    if n > 64 {
        return None;
    }
    let mut f: BTreeMap<&str, usize> = BTreeMap::new();
    let mut doc = None;
    let mut key = None;
    let mut root = None;
    let mut me = None;
    let mut device = None;
    let mut plan_id = None;
    let mut sections = Vec::new();
    let mut sealed = None;
    let mut relay = None;
    let mut taken = BTreeSet::new();
    let mut covered = Vec::new();
    let mut covered_chunks = None;
    let mut ring = entry::Ring::new();
    let mut theirs = BTreeMap::new();
    let mut unconfirmed = None;
    let mut flags = Flags {
        ack_due: false,
        stopped: false,
        old_link: false,
        relinked: false,
    };
    for _ in 0..n {
        let name = d.str().ok()?;
        *f.entry(name).or_default() += 1;
        match name {
            "v" => {
                if d.u8().ok()? != 2 {
                    return None;
                }
            }
            "doc" => doc = Some(DocumentId::from_bytes(d.bytes().ok()?.try_into().ok()?)),
            "key" => key = Some(<[u8; 32]>::try_from(d.bytes().ok()?).ok()?),
            "root" => {
                root = d
                    .decode::<Option<ByteArray<32>>>()
                    .ok()?
                    .map(|r| DeviceId(*r))
            }
            "me" => me = Some(Role::from_code(d.str().ok()?)?),
            "device" => device = Some(DeviceId(d.bytes().ok()?.try_into().ok()?)),
            "plan" => plan_id = PlanId::parse(d.str().ok()?),
            "sections" => sections = read_strings(&mut d, 256)?,
            "sealed" => sealed = Some(Automerge::load(d.bytes().ok()?).ok()?),
            "relay" => relay = Some(sync::State::decode(d.bytes().ok()?).ok()?),
            "taken" => taken = read_strings(&mut d, 1 << 20)?.into_iter().collect(),
            "covered" => covered = read_hashes(&mut d)?,
            "covered_chunks" => {
                covered_chunks = Some(read_strings(&mut d, 1 << 16)?.into_iter().collect())
            }
            "ring" => {
                let k = d.map().ok()??;
                if k > 4096 {
                    return None;
                }
                for _ in 0..k {
                    let epoch = d.u32().ok()?;
                    ring.insert(epoch, d.bytes().ok()?.try_into().ok()?);
                }
            }
            "theirs" => {
                let k = d.array().ok()??;
                if k > entry::MAX_MEMBERS as u64 {
                    return None;
                }
                for _ in 0..k {
                    let t: Theirs = d.decode().ok()?;
                    theirs.insert(DeviceId(*t.device), (t.parts, t.at));
                }
            }
            "unconfirmed" => unconfirmed = d.decode().ok()?,
            "flags" => flags = d.decode().ok()?,
            _ => d.skip().ok()?,
        }
    }
    if d.position() != bytes.len() || f.values().any(|n| *n > 1) {
        return None;
    }
    let link = Link {
        doc: doc?,
        key: key?,
        root,
    };
    let mut k = Keep::new(link, me?, device?, plan_id, sections);
    k.sealed = sealed?;
    k.relay = relay?;
    k.taken = taken;
    k.covered = covered;
    k.covered_chunks = covered_chunks;
    k.ring = ring;
    k.their_heads = theirs;
    k.unconfirmed_since = unconfirmed;
    k.ack_due = flags.ack_due;
    k.stopped = flags.stopped;
    k.old_link = flags.old_link;
    k.relinked = flags.relinked;
    k.rescan();
    Some(k)
}

impl Keep {
    /// Collect every entry again from the sealed document's history.
    pub(super) fn rescan(&mut self) {
        self.scanned = Vec::new();
        self.waiting.clear();
        self.checked.clear();
        self.lists.clear();
        self.lists_dirty = true;
        self.collect_entries();
    }
}
