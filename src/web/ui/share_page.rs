//! "Share my plan": choose the sections and who to send them to, lock the
//! file, check exactly what is sent, then send it. Nothing leaves the
//! device until the person presses a button to share, download or copy.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::{back_to_plan, error_summary, framework_of};
use crate::plan::answers::answers_of;
use crate::plan::framework::Framework;
use crate::plan::{Plan, PlanId, Section};
use crate::share::exchange::Recipient;
use crate::share::file::{self as share, MIN_PASSPHRASE_CHARS};
use crate::web::app::{now_ms, use_app};
use crate::web::platform::share_sheet::{can_share, copy_text, share_file, text_file};
use crate::web::platform::{download, settings};
use crate::web::route::{self, Page};
use crate::web::words::Words;

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

fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
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

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Choose,
    Lock,
    Check,
    Send,
}

#[component]
pub fn SharePage(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let worker = app.is_worker();
    let held: Vec<Section> = app
        .read(&id, |d| d.parts().cloned().collect())
        .unwrap_or_default();
    let chosen = RwSignal::new(if worker {
        held.iter()
            .filter(|p| p.shareable() && **p != Section::Plan)
            .cloned()
            .collect()
    } else {
        Vec::<Section>::new()
    });
    let whom = RwSignal::new(if worker {
        vec![Recipient::Carer]
    } else {
        Vec::new()
    });
    let locked = RwSignal::new(Some(true));
    let pass = RwSignal::new(String::new());
    let step = RwSignal::new(if worker { Step::Lock } else { Step::Choose });
    let problem = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let file_text = RwSignal::new(None::<String>);
    let sent = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let held = StoredValue::new(held);

    let go = move |s: Step| {
        problem.set(None);
        step.set(s);
        super::focus_heading();
    };

    let choose = move || {
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let options = held.with_value(|h| shareable(plan, fw, h));
            view! {
                {choose_sections("Share my plan", "What would you like to share?", "Only the sections you tick are sent. Sections you do not tick stay on this device: nothing from them is sent, not even earlier versions.", problem, fw, options, chosen)}
                <div class="field">
                    <fieldset class="fieldset">
                        <legend class="legend">"Who are you sharing it with?"</legend>
                        <div class="checkboxes">
                            {[(Recipient::KeyWorker, "My key worker"), (Recipient::SocialWork, "Social work")].into_iter().map(|(r, label)| {
                                let cid = format!("share-with-{}", r.code());
                                view! {
                                    <div class="checkbox">
                                        <input class="checkbox-input" type="checkbox" id=cid.clone() name="share-with"
                                            prop:checked=move || whom.with(|w| w.contains(&r))
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                whom.update(|w| { w.retain(|x| *x != r); if on { w.push(r); } });
                                            }/>
                                        <label class="checkbox-label" for=cid>{label}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                </div>
                <button type="button" class="button" on:click=move |_| {
                    if chosen.with(Vec::is_empty) {
                        problem.set(Some("Choose at least one section to share.".into()));
                    } else if whom.with(Vec::is_empty) {
                        problem.set(Some("Choose who you are sharing your plan with.".into()));
                    } else {
                        go(Step::Lock);
                    }
                }>"Continue"</button>
                {back_to_plan(&pid.get_value())}
            }.into_any()
        })
    };

    let lock = move || {
        let on_pick = Callback::new(move |v: String| locked.set(Some(v == "passphrase")));
        view! {
            <p class="caption">{if worker { "Send the plan back" } else { "Share my plan" }}</p>
            <h1 tabindex="-1">"Lock the file with a passphrase"</h1>
            <p>"A passphrase keeps the file private if it goes to the wrong place. Tell the passphrase to the other person another way, such as in person or by phone. Do not send it with the file."</p>
            {error_summary(problem)}
            <super::fields::Choice name="lock".to_string() legend="How should the file be sent?".to_string()
                options=vec![
                    super::fields::opt("passphrase", "Lock it with a passphrase (recommended)"),
                    super::fields::opt_hint("none", "Send it without a passphrase", "Anyone who gets the file can read it."),
                ]
                current=Signal::derive(move || locked.get().map(|l| if l { "passphrase".to_string() } else { "none".to_string() }))
                on_pick=on_pick/>
            {move || (locked.get() == Some(true)).then(|| view! {
                <div class="field">
                    <label class="label" for="share-passphrase">"Passphrase"</label>
                    <p class="hint" id="share-passphrase-hint">{format!("At least {MIN_PASSPHRASE_CHARS} characters. Three ordinary words are easy to say and hard to guess, like: kettle garden Tuesday.")}</p>
                    <super::common::PassphraseInput id="share-passphrase" hint_id="share-passphrase-hint" value=pass/>
                </div>
            })}
            <button type="button" class="button" on:click=move |_| {
                match (locked.get_untracked(), share::check_passphrase(&pass.get_untracked())) {
                    (Some(true), Err(e)) => problem.set(Some(e.words())),
                    _ => go(Step::Check),
                }
            }>"Continue"</button>
            {if worker {
                back_to_plan(&pid.get_value()).into_any()
            } else {
                view! { <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Choose)>"Back"</button></p> }.into_any()
            }}
        }
    };

    let check = move || {
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let all = held.with_value(|h| shareable(plan, fw, h));
            let sending: Vec<Section> = all.iter().filter(|p| chosen.with(|c| c.contains(p))).cloned().collect();
            let keeping: Vec<Section> = all.iter().filter(|p| !sending.contains(p)).cloned().collect();
            let to = whom.with(|w| w.iter().map(|r| r.label()).collect::<Vec<_>>().join(" and "));
            let locked_now = locked.get() == Some(true);
            view! {
                <p class="caption">{if worker { "Send the plan back" } else { "Share my plan" }}</p>
                <h1 tabindex="-1">"Check what you are sending"</h1>
                {error_summary(problem)}
                <dl class="summary-list">
                    <div class="summary-row"><dt>"Sending to"</dt><dd data-testid="check-to">{to.clone()}</dd></div>
                    <div class="summary-row"><dt>"Locked with a passphrase"</dt><dd>{if locked_now { "Yes" } else { "No: anyone who gets the file can read it" }}</dd></div>
                </dl>
                {sending_list(plan, fw, &sending, &keeping)}
                {worker.then(|| view! { <p>"Your private notes are never sent."</p> })}
                <p>{if worker { "When you confirm, the file is made. You then choose how to send it." } else { "When you confirm, your choice is recorded in your plan (what, with whom and when), and the file is made. You then choose how to send it." }}</p>
                <button type="button" class="button" data-testid="confirm-share" disabled=move || busy.get() on:click=move |_| {
                    busy.set(true);
                    problem.set(None);
                    // The key is made by the engine worker beside the page, so
                    // "Locking the file…" shows and the page answers meanwhile.
                    leptos::task::spawn_local(async move {
                        let id = pid.get_value();
                        let passphrase = (locked.get_untracked() == Some(true)).then(|| pass.get_untracked());
                        let result = app.make_share(&id, chosen.get_untracked(), whom.get_untracked(), passphrase).await;
                        busy.set(false);
                        match result {
                            Ok(text) => { file_text.set(Some(text)); go(Step::Send); }
                            Err(e) => problem.set(Some(e.to_string())),
                        }
                    });
                }>{move || if busy.get() { "Locking the file…" } else { "Confirm and make the file" }}</button>
                <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Lock)>"Back"</button></p>
            }.into_any()
        })
    };

    let send = move || {
        let id = pid.get_value();
        let Some(text) = file_text.get() else {
            return ().into_any();
        };
        let name = ui
            .plan
            .with(|p| p.as_ref().and_then(|p| p.display_name().map(str::to_owned)))
            .unwrap_or_default();
        let today = crate::plan::date::iso(crate::web::app::today());
        let file_name = format!(
            "carer-support-plan-{}{}.txt",
            if name.is_empty() {
                String::new()
            } else {
                format!("{}-", slug(&name))
            },
            today
        );
        let file = text_file(&file_name, &text);
        let shareable_file = file.as_ref().is_some_and(can_share);
        let t1 = text.clone();
        let f1 = file_name.clone();
        let t2 = text.clone();
        let f2 = file.clone();
        view! {
            <div class="panel" role="status">
                <h1 tabindex="-1">"Your share file is ready"</h1>
            </div>
            {error_summary(problem)}
            {move || sent.get().map(|s| view! { <p class="notice" role="status" data-testid="sent">{s}</p> })}
            {(locked.get_untracked() == Some(true)).then(|| view! { <p><strong>"Remember: tell them the passphrase another way, not with the file."</strong></p> })}
            {shareable_file.then(|| view! {
                <button type="button" class="button" data-testid="share-sheet" on:click=move |_| {
                    if let Some(f) = f2.clone() {
                        spawn_local(async move {
                            match share_file(f, "Carer support plan".into()).await {
                                Ok(()) => {
                                    settings::set_last_copy(now_ms());
                                    sent.set(Some("Shared.".into()));
                                }
                                Err(e) => problem.set(Some(e)),
                            }
                        });
                    }
                }>"Share the file"</button>
            })}
            <button type="button" class=if shareable_file { "button button--secondary" } else { "button" } data-testid="download-share" on:click=move |_| {
                if download::offer(&f1, "text/plain", t1.as_bytes()) {
                    settings::set_last_copy(now_ms());
                    sent.set(Some(format!("Downloaded as {f1}. Send it by email, a messaging app or a USB stick.")));
                } else {
                    problem.set(Some("This browser did not let the app download the file. Try copying the text instead.".into()));
                }
            }>"Download the file"</button>
            <button type="button" class="button button--secondary" data-testid="copy-share" on:click=move |_| {
                let t = t2.clone();
                spawn_local(async move {
                    match copy_text(t).await {
                        Ok(()) => {
                            settings::set_last_copy(now_ms());
                            sent.set(Some("Copied. Paste it into an email or message.".into()));
                        }
                        Err(e) => problem.set(Some(e)),
                    }
                });
            }>"Copy the text"</button>
            <p><a href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        }.into_any()
    };

    view! {
        <div data-testid="share-page">
            {move || match step.get() {
                Step::Choose => choose().into_any(),
                Step::Lock => lock().into_any(),
                Step::Check => check().into_any(),
                Step::Send => send().into_any(),
            }}
        </div>
    }
}
