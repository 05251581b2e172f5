//! Keeping plans in step with the other person, live: one socket to the
//! deployment's relay for every kept-in-step plan on the device.
//!
//! A change to a kept-in-step plan is sealed into a bundle a moment after
//! it is made (`share::sync::Keep::seal_changes`, so fast typing makes few
//! bundles) and the sealed document's next sync message goes out; a sync
//! message from the relay is taken in (`Keep::receive`), its bundles merged
//! into the plan (`share::sync::take_in`) and saved like any change. The
//! keep (sealed document, sync state, what is covered) is stored under
//! `keep:<plan id>` in the chunks store. Nothing connects until there is a
//! plan kept in step and the deployment configured a relay.

use std::collections::HashMap;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use crate::plan::{PlanId, Role, Section};
use crate::share::sync::consent::{self, Consent};
use crate::share::sync::sealed::Bundle;
use crate::share::sync::take_in::{first_copy, take_in};
use crate::share::sync::{DocumentId, Event, Hub, Keep, Link};
use crate::store::ChunkLog;

use super::super::platform::idb::Write;
use super::super::platform::plan_store::OpenError;
use super::super::platform::relay_config;
use super::super::platform::settings;
use super::super::platform::socket::{Socket, SocketEvent};
use super::{now_ms, App, AppError, Session, Touched};

mod operations;
mod taking;

const KEY_FROM: &str = "keep:";
const KEY_TO: &str = "keep;";
/// How long after a change its bundle is sealed.
const SEAL_AFTER_MS: i32 = 250;
/// How long keeps wait to be stored together, and the list to be read again.
const STORE_AFTER_MS: i32 = 1_000;
const LIST_AFTER_MS: i32 = 300;
const RETRY_FIRST_MS: i32 = 1_000;
const RETRY_MAX_MS: i32 = 60_000;

/// The connection, as the screens say it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Connection {
    /// No relay configured by the deployment.
    #[default]
    NotSetUp,
    /// Nothing kept in step: no socket.
    Idle,
    Connecting,
    Connected,
    /// Offline, or the relay cannot be reached: retrying.
    NotConnected,
}

/// One kept-in-step plan, as the screens show it.
#[derive(Debug, Clone, PartialEq)]
pub struct KeepView {
    pub me: Role,
    /// The other person's name, once they have sent something.
    pub other: Option<String>,
    /// When this device and the relay were last seen to hold the same.
    pub synced_ms: Option<i64>,
    pub sections: Vec<String>,
    pub stopped: bool,
    /// The link (the carer's own, to give again).
    pub link: String,
}

/// A worker's join in progress (before the plan has arrived).
#[derive(Debug, Clone, PartialEq)]
pub enum Joining {
    Waiting,
    /// The relay does not have the plan: the carer's phone has not sent it.
    NotThereYet,
    Joined(PlanId),
    Failed(String),
}

/// What the screens read (one signal).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct LiveState {
    pub connection: Connection,
    pub plans: HashMap<PlanId, KeepView>,
    /// The last thing refused from the relay, in plain words.
    pub problem: Option<String>,
    pub joining: Option<Joining>,
}

/// The connection's working state (in the app's context).
#[derive(Default)]
pub(crate) struct Live {
    url: Option<String>,
    hub: Option<Hub>,
    socket: Option<Socket>,
    keeps: HashMap<PlanId, Keep>,
    joining: Option<Keep>,
    synced: HashMap<PlanId, i64>,
    sealing: Vec<PlanId>,
    retry_ms: i32,
    retry_set: bool,
    /// Keeps changed since they were last stored (stored together, at most
    /// once a second, and at once when the page is hidden).
    unstored: Vec<PlanId>,
    /// The caseload's list is to be read again (once for many plans).
    list_due: bool,
}

fn key(id: &PlanId) -> String {
    format!("{KEY_FROM}{id}")
}

