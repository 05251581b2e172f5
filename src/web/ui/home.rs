//! The home page: the plans on this device, and "Start a new plan".

use leptos::prelude::*;

use crate::plan::date::long_date_of_ms;
use crate::plan::summary::PlanSummary;
use crate::plan::Role;
use crate::web::app::use_app;
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
