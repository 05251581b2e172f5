//! The screens. Thin: they read `state::Ui` signals and call `session`.

mod actions;
mod caseload;
mod device;
mod exchange;
mod fields;
mod home;
mod plan;
mod questions;
mod review;
mod sections;
mod status;
mod summary;
mod worker;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::route::Route;
use super::state;

/// Move focus to the new page's heading, so screen readers announce it and
/// keyboard users start at the top.
pub(crate) fn focus_heading() {
    let Some(window) = web_sys::window() else {
        return;
    };
    let cb = wasm_bindgen::closure::Closure::once_into_js(|| {
        let h1 = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.query_selector("main h1").ok().flatten())
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(h1) = h1 {
            let _ = h1.focus();
        }
    });
    let _ = window.request_animation_frame(cb.unchecked_ref());
}

#[component]
pub fn App() -> impl IntoView {
    let ui = state::ui();
    let first = StoredValue::new(true);
    Effect::new(move |_| {
        let route = ui.route.get();
        if let Some(id) = route.plan() {
            super::session::open(id.clone());
        }
        if first.get_value() {
            first.set_value(false);
        } else {
            focus_heading();
        }
    });
    view! {
        <a class="skip-link" href="#main-content" on:click=|ev: leptos::ev::MouseEvent| {
            ev.prevent_default();
            let main = web_sys::window()
                .and_then(|w| w.document())
                .and_then(|d| d.get_element_by_id("main-content"))
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(m) = main { let _ = m.focus(); }
        }>"Skip to main content"</a>
        <header class="app-header">
            <div class="width">
                <a class="app-name" href="#/">"Carer support plan"</a>
                <button type="button" class="exit-button" aria-describedby="exit-hint"
                    on:click=|_| super::quick_exit()>"Exit this page"</button>
                <span id="exit-hint" class="visually-hidden">"Leaves the app at once and shows a neutral page. You can also press the Shift key three times."</span>
            </div>
        </header>
        <div class="width">
            <status::StorageProblem/>
            {move || ui.update_ready.get().then(|| view! {
                <div class="notice" role="status" data-testid="update-ready">
                    <p>"A new version of the app is ready. Your answers are saved."</p>
                    <button type="button" class="button button--secondary" on:click=|_| super::offline::apply_update()>"Update now"</button>
                </div>
            })}
            <main id="main-content" tabindex="-1">
                {move || match ui.route.get() {
                    Route::Home => view! { <home::Home/> }.into_any(),
                    Route::Settings => view! { <device::WhoUsesThisDevice first_time=false/> }.into_any(),
                    Route::Import => view! { <exchange::ImportPage into=None/> }.into_any(),
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
