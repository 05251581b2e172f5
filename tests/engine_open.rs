//! Opening a plan in the engine worker (`Request::Open`), in the browser
//! (headless Chromium, wasm-bindgen-test): the plan the engine opens — its
//! values, sections and heads, sent to the page through the protocol's
//! bytes — is the plan the page's own copy loads from the same storage and
//! journal; a key worker's copy opens with only what the carer shared; a
//! plan not stored here is not opened; and the plan the engine holds after
//! opening is read again with what the page stored since. A named change
//! made by the engine (`Request::Change`) is stored, other tabs are told,
//! and its chunk is what the page takes into its copy; one the plan's
//! limits refuse is not stored; a sign-off asked straight after a choice
//! signs the plan with it; a choice given two values at once is read and
//! settled by the engine.
#![cfg(target_arch = "wasm32")]

mod engine_common;

use carer_plan::doc::conflict::{choice_conflicts, ChoiceConflict, Scalar};
use carer_plan::doc::PlanDoc;
use carer_plan::plan::Edit;
use carer_plan::plan::{CarerField, DeviceActor, Field, Participant, PlanId, Role, Section};
use carer_plan::share::exchange::{self, Outgoing, Recipient};
use carer_plan::share::Lock;
use carer_plan::store::ChunkLog;
use carer_plan::web::engine::protocol::{
    Added, Change, Copy, Named, NotOpened, Open, Opened, Read, Reading, Readout, Reply, Request,
    SignOff,
};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use engine_common::{asked, OtherTab};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

fn person(name: &str, role: Role) -> Participant {
    Participant {
        name: name.into(),
        role,
    }
}

async fn open(plan: &PlanId, journal: Vec<u8>, device: &DeviceActor) -> Reply {
    asked(
        31,
        Request::Open(Open {
            plan: plan.clone(),
            journal,
            journaled: Default::default(),
            earlier_journal: None,
            me: None,
            device: device.as_str().into(),
            by: 31,
        }),
    )
    .await
}

/// What the page's own copy shows of `doc`.
fn as_the_page_shows(doc: &PlanDoc) -> Opened {
    Opened {
        plan: doc.plan().unwrap(),
        parts: doc.parts().cloned().collect(),
        heads: doc.version_token(),
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
    assert_eq!(
        open(&nowhere, Vec::new(), &carer).await,
        Reply::NotOpened(NotOpened::NotFound)
    );
    let (doc, _) = stored_plan(&carer).await;
    let not_a_device = asked(
        33,
        Request::Open(Open {
            plan: doc.plan_id().clone(),
            journal: Vec::new(),
            journaled: Default::default(),
            earlier_journal: None,
            me: None,
            device: "not a device".into(),
            by: 33,
        }),
    )
    .await;
    assert!(matches!(not_a_device, Reply::Failed(_)));
}

#[wasm_bindgen_test]
async fn a_plan_whose_bytes_cannot_be_read_is_said_damaged_with_its_bytes_untouched() {
    let carer = DeviceActor::random().unwrap();
    let doc = PlanDoc::create(
        &carer,
        person("Rose", Role::Carer),
        "scotland-national",
        &["finances"],
        T0,
    )
    .unwrap();
    let log = ChunkLog::empty();
    let mut save = plan_store::prepare(&doc, None, &log, T0 + 5, 1, true).unwrap();
    let mut write = save.take_write();
    // Every chunk cut in half, as a disk fault would leave it.
    for (_, bytes) in &mut write.put_chunks {
        bytes.truncate(bytes.len() / 2);
    }
    let cut: Vec<(String, Vec<u8>)> = write.put_chunks.clone();
    let db = Db::open().await.unwrap();
    db.write(write).await.unwrap();
    match open(doc.plan_id(), Vec::new(), &carer).await {
        Reply::NotOpened(NotOpened::Damaged { message, raw }) => {
            assert!(!message.is_empty());
            assert!(!raw.is_empty());
        }
        other => panic!("not said damaged: {other:?}"),
    }
    for (key, bytes) in cut {
        assert_eq!(
            db.chunk(&key).await.unwrap(),
            Some(bytes),
            "stored as it was"
        );
    }
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

async fn change(plan: &PlanId, edit: Edit, device: &DeviceActor, by: u32) -> Reply {
    change_with(plan, edit, Vec::new(), device, by).await
}

async fn change_with(
    plan: &PlanId,
    edit: Edit,
    unsaved: Vec<u8>,
    device: &DeviceActor,
    by: u32,
) -> Reply {
    asked(
        36,
        Request::Change(Change {
            plan: plan.clone(),
            named: Named::Edit(edit),
            unsaved,
            at_ms: T0 + 40,
            device: device.as_str().into(),
            by,
        }),
    )
    .await
}

#[wasm_bindgen_test]
async fn the_engine_makes_a_choice_stores_it_tells_the_other_tabs_and_hands_the_page_its_chunk() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, mut log) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    let other_tab = OtherTab::listen();
    let rate = Edit::SetRating {
        area: "health-wellbeing".into(),
        level: Some("moderate".into()),
    };
    let chunk = match change(&id, rate.clone(), &carer, 4242).await {
        Reply::Changed(Some(chunk)) => chunk,
        other => panic!("not changed: {other:?}"),
    };
    // The page takes the chunk into its copy, as if it had read storage.
    assert!(log.take_in_one(&mut doc, &chunk.key, chunk.bytes));
    let rating = |d: &PlanDoc| {
        d.plan().unwrap().wellbeing["health-wellbeing"]
            .rating
            .clone()
    };
    assert_eq!(rating(&doc).as_deref(), Some("moderate"));
    assert!(
        log.is_saved(&doc),
        "the page has nothing of it left to store"
    );
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.heads(), doc.heads());
    assert!(
        other_tab.told_saved(&id, 4242).await,
        "the other tabs are told"
    );
    drop(other_tab);
    // The same choice again changes nothing.
    assert!(matches!(
        change(&id, rate, &carer, 4242).await,
        Reply::Changed(None)
    ));
}

