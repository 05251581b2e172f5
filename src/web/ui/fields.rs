//! A question with one answer box, saved as the person types.

use leptos::prelude::*;

use crate::core::{Field, PlanId};
use crate::web::{session, state};

/// How the answer box looks and what the browser may offer to fill in.
#[derive(Clone, Copy, Default)]
pub struct Input {
    pub multiline: bool,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub width_class: &'static str,
}

#[component]
pub fn Question(
    id: PlanId,
    field: Field,
    label: &'static str,
    #[prop(optional)] hint: Option<&'static str>,
    #[prop(optional)] input: Input,
) -> impl IntoView {
    let ui = state::ui();
    let error = RwSignal::new(None::<String>);
    let plan_id = StoredValue::new(id);
    let html_id = field.html_id();
    let hint_id = format!("{html_id}-hint");
    let error_id = format!("{html_id}-error");
    let described = {
        let hint_id = hint_id.clone();
        let error_id = error_id.clone();
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let value = move || {
        ui.plan
            .with(|p| p.as_ref().map(|p| field.read(p).to_owned()))
            .unwrap_or_default()
    };
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        match session::set_field(&plan_id.get_value(), field, &v) {
            Ok(()) => {
                // Keep advice shown until the answer is right; clear refusals.
                if error.get_untracked().is_some() {
                    error.set(field.advise(&v).map(|e| e.to_string()));
                }
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let on_change = move |ev| {
        let v = event_target_value(&ev);
        if let Err(e) = field.validate(&v) {
            error.set(Some(e.to_string()));
        } else {
            error.set(field.advise(&v).map(|e| e.to_string()));
        }
    };
    let input_type = if input.input_type.is_empty() {
        "text"
    } else {
        input.input_type
    };
    let autocomplete = if input.autocomplete.is_empty() {
        "off"
    } else {
        input.autocomplete
    };
    let control = if input.multiline {
        view! {
            <textarea class="textarea" id=html_id.clone() name=html_id.clone() rows="5"
                autocomplete=autocomplete
                aria-describedby=described.clone()
                aria-invalid=move || error.get().is_some().then_some("true")
                prop:value=value on:input=on_input on:change=on_change></textarea>
        }
        .into_any()
    } else {
        view! {
            <input class=format!("input {}", input.width_class) id=html_id.clone() name=html_id.clone()
                type=input_type autocomplete=autocomplete spellcheck="false"
                aria-describedby=described
                aria-invalid=move || error.get().is_some().then_some("true")
                prop:value=value on:input=on_input on:change=on_change/>
        }
        .into_any()
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="label" for=html_id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {move || error.get().map(|e| view! {
                <p class="error-message" id=error_id.clone()>
                    <span class="visually-hidden">"Error: "</span>{e}
                </p>
            })}
            {control}
        </div>
    }
}
