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
use minicbor::{Decoder, Encoder};

use super::docid::DocumentId;
use super::entry::{self, Member, Roster};
use super::identity::{DeviceId, DeviceKey};
use super::keep::Keep;
use super::link::Link;
use crate::plan::{Coded, PlanId, Role};

type E = Encoder<Vec<u8>>;

fn hashes(e: &mut E, hs: &[ChangeHash]) {
    let _ = e.array(hs.len() as u64);
    for h in hs {
        let _ = e.bytes(h.as_ref());
    }
}

fn read_hashes(d: &mut Decoder<'_>) -> Option<Vec<ChangeHash>> {
    let n = d.array().ok()??;
    if n > 65_536 {
        return None;
    }
    (0..n)
        .map(|_| ChangeHash::try_from(d.bytes().ok()?).ok())
        .collect()
}

fn strings(e: &mut E, list: &[String]) {
    let _ = e.array(list.len() as u64);
    for s in list {
        let _ = e.str(s);
    }
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
        let mut e = Encoder::new(Vec::new());
        let _ = e.map(16);
        let _ = e.str("v").and_then(|e| e.u8(2));
        let _ = e.str("doc").and_then(|e| e.bytes(self.link.doc.bytes()));
        let _ = e.str("key").and_then(|e| e.bytes(&self.link.key));
        let _ = e.str("root");
        let _ = match &self.link.root {
            Some(r) => e.bytes(&r.0),
            None => e.null(),
        };
        let _ = e.str("me").and_then(|e| e.str(self.me.code()));
        let _ = e.str("device").and_then(|e| e.bytes(&self.device.0));
        let _ = e
            .str("plan")
            .and_then(|e| e.str(self.plan_id.as_ref().map(PlanId::as_str).unwrap_or("")));
        let _ = e.str("sections");
        strings(&mut e, &self.sections);
        let _ = e.str("sealed").and_then(|e| e.bytes(&self.sealed.save()));
        let _ = e.str("relay").and_then(|e| e.bytes(&self.relay.encode()));
        let _ = e.str("taken");
        strings(&mut e, &self.taken.iter().cloned().collect::<Vec<_>>());
        let _ = e.str("covered");
        hashes(&mut e, &self.covered);
        let _ = e.str("ring").and_then(|e| e.map(self.ring.len() as u64));
        for (epoch, key) in &self.ring {
            let _ = e.u32(*epoch).and_then(|e| e.bytes(key));
        }
        let _ = e
            .str("theirs")
            .and_then(|e| e.array(self.their_heads.len() as u64));
        for (device, (parts, at)) in &self.their_heads {
            let _ = e.array(3).and_then(|e| e.bytes(&device.0));
            let _ = e.map(parts.len() as u64);
            for (part, hs) in parts {
                let _ = e.str(part);
                hashes(&mut e, hs);
            }
            let _ = e.i64(*at);
        }
        let _ = e.str("unconfirmed");
        let _ = match self.unconfirmed_since {
            Some(t) => e.i64(t),
            None => e.null(),
        };
        let _ = e.str("flags").and_then(|e| {
            e.array(4)?
                .bool(self.ack_due)?
                .bool(self.stopped)?
                .bool(self.old_link)?
                .bool(self.relinked)
        });
        e.into_writer()
    }

    /// Read what [`Keep::save`] wrote (or format 1); `None` if it is not
    /// that. `me` is this device (a format-1 carer's keep is carried on
    /// under it).
    pub fn restore(bytes: &[u8], me: &DeviceKey, now_ms: i64) -> Option<Keep> {
        let d = Decoder::new(bytes);
        match d.datatype().ok()? {
            minicbor::data::Type::Map => restore_2(bytes),
            minicbor::data::Type::Array => restore_1(bytes, me, now_ms),
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
    let mut ring = entry::Ring::new();
    let mut theirs = BTreeMap::new();
    let mut unconfirmed = None;
    let (mut ack_due, mut stopped, mut old_link, mut relinked) = (false, false, false, false);
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
                if d.datatype().ok()? == minicbor::data::Type::Null {
                    d.null().ok()?;
                } else {
                    root = Some(DeviceId(d.bytes().ok()?.try_into().ok()?));
                }
            }
            "me" => me = Some(Role::from_code(d.str().ok()?)?),
            "device" => device = Some(DeviceId(d.bytes().ok()?.try_into().ok()?)),
            "plan" => plan_id = PlanId::parse(d.str().ok()?),
            "sections" => sections = read_strings(&mut d, 256)?,
            "sealed" => sealed = Some(Automerge::load(d.bytes().ok()?).ok()?),
            "relay" => relay = Some(sync::State::decode(d.bytes().ok()?).ok()?),
            "taken" => taken = read_strings(&mut d, 1 << 20)?.into_iter().collect(),
            "covered" => covered = read_hashes(&mut d)?,
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
                    if d.array().ok()?? != 3 {
                        return None;
                    }
                    let dev = DeviceId(d.bytes().ok()?.try_into().ok()?);
                    let m = d.map().ok()??;
                    if m > 256 {
                        return None;
                    }
                    let mut parts = Vec::new();
                    for _ in 0..m {
                        let p = d.str().ok()?.to_owned();
                        parts.push((p, read_hashes(&mut d)?));
                    }
                    theirs.insert(dev, (parts, d.i64().ok()?));
                }
            }
            "unconfirmed" => {
                if d.datatype().ok()? == minicbor::data::Type::Null {
                    d.null().ok()?;
                } else {
                    unconfirmed = Some(d.i64().ok()?);
                }
            }
            "flags" => {
                if d.array().ok()?? != 4 {
                    return None;
                }
                ack_due = d.bool().ok()?;
                stopped = d.bool().ok()?;
                old_link = d.bool().ok()?;
                relinked = d.bool().ok()?;
            }
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
    k.ring = ring;
    k.their_heads = theirs;
    k.unconfirmed_since = unconfirmed;
    k.ack_due = ack_due;
    k.stopped = stopped;
    k.old_link = old_link;
    k.relinked = relinked;
    k.rescan();
    Some(k)
}

