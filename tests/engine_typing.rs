//! Typing through the engine worker (`Request::Type`), in the browser
//! (headless Chromium, wasm-bindgen-test): keys sent one after another
//! are made in the plan the engine holds, stored, told to the other tabs,
//! and handed back as chunks the page's copy takes in; a key typed while
//! another device's words reached the same answer (stored, not yet shown
//! in the box) is placed by the box's own text, both people's words whole,
//! and the answer's text comes back with it; a key the answer's limit
//! refuses, or one for a box the engine does not know, stores nothing.
#![cfg(target_arch = "wasm32")]

mod engine_common;

use carer_plan::doc::PlanDoc;
use carer_plan::plan::text::Splice;
use carer_plan::plan::{CarerField, DeviceActor, Field, Participant, PlanId, Role};
use carer_plan::store::ChunkLog;
use carer_plan::web::engine::protocol::{Reply, Request, Type, Typed};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use engine_common::{asked, OtherTab};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;
const HEALTH: Field = Field::Carer(CarerField::Health);

/// A carer's plan, her health answer written, stored as the page stores it.
async fn stored_plan(carer: &DeviceActor) -> (PlanDoc, ChunkLog) {
    let mut doc = PlanDoc::create(
        carer,
        Participant {
            name: "Rose".into(),
            role: Role::Carer,
        },
        "scotland-national",
        &["health-wellbeing"],
        T0,
    )
    .unwrap();
    doc.set_field(&HEALTH, "Bad back.", T0 + 1).unwrap();
    store(&doc, &mut ChunkLog::empty(), T0 + 2).await
}

async fn store(doc: &PlanDoc, log: &mut ChunkLog, at: i64) -> (PlanDoc, ChunkLog) {
    let db = Db::open().await.unwrap();
    let mut save = plan_store::prepare(doc, None, log, at, 7, false).unwrap();
    db.write(save.take_write()).await.unwrap();
    save.record(log);
    (doc.fork(&DeviceActor::random().unwrap()), log.clone())
}

/// The key `splice` typed in box `box_id` of page `by`.
fn key(
    plan: &PlanId,
    by: u32,
    box_id: u32,
    shown: Option<(&PlanDoc, &str)>,
    splice: Splice,
    device: &DeviceActor,
) -> Request {
    Request::Type(Type {
        plan: plan.clone(),
        field: HEALTH,
        by,
        box_id,
        shown: shown.map(|(d, t)| (d.version_token(), t.to_owned())),
        splice,
        at_ms: T0 + 50,
        device: device.as_str().into(),
    })
}

fn put(at: usize, insert: &str) -> Splice {
    Splice {
        at,
        delete: 0,
        insert: insert.into(),
    }
}

fn typed(reply: Reply) -> Typed {
    match reply {
        Reply::Typed(t) => t,
        other => panic!("not typed: {other:?}"),
    }
}

#[wasm_bindgen_test]
async fn keys_sent_one_after_another_are_made_stored_and_told_to_the_other_tabs() {
    let carer = DeviceActor::random().unwrap();
    let (mut page, mut log) = stored_plan(&carer).await;
    let id = page.plan_id().clone();
    let other_tab = OtherTab::listen();
    // " Stiff" typed at the end, a key at a time; only the first says what
    // the box showed.
    let mut chunks = Vec::new();
    for (n, c) in " Stiff".chars().enumerate() {
        let shown = (n == 0).then_some((&page, "Bad back."));
        let t = typed(
            asked(
                60 + n as u32,
                key(&id, 808, 1, shown, put(9 + n, &c.to_string()), &carer),
            )
            .await,
        );
        assert_eq!(t.text, None, "each key went where the box put it");
        chunks.push(t.chunk.expect("stored"));
    }
    for chunk in chunks {
        assert!(log.take_in_one(&mut page, &chunk.key, chunk.bytes));
    }
    assert_eq!(page.field_value(&HEALTH), "Bad back. Stiff");
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.field_value(&HEALTH), "Bad back. Stiff");
    assert!(
        other_tab.told_saved(&id, 808).await,
        "the other tabs are told"
    );
}

#[wasm_bindgen_test]
async fn a_key_typed_while_anothers_words_reached_the_answer_keeps_both_whole() {
    let carer = DeviceActor::random().unwrap();
    let (page, log) = stored_plan(&carer).await;
    let id = page.plan_id().clone();
    // Her box, given "Bad back." — she types "Sore" at the start.
    let t = typed(
        asked(
            70,
            key(&id, 909, 1, Some((&page, "Bad back.")), put(0, "S"), &carer),
        )
        .await,
    );
    assert_eq!(t.text, None);
    // Another tab stores its own words in the same answer, at its start,
    // before her next keys are made.
    let mut other = page.fork(&DeviceActor::random().unwrap());
    let at = other.heads();
    other
        .type_splice(&HEALTH, &at, &put(0, "(tab) "), T0 + 20)
        .unwrap();
    store(&other, &mut log.clone(), T0 + 21).await;
    // Her next keys, in her box's own text ("SBad back." so far).
    let mut last = None;
    for (n, c) in "ore ".chars().enumerate() {
        last = Some(typed(
            asked(
                71 + n as u32,
                key(&id, 909, 1, None, put(1 + n, &c.to_string()), &carer),
            )
            .await,
        ));
    }
    let last = last.unwrap();
    let text = last
        .text
        .expect("placed through the tab's words: the answer comes back");
    assert!(text.contains("Sore "), "her word whole: {text:?}");
    assert!(text.contains("(tab) "), "the tab's words whole: {text:?}");
    assert!(text.ends_with("Bad back."), "{text:?}");
    let db = Db::open().await.unwrap();
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.field_value(&HEALTH), text);
}

#[wasm_bindgen_test]
async fn a_key_refused_or_for_an_unknown_box_stores_nothing() {
    let carer = DeviceActor::random().unwrap();
    let (page, _) = stored_plan(&carer).await;
    let id = page.plan_id().clone();
    let db = Db::open().await.unwrap();
    let (before, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    // A box the engine was never given.
    assert!(matches!(
        asked(80, key(&id, 1, 99, None, put(0, "x"), &carer)).await,
        Reply::Failed(_)
    ));
    // A paste past the answer's limit.
    let long = "a".repeat(HEALTH.max_chars() + 1);
    match asked(
        81,
        key(&id, 1, 2, Some((&page, "Bad back.")), put(0, &long), &carer),
    )
    .await
    {
        Reply::Refused { message, .. } => assert!(message.contains("too long"), "{message}"),
        other => panic!("not refused: {other:?}"),
    }
    let (after, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(after.heads(), before.heads(), "nothing stored");
}
