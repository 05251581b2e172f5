//! Saving the open plans, and taking in what other tabs saved.
//!
//! Every change starts a save at once (its IndexedDB requests are issued
//! inside the input event). One write per plan is in flight at a time;
//! changes made meanwhile go together in the next, so fast typing makes few
//! writes. Saving as soon as possible matters: Chromium aborts an IndexedDB
//! transaction still open when the page unloads, so a delayed save can be
//! lost to a reload. The page being hidden or closed writes the unsaved
//! changes to the synchronous journal too. A failed write leaves the change
//! on screen and in memory, says so, and is retried.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::summary::PlanSummary;
use crate::plan::PlanId;

use super::super::platform::journal;
use super::super::platform::plan_store;
use super::super::platform::service_worker;
use super::super::route::Route;
use super::{now_ms, App, SaveStatus, Touched};

const RETRY_MS: std::time::Duration = std::time::Duration::from_millis(3000);
/// How long saves may be in flight before the line says "Saving…" (ms).
const SAY_SAVING_AFTER_MS: f64 = 1000.0;

/// For the benchmarks (`scripts/bench.mjs`): when a write is handed to
/// IndexedDB or the engine (`csp-write`) and when it is durable
/// (`csp-saved`), as `performance.now()` in `window.__cspMarks[name]`. Only
/// the latest of each is kept. Only on a device where the benchmark set
/// `csp.bench` (read once). Not `performance.mark`: making and clearing a
/// mark cost the keystroke it measured about 3 ms at 4x CPU, in the very
/// task the keystroke-to-paint figure waits for.
pub(super) fn bench_mark(name: &str) {
    thread_local! {
        static ON: bool = web_sys::window()
            .and_then(|w| w.local_storage().ok().flatten())
            .and_then(|s| s.get_item("csp.bench").ok().flatten())
            .is_some();
    }
    if !ON.with(|on| *on) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let Some(now) = window.performance().map(|p| p.now()) else {
        return;
    };
    let key = wasm_bindgen::JsValue::from_str("__cspMarks");
    let marks = js_sys::Reflect::get(&window, &key)
        .ok()
        .filter(|m| m.is_object())
        .unwrap_or_else(|| {
            let m = js_sys::Object::new().into();
            let _ = js_sys::Reflect::set(&window, &key, &m);
            m
        });
    // A value the browser refuses only leaves the benchmark without a figure.
    let _ = js_sys::Reflect::set(&marks, &name.into(), &now.into());
}

impl App {
    /// Refresh the list of plans on the home page.
    ///
    /// Asked for many times at once (a restore's hundreds of plans, each
    /// announced by the engine), it reads the list at most once more after
    /// the read in progress, not once a plan.
    pub fn refresh_list(&self) {
        let Some(inner) = self.inner() else { return };
        if inner.listing.get() {
            inner.listing_again.set(true);
            return;
        }
        inner.listing.set(true);
        let app = *self;
        spawn_local(async move {
            loop {
                app.list_now().await;
                let Some(inner) = app.inner() else { return };
                if !inner.listing_again.replace(false) {
                    inner.listing.set(false);
                    return;
                }
            }
        });
    }

    /// Read the list of plans from storage now, and show it.
    pub async fn list_now(&self) {
        let Ok(db) = self.db() else { return };
        match plan_store::list(&db).await {
            Ok(list) => self.ui.plans.set(list),
            Err(e) => self.ui.storage_problem.set(Some(e.to_string())),
        }
    }

    /// What the open plan's save line says. A save in flight is not said at
    /// once: each key's save is on the device within milliseconds, and a
    /// line (a live region, read out by screen readers) that flipped to
    /// "Saving…" and back twice a key would be noise, and work on every
    /// key. "Saving…" is shown only when saves have been in flight without
    /// a break for `SAY_SAVING_AFTER_MS` (slow storage, an engine starting
    /// again); anything else is shown at once, and only when it changes.
    pub(super) fn set_status(&self, id: &PlanId, status: SaveStatus) {
        let Some(inner) = self.inner() else { return };
        if !self.is_current(id) {
            return;
        }
        // A named change is still in the engine's hands: not saved yet.
        let status = match status {
            SaveStatus::Saved if self.in_flight(id) || self.typing(id) => SaveStatus::Saving,
            other => other,
        };
        if status != SaveStatus::Saving {
            inner.saving_since.set(None);
            if self.ui.saving.get_untracked() {
                self.ui.saving.set(false);
            }
            match status {
                SaveStatus::NotSaved => inner.refused.set(true),
                SaveStatus::Saved if inner.refused.get() => return,
                _ => {}
            }
            if self.ui.save.with_untracked(|s| *s != status) {
                self.ui.save.set(status);
            }
            return;
        }
        if inner.saving_since.get().is_none() {
            inner.saving_since.set(Some(js_sys::Date::now()));
            self.ui.saving.set(true);
        }
        // One timer at a time, not one a key: when it fires it looks at the
        // saves in flight then, and waits again for what is left of theirs.
        if !inner.saving_timer.replace(true) {
            self.say_saving_after(SAY_SAVING_AFTER_MS);
        }
    }

