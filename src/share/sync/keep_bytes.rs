//! A keep as bytes, for IndexedDB between visits: a CBOR array of its
//! fields, the sealed document saved whole and the sync state encoded as
//! Automerge encodes it (only what should outlive a connection).

use automerge::sync;
use automerge::{Automerge, ChangeHash};

use super::docid::DocumentId;
use super::keep::Keep;
use super::link::Link;
use crate::plan::{PlanId, Role};

impl Keep {
    /// Everything kept between visits, as bytes (see [`Keep::restore`]).
    pub fn save(&self) -> Vec<u8> {
        let mut e = minicbor::Encoder::new(Vec::new());
        let hashes = |e: &mut minicbor::Encoder<Vec<u8>>, hs: &[ChangeHash]| {
            let _ = e.array(hs.len() as u64);
            for h in hs {
                let _ = e.bytes(h.as_ref());
            }
        };
        let _ = e.array(16);
        let _ = e.u8(1);
        let _ = e
            .bytes(self.link.doc.bytes())
            .and_then(|e| e.bytes(&self.link.key));
        let _ = e.str(if self.me == Role::Carer {
            "carer"
        } else {
            "key-worker"
        });
        let _ = e.str(self.plan_id.as_ref().map(PlanId::as_str).unwrap_or(""));
        for list in [&self.sections, &self.sent_sections] {
            let _ = e.array(list.len() as u64);
            for s in list {
                let _ = e.str(s);
            }
        }
        let _ = e
            .bytes(&self.sealed.save())
            .and_then(|e| e.bytes(&self.relay.encode()));
        hashes(&mut e, &self.read);
        hashes(&mut e, &self.covered);
        match &self.other {
            Some((name, role)) => {
                let _ = e
                    .array(2)
                    .and_then(|e| e.str(name))
                    .and_then(|e| e.bool(*role == Role::Carer));
            }
            None => {
                let _ = e.array(0);
            }
        }
        let _ = e.bool(self.stopped).and_then(|e| e.bool(self.stop_sent));
        let _ = e.str(&self.device).and_then(|e| e.u64(self.seq));
        let _ = e.map(self.seen.len() as u64);
        for (device, n) in &self.seen {
            let _ = e.str(device).and_then(|e| e.u64(*n));
        }
        e.into_writer()
    }

    /// Read what [`Keep::save`] wrote; `None` if it is not that.
    pub fn restore(bytes: &[u8]) -> Option<Keep> {
        let mut d = minicbor::Decoder::new(bytes);
        let hashes = |d: &mut minicbor::Decoder<'_>| -> Option<Vec<ChangeHash>> {
            let n = d.array().ok()??;
            (0..n)
                .map(|_| ChangeHash::try_from(d.bytes().ok()?).ok())
                .collect()
        };
        let strings = |d: &mut minicbor::Decoder<'_>| -> Option<Vec<String>> {
            let n = d.array().ok()??;
            (0..n).map(|_| d.str().ok().map(str::to_owned)).collect()
        };
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
        let sections = strings(&mut d)?;
        let sent_sections = strings(&mut d)?;
        let sealed = Automerge::load(d.bytes().ok()?).ok()?;
        let relay = sync::State::decode(d.bytes().ok()?).ok()?;
        let read = hashes(&mut d)?;
        let covered = hashes(&mut d)?;
        let other = match d.array().ok()?? {
            2 => {
                let name = d.str().ok()?.to_owned();
                Some((
                    name,
                    if d.bool().ok()? {
                        Role::Carer
                    } else {
                        Role::KeyWorker
                    },
                ))
            }
            _ => None,
        };
        let stopped = d.bool().ok()?;
        let stop_sent = d.bool().ok()?;
        let device = d.str().ok()?.to_owned();
        let seq = d.u64().ok()?;
        let n = d.map().ok()??;
        if n > 1024 {
            return None;
        }
        let mut seen = std::collections::BTreeMap::new();
        for _ in 0..n {
            let k = d.str().ok()?.to_owned();
            seen.insert(k, d.u64().ok()?);
        }
        if d.position() != bytes.len() {
            return None;
        }
        Some(Keep {
            link: Link { doc, key },
            me,
            plan_id,
            sections,
            sent_sections,
            sealed,
            relay,
            read,
            covered,
            other,
            stopped,
            stop_sent,
            device,
            seq,
            seen,
            refused_keys: Default::default(),
        })
    }
}
