//! What the save line says of the open plan, and the list of plans. The
//! engine worker stores every change it makes (each key, each named
//! change) and answers once it is in IndexedDB; the page says "Saved on
//! this device" once nothing of the plan is in the engine's hands, and
//! "Saving…" only when saves have been in flight for a while. The page
//! being hidden or closed journals what is still in the engine's hands
//! (`in_hand.rs`).

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::PlanId;

use super::super::platform::plan_store;
use super::{App, SaveStatus};

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
            // No storage on this device: the engine keeps the plan in its
            // memory only, and the line says it is not kept.
            SaveStatus::Saved => match self.db() {
                Err(e) => SaveStatus::NotKept(e.to_string()),
                Ok(_) => SaveStatus::Saved,
            },
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

    /// The page is being hidden or closed: what is in the engine's hands
    /// is journaled (the synchronous journal), as is live sync's state.
    pub fn flush_all(&self) {
        self.journal_in_hand();
        self.flush_live();
    }
}
