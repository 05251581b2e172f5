//! The key worker's pages: their view of a wellbeing area beside the
//! carer's, notes for the carer and private notes, and sign-off. Also the
//! carer's "Download my data".

use leptos::prelude::*;

use super::common::framework_of;
use super::fields::{ask, opt, Choice};
use super::later::read_later;
use crate::doc::signoff::SignStatus;
use crate::plan::answers::rating_label;
use crate::plan::date::{iso, long_date, long_date_of_ms, parse_iso};
use crate::plan::field::AreaField;
use crate::plan::review::{agreement, open_review, review_range, Agreement, SignRuleError};
use crate::plan::{Edit, Field, Plan, PlanId};
use crate::web::app::{use_app, App, AppError};
use crate::web::engine::protocol::{Reading, Readout};
use crate::web::platform::{download, settings};
use crate::web::route::{self, Page};
use crate::web::words::Words;
use wasm_bindgen_futures::spawn_local;

/// The worker's rating and notes for one area, with the carer's words and
/// rating above them (read only: the worker never overwrites the carer).
#[component]
pub fn WorkerArea(id: PlanId, area: String) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let a = area.clone();
    let carer_side = move || {
        ui.plan.with(|p| {
            let plan = p.as_ref()?;
            let fw = framework_of(plan);
            let w = plan.wellbeing.get(&a)?;
            let rating = w
                .rating
                .as_deref()
                .map(|r| rating_label(r, fw))
                .unwrap_or_else(|| "Not rated yet".into());
            let words = if w.own_words.as_str().trim().is_empty() {
                "Nothing written yet.".to_string()
            } else {
                w.own_words.as_str().to_string()
            };
            Some(view! {
                <div class="panel panel--carer" data-testid="carer-view">
                    <h2>"What the carer said"</h2>
                    <p class="pre">{words}</p>
                    <p><strong>"Carer's rating: "</strong>{rating}</p>
                </div>
            })
        })
    };
    let a = area.clone();
    let current = Signal::derive(move || {
        ui.plan.with(|p| {
            p.as_ref()
                .and_then(|p| p.wellbeing.get(&a).and_then(|w| w.worker_rating.clone()))
        })
    });
    let a = area.clone();
    let pid = id.clone();
    let problem = RwSignal::new(None::<String>);
    let on_pick = Callback::new(move |v: String| {
        let known = ui.plan.with_untracked(|p| {
            p.as_ref()
                .is_some_and(|p| framework_of(p).level(&v).is_some())
        });
        let result = if known {
            app.edit(
                &pid,
                Edit::SetWorkerRating {
                    area: a.clone(),
                    level: Some(v),
                },
            )
        } else {
            Err(AppError::UnknownChoice)
        };
        problem.set(result.err().map(|e| e.to_string()));
    });
    let options = ui.plan.with_untracked(|p| {
        p.as_ref()
            .map(|p| {
                framework_of(p)
                    .levels
                    .iter()
                    .map(|l| opt(&l.id, &l.label))
                    .collect::<Vec<_>>()
            })
            .unwrap_or_default()
    });
    view! {
        {carer_side}
        <h2>"Your view as key worker"</h2>
        <p class="hint">"Shown beside the carer's answers. The carer's own words and rating are never changed."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        <Choice name=format!("worker-rating-{area}") legend="Your rating of the impact".to_string()
            options=options current=current on_pick=on_pick/>
        {ask(&id, Field::Area(area.clone(), AreaField::WorkerNotes), None)}
    }
}

#[component]
pub fn Notes(id: PlanId) -> impl IntoView {
    let worker = use_app().is_worker();
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"Notes"</h1>
        {ask(&id, Field::NotesForCarer, None)}
        {worker.then(|| ask(&id, Field::PrivateNotes, None))}
        <a class="button" href=route::href(&id, Page::Tasks)>"Save and go to the plan"</a>
    }
}

/// Whether the plan is signed off and changed since, read beside the page
/// (it looks at every change since the signed version).
pub fn sign_status_later(id: &PlanId) -> ReadSignal<Option<SignStatus>> {
    read_later(id.clone(), Reading::SignStatus, |r| match r {
        Readout::SignStatus(s) => Some(s),
        _ => None,
    })
}