    fn say_saving_after(&self, ms: f64) {
        let app = *self;
        // A timer the browser refuses only leaves the line as it was.
        leptos::prelude::set_timeout(
            move || {
                let Some(inner) = app.inner() else { return };
                let Some(since) = inner.saving_since.get() else {
                    inner.saving_timer.set(false);
                    return;
                };
                let waited = js_sys::Date::now() - since;
                if waited < SAY_SAVING_AFTER_MS {
                    return app.say_saving_after(SAY_SAVING_AFTER_MS - waited);
                }
                inner.saving_timer.set(false);
                if !matches!(
                    app.ui.save.get_untracked(),
                    SaveStatus::NotKept(_) | SaveStatus::Saving
                ) {
                    app.ui.save.set(SaveStatus::Saving);
                }
            },
            std::time::Duration::from_millis(ms.ceil() as u64),
        );
    }

    /// The page is being hidden or closed: keep every change not yet
    /// confirmed in IndexedDB in the synchronous journal, and start saving
    /// it too.
    pub fn flush_all(&self) {
        self.flush_in_flight();
        self.journal_in_hand();
        self.flush_live();
        let Some(inner) = self.inner() else { return };
        let pending: Vec<(PlanId, Option<Vec<u8>>)> = match inner.sessions.try_borrow_mut() {
            Ok(mut sessions) => sessions
                .iter_mut()
                .map(|(id, s)| {
                    let bytes = s.log.pending(&s.doc).map(|p| p.bytes);
                    s.journaled |= bytes.is_some();
                    (id.clone(), bytes)
                })
                .collect(),
            Err(_) => return,
        };
        for (id, bytes) in pending {
            if let Some(b) = bytes {
                journal::write(&id, &b);
            }
            self.save_now(id);
        }
    }

    /// **The one place a change this device made to an open plan is
    /// announced**, after the plan operation made it: the screen shows it
    /// (for a keystroke, `Touched::Part`, only that part is read again), the
    /// status says it is not on the device yet, and saving starts. Anything
    /// that must follow every change (sending it to others) starts here.
    pub(super) fn changed(&self, id: &PlanId, touched: Touched) {
        match &touched {
            Touched::Typed { field, text } => self.publish_typed(id, field, text),
            Touched::Part(part) => self.publish_part(id, part),
            Touched::Plan => self.publish(id),
        }
        // Something was taken: a refusal before it no longer stands.
        if let Some(inner) = self.inner() {
            inner.refused.set(false);
        }
        self.set_status(id, SaveStatus::Saving);
        self.save_now(id.clone());
    }

    /// Write what is not yet stored, if no write for this plan is in flight.
    pub fn save_now(&self, id: PlanId) {
        // A plan open through the engine: the engine stores every change
        // it makes; saved once nothing is in its hands.
        if self.viewing(&id) {
            return self.set_status(&id, SaveStatus::Saved);
        }
        let db = self.db();
        let now = now_ms();
        // The list entry from the plan on screen, read in place (not copied).
        let summary = if self.is_current(&id) {
            self.ui
                .plan
                .with_untracked(|p| p.as_ref().map(|p| PlanSummary::of(p, now)))
        } else {
            None
        };
        let nonce = self.next_nonce();
        // The engine compacts the stored chunks when it can (`compact_soon`).
        let engine_free = self.engine_link().is_ok_and(|l| l.free());
        enum Next {
            Nothing,
            Saved,
            NotKept(String),
            Write(plan_store::PreparedSave),
        }
        let next = self.with_session(&id, |s| {
            if s.writing {
                s.again = true;
                return Next::Nothing;
            }
            if let Err(e) = &db {
                return if s.log.is_saved(&s.doc) {
                    Next::Nothing
                } else {
                    Next::NotKept(e.to_string())
                };
            }
            let compact_here = !engine_free || s.compact_here;
            match plan_store::prepare(&s.doc, summary, &s.log, now, nonce, compact_here) {
                Some(p) => {
                    s.writing = true;
                    if p.compacts() {
                        s.compact_here = false;
                    }
                    Next::Write(p)
                }
                None => Next::Saved,
            }
        });
        let mut prepared = match (next, db) {
            (Ok(Next::Write(p)), Ok(db)) => (p, db),
            (Ok(Next::Saved), _) => {
                return self.set_status(&id, SaveStatus::Saved);
            }
            (Ok(Next::NotKept(why)), _) => return self.set_status(&id, SaveStatus::NotKept(why)),
            _ => return,
        };
        bench_mark("csp-write");
        let write = prepared.0.take_write();
        self.set_status(&id, SaveStatus::Saving);
        let app = *self;
        spawn_local(async move {
            let (done, db) = prepared;
            let result = app.write_save(&db, &id, write).await;
            let more = app.with_session(&id, |s| {
                s.writing = false;
                if result.is_ok() {
                    done.record(&mut s.log);
                }
                let more = std::mem::take(&mut s.again) || !s.log.is_saved(&s.doc);
                let journaled = s.journaled && result.is_ok() && !more;
                if journaled {
                    s.journaled = false;
                }
                (more, journaled)
            });
            let Ok((more, journaled)) = more else { return };
            match result {
                Ok(()) => {
                    bench_mark("csp-saved");
                    if journaled {
                        journal::clear(&id);
                    }
                    service_worker::ask_to_persist(app);
                    // The list is read again when the home page shows it.
                    // (once for many saves: a caseload taking in many plans).
                    if matches!(app.ui.route.get_untracked(), Route::Home) {
                        app.refresh_list_soon();
                    }
                    app.compact_soon(&id);
                    if more {
                        app.save_now(id);
                    } else {
                        app.set_status(&id, SaveStatus::Saved);
                    }
                }
                Err(e) => {
                    app.set_status(&id, SaveStatus::NotKept(e.to_string()));
                    // A timer the browser refuses only delays the retry to the next change.
                    leptos::prelude::set_timeout(move || app.save_now(id), RETRY_MS);
                }
            }
        });
    }
}
