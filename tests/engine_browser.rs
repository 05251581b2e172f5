//! The engine worker's protocol and its services, in the browser
//! (headless Chromium, wasm-bindgen-test): messages round-trip, another
//! version or junk is refused, and a
//! copy added by the engine is checked, merged and stored as the page would
//! have done it — and a bad one refused in the page's words, storage
//! untouched.
#![cfg(target_arch = "wasm32")]

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{CarerField, DeviceActor, Field, Participant, PlanId, Role, Section};
use carer_plan::share::backup::{self, Backup, DeviceSettings};
use carer_plan::share::exchange::{self, Outgoing, Recipient};
use carer_plan::share::{derive, Lock};
use carer_plan::store::ChunkLog;
use carer_plan::web::engine::answer;
use carer_plan::web::engine::protocol::{
    decode, encode, Added, BackUp, Compact, Copy, FromEngine, MakeShare, Read, Reading, Readout,
    Reply, Request, Restore, Returns, Step, Store, ToEngine, Unreadable, VERSION,
};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use carer_plan::web::platform::tabs::{TabMessage, Tabs};
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// The engine's answer, anything it said on the way left unheard.
async fn reply_to(bytes: &[u8]) -> Option<Vec<u8>> {
    answer(bytes, &|_| {}).await
}

#[wasm_bindgen_test]
fn messages_round_trip() {
    let ask = ToEngine::Ask {
        id: 3,
        request: Request::Restore(Restore {
            text: "Carer Support Plan backup".into(),
            passphrase: "kettle garden Tuesday".into(),
            device: "00".repeat(16),
        }),
    };
    assert_eq!(decode::<ToEngine>(&encode(&ask)), Ok(ask));
    let ready = FromEngine::Ready { version: VERSION };
    assert_eq!(decode::<FromEngine>(&encode(&ready)), Ok(ready));
}

#[wasm_bindgen_test]
async fn another_version_or_junk_is_refused() {
    // Another version: the one after this (a varint of one byte).
    let other = VERSION + 1;
    assert!(other < 128);
    let mut bytes = encode(&FromEngine::Ready { version: VERSION });
    bytes[0] = other as u8;
    assert_eq!(
        decode::<FromEngine>(&bytes),
        Err(Unreadable::Version(Some(other)))
    );
    assert_eq!(decode::<FromEngine>(&[]), Err(Unreadable::Version(None)));
    let mut long = encode(&FromEngine::Ready { version: VERSION });
    long.push(0);
    assert_eq!(decode::<FromEngine>(&long), Err(Unreadable::Malformed));
    assert_eq!(reply_to(&[1, 200, 200]).await, None);
    assert_eq!(reply_to(&bytes).await, None);
}

const T0: i64 = 1_795_000_000_000;

fn person(name: &str, role: Role) -> Participant {
    Participant {
        name: name.into(),
        role,
    }
}

/// A carer's plan with her name in it, and the share file she sends.
fn carers_file(carer: &DeviceActor, name: &str) -> (PlanDoc, String) {
    let mut doc = PlanDoc::create(
        carer,
        person(name, Role::Carer),
        "scotland-national",
        &["health-wellbeing", "finances"],
        T0,
    )
    .unwrap();
    doc.set_field(&Field::Carer(CarerField::Name), name, T0 + 1)
        .unwrap();
    let text = send(&mut doc, carer);
    (doc, text)
}

fn send(doc: &mut PlanDoc, carer: &DeviceActor) -> String {
    let out = Outgoing {
        sender: carer,
        sender_name: "Ann",
        sender_role: Role::Carer,
        parts: vec![Section::AboutYou],
        with_whom: vec![Recipient::KeyWorker],
        now_ms: T0 + 2,
    };
    exchange::share(doc, &out, Lock::None).unwrap()
}

/// What the engine answers a worker's device adding `text`.
async fn add(worker: &DeviceActor, text: &str, into: Option<PlanId>) -> Reply {
    let bytes = encode(&ToEngine::Ask {
        id: 7,
        request: Request::AddCopy(Copy {
            text: text.into(),
            passphrase: None,
            into,
            device: worker.as_str().into(),
            me: person("Sam Key", Role::KeyWorker),
        }),
    });
    match decode::<FromEngine>(&reply_to(&bytes).await.unwrap()) {
        Ok(FromEngine::Answer { id: 7, reply }) => reply,
        other => panic!("no answer: {other:?}"),
    }
}

