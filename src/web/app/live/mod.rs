//! Keeping plans in step live, the page's side: the engine worker drives
//! the sync core (`web/engine/live/`: the sockets, the timers, sealing and
//! taking in bundles, the keeps in IndexedDB); the page starts it with this
//! device's keys (localStorage) and the deployment's relay, asks for what
//! people decide (start, change or stop keeping a plan in step, join from a
//! link, allow, refuse or remove a device), and shows what the engine tells
//! it (`LiveEvent`) in one signal the screens read. What arrives from the
//! relay is stored by the engine, which tells the tabs: the page takes it
//! in as another tab's save (`other_tabs.rs`).

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::{PlanId, Role, Section};

use super::super::engine::protocol::live::{
    ConsentAsk, ConsentWhat, Decision, LiveAnswer, LiveAsk, LiveEvent, LiveStart,
};
use super::super::engine::protocol::{Reply, Request};
use super::super::platform::relay_config;
use super::super::platform::settings;
use super::{now_ms, App, AppError};

mod state;
pub use super::super::engine::protocol::live::{Connection, Joining, KeepView};
pub use state::LiveState;

use crate::web::words::live as words;

const KEY_FROM: &str = "keep:";
const KEY_TO: &str = "keep;";
const LIST_AFTER_MS: u64 = 300;

/// The page's working state of keeping in step (in the app's context).
#[derive(Default)]
pub(crate) struct Live {
    /// The caseload's list is to be read again (once for many plans).
    list_due: bool,
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
    /// At start: read the deployment's relay and this device's keys, and
    /// start keeping in step in the engine, and in every engine that takes
    /// over from one that stopped. Its news comes as events.
    pub fn start_live(&self) {
        let app = *self;
        spawn_local(async move {
            let relay = relay_config::relay_address().await;
            // Known here at once, so a link opened on a first visit (no
            // engine yet) can be joined.
            let configured = relay.is_some();
            app.on_live(LiveEvent::Configured(configured));
            let (Some(device), Some(actor), Ok(engine)) =
                (settings::sync_device_key(), app.actor(), app.engine_link())
            else {
                return;
            };
            let start = LiveStart {
                device_key: device,
                relay,
                address: app_address(),
                device: actor.as_str().to_owned(),
            };
            engine.on_live(move |event| app.on_live(event));
            engine.keep_asking(Request::Live(LiveAsk::Start(start)));
        });
    }

    /// Ask the engine; its answer, or that no engine keeps in step here.
    async fn ask_live(&self, ask: LiveAsk) -> LiveAnswer {
        let Ok(engine) = self.engine_link() else {
            return LiveAnswer::NotStarted;
        };
        match engine.live(ask).await {
            Some(Reply::Live(answer)) => answer,
            _ => LiveAnswer::NotStarted,
        }
    }

    /// Whether the deployment has a relay (reactive).
    pub fn live_available(&self) -> bool {
        self.ui.live.with(|s| s.connection != Connection::NotSetUp)
    }

    fn my_device_name(&self, plan: Option<&PlanId>) -> String {
        let me = self.me();
        // A carer's name is in her plan; a worker's is the one he gave.
        let from_plan = plan
            .filter(|id| me.role == Role::Carer && self.is_current(id))
            .and_then(|_| {
                self.ui.plan.with_untracked(|p| {
                    p.as_ref().and_then(|p| p.display_name().map(str::to_owned))
                })
            });
        let who =
            from_plan.or_else(|| (!me.name.trim().is_empty()).then(|| me.name.trim().to_owned()));
        let small = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .is_some_and(|w| w < 700.0);
        let device = if small { "phone" } else { "computer" };
        match who {
            Some(n) => format!("{n}'s {device}"),
            None if me.role == Role::Carer => format!("The carer's {device}"),
            None => format!("The key worker's {device}"),
        }
    }

