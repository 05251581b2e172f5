//! Keeping in step over one connection per relay shard: a key worker's
//! caseload spans shards (docs/relay-at-scale.md), and each shard's relay
//! serves only its own documents. One [`Engine`] per shard the device
//! needs, each holding the keeps whose documents are on that shard
//! ([`crate::share::shard::shard_of`]), each with its own connection,
//! peer id and readiness. Still without I/O: every output is tagged with
//! the shard whose socket it belongs to, and the driver keeps one socket
//! (with its own status, retries and backoff) per shard that
//! [`Engines::wanted`] names. With one relay (`shards` of 1) it is exactly
//! one [`Engine`] with the peer id it was given.

use std::collections::BTreeMap;

use super::docid::DocumentId;
use super::engine::{CatchUp, Engine, Event, Taken};
use super::entry::Member;
use super::identity::{DeviceId, DeviceKey};
use super::keep::{Keep, KeepError};
use super::link::Link;
use super::take_in::TakeError;
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId, Role, Section};
use crate::share::shard::shard_of;

/// The sync cores of every shard this device keeps plans on.
pub struct Engines {
    device: DeviceKey,
    peer_base: String,
    shards: u32,
    engines: BTreeMap<u32, Engine>,
}

impl Engines {
    /// `peer_id`: this tab's id for the relays; `shards`: how many the
    /// relay has (`relay.json`; 1 for a single relay).
    pub fn new(device: DeviceKey, peer_id: String, shards: u32) -> Engines {
        Engines {
            device,
            peer_base: peer_id,
            shards: shards.max(1),
            engines: BTreeMap::new(),
        }
    }

    pub fn shard_count(&self) -> u32 {
        self.shards
    }

    /// The shard whose socket carries this document.
    pub fn shard_of(&self, doc: &DocumentId) -> u32 {
        shard_of(doc.bytes(), self.shards)
    }

    /// The shard of a plan kept in step here.
    pub fn shard_of_plan(&self, id: &PlanId) -> Option<u32> {
        self.engines
            .iter()
            .find(|(_, e)| e.keep(id).is_some())
            .map(|(k, _)| *k)
    }

    /// Shard `k`'s engine, made when first needed.
    fn at(&mut self, k: u32) -> &mut Engine {
        let (device, base, single) = (&self.device, &self.peer_base, self.shards == 1);
        self.engines.entry(k).or_insert_with(|| {
            let peer = if single {
                base.clone()
            } else {
                format!("{base}-s{k}")
            };
            Engine::new(device.clone(), peer)
        })
    }

    /// Shard `k`'s engine, if the device has ever needed it.
    pub fn engine(&self, k: u32) -> Option<&Engine> {
        self.engines.get(&k)
    }

    fn holding(&mut self, id: &PlanId) -> Option<&mut Engine> {
        self.engines.values_mut().find(|e| e.keep(id).is_some())
    }

    pub fn device(&self) -> &DeviceKey {
        &self.device
    }

    /// Use other keys for this device (a restored backup's), only while
    /// nothing is kept in step here.
    pub fn set_device(&mut self, device: DeviceKey) {
        if self.keeps().next().is_none() && self.joining().next().is_none() {
            for e in self.engines.values_mut() {
                e.set_device(device.clone());
            }
            self.device = device;
        }
    }

    pub fn keep(&self, id: &PlanId) -> Option<&Keep> {
        self.engines.values().find_map(|e| e.keep(id))
    }

    pub fn keeps(&self) -> impl Iterator<Item = (&PlanId, &Keep)> {
        self.engines.values().flat_map(Engine::keeps)
    }

    pub fn joining(&self) -> impl Iterator<Item = &Keep> {
        self.engines.values().flat_map(Engine::joining)
    }

    pub fn joining_keep(&self, doc: &DocumentId) -> Option<&Keep> {
        self.engine(self.shard_of(doc))?.joining_keep(doc)
    }

    /// The shards that need a socket: those with a plan kept in step or a
    /// device asking to join.
    pub fn wanted(&self) -> Vec<u32> {
        self.engines
            .iter()
            .filter(|(_, e)| e.wants_connection())
            .map(|(k, _)| *k)
            .collect()
    }

