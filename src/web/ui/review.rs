//! Looking back: the plan's history, what others changed since this person
//! last looked, and answers both people changed at once (conflicts).

use leptos::prelude::*;

use super::plan::framework_of;
use super::questions;
use crate::core::conflict::{choice_conflicts, ChoiceConflict, PathStep};
use crate::core::date::long_date;
use crate::core::framework::Framework;
use crate::core::history::{changed_since, history};
use crate::core::part::Part;
use crate::core::plan::Plan;
use crate::core::PlanId;
use crate::web::route::{self, Page};
use crate::web::{session, settings, state};

fn when(seconds: i64) -> String {
    chrono::DateTime::from_timestamp(seconds, 0)
        .map(|d| {
            let local = d.with_timezone(&chrono::Local);
            format!(
                "{} at {}",
                long_date(local.date_naive()),
                local.format("%H:%M")
            )
        })
        .unwrap_or_default()
}

/// The page where a part's answers are asked.
pub fn page_of(part: &Part) -> Page {
    match part {
        Part::AboutYou => Page::AboutYou,
        Part::People => Page::People,
        Part::CaringRole => Page::Role,
        Part::Area(a) => Page::Area(a.clone()),
        Part::Actions => Page::Actions,
        Part::Eligibility => Page::Eligibility,
        Part::Emergency => Page::Emergency,
        Part::Future => Page::Future,
        Part::Plan => Page::SignOff,
        Part::Private => Page::Notes,
    }
}

