//! Looking back: the plan's history, what others changed since this person
//! last looked, and answers both people changed at once (conflicts).

use leptos::prelude::*;

use super::common::framework_of;
use crate::doc::conflict::{choice_conflicts, ChoiceConflict, ChoiceValue};
use crate::doc::history::{changed_since, history, is_first_copy, known_to_me, SectionChange};
use crate::plan::compare::{choice_label as answer_name, differences};
use crate::plan::date::{hours_minutes, long_date};
use crate::plan::framework::Framework;
use crate::plan::questions;
use crate::plan::{PlanId, Section};
use crate::web::app::{use_app, App};
use crate::web::platform::settings;
use crate::web::route::{self, Page};

fn when(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| {
            let local = d.with_timezone(&chrono::Local);
            format!(
                "{} at {}",
                long_date(local.date_naive()),
                hours_minutes(local)
            )
        })
        .unwrap_or_default()
}

/// The page where a part's answers are asked.
pub fn page_of(part: &Section) -> Page {
    match part {
        Section::Plan => Page::SignOff,
        Section::Private => Page::Notes,
        other => Page::Section(other.clone()),
    }
}

#[component]
pub fn History(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let list = move || {
        ui.plan.track();
        let mut entries = app.read(&pid.get_value(), history).unwrap_or_default();
        entries.reverse();
        let on = on_device(app, &pid.get_value());
        view! {
            <ol class="timeline" data-testid="history">
                {entries.into_iter().map(|e| view! {
                    <li class="timeline-item">
                        <p class="timeline-when">{when(e.time)}</p>
                        <p><strong>{e.who_label()}</strong>{on(&e.actor)}": "{e.message.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
        }
    };
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"History of this plan"</h1>
        <p>"Every change, share, copy added and sign-off, newest first. Typing in one answer shows as one change."</p>
        {list}
    }
}

/// For a plan kept in step with devices the carer allowed: " on Sam
/// Patel's laptop" for a change made on one of them (named as she allowed
/// it), " on this device" for this one's. Nothing for a plan only ever
/// shared by file, where each person has one device of their own.
fn on_device(app: App, id: &PlanId) -> impl Fn(&str) -> String {
    let names = settings::device_names(id);
    let me = app.my_device();
    move |device: &str| {
        if names.is_empty() {
            String::new()
        } else if device == me {
            " on this device".to_string()
        } else {
            names
                .get(device)
                .map(|n| format!(" on {n}"))
                .unwrap_or_default()
        }
    }
}

/// Sections others changed since this person last looked (for the task list and the Changes page).
pub fn unseen_changes(app: App, id: &PlanId) -> Vec<SectionChange> {
    let seen = settings::seen(id);
    let me = app.my_device();
    app.read(id, |d| changed_since(d, &seen, &me))
        .unwrap_or_default()
}

#[component]
pub fn Changes(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let list = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let changes = unseen_changes(app, &id);
            let conflicts = conflict_count(app, &id);
            if changes.is_empty() {
                return view! { <p data-testid="no-changes">"Nobody else has changed the plan since you last looked."</p> }.into_any();
            }
            let seen = settings::seen(&id);
            let me = app.my_device();
            // A copy new to this device: everything in it is new, not "changed".
            if app.read(&id, |d| is_first_copy(d, &seen, &me)).unwrap_or(false) {
                let from = changes.iter().map(|c| c.who.clone()).next().unwrap_or_default();
                let mut parts: Vec<Section> = changes.iter().map(|c| c.part.clone()).collect();
                parts.sort();
                parts.dedup();
                return view! {
                    <p data-testid="first-copy">{format!("This is the first copy of this plan on this device, from {from}. It holds these sections:")}</p>
                    <ul class="change-list" data-testid="changes">
                        {parts.into_iter().filter(|p| *p != Section::Plan).map(|p| view! {
                            <li><a href=route::href(&id, page_of(&p))>{super::common::title_of(&p, fw)}</a></li>
                        }).collect_view()}
                    </ul>
                }.into_any();
            }
            let before = app
                .read(&id, |d| d.at(&known_to_me(d, &seen, &me)).and_then(|d| d.plan()).ok())
                .flatten()
                .unwrap_or_default();
            let on = on_device(app, &id);
            view! {
                {(conflicts > 0).then(|| view! {
                    <div class="notice notice--warning" role="status">
                        <p><strong>{format!("{conflicts} answer{} changed by both of you.", if conflicts == 1 { " was" } else { "s were" })}</strong></p>
                        <p><a href=route::href(&id, Page::Conflicts) data-testid="conflicts-link">"Choose which to keep"</a></p>
                    </div>
                })}
                <ul class="change-list" data-testid="changes">
                    {changes.into_iter().map(|c| {
                        let diffs = differences(&before, plan, &c.part, fw);
                        view! {
                            <li>
                                <h2 class="change-section"><a href=route::href(&id, page_of(&c.part))>{super::common::title_of(&c.part, fw)}</a></h2>
                                <p class="change-meta">{format!("Changed by {}{}, {}", c.who, on(c.device.as_deref().unwrap_or_default()), when(c.time))}</p>
                                {(!diffs.is_empty()).then(|| view! {
                                    <dl class="summary-list" data-testid="answer-changes">
                                        {diffs.into_iter().map(|d| view! {
                                            <div class="summary-row">
                                                <dt class="summary-key">{d.question}</dt>
                                                <dd class="summary-value">{change_words(d.before, d.after)}</dd>
                                            </div>
                                        }).collect_view()}
                                    </dl>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    let mark = move |_| {
        let id = pid.get_value();
        if let Some(heads) = app.read(&id, |d| d.heads()) {
            settings::set_seen(&id, &heads);
        }
        route::go(&route::Route::Plan(id, Page::Tasks));
    };
    view! {
        {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
        <h1 tabindex="-1">"What changed since you last looked"</h1>
        {list}
        <button type="button" class="button" data-testid="mark-seen" on:click=mark>"I have seen these: go to the plan"</button>
        {super::common::back_to_plan(&id)}
    }
}

/// "From “three years” to “since 2021”", shortened for long answers.
fn change_words(before: Option<String>, after: Option<String>) -> String {
    fn short(s: &str) -> String {
        let s = s.trim();
        if s.chars().count() > 160 {
            format!("{}…", s.chars().take(160).collect::<String>())
        } else {
            s.to_owned()
        }
    }
    match (before, after) {
        (None, Some(a)) => format!("Added: \u{201c}{}\u{201d}", short(&a)),
        (Some(b), None) => format!("Removed: \u{201c}{}\u{201d}", short(&b)),
        (Some(b), Some(a)) => format!(
            "From \u{201c}{}\u{201d} to \u{201c}{}\u{201d}",
            short(&b),
            short(&a)
        ),
        (None, None) => String::new(),
    }
}

/// Long answers waiting for a choice, plus choices holding two values.
pub fn conflict_count(app: App, id: &PlanId) -> usize {
    settings::text_conflicts(id).len() + app.read(id, choice_conflicts).map_or(0, |c| c.len())
}

/// A person-readable name for a choice that holds two values.
fn choice_label(c: &ChoiceConflict, fw: &Framework) -> String {
    format!("{}: {}", c.part.title(fw), answer_name(&c.path, &c.key))
}

fn choice_value_text(c: &ChoiceConflict, v: &ChoiceValue, fw: &Framework) -> String {
    let raw = v.text();
    if c.key == "rating" || c.key == "worker_rating" {
        if let Some(l) = fw.level(&raw) {
            return l.label.clone();
        }
    }
    if raw.is_empty() {
        "No answer".into()
    } else {
        raw
    }
}

#[component]
pub fn Conflicts(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let problem = RwSignal::new(None::<String>);
    let refresh = RwSignal::new(0u32);
    // What the person kept, said back to them.
    let kept = RwSignal::new(Vec::<String>::new());
    let me = app.my_device();
    let body = move || {
        refresh.track();
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let texts = settings::text_conflicts(&id);
            let choices = app.read(&id, choice_conflicts).unwrap_or_default();
            let participants = plan.participants.clone();
            // "Your answer", or "Sam Patel's answer (key worker)".
            let me = me.clone();
            let whose = move |device: &Option<String>| match device {
                Some(d) if *d == me => "Your answer".to_string(),
                Some(d) => participants
                    .get(d)
                    .filter(|p| !p.name.trim().is_empty())
                    .map(|p| format!("{}'s answer ({})", p.name.trim(), p.role.noun()))
                    .or_else(|| participants.get(d).map(|p| format!("The {}'s answer", p.role.noun())))
                    .unwrap_or_else(|| "Someone else's answer".into()),
                None => "An answer".into(),
            };
            if texts.is_empty() && choices.is_empty() {
                let done = kept.get_untracked();
                return if done.is_empty() {
                    view! { <p data-testid="no-conflicts">"There is nothing to choose: no answer was changed by two people at once."</p> }.into_any()
                } else {
                    view! {
                        <div class="notice" role="status" data-testid="no-conflicts">
                            <p><strong>"Every answer changed by both of you is settled."</strong></p>
                            <ul>{done.into_iter().map(|k| view! { <li>{k}</li> }).collect_view()}</ul>
                        </div>
                    }.into_any()
                };
            }
            view! {
                {texts.into_iter().enumerate().map(|(i, c)| {
                    let label = questions::meta(&c.field, Some(fw)).label;
                    let section = c.field.section_title();
                    let what = format!("{section}: {label}");
                    // "Both combined" is the answer as it reads now: typing
                    // after the conflict was found is kept too.
                    let now = c.field.value_in(plan);
                    let keep = move |(value, which): (String, &'static str)| {
                        let id = pid.get_value();
                        let field = c.field.clone();
                        match app.keep_text(&id, &field, &value) {
                            Ok(()) => {
                                kept.update(|k| k.push(format!("{what}: kept {which}.")));
                                refresh.update(|n| *n += 1);
                            }
                            Err(e) => problem.set(Some(e.to_string())),
                        }
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
                }).collect_view()}
                {choices.into_iter().map(|c| {
                    let label = choice_label(&c, fw);
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
                                        <button type="button" class="button button--secondary" on:click=move |_| {
                                            let id = pid.get_value();
                                            let value = value.clone();
                                            match app.keep_choice(&id, &cc.get_value(), &value) {
                                                Ok(()) => {
                                                    let line = format!("{}: {said}.", what.get_value());
                                                    kept.update(|k| k.push(line));
                                                    refresh.update(|n| *n += 1);
                                                }
                                                Err(e) => problem.set(Some(e.to_string())),
                                            }
                                        }>{format!("Keep \u{201c}{text}\u{201d}: {by}")}</button>
                                    }
                                }).collect_view()}
                            </div>
                        </section>
                    }
                }).collect_view()}
            }.into_any()
        })
    };
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"Answers changed by both of you"</h1>
        <p>"You and the other person changed these answers at the same time. Nothing has been lost: choose what the plan should keep."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        {body}
    }
}
