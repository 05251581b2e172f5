//! Keeping in step driven by the engine worker (`Request::Live`, protocol
//! 13), in the browser (headless Chromium, wasm-bindgen-test), through the
//! protocol's bytes: started with this device's keys and no relay, the
//! engine tells the page there is none and which plans it keeps; the carer's
//! consent to start is recorded in her plan as stored (with the change the
//! page had not stored yet), the other tabs are told, and the answer is the
//! link; the page hears the keep; a device that is not on the list cannot be
//! allowed; a start asked again gives the same link and records nothing
//! more; stopping is recorded and told; the keep is stored for the next
//! start, which tells the page of it again; a damaged link gets a plain
//! message. (The sync core itself is tested natively, `tests/sync*.rs`;
//! the journeys through a real relay are `tests/e2e/live_*.test.mjs`.)
#![cfg(target_arch = "wasm32")]

use std::cell::RefCell;
use std::rc::Rc;

use carer_plan::doc::PlanDoc;
use carer_plan::plan::{CarerField, DeviceActor, Field, Participant, PlanId, Role, Section};
use carer_plan::share::sync::DeviceKey;
use carer_plan::store::ChunkLog;
use carer_plan::web::engine::protocol::live::{
    ConsentAsk, ConsentWhat, Decision, Joining, LiveAnswer, LiveAsk, LiveEvent, LiveStart,
};
use carer_plan::web::engine::protocol::{decode, encode, FromEngine, Reply, Request, ToEngine};
use carer_plan::web::engine::{answer, tell_to};
use carer_plan::web::platform::idb::Db;
use carer_plan::web::platform::plan_store;
use carer_plan::web::platform::tabs::{TabMessage, Tabs};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

async fn asked(id: u32, ask: LiveAsk) -> LiveAnswer {
    let bytes = encode(&ToEngine::Ask {
        id,
        request: Request::Live(ask),
    });
    let reply = answer(&bytes, &|_| {}).await.expect("an answer");
    match decode::<FromEngine>(&reply) {
        Ok(FromEngine::Answer {
            id: got,
            reply: Reply::Live(answer),
        }) if got == id => answer,
        other => panic!("no answer: {other:?}"),
    }
}

