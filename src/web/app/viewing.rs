//! A plan open through the engine worker, the page holding no copy of it
//! (docs/engine-documents.md, steps 2 and 3): the engine opens it
//! (`Request::Open`, with what the page journaled and who uses the
//! device), the page shows the values it answers with and keeps their
//! version, keys go as `Request::Type` (`typing.rs`) and named changes as
//! `Request::Change` (`changing.rs`), and what another tab or live sync
//! stored is read again by the engine (`reopen`), never merged on the
//! page. A plan the engine finds missing or damaged is said so from its
//! answer; when no engine can answer, the plan's page says so and what was
//! typed waits in the journal. The page never loads a plan's documents.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::text::moved_through;
use crate::plan::{Field, PlanId, Version};
use crate::web::engine::protocol::{Create, Journaled, NotOpened, Open, Opened, Reply};

use super::super::platform::journal;
use super::{now_ms, App, AppError, Opening, SaveStatus, Shown};

/// What became of opening a plan through the engine.
pub(super) enum InEngine {
    Opened,
    NotOpened(NotOpened),
    NoEngine,
}

/// How long a save told waits before the plan is read again, so that the
/// saves of a burst are read together.
const REOPEN_AFTER_MS: i32 = 200;

impl App {
    /// Whether `id` is open through the engine (no copy on the page).
    pub(super) fn viewing(&self, id: &PlanId) -> bool {
        self.inner()
            .is_some_and(|i| i.views.try_borrow().is_ok_and(|v| v.contains_key(id)))
    }

    /// The version of the values on screen of a plan open through the engine.
    pub(super) fn view_heads(&self, id: &PlanId) -> Option<Version> {
        self.inner()?.views.try_borrow().ok()?.get(id).cloned()
    }

    pub(super) fn set_view_heads(&self, id: &PlanId, heads: Version) {
        if let Some(i) = self.inner() {
            if let Ok(mut views) = i.views.try_borrow_mut() {
                views.insert(id.clone(), heads);
            }
        }
    }

    /// The open request for `id`: the page's journal for it, and who uses
    /// this device.
    fn open_request(&self, id: &PlanId, me: bool) -> Option<Open> {
        let actor = self.actor()?;
        Some(Open {
            plan: id.clone(),
            journal: journal::read(id).unwrap_or_default(),
            journaled: journal::read_journaled(id),
            earlier_journal: journal::read_earlier(id),
            me: me.then(|| self.me()),
            device: actor.as_str().to_owned(),
            by: self.tab_id().unwrap_or(0),
        })
    }

    /// Open `id` through the engine: `Opened` when it did (and the plan is
    /// on screen if it is still wanted); `NotOpened` when the engine says
    /// it is not here or cannot be read (what the screens say); `NoEngine`
    /// when none could answer.
    pub(super) async fn open_in_engine(&self, id: &PlanId) -> InEngine {
        let (Ok(engine), Some(ask)) = (self.engine_link(), self.open_request(id, true)) else {
            return InEngine::NoEngine;
        };
        let journaled =
            !ask.journal.is_empty() || !ask.journaled.is_empty() || ask.earlier_journal.is_some();
        let opened = match engine.open(ask).await {
            Some(Reply::Opened(opened)) => opened,
            Some(Reply::NotOpened(why)) => return InEngine::NotOpened(why),
            _ => return InEngine::NoEngine,
        };
        // Stored by the engine before it answered.
        if journaled {
            journal::clear(id);
            journal::clear_journaled(id);
        }
        if let Some(i) = self.inner() {
            i.journal_kept.borrow_mut().retain(|p| p != id);
        }
        self.opened(id, *opened);
        let stale = self
            .inner()
            .and_then(|i| i.stored_while_opening.borrow_mut().take());
        if stale.as_ref() == Some(id) {
            self.reopen(id);
        }
        InEngine::Opened
    }

    /// The engine found the plan missing or its bytes damaged: said so, if
    /// the person still wants it (the damaged bytes kept to download).
    pub(super) fn not_opened(&self, id: PlanId, why: NotOpened) {
        let still_wanted =
            matches!(self.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == id);
        match why {
            NotOpened::NotFound if still_wanted => self.ui.opening.set(Opening::NotFound(id)),
            NotOpened::NotFound => {}
            NotOpened::Damaged { message, raw } => {
                if let Some(i) = self.inner() {
                    i.damaged.borrow_mut().insert(id.clone(), raw);
                }
                if still_wanted {
                    self.ui.opening.set(Opening::Damaged { id, message });
                }
            }
        }
    }

    /// Show what the engine opened, if the person still wants it.
    fn opened(&self, id: &PlanId, opened: Opened) {
        let Opened { plan, parts, heads } = opened;
        self.set_view_heads(id, heads);
        let wanted = matches!(
            self.ui.opening.get_untracked(),
            Opening::Loading(ref l) | Opening::Ready(ref l) if l == id
        );
        if !wanted {
            return;
        }
        self.show_plan_with(id, Some(plan), parts, false);
        if !matches!(self.ui.opening.get_untracked(), Opening::Ready(ref r) if r == id) {
            self.ui.opening.set(Opening::Ready(id.clone()));
            if let Some(inner) = self.inner() {
                inner.refused.set(false);
            }
            self.set_status(id, SaveStatus::Saved);
        }
    }

