//! A key worker's laptop whose caseload spans relay shards, for the tests:
//! one simulated relay per shard (`sim::Relay`), and the laptop running the
//! app's own `share::sync::Engines` (one sync core per shard) through a
//! thin driver with one "socket" per shard, as `web/app/live/` has.
#![allow(dead_code)]

use std::collections::BTreeMap;

use carer_plan::doc::PlanDoc;
use carer_plan::plan::field::AreaField;
use carer_plan::plan::{DeviceActor, Field, PlanId, Role};
use carer_plan::share::shard::shard_of;
use carer_plan::share::sync::{DeviceKey, DocumentId, Engines, Link, Problem, SyncEvent};

use super::sim::{sections, settle, Device, Relay};
use super::{actor, full_plan, T0};

/// The shard count of these tests.
pub const SHARDS: u32 = 2;

/// The shard of a relay document id (as the relay writes it).
pub fn shard_of_id(doc: &str) -> u32 {
    shard_of(DocumentId::parse(doc).unwrap().bytes(), SHARDS)
}

/// A carer who started keeping her plan in step, connected to the relay
/// of her document's shard (`want`: only a document on that shard; new
/// links are made until one falls there).
pub fn carer_on(relays: &mut [Relay], name: &str, want: Option<u32>) -> (Device, Link, u32) {
    for _ in 0..64 {
        let a = actor();
        let mut carer = Device::new(name, DeviceKey::generate().unwrap(), Some(full_plan(&a)));
        carer.actor = a;
        let link = carer
            .engine
            .start(carer.plan.as_ref().unwrap(), &sections(), name, T0)
            .unwrap();
        let k = shard_of(link.doc.bytes(), SHARDS);
        if want.is_some_and(|w| w != k) {
            continue;
        }
        let relay = &mut relays[k as usize];
        carer.connect(relay);
        settle(relay, &mut [&mut carer]);
        return (carer, link, k);
    }
    panic!("no document fell on shard {want:?}");
}

/// The key worker's laptop: many plans, one sync core per shard, one
/// connection per shard it needs.
pub struct Laptop {
    pub name: String,
    pub actor: DeviceActor,
    pub plans: BTreeMap<PlanId, PlanDoc>,
    pub engines: Engines,
    /// Shards whose socket is open.
    pub online: BTreeMap<u32, bool>,
    pub problems: Vec<Problem>,
    pub clock: i64,
    /// Every frame sent, with the shard whose socket carried it.
    pub sent: Vec<(u32, Vec<u8>)>,
}

impl Laptop {
    pub fn new(name: &str) -> Laptop {
        Laptop {
            name: name.into(),
            actor: actor(),
            plans: BTreeMap::new(),
            engines: Engines::new(
                DeviceKey::generate().unwrap(),
                format!("peer-{name}"),
                SHARDS,
            ),
            online: BTreeMap::new(),
            problems: Vec::new(),
            clock: T0,
            sent: Vec::new(),
        }
    }

    fn prefix(&self, k: u32) -> String {
        format!("peer-{}-s{k}", self.name)
    }

    /// Open a socket for every shard that needs one (as `connect` does).
    pub fn connect(&mut self, relays: &mut [Relay]) {
        for k in self.engines.wanted() {
            if !self.is_online(k) {
                self.connect_shard(relays, k);
            }
        }
    }

    pub fn is_online(&self, k: u32) -> bool {
        self.online.get(&k).copied().unwrap_or(false)
    }

    pub fn connect_shard(&mut self, relays: &mut [Relay], k: u32) {
        relays[k as usize].drop_peer(&self.prefix(k));
        self.engines.disconnected(k);
        self.engines.connected(k);
        self.online.insert(k, true);
        self.flush(relays);
    }

    /// Shard `k`'s socket closed (its relay went away).
    pub fn disconnect_shard(&mut self, relays: &mut [Relay], k: u32) {
        relays[k as usize].drop_peer(&self.prefix(k));
        self.engines.disconnected(k);
        self.online.insert(k, false);
    }