    /// Record the carer's choice in her plan, after the changes asked
    /// before it, with what is not stored yet; the engine then starts,
    /// changes or stops the keep.
    async fn consent(
        &self,
        id: &PlanId,
        what: ConsentWhat,
        sections: Vec<Section>,
    ) -> Result<LiveAnswer, AppError> {
        while let Some(inner) = self.inner().filter(|_| self.in_flight(id)) {
            let settled = inner.in_flight.borrow_mut().settled(id);
            let _ = wasm_bindgen_futures::JsFuture::from(settled).await;
        }
        let unsaved = Vec::new();
        let answer = self
            .ask_live(LiveAsk::Consent(ConsentAsk {
                plan: id.clone(),
                what,
                sections,
                unsaved,
                at_ms: now_ms(),
            }))
            .await;
        match answer {
            LiveAnswer::Refused(words) => Err(AppError::Answer(words)),
            LiveAnswer::NotStarted => Err(AppError::Answer(words::NOT_RUNNING.into())),
            answer => Ok(answer),
        }
    }

    /// "Keep in step with my key worker": record the carer's consent, make
    /// the link and the list of devices (this one), and connect. Returns the link.
    pub async fn start_keep(
        &self,
        id: &PlanId,
        sections: Vec<Section>,
    ) -> Result<String, AppError> {
        let name = self.my_device_name(Some(id));
        match self
            .consent(id, ConsentWhat::Start { name }, sections)
            .await?
        {
            LiveAnswer::Link(url) => Ok(url),
            _ => Err(AppError::Answer(words::NOT_RUNNING.into())),
        }
    }

    /// Change the sections kept in step (recorded as consent).
    pub async fn change_keep(&self, id: &PlanId, sections: Vec<Section>) -> Result<(), AppError> {
        self.consent(id, ConsentWhat::Change, sections)
            .await
            .map(|_| ())
    }

    /// "Stop keeping in step": recorded; the list of devices says so (only
    /// a carer's device can); new changes go nowhere; a new start makes a
    /// new link.
    pub async fn stop_keep(&self, id: &PlanId) -> Result<(), AppError> {
        let sections = self.kept_sections(id);
        self.consent(id, ConsentWhat::Stop, sections)
            .await
            .map(|_| ())
    }

    /// Another device opened a link and said yes: it asks to join, and
    /// waits for the carer to allow it (the engine tells how it goes).
    pub fn join_keep(&self, fragment: &str) {
        let app = *self;
        let ask = LiveAsk::Join {
            link: crate::share::sync::url_of(fragment, &app_address()),
            me: self.me(),
            name: self.my_device_name(None),
        };
        spawn_local(async move {
            if let LiveAnswer::NotStarted = app.ask_live(ask).await {
                app.ui
                    .live
                    .update(|s| s.joining = Some(Joining::Failed(words::NOT_RUNNING.into())));
            }
        });
    }