async fn stored(id: &PlanId, actor: &DeviceActor) -> Option<PlanDoc> {
    let db = Db::open().await.unwrap();
    plan_store::load(&db, id, actor)
        .await
        .ok()
        .map(|(doc, _)| doc)
}

#[wasm_bindgen_test]
async fn the_engine_adds_a_copy_stores_it_and_merges_the_next() {
    let carer = DeviceActor::random().unwrap();
    let worker = DeviceActor::random().unwrap();
    let (mut doc, text) = carers_file(&carer, "Peggy Engine");
    let id = doc.plan_id().clone();
    assert_eq!(
        add(&worker, &text, None).await,
        Reply::Added(Added::Created(id.clone()))
    );
    let kept = stored(&id, &worker).await.expect("the plan is stored");
    let plan = kept.plan().unwrap();
    assert_eq!(plan.display_name(), Some("Peggy Engine"));
    assert!(
        plan.participants.values().any(|p| p.name == "Sam Key"),
        "who added it is recorded"
    );
    // The same file again: nothing new, nothing written.
    assert_eq!(
        add(&worker, &text, None).await,
        Reply::Added(Added::NothingNew(id.clone()))
    );
    // She changes her name and sends again: merged into what is stored.
    doc.set_field(
        &Field::Carer(CarerField::Name),
        "Peggy Engine-Smith",
        T0 + 10,
    )
    .unwrap();
    let again = send(&mut doc, &carer);
    match add(&worker, &again, Some(id.clone())).await {
        Reply::Added(Added::Merged(got, report)) => {
            assert_eq!(got, id);
            assert!(report.new_changes > 0);
            assert!(report.parts.contains(&Section::AboutYou));
        }
        other => panic!("not merged: {other:?}"),
    }
    let kept = stored(&id, &worker).await.unwrap();
    assert_eq!(
        kept.plan().unwrap().display_name(),
        Some("Peggy Engine-Smith")
    );
}

#[wasm_bindgen_test]
async fn a_bad_copy_is_refused_in_the_pages_words_and_nothing_is_stored() {
    let carer = DeviceActor::random().unwrap();
    let worker = DeviceActor::random().unwrap();
    let (doc, text) = carers_file(&carer, "Rita Refused");
    let id = doc.plan_id().clone();
    // Damaged in the middle of its body.
    let mut damaged: Vec<char> = text.chars().collect();
    let at = damaged.len() * 2 / 3;
    damaged[at] = if damaged[at] == 'A' { 'B' } else { 'A' };
    let damaged: String = damaged.into_iter().collect();
    match add(&worker, &damaged, None).await {
        Reply::Refused { message, .. } => {
            assert!(
                message.contains("Nothing was added")
                    || message.contains("nothing was added")
                    || message.contains("Nothing was changed"),
                "{message}"
            );
            assert!(!message.contains("Rita"), "no text from the file is shown");
        }
        other => panic!("a damaged file was not refused: {other:?}"),
    }
    assert!(stored(&id, &worker).await.is_none(), "nothing stored");
    // A good copy of another plan, offered to this one.
    let other = PlanId::random().unwrap();
    match add(&worker, &text, Some(other)).await {
        Reply::Refused { message, .. } => assert!(message.contains("different plan"), "{message}"),
        other => panic!("a copy of another plan was added: {other:?}"),
    }
    assert!(stored(&id, &worker).await.is_none(), "nothing stored");
    // Junk.
    assert!(matches!(
        add(&worker, "hello", None).await,
        Reply::Refused { .. }
    ));
}

/// What the engine answers restoring `text` on `device`, and every step it
/// told on the way.
async fn restore(
    device: &DeviceActor,
    text: &str,
    passphrase: &str,
) -> (Reply, Vec<(Step, u32, u32)>) {
    let bytes = encode(&ToEngine::Ask {
        id: 9,
        request: Request::Restore(Restore {
            text: text.into(),
            passphrase: passphrase.into(),
            device: device.as_str().into(),
        }),
    });
    let told = std::cell::RefCell::new(Vec::new());
    let tell = |m: Vec<u8>| match decode::<FromEngine>(&m) {
        Ok(FromEngine::Progress {
            id: 9,
            step,
            done,
            total,
        }) => told.borrow_mut().push((step, done, total)),
        other => panic!("not progress: {other:?}"),
    };
    let reply = match decode::<FromEngine>(&answer(&bytes, &tell).await.unwrap()) {
        Ok(FromEngine::Answer { id: 9, reply }) => reply,
        other => panic!("no answer: {other:?}"),
    };
    (reply, told.into_inner())
}

