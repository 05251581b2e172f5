//! The websocket protocol codec against frames real automerge-repo 2.5.6
//! peers exchanged through its sync server (recorded once by
//! `relay/record-fixtures.mjs` into `tests/fixtures/sync/node-frames.json`).

use automerge::sync::{self, SyncDoc};
use automerge::{Automerge, ReadDoc, ROOT};
use carer_plan::share::sync::wire::Message;
use carer_plan::share::sync::{DocumentId, Event, Hub};

fn fixture() -> serde_json::Value {
    serde_json::from_str(include_str!("fixtures/sync/node-frames.json")).unwrap()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn frames() -> Vec<(String, Vec<u8>)> {
    fixture()["frames"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["dir"].as_str().unwrap().to_owned(),
                unhex(f["hex"].as_str().unwrap()),
            )
        })
        .collect()
}

#[test]
fn every_frame_node_peers_sent_reads_and_writes_back_the_same() {
    let doc_id = fixture()["documentId"].as_str().unwrap().to_owned();
    assert!(
        DocumentId::parse(&doc_id).is_some(),
        "automerge-repo's id reads as a DocumentId"
    );
    let mut kinds = Vec::new();
    for (dir, frame) in frames() {
        let m = Message::decode(&frame).unwrap_or_else(|e| panic!("{dir} frame refused: {e}"));
        // What we write reads back as the same message.
        assert_eq!(Message::decode(&m.encode()).unwrap(), m);
        match &m {
            Message::Join { versions, .. } => {
                assert_eq!(versions, &["1"]);
                kinds.push("join");
            }
            Message::Peer { version, .. } => {
                assert_eq!(version, "1");
                kinds.push("peer");
            }
            Message::Sync(s) | Message::Request(s) => {
                assert_eq!(s.document_id, doc_id);
                sync::Message::decode(&s.data).expect("an Automerge sync message");
                kinds.push(if matches!(m, Message::Sync(_)) {
                    "sync"
                } else {
                    "request"
                });
            }
            _ => kinds.push("other"),
        }
    }
    for k in ["join", "peer", "sync"] {
        assert!(kinds.contains(&k), "no {k} message among {kinds:?}");
    }
}

#[test]
fn the_relays_frames_to_a_client_build_the_document_it_holds() {
    // Play client B: our hub and an Automerge document take in exactly what
    // the relay sent B, and end up with both byte strings A put in `b`.
    let frames = frames();
    let to_b: Vec<&Vec<u8>> = frames
        .iter()
        .filter(|(dir, f)| dir == "from-relay" && matches!(Message::decode(f), Ok(Message::Peer { ref target_id, .. } | Message::Sync(carer_plan::share::sync::wire::Sync { ref target_id, .. })) if target_id == "client-b"))
        .map(|(_, f)| f)
        .collect();
    let mut hub = Hub::new("client-b".into());
    let _ = hub.join();
    let mut doc = Automerge::new();
    let mut state = sync::State::new();
    for f in to_b {
        match hub.on_frame(f).unwrap() {
            Event::Ready => {}
            Event::Sync { data, .. } => doc
                .receive_sync_message(&mut state, sync::Message::decode(&data).unwrap())
                .unwrap(),
            e => panic!("{e:?}"),
        }
    }
    let (_, b) = doc.get(ROOT, "b").unwrap().expect("the document's map");
    let mut keys: Vec<String> = doc.keys(&b).collect();
    keys.sort();
    let seen: Vec<String> = fixture()["seenByB"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(keys, seen);
}

#[test]
fn hostile_frames_are_refused_without_a_panic() {
    let mut hub = Hub::new("me".into());
    let _ = hub.join();
    let cases: Vec<Vec<u8>> = vec![
        vec![],
        vec![0xff],
        vec![0xa1, 0x64, b't', b'y', b'p', b'e'], // cut short
        vec![0xbb, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff], // a map "longer than the frame"
        vec![0x9f; 10_000],                       // deeply nested arrays
        Message::Sync(carer_plan::share::sync::wire::Sync {
            sender_id: "x".into(),
            target_id: "me".into(),
            document_id: "bad".into(),
            data: vec![1],
        })
        .encode(),
    ];
    for c in cases {
        assert!(hub.on_frame(&c).is_err(), "{c:02x?} was taken");
    }
    let big = vec![0u8; carer_plan::share::sync::wire::MAX_FRAME + 1];
    assert!(Message::decode(&big).is_err());
}