/// Format 1: `[1, doc, key, role, plan, sections, sent sections, sealed,
/// sync state, read, covered, other, stopped, stop sent, device, seq, seen]`.
fn restore_1(bytes: &[u8], me_key: &DeviceKey, now_ms: i64) -> Option<Keep> {
    let mut d = Decoder::new(bytes);
    if d.array().ok()?? != 16 || d.u8().ok()? != 1 {
        return None;
    }
    let doc = DocumentId::from_bytes(d.bytes().ok()?.try_into().ok()?);
    let key: [u8; 32] = d.bytes().ok()?.try_into().ok()?;
    let me = if d.str().ok()? == "carer" {
        Role::Carer
    } else {
        Role::KeyWorker
    };
    let plan_id = PlanId::parse(d.str().ok()?);
    let sections = read_strings(&mut d, 256)?;
    let _sent_sections = read_strings(&mut d, 256)?;
    let sealed = Automerge::load(d.bytes().ok()?).ok()?;
    let relay = sync::State::decode(d.bytes().ok()?).ok()?;
    let _read = read_hashes(&mut d)?;
    let covered = read_hashes(&mut d)?;
    match d.array().ok()?? {
        2 => {
            d.str().ok()?;
            d.bool().ok()?;
        }
        0 => {}
        _ => return None,
    }
    let stopped = d.bool().ok()?;
    let _stop_sent = d.bool().ok()?;
    let _device = d.str().ok()?;
    let _seq = d.u64().ok()?;
    let n = d.map().ok()??;
    if n > 1024 {
        return None;
    }
    for _ in 0..n {
        d.str().ok()?;
        d.u64().ok()?;
    }
    if d.position() != bytes.len() {
        return None;
    }
    let link = Link {
        doc,
        key,
        root: None,
    };
    let mut k = Keep::new(link, me, me_key.id(), plan_id.clone(), sections.clone());
    k.sealed = sealed;
    k.relay = relay;
    k.covered = covered;
    k.stopped = stopped;
    // What is on the relay already was taken in under the first format.
    k.rescan();
    let old: Vec<String> = k.waiting_keys();
    k.mark_taken(old);
    if me == Role::Carer && !stopped {
        // Her device decides from now on; her key worker needs the new link.
        k.link.root = Some(me_key.id());
        let mut epoch_key = [0u8; 32];
        getrandom::fill(&mut epoch_key).ok()?;
        k.ring.insert(1, epoch_key);
        let roster = Roster {
            epoch: 1,
            plan_id: plan_id?,
            members: vec![Member {
                device: me_key.id(),
                dh: me_key.dh_public(),
                name: String::new(),
                role: Role::Carer,
                allowed_at: now_ms,
            }],
            removed: Vec::new(),
            refused: Vec::new(),
            sections,
            stopped: false,
            at: now_ms,
        };
        k.put_list(me_key, roster).ok()?;
        k.relinked = true;
        // Bundles of the first format are not read any more: the chosen
        // parts go again, whole, under the new keys.
        k.covered = Vec::new();
        k.seal_due = true;
    } else {
        k.old_link = true;
    }
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

    fn waiting_keys(&self) -> Vec<String> {
        self.waiting.keys().cloned().collect()
    }

    fn mark_taken(&mut self, keys: Vec<String>) {
        for k in keys {
            self.waiting.remove(&k);
            self.taken.insert(k);
        }
    }
}
