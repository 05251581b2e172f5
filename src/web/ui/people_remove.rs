//! "Are you sure?" before a person the carer cares for is taken out of
//! the plan.

use leptos::prelude::*;

use super::common::read;
use wasm_bindgen_futures::spawn_local;

use crate::plan::{PlanId, Section};
use crate::web::app::use_app;
use crate::web::route::{self, Page};

/// "Are you sure?" before a person is taken out of the plan (GOV.UK's
/// confirmation page): nothing is removed until they say yes.
#[component]
pub fn RemovePerson(id: PlanId, person: String) -> impl IntoView {
    let app = use_app();
    let p = person.clone();
    let name = read(move |plan| {
        plan.cared_for.iter().find(|c| c.id == p).map(|c| {
            if c.name.trim().is_empty() {
                "this person".to_string()
            } else {
                c.name.clone()
            }
        })
    });
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let removing = RwSignal::new(false);
    let remove = move |_| {
        if removing.get_untracked() {
            return;
        }
        removing.set(true);
        let (id, person) = (pid.get_value(), person.clone());
        spawn_local(async move {
            match app.remove_person(&id, &person).await {
                Ok(()) => route::go(&route::Route::Plan(id, Page::Section(Section::People))),
                Err(e) => {
                    removing.try_set(false);
                    problem.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let back = route::href(&id, Page::Section(Section::People));
    view! {
        {move || match name.get() {
            None => view! {
                <h1 tabindex="-1">"This person is no longer in the plan"</h1>
                <p><a class="back-link" href=back.clone()>"Back to the people you care for"</a></p>
            }.into_any(),
            Some(n) => view! {
                <h1 tabindex="-1">{format!("Are you sure you want to remove {n} from {}?", if app.is_worker() { "the plan" } else { "your plan" })}</h1>
                <p>"Everything you wrote about them in this plan will be removed. Copies you have already shared are not affected."</p>
                {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
                <div class="button-group">
                    <button type="button" class="button button--warning" data-testid="confirm-remove" on:click=remove.clone()>{format!("Yes, remove {n}")}</button>
                    <a class="button button--secondary" href=back.clone()>{format!("No, keep {n}")}</a>
                </div>
            }.into_any(),
        }}
    }
}
