//! Browser API tests, run in headless Chromium by wasm-bindgen-test:
//! IndexedDB chunks and summaries, the store's load/save/compaction, the
//! unload journal, and tabs talking over BroadcastChannel.
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{CarerField, DeviceActor, Field, PlanId};
use carer_plan::plan::{Participant, Role};
use carer_plan::store::{ChunkKey, ChunkKind, ChunkLog};
use carer_plan::web::engine::protocol::Journaled;
use carer_plan::web::platform::idb::{Db, Write};
use carer_plan::web::platform::journal;
use carer_plan::web::platform::plan_store::{self as store, OpenError};
use carer_plan::web::platform::tabs::{Compacted, TabMessage, Tabs};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

async fn fresh_db() -> Db {
    let name = format!("test-{}", PlanId::random().unwrap());
    Db::open_named(&name).await.unwrap()
}

fn new_plan(actor: &DeviceActor) -> PlanDoc {
    PlanDoc::create(
        actor,
        Participant {
            name: "Ann".into(),
            role: Role::Carer,
        },
        "scotland-national",
        &["health-wellbeing", "finances"],
        T0,
    )
    .unwrap()
}

/// Save the way the app does: prepare, write, record.
async fn save(db: &Db, doc: &PlanDoc, log: &mut ChunkLog, now: i64, nonce: u32) {
    if let Some(mut p) = store::prepare(doc, None, log, now, nonce, true) {
        db.write(p.take_write()).await.unwrap();
        p.record(log);
    }
}

#[wasm_bindgen_test]
async fn chunks_are_read_back_by_plan_and_only_that_plan() {
    let db = fresh_db().await;
    let a = PlanId::random().unwrap();
    let b = PlanId::random().unwrap();
    let ka = ChunkKey::new(&a, ChunkKind::Snapshot, T0, 1);
    let kb = ChunkKey::new(&b, ChunkKind::Snapshot, T0, 1);
    db.write(Write {
        put_chunks: vec![
            (ka.as_str().into(), vec![1, 2, 3]),
            (kb.as_str().into(), vec![9]),
        ],
        put_plans: vec![(a.to_string(), "{}".into())],
        ..Write::default()
    })
    .await
    .unwrap();
    let (lo, hi) = ChunkKey::range_for(&a);
    let got = db.chunks_in(&lo, &hi).await.unwrap();
    assert_eq!(got, vec![(ka.as_str().to_owned(), vec![1, 2, 3])]);
    assert_eq!(db.chunk(kb.as_str()).await.unwrap(), Some(vec![9]));
    assert_eq!(db.plan_summaries().await.unwrap(), vec!["{}".to_owned()]);
}

#[wasm_bindgen_test]
async fn a_plan_saved_incrementally_and_compacted_loads_back_the_same() {
    let db = fresh_db().await;
    let actor = DeviceActor::random().unwrap();
    let mut doc = new_plan(&actor);
    let mut log = ChunkLog::empty();
    save(&db, &doc, &mut log, T0, 0).await;
    let mut text = String::new();
    for i in 0..400 {
        text.push_str("word ");
        doc.set_field(&Field::Carer(CarerField::Health), &text, T0 + i)
            .unwrap();
        save(&db, &doc, &mut log, T0 + i, i as u32 + 1).await;
    }
    let (lo, hi) = ChunkKey::range_for(doc.plan_id());
    let keys = db.chunk_keys_in(&lo, &hi).await.unwrap();
    assert!(
        keys.len() < 400,
        "compaction kept the chunk count down: {}",
        keys.len()
    );
    let (loaded, loaded_log) = store::load(&db, doc.plan_id(), &actor.new_session().unwrap())
        .await
        .map_err(|e| format!("{e:?}"))
        .unwrap();
    assert_eq!(loaded.plan().unwrap(), doc.plan().unwrap());
    assert!(loaded_log.is_saved(&loaded));
    let list = store::list(&db).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(&list[0].plan_id, doc.plan_id());
}