#[wasm_bindgen_test]
async fn the_engine_restores_a_backup_telling_how_far_it_has_got() {
    let carer = DeviceActor::random().unwrap();
    let plans: Vec<PlanDoc> = (0..12)
        .map(|i| carers_file(&carer, &format!("Restored {i}")).0)
        .collect();
    let text = backup::write(
        &Backup {
            made_ms: T0,
            settings: DeviceSettings {
                role: Some("carer".into()),
                ..DeviceSettings::default()
            },
            plans: plans
                .iter()
                .map(|d| (d.plan_id().clone(), d.save()))
                .collect(),
        },
        "kettle garden Tuesday",
    )
    .unwrap();
    // A new phone: the carer's own device id, nothing stored yet.
    let phone = DeviceActor::random().unwrap();
    let (wrong, _) = restore(&phone, &text, "kettle garden tuesday").await;
    match wrong {
        Reply::Refused { message, .. } => assert!(message.contains("passphrase"), "{message}"),
        other => panic!("a wrong passphrase opened it: {other:?}"),
    }
    assert!(
        stored(plans[0].plan_id(), &phone).await.is_none(),
        "nothing stored"
    );
    let (reply, told) = restore(&phone, &text, "kettle garden Tuesday").await;
    match reply {
        Reply::Restored(done) => {
            assert_eq!(
                (
                    done.tally.added,
                    done.tally.merged,
                    done.tally.unchanged,
                    done.tally.skipped
                ),
                (12, 0, 0, 0)
            );
            assert_eq!(done.changed.len(), 12);
            assert_eq!(done.settings.role.as_deref(), Some("carer"));
            assert_eq!(done.made_ms, T0);
        }
        other => panic!("not restored: {other:?}"),
    }
    assert_eq!(told.first(), Some(&(Step::Checking, 1, 12)));
    assert_eq!(told.last(), Some(&(Step::Restoring, 12, 12)));
    for d in &plans {
        let kept = stored(d.plan_id(), &phone).await.expect("restored");
        assert_eq!(
            kept.plan().unwrap().display_name(),
            d.plan().unwrap().display_name()
        );
    }
    // Restoring again adds nothing and writes nothing.
    match restore(&phone, &text, "kettle garden Tuesday").await.0 {
        Reply::Restored(done) => assert_eq!((done.tally.added, done.tally.unchanged), (0, 12)),
        other => panic!("not restored: {other:?}"),
    }
}

async fn make_share(ask: MakeShare) -> Reply {
    asked(11, Request::MakeShare(ask)).await
}

/// The engine's answer to `request`, asked as message `id`.
async fn asked(id: u32, request: Request) -> Reply {
    let bytes = encode(&ToEngine::Ask { id, request });
    match decode::<FromEngine>(&reply_to(&bytes).await.unwrap()) {
        Ok(FromEngine::Answer { id: got, reply }) if got == id => reply,
        other => panic!("no answer: {other:?}"),
    }
}

/// A carer's plan stored as the page stores it; then her name typed
/// ("<name> Unstored") and not stored yet.
async fn stored_then_typed(carer: &DeviceActor, name: &str) -> (PlanDoc, ChunkLog) {
    let mut doc = PlanDoc::create(
        carer,
        person(name, Role::Carer),
        "scotland-national",
        &["health-wellbeing", "finances"],
        T0,
    )
    .unwrap();
    let db = Db::open().await.unwrap();
    let mut log = ChunkLog::empty();
    let mut save = plan_store::prepare(&doc, None, &log, T0, 1, true).unwrap();
    db.write(save.take_write()).await.unwrap();
    save.record(&mut log);
    doc.set_field(
        &Field::Carer(CarerField::Name),
        &format!("{name} Unstored"),
        T0 + 5,
    )
    .unwrap();
    (doc, log)
}

