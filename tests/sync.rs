//! Live sync, natively: a carer and a key worker kept in step through an
//! in-memory relay that behaves as automerge-repo's sync server does (one
//! Automerge document per id, synced with each peer that asks for it), all
//! in the protocol's own frames.

mod common;

use std::collections::BTreeMap;

use automerge::sync::{self, SyncDoc};
use automerge::Automerge;
use carer_plan::share::sync::take_in::{first_copy, take_in};
use carer_plan::share::sync::wire::{Message, Sync};
use carer_plan::share::sync::{DocumentId, Event, Hub, Keep, KeepError, Link};
use common::*;

/// automerge-repo's server, in miniature: it keeps each document and the
/// sync state with each peer, and after any change sends every peer that
/// asked for the document what it lacks.
#[derive(Default)]
struct Relay {
    docs: BTreeMap<String, Automerge>,
    states: BTreeMap<(String, String), sync::State>,
    outbox: BTreeMap<String, Vec<Vec<u8>>>,
    /// Every frame that passed, both ways.
    frames: Vec<Vec<u8>>,
}

impl Relay {
    fn receive(&mut self, frame: Vec<u8>) {
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
                doc.receive_sync_message(state, msg).unwrap();
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
                self.flush(&s.document_id);
            }
            _ => {}
        }
    }

    fn flush(&mut self, doc_id: &str) {
        let peers: Vec<String> = self
            .states
            .keys()
            .filter(|(d, _)| d == doc_id)
            .map(|(_, p)| p.clone())
            .collect();
        for peer in peers {
            let doc = &self.docs[doc_id];
            let state = self
                .states
                .get_mut(&(doc_id.to_owned(), peer.clone()))
                .unwrap();
            if let Some(m) = doc.generate_sync_message(state) {
                let frame = Message::Sync(Sync {
                    sender_id: "relay".into(),
                    target_id: peer.clone(),
                    document_id: doc_id.into(),
                    data: m.encode(),
                })
                .encode();
                self.send(&peer, frame);
            }
        }
    }

    fn send(&mut self, peer: &str, frame: Vec<u8>) {
        self.frames.push(frame.clone());
        self.outbox.entry(peer.to_owned()).or_default().push(frame);
    }

    fn take(&mut self, peer: &str) -> Vec<Vec<u8>> {
        self.outbox.remove(peer).unwrap_or_default()
    }
}

/// One device: its plan (once it has one), its link and its connection.
struct Device {
    name: &'static str,
    actor: DeviceActor,
    plan: Option<PlanDoc>,
    keep: Keep,
    hub: Hub,
    refused: Vec<KeepError>,
    /// The device's clock, a second on at each push.
    clock: i64,
}

impl Device {
    fn new(name: &'static str, plan: Option<PlanDoc>, keep: Keep) -> Device {
        Device {
            name,
            actor: actor(),
            plan,
            keep,
            hub: Hub::new(format!("peer-{name}")),
            refused: Vec::new(),
            clock: T0,
        }
    }

    fn connect(&mut self, relay: &mut Relay) {
        // A new connection: what was in flight on the old one is gone.
        relay.take(&format!("peer-{}", self.name));
        self.keep.reconnected();
        relay.receive(self.hub.join());
    }

    /// Seal what changed and send the next sync message.
    fn push(&mut self, relay: &mut Relay) {
        if let Some(plan) = &self.plan {
            self.clock += 1000;
            self.keep.seal_changes(plan, self.name, self.clock).unwrap();
        }
        // As the app does: no sync message is made before the handshake
        // (making one marks it sent).
        if !self.hub.is_ready() {
            return;
        }
        let empty = self.keep.is_empty();
        if let Some(data) = self.keep.sync_message() {
            if let Some(f) = self.hub.frame(self.keep.doc_id(), data, empty) {
                relay.receive(f);
            }
        }
    }