    pub fn wants(&self, k: u32) -> bool {
        self.engine(k).is_some_and(Engine::wants_connection)
    }

    pub fn is_ready(&self, k: u32) -> bool {
        self.engine(k).is_some_and(Engine::is_ready)
    }

    /// How far the ready connections have caught up, over every shard
    /// (`None` when no connection is ready).
    pub fn catch_up(&self) -> Option<CatchUp> {
        let mut any = None;
        for e in self.engines.values() {
            if let Some(c) = e.catch_up() {
                let sum = any.get_or_insert(CatchUp::default());
                sum.checked += c.checked;
                sum.of += c.of;
            }
        }
        any
    }

    pub fn seal_due(&self) -> Vec<PlanId> {
        self.engines.values().flat_map(Engine::seal_due).collect()
    }

    /// The plans to read and seal when keeping in step starts
    /// ([`Engine::to_seal_at_start`], shard by shard).
    pub fn to_seal_at_start(&self, stored: &BTreeMap<PlanId, Vec<String>>) -> Vec<PlanId> {
        self.engines
            .values()
            .flat_map(|e| e.to_seal_at_start(stored))
            .collect()
    }

    /// See [`Engine::read_from`].
    pub fn read_from(&mut self, id: &PlanId, chunks: Vec<String>) -> bool {
        self.engines
            .values_mut()
            .find(|e| e.keep(id).is_some())
            .is_some_and(|e| e.read_from(id, chunks))
    }

    /// A keep restored from storage, to its shard's engine.
    pub fn insert(&mut self, id: PlanId, keep: Keep) {
        let k = self.shard_of(keep.doc_id());
        self.at(k).insert(id, keep);
    }

    pub fn insert_joining(&mut self, keep: Keep) {
        let k = self.shard_of(keep.doc_id());
        self.at(k).insert_joining(keep);
    }

    pub fn remove(&mut self, id: &PlanId) -> Option<Keep> {
        self.holding(id)?.remove(id)
    }

    /// The next frame to send, and the shard whose socket takes it.
    pub fn poll_transmit(&mut self) -> Option<(u32, Vec<u8>)> {
        self.engines
            .iter_mut()
            .find_map(|(k, e)| e.poll_transmit().map(|f| (*k, f)))
    }

    /// The next event, and the shard it came from (`Ready` and
    /// `Reconnect` are about that shard's socket only).
    pub fn poll_event(&mut self) -> Option<(u32, Event)> {
        self.engines
            .iter_mut()
            .find_map(|(k, e)| e.poll_event().map(|ev| (*k, ev)))
    }

    /// Shard `k`'s socket opened.
    pub fn connected(&mut self, k: u32) {
        self.at(k).connected();
    }

    /// Shard `k`'s socket closed.
    pub fn disconnected(&mut self, k: u32) {
        if let Some(e) = self.engines.get_mut(&k) {
            e.disconnected();
        }
    }

    /// A frame from shard `k`'s relay.
    pub fn handle_frame(&mut self, k: u32, frame: &[u8], now_ms: i64) {
        self.at(k).handle_frame(frame, now_ms);
    }

    pub fn local_change(&mut self, id: &PlanId, plan: &PlanDoc, now_ms: i64) {
        if let Some(e) = self.holding(id) {
            e.local_change(id, plan, now_ms);
        }
    }

    pub fn take_in(&mut self, id: &PlanId, plan: &mut PlanDoc) -> Taken {
        match self.holding(id) {
            Some(e) => e.take_in(id, plan),
            None => Taken::default(),
        }
    }

    pub fn saved(&mut self, id: &PlanId, taken: &Taken, plan: &PlanDoc, now_ms: i64) {
        if let Some(e) = self.holding(id) {
            e.saved(id, taken, plan, now_ms);
        }
    }

    pub fn first_copy(
        &mut self,
        doc: &DocumentId,
        actor: &DeviceActor,
    ) -> Result<(PlanId, PlanDoc, Taken), TakeError> {
        let k = self.shard_of(doc);
        self.at(k).first_copy(doc, actor)
    }

