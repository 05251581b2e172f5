//! What the screens read of keeping in step (one signal), as the engine
//! told it (`LiveEvent`), and what the page notes of it in localStorage.

use std::collections::{BTreeMap, HashMap};

use leptos::prelude::*;

use crate::plan::PlanId;
use crate::web::app::App;
use crate::web::engine::protocol::live::LiveEvent;
use crate::web::platform::settings;

use super::{Connection, Joining, KeepView};

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
    /// The page's browser says it is offline: every socket is shown so,
    /// whatever the engine last said (its worker can hear it late).
    pub offline: bool,
}

impl LiveState {
    /// Shard `k`'s socket, as the screens say it.
    pub fn shard_connection(&self, k: u32) -> Connection {
        match self.connection {
            Connection::NotSetUp => Connection::NotSetUp,
            Connection::Stopped => Connection::Stopped,
            _ if self.offline => Connection::Offline,
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

impl App {
    /// What the engine told of keeping in step.
    pub(super) fn on_live(&self, event: LiveEvent) {
        match event {
            LiveEvent::Configured(yes) => self.ui.live.update(|s| {
                s.connection = if yes {
                    Connection::Idle
                } else {
                    Connection::NotSetUp
                }
            }),
            LiveEvent::Socket(k, c) => self.ui.live.update(|s| match c {
                Some(c) => {
                    s.sockets.insert(k, c);
                }
                None => {
                    s.sockets.remove(&k);
                }
            }),
            LiveEvent::CatchUp(c) => self.ui.live.update(|s| s.catch_up = c),
            LiveEvent::Keep(id, view) => self.ui.live.update(|s| match view {
                Some(v) => {
                    s.plans.insert(id.clone(), with_synced(&id, *v));
                }
                None => {
                    s.plans.remove(&id);
                }
            }),
            LiveEvent::Keeps(all) => self.ui.live.update(|s| {
                s.plans = all
                    .into_iter()
                    .map(|(id, v)| {
                        let v = with_synced(&id, v);
                        (id, v)
                    })
                    .collect()
            }),
            LiveEvent::Problem(p) => self.ui.live.update(|s| s.problem = Some(p)),
            LiveEvent::Stopped => self.ui.live.update(|s| {
                if s.connection != Connection::NotSetUp {
                    s.connection = Connection::Stopped;
                    s.problem = Some(crate::web::words::live::NOT_RUNNING.into());
                }
            }),
            LiveEvent::Joining(j, shard) => self.ui.live.update(|s| {
                s.joining = j;
                s.joining_shard = shard;
            }),
            LiveEvent::Synced(id, ms) => settings::set_keep_synced(&id, ms),
            LiveEvent::Taken {
                plan,
                authors,
                text_conflicts,
            } => {
                crate::web::app::sharing::note_text_conflicts(&plan, &text_conflicts);
                settings::note_device_names(&plan, &authors);
            }
        }
    }
}

/// A keep's view, with when the relay last held everything as this device
/// noted it, when the engine has not seen it since it started.
fn with_synced(id: &PlanId, mut v: KeepView) -> KeepView {
    if v.synced_ms.is_none() {
        v.synced_ms = settings::keep_synced(id);
    }
    v
}
