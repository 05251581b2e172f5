//! Keeping plans in step with the other person, live: the thin driver of
//! the sync core (`share::sync::Engines`, one `Engine` per relay shard), which decides everything. This
//! layer moves bytes and time: one socket per relay shard that the
//! device's kept-in-step plans need (one for a single relay; a key
//! worker's caseload may span shards: `sockets.rs`), frames in (in slices,
//! so a flood never blocks typing), frames out, a clock tick, IndexedDB for each keep
//! (`keep:<plan id>`), and the plans themselves (merged, then saved, and
//! only then reported taken). Nothing connects until there is a plan kept
//! in step and the deployment configured a relay.
//! Over 400 lines because the driver's state and the events of the sync
//! core belong together.

use std::collections::{BTreeMap, HashMap, VecDeque};

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::{PlanId, Role, Section};
use crate::share::shard::RelayAddress;
use crate::share::sync::engine::Taken;
use crate::share::sync::{DocumentId, Engines, Keep, Problem, Standing, SyncEvent, Which};

use super::super::platform::idb::Write;
use super::super::platform::relay_config;
use super::super::platform::settings;
use super::super::platform::socket::Socket;
use super::{now_ms, App, Touched};

mod operations;
mod sockets;
mod taking;

use crate::web::words::live as words;
pub use words::problem_words;

const KEY_FROM: &str = "keep:";
const KEY_TO: &str = "keep;";
/// How long after a change its bundle is sealed.
const SEAL_AFTER_MS: i32 = 250;
/// How long keeps wait to be stored together, and the list to be read again.
const STORE_AFTER_MS: i32 = 1_000;
const LIST_AFTER_MS: i32 = 300;
/// The clock the sync core is given.
const TICK_MS: i32 = 5_000;
/// Frames read in one go before the page gets a turn (ms of work).
const SLICE_MS: f64 = 6.0;
/// Frames waiting beyond this: the relay is flooding; the connection is
/// dropped and made again later.
const MAX_QUEUED: usize = 2_000;

/// A connection, as the screens say it: the deployment's relay (whether
/// there is one) and each shard's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connection {
    /// No relay configured by the deployment.
    #[default]
    NotSetUp,
    /// Nothing kept in step (on this shard): no socket.
    Idle,
    Connecting,
    Connected,
    /// The browser is offline: retrying when it is back.
    Offline,
    /// Online, but the council's service cannot be reached: retrying.
    Unreachable,
}

/// A device on a plan's list, as the carer's screen shows it.
#[derive(Debug, Clone, PartialEq)]
pub struct DeviceView {
    /// The device's id (hex), to remove it.
    pub id: String,
    pub name: String,
    pub role: Role,
    pub allowed_ms: i64,
    pub last_seen_ms: Option<i64>,
    /// This device.
    pub this: bool,
}

/// A device asking to join.
#[derive(Debug, Clone, PartialEq)]
pub struct RequestView {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The six digits the asking device shows.
    pub code: String,
}

/// One kept-in-step plan, as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepView {
    pub me: Role,
    /// The relay shard whose socket carries this plan (0 for one relay).
    pub shard: u32,
    /// The other side's devices' names (from the list the carer allowed).
    pub other: Option<String>,
    /// When the relay was last seen to hold everything of this device's.
    pub synced_ms: Option<i64>,
    /// This device's oldest change the other side has not confirmed.
    pub unconfirmed_since: Option<i64>,
    /// When the other side last said what it has.
    pub heard_ms: Option<i64>,
    /// The sections the carer keeps in step (those this version knows).
    pub sections: Vec<Section>,
    pub stopped: bool,
    pub standing: Standing,
    /// The link (the carer's own, to give again).
    pub link: String,
    pub devices: Vec<DeviceView>,
    pub requests: Vec<RequestView>,
    /// Carried on from before devices had to be allowed: give the new link.
    pub relinked: bool,
}

/// A device's join in progress (before the plan has arrived).
#[derive(Debug, Clone, PartialEq)]
pub enum Joining {
    /// Asked; waiting for the carer to allow this device. Its code.
    Asking(String),
    /// The relay does not have the plan: the carer's phone has not sent it.
    NotThereYet(String),
    Refused,
    OldLink,
    Joined(PlanId),
    Failed(String),
}

/// What the screens read (one signal).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveState {
    /// Whether the deployment has a relay: `NotSetUp` or `Idle`.
    pub connection: Connection,
    /// Each shard's socket, while the device needs it.
    pub sockets: BTreeMap<u32, Connection>,
    pub plans: HashMap<PlanId, KeepView>,
    /// The last thing refused from the relay, in plain words.
    pub problem: Option<String>,
    /// Of the plans kept in step, how many the relay has answered about
    /// since the connection was made (`None` when not connected).
    pub catch_up: Option<crate::share::sync::CatchUp>,
    pub joining: Option<Joining>,
    /// The shard of the link being joined.
    pub joining_shard: Option<u32>,
}