#[wasm_bindgen_test]
async fn a_change_the_plans_limits_refuse_is_not_stored() {
    let carer = DeviceActor::random().unwrap();
    let (doc, _) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    let too_long = Edit::SetHours {
        words: "about ".repeat(1000),
        hours: None,
    };
    assert!(matches!(
        change(&id, too_long, &carer, 1).await,
        Reply::Failed(_)
    ));
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.heads(), doc.heads());
}

#[wasm_bindgen_test]
async fn a_choice_about_a_person_the_page_has_not_stored_yet_is_made_with_them() {
    let carer = DeviceActor::random().unwrap();
    let (mut doc, mut log) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    // She adds the person she cares for; the page has not stored it yet.
    doc.apply(&Edit::AddPerson { id: "p1".into() }, T0 + 50)
        .unwrap();
    let unsaved = log.pending(&doc).unwrap().bytes;
    let lives = Edit::SetLivesWithCarer {
        person: "p1".into(),
        lives: Some(true),
    };
    let chunk = match change_with(&id, lives, unsaved, &carer, 9).await {
        Reply::Changed(Some(chunk)) => chunk,
        other => panic!("not changed: {other:?}"),
    };
    assert!(log.take_in_one(&mut doc, &chunk.key, chunk.bytes));
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    for plan in [doc.plan().unwrap(), stored.plan().unwrap()] {
        assert_eq!(plan.cared_for.len(), 1);
        assert_eq!(plan.cared_for[0].lives_with_carer, Some(true));
    }
}

#[wasm_bindgen_test]
async fn a_sign_off_asked_straight_after_a_choice_signs_the_plan_with_it() {
    let worker = DeviceActor::random().unwrap();
    let (doc, _) = stored_plan(&worker).await;
    let id = doc.plan_id().clone();
    for edit in [
        Edit::MarkReadyToAgree { at: T0 + 10 },
        Edit::CarerAgrees {
            at: T0 + 11,
            device: worker.as_str().into(),
            in_meeting: true,
        },
    ] {
        assert!(matches!(
            change(&id, edit, &worker, 7).await,
            Reply::Changed(Some(_))
        ));
    }
    let today = chrono::DateTime::from_timestamp_millis(T0)
        .unwrap()
        .date_naive();
    let (_, _, review) = carer_plan::plan::review::review_range(&doc.plan().unwrap(), today);
    let rate = Edit::SetRating {
        area: "finances".into(),
        level: Some("moderate".into()),
    };
    let sign = Named::SignOff(SignOff {
        carer_name: "Rose Tyler".into(),
        worker_name: "Sam Patel".into(),
        review,
        today,
    });
    // Both asked before either is answered, as the page asks them.
    let answers = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    for (n, named) in [Named::Edit(rate), sign].into_iter().enumerate() {
        let (id, worker, answers) = (id.clone(), worker.clone(), answers.clone());
        wasm_bindgen_futures::spawn_local(async move {
            let request = Request::Change(Change {
                plan: id,
                named,
                unsaved: Vec::new(),
                at_ms: T0 + 60 + n as i64,
                device: worker.as_str().into(),
                by: 7,
            });
            let reply = asked(40 + n as u32, request).await;
            answers.borrow_mut().push(reply);
        });
    }
    for _ in 0..100 {
        if answers.borrow().len() == 2 {
            break;
        }
        a_moment().await;
    }
    // The choice's chunk; the sign-off's, with the plan's values after it
    // (the page shows those without reading its copy whole).
    let answers = answers.borrow().clone();
    assert!(answers.iter().any(|a| matches!(a, Reply::Changed(Some(_)))));
    let Some(Reply::Made(made)) = answers.iter().find(|a| matches!(a, Reply::Made(_))) else {
        panic!("no sign-off made: {answers:?}");
    };
    let (plan, heads) = (&made.plan, &made.heads);
    assert_eq!(plan.sign_off.signed_versions.len(), 1);
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &worker).await.unwrap();
    assert_eq!(*heads, stored.version_token());
    assert_eq!(*plan, stored.plan().unwrap());
    let (signed, then, _) = carer_plan::doc::signoff::signed_version(&stored).expect("signed");
    assert_eq!(signed.worker.name, "Sam Patel");
    // Asked again, as the page asks a new engine when the one that signed
    // stopped before it answered: still signed once.
    let again = Request::Change(Change {
        plan: id.clone(),
        named: Named::SignOff(SignOff {
            carer_name: "Rose Tyler".into(),
            worker_name: "Sam Patel".into(),
            review,
            today,
        }),
        unsaved: Vec::new(),
        at_ms: T0 + 61,
        device: worker.as_str().into(),
        by: 7,
    });
    let reply = asked(50, again).await;
    assert!(!matches!(reply, Reply::Failed(_)), "{reply:?}");
    let (stored, _) = plan_store::load(&db, &id, &worker).await.unwrap();
    assert_eq!(stored.plan().unwrap().sign_off.signed_versions.len(), 1);
    assert_eq!(
        then.wellbeing["finances"].rating.as_deref(),
        Some("moderate"),
        "the version signed has the choice asked before it"
    );
}

