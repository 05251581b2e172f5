//! What a hostile relay can send, through everything the app does with it:
//! a frame through the connection's handshake and routing, its sync message
//! into a plan's keep, any bundles into the plan; and, directly, a sync
//! message, a bundle's plaintext (past the key check, which cannot be
//! forged), stored keep bytes and a link. Must never panic.
#![no_main]

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{DeviceActor, Participant, Role};
use carer_plan::share::sync::sealed::read_plaintext;
use carer_plan::share::sync::take_in::take_in;
use carer_plan::share::sync::wire::{Message, Sync};
use carer_plan::share::sync::{DocumentId, Event, Hub, Keep, Link};
use libfuzzer_sys::fuzz_target;

fn link() -> Link {
    Link { doc: DocumentId::from_bytes([7; 16]), key: [9; 32] }
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Some(me) = DeviceActor::for_device("00112233445566778899aabbccddeeff") else { return };
    match mode % 5 {
        0 => {
            // The handshake first, then the frame.
            let mut hub = Hub::new("me".into());
            let _ = hub.join();
            let peer = Message::Peer { sender_id: "relay".into(), target_id: "me".into(), version: "1".into() };
            let _ = hub.on_frame(&peer.encode());
            if let Ok(Event::Sync { data, .. }) = hub.on_frame(rest) {
                let mut keep = Keep::join(link());
                let _ = keep.receive(&data);
                let _ = keep.sync_message();
            }
        }
        1 => {
            let mut keep = Keep::join(link());
            if let Ok(got) = keep.receive(rest) {
                let Ok(mut plan) = PlanDoc::create(&me, Participant { name: "A".into(), role: Role::Carer }, "scotland-national", &["finances"], 0) else { return };
                let _ = take_in(&mut plan, &got.bundles);
            }
            let _ = keep.sync_message();
            let _ = Message::Sync(Sync { sender_id: "a".into(), target_id: "b".into(), document_id: "c".into(), data: rest.to_vec() }).encode();
        }
        2 => {
            if let Some(b) = read_plaintext(rest) {
                let Ok(mut plan) = PlanDoc::create(&me, Participant { name: "A".into(), role: Role::Carer }, "scotland-national", &["finances"], 0) else { return };
                let _ = take_in(&mut plan, &[b]);
            }
        }
        3 => {
            if let Some(mut keep) = Keep::restore(rest) {
                let _ = keep.sync_message();
                let _ = keep.save();
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
