//! The page's end of the engine worker: one [`EngineLink`] per page.
//!
//! It starts the worker (the loader's address is in `index.html`'s
//! `<meta name="engine-worker">`, written by `scripts/post-build.mjs`),
//! holds requests until the engine says it is ready, and matches each answer
//! to its request (the requests themselves are `asks.rs`). If the worker
//! stops (an error it did not catch, a crash, a memory limit, closing
//! itself: the Web Lock it holds while it lives tells, `platform::life`)
//! every request waiting on it is asked again of a new one;
//! after [`MAX_STARTS`] engines have stopped, or when none can start at all,
//! requests are answered "no engine" ([`Outcome::OnThePage`]): the page
//! says so in plain words and keeps what was typed and picked in its
//! journal, and a new engine is tried when the person next asks for
//! something (`Request::tries_anew`: opening a plan, a screen's read, a
//! choice, long work).

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;

use js_sys::{Function, Promise, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ErrorEvent, MessageEvent, Worker};

use super::protocol::{
    decode, encode, Added, FromEngine, LiveEvent, Reply, Request, Step, ToEngine, VERSION,
};
use crate::web::platform::life;

/// Engines started in one page's life before the page stops starting them.
const MAX_STARTS: u32 = 3;

/// The page's handle on the engine worker. Cheap to clone.
#[derive(Clone, Default)]
pub struct EngineLink(Rc<RefCell<State>>);

#[derive(Default)]
struct State {
    phase: Phase,
    starts: u32,
    next_id: u32,
    /// Requests sent or waiting to be sent, with what settles each.
    waiting: BTreeMap<u32, Waiting>,
    /// Asked of every engine first, as soon as it is ready (keeping in
    /// step's start): an engine that stops takes its sockets with it, and
    /// the one that takes over starts them again.
    standing: Vec<Vec<u8>>,
    /// Hears what the engine tells unasked (keeping in step's news).
    on_live: Option<Rc<dyn Fn(LiveEvent)>>,
}

/// The id of requests asked of every engine (their answers go nowhere).
const STANDING_ID: u32 = u32::MAX;

struct Waiting {
    bytes: Vec<u8>,
    sent: bool,
    settle: Function,
    /// Told how far the work has got, if the asker wants to know.
    progress: Option<Progress>,
    /// A save, a named change or a key (`Request::Store`, `Compact`, `Change`, `Type`):
    /// quick work, which long work would hold up.
    save: bool,
    /// Asked again of a new engine after the one it was sent to stopped.
    again: bool,
    /// Never asked again (a key typed in a box: the engine that stopped
    /// may have stored it; the page settles the box from storage instead).
    once: bool,
    /// What adding a copy was about to store (`FromEngine::Storing`).
    storing: Option<Added>,
}

/// What hears how far long work has got.
pub type Progress = Rc<dyn Fn(Step, u32, u32)>;

#[derive(Default)]
enum Phase {
    #[default]
    NotStarted,
    Starting(Running),
    Ready(Running),
    /// No engine can run here (until the person asks again).
    OnThePage,
}

/// A worker and the listeners that must live as long as it does.
struct Running {
    worker: Worker,
    /// Its name, and the Web Lock it holds while it lives (`platform::life`).
    life: String,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(ErrorEvent)>,
}

impl Drop for Running {
    fn drop(&mut self) {
        self.worker.set_onmessage(None);
        self.worker.set_onerror(None);
        self.worker.terminate();
    }
}

/// What became of a request.
pub(super) enum Outcome {
    Answered(Reply),
    /// No engine answered (none could start): the page says so.
    OnThePage,
}

impl EngineLink {
    /// Start the engine now (it downloads and starts beside the page), so
    /// it is ready by the time it is needed.
    pub fn start(&self) {
        let mut state = self.0.borrow_mut();
        if matches!(state.phase, Phase::NotStarted) {
            self.spawn(&mut state);
        }
    }

    /// Ask `request` of the engine once it runs (now, if it does; a first
    /// visit does not start it for this) and of every one that takes over
    /// (its answers go nowhere): starting keeping in step.
    pub fn keep_asking(&self, request: Request) {
        let bytes = encode(&ToEngine::Ask {
            id: STANDING_ID,
            request,
        });
        let mut state = self.0.borrow_mut();
        if let Phase::Ready(running) = &state.phase {
            let _ = running
                .worker
                .post_message(&Uint8Array::from(bytes.as_slice()));
        }
        state.standing.push(bytes);
        if matches!(state.phase, Phase::OnThePage) {
            give_up(&mut state);
        }
    }

