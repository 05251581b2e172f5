//! "Check your answers": every answer with a change link, a chart of the
//! ratings, and what they may mean, worded as a suggestion. Also the
//! printed copy of the whole plan.

use leptos::prelude::*;

use super::common::{back_to_plan, framework_of};
use crate::plan::answers::{action_line, answers_of, Place, RATHER_NOT_SAY};
use crate::plan::date::long_date;
use crate::plan::framework::{Framework, Kind};
use crate::plan::{Plan, PlanId, Section, Status};
use crate::web::app::use_app;
use crate::web::route::{self, Page};

/// The page where an answer is asked.
fn page_of(place: Place) -> Page {
    match place {
        Place::Section(s) => Page::Section(s),
        Place::AboutYouMore => Page::AboutYouMore,
        Place::Person(id) => Page::Person(id),
        Place::RoleDays => Page::RoleDays,
        Place::AreaMore(a) => Page::AreaMore(a),
        Place::Action(id) => Page::Action(id),
        Place::Contact(id) => Page::Contact(id),
        Place::Risk(id) => Page::Risk(id),
    }
}

/// One bar per area, its length the rating; each bar also labelled in words
/// so the chart reads without colour.
fn chart(plan: &Plan, fw: &Framework) -> impl IntoView {
    let levels = fw.levels.len().max(1);
    let row_h = 44;
    let label_w = 0;
    let width = 320;
    let height = row_h * fw.indicators.len() + 8;
    let bars = fw.indicators.iter().enumerate().map(|(i, ind)| {
        let rating = plan.wellbeing.get(&ind.id).and_then(|w| w.rating.clone());
        let rank = rating.as_deref().and_then(|r| fw.rank(r));
        let words = match (&rating, rank) {
            (_, Some(r)) => fw.levels[r].label.clone(),
            (Some(r), None) if r == RATHER_NOT_SAY => "Rather not say".into(),
            _ => "Not rated".into(),
        };
        let w = rank.map(|r| (r + 1) * (width - label_w) / levels).unwrap_or(0);
        let y = i * row_h;
        let class = format!("bar bar--{}", rank.unwrap_or(0));
        view! {
            <g>
                <text x="0" y=y + 14 class="chart-label">{format!("{}: {}", ind.name, words)}</text>
                <rect x=label_w y=y + 20 width=w.max(2) height="16" class=class/>
            </g>
        }
    }).collect_view();
    let desc: Vec<String> = fw
        .indicators
        .iter()
        .map(|ind| {
            let r = plan
                .wellbeing
                .get(&ind.id)
                .and_then(|w| w.rating.clone())
                .and_then(|r| fw.level(&r).map(|l| l.label.clone()))
                .unwrap_or_else(|| "not rated".into());
            format!("{}: {}", ind.name, r)
        })
        .collect();
    view! {
        <svg class="chart" role="img" aria-labelledby="chart-title chart-desc" viewBox=format!("0 0 {width} {height}") data-testid="impact-chart">
            <title id="chart-title">"How caring affects each area of your life"</title>
            <desc id="chart-desc">{desc.join("; ")}</desc>
            {bars}
        </svg>
    }
}

fn suggestion(plan: &Plan, fw: &Framework) -> impl IntoView {
    let s = fw.suggest(plan);
    let Some(route_info) = s.route.clone() else {
        return view! { <p data-testid="suggestion">"When you have rated how caring affects each area, this will suggest what kind of support could help."</p> }.into_any();
    };
    let threshold = if s.may_meet_threshold {
        format!(
            "Your answers suggest your needs {}. Only the council can decide this, with you.",
            fw.threshold_text
        )
    } else {
        format!("From your ratings, your needs may not reach the level at which the council {}; support is still available from carers' centres and local services.", fw.threshold_text.trim_start_matches("may "))
    };
    let areas = (!s.areas_at_threshold.is_empty()).then(|| {
        format!(
            "Areas to talk about first: {}.",
            s.areas_at_threshold.join(", ")
        )
    });
    let open = (fw.kind == Kind::CareAct && !s.open_questions.is_empty())
        .then(|| format!("Not answered yet: {}", s.open_questions.join(" ")));
    view! {
        <div class="inset" data-testid="suggestion">
            <h3 class="inset-title">{format!("Suggested: {} – {}", route_info.name, route_info.summary)}</h3>
            <p>{route_info.detail.clone()}</p>
            <p>{threshold}</p>
            {areas.map(|a| view! { <p>{a}</p> })}
            {open.map(|o| view! { <p>{o}</p> })}
            <p class="hint">"This is a suggestion to talk through with a worker, not a decision."</p>
        </div>
    }.into_any()
}