async fn a_moment(ms: i32) {
    let wait = js_sys::Promise::new(&mut |ok, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, ms);
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

/// What the engine told, unasked, since the last call.
fn told(heard: &Rc<RefCell<Vec<LiveEvent>>>) -> Vec<LiveEvent> {
    std::mem::take(&mut *heard.borrow_mut())
}

#[wasm_bindgen_test]
async fn the_engine_keeps_in_step_records_consent_and_tells_the_page() {
    let heard = Rc::new(RefCell::new(Vec::new()));
    let into = heard.clone();
    tell_to(move |bytes| {
        if let Ok(FromEngine::Live(event)) = decode::<FromEngine>(&bytes) {
            into.borrow_mut().push(event);
        }
    });
    let carer = DeviceActor::random().unwrap();
    let key = DeviceKey::generate().unwrap();
    let start = LiveStart {
        device_key: key.to_bytes().to_vec(),
        relay: None,
        address: "https://plans.example/".into(),
        device: carer.as_str().into(),
    };

    // Started: no relay here, nothing kept.
    assert_eq!(
        asked(1, LiveAsk::Start(start.clone())).await,
        LiveAnswer::Done
    );
    let first = told(&heard);
    assert!(first.contains(&LiveEvent::Configured(false)), "{first:?}");
    assert!(first.contains(&LiveEvent::Keeps(Vec::new())), "{first:?}");

    // A plan stored as the page stores it, and a change not stored yet.
    let mut doc = PlanDoc::create(
        &carer,
        Participant {
            name: "Rose".into(),
            role: Role::Carer,
        },
        "scotland-national",
        &["health-wellbeing", "finances"],
        T0,
    )
    .unwrap();
    let db = Db::open().await.unwrap();
    let mut log = ChunkLog::empty();
    let mut save = plan_store::prepare(&doc, None, &log, T0 + 5, 1, true).unwrap();
    db.write(save.take_write()).await.unwrap();
    save.record(&mut log);
    doc.set_field(&Field::Carer(CarerField::Name), "Rose Tyler", T0 + 6)
        .unwrap();
    let unsaved = log.pending(&doc).unwrap().bytes;
    let id: PlanId = doc.plan_id().clone();

    // Another tab hears the consent stored.
    let tab_heard = Rc::new(RefCell::new(Vec::new()));
    let into = tab_heard.clone();
    let _tab = Tabs::listen(move |m| into.borrow_mut().push(m));

    let sections = vec![Section::AboutYou, Section::Plan];
    let link = asked(
        2,
        LiveAsk::Consent(ConsentAsk {
            plan: id.clone(),
            what: ConsentWhat::Start {
                name: "Rose's phone".into(),
            },
            sections: sections.clone(),
            unsaved,
            at_ms: T0 + 7,
        }),
    )
    .await;
    let LiveAnswer::Link(url) = link else {
        panic!("no link: {link:?}")
    };
    assert!(url.starts_with("https://plans.example/"), "{url}");
    assert!(url.contains("keep/"), "{url}");

    // The consent (the plan part is always sent, so not named) and the
    // page's unsaved change, as stored.
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    let plan = stored.plan().unwrap();
    assert_eq!(plan.shares.len(), 1);
    assert_eq!(plan.shares[0].sections, vec![Section::AboutYou.id()]);
    assert_eq!(plan.display_name(), Some("Rose Tyler"));
    a_moment(50).await;
    assert!(
        tab_heard
            .borrow()
            .iter()
            .any(|m| matches!(m, TabMessage::Saved { plan, .. } if *plan == id)),
        "the other tabs are told"
    );

    // The page hears the keep: the carer's own link, this device listed.
    let news = told(&heard);
    let view = news
        .iter()
        .rev()
        .find_map(|e| match e {
            LiveEvent::Keeps(all) => all.iter().find(|(p, _)| *p == id).map(|(_, v)| v.clone()),
            LiveEvent::Keep(p, Some(v)) if *p == id => Some((**v).clone()),
            _ => None,
        })
        .expect("the keep is told");
    assert_eq!(view.link, url);
    assert_eq!(view.sections, vec![Section::AboutYou]);
    assert!(!view.stopped);
    assert_eq!(view.devices.len(), 1);
    assert!(view.devices[0].this);
    assert_eq!(view.devices[0].name, "Rose's phone");

    // Asked again (an engine that took over after this one started it):
    // the same link, the consent recorded once.
    let again = asked(
        8,
        LiveAsk::Consent(ConsentAsk {
            plan: id.clone(),
            what: ConsentWhat::Start {
                name: "Rose's phone".into(),
            },
            sections: sections.clone(),
            unsaved: Vec::new(),
            at_ms: T0 + 7,
        }),
    )
    .await;
    assert_eq!(again, LiveAnswer::Link(url.clone()));
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.plan().unwrap().shares.len(), 1);

    // A device not on the list cannot be allowed: plain words.
    let refused = asked(
        3,
        LiveAsk::Decide {
            plan: id.clone(),
            device: "00".repeat(32),
            decision: Decision::Allow,
        },
    )
    .await;
    assert!(
        matches!(refused, LiveAnswer::Refused(ref w) if w.ends_with('.')),
        "{refused:?}"
    );

    // Stopped: recorded in the plan and told.
    let stop = asked(
        4,
        LiveAsk::Consent(ConsentAsk {
            plan: id.clone(),
            what: ConsentWhat::Stop,
            sections: sections.clone(),
            unsaved: Vec::new(),
            at_ms: T0 + 8,
        }),
    )
    .await;
    assert_eq!(stop, LiveAnswer::Done);
    let (stored, _) = plan_store::load(&db, &id, &carer).await.unwrap();
    assert_eq!(stored.plan().unwrap().shares.len(), 2);
    assert!(told(&heard)
        .iter()
        .any(|e| matches!(e, LiveEvent::Keep(p, Some(v)) if *p == id && v.stopped)));

    // Everything stored now; the keep is there for the next start.
    assert_eq!(asked(5, LiveAsk::Flush).await, LiveAnswer::Done);
    let keeps = db.chunks_in("keep:", "keep;").await.unwrap();
    assert!(keeps.iter().any(|(k, _)| *k == format!("keep:{id}")));
    // A page that did not hear it started asks again: told everything again.
    assert_eq!(asked(6, LiveAsk::Start(start)).await, LiveAnswer::Done);
    assert!(told(&heard).iter().any(|e| matches!(
        e,
        LiveEvent::Keeps(all) if all.iter().any(|(p, v)| *p == id && v.stopped)
    )));

    // A damaged link: a plain message, nothing asked.
    let join = asked(
        7,
        LiveAsk::Join {
            link: "https://plans.example/#keep/not-a-link".into(),
            me: Participant {
                name: "Sam".into(),
                role: Role::KeyWorker,
            },
            name: "Sam's computer".into(),
        },
    )
    .await;
    assert_eq!(join, LiveAnswer::Done);
    assert!(told(&heard).iter().any(|e| matches!(
        e,
        LiveEvent::Joining(Some(Joining::Failed(w)), _) if w.ends_with('.')
    )));
}
