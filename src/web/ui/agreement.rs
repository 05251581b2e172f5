//! The carer's agreement, in the carer's order: the key worker marks the
//! plan ready; the carer reads what the worker added, clearly marked as
//! theirs, and agrees or says what they do not agree with, on their own
//! device; the worker then signs. In a meeting, the carer can agree on the
//! worker's device, recorded as such. Every step goes in the history.

use leptos::prelude::*;

use super::common::{back_to_plan, framework_of, words_box};
use crate::plan::answers::answers_of;
use crate::plan::date::long_date_of_ms;
use crate::plan::review::{agreement, Agreement};
use crate::plan::{Edit, Plan, PlanId, Section};
use crate::web::app::{now_ms, use_app};
use crate::web::route::{self, Page};

/// The worker's side, on the sign-off page: where the agreement stands and
/// the next step.
#[component]
pub fn AgreementSteps(id: PlanId) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let act = move |edit: Edit| {
        problem.set(
            app.edit(&pid.get_value(), edit)
                .err()
                .map(|e| e.to_string()),
        );
    };
    let state = move || {
        app.ui.plan.with(|p| {
            p.as_ref().map(|p| {
                (
                    agreement(p),
                    p.display_name().unwrap_or("the carer").to_owned(),
                    // Signed, and no review round open (whose agreement is
                    // asked as the first was).
                    crate::plan::review::last_agreed(p)
                        .filter(|_| crate::plan::review::open_review(p).is_none())
                        .map(|v| v.worker.at),
                )
            })
        })
    };
    view! {
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        {move || state().map(|(state, carer, signed)| {
            let ask = move |_| act(Edit::MarkReadyToAgree { at: now_ms() });
            let in_meeting = move |_| {
                if matches!(app.ui.plan.with_untracked(|p| p.as_ref().map(agreement)), Some(Agreement::NotAsked | Agreement::Disagreed { .. })) {
                    act(Edit::MarkReadyToAgree { at: now_ms() });
                }
                act(Edit::CarerAgrees { at: now_ms(), device: app.my_device(), in_meeting: true });
            };
            let meeting = view! {
                <div class="meeting">
                    <p><strong>{format!("Is {carer} with you now?")}</strong></p>
                    <p>{format!("If {carer} has read the plan with you, including what you added, and agrees, record it here. The history will say it was agreed in a meeting.")}</p>
                    <button type="button" class="button button--secondary" data-testid="agree-in-meeting" on:click=in_meeting>{format!("{carer} agrees, here with me")}</button>
                </div>
            };
            match state {
                Agreement::NotAsked => view! {
                    <div class="inset" data-testid="agreement">
                        <p>{match signed {
                            // An agreement is used up by the sign-off it was given for.
                            Some(at) => format!("{carer} agreed to the plan you signed on {}. To sign it again after a change, {carer} needs to see it and agree again.", long_date_of_ms(at)),
                            None => format!("{carer} has not been asked to agree yet."),
                        }}</p>
                        <button type="button" class="button" data-testid="mark-ready" on:click=ask>"Mark as ready for the carer to agree"</button>
                        {meeting}
                    </div>
                }.into_any(),
                Agreement::Asked { at } if app.keep_view(&pid.get_value()).is_some_and(|v| !v.stopped) => view! {
                    <div class="inset" data-testid="agreement">
                        <p>{format!("Marked ready on {}. The plan is kept in step with {carer}: they see what you added on their own device as soon as you are both online, and their answer comes back the same way.", long_date_of_ms(at))}</p>
                        {meeting}
                    </div>
                }.into_any(),
                Agreement::Asked { at } => view! {
                    <div class="inset" data-testid="agreement">
                        <p>{format!("Marked ready on {}. Send the plan to {carer}: they read what you added and agree on their own device, then send it back.", long_date_of_ms(at))}</p>
                        <p><a href=route::href(&pid.get_value(), Page::Share)>"Send the plan to the carer"</a></p>
                        {meeting}
                    </div>
                }.into_any(),
                Agreement::Disagreed { what, at } => view! {
                    <div class="notice notice--warning" data-testid="agreement">
                        <p>{format!("{carer} does not agree yet (said on {}):", long_date_of_ms(at))}</p>
                        <p class="pre">{what}</p>
                        <p>"Talk it through and change the plan, then ask again."</p>
                        <button type="button" class="button button--secondary" data-testid="mark-ready" on:click=ask>"Mark as ready for the carer to agree again"</button>
                        {meeting}
                    </div>
                }.into_any(),
                Agreement::Agreed { at, in_meeting } => view! {
                    <div class="notice" data-testid="agreement">
                        <p>{format!("{carer} agreed on {}{}.", long_date_of_ms(at), if in_meeting { ", in a meeting with you" } else { "" })}</p>
                    </div>
                }.into_any(),
            }
        })}
    }
}

