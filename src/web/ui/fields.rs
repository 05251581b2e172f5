//! Question components: a typed answer, a choice of options, a number, a
//! date, and "Have you finished this section?". Typed answers save as the
//! person types; a value that fails its check is shown with a kind message
//! beside the field and nothing already saved is touched.

use leptos::prelude::*;

use crate::plan::framework::Framework;
use crate::plan::questions::{meta, Input, Meta};
use crate::plan::text::Splice;
use crate::plan::{Coded, Edit, Field, PlanId, Section, SectionStatus};
use crate::web::app::{use_app, App, Key, Shown};
use crate::web::platform::caret::{set_keeping_caret, TextControl};
use crate::web::route::{self, Page};
use crate::web::words::Words;

use super::checks::{checked_link, page_checks, Said};
use super::choices::error_message;
pub use super::choices::{coded_opts, opt, opt_hint, Choice, CodedChoice, Opt};

fn describedby(hint: Option<String>, error: Option<String>) -> Option<String> {
    let ids: Vec<String> = [hint, error].into_iter().flatten().collect();
    (!ids.is_empty()).then(|| ids.join(" "))
}

/// One typed answer, saved as the person types.
#[component]
pub fn Question(
    id: PlanId,
    field: Field,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] input: Input,
) -> impl IntoView {
    let t = Typed::new(id, field);
    let error = t.error;
    let html_id = t.field.with_value(|f| f.html_id());
    let hint_id = format!("{html_id}-hint");
    let error_id = format!("{html_id}-error");
    let described = {
        let (h, e) = (hint.as_ref().map(|_| hint_id.clone()), error_id.clone());
        move || describedby(h.clone(), error.get().map(|_| e.clone()))
    };
    // Said when Continue is pressed, not when the box loses focus.
    if let Some(checks) = page_checks() {
        checks.add(html_id.clone(), t.check(), error);
    }
    let invalid = move || error.get().is_some().then_some("true");
    let control = text_control(t, input, html_id.clone(), described, invalid);
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="label" for=html_id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error_message(error, error_id.clone())}
            {control}
        </div>
    }
}

/// A typed answer's state: which answer, what its box shows, what was typed
/// last and what is wrong with it.
#[derive(Clone, Copy)]
struct Typed {
    app: App,
    plan_id: StoredValue<PlanId>,
    field: StoredValue<Field>,
    error: RwSignal<Option<String>>,
    /// What the box shows and which version of it (`Shown`): a key is sent
    /// as the splice it made there, never worked out against the document.
    shown: StoredValue<(String, Shown)>,
    /// What was typed last (a refused value is not in the plan): what
    /// Continue checks.
    typed: StoredValue<Option<String>>,
}

// The browser can fire `change` while the page is being taken down (the
// field loses focus as it is removed), after this component's values are
// gone: so the handlers use `try_` and do nothing then.
impl Typed {
    fn new(id: PlanId, field: Field) -> Self {
        Typed {
            app: use_app(),
            error: RwSignal::new(None::<String>),
            plan_id: StoredValue::new(id),
            field: StoredValue::new(field),
            shown: StoredValue::new((String::new(), Shown::Nothing)),
            typed: StoredValue::new(None::<String>),
        }
    }

    /// The answer as the plan on screen has it (kept up to date part by
    /// part), not the document: a keystroke reads its answer's text once,
    /// not once more here.
    fn value(self) -> String {
        self.app.ui.plan.with(|p| {
            p.as_ref()
                .map(|p| self.field.with_value(|f| f.value_in(p)))
                .unwrap_or_default()
        })
    }

