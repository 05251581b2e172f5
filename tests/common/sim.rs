//! The simulated world of keeping in step, for the tests: a relay that
//! behaves as automerge-repo's sync server does, and devices that run the
//! app's own sync core (`share::sync::Engine`) through a thin driver.
#![allow(dead_code)]

use std::collections::BTreeMap;

use automerge::sync::{self, SyncDoc};
use automerge::Automerge;
use carer_plan::doc::PlanDoc;
use carer_plan::plan::field::AreaField;
use carer_plan::plan::{DeviceActor, Field, Role, Section};
use carer_plan::share::sync::identity::pairing_code;
use carer_plan::share::sync::wire::{Message, Sync};
use carer_plan::share::sync::{DeviceKey, Engine, Keep, Link, Problem, SyncEvent};

use super::{actor, full_plan, T0};

/// automerge-repo's server, in miniature: it keeps each document and the
/// sync state with each peer, and after any change sends every peer that
/// asked for the document what it lacks.
#[derive(Default)]
pub struct Relay {
    pub docs: BTreeMap<String, Automerge>,
    states: BTreeMap<(String, String), sync::State>,
    outbox: BTreeMap<String, Vec<Vec<u8>>>,
    /// Every frame that passed, both ways.
    pub frames: Vec<Vec<u8>>,
}

impl Relay {
    pub fn receive(&mut self, frame: Vec<u8>) {
        self.frames.push(frame.clone());
        match Message::decode(&frame).unwrap() {
            Message::Join { sender_id, .. } => {
                let peer = Message::Peer {
                    sender_id: "relay".into(),
                    target_id: sender_id.clone(),
                    version: "1".into(),
                };
                self.send(&sender_id, peer.encode());
            }
            Message::Request(s) | Message::Sync(s) => {
                let doc = self.docs.entry(s.document_id.clone()).or_default();
                let state = self
                    .states
                    .entry((s.document_id.clone(), s.sender_id.clone()))
                    .or_default();
                let msg = sync::Message::decode(&s.data).unwrap();
                let before = doc.get_heads();
                doc.receive_sync_message(state, msg).unwrap();
                let after = doc.get_heads();
                // As automerge-repo's DocHandle: a "change" (and so a
                // round to every other peer) only when what the document
                // shows changed; a change whose effect is hidden reaches
                // only the peer that sent it, until something else changes.
                let shown = before != after && !doc.diff(&before, &after).is_empty();
                if doc.get_heads().is_empty()
                    && self
                        .states
                        .keys()
                        .filter(|(d, _)| *d == s.document_id)
                        .count()
                        == 1
                {
                    let m = Message::DocUnavailable {
                        sender_id: "relay".into(),
                        target_id: s.sender_id.clone(),
                        document_id: s.document_id.clone(),
                    };
                    self.send(&s.sender_id, m.encode());
                }
                if shown {
                    self.flush(&s.document_id);
                } else {
                    self.flush_to(&s.document_id, &s.sender_id);
                }
            }
            _ => {}
        }
    }

    pub fn flush(&mut self, doc_id: &str) {
        let peers: Vec<String> = self
            .states
            .keys()
            .filter(|(d, _)| d == doc_id)
            .map(|(_, p)| p.clone())
            .collect();
        for peer in peers {
            self.flush_to(doc_id, &peer);
        }
    }

    /// What one peer lacks of a document, if anything.
    fn flush_to(&mut self, doc_id: &str, peer: &str) {
        let doc = &self.docs[doc_id];
        let state = self
            .states
            .get_mut(&(doc_id.to_owned(), peer.to_owned()))
            .unwrap();
        if let Some(m) = doc.generate_sync_message(state) {
            let frame = Message::Sync(Sync {
                sender_id: "relay".into(),
                target_id: peer.to_owned(),
                document_id: doc_id.into(),
                data: m.encode(),
            })
            .encode();
            self.send(peer, frame);
        }
    }

    fn send(&mut self, peer: &str, frame: Vec<u8>) {
        self.frames.push(frame.clone());
        self.outbox.entry(peer.to_owned()).or_default().push(frame);
    }

    /// What waits for a peer (whose id starts with `prefix`).
    pub fn take(&mut self, prefix: &str) -> Vec<Vec<u8>> {
        let keys: Vec<String> = self
            .outbox
            .keys()
            .filter(|k| k.starts_with(&format!("{prefix}-")))
            .cloned()
            .collect();
        keys.into_iter()
            .flat_map(|k| self.outbox.remove(&k).unwrap_or_default())
            .collect()
    }

