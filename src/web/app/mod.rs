//! The app's context: this device's actor, storage, the open plans, and the
//! signals the screens read. Made once at start, provided to every screen
//! through Leptos context ([`use_app`]) and handed to the browser's event
//! listeners; there is no global.
//!
//! Screens change a plan only through the named operations on [`App`]
//! (`plans.rs`: open, type an answer, make an [`crate::plan::Edit`], sign
//! off…; `sharing.rs`: send, add a copy), each returning an [`AppError`]
//! the screen shows. Saving (`saving.rs`) follows every change.

mod backup;
mod changing;
mod error;
mod in_flight;
mod in_hand;
mod live;
mod other_tabs;
mod plans;
mod reading;
mod saving;
mod sharing;
mod showing;
mod typing;
mod viewing;
mod writing;

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use crate::plan::summary::PlanSummary;
use crate::plan::{DeviceActor, Participant, Plan, PlanId, Role};

use super::platform::idb::{Db, StoreError};
use super::platform::settings;
use super::platform::tabs::Tabs;
use super::route::{self, Route};

pub use backup::{BackedUp, Progress, Restored};
pub use error::AppError;
pub use live::{Connection, Joining, KeepView, LiveState};
pub use sharing::Imported;
pub use typing::{Key, Shown};

/// What the screens show about saving the open plan.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Saved,
    Saving,
    /// Changes are on screen and in memory but not kept on the device; the
    /// app keeps retrying.
    NotKept(String),
    /// The last thing typed was refused (an answer too long to keep): the
    /// answer's own message says why, and what is stored is as it was.
    NotSaved,
}

/// The open plan's state, as the screens see it.
#[derive(Debug, Clone, PartialEq)]
pub enum Opening {
    Nothing,
    Loading(PlanId),
    Ready(PlanId),
    NotFound(PlanId),
    /// Stored bytes that cannot be read: the message, and nothing else is touched.
    Damaged {
        id: PlanId,
        message: String,
    },
    Failed(String),
}

/// Signals read by the screens. All `Copy`.
#[derive(Clone, Copy)]
pub struct Ui {
    pub route: RwSignal<Route>,
    pub plans: RwSignal<Vec<PlanSummary>>,
    /// Why storage is not working, if it is not.
    pub storage_problem: RwSignal<Option<String>>,
    pub opening: RwSignal<Opening>,
    /// The open plan, read again after every change.
    pub plan: RwSignal<Option<Plan>>,
    /// The sections its copy holds, with those a change in flight adds.
    pub parts: RwSignal<Vec<crate::plan::Section>>,
    /// An item is being added to one of its lists (`App::add_item`).
    pub adding: RwSignal<bool>,
    pub save: RwSignal<SaveStatus>,
    /// Saves of the open plan are in flight (the save line's `aria-busy`:
    /// not read out, unlike its words, which change only after a while).
    pub saving: RwSignal<bool>,
    /// A one-off message for the next page ("Your plan has been deleted"):
    /// set with [`Ui::notify`], gone when the person moves on from it.
    pub notice: RwSignal<Option<String>>,
    /// The notice was set for the page being moved to, not yet left.
    pub notice_fresh: RwSignal<bool>,
    /// Something the person asked for could not be done: shown in a banner
    /// at the top of the page until they move on.
    pub problem: RwSignal<Option<String>>,
    /// A new version of the app is installed and waiting.
    pub update_ready: RwSignal<bool>,
    /// Who uses this device (`None` until they have said): the one source
    /// of the role, kept in step with localStorage by [`App::set_role`].
    pub role: RwSignal<Option<Role>>,
    /// Plans kept in step live, and the connection to the relay.
    pub live: RwSignal<LiveState>,
    /// Bumped when another tab records what a person has seen of a plan.
    pub seen: RwSignal<u32>,
}

impl Ui {
    /// Say something on the page the person is about to see (and only there).
    pub fn notify(&self, text: &str) {
        self.notice.set(Some(text.to_owned()));
        self.notice_fresh.set(true);
    }

    /// The person moved to another page: a notice stays for the page it was
    /// meant for and is gone from the one after.
    pub fn moved_on(&self) {
        if self.notice_fresh.get_untracked() {
            self.notice_fresh.set(false);
        } else if self.notice.get_untracked().is_some() {
            self.notice.set(None);
        }
    }
}