#[wasm_bindgen_test]
async fn the_engine_makes_a_share_file_holding_what_the_page_had_not_stored() {
    let carer = DeviceActor::random().unwrap();
    let (doc, log) = stored_then_typed(&carer, "Nora").await;
    let id = doc.plan_id().clone();
    let ask = |passphrase: &str| MakeShare {
        plan: id.clone(),
        unsaved: log.pending(&doc).unwrap().bytes,
        parts: vec![Section::AboutYou],
        with_whom: vec![Recipient::KeyWorker],
        passphrase: Some(passphrase.into()),
        device: carer.as_str().into(),
        sender_name: "Nora".into(),
        sender_role: Role::Carer,
        share_id: "a1b2c3d4e5f6".into(),
        made_ms: T0 + 10,
    };
    match make_share(ask("short")).await {
        Reply::Refused { message, .. } => assert!(message.contains("passphrase"), "{message}"),
        other => panic!("a short passphrase was taken: {other:?}"),
    }
    let text = match make_share(ask("kettle garden Tuesday")).await {
        Reply::Shared { text } => text,
        other => panic!("no file: {other:?}"),
    };
    let worker = DeviceActor::random().unwrap();
    let (header, copy) = exchange::read(&text, Some("kettle garden Tuesday"), &worker).unwrap();
    assert_eq!(header.plan_id, id);
    assert_eq!(copy.plan().unwrap().display_name(), Some("Nora Unstored"));
    // The share's record (the carer's consent) is stored in her plan.
    let kept = stored(&id, &carer).await.unwrap();
    let shares = kept.plan().unwrap().shares;
    assert_eq!(shares.len(), 1);
    assert_eq!(shares[0].with_whom, vec!["key-worker".to_string()]);
    assert_eq!(
        (shares[0].id.as_str(), shares[0].at),
        ("a1b2c3d4e5f6", T0 + 10)
    );
    // Asked again for the same act (the engine that made it stopped before
    // it answered): the file again, and still the one record.
    let again = match make_share(ask("kettle garden Tuesday")).await {
        Reply::Shared { text } => text,
        other => panic!("no file the second time: {other:?}"),
    };
    let (_, copy) = exchange::read(&again, Some("kettle garden Tuesday"), &worker).unwrap();
    assert_eq!(copy.plan().unwrap().shares.len(), 1);
    let kept = stored(&id, &carer).await.unwrap();
    assert_eq!(
        kept.plan().unwrap().shares.len(),
        1,
        "the act is recorded once"
    );
}

/// What the engine answers a page asking it to write `store`.
async fn store(ask: Store) -> Reply {
    let bytes = encode(&ToEngine::Ask {
        id: 11,
        request: Request::Store(ask),
    });
    match decode::<FromEngine>(&reply_to(&bytes).await.unwrap()) {
        Ok(FromEngine::Answer { id: 11, reply }) => reply,
        other => panic!("no answer: {other:?}"),
    }
}

/// Wait a little for the tabs' channel to deliver.
async fn a_moment() {
    let p = js_sys::Promise::new(&mut |ok, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 200);
    });
    wasm_bindgen_futures::JsFuture::from(p).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_engine_writes_a_save_the_page_prepared_and_tells_the_other_tabs_only() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, _) = carers_file(&carer, "Olive Typed");
    let id = doc.plan_id().clone();
    let mut log = ChunkLog::empty();
    // The page's save of a new plan, then of a keystroke, each as the page
    // prepares it; the asking page and another tab listen.
    let asking: Rc<RefCell<Vec<TabMessage>>> = Rc::default();
    let other: Rc<RefCell<Vec<TabMessage>>> = Rc::default();
    let (a, o) = (asking.clone(), other.clone());
    let page = Tabs::listen(move |m| a.borrow_mut().push(m));
    let _tab = Tabs::listen(move |m| o.borrow_mut().push(m));
    for (i, name) in ["Olive Typed", "Olive Typed-Jones"].into_iter().enumerate() {
        doc.set_field(&Field::Carer(CarerField::Name), name, T0 + 20 + i as i64)
            .unwrap();
        let mut save =
            plan_store::prepare(&doc, None, &log, T0 + 30 + i as i64, i as u32, true).unwrap();
        let ask = Store {
            plan: id.clone(),
            write: save.take_write(),
            by: page.id(),
        };
        assert_eq!(store(ask).await, Reply::Written);
        save.record(&mut log);
    }
    assert!(log.is_saved(&doc));
    let kept = stored(&id, &carer).await.expect("the plan is stored");
    assert_eq!(
        kept.plan().unwrap().display_name(),
        Some("Olive Typed-Jones")
    );
    let db = Db::open().await.unwrap();
    let listed = plan_store::list(&db).await.unwrap();
    assert!(
        listed.iter().any(|s| s.plan_id == id),
        "its list entry is written with it"
    );
    a_moment().await;
    let told = TabMessage::Saved {
        plan: id.clone(),
        by: Some(page.id()),
        compacted: None,
    };
    assert_eq!(other.borrow().as_slice(), &[told.clone(), told]);
    assert!(
        asking.borrow().is_empty(),
        "the asking page is not told of its own save"
    );
}

