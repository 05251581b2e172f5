//! Keeps of format 1 (a CBOR array of 16 fields, before devices had to be
//! allowed), still read: the carer's keep carries on under the same relay
//! document with her device as the one that decides; a worker's keep asks
//! for a new link.

use automerge::sync;
use automerge::Automerge;
use minicbor::Decoder;

use super::super::docid::DocumentId;
use super::super::entry::{Member, Roster};
use super::super::identity::DeviceKey;
use super::super::keep::Keep;
use super::super::link::Link;
use super::{read_hashes, read_strings};
use crate::plan::{PlanId, Role};

/// Format 1: `[1, doc, key, role, plan, sections, sent sections, sealed,
/// sync state, read, covered, other, stopped, stop sent, device, seq, seen]`.
pub(super) fn restore(bytes: &[u8], me_key: &DeviceKey, now_ms: i64) -> Option<Keep> {
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
