//! Which sections leave the device, for a share file or for keeping in
//! step: the sections a person may choose, the boxes to tick, and "check
//! what you are sending" with each section's answers to open.

use leptos::prelude::*;

use super::common::error_summary;
use crate::plan::answers::answers_of;
use crate::plan::framework::Framework;
use crate::plan::{Plan, Section};

/// The sections a person can choose to share: those on the task list that
/// this copy holds, in the task list's order and words.
pub(super) fn shareable(plan: &Plan, fw: &Framework, held: &[Section]) -> Vec<Section> {
    Section::on_task_list(fw)
        .into_iter()
        .filter(|p| {
            held.contains(p) && !matches!(p, Section::Area(i) if !plan.wellbeing.contains_key(i))
        })
        .collect()
}

/// The answers of one section as (question, answer) pairs, for "check what
/// you are sending".
fn answers_in(plan: &Plan, fw: &Framework, part: &Section) -> Vec<(String, String)> {
    answers_of(plan, part, fw)
        .into_iter()
        .filter_map(|a| a.value.map(|v| (a.question, v)))
        .collect()
}

/// The top of "which sections?": caption, question, what ticking means,
/// any problem, and the sections to tick.
pub(super) fn choose_sections(
    caption: &'static str,
    heading: &'static str,
    intro: &'static str,
    problem: RwSignal<Option<String>>,
    fw: &Framework,
    options: Vec<Section>,
    chosen: RwSignal<Vec<Section>>,
) -> impl IntoView {
    view! {
        <p class="caption">{caption}</p>
        <h1 tabindex="-1">{heading}</h1>
        <p>{intro}</p>
        {error_summary(problem)}
        {section_checkboxes(fw, options, chosen)}
    }
}

/// The sections to tick, in the task list's words.
fn section_checkboxes(
    fw: &Framework,
    options: Vec<Section>,
    chosen: RwSignal<Vec<Section>>,
) -> impl IntoView {
    view! {
        <div class="field">
            <fieldset class="fieldset">
                <legend class="legend">"Sections to share"</legend>
                <div class="checkboxes">
                    {options.into_iter().map(|part| {
                        let cid = format!("share-{}", part.id());
                        let p1 = part.clone();
                        let p2 = part.clone();
                        view! {
                            <div class="checkbox">
                                <input class="checkbox-input" type="checkbox" id=cid.clone() name="share-sections"
                                    prop:checked=move || chosen.with(|c| c.contains(&p1))
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        chosen.update(|c| { c.retain(|x| *x != p2); if on { c.push(p2.clone()); } });
                                    }/>
                                <label class="checkbox-label" for=cid>{super::common::title_of(&part, fw)}</label>
                            </div>
                        }
                    }).collect_view()}
                </div>
            </fieldset>
        </div>
    }
}

/// "Sections you are sending", each with its answers to open, and what stays.
pub(super) fn sending_list(
    plan: &Plan,
    fw: &Framework,
    sending: &[Section],
    keeping: &[Section],
) -> impl IntoView {
    view! {
        <h2>"Sections you are sending"</h2>
        <ul class="check-sections" data-testid="check-sending">
            {sending.iter().map(|part| {
                let answers = answers_in(plan, fw, part);
                view! {
                    <li>
                        <details>
                            <summary>{super::common::title_of(part, fw)}{format!(" ({} answer{})", answers.len(), if answers.len() == 1 { "" } else { "s" })}</summary>
                            <dl class="summary-list">
                                {answers.into_iter().map(|(q, a)| view! { <div class="summary-row"><dt>{q}</dt><dd class="pre">{a}</dd></div> }).collect_view()}
                            </dl>
                        </details>
                    </li>
                }
            }).collect_view()}
            <li>"Your name, where you live, who has shared the plan and when, sign-off and review dates"</li>
        </ul>
        {(!keeping.is_empty()).then(|| view! {
            <h2>"Not sent: these stay on this device"</h2>
            <ul data-testid="check-keeping">{keeping.iter().map(|p| view! { <li>{super::common::title_of(p, fw)}</li> }).collect_view()}</ul>
        })}
    }
}