    /// A peer's connection closed: the relay forgets its sync states.
    pub fn drop_peer(&mut self, prefix: &str) {
        self.states
            .retain(|(_, p), _| !p.starts_with(&format!("{prefix}-")));
        self.take(prefix);
    }
}

/// One device (or one tab): its plan, once it has one, and its sync core.
pub struct Device {
    pub name: String,
    pub actor: DeviceActor,
    pub plan: Option<PlanDoc>,
    pub engine: Engine,
    pub problems: Vec<Problem>,
    pub clock: i64,
    pub online: bool,
    /// Which allowed device brought each plan device's changes, as taken in.
    pub authors: Vec<(String, String)>,
}

impl Device {
    pub fn new(name: &str, key: DeviceKey, plan: Option<PlanDoc>) -> Device {
        Device {
            name: name.into(),
            actor: actor(),
            plan,
            engine: Engine::new(key, format!("peer-{name}")),
            problems: Vec::new(),
            clock: T0,
            online: false,
            authors: Vec::new(),
        }
    }

    pub fn connect(&mut self, relay: &mut Relay) {
        relay.drop_peer(&format!("peer-{}", self.name));
        self.engine.disconnected();
        self.engine.connected();
        self.online = true;
        self.flush(relay);
    }

    pub fn disconnect(&mut self, relay: &mut Relay) {
        relay.drop_peer(&format!("peer-{}", self.name));
        self.engine.disconnected();
        self.online = false;
    }

    /// Frames out to the relay.
    pub fn flush(&mut self, relay: &mut Relay) {
        while let Some(f) = self.engine.poll_transmit() {
            if self.online {
                relay.receive(f);
            }
        }
    }

    /// A change made on this device.
    pub fn changed(&mut self, relay: &mut Relay) {
        self.clock += 1000;
        if let Some(plan) = &self.plan {
            let id = plan.plan_id().clone();
            self.engine.local_change(&id, plan, self.clock);
        }
        self.handle_events(relay);
    }

    /// Act on what the engine asks (as `web/app/live/` does).
    pub fn handle_events(&mut self, relay: &mut Relay) {
        while let Some(e) = self.engine.poll_event() {
            match e {
                SyncEvent::Arrived(id) => {
                    if let Some(plan) = &mut self.plan {
                        let taken = self.engine.take_in(&id, plan);
                        self.authors.extend(taken.authors.iter().cloned());
                        // "Saved" at once: the test's storage never fails.
                        self.engine.saved(&id, &taken, plan, self.clock);
                    }
                }
                SyncEvent::FirstCopy(doc) if self.plan.is_none() => {
                    let (id, plan, taken) = self.engine.first_copy(&doc, &self.actor).unwrap();
                    self.engine.saved(&id, &taken, &plan, self.clock);
                    self.plan = Some(plan);
                }
                SyncEvent::Problem(p) => self.problems.push(p),
                SyncEvent::Reconnect => {
                    self.connect(relay);
                }
                _ => {}
            }
        }
        self.flush(relay);
    }

    /// Read everything the relay has sent this device.
    pub fn pull(&mut self, relay: &mut Relay) -> bool {
        if !self.online {
            return false;
        }
        let frames = relay.take(&format!("peer-{}", self.name));
        let any = !frames.is_empty();
        for f in frames {
            self.engine.handle_frame(&f, self.clock);
            self.handle_events(relay);
        }
        any
    }

    pub fn plan(&self) -> &PlanDoc {
        self.plan.as_ref().expect("this device has the plan")
    }

    pub fn keep(&self) -> &Keep {
        match &self.plan {
            Some(p) => self.engine.keep(p.plan_id()).unwrap(),
            None => self.engine.joining().next().unwrap(),
        }
    }

    pub fn id(&self) -> carer_plan::share::sync::DeviceId {
        self.engine.device().id()
    }

    pub fn set(&mut self, relay: &mut Relay, area: &str, value: &str) {
        self.clock += 1;
        let t = self.clock;
        self.plan
            .as_mut()
            .unwrap()
            .set_field(&Field::Area(area.into(), AreaField::OwnWords), value, t)
            .unwrap();
        self.changed(relay);
    }
}

