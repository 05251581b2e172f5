//! "Share my plan" (choose, lock, check, send) and "Add a copy you were
//! sent" (pick or paste, passphrase, add). Nothing leaves the device until
//! the person presses a button to share, download or copy.

use js_sys::{Array, Function, Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::{spawn_local, JsFuture};

use super::plan::framework_of;
use super::questions;
use crate::core::date::long_date;
use crate::core::exchange::Recipient;
use crate::core::framework::{Framework, Kind};
use crate::core::part::Part;
use crate::core::plan::{Plan, Role};
use crate::core::share::{self, ShareHeader, MAX_SHARE_BYTES, MIN_PASSPHRASE_CHARS};
use crate::core::{Field, PlanId};
use crate::web::route::{self, Page, Route};
use crate::web::session::{self, Imported};
use crate::web::{download, settings, state};

/// The sections a person can choose to share, in task-list order.
fn shareable(plan: &Plan, fw: &Framework, held: &[Part]) -> Vec<Part> {
    let mut out = vec![Part::AboutYou, Part::People, Part::CaringRole];
    out.extend(fw.indicators.iter().map(|i| Part::Area(i.id.clone())));
    out.push(Part::Actions);
    if fw.kind == Kind::CareAct {
        out.push(Part::Eligibility);
    }
    out.push(Part::Emergency);
    out.push(Part::Future);
    out.retain(|p| {
        held.contains(p) && (!matches!(p, Part::Area(i) if !plan.wellbeing.contains_key(i)))
    });
    out
}

/// The answers of one section as (question, answer) pairs, for "check what
/// you are sending".
fn answers_in(plan: &Plan, fw: &Framework, part: &Part, id: &PlanId) -> Vec<(String, String)> {
    let mut out = Vec::new();
    if let Part::Area(ind) = part {
        if let Some(r) = plan.wellbeing.get(ind).and_then(|a| a.rating.clone()) {
            let label = fw.level(&r).map(|l| l.label.clone()).unwrap_or(r);
            out.push(("How much caring affects this".to_string(), label));
        }
    }
    for field in Field::all_in(plan) {
        if field.part(plan) != *part {
            continue;
        }
        let value = session::field_value(id, &field);
        if !value.trim().is_empty() {
            out.push((questions::meta(&field, Some(fw)).label, value));
        }
    }
    out
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

fn navigator() -> Option<web_sys::Navigator> {
    web_sys::window().map(|w| w.navigator())
}

fn text_file(name: &str, text: &str) -> Option<web_sys::File> {
    let parts = Array::of1(&JsValue::from_str(text));
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("text/plain");
    web_sys::File::new_with_str_sequence_and_options(&parts, name, &opts).ok()
}

/// `navigator.canShare({ files })`, looked up at run time (not every
/// browser has it).
fn can_share(file: &web_sys::File) -> bool {
    (|| {
        let nav = navigator()?;
        let f: Function = Reflect::get(&nav, &"canShare".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let data = Object::new();
        Reflect::set(&data, &"files".into(), &Array::of1(file)).ok()?;
        f.call1(&nav, &data).ok()?.as_bool()
    })()
    .unwrap_or(false)
}

async fn share_file(file: web_sys::File, title: String) -> Result<(), String> {
    let nav = navigator().ok_or("no browser")?;
    let f: Function = Reflect::get(&nav, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("This browser cannot open the share sheet.")?;
    let data = Object::new();
    let _ = Reflect::set(&data, &"files".into(), &Array::of1(&file));
    let _ = Reflect::set(&data, &"title".into(), &title.into());
    let promise: js_sys::Promise = f
        .call1(&nav, &data)
        .map_err(|_| "The share sheet could not open.".to_string())?
        .dyn_into()
        .map_err(|_| "The share sheet could not open.".to_string())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "The file was not shared. You can try again, download it or copy it.".into())
}

async fn copy_text(text: String) -> Result<(), String> {
    let nav = navigator().ok_or("no browser")?;
    let clipboard = Reflect::get(&nav, &"clipboard".into()).map_err(|_| "no clipboard")?;
    let f: Function = Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("This browser cannot copy text for the app.")?;
    let promise: js_sys::Promise = f
        .call1(&clipboard, &text.into())
        .map_err(|_| "The text could not be copied.".to_string())?
        .dyn_into()
        .map_err(|_| "The text could not be copied.".to_string())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "The text could not be copied. Try downloading the file instead.".into())
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Choose,
    Lock,
    Check,
    Send,
}

fn error_summary(problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        problem.get().map(|p| {
            view! {
                <div class="error-summary" role="alert" tabindex="-1">
                    <h2 class="error-summary__title">"There is a problem"</h2>
                    <p data-testid="problem">{p}</p>
                </div>
            }
        })
    }
}

#[component]
pub fn SharePage(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let worker = settings::me().role == Role::KeyWorker;
    let held: Vec<Part> =
        session::with_doc(&id, |d| d.parts().cloned().collect()).unwrap_or_default();
    let chosen = RwSignal::new(if worker {
        held.iter()
            .filter(|p| p.shareable() && **p != Part::Plan)
            .cloned()
            .collect()
    } else {
        Vec::<Part>::new()
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
                <p class="caption">"Share my plan"</p>
                <h1 tabindex="-1">"What would you like to share?"</h1>
                <p>"Only the sections you tick are sent. Sections you do not tick stay on this device: nothing from them is sent, not even earlier versions."</p>
                {error_summary(problem)}
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
                                        <label class="checkbox-label" for=cid>{part.title(fw)}</label>
                                    </div>
                                }
                            }).collect_view()}
                        </div>
                    </fieldset>
                </div>
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
                    <input class="input" id="share-passphrase" type="text" autocomplete="off" spellcheck="false"
                        aria-describedby="share-passphrase-hint"
                        prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                </div>
            })}
            <button type="button" class="button" on:click=move |_| {
                match (locked.get_untracked(), share::check_passphrase(&pass.get_untracked())) {
                    (Some(true), Err(e)) => problem.set(Some(e.to_string())),
                    _ => go(Step::Check),
                }
            }>"Continue"</button>
            {(!worker).then(|| view! { <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Choose)>"Back"</button></p> })}
        }
    };

    let check = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let all = held.with_value(|h| shareable(plan, fw, h));
            let sending: Vec<Part> = all.iter().filter(|p| chosen.with(|c| c.contains(p))).cloned().collect();
            let keeping: Vec<Part> = all.iter().filter(|p| !sending.contains(p)).cloned().collect();
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
                <h2>"Sections you are sending"</h2>
                <ul class="check-sections" data-testid="check-sending">
                    {sending.iter().map(|part| {
                        let answers = answers_in(plan, fw, part, &id);
                        view! {
                            <li>
                                <details>
                                    <summary>{part.title(fw)}{format!(" ({} answer{})", answers.len(), if answers.len() == 1 { "" } else { "s" })}</summary>
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
                    <ul data-testid="check-keeping">{keeping.iter().map(|p| view! { <li>{p.title(fw)}</li> }).collect_view()}</ul>
                })}
                {worker.then(|| view! { <p>"Your private notes are never sent."</p> })}
                <p>{if worker { "When you confirm, the file is made. You then choose how to send it." } else { "When you confirm, your choice is recorded in your plan (what, with whom and when), and the file is made. You then choose how to send it." }}</p>
                <button type="button" class="button" data-testid="confirm-share" disabled=move || busy.get() on:click=move |_| {
                    busy.set(true);
                    problem.set(None);
                    // Let the page say "Locking…" before the key is made (about a second).
                    let cb = wasm_bindgen::closure::Closure::once_into_js(move || {
                        let id = pid.get_value();
                        let passphrase = (locked.get_untracked() == Some(true)).then(|| pass.get_untracked());
                        let result = session::make_share(&id, chosen.get_untracked(), whom.get_untracked(), passphrase);
                        busy.set(false);
                        match result {
                            Ok(text) => { file_text.set(Some(text)); go(Step::Send); }
                            Err(e) => problem.set(Some(e)),
                        }
                    });
                    if let Some(w) = web_sys::window() {
                        let _ = w.set_timeout_with_callback_and_timeout_and_arguments_0(cb.unchecked_ref(), 30);
                    }
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
        let today = chrono::Local::now()
            .date_naive()
            .format("%Y-%m-%d")
            .to_string();
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
                                    settings::set_last_copy(state::now_ms());
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
                    settings::set_last_copy(state::now_ms());
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
                            settings::set_last_copy(state::now_ms());
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

/// The text of the first file picked in an `<input type=file>`, refusing
/// files too big to be a share before reading them.
async fn read_picked(input: web_sys::HtmlInputElement) -> Result<Option<String>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    if file.size() > MAX_SHARE_BYTES as f64 {
        return Err(share::ShareError::TooLarge.to_string());
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read. Try choosing it again.".to_string())?;
    Ok(text.as_string())
}

fn header_text(h: &ShareHeader) -> String {
    let sent = chrono::DateTime::from_timestamp_millis(h.sent_ms)
        .map(|d| long_date(d.date_naive()))
        .unwrap_or_default();
    format!("From {}, sent on {}.", h.from_label(), sent)
}

/// Add a copy someone sent: to this plan (`into`), or any plan.
#[component]
pub fn ImportPage(into: Option<PlanId>) -> impl IntoView {
    let pasted = RwSignal::new(String::new());
    let text = RwSignal::new(None::<String>);
    let header = RwSignal::new(None::<ShareHeader>);
    let pass = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let done = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let into = StoredValue::new(into);

    let take = move |t: String| {
        done.set(None);
        match share::peek(&t) {
            Ok(h) => {
                header.set(Some(h));
                text.set(Some(t));
                problem.set(None);
            }
            Err(e) => {
                header.set(None);
                text.set(None);
                problem.set(Some(e.to_string()));
            }
        }
    };
    let continue_click = move |_| {
        problem.set(None);
        let picked = file_input.get_untracked();
        let typed = pasted.get_untracked();
        spawn_local(async move {
            let from_file = match picked {
                Some(input) => read_picked(input).await,
                None => Ok(None),
            };
            match from_file {
                Err(e) => problem.set(Some(e)),
                Ok(Some(t)) => take(t),
                Ok(None) if typed.len() > MAX_SHARE_BYTES => {
                    problem.set(Some(share::ShareError::TooLarge.to_string()))
                }
                Ok(None) if !typed.trim().is_empty() => take(typed),
                Ok(None) => problem.set(Some(
                    "Choose the file you were sent, or paste its text.".into(),
                )),
            }
        });
    };
    let add = move |_| {
        let Some(t) = text.get_untracked() else {
            return;
        };
        let needs = header.get_untracked().is_some_and(|h| h.encrypted);
        let p = pass.get_untracked();
        if needs && p.is_empty() {
            problem.set(Some(share::ShareError::NeedsPassphrase.to_string()));
            return;
        }
        busy.set(true);
        problem.set(None);
        let target = into.get_value();
        spawn_local(async move {
            let result = session::import(t, needs.then_some(p), target).await;
            busy.set(false);
            match result {
                Ok(Imported::Created(id)) => {
                    state::ui()
                        .notice
                        .set(Some("The plan was added to this device.".into()));
                    route::go(&Route::Plan(id, Page::Changes));
                }
                Ok(Imported::Merged(id, _)) => {
                    route::go(&Route::Plan(id, Page::Changes));
                }
                Ok(Imported::NothingNew(_)) => {
                    done.set(Some("This copy has nothing new: the plan on this device already has everything in it. Nothing was changed.".into()));
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    let back = match into.get_value() {
        Some(id) => route::href(&id, Page::Tasks),
        None => "#/".into(),
    };
    view! {
        <p><a class="back-link" href=back>"Back"</a></p>
        <h1 tabindex="-1">"Add a copy you were sent"</h1>
        <p>"When someone shares the plan with you, they send a file. Adding it here combines it with the copy on this device: nobody's changes are lost."</p>
        {error_summary(problem)}
        {move || done.get().map(|d| view! { <p class="notice" role="status" data-testid="import-done">{d}</p> })}
        {move || match header.get() {
            None => view! {
                <div class="field">
                    <label class="label" for="import-file">"Choose the file"</label>
                    <p class="hint" id="import-file-hint">"It ends in .txt and was sent by email, a messaging app or on a USB stick."</p>
                    <input class="file-input" id="import-file" type="file" accept=".txt,text/plain"
                        aria-describedby="import-file-hint" node_ref=file_input/>
                </div>
                <div class="field">
                    <label class="label" for="import-text">"Or paste the text of the file"</label>
                    <textarea class="textarea" id="import-text" rows="6" spellcheck="false"
                        prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
                </div>
                <button type="button" class="button" data-testid="import-continue" on:click=continue_click>"Continue"</button>
            }.into_any(),
            Some(h) => {
                let encrypted = h.encrypted;
                view! {
                    <div class="panel" data-testid="import-header">
                        <p>{header_text(&h)}</p>
                        <p>{format!("It holds {} section{}.", h.sections.len().saturating_sub(1), if h.sections.len() == 2 { "" } else { "s" })}</p>
                    </div>
                    {encrypted.then(|| view! {
                        <div class="field">
                            <label class="label" for="import-passphrase">"Passphrase"</label>
                            <p class="hint" id="import-passphrase-hint">"The person who sent the file will have told you it."</p>
                            <input class="input" id="import-passphrase" type="text" autocomplete="off" spellcheck="false"
                                aria-describedby="import-passphrase-hint"
                                prop:value=move || pass.get() on:input=move |ev| pass.set(event_target_value(&ev))/>
                        </div>
                    })}
                    <button type="button" class="button" data-testid="import-add" disabled=move || busy.get() on:click=add>
                        {move || if busy.get() { "Adding…" } else { "Add this copy" }}
                    </button>
                    <p><button type="button" class="link-button" on:click=move |_| { header.set(None); text.set(None); problem.set(None); done.set(None); }>"Choose a different file"</button></p>
                }.into_any()
            }
        }}
    }
}