async fn chunk_keys(id: &PlanId) -> Vec<String> {
    let db = Db::open().await.unwrap();
    let (lo, hi) = carer_plan::store::ChunkKey::range_for(id);
    db.chunks_in(&lo, &hi)
        .await
        .unwrap()
        .into_iter()
        .map(|(k, _)| k)
        .collect()
}

async fn compact(ask: Compact) -> Reply {
    let bytes = encode(&ToEngine::Ask {
        id: 12,
        request: Request::Compact(ask),
    });
    match decode::<FromEngine>(&reply_to(&bytes).await.unwrap()) {
        Ok(FromEngine::Answer { id: 12, reply }) => reply,
        other => panic!("no answer: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn the_engine_compacts_the_chunks_the_page_named_and_leaves_the_rest() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, _) = carers_file(&carer, "Pat Compact");
    let id = doc.plan_id().clone();
    let mut log = ChunkLog::empty();
    let db = Db::open().await.unwrap();
    // A snapshot and three increments, written as the page writes them.
    for i in 0..4i64 {
        doc.set_field(
            &Field::Carer(CarerField::Name),
            &format!("Pat Compact {i}"),
            T0 + 40 + i,
        )
        .unwrap();
        let mut save = plan_store::prepare(&doc, None, &log, T0 + 50 + i, i as u32, false).unwrap();
        db.write(save.take_write()).await.unwrap();
        save.record(&mut log);
    }
    let named = chunk_keys(&id).await;
    assert_eq!(named.len(), 4);
    // Another tab writes one more, which this page has not read.
    let mut other = doc.fork(&DeviceActor::random().unwrap());
    other
        .set_field(
            &Field::Carer(CarerField::Name),
            "Pat From Another Tab",
            T0 + 60,
        )
        .unwrap();
    let mut theirs = plan_store::prepare(&other, None, &log, T0 + 61, 99, false).unwrap();
    db.write(theirs.take_write()).await.unwrap();
    let ask = |chunks: Vec<String>| Compact {
        plan: id.clone(),
        chunks,
        device: carer.as_str().into(),
        by: 1,
    };
    // A chunk that is not there (another tab compacted it): nothing is done.
    let mut gone = named.clone();
    gone[1] = format!("{id}/i0000000000001-00000000");
    assert!(matches!(compact(ask(gone)).await, Reply::Failed(_)));
    assert_eq!(chunk_keys(&id).await.len(), 5);

    let heard: Rc<RefCell<Vec<TabMessage>>> = Rc::default();
    let h = heard.clone();
    let _tab = Tabs::listen(move |m| h.borrow_mut().push(m));
    let (key, len) = match compact(ask(named.clone())).await {
        Reply::Compacted { key, len } => (key, len),
        other => panic!("not compacted: {other:?}"),
    };
    // Another tab hears which chunks the snapshot replaced: having read
    // them all, it records the snapshot without reading it.
    a_moment().await;
    let told = heard.borrow().clone();
    let Some(TabMessage::Saved {
        compacted: Some(c), ..
    }) = told.last()
    else {
        panic!("no compaction heard: {told:?}");
    };
    assert_eq!((&c.key, c.len, &c.removed), (&key, len, &named));
    let parse = |keys: &[String]| -> Vec<carer_plan::store::ChunkKey> {
        keys.iter()
            .filter_map(|k| carer_plan::store::ChunkKey::parse(k))
            .collect()
    };
    let snapshot = carer_plan::store::ChunkKey::parse(&key).unwrap();
    let mut tab_log = log.clone();
    assert!(tab_log.replaced_if_read(snapshot.clone(), len as usize, &parse(&c.removed)));
    assert!(tab_log.is_saved(&doc));
    assert!(
        tab_log.unseen(&parse(&chunk_keys(&id).await)).len() == 1,
        "only the other tab's chunk is left to read"
    );
    // A tab that had not read one of them reads the snapshot as any chunk.
    let mut behind = ChunkLog::empty();
    assert!(!behind.replaced_if_read(snapshot, len as usize, &parse(&c.removed)));
    let now = chunk_keys(&id).await;
    assert_eq!(
        now.len(),
        2,
        "one snapshot, and the other tab's chunk: {now:?}"
    );
    assert!(now.contains(&key));
    assert!(named.iter().all(|k| !now.contains(k)));
    // The page's log follows: the same heads are stored, nothing is pending.
    let removed: Vec<_> = named
        .iter()
        .filter_map(|k| carer_plan::store::ChunkKey::parse(k))
        .collect();
    log.replaced(
        carer_plan::store::ChunkKey::parse(&key).unwrap(),
        len as usize,
        &removed,
    );
    assert!(log.is_saved(&doc));
    let kept = stored(&id, &carer).await.unwrap();
    let mut expected = doc.fork(&carer);
    expected.merge(&mut other).unwrap();
    assert_eq!(kept.plan().unwrap(), expected.plan().unwrap());
}

#[wasm_bindgen_test]
async fn adding_a_copy_says_what_it_is_about_to_store_before_it_answers() {
    let carer = DeviceActor::random().unwrap();
    let worker = DeviceActor::random().unwrap();
    let (doc, text) = carers_file(&carer, "Ivy Told");
    let id = doc.plan_id().clone();
    let bytes = encode(&ToEngine::Ask {
        id: 9,
        request: Request::AddCopy(Copy {
            text,
            passphrase: None,
            into: None,
            device: worker.as_str().into(),
            me: person("Sam Key", Role::KeyWorker),
        }),
    });
    let told: RefCell<Vec<FromEngine>> = RefCell::default();
    let tell = |m: Vec<u8>| told.borrow_mut().push(decode(&m).unwrap());
    let answer = decode::<FromEngine>(&answer(&bytes, &tell).await.unwrap()).unwrap();
    assert_eq!(
        told.into_inner(),
        vec![FromEngine::Storing {
            id: 9,
            added: Added::Created(id.clone())
        }]
    );
    assert_eq!(
        answer,
        FromEngine::Answer {
            id: 9,
            reply: Reply::Added(Added::Created(id))
        }
    );
}

/// Store `doc` as the page would (its first save), with its list entry.
async fn store_whole(doc: &PlanDoc) {
    let db = Db::open().await.unwrap();
    let mut save = plan_store::prepare(doc, None, &ChunkLog::empty(), T0, 3, true).unwrap();
    db.write(save.take_write()).await.unwrap();
}

#[wasm_bindgen_test]
async fn the_engine_backs_up_every_stored_plan_with_what_the_page_had_not_stored() {
    let carer = DeviceActor::random().unwrap();
    let (mut kept, _) = carers_file(&carer, "Una Stored");
    let (other, _) = carers_file(&carer, "Vera Stored");
    store_whole(&kept).await;
    store_whole(&other).await;
    let log = {
        let db = Db::open().await.unwrap();
        plan_store::load(&db, kept.plan_id(), &carer)
            .await
            .unwrap()
            .1
    };
    // Typed on the page and not stored yet.
    kept.set_field(&Field::Carer(CarerField::Name), "Una Unstored", T0 + 70)
        .unwrap();
    let unsaved = vec![(kept.plan_id().clone(), log.pending(&kept).unwrap().bytes)];
    let ask = |passphrase: &str| BackUp {
        passphrase: passphrase.into(),
        device: carer.as_str().into(),
        unsaved: unsaved.clone(),
        settings: DeviceSettings {
            role: Some("carer".into()),
            ..DeviceSettings::default()
        },
        made_ms: T0 + 80_000,
    };
    let told: RefCell<Vec<(Step, u32, u32)>> = RefCell::default();
    let progress = |step, done, total| told.borrow_mut().push((step, done, total));
    match backups_reply(Request::BackUp(ask("short"))).await {
        Reply::Refused { message, .. } => assert!(message.contains("passphrase"), "{message}"),
        other => panic!("a short passphrase was taken: {other:?}"),
    }
    let bytes = encode(&ToEngine::Ask {
        id: 13,
        request: Request::BackUp(ask("kettle garden Tuesday")),
    });
    let tell = |m: Vec<u8>| {
        if let Ok(FromEngine::Progress {
            step, done, total, ..
        }) = decode(&m)
        {
            progress(step, done, total)
        }
    };
    let (text, plans) = match decode::<FromEngine>(&answer(&bytes, &tell).await.unwrap()) {
        Ok(FromEngine::Answer {
            reply:
                Reply::BackedUp {
                    text,
                    plans,
                    unreadable: 0,
                },
            ..
        }) => (text, plans),
        other => panic!("no backup: {other:?}"),
    };
    assert!(plans >= 2, "every stored plan: {plans}");
    assert_eq!(told.borrow().first().map(|t| t.0), Some(Step::BackingUp));
    let sealed = backup::peek(&text).unwrap();
    let key = derive("kettle garden Tuesday", sealed.lock()).unwrap();
    let opened = sealed.open(&key).unwrap();
    assert_eq!(opened.made_ms, T0 + 80_000);
    assert_eq!(opened.settings.role.as_deref(), Some("carer"));
    let name_of = |id: &PlanId| {
        let (_, bytes) = opened
            .plans
            .iter()
            .find(|(p, _)| p == id)
            .expect("in the backup");
        let doc = PlanDoc::load(bytes, &carer).unwrap();
        doc.plan().unwrap().display_name().map(str::to_owned)
    };
    assert_eq!(name_of(kept.plan_id()).as_deref(), Some("Una Unstored"));
    assert_eq!(name_of(other.plan_id()).as_deref(), Some("Vera Stored"));

    // The returns: one row a plan, the unsaved name in it.
    match backups_reply(Request::Returns(Returns {
        device: carer.as_str().into(),
        unsaved,
    }))
    .await
    {
        Reply::Returns {
            text,
            unreadable: 0,
        } => {
            assert!(text.contains("Una Unstored"), "{text}");
            assert!(text.contains("Vera Stored"));
            assert!(
                text.lines().count() > plans as usize,
                "a header and a row a plan"
            );
        }
        other => panic!("no returns: {other:?}"),
    }
}

async fn backups_reply(request: Request) -> Reply {
    let bytes = encode(&ToEngine::Ask { id: 14, request });
    match decode::<FromEngine>(&reply_to(&bytes).await.unwrap()) {
        Ok(FromEngine::Answer { id: 14, reply }) => reply,
        other => panic!("no answer: {other:?}"),
    }
}

async fn read(ask: Read) -> Reply {
    asked(21, Request::Read(ask)).await
}

#[wasm_bindgen_test]
async fn the_engine_reads_a_plans_history_with_what_the_page_had_not_stored() {
    let carer = DeviceActor::random().unwrap();
    let (doc, log) = stored_then_typed(&carer, "Rose").await;
    let id = doc.plan_id().clone();
    let ask = |what: Reading| Read {
        plan: id.clone(),
        unsaved: log.pending(&doc).unwrap().bytes,
        device: carer.as_str().into(),
        what,
    };
    // The history, as the page would read it from its own copy.
    match read(ask(Reading::History)).await {
        Reply::Read(Readout::History(h)) => {
            assert_eq!(h, carer_plan::doc::history::history(&doc));
            assert!(h.iter().any(|e| e.message.starts_with("Updated")), "{h:?}");
        }
        other => panic!("no history: {other:?}"),
    }
    // Nobody else wrote in it.
    match read(ask(Reading::Unseen {
        seen: Vec::new(),
        my_device: carer.as_str().into(),
    }))
    .await
    {
        Reply::Read(Readout::Unseen(u)) => assert!(u.sections.is_empty(), "{u:?}"),
        other => panic!("nothing read: {other:?}"),
    }
    match read(ask(Reading::Json)).await {
        Reply::Read(Readout::Json(text)) => assert!(text.contains("Rose Unstored")),
        other => panic!("no JSON: {other:?}"),
    }
    // A plan not stored on this device: the page reads it itself.
    let mut other = ask(Reading::History);
    other.plan = PlanId::parse("0123456789abcdef0123456789abcdef").unwrap();
    other.unsaved = Vec::new();
    assert!(matches!(read(other).await, Reply::Failed(_)));
}

#[wasm_bindgen_test]
async fn a_plan_the_engine_read_before_is_read_again_with_what_was_stored_since() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, mut log) = stored_then_typed(&carer, "Ivy").await;
    let id = doc.plan_id().clone();
    let ask = |doc: &PlanDoc, log: &ChunkLog, what: Reading| Read {
        plan: id.clone(),
        unsaved: log.pending(doc).map(|p| p.bytes).unwrap_or_default(),
        device: carer.as_str().into(),
        what,
    };
    // Never signed off; read once, so the engine keeps it.
    match read(ask(&doc, &log, Reading::SignStatus)).await {
        Reply::Read(Readout::SignStatus(s)) => {
            assert_eq!(s, carer_plan::doc::signoff::SignStatus::NotSigned)
        }
        other => panic!("no status: {other:?}"),
    }
    assert!(matches!(
        read(ask(&doc, &log, Reading::Signed)).await,
        Reply::Read(Readout::Signed(None))
    ));
    // The page stores its change, then another; the engine is asked with
    // nothing unsaved and reads what was stored since its last read.
    let db = Db::open().await.unwrap();
    for (n, name) in ["Ivy Stored", "Ivy Stored Again"].iter().enumerate() {
        doc.set_field(&Field::Carer(CarerField::Name), name, T0 + 10 + n as i64)
            .unwrap();
        let mut save =
            plan_store::prepare(&doc, None, &log, T0 + 10 + n as i64, 7 + n as u32, true).unwrap();
        db.write(save.take_write()).await.unwrap();
        save.record(&mut log);
        assert!(log.pending(&doc).is_none());
        match read(ask(&doc, &log, Reading::Json)).await {
            Reply::Read(Readout::Json(text)) => assert!(text.contains(name), "{name}: {text}"),
            other => panic!("no JSON: {other:?}"),
        }
    }
    match read(ask(&doc, &log, Reading::History)).await {
        Reply::Read(Readout::History(h)) => {
            assert_eq!(h, carer_plan::doc::history::history(&doc))
        }
        other => panic!("no history: {other:?}"),
    }
    // Deleted on this device: the engine reads nothing of it from memory.
    plan_store::delete(&db, &id).await.unwrap();
    assert!(matches!(
        read(ask(&doc, &log, Reading::History)).await,
        Reply::Failed(_)
    ));
}