    /// Frames out, each on its shard's socket.
    pub fn flush(&mut self, relays: &mut [Relay]) {
        while let Some((k, f)) = self.engines.poll_transmit() {
            self.sent.push((k, f.clone()));
            if self.is_online(k) {
                relays[k as usize].receive(f);
            }
        }
    }

    pub fn handle_events(&mut self, relays: &mut [Relay]) {
        while let Some((k, e)) = self.engines.poll_event() {
            match e {
                SyncEvent::Arrived(id) => {
                    if let Some(plan) = self.plans.get_mut(&id) {
                        let taken = self.engines.take_in(&id, plan);
                        self.engines.saved(&id, &taken, plan, self.clock);
                    }
                }
                SyncEvent::FirstCopy(doc) => {
                    let (id, plan, taken) = self.engines.first_copy(&doc, &self.actor).unwrap();
                    self.engines.saved(&id, &taken, &plan, self.clock);
                    self.plans.insert(id, plan);
                }
                SyncEvent::Problem(p) => self.problems.push(p),
                SyncEvent::Reconnect => self.connect_shard(relays, k),
                _ => {}
            }
        }
        self.flush(relays);
    }

    /// Read what every shard's relay sent.
    pub fn pull(&mut self, relays: &mut [Relay]) -> bool {
        let mut any = false;
        for k in 0..SHARDS {
            if !self.is_online(k) {
                continue;
            }
            let frames = relays[k as usize].take(&self.prefix(k));
            any |= !frames.is_empty();
            for f in frames {
                self.engines.handle_frame(k, &f, self.clock);
                self.handle_events(relays);
            }
        }
        any
    }

    /// Ask to join from a carer's link; the socket of its shard opens.
    pub fn join(&mut self, relays: &mut [Relay], link: &Link) {
        let link = Link::parse(&link.url("https://plan.example/")).unwrap();
        self.engines
            .join(link, Role::KeyWorker, "Sam's laptop", self.clock)
            .unwrap();
        self.connect(relays);
    }

    /// The worker writes in a plan's area: sealed and sent on its shard.
    pub fn set(&mut self, relays: &mut [Relay], id: &PlanId, area: &str, value: &str) {
        self.clock += 1;
        let plan = self.plans.get_mut(id).unwrap();
        plan.set_field(
            &Field::Area(area.into(), AreaField::OwnWords),
            value,
            self.clock,
        )
        .unwrap();
        self.engines.local_change(id, plan, self.clock);
        self.handle_events(relays);
    }

    pub fn words(&self, id: &PlanId, area: &str) -> String {
        self.plans[id].field_value(&Field::Area(area.into(), AreaField::OwnWords))
    }
}

/// Pass frames between the carers (each on her own shard's relay) and the
/// laptop until nobody has anything more to say.
pub fn settle_all(relays: &mut [Relay], carers: &mut [(&mut Device, u32)], laptop: &mut Laptop) {
    for _ in 0..200 {
        let mut any = false;
        for (c, k) in carers.iter_mut() {
            let relay = &mut relays[*k as usize];
            c.handle_events(relay);
            any |= c.pull(relay);
        }
        laptop.handle_events(relays);
        any |= laptop.pull(relays);
        if !any {
            return;
        }
    }
    panic!("the devices never settled");
}

/// The laptop joins from the carer's link and the carer allows it.
pub fn join_and_allow(
    relays: &mut [Relay],
    carer: &mut Device,
    k: u32,
    link: &Link,
    laptop: &mut Laptop,
) {
    laptop.join(relays, link);
    settle_all(relays, &mut [(carer, k)], laptop);
    let id = carer.plan().plan_id().clone();
    let asking = carer.keep().requests.keys().next().cloned();
    let asking = asking.expect("the carer sees the laptop's request");
    assert_eq!(asking, laptop.engines.device().id());
    carer.clock += 1;
    carer.engine.allow(&id, &asking, carer.clock).unwrap();
    let relay = &mut relays[k as usize];
    carer.handle_events(relay);
    settle_all(relays, &mut [(carer, k)], laptop);
    assert!(
        laptop.plans.contains_key(&id),
        "the plan reached the laptop"
    );
}
