//! The home page: the plans on this device, and "Start a new plan".

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use crate::plan::date::long_date_of_ms;
use crate::plan::summary::PlanSummary;
use crate::plan::Role;
use crate::web::app::{use_app, App};
use crate::web::route::{self, Page, Route};

#[component]
pub fn Home() -> impl IntoView {
    let ui = use_app().ui;
    move || match ui.role.get() {
        None => view! { <super::device::WhoUsesThisDevice first_time=true/> }.into_any(),
        Some(Role::KeyWorker) => view! { <super::caseload::Caseload/> }.into_any(),
        Some(Role::Carer) => view! { <CarerHome/> }.into_any(),
    }
}

#[component]
fn CarerHome() -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let problem = RwSignal::new(None::<String>);
    let start = move |_| match app.create() {
        Ok(id) => route::go(&Route::Plan(id, Page::Where)),
        Err(e) => problem.set(Some(e.to_string())),
    };
    view! {
        {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
        <h1 tabindex="-1">"Your carer support plans"</h1>
        <p class="lede">"A plan helps you think about how caring affects your life, and what would help. It is kept on this device. Nothing is sent anywhere unless you choose to share it."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        <button type="button" class="button" data-testid="start-plan" on:click=start>
            "Start a new plan"
        </button>
        {move || {
            let plans = ui.plans.get();
            (!plans.is_empty()).then(|| view! {
                <h2>"Plans on this device"</h2>
                <ul class="plan-list" data-testid="plan-list">
                    {plans.into_iter().map(|p: PlanSummary| {
                        let href = Route::Plan(p.plan_id.clone(), Page::Tasks).href();
                        view! {
                            <li class="plan-card">
                                <a href=href class="plan-link">{p.title()}</a>
                                <p class="plan-meta">
                                    <span class="tag">{p.status.label()}</span>
                                    " Last changed " {long_date_of_ms(p.updated_at)}
                                </p>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            })
        }}
        <h2>"Plans shared with you"</h2>
        <p>"If your key worker sent you a plan file, add it here."</p>
        <p><a class="button button--secondary" href="#/import">"Add a copy you were sent"</a></p>
        <p>"Moving to a new phone? " <a href="#/restore">"Restore from a backup"</a></p>
        <p><a href="#/settings">"Settings"</a></p>
    }
}

/// What was done on the list of plans index.html's waiting page showed
/// before the app started (painted by src/web/first-visit.js in the app's
/// words and markup): the control that had the focus, and "Start a new
/// plan" pressed there (held, as "Save and continue" is on a first visit).
/// A link followed there has already changed the address, which the app
/// opens.
pub struct Listed {
    /// The focused link's address, or button's test id.
    focus: Option<(&'static str, String)>,
    start_held: bool,
}

fn painted_list() -> Option<web_sys::Element> {
    web_sys::window()?
        .document()?
        .get_element_by_id("preload-home")
}

impl Listed {
    /// Whether the waiting page lists this device's plans.
    pub fn shown() -> bool {
        painted_list().is_some()
    }

    /// Read the list's page, before it is removed.
    pub fn from_page() -> Option<Listed> {
        let list = painted_list()?;
        let focused = web_sys::window()?
            .document()?
            .active_element()
            .filter(|a| list.contains(Some(a)));
        let address = |a: &web_sys::Element| {
            a.get_attribute("href").filter(|h| {
                h.starts_with("#/")
                    && h.bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b"#/-".contains(&b))
            })
        };
        let focus = focused.and_then(|a| match a.tag_name().as_str() {
            "A" => address(&a).map(|h| ("href", h)),
            _ => a
                .get_attribute("data-testid")
                .filter(|t| t.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
                .map(|t| ("data-testid", t)),
        });
        let start_held = list
            .query_selector("[data-testid=start-plan][data-held]")
            .ok()
            .flatten()
            .is_some();
        Some(Listed { focus, start_held })
    }

    /// With the app's screen drawn: a held "Start a new plan" starts the
    /// plan now; otherwise the focus goes to the same control on the app's
    /// page, in the same task.
    pub fn take_over(self, app: App) {
        if self.start_held {
            match app.create() {
                Ok(id) => route::go(&Route::Plan(id, Page::Where)),
                Err(e) => app.ui.problem.set(Some(e.to_string())),
            }
            return;
        }
        let Some((attribute, value)) = self.focus else {
            return;
        };
        let same = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| {
                d.query_selector(&format!("main [{attribute}=\"{value}\"]"))
                    .ok()
                    .flatten()
            })
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(e) = same {
            super::focus(&e);
        }
    }
}
