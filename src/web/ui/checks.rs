//! A page's checks, run when the person presses Continue (GOV.UK's error
//! summary and inline message pattern), never when a box loses focus: a
//! message that appears on blur moves the page under the finger that is
//! pressing Continue, so the tap lands on empty space.
//!
//! Each field with something to say registers a check with the page's
//! [`PageChecks`] (provided per page by `plan.rs`). Pressing a Continue
//! link runs them all: nothing to say, and the link goes on; a refused
//! value (not kept) always stops it; advice about a value that is kept
//! ("Your words are kept…") stops it once, and the same press again goes
//! on. The summary at the top of the page lists each message as a link to
//! its field, and takes focus; each field shows its own message too.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// What a field has to say when Continue is pressed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Said {
    pub message: String,
    /// The value was refused and not kept: Continue cannot go on.
    pub refused: bool,
}

#[derive(Clone, Copy)]
struct Check {
    /// The field's HTML id, for the summary's link.
    id: StoredValue<String>,
    run: Callback<(), Option<Said>>,
    /// The field's own message, beside it.
    shown: RwSignal<Option<String>>,
}

/// The checks of the page on screen and the messages they gave last.
#[derive(Clone, Copy)]
pub struct PageChecks {
    checks: StoredValue<Vec<Check>>,
    summary: RwSignal<Vec<(String, Said)>>,
}

impl PageChecks {
    pub fn new() -> Self {
        PageChecks {
            checks: StoredValue::new(Vec::new()),
            summary: RwSignal::new(Vec::new()),
        }
    }

    /// Register a field's check; it is removed with the field.
    pub fn add(
        &self,
        id: String,
        run: Callback<(), Option<Said>>,
        shown: RwSignal<Option<String>>,
    ) {
        let check = Check {
            id: StoredValue::new(id.clone()),
            run,
            shown,
        };
        self.checks.update_value(|c| c.push(check));
        let checks = self.checks;
        on_cleanup(move || {
            checks
                .try_update_value(|c| c.retain(|x| x.id.try_get_value().is_some_and(|i| i != id)));
        });
    }

    /// A Continue link's click: go on, or stop and say what to check.
    pub fn on_continue(&self, ev: &leptos::ev::MouseEvent) {
        let found: Vec<(String, Said)> = self
            .checks
            .get_value()
            .iter()
            .filter_map(|c| {
                let said = c.run.try_run(()).flatten();
                c.shown.try_set(said.as_ref().map(|s| s.message.clone()));
                Some((c.id.try_get_value()?, said?))
            })
            .collect();
        let refused = found.iter().any(|(_, s)| s.refused);
        // Advice already shown for these same answers: they are kept, so
        // the second press goes on.
        let seen = !refused && !found.is_empty() && self.summary.get_untracked() == found;
        if found.is_empty() || seen {
            self.summary.set(Vec::new());
            return;
        }
        ev.prevent_default();
        self.summary.set(found);
        focus_summary();
    }

    /// The error summary, at the top of the page.
    pub fn summary(&self) -> impl IntoView {
        let summary = self.summary;
        move || {
            let list = summary.get();
            (!list.is_empty()).then(|| {
                let refused = list.iter().any(|(_, s)| s.refused);
                view! {
                    <div class="error-summary" role="alert" tabindex="-1" data-testid="error-summary">
                        <h2 class="error-summary__title">{if refused { "There is a problem" } else { "Check your answer" }}</h2>
                        <ul class="error-summary__list">
                            {list.into_iter().map(|(id, said)| {
                                let target = id.clone();
                                view! {
                                    <li><a href=format!("#{id}") on:click=move |ev: leptos::ev::MouseEvent| {
                                        ev.prevent_default();
                                        focus_by_id(&target);
                                    }>{said.message}</a></li>
                                }
                            }).collect_view()}
                        </ul>
                        {(!refused).then(|| view! { <p>"Your answers are kept. Press the button again to go on."</p> })}
                    </div>
                }
            })
        }
    }
}

impl Default for PageChecks {
    fn default() -> Self {
        Self::new()
    }
}

/// The page's checks, if this page has any (pages outside a plan do not).
pub fn page_checks() -> Option<PageChecks> {
    use_context::<PageChecks>()
}

/// A Continue link that runs the page's checks before it goes.
pub fn checked_link(href: String, label: &'static str) -> impl IntoView {
    let checks = page_checks();
    view! {
        <a class="button" href=href on:click=move |ev: leptos::ev::MouseEvent| {
            if let Some(c) = checks { c.on_continue(&ev); }
        }>{label}</a>
    }
}

fn element(selector_id: &str) -> Option<web_sys::HtmlElement> {
    web_sys::window()?
        .document()?
        .get_element_by_id(selector_id)?
        .dyn_into()
        .ok()
}

fn focus_by_id(id: &str) {
    if let Some(e) = element(id) {
        super::focus(&e);
    }
}

/// Focus the summary once it is on the page.
fn focus_summary() {
    super::focus_when_shown("main .error-summary");
}
