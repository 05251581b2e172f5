//! Answers both people changed at once (conflicts), after a copy was added
//! or the plan kept in step: each shown with its versions, and a button to
//! keep each. Nothing is lost until the person chooses.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::framework_of;
use super::later::read_later;
use crate::doc::conflict::{ChoiceConflict, ChoiceValue, TextConflict};
use crate::plan::compare::{choice_label as answer_name, choice_value_words};
use crate::plan::field::PathStep;
use crate::plan::framework::Framework;
use crate::plan::questions;
use crate::plan::{Participant, Plan, PlanId};
use crate::web::app::{use_app, App, AppError};
use crate::web::engine::protocol::{Reading, Readout};
use crate::web::platform::settings;
use crate::web::route::{self, Page};

/// The choices of the open plan holding two values, read beside the page
/// (`Reading::Conflicts`) and again whenever the plan changes; `None`
/// until the first answer.
pub type Choices = ReadSignal<Option<Vec<ChoiceConflict>>>;

pub fn choices_later(id: &PlanId) -> Choices {
    read_later(id.clone(), Reading::Conflicts, |r| match r {
        Readout::Conflicts(c) => Some(c),
        _ => None,
    })
}

/// Long answers waiting for a choice, plus choices holding two values (as
/// far as they are read yet).
pub fn conflict_count(id: &PlanId, choices: Choices) -> usize {
    settings::text_conflicts(id).len() + choices.with(|c| c.as_ref().map_or(0, Vec::len))
}

/// A person-readable name for a choice that holds two values.
fn choice_label(c: &ChoiceConflict, fw: &Framework, plan: &Plan) -> String {
    let answer = answer_name(&c.path, &c.key);
    match item_name(&c.path, plan) {
        Some(name) => format!(
            "{}: {} for \u{201c}{name}\u{201d}",
            c.part.title(fw),
            answer.trim_end_matches(" (in a list)")
        ),
        None => format!("{}: {answer}", c.part.title(fw)),
    }
}

/// The name of the list item (an action, a person, a contact, a risk) an
/// answer at `path` belongs to, as the plan on screen has it.
fn item_name(path: &[PathStep], plan: &Plan) -> Option<String> {
    let at = path.iter().position(|s| matches!(s, PathStep::Item(_)))?;
    let (PathStep::Key(list), PathStep::Item(id)) = (path.get(at.checked_sub(1)?)?, &path[at])
    else {
        return None;
    };
    let name = match list.as_str() {
        "actions" => plan
            .actions
            .iter()
            .find(|a| a.id == *id)?
            .what
            .as_str()
            .to_owned(),
        "cared_for" => plan.cared_for.iter().find(|p| p.id == *id)?.name.clone(),
        "contacts" => plan
            .emergency
            .contacts
            .iter()
            .find(|c| c.id == *id)?
            .name
            .clone(),
        "risks" => plan
            .emergency
            .risks
            .iter()
            .find(|r| r.id == *id)?
            .risk
            .as_str()
            .to_owned(),
        _ => return None,
    };
    let name = name.trim();
    (!name.is_empty()).then(|| name.to_owned())
}

fn choice_value_text(c: &ChoiceConflict, v: &ChoiceValue, fw: &Framework) -> String {
    choice_value_words(&c.key, &v.text_with(decimal), fw)
}

/// A number with a fraction, by the browser's own formatting.
fn decimal(f: f64) -> String {
    js_sys::Number::from(f)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

/// "Your answer", or "Sam Patel's answer (key worker)": who gave a value,
/// by the device that gave it.
fn whose(
    me: &str,
    participants: &BTreeMap<String, Participant>,
    device: &Option<String>,
) -> String {
    match device {
        Some(d) if *d == me => "Your answer".to_string(),
        Some(d) => participants
            .get(d)
            .filter(|p| !p.name.trim().is_empty())
            .map(|p| format!("{}'s answer ({})", p.name.trim(), p.role.noun()))
            .or_else(|| {
                participants
                    .get(d)
                    .map(|p| format!("The {}'s answer", p.role.noun()))
            })
            .unwrap_or_else(|| "Someone else's answer".into()),
        None => "An answer".into(),
    }
}

/// What the conflicts page remembers: what was kept, and a count that
/// rises each time, to read the long answers' list again.
#[derive(Clone, Copy)]
struct Settling {
    app: App,
    pid: StoredValue<PlanId>,
    problem: RwSignal<Option<String>>,
    refresh: RwSignal<u32>,
    /// A choice being kept: the buttons wait for it.
    keeping: RwSignal<bool>,
    /// What the person kept, said back to them.
    kept: RwSignal<Vec<String>>,
}

impl Settling {
    /// One answer was settled (`line` says how), or could not be.
    fn settled(self, result: Result<(), AppError>, line: impl FnOnce() -> String) {
        match result {
            Ok(()) => {
                self.kept.try_update(|k| k.push(line()));
                self.refresh.try_update(|n| *n += 1);
            }
            Err(e) => {
                self.problem.try_set(Some(e.to_string()));
            }
        }
    }
}

#[component]
pub fn Conflicts(id: PlanId) -> impl IntoView {
    let app = use_app();
    let s = Settling {
        app,
        pid: StoredValue::new(id.clone()),
        problem: RwSignal::new(None::<String>),
        refresh: RwSignal::new(0u32),
        keeping: RwSignal::new(false),
        kept: RwSignal::new(Vec::<String>::new()),
    };
    let choices = choices_later(&id);
    let me = app.my_device();
    let body = move || {
        s.refresh.track();
        let id = s.pid.get_value();
        app.ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let texts = settings::text_conflicts(&id);
            let Some(choices) = choices.get() else {
                return view! { <p class="hint" role="status" data-testid="conflicts-reading">"Reading the answers…"</p> }.into_any();
            };
            if texts.is_empty() && choices.is_empty() {
                return all_settled(s.kept.get_untracked()).into_any();
            }
            let by = |device: &Option<String>| whose(&me, &plan.participants, device);
            view! {
                {texts.into_iter().enumerate().map(|(i, c)| text_conflict(s, i, c, plan, fw)).collect_view()}
                {choices.into_iter().map(|c| choice_conflict(s, c, fw, plan, by)).collect_view()}
            }.into_any()
        })
    };
    let problem = s.problem;
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"Answers changed by both of you"</h1>
        <p>"You and the other person changed these answers at the same time. Nothing has been lost: choose what the plan should keep."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        {body}
    }
}