#[component]
pub fn History(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let list = move || {
        ui.plan.track();
        let mut entries = session::with_doc(&pid.get_value(), history).unwrap_or_default();
        entries.reverse();
        view! {
            <ol class="timeline" data-testid="history">
                {entries.into_iter().map(|e| view! {
                    <li class="timeline-item">
                        <p class="timeline-when">{when(e.time)}</p>
                        <p><strong>{e.who_label()}</strong>": "{e.message.clone()}</p>
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

/// Sections others changed since this person last looked (for the task list and the Changes page).
pub fn unseen_changes(id: &PlanId) -> Vec<crate::core::history::SectionChange> {
    let seen = settings::seen(id);
    let me = session::my_device();
    session::with_doc(id, |d| changed_since(d, &seen, &me)).unwrap_or_default()
}

#[component]
pub fn Changes(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let list = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let changes = unseen_changes(&id);
            let conflicts = conflict_count(&id);
            if changes.is_empty() {
                return view! { <p data-testid="no-changes">"Nobody else has changed the plan since you last looked."</p> }.into_any();
            }
            view! {
                {(conflicts > 0).then(|| view! {
                    <div class="notice notice--warning" role="status">
                        <p><strong>{format!("{conflicts} answer{} changed by both of you.", if conflicts == 1 { " was" } else { "s were" })}</strong></p>
                        <p><a href=route::href(&id, Page::Conflicts) data-testid="conflicts-link">"Choose which to keep"</a></p>
                    </div>
                })}
                <ul class="change-list" data-testid="changes">
                    {changes.into_iter().map(|c| view! {
                        <li>
                            <a href=route::href(&id, page_of(&c.part))>{c.part.title(fw)}</a>
                            <span class="change-meta">{format!(" changed by {} on {}", c.who, when(c.time))}</span>
                        </li>
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    let mark = move |_| {
        let id = pid.get_value();
        if let Some(heads) = session::with_doc(&id, |d| d.heads()) {
            settings::set_seen(&id, &heads);
        }
        route::go(&route::Route::Plan(id, Page::Tasks));
    };
    view! {
        {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
        <h1 tabindex="-1">"What changed since you last looked"</h1>
        {list}
        <button type="button" class="button" data-testid="mark-seen" on:click=mark>"I have seen these: go to the plan"</button>
    }
}

/// Long answers waiting for a choice, plus choices holding two values.
pub fn conflict_count(id: &PlanId) -> usize {
    settings::text_conflicts(id).len()
        + session::with_doc(id, choice_conflicts).map_or(0, |c| c.len())
}

/// A person-readable name for a choice that holds two values.
fn choice_label(c: &ChoiceConflict, plan: &Plan, fw: &Framework) -> String {
    let section = c.part.title(fw);
    let what = match c.key.as_str() {
        "rating" => "How much caring affects this (the carer's rating)",
        "worker_rating" => "The key worker's rating",
        "hours_per_week" => "Hours of caring a week",
        "night_care" => "Caring at night",
        "able_to_continue" => "Able to go on caring",
        "willing_to_continue" => "Want to go on caring",
        "terminal_illness" => "Terminal illness",
        "helped_by" => "Who is helping to fill in the plan",
        "lives_with_carer" => "Lives with the carer",
        "status" => "Action's progress",
        "by_when" => "Action's date",
        "next_due" => "Next review date",
        "name" => "Name",
        "preferred_name" => "Preferred name",
        "phone" => "Phone number",
        "email" => "Email address",
        "relationship" => "Relationship",
        "how_long" => "How long you have been caring",
        "who" => "Who will do the action",
        other => other,
    };
    let _ = plan;
    let within = c.path.iter().any(|s| matches!(s, PathStep::Item(_)));
    format!(
        "{section}: {what}{}",
        if within { " (in a list)" } else { "" }
    )
}

fn choice_value_text(
    c: &ChoiceConflict,
    v: &crate::core::conflict::ChoiceValue,
    fw: &Framework,
) -> String {
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
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let problem = RwSignal::new(None::<String>);
    let refresh = RwSignal::new(0u32);
    let body = move || {
        refresh.track();
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let texts = settings::text_conflicts(&id);
            let choices = session::with_doc(&id, choice_conflicts).unwrap_or_default();
            let participants = plan.participants.clone();
            let who = move |device: &Option<String>| {
                device
                    .as_ref()
                    .and_then(|d| participants.get(d))
                    .map(|p| if p.name.trim().is_empty() { format!("The {}", p.role.label()) } else { format!("{} ({})", p.name, p.role.label()) })
                    .unwrap_or_else(|| "Someone".into())
            };
            if texts.is_empty() && choices.is_empty() {
                return view! { <p data-testid="no-conflicts">"There is nothing to choose: no answer was changed by two people at once."</p> }.into_any();
            }
            view! {
                {texts.into_iter().enumerate().map(|(i, c)| {
                    let label = questions::meta(&c.field, Some(fw)).label;
                    let section = c.field.section_title();
                    let keep = move |value: String| {
                        let id = pid.get_value();
                        let field = c.field.clone();
                        match session::set_field(&id, &field, &value) {
                            Ok(()) => {
                                let mut list = settings::text_conflicts(&id);
                                list.retain(|x| x.field != field);
                                settings::set_text_conflicts(&id, &list);
                                refresh.update(|n| *n += 1);
                            }
                            Err(e) => problem.set(Some(e.to_string())),
                        }
                    };
                    let (k1, k2, k3) = (keep.clone(), keep.clone(), keep);
                    let (m, t, b) = (c.mine.clone(), c.theirs.clone(), c.merged.clone());
                    view! {
                        <section class="conflict" data-testid="text-conflict">
                            <h2>{format!("{section}: {label}")}</h2>
                            <div class="conflict-versions">
                                <div><h3>"Your version"</h3><p class="pre">{c.mine.clone()}</p></div>
                                <div><h3>"Their version"</h3><p class="pre">{c.theirs.clone()}</p></div>
                                <div><h3>"Both combined"</h3><p class="pre">{c.merged.clone()}</p></div>
                            </div>
                            <div class="button-group">
                                <button type="button" class="button button--secondary" id=format!("keep-mine-{i}") on:click=move |_| k1(m.clone())>"Keep your version"</button>
                                <button type="button" class="button button--secondary" on:click=move |_| k2(t.clone())>"Keep their version"</button>
                                <button type="button" class="button button--secondary" on:click=move |_| k3(b.clone())>"Keep both combined"</button>
                            </div>
                            <p class="hint">"You can change the answer afterwards on its page."</p>
                        </section>
                    }
                }).collect_view()}
                {choices.into_iter().map(|c| {
                    let label = choice_label(&c, plan, fw);
                    let cc = StoredValue::new(c.clone());
                    view! {
                        <section class="conflict" data-testid="choice-conflict">
                            <h2>{label}</h2>
                            <p>"Two different answers were given at the same time. Which should the plan keep?"</p>
                            <div class="button-group">
                                {c.values.iter().map(|v| {
                                    let text = choice_value_text(&c, v, fw);
                                    let by = who(&v.by);
                                    let value = v.value.clone();
                                    view! {
                                        <button type="button" class="button button--secondary" on:click=move |_| {
                                            let id = pid.get_value();
                                            let value = value.clone();
                                            let result = session::with_doc_mut(&id, |doc, _| {
                                                doc.resolve_choice(&cc.get_value(), &value, "Chose between two answers", state::now_ms())
                                            });
                                            match result {
                                                Ok(()) => refresh.update(|n| *n += 1),
                                                Err(e) => problem.set(Some(e)),
                                            }
                                        }>{format!("Keep \u{201c}{text}\u{201d} ({by})")}</button>
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
