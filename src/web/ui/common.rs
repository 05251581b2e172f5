//! What several pages share: the plan's framework, the "Back to your plan"
//! and "Continue" links, reactive reads of the open plan, handlers that
//! make a named change, and the error summary.

use leptos::prelude::*;

use crate::plan::framework::Framework;
use crate::plan::{Coded, Edit, Plan, PlanId};
use crate::web::app::{use_app, App, AppError};
use crate::web::route::{self, Page};

/// The plan's framework, or Scotland's if the plan names one this app lacks.
pub fn framework_of(plan: &Plan) -> &'static Framework {
    Framework::for_plan(&plan.framework)
}

pub fn back_to_plan(id: &PlanId) -> impl IntoView {
    let words = if use_app().is_worker() {
        "Back to the plan"
    } else {
        "Back to your plan"
    };
    view! { <p><a class="back-link" href=route::href(id, Page::Tasks)>{words}</a></p> }
}

/// A section's title in the words of whoever uses this device (the key
/// worker reads about the carer).
pub fn title_of(s: &crate::plan::Section, fw: &Framework) -> String {
    s.title_for(fw, use_app().is_worker())
}

/// Carer's words or the key worker's, by who uses this device.
pub fn words(carer: &'static str, worker: &'static str) -> &'static str {
    if use_app().is_worker() {
        worker
    } else {
        carer
    }
}

pub fn fw_now() -> &'static Framework {
    use_app()
        .ui
        .plan
        .with_untracked(|p| p.as_ref().map(framework_of))
        .unwrap_or_else(|| Framework::for_plan(""))
}

/// A reactive read of the open plan.
pub fn read<T: Send + Sync + 'static>(
    f: impl Fn(&Plan) -> Option<T> + Send + Sync + 'static,
) -> Signal<Option<T>> {
    let ui = use_app().ui;
    Signal::derive(move || ui.plan.with(|p| p.as_ref().and_then(&f)))
}

/// A callback making the change `f` names for a picked value.
pub fn pick<T: Coded + Send + Sync>(
    app: App,
    id: &PlanId,
    f: impl Fn(T) -> Edit + Send + Sync + 'static,
) -> Callback<T, Result<(), AppError>> {
    let id = id.clone();
    Callback::new(move |v: T| app.edit(&id, f(v)))
}

/// How long an item may take to be made before its button says so.
const ADDING_SAYS_AFTER: std::time::Duration = std::time::Duration::from_millis(300);

/// A button that adds an item to one of the plan's lists (`make`, given the
/// new item's id) and opens its page (`page`), or shows why it could not.
/// A second press while the item is made adds nothing (`App::add_item`);
/// when that takes a while (the engine busy, or starting again after it
/// stopped), the button says "Adding…" and is marked unavailable.
#[component]
pub fn AddButton(
    id: PlanId,
    label: &'static str,
    #[prop(into)] make: Callback<String, Edit>,
    page: fn(String) -> Page,
) -> impl IntoView {
    let app = use_app();
    let id = StoredValue::new(id);
    // Pressed here, and not made within a moment.
    let slow = RwSignal::new(false);
    let add = move |_| {
        slow.set(false);
        match app.add_item(&id.get_value(), move |new| make.run(new), page) {
            Ok(()) => set_timeout(
                move || {
                    let _ = slow.try_set(true);
                },
                ADDING_SAYS_AFTER,
            ),
            Err(e) => app.show_problem(Some(&e)),
        }
    };
    let waiting = move || slow.get() && app.ui.adding.get();
    view! {
        <button type="button" class="button button--secondary" aria-disabled=move || waiting().then_some("true") on:click=add>
            {move || if waiting() { "Adding…" } else { label }}
        </button>
    }
}

/// "Continue", which runs the page's checks first (`checks.rs`).
pub fn continue_button(id: &PlanId, page: Page) -> impl IntoView {
    super::checks::checked_link(route::href(id, page), "Continue")
}

/// A text box for words kept only on this page until a button uses them
/// (what the carer does not agree with, what has changed).
pub fn words_box(id: &'static str, label: &'static str, words: RwSignal<String>) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            <textarea class="textarea" id=id rows="4" prop:value=move || words.get() on:input=move |ev| words.set(event_target_value(&ev))></textarea>
        </div>
    }
}

pub fn error_summary(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem.get().map(|p| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1" data-testid="problem-summary">
                    <h2 class="error-summary__title">"There is a problem"</h2>
                    <p data-testid="problem">{p}</p>
                </div>
            }
        })
    }
}

/// A passphrase box (the GOV.UK password input pattern): hidden as it is
/// typed, with a Show / Hide button beside it; pasting works as in any box.
#[component]
pub fn PassphraseInput(
    id: &'static str,
    hint_id: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    let shown = RwSignal::new(false);
    view! {
        <div class="password-input">
            <input class="input password-input__input" id=id
                type=move || if shown.get() { "text" } else { "password" }
                autocomplete="off" spellcheck="false" autocapitalize="none"
                aria-describedby=hint_id
                prop:value=move || value.get() on:input=move |ev| value.set(event_target_value(&ev))/>
            <button type="button" class="button button--secondary password-input__toggle"
                aria-controls=id data-testid="show-passphrase"
                aria-label=move || if shown.get() { "Hide passphrase" } else { "Show passphrase" }
                on:click=move |_| shown.update(|s| *s = !*s)>
                {move || if shown.get() { "Hide" } else { "Show" }}
            </button>
            <p class="visually-hidden" aria-live="polite">
                {move || if shown.get() { "Your passphrase is visible" } else { "" }}
            </p>
        </div>
    }
}

/// A file picker with its label and hint (the hint's id is `{id}-hint`).
pub fn file_field(
    id: &'static str,
    label: &'static str,
    hint: &'static str,
    node_ref: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let hint_id = format!("{id}-hint");
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            <p class="hint" id=hint_id.clone()>{hint}</p>
            <input class="file-input" id=id type="file" accept=".txt,text/plain"
                aria-describedby=hint_id node_ref=node_ref/>
        </div>
    }
}

/// How far long work has got, under the button that started it: the step
/// in words and, when it is counted, a bar ("Restoring plan 12 of 50").
/// The rest of the page can be used meanwhile, and the person can leave.
pub fn progress_view(
    test_id: String,
    progress: impl Into<Signal<Option<crate::web::app::Progress>>>,
) -> impl IntoView {
    let progress = progress.into();
    view! {
        <div class="progress" role="status" data-testid=test_id>
            {move || progress.get().map(|p| view! {
                <p>{format!("{}…", p.words)}</p>
                {(p.total > 0).then(|| view! {
                    <progress class="progress-bar" max=p.total value=p.done aria-hidden="true"></progress>
                })}
            })}
        </div>
    }
}
