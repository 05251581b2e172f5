//! Keeping plans in step live, in the engine worker: the thin driver of the
//! sync core (`share::sync::Engines`, one `Engine` per relay shard), which
//! decides everything. This layer moves bytes and time: one socket per
//! relay shard the device's kept-in-step plans need (`sockets.rs`), frames
//! in (in slices) and out, a clock tick, IndexedDB for each keep
//! (`keep:<plan id>`), and the plans themselves, read from and stored to
//! IndexedDB as every request of the engine does (`held.rs`): what arrives
//! is merged, stored and only then reported taken (`taking.rs`), and the
//! tabs are told, so the page takes it in as another tab's save. What
//! people decide is asked by the page (`asks.rs`); what the screens show
//! is told to the page as it changes (`LiveEvent`, `views.rs`).
//!
//! Nothing connects until there is a plan kept in step and the deployment
//! configured a relay. Each tab's engine keeps in step for its own tab, as
//! each tab's page did before (the sync core tells tabs apart by peer id).

use std::cell::RefCell;
use std::collections::{BTreeMap, HashMap, VecDeque};

use wasm_bindgen::prelude::*;

use crate::plan::{Participant, PlanId};
use crate::share::shard::RelayAddress;
use crate::share::sync::{CatchUp, DocumentId, Engines, Problem, SyncEvent, Which};

use super::protocol::live::{Connection, Joining, KeepView, LiveEvent};
use super::protocol::FromEngine;
use crate::web::words::live::problem_words;

mod asks;
mod begin;
mod sockets;
mod taking;
mod views;

pub use asks::ask;

const KEY_FROM: &str = "keep:";
const KEY_TO: &str = "keep;";
/// How long after a change its bundle is sealed.
const SEAL_AFTER_MS: i32 = 250;
/// How long keeps wait to be stored together.
const STORE_AFTER_MS: i32 = 1_000;
/// The clock the sync core is given.
const TICK_MS: i32 = 5_000;
/// Frames read in one go before other work gets a turn (ms).
const SLICE_MS: f64 = 6.0;
/// Frames waiting beyond this: the relay is flooding; the connection is
/// dropped and made again later.
const MAX_QUEUED: usize = 2_000;

/// One shard's socket and what goes with it.
#[derive(Default)]
struct Conn {
    socket: Option<crate::web::platform::socket::Socket>,
    retry: crate::share::sync::Backoff,
    retry_set: bool,
    inbox: VecDeque<Vec<u8>>,
    draining: bool,
}

/// The driver's state, once keeping in step has started.
struct Live {
    relay: Option<RelayAddress>,
    /// The app's address, for links.
    address: String,
    /// This device's id, for reading and storing plans.
    device: String,
    engine: Engines,
    conns: BTreeMap<u32, Conn>,
    /// When the relay was last seen to hold everything of each plan.
    synced: HashMap<PlanId, i64>,
    sealing: Vec<PlanId>,
    unstored: Vec<PlanId>,
    /// Plans being taken in, and whether more arrived meanwhile.
    taking: HashMap<PlanId, bool>,
    ticking: bool,
    /// The page (or the worker's own `offline` event) said the browser is
    /// offline: sockets say so, and are not tried until it is back.
    offline: bool,
    /// Who is joining from a link (recorded in the plan when it comes).
    joiner: Option<Participant>,
    /// What the page was last told.
    told: Told,
}

/// What the page was last told, so nothing unchanged is told again.
#[derive(Default)]
struct Told {
    sockets: BTreeMap<u32, Connection>,
    catch_up: Option<CatchUp>,
    views: HashMap<PlanId, KeepView>,
    joining: Option<Joining>,
    joining_shard: Option<u32>,
}

thread_local! {
    static LIVE: RefCell<Option<Live>> = const { RefCell::new(None) };
}

fn live<R>(f: impl FnOnce(&mut Live) -> R) -> Option<R> {
    LIVE.with(|l| {
        let mut l = l.try_borrow_mut().ok()?;
        l.as_mut().map(f)
    })
}

fn tell(event: LiveEvent) {
    super::tell_page(&FromEngine::Live(event));
}

fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

