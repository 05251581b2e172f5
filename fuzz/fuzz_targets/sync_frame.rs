//! What a hostile relay (or a device with the link) can send, through
//! everything the app does with it: a frame through the sync core (the
//! connection's handshake and routing, a plan's keep, its entries'
//! signatures and seals, the list of devices, bundles into the plan);
//! and, directly, a sync message into a keep, a signed entry, a bundle's
//! plaintext (past the key check, which cannot be forged), stored keep
//! bytes and a link. Must never panic.
#![no_main]

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{DeviceActor, Participant, Role, Section};
use carer_plan::share::sync::entry::{self, Ring};
use carer_plan::share::sync::sealed::read_plaintext;
use carer_plan::share::sync::take_in::take_in;
use carer_plan::share::sync::wire::Message;
use carer_plan::share::sync::{DeviceKey, DocumentId, Engine, Keep, Link, SyncEvent};
use libfuzzer_sys::fuzz_target;

fn link() -> Link {
    Link { doc: DocumentId::from_bytes([7; 16]), key: [9; 32], root: None }
}

fn key() -> DeviceKey {
    DeviceKey::from_bytes(&[3u8; 64]).expect("64 bytes")
}

fn plan(me: &DeviceActor) -> Option<PlanDoc> {
    PlanDoc::create(me, Participant { name: "A".into(), role: Role::Carer }, "scotland-national", &["finances"], 0).ok()
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Some(me) = DeviceActor::for_device("00112233445566778899aabbccddeeff") else { return };
    match mode % 6 {
        0 => {
            // A carer's device keeping a plan in step; the handshake, then the frame.
            let Some(mut plan) = plan(&me) else { return };
            let mut engine = Engine::new(key(), "me".into());
            if engine.start(&plan, &[Section::Area("finances".into())], "Ann", 0).is_err() {
                return;
            }
            engine.connected();
            let peer = Message::Peer { sender_id: "relay".into(), target_id: "me-1".into(), version: "1".into() };
            engine.handle_frame(&peer.encode(), 0);
            engine.handle_frame(rest, 1);
            while let Some(e) = engine.poll_event() {
                if let SyncEvent::Arrived(id) = e {
                    let t = engine.take_in(&id, &mut plan);
                    engine.saved(&id, &t, &plan, 2);
                }
            }
            while engine.poll_transmit().is_some() {}
            engine.tick(100_000);
        }
        1 => {
            let Ok(mut keep) = Keep::join(Link { root: Some(key().id()), ..link() }, &key(), Role::KeyWorker, "W", 0) else { return };
            if keep.receive(rest).is_ok() {
                let (arrived, _) = keep.arrived(&key());
                if let Some(mut plan) = plan(&me) {
                    for a in &arrived {
                        let _ = take_in(&mut plan, &a.bundle, a.from.role);
                    }
                }
            }
            let _ = keep.sync_message();
        }
        2 => {
            if let Ok(b) = read_plaintext(rest) {
                let Some(mut plan) = plan(&me) else { return };
                let _ = take_in(&mut plan, &b, Role::KeyWorker);
            }
        }
        3 => {
            if let Some(mut keep) = Keep::restore(rest, &key(), 0) {
                let _ = keep.sync_message();
                let _ = keep.save();
                let _ = keep.arrived(&key());
            }
        }
        4 => {
            let doc = DocumentId::from_bytes([7; 16]);
            let mut ring = Ring::new();
            ring.insert(1, [5; 32]);
            match entry::read(rest, &doc, &[9; 32], &key().id()) {
                Ok(entry::Entry::Roster { signer, epoch, ring: sealed, body }) => {
                    if let Some(s) = sealed {
                        let _ = entry::open_ring(&key(), &doc, epoch, &s);
                    }
                    let _ = entry::open_roster(&doc, &signer, epoch, &body, &ring);
                }
                Ok(entry::Entry::Changes { signer, epoch, body }) => {
                    let _ = entry::open_changes(&doc, &signer, epoch, &body, &ring);
                }
                _ => {}
            }
        }
        _ => {
            if let Ok(text) = std::str::from_utf8(rest) {
                let _ = Link::parse(text);
                let _ = DocumentId::parse(text);
            }
        }
    }
});
