//! The engine worker, beside the page: a second WebAssembly module of this
//! crate (`src/engine.rs`, built by Trunk as a Web Worker), so slow work
//! never holds up painting or typing. The page and the engine speak one
//! typed, versioned protocol (`protocol.rs`).
//!
//! The engine does the services listed in ARCHITECTURE.md ("Two
//! modules"); the first two were deriving the key of a passphrase lock
//! (Argon2id) for sharing, backing up and restoring, which took the page's
//! thread for seconds on a slow phone; and adding a copy someone sent
//! (`copies.rs`: open, check, load, merge and store it), which held the page
//! for up to a quarter of a second at a time on a hostile file. The
//! documents, storage and live sync are to follow them here
//! (ARCHITECTURE.md, "Two modules").
//!
//! * `serve` (in the worker): answers each request in turn.
//! * [`EngineLink`] (`link.rs`, on the page): starts the worker, queues
//!   requests until it says it is ready, starts it again if it stops, and
//!   does the work on the page when no engine can run (no Worker, the
//!   module did not download, another version answering), so nothing a
//!   person asked for is lost.

mod asks;
mod backups;
mod copies;
mod db;
mod held;
pub mod link;
mod live;
mod plans;
pub mod protocol;
pub mod reads;
mod refusal;
mod sharing;
mod storage;
mod typing;

pub use link::EngineLink;

use js_sys::Uint8Array;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{DedicatedWorkerGlobalScope, MessageEvent};

use protocol::{decode, encode, FromEngine, Reply, Request, ToEngine};

/// The engine's answer to one message's bytes (`None`: not a message of
/// this protocol, so there is no one to answer). `tell` sends the page
/// messages before the answer: how far long work has got.
pub async fn answer(bytes: &[u8], tell: &dyn Fn(Vec<u8>)) -> Option<Vec<u8>> {
    let ToEngine::Ask { id, request } = decode::<ToEngine>(bytes).ok()?;
    let progress = |step, done, total| {
        tell(encode(&FromEngine::Progress {
            id,
            step,
            done,
            total,
        }))
    };
    let reply = match request {
        Request::AddCopy(copy) => {
            let storing = |added: &protocol::Added| {
                tell(encode(&FromEngine::Storing {
                    id,
                    added: added.clone(),
                }))
            };
            copies::add_copy(copy, &storing).await
        }
        Request::Restore(ask) => backups::restore(ask, &progress).await,
        Request::MakeShare(ask) => sharing::make_share(ask).await,
        Request::Store(ask) => storage::store(ask).await,
        Request::Compact(ask) => storage::compact(ask).await,
        Request::BackUp(ask) => backups::back_up(ask, &progress).await,
        Request::Returns(ask) => backups::returns(ask, &progress).await,
        Request::Read(ask) => reads::read(ask).await,
        Request::Open(ask) => plans::open(ask).await,
        Request::Change(ask) => plans::change(ask).await,
        Request::Live(ask) => Reply::Live(live::ask(ask).await),
        Request::Type(ask) => typing::type_key(ask).await,
        Request::Create(ask) => plans::create(ask).await,
        Request::Peek(text) => copies::peek(&text),
        Request::Qr(link) => crate::share::sync::link::qr_svg(&link)
            .map_or_else(|| Reply::Failed("too long for a QR code".into()), Reply::Qr),
    };
    Some(encode(&FromEngine::Answer { id, reply }))
}

/// Where the engine's unasked messages go (the page; a test's list).
type Teller = Box<dyn Fn(Vec<u8>)>;

thread_local! {
    static TELL: std::cell::RefCell<Option<Teller>> = const { std::cell::RefCell::new(None) };
}

/// Send where the engine's unasked messages go (`FromEngine::Live`).
pub fn tell_to(to: impl Fn(Vec<u8>) + 'static) {
    TELL.with(|t| *t.borrow_mut() = Some(Box::new(to)));
}

/// Tell the page something it did not ask for.
fn tell_page(message: &FromEngine) {
    let bytes = encode(message);
    TELL.with(|t| {
        if let Some(to) = t.borrow().as_ref() {
            to(bytes);
        }
    });
}

/// The engine worker's main: listen, then say so.
pub fn serve() {
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let told = scope.clone();
    tell_to(move |bytes| post(&told, &bytes));
    let replies = scope.clone();
    let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let bytes = Uint8Array::new(&event.data()).to_vec();
        let replies = replies.clone();
        // Each request is answered as soon as it is done; one waiting on
        // storage does not hold up the next.
        wasm_bindgen_futures::spawn_local(async move {
            let tell = |message: Vec<u8>| post(&replies, &message);
            match answer(&bytes, &tell).await {
                Some(reply) => post(&replies, &reply),
                // Another version's page: say which version this is, so it
                // stops asking and does the work itself.
                None => post(
                    &replies,
                    &encode(&FromEngine::Ready {
                        version: protocol::VERSION,
                    }),
                ),
            }
        });
    });
    // The handler lives as long as the worker: handing it to JavaScript
    // (not dropping it) is what keeps it.
    scope.set_onmessage(Some(&on_message.into_js_value().unchecked_into()));
    // Ready once this worker holds the lock named for it, which the page
    // asks for to learn that it has stopped, however it stops.
    let ready = scope.clone();
    let say_ready = move || {
        post(
            &ready,
            &encode(&FromEngine::Ready {
                version: protocol::VERSION,
            }),
        )
    };
    match scope.name() {
        life if life.is_empty() => say_ready(),
        life => crate::web::platform::life::hold_for_life(&life, say_ready),
    }
}

fn post(scope: &DedicatedWorkerGlobalScope, bytes: &[u8]) {
    let array = Uint8Array::from(bytes);
    let moved = js_sys::Array::of1(&array.buffer());
    let _ = scope.post_message_with_transfer(&array, &moved);
}