    /// Hear what the engine tells unasked.
    pub fn on_live(&self, hear: impl Fn(LiveEvent) + 'static) {
        self.0.borrow_mut().on_live = Some(Rc::new(hear));
    }

    /// Whether the engine is running and answering only saves.
    pub fn free(&self) -> bool {
        let state = self.0.borrow();
        matches!(state.phase, Phase::Ready(_)) && state.waiting.values().all(|w| w.save)
    }

    pub(super) async fn ask(&self, request: Request) -> Outcome {
        self.ask_telling(request, None).await
    }

    pub(super) async fn ask_telling(
        &self,
        request: Request,
        progress: Option<Progress>,
    ) -> Outcome {
        let promise = {
            let mut state = self.0.borrow_mut();
            // Asked for again by the person after no engine could start
            // (its module did not arrive over a bad signal, or engines kept
            // stopping): a new one is tried.
            if request.tries_anew() && matches!(state.phase, Phase::OnThePage) {
                state.phase = Phase::NotStarted;
                state.starts = 0;
            }
            if matches!(state.phase, Phase::NotStarted) {
                self.spawn(&mut state);
            }
            if matches!(state.phase, Phase::OnThePage) {
                return Outcome::OnThePage;
            }
            let id = state.next_id;
            state.next_id = state.next_id.wrapping_add(1);
            let save = matches!(
                request,
                Request::Store(_) | Request::Compact(_) | Request::Change(_) | Request::Type(_)
            );
            let once = matches!(request, Request::Type(_));
            let bytes = encode(&ToEngine::Ask { id, request });
            let mut settle = None;
            let promise = Promise::new(&mut |resolve, _| settle = Some(resolve));
            let Some(settle) = settle else {
                return Outcome::OnThePage;
            };
            state.waiting.insert(
                id,
                Waiting {
                    bytes,
                    sent: false,
                    settle,
                    progress,
                    save,
                    again: false,
                    once,
                    storing: None,
                },
            );
            send_waiting(&mut state);
            promise
        };
        // Settled with the answer's bytes, or with `undefined` when the page
        // must do the work.
        match JsFuture::from(promise).await {
            Ok(value) if value.is_instance_of::<Uint8Array>() => {
                match decode::<FromEngine>(&Uint8Array::new(&value).to_vec()) {
                    Ok(FromEngine::Answer { reply, .. }) => Outcome::Answered(reply),
                    _ => Outcome::OnThePage,
                }
            }
            _ => Outcome::OnThePage,
        }
    }