#[wasm_bindgen_test]
async fn damaged_bytes_are_reported_and_left_exactly_as_they_were() {
    let db = fresh_db().await;
    let actor = DeviceActor::random().unwrap();
    let doc = new_plan(&actor);
    let key = ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, T0, 0);
    let mut bytes = doc.save();
    bytes.truncate(bytes.len() - 10);
    db.write(Write {
        put_chunks: vec![(key.as_str().into(), bytes.clone())],
        ..Write::default()
    })
    .await
    .unwrap();
    match store::load(&db, doc.plan_id(), &actor).await {
        Err(OpenError::Damaged { raw, .. }) => assert_eq!(raw, bytes),
        other => panic!("expected Damaged, got {:?}", other.map(|_| ())),
    }
    assert_eq!(db.chunk(key.as_str()).await.unwrap(), Some(bytes));
    assert!(matches!(
        store::load(&db, &PlanId::random().unwrap(), &actor).await,
        Err(OpenError::NotFound)
    ));
}

#[wasm_bindgen_test]
async fn deleting_a_plan_removes_every_byte_of_it() {
    let db = fresh_db().await;
    let actor = DeviceActor::random().unwrap();
    let mut doc = new_plan(&actor);
    let other = new_plan(&actor);
    let mut log = ChunkLog::empty();
    let mut other_log = ChunkLog::empty();
    save(&db, &doc, &mut log, T0, 0).await;
    save(&db, &other, &mut other_log, T0, 1).await;
    doc.set_field(&Field::Carer(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    save(&db, &doc, &mut log, T0 + 1, 2).await;
    store::delete(&db, doc.plan_id()).await.unwrap();
    let (lo, hi) = ChunkKey::range_for(doc.plan_id());
    assert!(db.chunk_keys_in(&lo, &hi).await.unwrap().is_empty());
    let list = store::list(&db).await.unwrap();
    assert_eq!(list.len(), 1);
    assert_eq!(&list[0].plan_id, other.plan_id());
}

fn local() -> web_sys::Storage {
    web_sys::window().unwrap().local_storage().unwrap().unwrap()
}

#[wasm_bindgen_test]
fn an_earlier_releases_unload_journal_is_read_and_cleared() {
    let id = PlanId::random().unwrap();
    assert_eq!(journal::read(&id), None);
    // As the release whose page kept its own copy wrote its saves: a JSON
    // string of hex.
    local()
        .set_item(&format!("csp.unsaved.{id}"), "\"0001feff\"")
        .unwrap();
    assert_eq!(journal::read(&id), Some(vec![0, 1, 254, 255]));
    journal::clear(&id);
    assert_eq!(journal::read(&id), None);
}

/// The journal an earlier release wrote (JSON) is handed on as written,
/// and moved aside, not lost, when this release journals the same plan.
#[wasm_bindgen_test]
fn the_journal_round_trips_and_keeps_an_earlier_releases_aside() {
    let id = PlanId::random().unwrap();
    let earlier = include_str!("fixtures/journal-json/typed-and-rated.json");
    local()
        .set_item(&format!("csp.typed.{id}"), earlier)
        .unwrap();
    assert_eq!(journal::read_earlier(&id).as_deref(), Some(earlier));
    assert!(journal::read_journaled::<Journaled>(&id).is_empty());

    let mine = Journaled {
        typed: vec![(Field::Carer(CarerField::Phone), "0141 496 0000".into())],
        named: vec![],
    };
    journal::write_journaled(&id, &mine);
    assert_eq!(journal::read_journaled::<Journaled>(&id), mine);
    assert_eq!(journal::read_earlier(&id).as_deref(), Some(earlier));
    // Journaled again: the earlier one is still kept aside.
    journal::write_journaled(&id, &Journaled::default());
    assert_eq!(journal::read_earlier(&id).as_deref(), Some(earlier));

    journal::clear_journaled(&id);
    assert!(journal::read_journaled::<Journaled>(&id).is_empty());
    assert_eq!(journal::read_earlier(&id), None);
}

#[wasm_bindgen_test]
async fn tabs_hear_each_others_saves() {
    let heard: Rc<RefCell<Vec<TabMessage>>> = Rc::default();
    let h = heard.clone();
    let _listener = Tabs::listen(move |m| h.borrow_mut().push(m));
    let speaker = Tabs::listen(|_| {});
    // A compaction's message, with the snapshot and what it replaced.
    let msg = TabMessage::Saved {
        plan: PlanId::random().unwrap(),
        by: Some(7),
        compacted: Some(Compacted {
            key: "k/s1".into(),
            len: 12,
            removed: vec!["k/i1".into(), "k/i2".into()],
        }),
    };
    speaker.announce(&msg);
    for _ in 0..50 {
        if !heard.borrow().is_empty() {
            break;
        }
        let p = js_sys::Promise::new(&mut |ok, _| {
            let _ = web_sys::window()
                .unwrap()
                .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 20);
        });
        wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
    }
    assert_eq!(heard.borrow().as_slice(), &[msg]);
}

/// What earlier releases kept in localStorage (gloo-storage's JSON) reads,
/// and what this one keeps is that same JSON (read here with serde_json,
/// as those releases read it): the settings, the seen heads, the devices'
/// names and the text conflicts waiting for a person.
#[wasm_bindgen_test]
fn settings_kept_as_every_release_kept_them_read_and_are_written_the_same() {
    use carer_plan::doc::conflict::TextConflict;
    use carer_plan::plan::field::PersonField;
    use carer_plan::plan::Role;
    use carer_plan::web::platform::settings;
    let id = PlanId::random().unwrap();
    let raw = |key: &str| local().get_item(key).unwrap();
    let set = |key: &str, value: &str| local().set_item(key, value).unwrap();

    set("csp.role", r#""key-worker""#);
    assert_eq!(settings::role(), Some(Role::KeyWorker));
    settings::set_role(Role::Carer);
    assert_eq!(raw("csp.role").as_deref(), Some(r#""carer""#));
    set("csp.my-name", r#""Sam \"Patel\" \u00e9""#);
    assert_eq!(settings::my_name(), "Sam \"Patel\" é");
    set("csp.last-plan", &format!("\"{id}\""));
    assert_eq!(settings::last_plan(), Some(id.clone()));
    set("csp.last-plan", "\"ab\"");
    assert_eq!(settings::last_plan(), None, "not a plan id");
    set("csp.last-copy", "1795000000000");
    assert_eq!(settings::last_copy(), Some(1_795_000_000_000));
    settings::set_last_copy(1_795_000_000_001);
    assert_eq!(raw("csp.last-copy").as_deref(), Some("1795000000001"));
    set("csp.last-copy", "1.5");
    assert_eq!(settings::last_copy(), None);

    let head = "ab".repeat(32);
    set(
        &format!("csp.seen.{id}"),
        &format!(r#"["{head}","not hex"]"#),
    );
    assert_eq!(settings::seen(&id), vec![head.clone()]);
    settings::set_seen(&id, std::slice::from_ref(&head));
    assert_eq!(
        raw(&format!("csp.seen.{id}")),
        Some(format!(r#"["{head}"]"#))
    );

    set(
        &format!("csp.devices.{id}"),
        r#"{"d2":"Sam's laptop","d1":"Ann's phone"}"#,
    );
    assert_eq!(settings::device_names(&id).len(), 2);
    settings::note_device_names(&id, &[("d3".into(), "Office".into())]);
    let names: std::collections::BTreeMap<String, String> =
        serde_json::from_str(&raw(&format!("csp.devices.{id}")).unwrap()).unwrap();
    assert_eq!(names, settings::device_names(&id));
    assert_eq!(names["d2"], "Sam's laptop");

    let waiting = vec![
        TextConflict {
            field: Field::Carer(CarerField::SafeContact),
            mine: "Evenings".into(),
            theirs: "Mornings".into(),
            merged: "EveningsMornings".into(),
        },
        TextConflict {
            field: Field::Person("p\"1".into(), PersonField::Conditions),
            mine: "a".into(),
            theirs: "b\n".into(),
            merged: "ab\n".into(),
        },
        TextConflict {
            field: Field::PrivateNotes,
            mine: String::new(),
            theirs: "é".into(),
            merged: "é".into(),
        },
    ];
    let key = format!("csp.conflicts.{id}");
    set(&key, &serde_json::to_string(&waiting).unwrap());
    assert_eq!(
        settings::text_conflicts(&id),
        waiting,
        "an earlier release's read"
    );
    settings::set_text_conflicts(&id, &waiting);
    let written: Vec<TextConflict> = serde_json::from_str(&raw(&key).unwrap()).unwrap();
    assert_eq!(written, waiting, "written as earlier releases read them");
    set(
        &key,
        r#"[{"field":{"Carer":"Nonsense"},"mine":"","theirs":"","merged":""}]"#,
    );
    assert!(settings::text_conflicts(&id).is_empty());
    settings::forget_plan(&id);
    assert_eq!(raw(&key), None);
}

/// A plan's list entry as every release stored it reads as serde reads it.
#[wasm_bindgen_test]
fn list_entries_read_as_serde_reads_them() {
    use carer_plan::plan::summary::PlanSummary;
    use carer_plan::web::platform::plan_store::summary_from;
    let id = "0123456789abcdef0123456789abcdef";
    for stored in [
        format!(
            r#"{{"plan_id":"{id}","name":"Peggy","full_name":"Margaret Brown","preferred_name":"Peggy","updated_at":1795000000000,"status":"signed-off","last_shared":1795000000000,"review_due":"2027-01-18","highest_impact":["Finances","Critical"],"highest_rank":3}}"#
        ),
        format!(
            r#"{{"plan_id":"{id}","name":"","full_name":"","preferred_name":"","updated_at":1,"status":"draft","last_shared":null,"review_due":null,"highest_impact":null,"highest_rank":null}}"#
        ),
        format!(r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1,"status":"draft"}}"#),
        format!(
            r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1,"status":"draft","review_due":"soon"}}"#
        ),
        r#"{"plan_id":"ab","name":"Peggy","updated_at":1,"status":"draft"}"#.to_owned(),
        format!(r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1.5,"status":"draft"}}"#),
        format!(r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1,"status":"done"}}"#),
        format!(
            r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1,"status":"draft","highest_rank":-1}}"#
        ),
        format!(
            r#"{{"plan_id":"{id}","name":"Peggy","updated_at":1,"status":"draft","highest_impact":["one"]}}"#
        ),
        format!(r#"{{"plan_id":"{id}","name":7,"updated_at":1,"status":"draft"}}"#),
        format!(r#"{{"plan_id":"{id}","updated_at":1,"status":"draft"}}"#),
        "not json".to_owned(),
        "[]".to_owned(),
    ] {
        let serde = serde_json::from_str::<PlanSummary>(&stored).ok();
        assert_eq!(summary_from(&stored), serde, "{stored}");
    }
}

/// The device's sync keys are kept as standard base64, as the `base64`
/// crate wrote them before protocol 20: the browser's `atob`/`btoa` read
/// and write exactly that text, for every byte value.
#[wasm_bindgen_test]
fn base64_kept_by_the_browser_is_the_base64_crates() {
    use base64::Engine as _;
    use carer_plan::web::platform::local::{from_base64, to_base64};
    use carer_plan::web::platform::settings::{set_sync_device_key, sync_device_key};
    let b64 = base64::engine::general_purpose::STANDARD;
    let every: Vec<u8> = (0..=255u8).collect();
    for bytes in [
        &[][..],
        &[0u8][..],
        &[255, 254][..],
        &every[..],
        &every[7..71],
    ] {
        let text = to_base64(bytes).unwrap();
        assert_eq!(text, b64.encode(bytes));
        assert_eq!(from_base64(&text).unwrap(), bytes);
    }
    assert_eq!(from_base64("not base64!"), None);

    // A key an earlier release stored reads back as it was.
    let key: Vec<u8> = (100..164).collect();
    local()
        .set_item("csp-sync-device-key", &format!("\"{}\"", b64.encode(&key)))
        .unwrap();
    assert_eq!(sync_device_key().unwrap(), key);
    // A key put back from a backup is stored in the same form.
    let other: Vec<u8> = (0..64).rev().collect();
    set_sync_device_key(&other);
    let stored = local().get_item("csp-sync-device-key").unwrap().unwrap();
    assert_eq!(stored, format!("\"{}\"", b64.encode(&other)));
    assert_eq!(sync_device_key().unwrap(), other);
    local().remove_item("csp-sync-device-key").unwrap();
}