    /// A key was typed: send the splice it made.
    fn on_input(self, ev: web_sys::Event) {
        let Typed {
            app,
            error,
            shown,
            typed,
            ..
        } = self;
        let Some(el) = TextControl::of_event(&ev) else {
            return;
        };
        let (Some(f), Some(id), Some((before, heads))) = (
            self.field.try_get_value(),
            self.plan_id.try_get_value(),
            shown.try_get_value(),
        ) else {
            return;
        };
        let v = el.value();
        typed.try_set_value(Some(v.clone()));
        let Some(splice) = Splice::typed(&before, &v, el.selection().map(|s| s.1)) else {
            return;
        };
        let key = Key {
            field: &f,
            shown: &heads,
            before: &before,
            splice: &splice,
            text: &v,
        };
        match app.type_into(&id, key) {
            Ok(now) => {
                shown.try_set_value((v.clone(), now));
                if error.try_get_untracked().flatten().is_some() {
                    error.try_set(f.advise(&v).map(|e| e.words()));
                }
            }
            // The box keeps what was typed, the answer what it held; the
            // next key is sent against that.
            Err(e) => {
                error.try_set(Some(e.to_string()));
            }
        }
    }

    /// What Continue says of the answer: refused, advised, or nothing.
    fn check(self) -> Callback<(), Option<Said>> {
        Callback::new(move |()| {
            let f = self.field.try_get_value()?;
            let v = self
                .typed
                .try_get_value()
                .flatten()
                .unwrap_or_else(|| self.value());
            match f.validate(&v) {
                Err(e) => Some(Said {
                    message: e.words(),
                    refused: true,
                }),
                Ok(()) => f.advise(&v).map(|e| Said {
                    message: e.words(),
                    refused: false,
                }),
            }
        })
    }

    /// The answer changed (another person's typing, another tab, or this
    /// box's own key): a box that does not show it yet is given it as the
    /// document has it now, the caret moved through the change itself.
    fn show(self, el: TextControl, v: &str) {
        let Typed {
            app, shown, typed, ..
        } = self;
        // The box shows it (its own key) and knows which version: done.
        // When its last key was taken, what it shows is known without
        // asking the page for its value (a copy of the whole text, a key).
        let (told, known) = shown
            .try_with_value(|(t, h)| (!h.is_none(), t == v))
            .unwrap_or((false, false));
        let taken = || typed.try_with_value(|t| t.as_deref().is_none_or(|t| t == v)) == Some(true);
        if told && ((known && taken()) || el.value() == v) {
            return;
        }
        let (Some(f), Some(id), Some(then)) = (
            self.field.try_get_value(),
            self.plan_id.try_get_value(),
            shown.try_get_value(),
        ) else {
            return;
        };
        let Some((text, heads)) = app.shown(&id, &f) else {
            return;
        };
        set_keeping_caret(&el, &text, |at| app.caret_now(&then, &text, at));
        shown.try_set_value((text, heads));
    }
}

/// The box itself, a line or a larger area. The value is set by hand, not
/// bound: when the other person's typing or another tab's edit arrives
/// while the person is typing here, their caret stays after the letter it
/// followed instead of jumping.
fn text_control(
    t: Typed,
    input: Input,
    html_id: String,
    described: impl Fn() -> Option<String> + Clone + Send + Sync + 'static,
    invalid: impl Fn() -> Option<&'static str> + Copy + Send + Sync + 'static,
) -> AnyView {
    let or = |s: &'static str, default| if s.is_empty() { default } else { s };
    let input_type = or(input.input_type, "text");
    let autocomplete = or(input.autocomplete, "off");
    if input.multiline {
        let node = NodeRef::<leptos::html::Textarea>::new();
        Effect::new(move |_| {
            let v = t.value();
            if let Some(el) = node.get() {
                t.show(TextControl::Area(el), &v);
            }
        });
        view! {
            <textarea class="textarea" id=html_id.clone() name=html_id.clone() rows="5" node_ref=node
                autocomplete=autocomplete aria-describedby=described.clone() aria-invalid=invalid
                on:input=move |ev| t.on_input(ev)></textarea>
        }
        .into_any()
    } else {
        let node = NodeRef::<leptos::html::Input>::new();
        Effect::new(move |_| {
            let v = t.value();
            if let Some(el) = node.get() {
                t.show(TextControl::Line(el), &v);
            }
        });
        view! {
            <input class=format!("input {}", input.width_class) id=html_id.clone() name=html_id.clone()
                type=input_type autocomplete=autocomplete spellcheck="false" node_ref=node
                aria-describedby=described aria-invalid=invalid
                on:input=move |ev| t.on_input(ev)/>
        }
        .into_any()
    }
}