/// What the context holds besides the signals.
pub(crate) struct Inner {
    actor: DeviceActor,
    db: RefCell<Result<Db, StoreError>>,
    tabs: RefCell<Option<Tabs>>,
    /// The page's own event listeners, removed when the app goes.
    listeners: RefCell<Vec<super::platform::events::Listener>>,
    /// Raw bytes of plans that could not be read, for "Download the saved data".
    damaged: RefCell<HashMap<PlanId, Vec<u8>>>,
    /// "Update now" was pressed: reload when the new version takes over.
    pub(crate) updating: Cell<bool>,
    /// The browser was asked to keep our data (once per visit).
    pub(crate) asked_to_persist: Cell<bool>,
    /// The list is being read again (`refresh_list`); `again`: asked for
    /// once more meanwhile, so it is read once more after.
    listing: Cell<bool>,
    listing_again: Cell<bool>,
    /// Since when (`Date.now()`) the open plan has had saves in flight
    /// without a break, if it has; and whether a timer will look at it
    /// (`App::set_status`: the line says "Saving…" only after a while).
    saving_since: Cell<Option<f64>>,
    saving_timer: Cell<bool>,
    /// The last thing typed was refused (`SaveStatus::NotSaved`) and
    /// nothing was taken since: a save of what came before, finishing
    /// now, does not make the line say "Saved".
    refused: Cell<bool>,
    live: RefCell<live::Live>,
    /// Plans open through the engine, the page holding no copy of them
    /// (`viewing.rs`): the version of the values on screen.
    views: RefCell<HashMap<PlanId, crate::plan::Version>>,
    /// The open plan is being read again from the engine (`App::reopen`);
    /// `again`: asked for once more meanwhile.
    reopening: Cell<bool>,
    reopen_again: Cell<bool>,
    /// Another tab or live sync stored a change of the plan being opened:
    /// it is read again once opened (the engine may have opened it first).
    stored_while_opening: RefCell<Option<PlanId>>,
    /// Plans whose journal holds words no engine could take (none runs):
    /// kept there until the plan is next opened through an engine.
    journal_kept: RefCell<Vec<PlanId>>,
    /// A new plan no engine could make (none could start): made when it is
    /// asked for again ("Try again"), with the framework it was to have.
    not_made: RefCell<Option<(PlanId, String)>>,
    /// Named changes made beside the page, not answered yet, with their
    /// times (`changing.rs`).
    in_flight: RefCell<in_flight::InFlight>,
    /// An item being added (`App::add_item`): a second press adds nothing.
    adding: std::cell::Cell<bool>,
    /// Answers' boxes typing through the engine (`typing.rs`).
    boxes: RefCell<typing::Boxes>,
    /// The engine worker beside the page (`web/engine/`).
    engine: super::engine::EngineLink,
}

/// The app's context: a `Copy` handle to the shared state and the signals.
#[derive(Clone, Copy)]
pub struct App {
    inner: StoredValue<Rc<Inner>, LocalStorage>,
    pub ui: Ui,
}

/// The app's context, from inside any screen.
pub fn use_app() -> App {
    use_context::<App>().expect("the app's context is provided when the app is mounted")
}

impl App {
    /// Make the context, once, before the app is mounted.
    pub fn new(actor: DeviceActor) -> App {
        let ui = Ui {
            route: RwSignal::new(route::current()),
            plans: RwSignal::new(Vec::new()),
            storage_problem: RwSignal::new(None),
            opening: RwSignal::new(Opening::Nothing),
            plan: RwSignal::new(None),
            parts: RwSignal::new(Vec::new()),
            adding: RwSignal::new(false),
            save: RwSignal::new(SaveStatus::Saved),
            saving: RwSignal::new(false),
            notice: RwSignal::new(None),
            notice_fresh: RwSignal::new(false),
            problem: RwSignal::new(None),
            update_ready: RwSignal::new(false),
            role: RwSignal::new(settings::role()),
            live: RwSignal::new(LiveState::default()),
            seen: RwSignal::new(0),
        };
        let inner = Rc::new(Inner {
            actor,
            db: RefCell::new(Err(StoreError::Unavailable("still opening".into()))),
            tabs: RefCell::new(None),
            listeners: RefCell::new(Vec::new()),
            damaged: RefCell::new(HashMap::new()),
            updating: Cell::new(false),
            asked_to_persist: Cell::new(false),
            listing: Cell::new(false),
            listing_again: Cell::new(false),
            saving_since: Cell::new(None),
            saving_timer: Cell::new(false),
            refused: Cell::new(false),
            live: RefCell::new(live::Live::default()),
            views: RefCell::new(HashMap::new()),
            reopening: Cell::new(false),
            reopen_again: Cell::new(false),
            stored_while_opening: RefCell::new(None),
            journal_kept: RefCell::new(Vec::new()),
            not_made: RefCell::new(None),
            in_flight: RefCell::new(in_flight::InFlight::default()),
            adding: std::cell::Cell::new(false),
            boxes: RefCell::new(typing::Boxes::default()),
            engine: super::engine::EngineLink::default(),
        });
        App {
            inner: StoredValue::new_local(inner),
            ui,
        }
    }