/// The import page's first step (protocol 20): the engine reads a share
/// file's header and refuses one it cannot read in the page's words, with
/// the details apart; nothing is stored either way.
#[wasm_bindgen_test]
async fn the_engine_reads_a_share_files_header_for_the_page() {
    let carer = DeviceActor::random().unwrap();
    let (doc, text) = carers_file(&carer, "Petra Peek");
    match asked(21, Request::Peek(text.clone())).await {
        Reply::Peeked(h) => {
            assert_eq!(&h.plan_id, doc.plan_id());
            assert_eq!(h.from_name, "Ann");
            assert!(h.sections.contains(&Section::AboutYou), "{:?}", h.sections);
            assert!(!h.encrypted);
        }
        other => panic!("no header: {other:?}"),
    }
    // A header naming a section this version does not know.
    assert!(text.contains("Sections: plan, about-you"), "{text}");
    let newer = text.replace(
        "Sections: plan, about-you",
        "Sections: plan, about-the-moon",
    );
    match asked(22, Request::Peek(newer)).await {
        Reply::Refused { message, details } => {
            assert!(message.contains("Nothing was added"), "{message}");
            assert!(!message.contains("Petra"), "no text from the file is shown");
            assert!(
                details.is_some_and(|d| d.contains("Sections")),
                "the details are kept for a technical person"
            );
        }
        other => panic!("an unknown section was read: {other:?}"),
    }
    assert!(matches!(
        asked(23, Request::Peek("hello".into())).await,
        Reply::Refused { .. }
    ));
    assert!(
        stored(doc.plan_id(), &carer).await.is_none(),
        "nothing stored"
    );
}

/// A keep-in-step link drawn as a QR code by the engine (protocol 20); text
/// too long for one fails, and the page gives the link without it.
#[wasm_bindgen_test]
async fn the_engine_draws_a_link_as_a_qr_code() {
    let link = "https://plan.example/#/keep/2Xq5mZVbGXDvDz7bTzZJbB2Ziq9P/AAAA".to_owned();
    match asked(24, Request::Qr(link)).await {
        Reply::Qr(svg) => assert!(svg.contains("<svg") && svg.contains("#0b0c0c")),
        other => panic!("no QR code: {other:?}"),
    }
    assert!(matches!(
        asked(25, Request::Qr("x".repeat(5000))).await,
        Reply::Failed(_)
    ));
}