impl LiveState {
    /// Shard `k`'s socket, as the screens say it.
    pub fn shard_connection(&self, k: u32) -> Connection {
        match self.connection {
            Connection::NotSetUp => Connection::NotSetUp,
            _ => self.sockets.get(&k).copied().unwrap_or(Connection::Idle),
        }
    }

    /// The socket of a plan's shard: one shard down says nothing about
    /// the plans on another.
    pub fn connection_of(&self, id: &PlanId) -> Connection {
        self.shard_connection(self.plans.get(id).map_or(0, |v| v.shard))
    }

    /// The socket of the shard of the link being joined.
    pub fn joining_connection(&self) -> Connection {
        self.shard_connection(self.joining_shard.unwrap_or(0))
    }
}

/// One shard's socket and what goes with it: its own retries and backoff,
/// and its own frames waiting to be read (the flood guard counts them).
#[derive(Default)]
struct Conn {
    socket: Option<Socket>,
    /// When to try again (`share::sync::backoff`: doubling, with jitter).
    retry: crate::share::sync::Backoff,
    retry_set: bool,
    /// Frames from the relay not read yet, and whether a slice is due.
    inbox: VecDeque<Vec<u8>>,
    draining: bool,
}

/// The connections' working state (in the app's context).
#[derive(Default)]
pub(crate) struct Live {
    relay: Option<RelayAddress>,
    engine: Option<Engines>,
    conns: BTreeMap<u32, Conn>,
    synced: HashMap<PlanId, i64>,
    sealing: Vec<PlanId>,
    /// Keeps changed since they were last stored (stored together, at most
    /// once a second, and at once when the page is hidden).
    unstored: Vec<PlanId>,
    /// The caseload's list is to be read again (once for many plans).
    list_due: bool,
    /// Bundles merged into a plan whose save has not finished yet.
    unsaved: HashMap<PlanId, Vec<Taken>>,
    /// Plans being read from storage for an arrival.
    opening: Vec<PlanId>,
    ticking: bool,
}

fn key(id: &PlanId) -> String {
    format!("{KEY_FROM}{id}")
}

/// Run `f` in `ms` milliseconds (Leptos' `set_timeout`). A timer the
/// browser refuses only delays this to the next change.
fn later(ms: i32, f: impl FnOnce() + 'static) {
    set_timeout(f, std::time::Duration::from_millis(ms.max(0) as u64));
}

fn perf_now() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// The app's own address, for links.
fn app_address() -> String {
    web_sys::window()
        .and_then(|w| {
            let l = w.location();
            Some(format!("{}{}", l.origin().ok()?, l.pathname().ok()?))
        })
        .unwrap_or_default()
}

impl App {
    fn live<R>(&self, f: impl FnOnce(&mut Live) -> R) -> Option<R> {
        let inner = self.inner()?;
        let mut live = inner.live.try_borrow_mut().ok()?;
        Some(f(&mut live))
    }

    fn engine<R>(&self, f: impl FnOnce(&mut Engines) -> R) -> Option<R> {
        self.live(|l| l.engine.as_mut().map(f)).flatten()
    }

    /// At start: read the deployment's relay, this device's keys and the
    /// plans kept in step, and connect if there are any.
    pub fn start_live(&self) {
        let app = *self;
        spawn_local(async move {
            let relay = relay_config::relay_address().await;
            let configured = relay.is_some();
            let Some(device) = settings::sync_device_key() else {
                return;
            };
            let now = now_ms();
            let shards = relay.as_ref().map_or(1, RelayAddress::shard_count);
            let mut engine = Engines::new(device.clone(), format!("csp-{}", random_hex()), shards);
            if let Ok(db) = app.db() {
                if let Ok(found) = db.chunks_in(KEY_FROM, KEY_TO).await {
                    for (k, bytes) in found {
                        let id = k.strip_prefix(KEY_FROM).and_then(PlanId::parse);
                        if let (Some(id), Some(keep)) = (id, Keep::restore(&bytes, &device, now)) {
                            engine.insert(id, keep);
                        }
                    }
                }
            }
            app.live(|l| {
                l.relay = relay;
                l.engine = Some(engine);
            });
            app.ui.live.update(|s| {
                s.connection = if configured {
                    Connection::Idle
                } else {
                    Connection::NotSetUp
                };
            });
            app.publish_live();
            app.pump();
            app.connect();
            app.tick_soon();
            // Keeps carried on from an earlier format send the chosen parts
            // again, whole, as soon as the plan is open.
            for id in app.engine(|e| e.seal_due()).unwrap_or_default() {
                let Ok(db) = app.db() else { break };
                if app.read(&id, |_| ()).is_none() && app.load_session(&db, &id).await.is_err() {
                    continue;
                }
                app.seal(&id);
            }
        });
    }

