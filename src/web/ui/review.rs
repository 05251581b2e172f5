//! Looking back: the plan's history, and what others changed since this
//! person last looked. Answers both people changed at once are settled in
//! `conflicts.rs`.

use leptos::prelude::*;

use super::common::framework_of;
use super::conflicts::conflict_count;
use super::later::{read_later, read_later_as};
use crate::doc::history::{HistoryEntry, SectionChange, Unseen};
use crate::plan::compare::Difference;
use crate::plan::date::{hours_minutes, long_date};
use crate::plan::framework::Framework;
use crate::plan::{PlanId, Section};
use crate::web::app::{use_app, App};
use crate::web::engine::protocol::{Reading, Readout};
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
    let pid = StoredValue::new(id.clone());
    // Read beside the page: a long plan's history is every change ever made.
    let entries = read_later(id.clone(), Reading::History, |r| match r {
        Readout::History(h) => Some(h),
        _ => None,
    });
    let list = move || {
        let Some(mut entries) = entries.get() else {
            return view! { <p class="hint" role="status" data-testid="history-reading">"Reading the history…"</p> }.into_any();
        };
        entries.reverse();
        let on = on_device(app, &pid.get_value());
        view! {
            <ol class="timeline" data-testid="history">
                {entries.into_iter().map(|e: HistoryEntry| view! {
                    <li class="timeline-item">
                        <p class="timeline-when">{when(e.time)}</p>
                        <p><strong>{e.who_label()}</strong>{on(&e.actor)}": "{e.message.clone()}</p>
                    </li>
                }).collect_view()}
            </ol>
        }
        .into_any()
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

/// What others changed since this person last looked (for the task
/// list's banner and the Changes page), read beside the page and again
/// whenever the plan changes.
pub fn unseen_later(app: App, id: &PlanId) -> ReadSignal<Option<Unseen>> {
    let my_device = app.my_device();
    let plan = id.clone();
    // What she has seen, read from storage again only when another tab
    // says it changed (not on every change of the plan).
    let seen = Memo::new(move |_| {
        app.ui.seen.track();
        settings::seen(&plan)
    });
    read_later_as(
        id.clone(),
        move || Reading::Unseen {
            seen: seen.get(),
            my_device: my_device.clone(),
        },
        |r| match r {
            Readout::Unseen(u) => Some(u),
            _ => None,
        },
    )
}

#[component]
pub fn Changes(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let unseen = unseen_later(app, &id);
    let choices = super::conflicts::choices_later(&id);
    let list = move || {
        let id = pid.get_value();
        let Some(Unseen {
            sections,
            first_copy: first,
        }) = unseen.get()
        else {
            return view! { <p class="hint" role="status" data-testid="changes-reading">"Reading what changed…"</p> }.into_any();
        };
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let conflicts = conflict_count(&id, choices);
            if sections.is_empty() {
                return view! { <p data-testid="no-changes">"Nobody else has changed the plan since you last looked."</p> }.into_any();
            }
            // A copy new to this device: everything in it is new, not "changed".
            if first {
                let changes: Vec<SectionChange> = sections.into_iter().map(|(c, _)| c).collect();
                return first_copy(&id, fw, &changes, &app.parts(&id)).into_any();
            }
            let on = on_device(app, &id);
            view! {
                {(conflicts > 0).then(|| view! {
                    <div class="notice notice--warning" role="status">
                        <p><strong>{format!("{conflicts} answer{} changed by both of you.", if conflicts == 1 { " was" } else { "s were" })}</strong></p>
                        <p><a href=route::href(&id, Page::Conflicts) data-testid="conflicts-link">"Choose which to keep"</a></p>
                    </div>
                })}
                <ul class="change-list" data-testid="changes">
                    {sections.into_iter().map(|(c, diffs)| changed_section(&id, fw, &on, c, diffs)).collect_view()}
                </ul>
            }.into_any()
        })
    };
    let mark = move |_| {
        let id = pid.get_value();
        app.mark_seen(&id);
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

/// A copy new to this device: everything in it is new, not "changed", so
/// say where it came from and which sections it holds (`held`: those
/// written in and those shared still empty alike).
fn first_copy(
    id: &PlanId,
    fw: &Framework,
    changes: &[SectionChange],
    held: &[Section],
) -> impl IntoView {
    let from = changes
        .iter()
        .map(|c| c.who.clone())
        .next()
        .unwrap_or_default();
    let parts: Vec<Section> = Section::on_task_list(fw)
        .into_iter()
        .filter(|s| held.contains(s) || changes.iter().any(|c| c.part == *s))
        .collect();
    view! {
        <p data-testid="first-copy">{format!("This is the first copy of this plan on this device, from {from}. It holds these sections:")}</p>
        <ul class="change-list" data-testid="changes">
            {parts.into_iter().filter(|p| *p != Section::Plan).map(|p| view! {
                <li><a href=route::href(id, page_of(&p))>{super::common::title_of(&p, fw)}</a></li>
            }).collect_view()}
        </ul>
    }
}

/// One section someone else changed: who, on which device, when, and each
/// answer from what it was to what it is (`diffs`).
fn changed_section(
    id: &PlanId,
    fw: &Framework,
    on: &impl Fn(&str) -> String,
    c: SectionChange,
    diffs: Vec<Difference>,
) -> impl IntoView {
    view! {
        <li>
            <h2 class="change-section"><a href=route::href(id, page_of(&c.part))>{super::common::title_of(&c.part, fw)}</a></h2>
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