    /// Read everything the relay has sent this device.
    fn pull(&mut self, relay: &mut Relay) -> bool {
        let frames = relay.take(&format!("peer-{}", self.name));
        let any = !frames.is_empty();
        for f in frames {
            match self.hub.on_frame(&f).unwrap() {
                Event::Ready => self.push(relay),
                Event::Sync { doc, data } => {
                    assert_eq!(&doc, self.keep.doc_id());
                    let got = self.keep.receive(&data).unwrap();
                    if let Some(e) = got.refused {
                        self.refused.push(e);
                    }
                    if !got.bundles.is_empty() {
                        match &mut self.plan {
                            Some(p) => {
                                take_in(p, &got.bundles).unwrap();
                            }
                            None => {
                                self.plan = Some(first_copy(&got.bundles, &self.actor).unwrap())
                            }
                        }
                    }
                    self.push(relay);
                }
                _ => {}
            }
        }
        any
    }
}

/// Pass frames until nobody has anything more to say.
fn settle(relay: &mut Relay, devices: &mut [&mut Device]) {
    for _ in 0..50 {
        let mut any = false;
        for d in devices.iter_mut() {
            any |= d.pull(relay);
        }
        if !any {
            return;
        }
    }
    panic!("the devices never settled");
}

fn set(doc: &mut PlanDoc, field: Field, value: &str, t: i64) {
    doc.set_field(&field, value, t).unwrap();
}

fn words(doc: &PlanDoc, area: &str) -> String {
    doc.field_value(&Field::Area(area.into(), AreaField::OwnWords))
}

const FIVE: [&str; 5] = [
    "health-wellbeing",
    "relationships",
    "living-environment",
    "finances",
    "life-balance",
];

fn carer_and_worker() -> (Relay, Device, Device) {
    let carer_actor = actor();
    let plan = full_plan(&carer_actor);
    let sections: Vec<String> = FIVE
        .iter()
        .map(|a| format!("area-{a}"))
        .chain(["about-you".to_string()])
        .collect();
    let link = Link::new().unwrap();
    let keep = Keep::start(link.clone(), plan.plan_id().clone(), sections);
    let mut carer = Device::new("carer", Some(plan), keep);
    carer.actor = carer_actor;
    let worker = Device::new(
        "worker",
        None,
        Keep::join(Link::parse(&link.url("https://plan.example/")).unwrap()),
    );
    (Relay::default(), carer, worker)
}

#[test]
fn a_worker_joins_from_the_link_and_edits_go_both_ways_and_merge() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer]);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);

    // The worker has the five areas and About you, never the other two areas.
    let w = worker.plan.as_ref().expect("the worker has the plan");
    assert_eq!(w.plan_id(), carer.plan.as_ref().unwrap().plan_id());
    assert_eq!(
        words(w, "finances"),
        words(carer.plan.as_ref().unwrap(), "finances")
    );
    assert!(!w.has_part(&Section::Area("employment-training".into())));
    assert!(!w.has_part(&Section::Area("future-planning".into())));
    assert_eq!(worker.keep.other.as_ref().unwrap().0, "carer");

    // Both edit different answers, then the same long answer, concurrently.
    set(
        carer.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "Money is tight since March.",
        T0 + 1000,
    );
    set(
        worker.plan.as_mut().unwrap(),
        Field::Area("life-balance".into(), AreaField::OwnWords),
        "Worker's note on balance.",
        T0 + 1001,
    );
    carer.push(&mut relay);
    worker.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    for d in [&carer, &worker] {
        let p = d.plan.as_ref().unwrap();
        assert_eq!(
            words(p, "finances"),
            "Money is tight since March.",
            "{}",
            d.name
        );
        assert_eq!(
            words(p, "life-balance"),
            "Worker's note on balance.",
            "{}",
            d.name
        );
    }
    assert!(carer.refused.is_empty() && worker.refused.is_empty());
    assert!(carer.keep.relay_has_all() && worker.keep.relay_has_all());
}