    /// Start a worker, or settle for the page doing the work if none can.
    fn spawn(&self, state: &mut State) {
        if state.starts >= MAX_STARTS {
            give_up(state);
            return;
        }
        let Some(url) = loader_url() else {
            give_up(state);
            return;
        };
        let life = format!("csp-engine-{:x}", js_sys::Math::random().to_bits());
        let options = web_sys::WorkerOptions::new();
        options.set_name(&life);
        let Ok(worker) = Worker::new_with_options(&url, &options) else {
            give_up(state);
            return;
        };
        state.starts += 1;
        let link = Rc::downgrade(&self.0);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            if let Some(inner) = link.upgrade() {
                EngineLink(inner).heard(event.data());
            }
        });
        let link = Rc::downgrade(&self.0);
        let on_error = Closure::<dyn FnMut(ErrorEvent)>::new(move |event: ErrorEvent| {
            event.prevent_default();
            if let Some(inner) = link.upgrade() {
                EngineLink(inner).stopped();
            }
        });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        state.phase = Phase::Starting(Running {
            worker,
            life,
            _on_message: on_message,
            _on_error: on_error,
        });
    }

    /// A message from the engine (or from its loader, if the module could
    /// not be fetched or started: a string).
    fn heard(&self, data: JsValue) {
        if !data.is_instance_of::<Uint8Array>() {
            return self.stopped();
        }
        let bytes = Uint8Array::new(&data).to_vec();
        let mut state = self.0.borrow_mut();
        match decode::<FromEngine>(&bytes) {
            Ok(FromEngine::Ready { version }) if version == VERSION => {
                if let Phase::Starting(running) = std::mem::take(&mut state.phase) {
                    // However it stops from now on, even with no error to
                    // say so (closed, out of memory), a new one is asked.
                    let (link, life) = (Rc::downgrade(&self.0), running.life.clone());
                    life::when_gone(&running.life, move || {
                        let Some(inner) = link.upgrade() else { return };
                        let current = match &inner.borrow().phase {
                            Phase::Starting(r) | Phase::Ready(r) => r.life == life,
                            _ => false,
                        };
                        if current {
                            EngineLink(inner).stopped();
                        }
                    });
                    for bytes in &state.standing {
                        let _ = running
                            .worker
                            .post_message(&Uint8Array::from(bytes.as_slice()));
                    }
                    state.phase = Phase::Ready(running);
                }
                send_waiting(&mut state);
            }
            Ok(FromEngine::Answer { id, reply }) => {
                if let Some(waiting) = state.waiting.remove(&id) {
                    let answer = match (reply, waiting.storing) {
                        // The engine it was first sent to stored the copy
                        // and stopped before it answered: the new one found
                        // it there. What was done is what the first stored.
                        (Reply::Added(Added::NothingNew(_)), Some(stored)) if waiting.again => {
                            let bytes = encode(&FromEngine::Answer {
                                id,
                                reply: Reply::Added(stored),
                            });
                            Uint8Array::from(bytes.as_slice()).into()
                        }
                        _ => data,
                    };
                    let _ = waiting.settle.call1(&JsValue::NULL, &answer);
                }
            }
            Ok(FromEngine::Storing { id, added }) => {
                if let Some(waiting) = state.waiting.get_mut(&id) {
                    waiting.storing = Some(added);
                }
            }
            Ok(FromEngine::Progress {
                id,
                step,
                done,
                total,
            }) => {
                let hears = state.waiting.get(&id).and_then(|w| w.progress.clone());
                // Told with the link free: the screens may ask for more.
                drop(state);
                if let Some(hears) = hears {
                    hears(step, done, total);
                }
            }
            Ok(FromEngine::Live(event)) => {
                let hears = state.on_live.clone();
                // Told with the link free: the screens may ask for more.
                drop(state);
                if let Some(hears) = hears {
                    hears(event);
                }
            }
            // Another version of the engine (an update half installed).
            _ => give_up(&mut state),
        }
    }

    /// The worker stopped: ask a new one what the old one was doing.
    fn stopped(&self) {
        let mut state = self.0.borrow_mut();
        state.phase = Phase::NotStarted;
        let (gone, kept): (BTreeMap<_, _>, _) = std::mem::take(&mut state.waiting)
            .into_iter()
            .partition(|(_, w)| w.once && w.sent);
        state.waiting = kept;
        for w in gone.into_values() {
            let _ = w.settle.call1(&JsValue::NULL, &JsValue::UNDEFINED);
        }
        for waiting in state.waiting.values_mut() {
            waiting.again |= waiting.sent;
            waiting.sent = false;
        }
        if !state.waiting.is_empty() || !state.standing.is_empty() {
            self.spawn(&mut state);
        }
    }
}

/// Send what waits, if the engine is ready.
fn send_waiting(state: &mut State) {
    let Phase::Ready(running) = &state.phase else {
        return;
    };
    let worker = running.worker.clone();
    for waiting in state.waiting.values_mut().filter(|w| !w.sent) {
        let array = Uint8Array::from(waiting.bytes.as_slice());
        if worker.post_message(&array).is_ok() {
            waiting.sent = true;
        }
    }
}

/// No engine: everything waiting, and everything after, is done on the page.
/// Keeping in step, which only an engine does, stops here: the page is
/// told (after this turn, with the link free).
fn give_up(state: &mut State) {
    state.phase = Phase::OnThePage;
    for (_, waiting) in std::mem::take(&mut state.waiting) {
        let _ = waiting.settle.call1(&JsValue::NULL, &JsValue::UNDEFINED);
    }
    if let (false, Some(hears)) = (state.standing.is_empty(), state.on_live.clone()) {
        wasm_bindgen_futures::spawn_local(async move { hears(LiveEvent::Stopped) });
    }
}

/// The engine's loader, as `index.html` names it.
fn loader_url() -> Option<String> {
    let meta = web_sys::window()?
        .document()?
        .query_selector("meta[name=engine-worker]")
        .ok()??;
    meta.get_attribute("content").filter(|u| !u.is_empty())
}