#[component]
pub fn Summary(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let print = |_| {
        if let Some(w) = web_sys::window() {
            // A browser that cannot print leaves the page as it is.
            let _ = w.print();
        }
    };
    let body = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let name = plan.display_name().unwrap_or("").to_string();
            let today = long_date(chrono::Local::now().date_naive());
            let version = app.version(&id);
            view! {
                <div class="print-footer" aria-hidden="true">{format!("Carer support plan{} · printed {today} · version {version}", if name.is_empty() { String::new() } else { format!(" for {name}") })}</div>
                <p class="caption">"Your plan"</p>
                <h1 tabindex="-1">"Check your answers"</h1>
                <p class="no-print">"Check everything is right. You can change any answer, and print the plan or save it as a PDF."</p>
                <button type="button" class="button button--secondary" on:click=print>"Print or save as PDF"</button>
                <section class="plan-section">
                    <h2>"How caring affects your life"</h2>
                    {chart(plan, fw)}
                    {suggestion(plan, fw)}
                </section>
                {Section::all(fw).into_iter().map(|s| {
                    let status = s.status(plan);
                    let rows = answers_of(plan, &s, fw);
                    view! {
                        <section class="plan-section">
                            <h2>{s.title(fw)}</h2>
                            {(status == Status::Skipped).then(|| view! { <p class="skipped"><strong>"Skipped."</strong>" You chose not to answer this section."</p> })}
                            {(rows.is_empty() && status != Status::Skipped).then(|| view! { <p class="skipped">"Nothing added yet."</p> })}
                            <dl class="summary-list">
                                {rows.into_iter().map(|r| {
                                    let key = r.question.clone();
                                    view! {
                                        <div class="summary-row">
                                            <dt class="summary-key">{r.question}</dt>
                                            <dd class="summary-value">{match r.value {
                                                Some(v) => view! { <span class="answer">{v}</span> }.into_any(),
                                                None => view! { <span class="not-answered">"Not answered"</span> }.into_any(),
                                            }}</dd>
                                            <dd class="summary-actions"><a href=route::href(&id, page_of(r.place))>"Change"<span class="visually-hidden">{format!(" {key}")}</span></a></dd>
                                        </div>
                                    }
                                }).collect_view()}
                            </dl>
                        </section>
                    }
                }).collect_view()}
                <section class="plan-section">
                    <h2>{Section::Actions.title(fw)}</h2>
                    {if plan.actions.is_empty() {
                        view! { <p class="skipped">"No actions yet."</p> }.into_any()
                    } else {
                        view! { <ul class="action-list">{plan.actions.iter().map(|a| view! {
                            <li>{action_line(a)}</li>
                        }).collect_view()}</ul> }.into_any()
                    }}
                </section>
                <section class="signatures print-only">
                    <h2>"Signatures"</h2>
                    <p class="signature-line">"Carer: ______________________________  Date: ____________"</p>
                    <p class="signature-line">"Worker: _____________________________  Date: ____________"</p>
                </section>
                {back_to_plan(&id)}
            }.into_any()
        })
    };
    // In print, the table's footer repeats on every page and reserves the
    // space the fixed footer (date and version) is printed in.
    view! {
        <table class="print-layout" role="presentation">
            <tfoot><tr><td><div class="print-footer-space"></div></td></tr></tfoot>
            <tbody><tr><td><div class="summary">{body}</div></td></tr></tbody>
        </table>
    }
}
