//! The browser layer: IndexedDB storage, settings, tabs and the Leptos
//! screens, on top of `crate::core`. WebAssembly only.

pub mod download;
pub mod idb;
pub mod journal;
pub mod offline;
pub mod route;
pub mod session;
pub mod settings;
pub mod state;
pub mod store;
pub mod tabs;
pub mod ui;

use leptos::prelude::*;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    let _ = target.add_event_listener_with_callback(event, cb.as_ref().unchecked_ref());
    cb.forget();
}

/// "Exit this page": blank the screen at once, keep what was typed, and
/// replace the page (and its history entry) with a neutral one.
pub fn quick_exit() {
    session::flush_all();
    if let Some(w) = web_sys::window() {
        if let Some(body) = w.document().and_then(|d| d.body()) {
            body.set_inner_html("");
        }
        let _ = w.location().replace("neutral.html");
    }
}

/// In-app links replace the history entry (see `route`), so the whole app
/// is one entry in the browser's history.
fn on_click(ev: web_sys::Event) {
    let Some(ev) = ev.dyn_ref::<web_sys::MouseEvent>() else {
        return;
    };
    if ev.default_prevented()
        || ev.button() != 0
        || ev.ctrl_key()
        || ev.meta_key()
        || ev.shift_key()
        || ev.alt_key()
    {
        return;
    }
    let anchor = ev
        .target()
        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
        .and_then(|e| e.closest("a[href^='#/']").ok().flatten());
    if let Some(href) = anchor.and_then(|a| a.get_attribute("href")) {
        ev.prevent_default();
        route::go_href(&href);
    }
}

/// Pressing Shift three times within two seconds is the quick-exit shortcut.
fn shift_presses() -> impl FnMut(web_sys::Event) {
    let mut times: Vec<f64> = Vec::new();
    move |ev: web_sys::Event| {
        let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.key() != "Shift" || k.repeat() {
            return;
        }
        let now = js_sys::Date::now();
        times.retain(|t| now - t < 2000.0);
        times.push(now);
        if times.len() >= 3 {
            times.clear();
            quick_exit();
        }
    }
}

/// Start the app: state, storage, listeners, then the screens.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(actor) = settings::device_actor() else {
        leptos::mount::mount_to_body(ui::NoRandomness);
        return;
    };
    let st = state::init(actor);
    *st.tabs.borrow_mut() = Some(tabs::Tabs::listen(session::on_tab_message));

    if let Some(window) = web_sys::window() {
        let ui = st.ui;
        listen(&window, "hashchange", move |_| {
            if let Some(h) = web_sys::window().and_then(|w| w.location().hash().ok()) {
                if let Some(r) = route::Route::parse(&h) {
                    // Saves refresh the list only while it is on screen.
                    if matches!(r, route::Route::Home) {
                        session::refresh_list();
                    }
                    ui.route.set(r);
                }
            }
        });
        // Save at once when the page is hidden or closed: the tab may be
        // killed without further warning.
        listen(&window, "pagehide", |_| session::flush_all());
        if let Some(doc) = window.document() {
            listen(&doc, "click", on_click);
            listen(&doc, "keydown", shift_presses());
            listen(&doc, "visibilitychange", |_| {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
                if hidden {
                    session::flush_all();
                }
            });
        }
    }

    let st2 = st.clone();
    spawn_local(async move {
        match idb::Db::open().await {
            Ok(db) => *st2.db.borrow_mut() = Ok(db),
            Err(e) => {
                st2.ui.storage_problem.set(Some(e.to_string()));
                *st2.db.borrow_mut() = Err(e);
            }
        }
        session::refresh_list();
        // A plan page reloaded before storage opened: open it now.
        if let Some(id) = st2.ui.route.get_untracked().plan() {
            session::open(id.clone());
        }
    });

    leptos::mount::mount_to_body(ui::App);
    offline::register();
}