/// Pass frames until nobody has anything more to say.
pub fn settle(relay: &mut Relay, devices: &mut [&mut Device]) {
    for _ in 0..200 {
        let mut any = false;
        for d in devices.iter_mut() {
            d.handle_events(relay);
            any |= d.pull(relay);
        }
        if !any {
            return;
        }
    }
    panic!("the devices never settled");
}

pub fn words(doc: &PlanDoc, area: &str) -> String {
    doc.field_value(&Field::Area(area.into(), AreaField::OwnWords))
}

pub const FIVE: [&str; 5] = [
    "health-wellbeing",
    "relationships",
    "living-environment",
    "finances",
    "life-balance",
];

pub fn sections() -> Vec<Section> {
    FIVE.iter()
        .map(|a| Section::Area(a.to_string()))
        .chain([Section::AboutYou])
        .collect()
}

/// A carer who started keeping in step, and the link she gives.
pub fn carer_starts(relay: &mut Relay) -> (Device, Link) {
    let carer_actor = actor();
    let plan = full_plan(&carer_actor);
    let mut carer = Device::new("carer", DeviceKey::generate().unwrap(), Some(plan));
    carer.actor = carer_actor;
    let link = carer
        .engine
        .start(carer.plan.as_ref().unwrap(), &sections(), "Ann's phone", T0)
        .unwrap();
    carer.connect(relay);
    settle(relay, &mut [&mut carer]);
    (carer, link)
}

/// A device opens the link and asks to join.
pub fn asks(relay: &mut Relay, name: &str, link: &Link, role: Role) -> Device {
    asks_with(relay, name, DeviceKey::generate().unwrap(), link, role)
}

/// The same, on a device whose keys are given (one laptop, many plans).
pub fn asks_with(relay: &mut Relay, name: &str, key: DeviceKey, link: &Link, role: Role) -> Device {
    let mut d = Device::new(name, key, None);
    d.engine
        .join(
            Link::parse(&link.url("https://plan.example/")).unwrap(),
            role,
            name,
            T0,
        )
        .unwrap();
    d.connect(relay);
    d
}

/// The carer allows a device that asked, after checking its code.
pub fn allow(relay: &mut Relay, carer: &mut Device, other: &mut Device) {
    settle(relay, &mut [carer, other]);
    let id = carer.plan().plan_id().clone();
    let asked = carer.keep().requests.get(&other.id()).cloned();
    let asked = asked.expect("the carer sees the request");
    assert_eq!(
        pairing_code(carer.keep().doc_id(), &asked.device),
        pairing_code(other.keep().doc_id(), &other.id()),
        "both screens show the same code"
    );
    carer.clock += 1;
    carer.engine.allow(&id, &other.id(), carer.clock).unwrap();
    carer.handle_events(relay);
    settle(relay, &mut [carer, other]);
}

pub fn carer_and_worker() -> (Relay, Device, Device) {
    let mut relay = Relay::default();
    let (mut carer, link) = carer_starts(&mut relay);
    let mut worker = asks(&mut relay, "worker", &link, Role::KeyWorker);
    allow(&mut relay, &mut carer, &mut worker);
    (relay, carer, worker)
}

/// The carer's second tab: the same device (keys, stored keep), its own
/// Automerge session and its own writer.
pub fn second_tab(relay: &mut Relay, tab1: &Device, name: &str) -> Device {
    let key = tab1.engine.device().clone();
    let id = tab1.plan().plan_id().clone();
    let session = tab1.actor.new_session().unwrap();
    let stored = tab1.keep().save();
    let mut tab2 = Device::new(name, key.clone(), Some(tab1.plan().fork(&session)));
    tab2.actor = session;
    tab2.engine
        .insert(id, Keep::restore(&stored, &key, T0).unwrap());
    tab2.connect(relay);
    tab2
}

/// A key worker's laptop and phone, each asking and allowed by the carer.
pub fn worker_on_two_devices(
    relay: &mut Relay,
    carer: &mut Device,
    link: &Link,
) -> (Device, Device) {
    let mut laptop = asks(relay, "laptop", link, Role::KeyWorker);
    allow(relay, carer, &mut laptop);
    let mut phone = asks(relay, "phone", link, Role::KeyWorker);
    allow(relay, carer, &mut phone);
    (laptop, phone)
}
