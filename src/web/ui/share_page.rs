//! "Share my plan": choose the sections and who to send them to, lock the
//! file, check exactly what is sent, then send it. Nothing leaves the
//! device until the person presses a button to share, download or copy.

use leptos::prelude::*;

use super::common::{back_to_plan, error_summary, framework_of};
use super::send_sections::{choose_sections, sending_list, shareable};
use super::share_send::{file_name, file_ready};
use crate::plan::{PlanId, Section};
use crate::share::exchange::Recipient;
use crate::share::file::{self as share, MIN_PASSPHRASE_CHARS};
use crate::web::app::{use_app, App};
use crate::web::words::Words;

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Choose,
    Lock,
    Check,
    Send,
}

/// What the share pages remember from one step to the next.
#[derive(Clone, Copy)]
struct Sharing {
    app: App,
    worker: bool,
    pid: StoredValue<PlanId>,
    held: StoredValue<Vec<Section>>,
    chosen: RwSignal<Vec<Section>>,
    whom: RwSignal<Vec<Recipient>>,
    locked: RwSignal<Option<bool>>,
    pass: RwSignal<String>,
    step: RwSignal<Step>,
    problem: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    file_text: RwSignal<Option<String>>,
    sent: RwSignal<Option<String>>,
}

impl Sharing {
    /// A key worker sends back what this copy holds to the carer, so starts
    /// at the lock; a carer starts by choosing.
    fn new(id: PlanId) -> Self {
        let app = use_app();
        let worker = app.is_worker();
        let held: Vec<Section> = app.parts(&id);
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
        Sharing {
            app,
            worker,
            pid: StoredValue::new(id),
            held: StoredValue::new(held),
            chosen,
            whom,
            locked,
            pass,
            step,
            problem,
            busy,
            file_text,
            sent,
        }
    }

    fn go(self, s: Step) {
        self.problem.set(None);
        self.step.set(s);
        super::focus_heading();
    }

    fn caption(self) -> &'static str {
        if self.worker {
            "Send the plan back"
        } else {
            "Share my plan"
        }
    }

    /// The passphrase to lock with, if locking was chosen.
    fn passphrase(self) -> Option<String> {
        (self.locked.get_untracked() == Some(true)).then(|| self.pass.get_untracked())
    }
}

#[component]
pub fn SharePage(id: PlanId) -> impl IntoView {
    let s = Sharing::new(id);
    view! {
        <div data-testid="share-page">
            {move || match s.step.get() {
                Step::Choose => choose_step(s).into_any(),
                Step::Lock => lock_step(s).into_any(),
                Step::Check => check_step(s).into_any(),
                Step::Send => send_step(s).into_any(),
            }}
        </div>
    }
}

/// Step 1 (carers): which sections, and with whom.
fn choose_step(s: Sharing) -> AnyView {
    let Sharing {
        chosen,
        whom,
        problem,
        ..
    } = s;
    s.app.ui.plan.with(|p| {
        let Some(plan) = p.as_ref() else { return ().into_any() };
        let fw = framework_of(plan);
        let options = s.held.with_value(|h| shareable(plan, fw, h));
        view! {
            {choose_sections("Share my plan", "What would you like to share?", "Only the sections you tick are sent. Sections you do not tick stay on this device: nothing from them is sent, not even earlier versions.", problem, fw, options, chosen)}
            {recipient_checkboxes(whom)}
            <button type="button" class="button" on:click=move |_| {
                if chosen.with(Vec::is_empty) {
                    problem.set(Some("Choose at least one section to share.".into()));
                } else if whom.with(Vec::is_empty) {
                    problem.set(Some("Choose who you are sharing your plan with.".into()));
                } else {
                    s.go(Step::Lock);
                }
            }>"Continue"</button>
            {back_to_plan(&s.pid.get_value())}
        }.into_any()
    })
}

/// "Who are you sharing it with?": the key worker, social work or both.
fn recipient_checkboxes(whom: RwSignal<Vec<Recipient>>) -> impl IntoView {
    view! {
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
    }
}