    /// The carer allows a device that asked.
    pub async fn allow_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, Decision::Allow).await
    }

    pub async fn refuse_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, Decision::Refuse).await
    }

    /// The carer removes a device: it gets nothing new; what it sends is refused.
    pub async fn remove_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, Decision::Remove).await
    }

    async fn decide(&self, id: &PlanId, device: &str, decision: Decision) -> Result<(), AppError> {
        let ask = LiveAsk::Decide {
            plan: id.clone(),
            device: device.to_owned(),
            decision,
        };
        match self.ask_live(ask).await {
            LiveAnswer::Refused(words) => Err(AppError::Answer(words)),
            LiveAnswer::NotStarted => Err(AppError::Answer(words::NOT_RUNNING.into())),
            _ => Ok(()),
        }
    }

    /// Whether anything is kept in step or being joined here: only then
    /// is the engine asked about it (a first visit never starts it so).
    fn live_in_use(&self) -> bool {
        self.ui
            .live
            .with_untracked(|s| !s.plans.is_empty() || s.joining.is_some())
    }

    /// Back online, or the page shown again: every socket tries now.
    pub fn reconnect_now(&self) {
        if !self.live_in_use() {
            return;
        }
        let app = *self;
        spawn_local(async move {
            app.ask_live(LiveAsk::Reconnect).await;
        });
    }

    /// The browser went offline or came back: the screens say so at once,
    /// and the engine drops its sockets or tries them now.
    pub fn network(&self, online: bool) {
        self.ui.live.update(|s| s.offline = !online);
        if !self.live_in_use() {
            return;
        }
        let app = *self;
        spawn_local(async move {
            app.ask_live(LiveAsk::Network(online)).await;
        });
    }

    /// The page is being hidden or closed: the engine seals and stores
    /// everything now.
    pub(in crate::web::app) fn flush_live(&self) {
        if !self.live_in_use() {
            return;
        }
        let app = *self;
        spawn_local(async move {
            app.ask_live(LiveAsk::Flush).await;
        });
    }

    /// Whether a plan is kept in step (reactive).
    pub fn keep_view(&self, id: &PlanId) -> Option<KeepView> {
        self.ui.live.with(|s| s.plans.get(id).cloned())
    }

    /// The sections a plan keeps in step, for screens that check a choice.
    pub fn kept_sections(&self, id: &PlanId) -> Vec<Section> {
        self.keep_view(id).map(|v| v.sections).unwrap_or_default()
    }

    /// Read the caseload's list again soon (once for many plans taken in).
    pub(in crate::web::app) fn refresh_list_soon(&self) {
        let first = self
            .inner()
            .and_then(|i| {
                i.live
                    .try_borrow_mut()
                    .ok()
                    .map(|mut l| !std::mem::replace(&mut l.list_due, true))
            })
            .unwrap_or(false);
        if first {
            let app = *self;
            set_timeout(
                move || {
                    if let Some(i) = app.inner() {
                        if let Ok(mut l) = i.live.try_borrow_mut() {
                            l.list_due = false;
                        }
                    }
                    app.refresh_list();
                },
                std::time::Duration::from_millis(LIST_AFTER_MS),
            );
        }
    }

    /// What a backup carries of keeping in step: this device's keys (from
    /// localStorage) and, for a backup the page makes itself (`stored`),
    /// each plan's keep as stored. The engine adds the keeps to its own
    /// backups (`engine/live`, `keeps_as_stored`).
    pub(in crate::web::app) async fn keeps_for_backup(
        &self,
        s: &mut crate::share::backup::DeviceSettings,
        stored: bool,
    ) {
        use crate::web::platform::local::to_base64;
        if let Some(key) = settings::sync_device_key() {
            s.sync_key = to_base64(&key);
        }
        if !stored {
            return;
        }
        let Ok(db) = self.db() else { return };
        if let Ok(found) = db.chunks_in(KEY_FROM, KEY_TO).await {
            for (k, bytes) in found {
                if let Some(id) = k.strip_prefix(KEY_FROM).and_then(PlanId::parse) {
                    if let Some(text) = to_base64(&bytes) {
                        s.keeps.insert(id, text);
                    }
                }
            }
        }
    }

    /// After a restore: carry on keeping the backup's plans in step (the
    /// engine decides; see `engine/live/asks.rs`). Returns how many plans
    /// this device does not keep: the carer allows it from the link.
    pub(in crate::web::app) async fn restore_keeps(
        &self,
        s: &crate::share::backup::DeviceSettings,
    ) -> usize {
        if s.sync_key.is_none() {
            return 0;
        }
        let ask = LiveAsk::Restore {
            sync_key: s.sync_key.clone(),
            keeps: s
                .keeps
                .iter()
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        };
        match self.ask_live(ask).await {
            LiveAnswer::Restored {
                not_restored,
                device_key,
            } => {
                if let Some(key) = device_key.as_deref() {
                    settings::set_sync_device_key(key);
                }
                not_restored as usize
            }
            _ => s.keeps.len(),
        }
    }
}
