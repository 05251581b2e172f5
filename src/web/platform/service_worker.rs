//! Working with no signal: the service worker that serves the app from its
//! cache (written after the build by scripts/post-build.mjs), updates that
//! wait until the person is ready, and asking the browser to keep our data.

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::{spawn_local, JsFuture};
use web_sys::{ServiceWorker, ServiceWorkerRegistration};

use super::events::listen;
use crate::web::app::App;

/// Register the service worker. A new version installs in the background;
/// when one is waiting, the screens offer "Update now".
pub fn register(app: App) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let container = window.navigator().service_worker();
    // Reload into the new version only when the person asked for it (the
    // first visit's worker also changes the controller, by claiming the page).
    app.keep(listen(&container, "controllerchange", move |_| {
        if app.inner().is_some_and(|i| i.updating.get()) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    }));
    spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let Ok(reg) = reg.dyn_into::<ServiceWorkerRegistration>() else {
            return;
        };
        watch(app, &reg);
    });
}

fn watch(app: App, reg: &ServiceWorkerRegistration) {
    let has_controller =
        || web_sys::window().is_some_and(|w| w.navigator().service_worker().controller().is_some());
    if reg.waiting().is_some() && has_controller() {
        app.ui.update_ready.set(true);
    }
    let r = reg.clone();
    app.keep(listen(reg, "updatefound", move |_| {
        let Some(installing) = r.installing() else {
            return;
        };
        let worker = installing.clone();
        app.keep(listen(&installing, "statechange", move |_| {
            if worker.state() == web_sys::ServiceWorkerState::Installed && has_controller() {
                app.ui.update_ready.set(true);
            }
        }));
    }));
}

/// "Update now": save everything, then let the waiting version take over
/// (the page reloads on `controllerchange`).
pub fn apply_update(app: App) {
    if let Some(i) = app.inner() {
        i.updating.set(true);
    }
    app.flush_all();
    spawn_local(async {
        let Some(window) = web_sys::window() else {
            return;
        };
        let container = window.navigator().service_worker();
        let Ok(reg) = JsFuture::from(container.get_registration()).await else {
            return;
        };
        let waiting: Option<ServiceWorker> = reg
            .dyn_into::<ServiceWorkerRegistration>()
            .ok()
            .and_then(|r| r.waiting());
        if let Some(w) = waiting {
            let _ = w.post_message(&JsValue::from_str("skip-waiting"));
        }
    });
}

/// Ask the browser not to clear our data when space runs short (once per
/// visit, after the first save).
pub fn ask_to_persist(app: App) {
    if app.inner().is_none_or(|i| i.asked_to_persist.replace(true)) {
        return;
    }
    let Some(window) = web_sys::window() else {
        return;
    };
    let storage = window.navigator().storage();
    spawn_local(async move {
        if let Ok(p) = storage.persist() {
            let _ = JsFuture::from(p).await;
        }
    });
}

/// Whether storage is persistent, and how much is used (bytes), if the
/// browser says.
pub async fn storage_facts() -> (Option<bool>, Option<f64>, Option<f64>) {
    let Some(window) = web_sys::window() else {
        return (None, None, None);
    };
    let storage = window.navigator().storage();
    let persisted = match storage.persisted() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let estimate = match storage.estimate() {
        Ok(p) => JsFuture::from(p).await.ok(),
        Err(_) => None,
    };
    let get = |k: &str| {
        estimate
            .as_ref()
            .and_then(|e| js_sys::Reflect::get(e, &JsValue::from_str(k)).ok())
            .and_then(|v| v.as_f64())
    };
    (persisted, get("usage"), get("quota"))
}