#[test]
fn offline_edits_on_both_sides_are_all_kept_and_a_relay_that_lost_everything_gets_it_again() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);

    // Both offline: edits on each side.
    set(
        carer.plan.as_mut().unwrap(),
        Field::Area("health-wellbeing".into(), AreaField::OwnWords),
        "Back pain most days.",
        T0 + 2000,
    );
    set(
        worker.plan.as_mut().unwrap(),
        Field::Area("relationships".into(), AreaField::OwnWords),
        "Sees her sister monthly.",
        T0 + 2001,
    );

    // The relay loses its data; both come back online.
    let mut relay = Relay::default();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    for d in [&carer, &worker] {
        let p = d.plan.as_ref().unwrap();
        assert_eq!(
            words(p, "health-wellbeing"),
            "Back pain most days.",
            "{}",
            d.name
        );
        assert_eq!(
            words(p, "relationships"),
            "Sees her sister monthly.",
            "{}",
            d.name
        );
    }
    // A worker's new laptop joining the rebuilt relay gets the carer's plan.
    let mut late = Device::new("late", None, Keep::join(carer.keep.link().clone()));
    late.connect(&mut relay);
    settle(&mut relay, &mut [&mut late]);
    assert_eq!(
        words(late.plan.as_ref().unwrap(), "health-wellbeing"),
        "Back pain most days."
    );
}

#[test]
fn what_the_relay_holds_and_carries_never_shows_an_answer() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let marker = "MARKER-7f3a9c-keep";
    for (i, a) in FIVE.iter().enumerate() {
        set(
            carer.plan.as_mut().unwrap(),
            Field::Area((*a).into(), AreaField::OwnWords),
            &format!("{marker} {a}"),
            T0 + 3000 + i as i64,
        );
    }
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert!(words(worker.plan.as_ref().unwrap(), "finances").starts_with(marker));
    let holds = |b: &[u8]| b.windows(marker.len()).any(|w| w == marker.as_bytes());
    assert!(
        !relay.frames.iter().any(|f| holds(f)),
        "a frame carried an answer"
    );
    assert!(
        !relay.docs.values().any(|d| holds(&d.save())),
        "the relay's copy holds an answer"
    );
    assert!(
        !relay.docs.values().any(|d| holds(&d.save_nocompress())),
        "the relay's copy holds an answer"
    );
}

#[test]
fn a_tampered_bundle_or_a_message_for_another_document_changes_nothing() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let before = worker.plan.as_ref().unwrap().save();

    // A relay that rewrites one sealed bundle in its copy of the document.
    let doc_id = carer.keep.doc_id().to_string();
    let doc = relay.docs.get_mut(&doc_id).unwrap();
    {
        use automerge::transaction::Transactable;
        use automerge::{ReadDoc, ScalarValue, Value, ROOT};
        let (_, map) = doc.get(ROOT, "b").unwrap().unwrap();
        let key = doc.keys(&map).next().unwrap();
        let Some((Value::Scalar(v), _)) = doc.get(&map, &key).unwrap() else {
            panic!()
        };
        let ScalarValue::Bytes(mut bytes) = v.into_owned() else {
            panic!()
        };
        let n = bytes.len() - 5;
        bytes[n] ^= 0x40;
        let mut tx = doc.transaction();
        // Under the name the carer's next bundle would have.
        let (device, _) = key.rsplit_once('-').unwrap();
        tx.put(
            &map,
            format!("{device}-9999999999999"),
            ScalarValue::Bytes(bytes),
        )
        .unwrap();
        tx.commit();
    }
    relay.flush(&doc_id);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(worker.refused, vec![KeepError::Refused(1)]);
    assert_eq!(
        worker.plan.as_ref().unwrap().save(),
        before,
        "the worker's plan changed"
    );
    // The forged key does not make the worker skip the carer's next real bundle.
    set(
        carer.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "After the forgery.",
        T0 + 4000,
    );
    carer.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(
        words(worker.plan.as_ref().unwrap(), "finances"),
        "After the forgery."
    );
    assert_eq!(
        worker.refused,
        vec![KeepError::Refused(1)],
        "the forgery is reported once"
    );

    // Garbage, and a sync for another document, are refused by the hub.
    assert!(worker.hub.on_frame(b"\xff\x00garbage").is_err());
    let other = Message::Sync(Sync {
        sender_id: "relay".into(),
        target_id: "peer-worker".into(),
        document_id: DocumentId::from_bytes([9; 16]).to_string(),
        data: vec![1, 2, 3],
    });
    match worker.hub.on_frame(&other.encode()).unwrap() {
        Event::Sync { doc, .. } => {
            assert_ne!(&doc, worker.keep.doc_id(), "routed by its id, to no plan")
        }
        e => panic!("{e:?}"),
    }
    // A sync message that is not one is refused by the plan's keep, which stays as it was.
    assert!(matches!(
        worker.keep.receive(&[0x42, 1, 2]),
        Err(KeepError::BadMessage(_))
    ));
}

