//! A plan the page opens through the engine worker and holds no copy of
//! (`web/app/viewing.rs`), in the browser (headless Chromium,
//! wasm-bindgen-test): a new plan is made and stored by the engine with the
//! id the page gave it (`Request::Create`); opening a plan makes again what
//! the page journaled of its boxes and choices and records who uses the
//! device, stores that and tells the other tabs before it answers; a plan
//! that already says all that stores nothing; an answer made a whole text
//! (`Named::SetAnswer`) is stored.
#![cfg(target_arch = "wasm32")]

mod engine_common;

use carer_plan::plan::{
    CarerField, DeviceActor, Edit, Field, NightCare, Participant, PlanId, Role, Section,
};
use carer_plan::web::engine::protocol::{
    Change, Create, Journaled, Named, Open, Opened, Reply, Request,
};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use engine_common::{asked, OtherTab};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

fn ann() -> Participant {
    Participant {
        name: "Ann Smith".into(),
        role: Role::Carer,
    }
}

fn opened(reply: Reply) -> Opened {
    match reply {
        Reply::Opened(o) => *o,
        other => panic!("not opened: {other:?}"),
    }
}

async fn create(id: &PlanId, carer: &DeviceActor, by: u32) -> Opened {
    opened(
        asked(
            41,
            Request::Create(Create {
                plan: id.clone(),
                me: ann(),
                framework: "scotland-national".into(),
                at_ms: T0,
                device: carer.as_str().into(),
                by,
            }),
        )
        .await,
    )
}

fn open_ask(id: &PlanId, carer: &DeviceActor, journaled: Journaled) -> Request {
    Request::Open(Open {
        plan: id.clone(),
        journal: Vec::new(),
        journaled,
        earlier_journal: None,
        me: Some(ann()),
        device: carer.as_str().into(),
        by: 43,
    })
}

#[wasm_bindgen_test]
async fn a_new_plan_is_made_and_stored_by_the_engine_with_the_pages_id() {
    let carer = DeviceActor::random().unwrap();
    let id = PlanId::random().unwrap();
    let other = OtherTab::listen();
    let made = create(&id, &carer, 42).await;
    assert_eq!(made.plan.plan_id, id);
    assert_eq!(made.plan.participants.get(carer.as_str()), Some(&ann()));
    assert!(made.parts.contains(&Section::Plan));
    assert!(other.told_saved(&id, 42).await, "the other tabs are told");
    // On the device, as the page's own load reads it.
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.plan().unwrap(), made.plan);
    assert_eq!(stored.version_token(), made.heads);
}

#[wasm_bindgen_test]
async fn opening_makes_what_the_page_journaled_and_stores_it() {
    let carer = DeviceActor::random().unwrap();
    let id = PlanId::random().unwrap();
    create(&id, &carer, 42).await;
    let name = Field::Carer(CarerField::Name);
    let journaled = Journaled {
        typed: vec![(name.clone(), "Ann Journaled".into())],
        named: vec![(
            Named::Edit(Edit::SetNightCare(Some(NightCare::Sometimes))),
            T0 + 5,
        )],
    };
    let other = OtherTab::listen();
    let open = opened(asked(44, open_ask(&id, &carer, journaled)).await);
    assert_eq!(name.value_in(&open.plan), "Ann Journaled");
    assert_eq!(open.plan.caring_role.night_care, Some(NightCare::Sometimes));
    assert!(other.told_saved(&id, 43).await, "stored, and the tabs told");
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.plan().unwrap(), open.plan);

    // Opened again with nothing journaled: the same plan, nothing stored.
    let quiet = OtherTab::listen();
    let again = opened(asked(45, open_ask(&id, &carer, Journaled::default())).await);
    assert_eq!(again, open);
    assert!(!quiet.told_saved(&id, 43).await, "nothing new was stored");
}

/// A journal an earlier release left (JSON, `tests/fixtures/journal-json`)
/// is made first, then what this release journaled of the same plan.
#[wasm_bindgen_test]
async fn opening_makes_an_earlier_releases_journal_then_this_ones() {
    let carer = DeviceActor::random().unwrap();
    let id = PlanId::random().unwrap();
    create(&id, &carer, 42).await;
    let safe = Field::Carer(CarerField::SafeContact);
    let phone = Field::Carer(CarerField::Phone);
    let Request::Open(mut ask) = open_ask(
        &id,
        &carer,
        Journaled {
            typed: vec![(phone.clone(), "0141 496 0000".into())],
            named: vec![],
        },
    ) else {
        unreachable!()
    };
    ask.earlier_journal = Some(include_str!("fixtures/journal-json/typed-and-rated.json").into());
    let open = opened(asked(44, Request::Open(ask.clone())).await);
    assert_eq!(safe.value_in(&open.plan), "Evenings after six");
    assert_eq!(phone.value_in(&open.plan), "0141 496 0000");
    let rated = open.plan.wellbeing.get("health-wellbeing");
    assert_eq!(rated.and_then(|a| a.rating.as_deref()), Some("low"));

    // This release's words for the same answer are made after the earlier.
    ask.journaled.typed = vec![(safe.clone(), "Weekends".into())];
    let again = opened(asked(45, Request::Open(ask)).await);
    assert_eq!(safe.value_in(&again.plan), "Weekends");
}

#[wasm_bindgen_test]
async fn an_answer_made_a_whole_text_is_stored() {
    let carer = DeviceActor::random().unwrap();
    let id = PlanId::random().unwrap();
    create(&id, &carer, 42).await;
    let phone = Field::Carer(CarerField::Phone);
    let reply = asked(
        46,
        Request::Change(Change {
            plan: id.clone(),
            named: Named::SetAnswer {
                field: phone.clone(),
                text: "07700 900123".into(),
            },
            unsaved: Vec::new(),
            at_ms: T0 + 7,
            device: carer.as_str().into(),
            by: 42,
        }),
    )
    .await;
    assert!(matches!(reply, Reply::Changed(Some(_))), "{reply:?}");
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.field_value(&phone), "07700 900123");
}
