//! Reviews as a cycle: "Start a review" (the carer or the key worker), the
//! review's place on the plan's page (due soon or overdue, the round in
//! progress, "Add the review to my calendar"), and each area's "Has this
//! changed since …?". The rules are `plan::review`'s.

use leptos::prelude::*;

use super::common::{back_to_plan, error_summary, framework_of, words_box};
use super::fields::{opt, opt_hint, Choice};
use crate::plan::calendar::{self, ReviewEvent};
use crate::plan::date::{long_date, long_date_of_ms};
use crate::plan::people::name_and_role;
use crate::plan::review::{area_changed, last_agreed, open_review, review_flag, ReviewFlag};
use crate::plan::{Coded, Edit, Plan, PlanId, ReviewKind, YesNo};
use crate::web::app::{now_ms, today, use_app, App, AppError};
use crate::web::platform::download;
use crate::web::route::{self, Page};
use crate::web::words;

/// "Sam Patel (key worker)", or "you", for the device that did something.
fn who(app: App, plan: &Plan, device: &str) -> String {
    if device == app.my_device() {
        return "you".into();
    }
    plan.participants
        .get(device)
        .map(|p| name_and_role(&p.name, p.role))
        .unwrap_or_else(|| "someone else".into())
}

/// The review's part of the plan's page: the round in progress, or the
/// next review (flagged when due soon or overdue), a way to start one, and
/// the calendar file.
#[component]
pub fn ReviewPanel(id: PlanId) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id);
    let add_to_calendar = move |_| {
        let made = app.ui.plan.with_untracked(|p| {
            let plan = p.as_ref()?;
            let due = plan.review.next_due?;
            let (summary, description) = if app.is_worker() {
                let name = plan.display_name().unwrap_or("a carer");
                (
                    format!("Carer support plan review: {name}"),
                    format!("Review of {name}'s carer support plan."),
                )
            } else {
                ("Review of my carer support plan".to_string(), "Your carer support plan is due for review with your key worker. Before it, think about what has changed in each area.".to_string())
            };
            let text = calendar::review_ics(
                &ReviewEvent { plan_id: &pid.get_value(), due, summary: &summary, description: &description },
                chrono::Utc::now(),
            );
            Some(download::offer(&calendar::file_name(due), "text/calendar", text.as_bytes()))
        });
        problem.set(match made {
            Some(true) => None,
            Some(false) => Some("This browser did not let the app give you the file. Try again, or write the date down.".into()),
            None => Some(AppError::NotOpen.to_string()),
        });
    };
    move || {
        let id = pid.get_value();
        app.ui.plan.with(|p| {
            let plan = p.as_ref()?;
            last_agreed(plan)?;
            let fw = framework_of(plan);
            if let Some(open) = open_review(plan) {
                let areas: Vec<_> = fw.indicators.iter().filter(|i| plan.wellbeing.contains_key(&i.id)).collect();
                let answered = areas.iter().filter(|i| area_changed(plan, &i.id).is_some()).count();
                let next = areas.iter().find(|i| area_changed(plan, &i.id).is_none());
                let why = match open.kind {
                    ReviewKind::Planned => "the planned review".to_string(),
                    ReviewKind::Unplanned => format!("because something changed: \u{201c}{}\u{201d}", open.reason),
                };
                return Some(view! {
                    <div class="notice" data-testid="review-round">
                        <p><span class="tag tag--progress">"Review in progress"</span></p>
                        <p>{format!("Started on {} by {}: {why}.", long_date_of_ms(open.started_at), who(app, plan, &open.started_by))}</p>
                        <p data-testid="review-progress">{format!("For each area, say whether it has changed since {}: {answered} of {} answered.", long_date_of_ms(open.since), areas.len())}</p>
                        {next.map(|i| view! { <p><a href=route::href(&id, Page::area(i.id.clone()))>{format!("Go to {}", i.name)}</a></p> })}
                        <p>"When the plan is right, the key worker marks it ready, the carer agrees, and the key worker signs it, as the first time. The version agreed before stays as it was."</p>
                    </div>
                }.into_any());
            }
            let flag = review_flag(plan.review.next_due, today());
            let start = view! { <a href=route::href(&id, Page::StartReview) data-testid="start-review">"Start a review"</a> };
            Some(view! {
                <div class=if matches!(flag, Some(ReviewFlag::Overdue { .. })) { "notice notice--warning" } else { "inset" } data-testid="review-panel">
                    {flag.map(|f| view! {
                        <p data-testid="review-flag"><span class=flag_class(f)>{words::flag_tag(f)}</span>" "{words::flag_sentence(f)}</p>
                    })}
                    <p>{start}{if flag.is_some() { "" } else { " now if something has changed." }}</p>
                    {plan.review.next_due.map(|_| view! {
                        <button type="button" class="button button--secondary" data-testid="add-to-calendar" on:click=add_to_calendar>"Add the review to my calendar"</button>
                    })}
                    {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
                </div>
            }.into_any())
        })
    }
}

