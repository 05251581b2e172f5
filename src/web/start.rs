//! Starting the app in the page: the context, storage, tabs, the service
//! worker, the engine worker, and the screens mounted over index.html's
//! waiting page; and "Exit this page".

use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::spawn_local;

use super::app::App;
use super::platform::events::listen;
use super::platform::{idb, service_worker, settings, tabs};
use super::{route, ui};

/// "Exit this page": blank the screen at once, keep what was typed, and
/// replace the page (and its history entry) with a neutral one.
pub fn quick_exit(app: App) {
    if let Some(w) = web_sys::window() {
        if let Some(body) = w.document().and_then(|d| d.body()) {
            body.set_inner_html("");
        }
        // Leave first: the browser starts fetching the neutral page while
        // what was typed is written to the journal (and again on pagehide).
        let _ = w.location().replace("neutral.html");
    }
    app.flush_all();
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

/// Pressing Shift three times in a row, within two seconds, is the
/// quick-exit shortcut.
fn shift_presses(app: App) -> impl FnMut(web_sys::Event) {
    let mut times: Vec<f64> = Vec::new();
    move |ev: web_sys::Event| {
        let Some(k) = ev.dyn_ref::<web_sys::KeyboardEvent>() else {
            return;
        };
        if k.repeat() {
            return;
        }
        // GOV.UK's pattern: Shift pressed three times in a row. Any other
        // key in between starts the count again, so typing capitals
        // ("Flat 2, 12 Glebe St") never leaves the page.
        if k.key() != "Shift" {
            times.clear();
            return;
        }
        let now = js_sys::Date::now();
        times.retain(|t| now - t < 2000.0);
        times.push(now);
        if times.len() >= 3 {
            times.clear();
            quick_exit(app);
        }
    }
}

/// index.html's own page, shown while the module downloads (on a first
/// visit the first question, then what the app is, the size, a progress bar,
/// "Exit this page"): the app takes its place in the same task, so no frame
/// shows neither or both.
fn remove_waiting_page() {
    let page = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id("preload"));
    if let Some(page) = page {
        page.remove();
    }
}

/// How long the app waits for the list of plans before it takes the place
/// of a waiting page that lists them (see [`start`]).
const LIST_WAIT: std::time::Duration = std::time::Duration::from_millis(1500);

/// The screens take the place of index.html's waiting page, in one task:
/// what was answered on its first question (or done on its list of plans)
/// is read before the page goes and handed to the app's screen.
fn mount(app: App) {
    let handed = ui::Handed::from_page();
    let listed = ui::Listed::from_page();
    remove_waiting_page();
    let handed = handed.and_then(|(h, held)| h.take_over(held, app));
    let focus = handed.clone();
    leptos::mount::mount_to_body(move || {
        provide_context(app);
        ui::Handed::provide(handed);
        view! { <ui::App/> }
    });
    if let Some(h) = focus {
        h.put_back_focus();
    }
    if let Some(l) = listed {
        l.take_over(app);
    }
}

/// Start the app: its context, the screens, listeners, then storage.
///
/// A waiting page that already lists the person's plans (src/web/first-visit.js)
/// stays until the app has read the list too (at most [`LIST_WAIT`]), so
/// the app's home shows the same list from its first frame: the list never
/// goes blank, and nothing moves under a finger. Otherwise the app takes its
/// place at once.
pub fn start() {
    console_error_panic_hook::set_once();
    let Some(actor) = settings::device_actor() else {
        remove_waiting_page();
        leptos::mount::mount_to_body(ui::NoRandomness);
        return;
    };
    let app = App::new(actor);
    let listing = ui::Listed::shown();
    let mounted = std::rc::Rc::new(std::cell::Cell::new(false));
    let mount_once = move || {
        if !mounted.replace(true) {
            mount(app);
        }
    };
    if listing {
        set_timeout(mount_once.clone(), LIST_WAIT);
    } else {
        mount_once();
    }
    app.set_tabs(tabs::Tabs::listen(move |msg| app.on_tab_message(msg)));
    if let Some(window) = web_sys::window() {
        app.keep(listen(&window, "hashchange", move |_| {
            if let Some(h) = web_sys::window().and_then(|w| w.location().hash().ok()) {
                if let Some(r) = route::Route::parse(&h) {
                    // Saves refresh the list only while it is on screen.
                    if matches!(r, route::Route::Home) {
                        app.refresh_list();
                    }
                    app.ui.problem.set(None);
                    app.ui.moved_on();
                    app.ui.route.set(r);
                }
            }
        }));
        // Save at once when the page is hidden or closed: the tab may be
        // killed without further warning.
        app.keep(listen(&window, "pagehide", move |_| app.flush_all()));
        // Live sync: offline, say so at once and drop the sockets; back
        // online, try the relay again at once.
        if !window.navigator().on_line() {
            app.network(false);
        }
        app.keep(listen(&window, "offline", move |_| app.network(false)));
        app.keep(listen(&window, "online", move |_| app.network(true)));
        // Another tab said what the person has seen of a plan ("I have
        // seen these"): "What changed" and the task list's banner read again.
        app.keep(listen(&window, "storage", move |e| {
            let key = js_sys::Reflect::get(&e, &"key".into())
                .ok()
                .and_then(|k| k.as_string());
            if key.is_some_and(|k| k.starts_with(crate::web::platform::settings::SEEN_PREFIX)) {
                app.ui.seen.update(|n| *n += 1);
            }
        }));
        if let Some(doc) = window.document() {
            app.keep(listen(&doc, "click", on_click));
            app.keep(listen(&doc, "keydown", shift_presses(app)));
            app.keep(listen(&doc, "visibilitychange", move |_| {
                let hidden = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Hidden);
                if hidden {
                    app.flush_all();
                } else {
                    app.reconnect_now();
                }
            }));
        }
    }

    spawn_local(async move {
        match idb::Db::open().await {
            Ok(db) => app.set_db(Ok(db)),
            Err(e) => {
                app.ui.storage_problem.set(Some(e.to_string()));
                app.set_db(Err(e));
            }
        }
        if listing {
            app.list_now().await;
            mount_once();
        } else {
            app.refresh_list();
        }
        app.start_live();
        // A plan page reloaded before storage opened: open it now.
        if let Some(id) = app.ui.route.get_untracked().plan() {
            app.open(id.clone());
        }
    });
    service_worker::register(app);
    // The engine worker downloads and starts beside the page, after it, for
    // a person who has used the app here before. A first visit does not
    // download it until something asks for it (adding a copy, a lock's key).
    if app.ui.role.get_untracked().is_some() {
        app.start_engine();
    }
}