fn later(ms: i32, f: impl FnOnce() + 'static) {
    let cb = Closure::once_into_js(f);
    if let Some(w) = web_sys::window() {
        // A timer the browser refuses only delays this to the next change.
        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), ms);
    }
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

    /// At start: read the deployment's relay and the plans kept in step, and
    /// connect if there are any.
    pub fn start_live(&self) {
        let app = *self;
        spawn_local(async move {
            let url = relay_config::relay_url().await;
            let configured = url.is_some();
            let mut keeps = HashMap::new();
            if let Ok(db) = app.db() {
                if let Ok(found) = db.chunks_in(KEY_FROM, KEY_TO).await {
                    for (k, bytes) in found {
                        let id = k.strip_prefix(KEY_FROM).and_then(PlanId::parse);
                        if let (Some(id), Some(keep)) = (id, Keep::restore(&bytes)) {
                            keeps.insert(id, keep);
                        }
                    }
                }
            }
            app.live(|l| {
                l.url = url;
                l.keeps = keeps;
            });
            app.ui.live.update(|s| {
                s.connection = if configured {
                    Connection::Idle
                } else {
                    Connection::NotSetUp
                };
            });
            app.publish_live();
            app.connect();
        });
    }

    /// Whether the deployment has a relay (reactive).
    pub fn live_available(&self) -> bool {
        self.ui.live.with(|s| s.connection != Connection::NotSetUp)
    }

    /// Open the socket if there is anything to keep in step and it is not open.
    pub fn connect(&self) {
        let app = *self;
        let opened = self.live(|l| {
            let wanted = !l.keeps.is_empty() || l.joining.is_some();
            let Some(url) = l.url.clone() else {
                return None;
            };
            if !wanted || l.socket.is_some() {
                return None;
            }
            let mut peer = [0u8; 8];
            let _ = getrandom::fill(&mut peer);
            l.hub = Some(Hub::new(format!("csp-{}", crate::plan::ids::hex(&peer))));
            Some(Socket::open(&url, move |e| app.on_socket(e)))
        });
        match opened.flatten() {
            Some(Ok(socket)) => {
                self.live(|l| l.socket = Some(socket));
                self.set_connection(Connection::Connecting);
            }
            Some(Err(_)) => {
                self.set_connection(Connection::NotConnected);
                self.retry_later();
            }
            None => {
                let idle =
                    self.live(|l| l.keeps.is_empty() && l.joining.is_none() && l.url.is_some());
                if idle == Some(true) {
                    self.set_connection(Connection::Idle);
                }
            }
        }
    }

    /// Back online, or the page shown again: try now.
    pub fn reconnect_now(&self) {
        self.live(|l| l.retry_ms = 0);
        self.connect();
    }

    fn set_connection(&self, c: Connection) {
        if self.ui.live.with_untracked(|s| s.connection != c) {
            self.ui.live.update(|s| s.connection = c);
        }
    }

    fn retry_later(&self) {
        let wait = self.live(|l| {
            if l.retry_set {
                return None;
            }
            l.retry_set = true;
            l.retry_ms = (l.retry_ms * 2).clamp(RETRY_FIRST_MS, RETRY_MAX_MS);
            Some(l.retry_ms)
        });
        if let Some(Some(ms)) = wait {
            let app = *self;
            later(ms, move || {
                app.live(|l| l.retry_set = false);
                app.connect();
            });
        }
    }

    fn send_frame(&self, frame: Vec<u8>) {
        self.live(|l| l.socket.as_ref().map(|s| s.send(&frame)));
    }

    fn on_socket(&self, event: SocketEvent) {
        match event {
            SocketEvent::Open => {
                let join = self.live(|l| l.hub.as_mut().map(Hub::join)).flatten();
                if let Some(f) = join {
                    self.send_frame(f);
                }
            }
            SocketEvent::Closed => {
                self.live(|l| {
                    l.socket = None;
                    l.hub = None;
                });
                self.set_connection(Connection::NotConnected);
                self.retry_later();
            }
            SocketEvent::Frame(frame) => self.on_frame(&frame),
        }
    }

    fn say(&self, problem: String) {
        self.ui.live.update(|s| s.problem = Some(problem));
    }

    fn on_frame(&self, frame: &[u8]) {
        let Some(event) = self
            .live(|l| l.hub.as_mut().map(|h| h.on_frame(frame)))
            .flatten()
        else {
            return;
        };
        match event {
            Ok(Event::Ready) => {
                self.live(|l| l.retry_ms = 0);
                self.set_connection(Connection::Connected);
                let ids: Vec<PlanId> = self
                    .live(|l| l.keeps.keys().cloned().collect())
                    .unwrap_or_default();
                for id in ids {
                    self.live(|l| l.keeps.get_mut(&id).map(Keep::reconnected));
                    self.seal(&id);
                    self.send_sync(Some(&id));
                }
                self.live(|l| l.joining.as_mut().map(Keep::reconnected));
                self.send_sync(None);
            }
            Ok(Event::Sync { doc, data }) => self.on_sync(&doc, &data),
            Ok(Event::Unavailable(doc)) => {
                let joining = self.live(|l| l.joining.as_ref().is_some_and(|k| *k.doc_id() == doc));
                if joining == Some(true) {
                    self.ui
                        .live
                        .update(|s| s.joining = Some(Joining::NotThereYet));
                    // Ask again in a while: the carer's phone may come online.
                    let app = *self;
                    later(5_000, move || app.send_sync(None));
                }
            }
            Ok(Event::RelayError(_)) => {
                self.say("The sync service reported a problem. The app will try again; your changes are kept on this device.".into());
                self.live(|l| l.socket = None);
            }
            Ok(Event::Ignored) => {}
            Err(e) => {
                self.say(format!("Something from the sync service was refused ({e}). Nothing was changed; the app will connect again."));
                self.live(|l| l.socket = None);
                self.set_connection(Connection::NotConnected);
                self.retry_later();
            }
        }
    }

    /// Send the next sync message of one keep (`None`: the join in progress).
    fn send_sync(&self, id: Option<&PlanId>) {
        let frame = self.live(|l| {
            let hub = l.hub.as_ref()?;
            if !hub.is_ready() {
                return None;
            }
            let keep = match id {
                Some(id) => l.keeps.get_mut(id)?,
                None => l.joining.as_mut()?,
            };
            let empty = keep.is_empty();
            let data = keep.sync_message()?;
            hub.frame(keep.doc_id(), data, empty)
        });
        if let Some(Some(f)) = frame {
            self.send_frame(f);
        }
    }

    fn on_sync(&self, doc: &DocumentId, data: &[u8]) {
        enum Whose {
            Plan(PlanId),
            Joining,
        }
        let whose = self.live(|l| {
            if let Some((id, _)) = l.keeps.iter().find(|(_, k)| k.doc_id() == doc) {
                return Some(Whose::Plan(id.clone()));
            }
            l.joining
                .as_ref()
                .filter(|k| k.doc_id() == doc)
                .map(|_| Whose::Joining)
        });
        let Some(Some(whose)) = whose else {
            self.say("The sync service sent an update for a plan that is not on this device. It was ignored.".into());
            return;
        };
        let received = self.live(|l| match &whose {
            Whose::Plan(id) => l.keeps.get_mut(id).map(|k| k.receive(data)),
            Whose::Joining => l.joining.as_mut().map(|k| k.receive(data)),
        });
        let received = match received.flatten() {
            Some(Ok(r)) => r,
            Some(Err(e)) => return self.say(e.to_string()),
            None => return,
        };
        if let Some(e) = &received.refused {
            self.say(e.to_string());
        }
        match whose {
            Whose::Plan(id) => {
                if !received.bundles.is_empty() {
                    self.take_in_live(id.clone(), received.bundles);
                } else {
                    self.after_sync(&id);
                }
            }
            Whose::Joining => {
                if !received.bundles.is_empty() {
                    self.join_arrived(received.bundles);
                } else {
                    self.send_sync(None);
                }
            }
        }
    }
}