/// "Signed off on …" or "Draft: changed since …", for the task list.
/// Whether the plan was ever signed, and a review round, are in the plan's
/// values and shown at once; whether it changed since the signature is
/// `status`, read beside the page. The three lines a signed plan can show
/// (checking, signed off, changed since) are laid one over the other, the
/// two not chosen hidden, so the line is as tall as the tallest from the
/// first frame and nothing below it moves when the answer comes.
pub fn status_line(app: App, id: &PlanId, status: ReadSignal<Option<SignStatus>>) -> impl IntoView {
    let id = id.clone();
    move || {
        let id = &id;
        let (open, last) = app.ui.plan.with(|p| {
            p.as_ref()
                .map(|p| (open_review(p), p.sign_off.signed_versions.last().cloned()))
        })?;
        if let Some(open) = open {
            return Some(view! {
                <p data-testid="sign-status"><span class="tag tag--progress">"Being reviewed"</span>
                {format!(" The version signed off on {} is kept as it was: ", long_date_of_ms(open.since))}
                <a href=route::href(id, Page::Signed)>"view the signed version"</a></p>
            }.into_any());
        }
        let Some(v) = last else {
            return Some(view! { <p data-testid="sign-status"><span class="tag">"Draft"</span>" Not signed off yet."</p> }.into_any());
        };
        // 0: checking (not read yet, or read before this signature).
        let chosen = match status.get() {
            Some(SignStatus::Signed(s)) if s.id == v.id => 1,
            Some(SignStatus::ChangedSince(s)) if s.id == v.id => 2,
            _ => 0,
        };
        let on = long_date_of_ms(v.worker.at);
        let signed = route::href(id, Page::Signed);
        let line = move |which: usize, test_id: &'static str, body: AnyView| {
            let shown = which == chosen;
            view! {
                <p data-testid=shown.then_some(test_id) class:status-hidden=!shown aria-hidden=(!shown).then_some("true")>{body}</p>
            }
        };
        Some(view! {
            <div class="status-slot">
                {line(0, "sign-status-reading", view! {
                    <span class="tag">"Checking"</span>
                    {format!(" Signed off on {on}. Looking for changes made since then: ")}
                    <a href=signed.clone()>"view the signed version"</a>
                }.into_any())}
                {line(1, "sign-status", view! {
                    <span class="tag tag--done">"Signed off"</span>
                    {format!(" on {on}. Agreed by {} and signed by {}. ", v.carer.name, v.worker.name)}
                    <a href=signed.clone()>"View the signed version"</a>
                }.into_any())}
                {line(2, "sign-status", view! {
                    <span class="tag tag--progress">"Draft"</span>
                    {format!(" Changed since it was signed off on {on}. The signed version is kept: ")}
                    <a href=signed>"view the signed version"</a>
                }.into_any())}
            </div>
        }.into_any())
    }
}

/// The carer's name as the signed record gives it: in full.
fn full_name(p: &Plan) -> String {
    Some(p.carer.name.trim())
        .filter(|n| !n.is_empty())
        .or(p.display_name())
        .unwrap_or_default()
        .to_owned()
}

/// The names that sign, and the next review date (between `earliest` and
/// `latest`).
fn sign_fields(
    form: SignForm,
    earliest: chrono::NaiveDate,
    latest: chrono::NaiveDate,
) -> impl IntoView {
    let SignForm {
        carer_name,
        my_name,
        review,
        ..
    } = form;
    view! {
        <div class="field">
            <label class="label" for="carer-name">"Carer's name"</label>
            <input class="input" id="carer-name" type="text" prop:value=move || carer_name.get() on:input=move |ev| carer_name.set(event_target_value(&ev))/>
        </div>
        <div class="field">
            <label class="label" for="worker-name">"Your name"</label>
            <input class="input" id="worker-name" type="text" autocomplete="name" prop:value=move || my_name.get() on:input=move |ev| my_name.set(event_target_value(&ev))/>
        </div>
        <div class="field">
            <label class="label" for="review-date">"Next review"</label>
            <p class="hint" id="review-date-hint">{format!("Between {} and {}.", long_date(earliest), long_date(latest))}</p>
            <input class="input input--10" id="review-date" type="date" aria-describedby="review-date-hint"
                min=iso(earliest) max=iso(latest)
                prop:value=move || review.get() on:input=move |ev| review.set(event_target_value(&ev))/>
        </div>
    }
}

/// The sign-off form's answers, and what is wrong, if anything.
#[derive(Clone, Copy)]
struct SignForm {
    carer_name: RwSignal<String>,
    my_name: RwSignal<String>,
    review: RwSignal<String>,
    problem: RwSignal<Option<String>>,
    // "The carer has not agreed" is read from the plan whenever it shows,
    // not kept from the press that found it: once her agreement arrives
    // (in a meeting, from a file or kept in step) it goes, so the page
    // never says she agreed and she has not at once.
    refused_unagreed: RwSignal<bool>,
    /// Pressed, and the engine is signing: a second press does nothing.
    signing: RwSignal<bool>,
}

impl SignForm {
    /// The problem to show: one found by pressing, else "not agreed" while
    /// she still has not.
    fn shown_problem(self, app: App) -> Option<String> {
        self.problem.get().or_else(|| {
            let agreed = app.ui.plan.with(|p| {
                p.as_ref()
                    .is_some_and(|p| matches!(agreement(p), Agreement::Agreed { .. }))
            });
            (self.refused_unagreed.get() && !agreed)
                .then(|| SignRuleError::CarerHasNotAgreed.words())
        })
    }