/// Step 2: lock the file with a passphrase, or not.
fn lock_step(s: Sharing) -> impl IntoView {
    let Sharing {
        locked,
        pass,
        problem,
        ..
    } = s;
    let on_pick = Callback::new(move |v: String| locked.set(Some(v == "passphrase")));
    view! {
        <p class="caption">{s.caption()}</p>
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
                _ => s.go(Step::Check),
            }
        }>"Continue"</button>
        {if s.worker {
            back_to_plan(&s.pid.get_value()).into_any()
        } else {
            view! { <p><button type="button" class="link-button back-link" on:click=move |_| s.go(Step::Choose)>"Back"</button></p> }.into_any()
        }}
    }
}

/// Step 3: what is sent, to whom, locked or not; then make the file.
fn check_step(s: Sharing) -> AnyView {
    let Sharing {
        chosen,
        whom,
        locked,
        problem,
        busy,
        worker,
        ..
    } = s;
    s.app.ui.plan.with(|p| {
        let Some(plan) = p.as_ref() else { return ().into_any() };
        let fw = framework_of(plan);
        let all = s.held.with_value(|h| shareable(plan, fw, h));
        let sending: Vec<Section> = all.iter().filter(|p| chosen.with(|c| c.contains(p))).cloned().collect();
        let keeping: Vec<Section> = all.iter().filter(|p| !sending.contains(p)).cloned().collect();
        let to = whom.with(|w| w.iter().map(|r| r.label()).collect::<Vec<_>>().join(" and "));
        let locked_now = locked.get() == Some(true);
        view! {
            <p class="caption">{s.caption()}</p>
            <h1 tabindex="-1">"Check what you are sending"</h1>
            {error_summary(problem)}
            <dl class="summary-list">
                <div class="summary-row"><dt>"Sending to"</dt><dd data-testid="check-to">{to.clone()}</dd></div>
                <div class="summary-row"><dt>"Locked with a passphrase"</dt><dd>{if locked_now { "Yes" } else { "No: anyone who gets the file can read it" }}</dd></div>
            </dl>
            {sending_list(plan, fw, &sending, &keeping)}
            {worker.then(|| view! { <p>"Your private notes are never sent."</p> })}
            <p>{if worker { "When you confirm, the file is made. You then choose how to send it." } else { "When you confirm, your choice is recorded in your plan (what, with whom and when), and the file is made. You then choose how to send it." }}</p>
            <button type="button" class="button" data-testid="confirm-share" disabled=move || busy.get() on:click=move |_| make_file(s)>
                {move || if busy.get() { "Locking the file…" } else { "Confirm and make the file" }}
            </button>
            <p><button type="button" class="link-button back-link" on:click=move |_| s.go(Step::Lock)>"Back"</button></p>
        }.into_any()
    })
}

/// "Confirm and make the file": record the share and make the file (the
/// engine worker makes the passphrase's key; the page says "Locking…").
fn make_file(s: Sharing) {
    let Sharing { problem, busy, .. } = s;
    busy.set(true);
    problem.set(None);
    // The key is made by the engine worker beside the page, so "Locking
    // the file…" shows and the page answers meanwhile.
    leptos::task::spawn_local(async move {
        let id = s.pid.get_value();
        let result = s
            .app
            .make_share(
                &id,
                s.chosen.get_untracked(),
                s.whom.get_untracked(),
                s.passphrase(),
            )
            .await;
        busy.set(false);
        match result {
            Ok(text) => {
                s.file_text.set(Some(text));
                s.go(Step::Send);
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    });
}

/// Step 4: the file is ready; share, download or copy it.
fn send_step(s: Sharing) -> AnyView {
    let Some(text) = s.file_text.get() else {
        return ().into_any();
    };
    let name = s
        .app
        .ui
        .plan
        .with(|p| p.as_ref().and_then(|p| p.display_name().map(str::to_owned)))
        .unwrap_or_default();
    let today = crate::plan::date::iso(crate::web::app::today());
    let locked = s.locked.get_untracked() == Some(true);
    let file_name = file_name(&name, &today);
    file_ready(
        &s.pid.get_value(),
        file_name,
        text,
        locked,
        s.problem,
        s.sent,
    )
    .into_any()
}
