//! The screens, grouped by page. Thin: they read the app context's signals
//! (`use_app().ui`) and call its named plan operations, showing every error.

mod actions;
mod agreement;
mod backup_page;
mod banners;
mod caseload;
mod caseload_order;
mod checks;
mod choices;
mod common;
mod conflicts;
mod cycle;
mod device;
mod distance;
mod fields;
mod home;
mod import_page;
mod keep_page;
mod later;
mod people_remove;
mod plan;
mod planning;
mod returns;
mod review;
mod section_pages;
mod sections;
mod send_sections;
mod share_page;
mod share_send;
mod signed;
mod status;
mod summary;
mod worker;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

pub use device::Handed;
pub use home::Listed;

use super::app::use_app;
use super::platform::service_worker;
use super::route::Route;

/// Move focus to the new page's heading, so screen readers announce it and
/// keyboard users start at the top.
pub(crate) fn focus_heading() {
    focus_when_shown("main h1");
}

/// Move focus, once the page has been drawn, to the first element matching
/// `selector` (a heading, an error summary, the banner that says what
/// happened) — unless the person has put focus somewhere else since it was
/// asked: a box she tapped as the page appeared keeps her typing (on a
/// slow phone the frame can come after her first letters).
pub(crate) fn focus_when_shown(selector: &str) {
    let Some(window) = web_sys::window() else {
        return;
    };
    let active = || {
        web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element())
    };
    let asked_at = active();
    let selector = selector.to_owned();
    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
        let Some(document) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let now = active();
        let moved_on = now.as_ref().is_some_and(|e| {
            e.is_connected()
                && Some(e) != asked_at.as_ref()
                && document.body().is_none_or(|b| **e != **b)
        });
        if moved_on {
            return;
        }
        let found = document
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(e) = found {
            focus(&e);
        }
    });
    // Without a frame callback the focus stays where it was: no harm done.
    let _ = window.request_animation_frame(cb.unchecked_ref());
}

/// Move focus to an element; an element that cannot take focus keeps none.
pub(crate) fn focus(e: &web_sys::HtmlElement) {
    let _ = e.focus();
}

#[component]
pub fn App() -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let route = ui.route.get();
        if let Some(id) = route.plan() {
            app.open(id.clone());
        }
        if first.get_value() {
            first.set_value(false);
        } else {
            focus_heading();
        }
    });
    // The key worker's caseload and plan use a laptop's width.
    let width = move || {
        let wide = app.is_worker()
            && matches!(
                ui.route.get(),
                Route::Home | Route::Plan(_, super::route::Page::Tasks)
            );
        if wide {
            "width width--wide"
        } else {
            "width"
        }
    };
    view! {
        <a class="skip-link" href="#main-content" on:click=|ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let main = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main-content"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(m) = main { focus(&m); }
        }>"Skip to main content"</a>
        <header class="app-header">
            <div class=width>
                <a class="app-name" href="#/">"Carer support plan"</a>
                <button type="button" class="exit-button" aria-describedby="exit-hint"
                    on:click=move |_| super::quick_exit(app)>"Exit this page"</button>
                <span id="exit-hint" class="visually-hidden">"Leaves the app at once and shows a neutral page. You can also press the Shift key three times."</span>
            </div>
        </header>
        <div class=width>
            <status::StorageProblem/>
            {move || ui.update_ready.get().then(|| view! {
                <div class="notice" role="status" data-testid="update-ready">
                    <p>"A new version of the app is ready. Your answers are saved."</p>
                    <button type="button" class="button button--secondary" on:click=move |_| service_worker::apply_update(app)>"Update now"</button>
                </div>
            })}
            {move || ui.problem.get().map(|p| view! {
                <div class="notice notice--warning" role="alert" data-testid="problem">
                    <p>{p}</p>
                </div>
            })}
            <main id="main-content" tabindex="-1">
                {move || match ui.route.get() {
                    Route::Home => view! { <home::Home/> }.into_any(),
                    Route::Settings => view! { <device::WhoUsesThisDevice first_time=false/> }.into_any(),
                    Route::Import => view! { <import_page::ImportPage into=None/> }.into_any(),
                    Route::Keep(link) => view! { <keep_page::JoinPage link=link/> }.into_any(),
                    Route::KeepDamaged => view! {
                        <h1 tabindex="-1">"This link does not work"</h1>
                        <p data-testid="keep-link-damaged">{crate::web::words::live::LINK_DAMAGED}</p>
                    }.into_any(),
                    Route::Backup => view! { <backup_page::BackUp/> }.into_any(),
                    Route::Restore => view! { <backup_page::Restore/> }.into_any(),
                    Route::Plan(id, page) => view! { <plan::PlanRoute id=id page=page/> }.into_any(),
                    Route::NotFound => view! { <NotFound/> }.into_any(),
                }}
            </main>
        </div>
    }
}

#[component]
fn NotFound() -> impl IntoView {
    view! {
        <h1 tabindex="-1">"Page not found"</h1>
        <p>"This address does not match a page in the app."</p>
        <p><a href="#/">"Go to your plans"</a></p>
    }
}

/// Shown if the browser cannot give the app random numbers (ids need them).
#[component]
pub fn NoRandomness() -> impl IntoView {
    view! {
        <main class="width">
            <h1>"The app cannot start in this browser"</h1>
            <p>"This browser did not let the app make the identifiers it needs to keep your plan safe. Try another browser, or update this one."</p>
        </main>
    }
}
