//! Opening a plan in the engine worker (`Request::Open`), in the browser
//! (headless Chromium, wasm-bindgen-test): the plan the engine opens — its
//! values, sections and heads, sent to the page through the protocol's
//! bytes — is the plan the page's own copy loads from the same storage and
//! journal; a key worker's copy opens with only what the carer shared; a
//! plan not stored here is not opened; and the plan the engine holds after
//! opening is read again with what the page stored since.
#![cfg(target_arch = "wasm32")]

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{CarerField, DeviceActor, Field, Participant, PlanId, Role, Section};
use carer_plan::share::exchange::{self, Outgoing, Recipient};
use carer_plan::share::Lock;
use carer_plan::store::ChunkLog;
use carer_plan::web::engine::answer;
use carer_plan::web::engine::protocol::{
    decode, encode, Added, Copy, FromEngine, Open, Opened, Read, Reading, Readout, Reply, Request,
    ToEngine,
};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

fn person(name: &str, role: Role) -> Participant {
    Participant {
        name: name.into(),
        role,
    }
}

/// The engine's answer to `request`, through the protocol's bytes.
async fn asked(id: u32, request: Request) -> Reply {
    let bytes = encode(&ToEngine::Ask { id, request });
    let reply = answer(&bytes, &|_| {}).await.expect("an answer");
    match decode::<FromEngine>(&reply) {
        Ok(FromEngine::Answer { id: got, reply }) if got == id => reply,
        other => panic!("no answer: {other:?}"),
    }
}

async fn open(plan: &PlanId, journal: Vec<u8>, device: &DeviceActor) -> Reply {
    asked(
        31,
        Request::Open(Open {
            plan: plan.clone(),
            journal,
            device: device.as_str().into(),
        }),
    )
    .await
}

/// What the page's own copy shows of `doc`.
fn as_the_page_shows(doc: &PlanDoc) -> Opened {
    Opened {
        plan: doc.plan().unwrap(),
        parts: doc.parts().cloned().collect(),
        heads: doc.heads().iter().map(|h| h.to_string()).collect(),
    }
}

/// The engine reads `doc`'s history as the page's copy reads it.
async fn history_is_read_as(doc: &PlanDoc, device: &DeviceActor) {
    let read = asked(
        34,
        Request::Read(Read {
            plan: doc.plan_id().clone(),
            unsaved: Vec::new(),
            device: device.as_str().into(),
            what: Reading::History,
        }),
    )
    .await;
    match read {
        Reply::Read(Readout::History(h)) => {
            assert_eq!(h, carer_plan::doc::history::history(doc))
        }
        other => panic!("no history: {other:?}"),
    }
}

