//! The browser side's state: the database, this device's actor, the open
//! plans, and the signals the screens read.
//!
//! Plans stay open (in memory) for the life of the page once opened, so a
//! plan left mid-save when the person moves to another page still finishes
//! saving.

use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::rc::Rc;

use leptos::prelude::*;

use crate::core::persist::ChunkLog;
use crate::core::plan::Plan;
use crate::core::summary::PlanSummary;
use crate::core::{DeviceActor, PlanDoc, PlanId};

use super::idb::{Db, StoreError};
use super::route::{self, Route};
use super::tabs::Tabs;

/// What the screens show about saving the open plan.
#[derive(Debug, Clone, PartialEq)]
pub enum SaveStatus {
    Saved,
    Saving,
    /// Changes are on screen and in memory but not kept on the device; the
    /// app keeps retrying.
    NotKept(String),
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
    /// The open plan, hydrated after every change.
    pub plan: RwSignal<Option<Plan>>,
    pub save: RwSignal<SaveStatus>,
    /// A one-off message for the home page ("Your plan has been deleted").
    pub notice: RwSignal<Option<String>>,
    /// A new version of the app is installed and waiting.
    pub update_ready: RwSignal<bool>,
    /// Who uses this device (`None` until they have said).
    pub role: RwSignal<Option<crate::core::plan::Role>>,
}

/// One open plan.
pub struct Session {
    pub doc: PlanDoc,
    pub log: ChunkLog,
    pub writing: bool,
    pub again: bool,
}

impl Session {
    pub fn new(doc: PlanDoc, log: ChunkLog) -> Self {
        Session {
            doc,
            log,
            writing: false,
            again: false,
        }
    }
}

pub struct State {
    pub ui: Ui,
    pub actor: DeviceActor,
    pub db: RefCell<Result<Db, StoreError>>,
    pub tabs: RefCell<Option<Tabs>>,
    pub sessions: RefCell<HashMap<PlanId, Session>>,
    /// Raw bytes of plans that could not be read, for "Download the saved data".
    pub damaged: RefCell<HashMap<PlanId, Vec<u8>>>,
    nonce: Cell<u32>,
}

thread_local! {
    static STATE: RefCell<Option<Rc<State>>> = const { RefCell::new(None) };
}

/// Make the state, once, before the app is mounted.
pub fn init(actor: DeviceActor) -> Rc<State> {
    let ui = Ui::new(route::current());
    let state = Rc::new(State {
        ui,
        actor,
        db: RefCell::new(Err(StoreError::Unavailable("still opening".into()))),
        tabs: RefCell::new(None),
        sessions: RefCell::new(HashMap::new()),
        damaged: RefCell::new(HashMap::new()),
        nonce: Cell::new((js_sys::Math::random() * f64::from(u32::MAX)) as u32),
    });
    STATE.with(|s| *s.borrow_mut() = Some(state.clone()));
    state
}

pub fn get() -> Option<Rc<State>> {
    STATE.with(|s| s.borrow().clone())
}

/// The screens' signals. Only called after [`init`]; before it, a set of
/// fresh signals that nothing writes to.
pub fn ui() -> Ui {
    match get() {
        Some(s) => s.ui,
        None => Ui::new(Route::Home),
    }
}

impl Ui {
    fn new(route: Route) -> Ui {
        Ui {
            route: RwSignal::new(route),
            plans: RwSignal::new(Vec::new()),
            storage_problem: RwSignal::new(None),
            opening: RwSignal::new(Opening::Nothing),
            plan: RwSignal::new(None),
            save: RwSignal::new(SaveStatus::Saved),
            notice: RwSignal::new(None),
            update_ready: RwSignal::new(false),
            role: RwSignal::new(super::settings::role()),
        }
    }
}

impl State {
    pub fn db(&self) -> Result<Db, StoreError> {
        self.db.borrow().clone()
    }

    pub fn next_nonce(&self) -> u32 {
        let n = self.nonce.get().wrapping_add(1);
        self.nonce.set(n);
        n
    }

    /// Whether `id` is the plan on screen.
    pub fn is_current(&self, id: &PlanId) -> bool {
        matches!(self.ui.opening.get_untracked(), Opening::Ready(ref open) if open == id)
    }

    /// Show the open plan's latest content.
    pub fn publish(&self, id: &PlanId) {
        if !self.is_current(id) {
            return;
        }
        let plan = self
            .sessions
            .borrow()
            .get(id)
            .and_then(|s| s.doc.plan().ok());
        self.ui.plan.set(plan);
    }
}

pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}