#[test]
fn stopping_ends_it_the_old_link_opens_nothing_new_and_the_worker_keeps_what_he_had() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);

    // Stop: a last bundle says so; the worker sees it.
    carer.keep.stopped = true;
    carer.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert!(worker.keep.stopped);
    // Someone opening the old link now learns at once that it is stopped
    // (the app then adds nothing: web/app/live/taking.rs).
    let mut late = Device::new("late", None, Keep::join(worker.keep.link().clone()));
    late.connect(&mut relay);
    settle(&mut relay, &mut [&mut late]);
    assert!(late.keep.stopped);

    // The carer goes on editing and later starts again with a new link.
    set(
        carer.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "After stopping.",
        T0 + 5000,
    );
    let fresh = Link::new().unwrap();
    assert_ne!(fresh.doc, worker.keep.link().doc);
    let keep = Keep::start(
        fresh,
        carer.plan.as_ref().unwrap().plan_id().clone(),
        vec!["area-finances".into()],
    );
    carer.keep = keep;
    carer.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    worker.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let w = worker.plan.as_ref().unwrap();
    assert_ne!(
        words(w, "finances"),
        "After stopping.",
        "the old link brought something new"
    );
    assert!(
        w.has_part(&Section::Area("relationships".into())),
        "the worker lost what he had"
    );
}

#[test]
fn adding_a_section_later_sends_its_whole_history_and_removing_one_stops_it() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert!(
        !worker
            .plan
            .as_ref()
            .unwrap()
            .has_part(&Section::Area("finances".into()))
            || FIVE.contains(&"finances")
    );

    carer.keep.sections.push("area-future-planning".into());
    carer.keep.sections.retain(|s| s != "area-finances");
    set(
        carer.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "Not for the worker now.",
        T0 + 6000,
    );
    carer.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let w = worker.plan.as_ref().unwrap();
    assert_eq!(
        words(w, "future-planning"),
        words(carer.plan.as_ref().unwrap(), "future-planning")
    );
    assert_ne!(words(w, "finances"), "Not for the worker now.");
    assert!(!worker.keep.sections.contains(&"area-finances".to_string()));

    // Whatever the worker still changes there, the carer does not take in.
    set(
        worker.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "Worker wrote here.",
        T0 + 6001,
    );
    worker.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(
        words(carer.plan.as_ref().unwrap(), "finances"),
        "Not for the worker now."
    );
}

#[test]
fn a_keep_survives_being_saved_and_read_back() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let saved = worker.keep.save();
    let back = Keep::restore(&saved).unwrap();
    assert_eq!(back.save(), saved);
    assert!(Keep::restore(&saved[..saved.len() / 2]).is_none());
    assert!(Keep::restore(b"nonsense").is_none());
}

#[test]
fn a_device_that_lost_its_last_stored_state_never_reuses_a_bundle_name() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.connect(&mut relay);
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let stored = worker.keep.save();
    set(
        worker.plan.as_mut().unwrap(),
        Field::Area("finances".into(), AreaField::OwnWords),
        "First, then the tab closed.",
        T0 + 7000,
    );
    worker.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(
        words(carer.plan.as_ref().unwrap(), "finances"),
        "First, then the tab closed."
    );
    // The tab closed before the keep was stored again: it comes back as it was stored.
    worker.keep = Keep::restore(&stored).unwrap();
    worker.connect(&mut relay);
    set(
        worker.plan.as_mut().unwrap(),
        Field::Area("life-balance".into(), AreaField::OwnWords),
        "Second, after reopening.",
        T0 + 7001,
    );
    worker.push(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(
        words(carer.plan.as_ref().unwrap(), "life-balance"),
        "Second, after reopening."
    );
    assert!(carer.refused.is_empty());
}