/// The tag's look: overdue stands out more than due soon (its words say
/// which, so colour is never the only sign).
pub fn flag_class(f: ReviewFlag) -> &'static str {
    match f {
        ReviewFlag::Overdue { .. } => "tag tag--overdue",
        ReviewFlag::DueSoon { .. } => "tag tag--progress",
    }
}

/// "Start a review": the planned one, or any time because something changed.
#[component]
pub fn StartReview(id: PlanId) -> impl IntoView {
    let app = use_app();
    let kind = RwSignal::new(None::<ReviewKind>);
    let reason = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let (since, due, open) = app.ui.plan.with_untracked(|p| {
        let p = p.as_ref();
        (
            p.and_then(last_agreed)
                .map(|v| long_date_of_ms(v.worker.at)),
            p.and_then(|p| p.review.next_due).map(long_date),
            p.and_then(open_review).is_some(),
        )
    });
    let options = ReviewKind::ALL
        .iter()
        .map(|k| match (k, &due) {
            (ReviewKind::Planned, Some(d)) => {
                opt_hint(k.code(), k.label(), &format!("It is due on {d}."))
            }
            _ => match k.hint() {
                Some(h) => opt_hint(k.code(), k.label(), h),
                None => opt(k.code(), k.label()),
            },
        })
        .collect::<Vec<_>>();
    let current = Signal::derive(move || kind.get().map(|k| k.code().to_owned()));
    let on_pick = Callback::new(move |v: String| match ReviewKind::from_code(&v) {
        Some(k) => {
            kind.set(Some(k));
            problem.set(None);
        }
        None => problem.set(Some(AppError::UnknownChoice.to_string())),
    });
    let start = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(k) = kind.get_untracked() else {
            problem.set(Some("Choose why you are starting a review.".into()));
            return;
        };
        let id = pid.get_value();
        let edit = Edit::StartReview {
            at: now_ms(),
            device: app.my_device(),
            today: today(),
            kind: k,
            reason: reason.get_untracked(),
        };
        match app.edit(&id, edit) {
            Ok(()) => {
                app.ui.notify(
                    "The review has started. Go through each area and say whether it has changed.",
                );
                route::go(&route::Route::Plan(id, Page::Tasks));
            }
            Err(e) => problem.set(Some(e.to_string())),
        }
    };
    let body = match (since, open) {
        (None, _) => view! { <p>"There is nothing to review yet: the plan has not been agreed and signed off."</p> }.into_any(),
        (Some(_), true) => view! { <p>"A review of this plan has already started. Go to the plan to carry on with it."</p> }.into_any(),
        (Some(since), false) => view! {
            <p>{format!("The plan was last agreed on {since}. A review goes through it again: the answers stay as they are, each area asks whether it has changed since then, and the review is agreed and signed as the first time. The version agreed on {since} is kept as it was.")}</p>
            <form on:submit=start novalidate>
                {error_summary(problem)}
                <Choice name="review-kind".to_string() legend="Why are you starting a review now?".to_string() options=options current=current on_pick=on_pick/>
                {move || (kind.get() == Some(ReviewKind::Unplanned)).then(|| words_box("review-reason", "What has changed?", reason))}
                <button type="submit" class="button" data-testid="start-review-button">"Start the review"</button>
            </form>
        }.into_any(),
    };
    view! {
        {back_to_plan(&id)}
        <h1 tabindex="-1">"Start a review"</h1>
        {body}
    }
}

/// "Has this changed since 23 November 2026?", on an area's page while a
/// review is in progress.
#[component]
pub fn AreaChanged(id: PlanId, area: String) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<String>);
    let a = area.clone();
    let current = Signal::derive(move || {
        app.ui.plan.with(|p| {
            p.as_ref()
                .and_then(|p| area_changed(p, &a))
                .and_then(|c| YesNo::from_bool(Some(c)))
                .map(|v| v.code().to_owned())
        })
    });
    let a = area.clone();
    let on_pick = Callback::new(move |v: String| {
        let result = match YesNo::from_code(&v).and_then(YesNo::as_bool) {
            Some(changed) => app.edit(
                &id,
                Edit::SetAreaChanged {
                    area: a.clone(),
                    changed,
                },
            ),
            None => Err(AppError::UnknownChoice),
        };
        problem.set(result.err().map(|e| e.to_string()));
    });
    move || {
        let open = app.ui.plan.with(|p| p.as_ref().and_then(open_review))?;
        let question = words::area_question(&open);
        let options = vec![
            opt(YesNo::Yes.code(), "Yes, it has changed"),
            opt(YesNo::No.code(), "No, it is the same"),
        ];
        Some(view! {
            <div class="review-question" data-testid="area-changed">
                {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
                <Choice name=format!("changed-{area}") legend=question hint="Your answers below are as they were agreed. Change anything that is different now.".to_string()
                    options=options current=current on_pick=on_pick/>
            </div>
        })
    }
}