    /// "Sign off the plan" was pressed: sign, and go back to the plan.
    fn sign(self, app: App, id: PlanId, today: chrono::NaiveDate) {
        let SignForm {
            problem,
            refused_unagreed,
            signing,
            ..
        } = self;
        if signing.get_untracked() {
            return;
        }
        problem.set(None);
        refused_unagreed.set(false);
        let Some(date) = parse_iso(&self.review.get_untracked()) else {
            problem.set(Some(
                "Enter the review date, for example 18 January 2027.".into(),
            ));
            return;
        };
        let (carer, me) = (
            self.carer_name.get_untracked(),
            self.my_name.get_untracked(),
        );
        signing.set(true);
        spawn_local(async move {
            let result = app.sign_off(&id, &carer, &me, date, today).await;
            signing.try_set(false);
            match result {
                Ok(()) => {
                    app.ui.notify(&format!(
                        "The plan is signed off. Next review: {}.",
                        long_date(date)
                    ));
                    // Back to the plan, unless they went elsewhere meanwhile.
                    let here = route::Route::Plan(id.clone(), Page::SignOff);
                    if route::current() == here {
                        route::go(&route::Route::Plan(id, Page::Tasks));
                    }
                }
                Err(AppError::Sign(SignRuleError::CarerHasNotAgreed)) => {
                    refused_unagreed.try_set(true);
                }
                Err(e) => {
                    problem.try_set(Some(e.to_string()));
                }
            }
        });
    }
}

#[component]
pub fn SignOff(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let worker = app.is_worker();
    let today = crate::web::app::today();
    let (plan_name, range) = ui.plan.with_untracked(|p| {
        p.as_ref()
            .map(|p| (full_name(p), review_range(p, today)))
            .unwrap_or_else(|| (String::new(), review_range(&Default::default(), today)))
    });
    let (earliest, latest, suggested) = range;
    let form = SignForm {
        carer_name: RwSignal::new(plan_name),
        my_name: RwSignal::new(settings::my_name()),
        review: RwSignal::new(iso(suggested)),
        problem: RwSignal::new(None::<String>),
        refused_unagreed: RwSignal::new(false),
        signing: RwSignal::new(false),
    };
    let pid = StoredValue::new(id.clone());
    let sign = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        form.sign(app, pid.get_value(), today);
    };
    let status = status_line(app, &id, sign_status_later(&id));
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"Sign off the plan"</h1>
        {status}
        {if !worker {
            view! { <p>"Your key worker signs the plan off with you, once you agree with it. Any change after that starts a new draft; the signed version is kept."</p> }.into_any()
        } else {
            view! {
                <p>"First the carer reads the plan, with what you added, and agrees on their own device (or here with you, in a meeting). Then you sign. Later changes start a new draft; this signed version is kept in the history."</p>
                <super::agreement::AgreementSteps id=id.clone()/>
                <h2>"Sign"</h2>
                <form on:submit=sign novalidate>
                    {move || form.shown_problem(app).map(|p| view! {
                        <div class="error-summary" role="alert"><h2 class="error-summary__title">"There is a problem"</h2><p data-testid="problem">{p}</p></div>
                    })}
                    {sign_fields(form, earliest, latest)}
                    <button type="submit" class="button" data-testid="sign-off" aria-disabled=move || form.signing.get().then_some("true")>{move || if form.signing.get() { "Signing…" } else { "Sign off the plan" }}</button>
                </form>
            }.into_any()
        }}
    }
}

#[component]
pub fn Data(id: PlanId) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let stem = format!("carer-support-plan-{id}");
    // Read beside the page (the engine worker), then offered as a file.
    let fetch = move |what: Reading| {
        let stem = stem.clone();
        spawn_local(async move {
            problem.try_set(None);
            match app.read_later(&pid.get_value(), what).await {
                Ok(Readout::Json(text)) => {
                    download::offer(&format!("{stem}.json"), "application/json", text.as_bytes());
                }
                Ok(Readout::Automerge(bytes)) => {
                    download::offer(
                        &format!("{stem}.automerge"),
                        "application/octet-stream",
                        &bytes,
                    );
                }
                Ok(_) => {}
                Err(e) => {
                    problem.try_set(Some(e.to_string()));
                }
            }
        });
    };
    let f2 = fetch.clone();
    let json = move |_| fetch(Reading::Json);
    let am = move |_| f2(Reading::Automerge);
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">{if app.is_worker() { "Download this plan's data" } else { "Download my data" }}</h1>
        <p>"Everything in this plan on this device, to keep or to give to someone you choose. The files are not locked: keep them somewhere safe."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        <h2>"A readable file"</h2>
        <p>"JSON: every answer, which most computers can open and read."</p>
        <button type="button" class="button button--secondary" data-testid="download-json" on:click=json>"Download as JSON"</button>
        <h2>"An Automerge document"</h2>
        <p>"The plan as one Automerge document, which other programs that use Automerge can open."</p>
        <button type="button" class="button button--secondary" data-testid="download-automerge" on:click=am>"Download as Automerge"</button>
    }
}