/// Nothing left to choose, and what the person kept, if anything.
fn all_settled(done: Vec<String>) -> AnyView {
    if done.is_empty() {
        view! { <p data-testid="no-conflicts">"There is nothing to choose: no answer was changed by two people at once."</p> }.into_any()
    } else {
        view! {
            <div class="notice" role="status" data-testid="no-conflicts">
                <p><strong>"Every answer changed by both of you is settled."</strong></p>
                <ul>{done.into_iter().map(|k| view! { <li>{k}</li> }).collect_view()}</ul>
            </div>
        }
        .into_any()
    }
}

/// A long answer both changed: the two versions, the two combined, and a
/// button to keep each.
fn text_conflict(
    s: Settling,
    i: usize,
    c: TextConflict,
    plan: &Plan,
    fw: &Framework,
) -> impl IntoView {
    let label = questions::meta(&c.field, Some(fw)).label;
    let section = c.field.section_title();
    let what = format!("{section}: {label}");
    // "Both combined" is the answer as it reads now: typing
    // after the conflict was found is kept too.
    let now = c.field.value_in(plan);
    let keep = move |(value, which): (String, &'static str)| {
        let id = s.pid.get_value();
        let field = c.field.clone();
        s.settled(s.app.keep_text(&id, &field, &value), || {
            format!("{what}: kept {which}.")
        });
    };
    let (k1, k2, k3) = (keep.clone(), keep.clone(), keep);
    let (m, t, b) = (c.mine.clone(), c.theirs.clone(), now.clone());
    view! {
        <section class="conflict" data-testid="text-conflict">
            <h2>{format!("{section}: {label}")}</h2>
            <div class="conflict-versions">
                <div><h3>"Your version"</h3><p class="pre">{c.mine.clone()}</p></div>
                <div><h3>"Their version"</h3><p class="pre">{c.theirs.clone()}</p></div>
                <div><h3>"Both combined"</h3><p class="pre">{now}</p></div>
            </div>
            <div class="button-group">
                <button type="button" class="button button--secondary" id=format!("keep-mine-{i}") on:click=move |_| k1((m.clone(), "your version"))>"Keep your version"</button>
                <button type="button" class="button button--secondary" on:click=move |_| k2((t.clone(), "their version"))>"Keep their version"</button>
                <button type="button" class="button button--secondary" on:click=move |_| k3((b.clone(), "both combined"))>"Keep both combined"</button>
            </div>
            <p class="hint">"You can change the answer afterwards on its page."</p>
        </section>
    }
}

/// A choice or short answer given two values at once: a button to keep
/// each, saying whose it was.
fn choice_conflict(
    s: Settling,
    c: ChoiceConflict,
    fw: &Framework,
    plan: &Plan,
    whose: impl Fn(&Option<String>) -> String,
) -> impl IntoView {
    let label = choice_label(&c, fw, plan);
    let cc = StoredValue::new(c.clone());
    let what = StoredValue::new(label.clone());
    view! {
        <section class="conflict" data-testid="choice-conflict">
            <h2>{label}</h2>
            <p>"Two different answers were given at the same time. Which should the plan keep?"</p>
            <div class="button-group">
                {c.values.iter().map(|v| {
                    let text = choice_value_text(&c, v, fw);
                    let by = whose(&v.by);
                    let said = format!("kept \u{201c}{text}\u{201d} \u{2014} {by}");
                    let value = v.value.clone();
                    view! {
                        <button type="button" class="button button--secondary" aria-disabled=move || s.keeping.get().then_some("true") on:click=move |_| {
                            if s.keeping.get_untracked() {
                                return;
                            }
                            let (id, value, said) = (s.pid.get_value(), value.clone(), said.clone());
                            s.keeping.set(true);
                            spawn_local(async move {
                                let result = s.app.keep_choice(&id, &cc.get_value(), &value).await;
                                s.keeping.try_set(false);
                                s.settled(result, || format!("{}: {said}.", what.get_value()));
                            });
                        }>{format!("Keep \u{201c}{text}\u{201d}: {by}")}</button>
                    }
                }).collect_view()}
            </div>
        </section>
    }
}