    pub(crate) fn inner(&self) -> Option<Rc<Inner>> {
        self.inner.try_get_value()
    }

    /// Start the engine worker beside the page, so it is ready when a
    /// lock's key is needed.
    pub fn start_engine(&self) {
        if let Some(i) = self.inner() {
            i.engine.start();
        }
    }

    /// The page's end of the engine worker.
    pub(crate) fn engine_link(&self) -> Result<super::engine::EngineLink, AppError> {
        self.inner()
            .map(|i| i.engine.clone())
            .ok_or(AppError::NotReady)
    }

    pub fn set_db(&self, db: Result<Db, StoreError>) {
        if let Some(i) = self.inner() {
            *i.db.borrow_mut() = db;
        }
    }

    /// Keep a listener for as long as the app lives.
    pub fn keep(&self, listener: Option<super::platform::events::Listener>) {
        if let (Some(i), Some(l)) = (self.inner(), listener) {
            i.listeners.borrow_mut().push(l);
        }
    }

    pub fn set_tabs(&self, tabs: Tabs) {
        if let Some(i) = self.inner() {
            *i.tabs.borrow_mut() = Some(tabs);
        }
    }

    fn db(&self) -> Result<Db, AppError> {
        let inner = self.inner().ok_or(AppError::NotReady)?;
        let db = inner.db.try_borrow().map_err(|_| AppError::Busy)?.clone();
        db.map_err(AppError::Storage)
    }

    /// This device's id.
    pub fn my_device(&self) -> String {
        self.inner()
            .map(|i| i.actor.as_str().to_owned())
            .unwrap_or_default()
    }

    pub(crate) fn actor(&self) -> Option<DeviceActor> {
        self.inner().map(|i| i.actor.clone())
    }

    /// Who uses this device, as recorded in the plans they edit.
    pub fn me(&self) -> Participant {
        Participant {
            name: settings::my_name(),
            role: self.ui.role.get_untracked().unwrap_or(Role::Carer),
        }
    }

    /// Whether this device's user is a key worker (reactive).
    pub fn is_worker(&self) -> bool {
        self.ui.role.get() == Some(Role::KeyWorker)
    }

    /// Say who uses this device: stored, and every screen follows.
    pub fn set_role(&self, role: Role) {
        settings::set_role(role);
        self.ui.role.set(Some(role));
        // A carer's next step is starting her plan, which the engine
        // makes: it downloads while she reads the page.
        if role == Role::Carer {
            self.start_engine();
        }
    }

    /// Show a problem in the banner (or clear it).
    pub fn show_problem(&self, problem: Option<&AppError>) {
        self.ui.problem.set(problem.map(|p| p.to_string()));
    }

    /// Whether `id` is the plan on screen.
    fn is_current(&self, id: &PlanId) -> bool {
        matches!(self.ui.opening.get_untracked(), Opening::Ready(ref open) if open == id)
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// The person's date today in the browser's time zone: the one "today"
/// every screen uses, so a review is due (`plan::review::review_flag`) on
/// the same day on the plan's page, in the caseload's tags and in its
/// "Show" list, also just after midnight.
pub fn today() -> chrono::NaiveDate {
    let now = js_sys::Date::new_0();
    // `getTimezoneOffset` is UTC minus local time, in minutes.
    let offset = -(now.get_timezone_offset() as i64);
    crate::plan::date::local_date(now.get_time() as i64, offset).unwrap_or_default()
}