/// The choices holding two values, as the engine reads them.
async fn conflicts_read(
    plan: &PlanId,
    unsaved: Vec<u8>,
    device: &DeviceActor,
) -> Vec<ChoiceConflict> {
    let read = Request::Read(Read {
        plan: plan.clone(),
        unsaved,
        device: device.as_str().into(),
        what: Reading::Conflicts,
    });
    match asked(50, read).await {
        Reply::Read(Readout::Conflicts(c)) => c,
        other => panic!("no conflicts read: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn a_choice_given_two_values_at_once_is_read_and_settled_by_the_engine() {
    let carer = DeviceActor::random().unwrap();
    let worker = DeviceActor::random().unwrap();
    let (mut doc, log) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    // Both rate the same area at once, apart; her copy merges his.
    let mut his = doc.fork(&worker);
    let rate = |level: &str| Edit::SetRating {
        area: "finances".into(),
        level: Some(level.into()),
    };
    doc.apply(&rate("moderate"), T0 + 20).unwrap();
    his.apply(&rate("low"), T0 + 21).unwrap();
    doc.merge(&mut his).unwrap();
    let unsaved = log.pending(&doc).unwrap().bytes;

    // What the engine reads is what the page's copy finds, through the
    // protocol's bytes (the values crossing it whole).
    let read = conflicts_read(&id, unsaved.clone(), &carer).await;
    assert_eq!(read, choice_conflicts(&doc));
    let rating = read.iter().find(|c| c.key == "rating").expect("the rating");
    assert_eq!(rating.values.len(), 2);
    let his_value = rating
        .values
        .iter()
        .find(|v| v.by.as_deref() == Some(worker.as_str()))
        .expect("his value, said to be his")
        .value
        .clone();
    assert_eq!(his_value, Scalar::Str("low".into()));

    // She keeps his: made by the engine, with the plan's values after it.
    let keep = Request::Change(Change {
        plan: id.clone(),
        named: Named::KeepChoice {
            conflict: rating.clone(),
            pick: his_value,
        },
        unsaved,
        at_ms: T0 + 30,
        device: carer.as_str().into(),
        by: 3,
    });
    match asked(51, keep).await {
        Reply::Made(made) => {
            assert_eq!(
                made.plan.wellbeing["finances"].rating.as_deref(),
                Some("low")
            )
        }
        other => panic!("not kept: {other:?}"),
    }
    assert!(conflicts_read(&id, Vec::new(), &carer).await.is_empty());
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert!(choice_conflicts(&stored).is_empty());
}

#[wasm_bindgen_test]
async fn an_item_added_by_the_engine_comes_back_with_the_plan_to_open_its_page() {
    let carer = DeviceActor::random().unwrap();
    let (doc, _) = stored_plan(&carer).await;
    let id = doc.plan_id().clone();
    let add = Request::Change(Change {
        plan: id.clone(),
        named: Named::Edit(Edit::AddAction {
            id: "a1".into(),
            area: Some("finances".into()),
        }),
        unsaved: Vec::new(),
        at_ms: T0 + 40,
        device: carer.as_str().into(),
        by: 5,
    });
    match asked(52, add).await {
        Reply::Made(made) => {
            assert_eq!(made.plan.actions.len(), 1);
            assert_eq!(made.plan.actions[0].area.as_deref(), Some("finances"));
        }
        other => panic!("not added: {other:?}"),
    }
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.plan().unwrap().actions.len(), 1);
}
