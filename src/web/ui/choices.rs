//! Questions answered by picking one option: radio buttons in a fieldset,
//! from a list of options or from a coded type's own values and labels.

use leptos::prelude::*;

use crate::plan::Coded;
use crate::web::app::AppError;

/// The message beside a field when its value is refused; the field names it
/// in `aria-describedby`.
pub(super) fn error_message(error: RwSignal<Option<String>>, id: String) -> impl IntoView {
    move || {
        error.get().map(|e| {
            view! {
                <p class="error-message" id=id.clone()>
                    <span class="visually-hidden">"Error: "</span>{e}
                </p>
            }
        })
    }
}

/// One option of a [`Choice`].
#[derive(Clone, Debug)]
pub struct Opt {
    pub value: String,
    pub label: String,
    pub hint: Option<String>,
}

pub fn opt(value: &str, label: &str) -> Opt {
    Opt {
        value: value.into(),
        label: label.into(),
        hint: None,
    }
}

pub fn opt_hint(value: &str, label: &str, hint: &str) -> Opt {
    Opt {
        value: value.into(),
        label: label.into(),
        hint: Some(hint.into()),
    }
}

/// A question answered by picking one option (radio buttons in a fieldset).
#[component]
pub fn Choice(
    name: String,
    legend: String,
    #[prop(optional)] hint: Option<String>,
    options: Vec<Opt>,
    current: Signal<Option<String>>,
    on_pick: Callback<String>,
) -> impl IntoView {
    let hint_id = format!("{name}-hint");
    let described = hint.as_ref().map(|_| hint_id.clone());
    // The plan changes with every key typed elsewhere on the page: the
    // buttons are set again only when this answer changes.
    let current = Memo::new(move |_| current.get());
    view! {
        <div class="field">
            <fieldset class="fieldset" aria-describedby=described>
                <legend class="legend">{legend}</legend>
                {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
                <div class="radios">
                    {options.into_iter().enumerate().map(|(i, o)| {
                        let id = format!("{name}-{i}");
                        let item_hint = format!("{id}-hint");
                        let v = o.value.clone();
                        let v2 = o.value.clone();
                        let checked = Memo::new(move |_| current.with(|c| c.as_deref() == Some(v.as_str())));
                        view! {
                            <div class="radio">
                                <input class="radio-input" type="radio" id=id.clone() name=name.clone() value=o.value.clone()
                                    aria-describedby=o.hint.as_ref().map(|_| item_hint.clone())
                                    prop:checked=checked
                                    on:change=move |_| on_pick.run(v2.clone())/>
                                <label class="radio-label" for=id>{o.label.clone()}</label>
                                {o.hint.clone().map(|h| view! { <p class="hint radio-hint" id=item_hint>{h}</p> })}
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// The options of a coded answer, from its type's own list of values and labels.
pub fn coded_opts<T: Coded>(values: &[T]) -> Vec<Opt> {
    values
        .iter()
        .map(|v| Opt {
            value: v.code().to_owned(),
            label: v.label().to_owned(),
            hint: v.hint().map(str::to_owned),
        })
        .collect()
}

/// A question answered by picking one of a coded type's values. What comes
/// back is read with [`Coded::from_code`]: an unknown code is an error shown
/// beside the question, never a default. A change the plan refuses is
/// shown there too.
#[component]
pub fn CodedChoice<T: Coded + Send + Sync>(
    name: String,
    legend: String,
    #[prop(optional_no_strip)] hint: Option<String>,
    values: &'static [T],
    current: Signal<Option<T>>,
    on_pick: Callback<T, Result<(), AppError>>,
) -> impl IntoView {
    // Only the reading of codes is generic: the view is built once for all
    // types (`checked_choice`), which keeps the WebAssembly small.
    let current = Signal::derive(move || current.get().map(|v| v.code().to_owned()));
    let picked = Callback::new(move |code: String| {
        T::from_code(&code)
            .ok_or(AppError::UnknownChoice)
            .and_then(|v| on_pick.run(v))
    });
    checked_choice(name, legend, hint, coded_opts(values), current, picked)
}

/// A choice whose pick may be refused: the refusal is shown beside it.
fn checked_choice(
    name: String,
    legend: String,
    hint: Option<String>,
    options: Vec<Opt>,
    current: Signal<Option<String>>,
    on_pick: Callback<String, Result<(), AppError>>,
) -> AnyView {
    let error = RwSignal::new(None::<String>);
    let picked = Callback::new(move |code: String| {
        let result = on_pick.try_run(code).unwrap_or(Err(AppError::NotReady));
        error.try_set(result.err().map(|e| e.to_string()));
    });
    let error_id = format!("{name}-error");
    view! {
        <div class:field--error=move || error.get().is_some()>
            {error_message(error, error_id)}
            {match hint {
                Some(h) => view! { <Choice name=name legend=legend hint=h options=options current=current on_pick=picked/> }.into_any(),
                None => view! { <Choice name=name legend=legend options=options current=current on_pick=picked/> }.into_any(),
            }}
        </div>
    }
    .into_any()
}
