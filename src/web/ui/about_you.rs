//! "About you": the carer's name and how to contact them safely.

use leptos::prelude::*;

use super::fields::{Input, Question};
use super::status::SaveIndicator;
use crate::core::{CarerField, Field, PlanId};
use crate::web::download;
use crate::web::state::{self, Opening};

#[component]
pub fn AboutYou(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let id = StoredValue::new(id);
    move || match ui.opening.get() {
        Opening::Ready(open) if open == id.get_value() => {
            view! { <AboutYouForm id=open/> }.into_any()
        }
        Opening::Damaged { id: bad, message } => {
            view! { <Damaged id=bad message=message/> }.into_any()
        }
        Opening::NotFound(_) => view! {
            <h1 tabindex="-1">"This plan is not on this device"</h1>
            <p>"It may have been deleted, or it was made in another browser."</p>
            <p><a href="#/">"Go to your plans"</a></p>
        }
        .into_any(),
        Opening::Failed(why) => view! {
            <h1 tabindex="-1">"This plan cannot be opened right now"</h1>
            <p>{why}</p>
            <p><a href="#/">"Go to your plans"</a></p>
        }
        .into_any(),
        _ => view! { <p class="loading" role="status">"Opening your plan…"</p> }.into_any(),
    }
}

#[component]
fn AboutYouForm(id: PlanId) -> impl IntoView {
    let q = |field, label, hint: Option<&'static str>, input: Input| {
        let id = id.clone();
        match hint {
            Some(h) => {
                view! { <Question id=id field=field label=label hint=h input=input/> }.into_any()
            }
            None => view! { <Question id=id field=field label=label input=input/> }.into_any(),
        }
    };
    let short = |autocomplete, input_type, width_class| Input {
        multiline: false,
        input_type,
        autocomplete,
        width_class,
    };
    let long = Input {
        multiline: true,
        ..Input::default()
    };
    view! {
        <p class="caption">"About you"</p>
        <h1 tabindex="-1">"Your details"</h1>
        <p>"Answer what you are happy to. You can come back and change anything later."</p>
        <form class="form" on:submit=|ev| ev.prevent_default() novalidate>
            {q(Field::Carer(CarerField::Name), "Your full name", None, short("name", "text", ""))}
            {q(Field::Carer(CarerField::PreferredName), "What would you like to be called?",
               Some("Leave this blank if it is the same as your name."), short("nickname", "text", "input--20"))}
            {q(Field::Carer(CarerField::Phone), "Phone number", None, short("tel", "tel", "input--20"))}
            {q(Field::Carer(CarerField::Email), "Email address", None, short("email", "email", ""))}
            {q(Field::Carer(CarerField::Address), "Address", None, Input { autocomplete: "street-address", ..long })}
            {q(Field::Carer(CarerField::SafeContact), "When is it safe to contact you?",
               Some("For example: weekday mornings. Tell us if it is not safe to leave a message or send a letter."), long)}
        </form>
        <SaveIndicator id=id.clone()/>
        <p><a href="#/" class="back-link">"Back to your plans"</a></p>
    }
}

#[component]
fn Damaged(id: PlanId, message: String) -> impl IntoView {
    let id = StoredValue::new(id);
    let download_raw = move |_| {
        let id = id.get_value();
        let raw = state::get().and_then(|s| s.damaged.borrow().get(&id).cloned());
        if let Some(bytes) = raw {
            download::offer(
                &format!("carer-plan-{id}-saved-data.automerge"),
                "application/octet-stream",
                &bytes,
            );
        }
    };
    view! {
        <div data-testid="damaged-plan">
            <h1 tabindex="-1">"This plan cannot be opened"</h1>
            <p>{message}</p>
            <p>"Nothing has been changed or deleted. You can download the saved data to keep it safe, or to give to someone who can help recover it. Your other plans are not affected."</p>
            <button type="button" class="button button--secondary" on:click=download_raw>
                "Download the saved data"
            </button>
            <p><a href="#/">"Go to your plans"</a></p>
        </div>
    }
}