/// What the key worker added to a plan, as (section, question, answer):
/// their parts of each area and the actions, then their notes for the carer.
fn worker_added(plan: &Plan) -> Vec<(String, String, String)> {
    let fw = framework_of(plan);
    let mut rows: Vec<(String, String, String)> = Vec::new();
    let mut sections: Vec<Section> = plan
        .wellbeing
        .keys()
        .map(|k| Section::Area(k.clone()))
        .collect();
    sections.push(Section::Actions);
    for s in sections {
        for a in answers_of(plan, &s, fw) {
            if a.question.starts_with("Key worker's") || a.question == "Action" {
                if let Some(v) = a.value {
                    rows.push((s.title(fw), a.question, v));
                }
            }
        }
    }
    let notes = plan.notes_for_carer.as_str().trim().to_owned();
    if !notes.is_empty() {
        rows.push((
            "Notes for you".into(),
            "Key worker's notes for you".into(),
            notes,
        ));
    }
    rows
}

/// The carer's side: what the key worker added, then "Do you agree?".
#[component]
pub fn AgreePage(id: PlanId) -> impl IntoView {
    let app = use_app();
    let agree = RwSignal::new(None::<bool>);
    let what = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(false);
    let pid = StoredValue::new(id.clone());
    let added = move || app.ui.plan.with(|p| p.as_ref().map(worker_added));
    let send = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let id = pid.get_value();
        let edit = match agree.get_untracked() {
            Some(true) => Edit::CarerAgrees {
                at: now_ms(),
                device: app.my_device(),
                in_meeting: false,
            },
            Some(false) if !what.get_untracked().trim().is_empty() => Edit::CarerDisagrees {
                at: now_ms(),
                what: what.get_untracked(),
            },
            Some(false) => {
                problem.set(Some(
                    "Say what you do not agree with, so your key worker can change it.".into(),
                ));
                return;
            }
            None => {
                problem.set(Some("Choose whether you agree with your plan.".into()));
                return;
            }
        };
        match app.edit(&id, edit) {
            Ok(()) => {
                problem.set(None);
                done.set(true);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    view! {
        <h1 tabindex="-1">"Do you agree with your plan?"</h1>
        <p>"Your key worker has marked your plan ready for you to agree. Here is what they added. Your own answers are as you wrote them."</p>
        <h2>"What your key worker added"</h2>
        {move || match added() {
            Some(rows) if !rows.is_empty() => view! {
                <dl class="summary-list" data-testid="worker-added">
                    {rows.into_iter().map(|(section, q, v)| view! {
                        <div class="summary-row"><dt class="summary-key">{format!("{section}: {q}")}</dt><dd class="summary-value pre">{v}</dd></div>
                    }).collect_view()}
                </dl>
            }.into_any(),
            _ => view! { <p>"Nothing: your key worker has not added anything to your answers."</p> }.into_any(),
        }}
        <p><a href=route::href(&id, Page::Summary)>"Read your whole plan"</a></p>
        {move || if done.get() {
            answer_saved(app.keep_view(&pid.get_value()).is_some_and(|v| !v.stopped), &pid.get_value()).into_any()
        } else {
            view! {
                <form on:submit=send novalidate>
                    {move || problem.get().map(|p| view! {
                        <div class="error-summary" role="alert"><h2 class="error-summary__title">"There is a problem"</h2><p data-testid="problem">{p}</p></div>
                    })}
                    {agree_choice(agree)}
                    {move || (agree.get() == Some(false)).then(|| words_box("disagree-what", "What do you not agree with?", what))}
                    <button type="submit" class="button" data-testid="send-agreement">"Save my answer"</button>
                </form>
            }.into_any()
        }}
        {back_to_plan(&id)}
    }
}

/// "Do you agree with your plan?": yes, or no.
fn agree_choice(agree: RwSignal<Option<bool>>) -> impl IntoView {
    view! {
        <fieldset class="fieldset">
            <legend class="legend">"Do you agree with your plan?"</legend>
            <div class="radios">
                <div class="radio">
                    <input class="radio-input" type="radio" id="agree-yes" name="agree" on:change=move |_| agree.set(Some(true))/>
                    <label class="radio-label" for="agree-yes">"Yes, I agree with my plan"</label>
                </div>
                <div class="radio">
                    <input class="radio-input" type="radio" id="agree-no" name="agree" on:change=move |_| agree.set(Some(false))/>
                    <label class="radio-label" for="agree-no">"No, there is something I do not agree with"</label>
                </div>
            </div>
        </fieldset>
    }
}

/// The answer is saved: how the key worker gets to see it (kept in step,
/// or a file to send back).
fn answer_saved(kept: bool, id: &PlanId) -> impl IntoView {
    view! {
        <div class="notice" role="status" data-testid="agree-done">
            <p><strong>"Your answer is saved in your plan."</strong></p>
            {if kept {
                view! { <p>"Your plan is kept in step with your key worker: they see your answer as soon as you are both online."</p> }.into_any()
            } else {
                view! {
                    <p>"Now send the plan back to your key worker so they can see it."</p>
                    <p><a class="button" href=route::href(id, Page::Share)>"Send my plan back"</a></p>
                }.into_any()
            }}
        </div>
    }
}