/// A moment's wait (20 ms).
async fn a_moment() {
    let wait = js_sys::Promise::new(&mut |ok, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, 20);
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

/// A carer's plan with answers in many of its sections, stored as the page
/// stores it.
async fn stored_plan(carer: &DeviceActor) -> (PlanDoc, ChunkLog) {
    let mut doc = PlanDoc::create(
        carer,
        person("Rose", Role::Carer),
        "scotland-national",
        &["health-wellbeing", "finances"],
        T0,
    )
    .unwrap();
    for (n, (field, value)) in [
        (Field::Carer(CarerField::Name), "Rose Tyler"),
        (Field::Carer(CarerField::Phone), "07700 900123"),
        (
            Field::Carer(CarerField::Health),
            "Bad back; \u{1F60A} on good days.\nSecond line.",
        ),
    ]
    .iter()
    .enumerate()
    {
        doc.set_field(field, value, T0 + 1 + n as i64).unwrap();
    }
    let db = Db::open().await.unwrap();
    let mut log = ChunkLog::empty();
    let mut save = plan_store::prepare(&doc, None, &log, T0 + 5, 1, true).unwrap();
    db.write(save.take_write()).await.unwrap();
    save.record(&mut log);
    (doc, log)
}

#[wasm_bindgen_test]
async fn the_engine_opens_the_plan_the_page_loads_with_its_journal() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, log) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    // Typed, then the page closed before storing it: the journal holds it.
    doc.set_field(&Field::Carer(CarerField::Name), "Rose Journaled", T0 + 9)
        .unwrap();
    let journal = log.pending(&doc).unwrap().bytes;

    // The page's own copy, loaded as the page loads it.
    let db = Db::open().await.unwrap();
    let (mut page, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    page.apply_saved(&journal).unwrap();
    assert_eq!(page.plan().unwrap().carer.name, "Rose Journaled");

    match open(&id, journal, &carer).await {
        Reply::Opened(opened) => assert_eq!(*opened, as_the_page_shows(&page)),
        other => panic!("not opened: {other:?}"),
    }
    // Without the journal, what is stored.
    match open(&id, Vec::new(), &carer).await {
        Reply::Opened(opened) => {
            // The engine holds the journaled change from its first opening.
            assert_eq!(opened.plan.carer.name, "Rose Journaled");
        }
        other => panic!("not opened: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_key_workers_copy_opens_with_only_what_the_carer_shared() {
    let carer = DeviceActor::random().unwrap();
    let worker = DeviceActor::random().unwrap();
    // Her plan is on her phone, not on his laptop.
    let mut doc = PlanDoc::create(
        &carer,
        person("Rose", Role::Carer),
        "scotland-national",
        &["health-wellbeing"],
        T0,
    )
    .unwrap();
    doc.set_field(&Field::Carer(CarerField::Name), "Rose Tyler", T0 + 1)
        .unwrap();
    let out = Outgoing {
        sender: &carer,
        sender_name: "Rose",
        sender_role: Role::Carer,
        parts: vec![Section::AboutYou],
        with_whom: vec![Recipient::KeyWorker],
        now_ms: T0 + 20,
    };
    let text = exchange::share(&mut doc, &out, Lock::None).unwrap();
    let added = asked(
        32,
        Request::AddCopy(Copy {
            text,
            passphrase: None,
            into: None,
            device: worker.as_str().into(),
            me: person("Sam Key", Role::KeyWorker),
        }),
    )
    .await;
    let Reply::Added(Added::Created(id)) = added else {
        panic!("not added: {added:?}")
    };
    let db = Db::open().await.unwrap();
    let (copy, _) = plan_store::load(&db, &id, &worker).await.unwrap();
    match open(&id, Vec::new(), &worker).await {
        Reply::Opened(opened) => {
            assert_eq!(*opened, as_the_page_shows(&copy));
            assert!(opened.parts.contains(&Section::AboutYou));
            assert!(
                !opened.parts.contains(&Section::CaringRole),
                "{:?}",
                opened.parts
            );
            assert!(
                !opened.parts.contains(&Section::Private),
                "{:?}",
                opened.parts
            );
            assert_eq!(opened.plan.carer.name, "Rose Tyler");
        }
        other => panic!("not opened: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_plan_not_stored_here_is_not_opened() {
    let carer = DeviceActor::random().unwrap();
    let nowhere = PlanId::parse("0123456789abcdef0123456789abcdef").unwrap();
    assert!(matches!(
        open(&nowhere, Vec::new(), &carer).await,
        Reply::Failed(_)
    ));
    let (doc, _) = stored_plan(&carer).await;
    let not_a_device = asked(
        33,
        Request::Open(Open {
            plan: doc.plan_id().clone(),
            journal: Vec::new(),
            device: "not a device".into(),
        }),
    )
    .await;
    assert!(matches!(not_a_device, Reply::Failed(_)));
}

#[wasm_bindgen_test]
async fn the_plan_held_after_opening_is_read_with_what_was_stored_since() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, mut log) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    assert!(matches!(
        open(&id, Vec::new(), &carer).await,
        Reply::Opened(_)
    ));
    // The page stores a change after the engine opened the plan.
    doc.set_field(&Field::Carer(CarerField::Name), "Rose Later", T0 + 30)
        .unwrap();
    let db = Db::open().await.unwrap();
    let mut save = plan_store::prepare(&doc, None, &log, T0 + 30, 2, true).unwrap();
    db.write(save.take_write()).await.unwrap();
    save.record(&mut log);
    history_is_read_as(&doc, &carer).await;
    match open(&id, Vec::new(), &carer).await {
        Reply::Opened(opened) => assert_eq!(*opened, as_the_page_shows(&doc)),
        other => panic!("not opened: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_read_asked_while_the_plan_opens_waits_for_it_and_both_are_answered() {
    let carer = DeviceActor::random().unwrap();
    let (doc, _) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    let opened = std::rc::Rc::new(std::cell::RefCell::new(None));
    let into = opened.clone();
    let (of, by) = (id.clone(), carer.clone());
    wasm_bindgen_futures::spawn_local(async move {
        *into.borrow_mut() = Some(open(&of, Vec::new(), &by).await);
    });
    // Asked at once, while the engine is still reading the plan to open it.
    history_is_read_as(&doc, &carer).await;
    for _ in 0..50 {
        if opened.borrow().is_some() {
            break;
        }
        a_moment().await;
    }
    let opened = opened.borrow_mut().take();
    match opened {
        Some(Reply::Opened(o)) => assert_eq!(*o, as_the_page_shows(&doc)),
        other => panic!("not opened: {other:?}"),
    }
}