    /// Read the open plan again from the engine (another tab or live sync
    /// stored a change, or a key was placed through words its box had not
    /// shown) and show it, with what is still in the engine's hands over
    /// it. Asked many times at once, it reads at most once more after the
    /// read in progress.
    pub(super) fn reopen(&self, id: &PlanId) {
        let Some(inner) = self.inner() else { return };
        if !self.viewing(id) {
            return;
        }
        if inner.reopening.get() {
            inner.reopen_again.set(true);
            return;
        }
        inner.reopening.set(true);
        let (app, id) = (*self, id.clone());
        spawn_local(async move {
            loop {
                // A burst of saves (live sync taking in a caseload's
                // bundles, her other tab typing) is read once.
                super::super::platform::events::sleep_ms(REOPEN_AFTER_MS).await;
                app.read_again(&id).await;
                let Some(inner) = app.inner() else { return };
                if !inner.reopen_again.replace(false) {
                    inner.reopening.set(false);
                    return;
                }
            }
        });
    }

    /// Read the open plan again from the engine now, and show it (a copy
    /// added, a share recorded: the screens that follow show it).
    pub(super) async fn read_again(&self, id: &PlanId) {
        let (Ok(engine), Some(ask)) = (self.engine_link(), self.open_request(id, false)) else {
            return;
        };
        let ask = Open {
            journal: Vec::new(),
            journaled: Journaled::default(),
            earlier_journal: None,
            ..ask
        };
        if let Some(Reply::Opened(opened)) = engine.open(ask).await {
            if self.viewing(id) && self.is_current(id) {
                self.opened(id, *opened);
            }
        }
    }

    /// Start a new plan in the engine: the page gives it its id and shows
    /// it once it is made and stored. With no engine, the plan's page says
    /// so and nothing is made.
    pub(super) fn create_in_engine(&self, id: &PlanId, framework: &str) {
        self.ui.opening.set(Opening::Loading(id.clone()));
        self.ui.plan.set(None);
        self.set_parts(Vec::new());
        let (Ok(engine), Some(actor)) = (self.engine_link(), self.actor()) else {
            self.not_made(id, Some(framework));
            return self
                .ui
                .opening
                .set(Opening::Failed(AppError::NoEngine.to_string()));
        };
        let ask = Create {
            plan: id.clone(),
            me: self.me(),
            framework: framework.to_owned(),
            at_ms: now_ms(),
            device: actor.as_str().to_owned(),
            by: self.tab_id().unwrap_or(0),
        };
        let (app, plan, framework) = (*self, id.clone(), framework.to_owned());
        spawn_local(async move {
            let failed = match engine.create(ask).await {
                Some(Reply::Opened(opened)) => {
                    app.opened(&plan, *opened);
                    app.refresh_list();
                    return;
                }
                None => AppError::NoEngine,
                Some(_) => AppError::NotMadeNow,
            };
            app.not_made(&plan, Some(&framework));
            if matches!(app.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == plan) {
                app.ui.opening.set(Opening::Failed(failed.to_string()));
            }
        });
    }

    /// Note a new plan no engine could make (`Some(framework)`), or take
    /// the note of `id` (`None`): what it was to be made with, if it was.
    pub(super) fn not_made(&self, id: &PlanId, framework: Option<&str>) -> Option<String> {
        let inner = self.inner()?;
        let mut note = inner.not_made.borrow_mut();
        match framework {
            Some(f) => {
                *note = Some((id.clone(), f.to_owned()));
                None
            }
            None if note.as_ref().is_some_and(|(n, _)| n == id) => note.take().map(|(_, f)| f),
            None => None,
        }
    }

    /// What a box for `field` shows: the answer's text, and the plan's
    /// version it is read at.
    pub fn shown(&self, id: &PlanId, field: &Field) -> Option<(String, Shown)> {
        // A box typing through the engine: its text, and the box goes on.
        let open = self.box_in_flight(id, field);
        if open.is_some() {
            return open;
        }
        let heads = self.view_heads(id)?;
        let text = self
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(|p| field.value_in(p)))?;
        Some((text, Shown::At(heads)))
    }

    /// Where a caret at `caret` (characters) in a box that showed `then`
    /// (its text and token) belongs in `now`, the answer as it is now,
    /// through the two texts (`plan::text::moved_through`).
    pub fn caret_now(&self, then: &(String, Shown), now: &str, caret: usize) -> usize {
        let old: Vec<char> = then.0.chars().collect();
        let now: Vec<char> = now.chars().collect();
        moved_through(&old, &now, caret)
    }
}