    /// The clock, for every shard.
    pub fn tick(&mut self, now_ms: i64) {
        for e in self.engines.values_mut() {
            e.tick(now_ms);
        }
    }

    /// The carer starts keeping a plan in step: a new document, on the
    /// shard its id falls on. Returns the link.
    pub fn start(
        &mut self,
        plan: &PlanDoc,
        sections: &[Section],
        my_name: &str,
        now_ms: i64,
    ) -> Result<Link, KeepError> {
        let link = Link::new().map_err(|_| KeepError::Local)?;
        let k = self.shard_of(&link.doc);
        self.at(k).start_with(link, plan, sections, my_name, now_ms)
    }

    /// A device opened a link and said yes: it asks to join, on the
    /// link's document's shard.
    pub fn join(
        &mut self,
        link: Link,
        role: Role,
        my_name: &str,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        let k = self.shard_of(&link.doc);
        self.at(k).join(link, role, my_name, now_ms)
    }

    fn decide(
        &mut self,
        id: &PlanId,
        f: impl FnOnce(&mut Engine) -> Result<(), KeepError>,
    ) -> Result<(), KeepError> {
        f(self.holding(id).ok_or(KeepError::NotAllowed)?)
    }

    pub fn allow(&mut self, id: &PlanId, device: &DeviceId, now_ms: i64) -> Result<(), KeepError> {
        self.decide(id, |e| e.allow(id, device, now_ms))
    }

    pub fn refuse(&mut self, id: &PlanId, device: &DeviceId, now_ms: i64) -> Result<(), KeepError> {
        self.decide(id, |e| e.refuse(id, device, now_ms))
    }

    pub fn remove_device(
        &mut self,
        id: &PlanId,
        device: &DeviceId,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        self.decide(id, |e| e.remove_device(id, device, now_ms))
    }

    pub fn set_consent(
        &mut self,
        id: &PlanId,
        plan: &PlanDoc,
        sections: &[Section],
        stopped: bool,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        self.decide(id, |e| e.set_consent(id, plan, sections, stopped, now_ms))
    }

    pub fn members(&self, id: &PlanId) -> Vec<Member> {
        self.engines
            .values()
            .find(|e| e.keep(id).is_some())
            .map(|e| e.members(id))
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::Engines;
    use crate::plan::Role;
    use crate::share::shard::shard_of;
    use crate::share::sync::wire::Message;
    use crate::share::sync::{DeviceKey, Link};

    fn sender(frame: &[u8]) -> String {
        match Message::decode(frame).unwrap() {
            Message::Join { sender_id, .. } => sender_id,
            other => panic!("not a join: {other:?}"),
        }
    }

    #[test]
    fn one_relay_is_one_engine_with_the_peer_id_given() {
        let mut e = Engines::new(DeviceKey::generate().unwrap(), "csp-ab".into(), 1);
        assert!(e.wanted().is_empty());
        let link = Link::new().unwrap();
        e.join(link, Role::KeyWorker, "Sam's laptop", 0).unwrap();
        assert_eq!(e.wanted(), vec![0]);
        e.connected(0);
        let (k, frame) = e.poll_transmit().unwrap();
        assert_eq!((k, sender(&frame)), (0, "csp-ab-1".to_string()));
    }

    #[test]
    fn each_shard_has_its_own_engine_and_peer_id() {
        let mut e = Engines::new(DeviceKey::generate().unwrap(), "csp-ab".into(), 4);
        let link = Link::new().unwrap();
        let k = shard_of(link.doc.bytes(), 4);
        assert_eq!(e.shard_of(&link.doc), k);
        e.join(link, Role::KeyWorker, "Sam's laptop", 0).unwrap();
        assert_eq!(e.wanted(), vec![k]);
        e.connected(k);
        let (on, frame) = e.poll_transmit().unwrap();
        assert_eq!((on, sender(&frame)), (k, format!("csp-ab-s{k}-1")));
        assert!(!e.is_ready(k));
        assert!(e.engine((k + 1) % 4).is_none());
    }
}