#[wasm_bindgen]
extern "C" {
    /// The global `setTimeout`: the worker's (or, in a test, the window's).
    #[wasm_bindgen(js_name = setTimeout)]
    fn set_timeout_global(f: &js_sys::Function, ms: i32) -> JsValue;
}

/// Run `f` in `ms` milliseconds.
fn later(ms: i32, f: impl FnOnce() + 'static) {
    let f = Closure::once_into_js(f);
    set_timeout_global(f.unchecked_ref(), ms.max(0));
}

use wasm_bindgen::JsCast;

/// Whether the browser says it is online (the page's word first: a
/// worker's `navigator.onLine` can lag behind the page's).
fn online() -> bool {
    if live(|l| l.offline) == Some(true) {
        return false;
    }
    js_sys::Reflect::get(&js_sys::global(), &"navigator".into())
        .and_then(|n| js_sys::Reflect::get(&n, &"onLine".into()))
        .ok()
        .and_then(|v| v.as_bool())
        .unwrap_or(true)
}

fn random_hex() -> String {
    let mut peer = [0u8; 8];
    let _ = getrandom::fill(&mut peer);
    crate::plan::ids::hex(&peer)
}

/// A plan changed in storage (this engine stored it, or another tab did):
/// seal it a moment later, if it is kept in step.
pub fn changed(id: &PlanId) {
    let schedule = live(|l| {
        if l.engine.keep(id).is_none() || l.sealing.contains(id) {
            return false;
        }
        l.sealing.push(id.clone());
        true
    });
    if schedule == Some(true) {
        let id = id.clone();
        later(SEAL_AFTER_MS, move || {
            live(|l| l.sealing.retain(|x| *x != id));
            wasm_bindgen_futures::spawn_local(seal(id));
        });
    }
}

/// Give the sync core the plan's changes as stored.
async fn seal(id: PlanId) {
    let Some(device) = live(|l| l.engine.keep(&id).is_some().then(|| l.device.clone())).flatten()
    else {
        return;
    };
    let Ok((doc, log, _turn)) = super::held::for_device(&id, &device).await else {
        return;
    };
    let now = now_ms();
    live(|l| l.engine.local_change(&id, &doc, now));
    read_from(&id, &log);
    super::held::keep(id, doc, log);
    pump();
}

/// The plan just sealed was read from `log`'s chunks: kept with the keep,
/// so that the next start reads only plans saved since (`begin.rs`).
fn read_from(id: &PlanId, log: &crate::store::ChunkLog) {
    if live(|l| l.engine.read_from(id, log.known_keys())) == Some(true) {
        store_keep(id);
    }
}

fn tick_soon() {
    if live(|l| !std::mem::replace(&mut l.ticking, true)) == Some(true) {
        later(TICK_MS, || {
            live(|l| {
                l.ticking = false;
                l.engine.tick(now_ms());
            });
            pump();
            tick_soon();
        });
    }
}

fn say(problem: String) {
    tell(LiveEvent::Problem(problem));
}

fn other_default() -> String {
    "the other person".into()
}

/// Send what the sync core has to send, each frame on its shard's socket,
/// and act on its events.
fn pump() {
    loop {
        let sent = live(|l| {
            let mut any = false;
            while let Some((k, f)) = l.engine.poll_transmit() {
                any = true;
                if let Some(s) = l.conns.get(&k).and_then(|c| c.socket.as_ref()) {
                    s.send(&f);
                }
            }
            any
        })
        .unwrap_or(false);
        let event = live(|l| l.engine.poll_event()).flatten();
        let Some((k, event)) = event else {
            if !sent {
                return;
            }
            continue;
        };
        on_event(k, event);
    }
}

fn on_event(k: u32, event: SyncEvent) {
    match event {
        SyncEvent::Ready => {
            live(|l| {
                // Answered by the relay: online, whatever was said.
                l.offline = false;
                if let Some(c) = l.conns.get_mut(&k) {
                    c.retry.reset();
                }
            });
            sockets::set_connection(k, Connection::Connected);
        }
        SyncEvent::Arrived(id) => taking::take_in_soon(id),
        SyncEvent::FirstCopy(doc) => wasm_bindgen_futures::spawn_local(taking::first_copy(doc)),
        SyncEvent::Unavailable(doc) => {
            let code = joining_code(&doc);
            views::set_joining(Some(Joining::NotThereYet(code)), None);
        }
        SyncEvent::Changed(Which::Plan(id)) => {
            store_keep(&id);
            note_synced(&id);
            views::publish_keep(&id);
        }
        SyncEvent::Changed(Which::Joining(doc)) => views::publish_joining(&doc),
        SyncEvent::Problem(p) => {
            let other = match &p {
                Problem::Refused(id, _) => taking::other_name(id),
                _ => other_default(),
            };
            say(problem_words(&p, &other));
        }
        SyncEvent::Reconnect => sockets::drop_connection(k),
    }
}