    fn tick_soon(&self) {
        let first = self.live(|l| !std::mem::replace(&mut l.ticking, true));
        if first == Some(true) {
            let app = *self;
            later(TICK_MS, move || {
                app.live(|l| l.ticking = false);
                app.engine(|e| e.tick(now_ms()));
                app.pump();
                app.tick_soon();
            });
        }
    }

    /// Whether the deployment has a relay (reactive).
    pub fn live_available(&self) -> bool {
        self.ui.live.with(|s| s.connection != Connection::NotSetUp)
    }

    fn other_default(&self) -> String {
        "the other person".into()
    }

    pub(super) fn say(&self, problem: String) {
        self.ui.live.update(|s| s.problem = Some(problem));
    }

    /// Send what the sync core has to send, each frame on its shard's
    /// socket, and act on its events.
    pub(super) fn pump(&self) {
        loop {
            let sent = self
                .live(|l| {
                    let mut any = false;
                    if let Some(e) = l.engine.as_mut() {
                        while let Some((k, f)) = e.poll_transmit() {
                            any = true;
                            if let Some(s) = l.conns.get(&k).and_then(|c| c.socket.as_ref()) {
                                s.send(&f);
                            }
                        }
                    }
                    any
                })
                .unwrap_or(false);
            let event = self.engine(Engines::poll_event).flatten();
            let Some((k, event)) = event else {
                if !sent {
                    return;
                }
                continue;
            };
            self.on_event(k, event);
        }
    }

    fn on_event(&self, k: u32, event: SyncEvent) {
        match event {
            SyncEvent::Ready => {
                self.live(|l| {
                    if let Some(c) = l.conns.get_mut(&k) {
                        c.retry.reset();
                    }
                });
                self.set_connection(k, Connection::Connected);
            }
            SyncEvent::Arrived(id) => self.take_in_live(id),
            SyncEvent::FirstCopy(doc) => self.first_copy_arrived(doc),
            SyncEvent::Unavailable(doc) => {
                let code = self.joining_code(&doc);
                self.ui
                    .live
                    .update(|s| s.joining = Some(Joining::NotThereYet(code)));
            }
            SyncEvent::Changed(Which::Plan(id)) => {
                self.store_keep(&id);
                self.note_synced(&id);
                self.publish_keep(&id);
            }
            SyncEvent::Changed(Which::Joining(doc)) => self.publish_joining(&doc),
            SyncEvent::Problem(p) => {
                let other = match &p {
                    Problem::Refused(id, _) => self.other_name(id),
                    _ => self.other_default(),
                };
                self.say(problem_words(&p, &other));
            }
            SyncEvent::Reconnect => self.drop_connection(k),
        }
    }

    /// How far the caseload has caught up, for the screens (only when it
    /// changed, so a frame that changes nothing redraws nothing). Called
    /// when a slice of frames has been read and when a socket opens or
    /// closes: never for a keystroke.
    pub(super) fn publish_catch_up(&self) {
        let now = self.engine(|e| e.catch_up()).flatten();
        if self.ui.live.with_untracked(|s| s.catch_up != now) {
            self.ui.live.update(|s| s.catch_up = now);
        }
    }

    /// The relay holds all this device has of a plan: note when.
    fn note_synced(&self, id: &PlanId) {
        let all = self.engine(|e| e.keep(id).is_some_and(Keep::relay_has_all));
        if all == Some(true) {
            let now = now_ms();
            self.live(|l| l.synced.insert(id.clone(), now));
            settings::set_keep_synced(id, now);
        }
    }

    fn joining_code(&self, doc: &DocumentId) -> String {
        self.engine(|e| {
            let device = e.device().id();
            crate::share::sync::identity::pairing_code(doc, &device)
        })
        .unwrap_or_default()
    }

    fn publish_joining(&self, doc: &DocumentId) {
        let Some(Some((standing, stopped))) =
            self.engine(|e| e.joining_keep(doc).map(|k| (k.standing(), k.stopped)))
        else {
            return;
        };
        let next = if stopped {
            Joining::Failed(taking::STOPPED_LINK.into())
        } else {
            match standing {
                Standing::Refused | Standing::Removed => Joining::Refused,
                Standing::OldLink => Joining::OldLink,
                _ => Joining::Asking(self.joining_code(doc)),
            }
        };
        self.ui.live.update(|s| {
            if !matches!(
                s.joining,
                Some(Joining::Joined(_)) | Some(Joining::Failed(_))
            ) {
                s.joining = Some(next);
            }
        });
    }
}

fn random_hex() -> String {
    let mut peer = [0u8; 8];
    let _ = getrandom::fill(&mut peer);
    crate::plan::ids::hex(&peer)
}