/// A short answer checked by `check` before it is kept.
#[component]
pub fn CheckedInput(
    html_id: String,
    label: String,
    #[prop(optional)] hint: Option<String>,
    #[prop(optional)] input_type: Option<&'static str>,
    #[prop(optional)] inputmode: Option<&'static str>,
    #[prop(optional)] width_class: Option<&'static str>,
    value: Signal<String>,
    /// Keep the value, or say why not.
    check: Callback<String, Result<(), String>>,
    /// Something to say about a value that is kept all the same, when the
    /// person presses Continue (not while they type, nor when they leave).
    #[prop(optional)]
    advise: Option<Callback<String, Option<String>>>,
) -> impl IntoView {
    let error = RwSignal::new(None::<String>);
    // The value refused last (not kept), and the value typed last.
    let refused = RwSignal::new(None::<String>);
    let typed = RwSignal::new(None::<String>);
    let hint_id = format!("{html_id}-hint");
    let error_id = format!("{html_id}-error");
    let described = {
        let (h, e) = (hint.as_ref().map(|_| hint_id.clone()), error_id.clone());
        move || describedby(h.clone(), error.get().map(|_| e.clone()))
    };
    if let Some(checks) = page_checks() {
        let run = Callback::new(move |()| {
            if let Some(r) = refused.try_get_untracked().flatten() {
                return Some(Said {
                    message: r,
                    refused: true,
                });
            }
            let v = typed
                .try_get_untracked()
                .flatten()
                .unwrap_or_else(|| value.get_untracked());
            advise?.try_run(v).flatten().map(|m| Said {
                message: m,
                refused: false,
            })
        });
        checks.add(html_id.clone(), run, error);
    }
    let on_input = move |ev| {
        let v = event_target_value(&ev);
        typed.try_set(Some(v.clone()));
        let no = check.try_run(v).and_then(Result::err);
        refused.try_set(no.clone());
        // While typing, a refusal shows (the value is not kept); a message
        // already shown is updated or goes once the value is fine.
        if no.is_some() || error.try_get_untracked().flatten().is_some() {
            error.try_set(no);
        }
    };
    view! {
        <div class="field" class:field--error=move || error.get().is_some()>
            <label class="label" for=html_id.clone()>{label}</label>
            {hint.map(|h| view! { <p class="hint" id=hint_id.clone()>{h}</p> })}
            {error_message(error, error_id.clone())}
            <input class=format!("input {}", width_class.unwrap_or("")) id=html_id.clone() name=html_id.clone()
                type=input_type.unwrap_or("text") inputmode=inputmode
                aria-describedby=described aria-invalid=move || error.get().is_some().then_some("true")
                prop:value=move || value.get() on:input=on_input/>
        </div>
    }
}

/// "Have you finished this section?" and a button back to the task list.
#[component]
pub fn SectionDone(id: PlanId, section: Section) -> impl IntoView {
    let app = use_app();
    let key = section.id();
    let current = Signal::derive(move || {
        app.ui
            .plan
            .with(|p| p.as_ref().and_then(|p| p.sections.get(&key)).copied())
    });
    let plan_id = id.clone();
    let s2 = section.clone();
    let on_pick = Callback::new(move |status: SectionStatus| {
        app.edit(
            &plan_id,
            Edit::MarkSection {
                section: s2.clone(),
                status,
            },
        )
    });
    view! {
        <CodedChoice name=format!("done-{}", section.id()) legend="Have you finished this section?".to_string()
            values=SectionStatus::ALL current=current on_pick=on_pick/>
        {checked_link(route::href(&id, Page::Tasks), super::common::words("Save and go to your plan", "Save and go to the plan"))}
    }
}

/// The question for `field`, in its standard wording, saved as it is typed.
pub fn ask(id: &PlanId, field: Field, fw: Option<&Framework>) -> AnyView {
    let Meta { label, hint, input } = meta(&field, fw);
    let id = id.clone();
    match hint {
        Some(h) => {
            view! { <Question id=id field=field label=label hint=h input=input/> }.into_any()
        }
        None => view! { <Question id=id field=field label=label input=input/> }.into_any(),
    }
}
