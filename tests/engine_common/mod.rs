//! Helpers shared by the engine worker's in-browser tests
//! (`engine_open.rs`, `engine_typing.rs`): a request asked through the
//! protocol's bytes, and another tab listening on the tabs' channel.
#![allow(dead_code)]

use std::cell::RefCell;
use std::rc::Rc;

use carer_plan::plan::PlanId;
use carer_plan::web::engine::answer;
use carer_plan::web::engine::protocol::{decode, encode, FromEngine, Reply, Request, ToEngine};
use carer_plan::web::platform::tabs::{TabMessage, Tabs};

/// The engine's answer to `request`, through the protocol's bytes.
pub async fn asked(id: u32, request: Request) -> Reply {
    let bytes = encode(&ToEngine::Ask { id, request });
    let reply = answer(&bytes, &|_| {}).await.expect("an answer");
    match decode::<FromEngine>(&reply) {
        Ok(FromEngine::Answer { id: got, reply }) if got == id => reply,
        other => panic!("no answer: {other:?}"),
    }
}

/// Wait `ms` milliseconds.
pub async fn wait_ms(ms: i32) {
    let wait = js_sys::Promise::new(&mut |ok, _| {
        let _ = web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&ok, ms);
    });
    wasm_bindgen_futures::JsFuture::from(wait).await.unwrap();
}

/// Another tab, hearing what is said on the tabs' channel.
pub struct OtherTab {
    heard: Rc<RefCell<Vec<TabMessage>>>,
    _tabs: Tabs,
}

impl OtherTab {
    pub fn listen() -> OtherTab {
        let heard = Rc::new(RefCell::new(Vec::new()));
        let into = heard.clone();
        let tabs = Tabs::listen(move |m| into.borrow_mut().push(m));
        OtherTab { heard, _tabs: tabs }
    }

    /// Whether it was told that page `by` saved `plan` (waiting up to two
    /// seconds for the channel to deliver).
    pub async fn told_saved(&self, plan: &PlanId, by: u32) -> bool {
        let told = || {
            self.heard.borrow().iter().any(
                |m| matches!(m, TabMessage::Saved { plan: p, by: Some(b), .. } if p == plan && *b == by),
            )
        };
        for _ in 0..10 {
            if told() {
                return true;
            }
            wait_ms(200).await;
        }
        told()
    }
}