/// The relay holds all this device has of a plan: note when.
fn note_synced(id: &PlanId) {
    let now = now_ms();
    let all = live(|l| {
        let all = l
            .engine
            .keep(id)
            .is_some_and(crate::share::sync::Keep::relay_has_all);
        if all {
            l.synced.insert(id.clone(), now);
        }
        all
    });
    if all == Some(true) {
        tell(LiveEvent::Synced(id.clone(), now));
    }
}

fn joining_code(doc: &DocumentId) -> String {
    live(|l| {
        let device = l.engine.device().id();
        crate::share::sync::identity::pairing_code(doc, &device)
    })
    .unwrap_or_default()
}

fn key(id: &PlanId) -> String {
    format!("{KEY_FROM}{id}")
}

/// Store a keep soon: the keeps changed within a second are written in one
/// transaction. Losing the last second to a closed tab costs nothing but
/// bytes: the bundles are read again and merged again (no change twice).
fn store_keep(id: &PlanId) {
    let first = live(|l| {
        if !l.unstored.contains(id) {
            l.unstored.push(id.clone());
        }
        l.unstored.len() == 1
    });
    if first == Some(true) {
        later(STORE_AFTER_MS, store_keeps_now);
    }
}

/// Store a keep at once (it was made, or its devices or consent changed).
fn store_keep_now(id: &PlanId) {
    live(|l| {
        if !l.unstored.contains(id) {
            l.unstored.push(id.clone());
        }
    });
    store_keeps_now();
}

/// Write every keep waiting to be stored, in one transaction.
fn store_keeps_now() {
    wasm_bindgen_futures::spawn_local(write_keeps());
}

/// Write every keep waiting to be stored, in one transaction, and wait.
async fn write_keeps() {
    let puts = live(|l| {
        let ids = std::mem::take(&mut l.unstored);
        ids.into_iter()
            .filter_map(|id| l.engine.keep(&id).map(|k| (key(&id), k.save())))
            .collect::<Vec<_>>()
    })
    .unwrap_or_default();
    if puts.is_empty() {
        return;
    }
    let written = match super::db::db().await {
        Ok(db) => {
            db.write(crate::web::platform::idb::Write {
                put_chunks: puts,
                ..Default::default()
            })
            .await
        }
        Err(e) => Err(e),
    };
    if written.is_err() {
        super::db::reopen_next_time();
        say(crate::web::words::live::KEEP_NOT_STORED.into());
    }
}

/// Every keep stored on this device (base64 of `Keep::save`), this
/// engine's written first: what a backup carries.
pub async fn keeps_as_stored() -> std::collections::BTreeMap<PlanId, String> {
    use base64::Engine as _;
    let b64 = base64::engine::general_purpose::STANDARD;
    write_keeps().await;
    let mut keeps = std::collections::BTreeMap::new();
    if let Ok(db) = super::db::db().await {
        if let Ok(found) = db.chunks_in(KEY_FROM, KEY_TO).await {
            for (k, bytes) in found {
                if let Some(id) = k.strip_prefix(KEY_FROM).and_then(PlanId::parse) {
                    keeps.insert(id, b64.encode(bytes));
                }
            }
        }
    }
    keeps
}

fn forget_keep(id: &PlanId) {
    let delete = vec![key(id)];
    wasm_bindgen_futures::spawn_local(async move {
        if let Ok(db) = super::db::db().await {
            // Left behind, it is read at the next start and let go again.
            let _ = db
                .write(crate::web::platform::idb::Write {
                    delete_chunks: delete,
                    ..Default::default()
                })
                .await;
        }
    });
}
