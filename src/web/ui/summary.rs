//! "Check your answers": every answer with a change link, a chart of the
//! ratings, and what they may mean, worded as a suggestion. Also the
//! printed copy of the whole plan.

use leptos::prelude::*;

use super::actions::status_label;
use super::plan::{back_to_plan, framework_of};
use super::questions::{self, meta};
use super::sections::RATHER_NOT_SAY;
use crate::core::date::long_date;
use crate::core::field::{AreaField, ContactField, RiskField, RoleField};
use crate::core::framework::{Framework, Kind};
use crate::core::plan::{Continue, HelpedBy, NightCare, Plan};
use crate::core::section::{Section, Status};
use crate::core::{Field, PlanId};
use crate::web::route::{self, Page};
use crate::web::{session, state};

struct Row {
    key: String,
    value: Option<String>,
    change: Page,
}

fn text_row(id: &PlanId, field: Field, fw: &Framework, change: Page) -> Row {
    let value = session::field_value(id, &field);
    Row {
        key: meta(&field, Some(fw)).label,
        value: (!value.trim().is_empty()).then_some(value),
        change,
    }
}

fn row(key: &str, value: Option<String>, change: Page) -> Row {
    Row {
        key: key.into(),
        value,
        change,
    }
}

fn cont(c: Option<Continue>) -> Option<String> {
    c.map(|c| {
        match c {
            Continue::Yes => "Yes",
            Continue::WithHelp => "Yes, with more help",
            Continue::No => "No",
            Continue::NotSure => "Not sure",
        }
        .to_string()
    })
}

fn yes_no(b: Option<bool>) -> Option<String> {
    b.map(|b| if b { "Yes" } else { "No" }.to_string())
}

fn rows_for(id: &PlanId, section: &Section, plan: &Plan, fw: &Framework) -> Vec<Row> {
    match section {
        Section::AboutYou => {
            let mut rows: Vec<Row> = questions::carer_fields_first()
                .into_iter()
                .map(|f| text_row(id, f, fw, Page::AboutYou))
                .collect();
            rows.push(row(
                "Is anyone helping you fill in this plan?",
                plan.carer.helped_by.map(|h| {
                    match h {
                        HelpedBy::Alone => "No, on my own",
                        HelpedBy::FamilyOrFriends => "Family or friends",
                        HelpedBy::Worker => "A worker",
                    }
                    .to_string()
                }),
                Page::AboutYouMore,
            ));
            rows.extend(
                questions::carer_fields_more()
                    .into_iter()
                    .map(|f| text_row(id, f, fw, Page::AboutYouMore)),
            );
            rows
        }
        Section::People => plan
            .cared_for
            .iter()
            .map(|c| {
                let mut parts = vec![c.relationship.clone()];
                if let Some(l) = c.lives_with_carer {
                    parts.push(if l {
                        "lives with me".into()
                    } else {
                        "does not live with me".into()
                    });
                }
                if !c.conditions.as_str().trim().is_empty() {
                    parts.push(c.conditions.as_str().to_string());
                }
                if !c.other_support.as_str().trim().is_empty() {
                    parts.push(format!("Support: {}", c.other_support.as_str()));
                }
                let parts: Vec<String> =
                    parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
                row(
                    if c.name.trim().is_empty() {
                        "Someone with no name yet"
                    } else {
                        &c.name
                    },
                    (!parts.is_empty()).then(|| parts.join("\n")),
                    Page::Person(c.id.clone()),
                )
            })
            .collect(),
        Section::CaringRole => {
            let r = &plan.caring_role;
            vec![
                text_row(id, Field::Role(RoleField::WhatYouDo), fw, Page::Role),
                row(
                    "Hours a week",
                    r.hours_per_week.map(|h| format!("{h} hours")),
                    Page::Role,
                ),
                row(
                    "Care at night",
                    r.night_care.map(|n| {
                        match n {
                            NightCare::Never => "No",
                            NightCare::Sometimes => "Sometimes",
                            NightCare::MostNights => "Most nights",
                        }
                        .to_string()
                    }),
                    Page::Role,
                ),
                text_row(id, Field::Role(RoleField::HowLong), fw, Page::Role),
                text_row(id, Field::Role(RoleField::TypicalDay), fw, Page::RoleDays),
                text_row(id, Field::Role(RoleField::GoodDay), fw, Page::RoleDays),
                text_row(id, Field::Role(RoleField::BadDay), fw, Page::RoleDays),
                text_row(id, Field::Role(RoleField::WhoElseHelps), fw, Page::RoleDays),
                row(
                    "Able to go on caring",
                    cont(r.able_to_continue),
                    Page::RoleDays,
                ),
                row(
                    "Want to go on caring",
                    cont(r.willing_to_continue),
                    Page::RoleDays,
                ),
                row("Terminally ill", yes_no(r.terminal_illness), Page::RoleDays),
            ]
        }
        Section::Area(a) => {
            let rating = plan
                .wellbeing
                .get(a)
                .and_then(|w| w.rating.clone())
                .map(|r| {
                    if r == RATHER_NOT_SAY {
                        "I would rather not say".to_string()
                    } else {
                        fw.level(&r).map(|l| l.label.clone()).unwrap_or(r)
                    }
                });
            let mut rows = vec![
                text_row(
                    id,
                    Field::Area(a.clone(), AreaField::OwnWords),
                    fw,
                    Page::Area(a.clone()),
                ),
                row("Impact", rating, Page::Area(a.clone())),
            ];
            rows.extend(
                questions::area_fields_more(a)
                    .into_iter()
                    .map(|f| text_row(id, f, fw, Page::AreaMore(a.clone()))),
            );
            rows
        }
        Section::Eligibility => {
            let mut rows: Vec<Row> = fw
                .eligibility
                .iter()
                .map(|q| {
                    row(
                        &q.question,
                        plan.eligibility.get(&q.id).map(|v| {
                            match v.as_str() {
                                "yes" => "Yes",
                                "no" => "No",
                                _ => "Not sure",
                            }
                            .to_string()
                        }),
                        Page::Eligibility,
                    )
                })
                .collect();
            rows.push(row(
                "Indicative personal budget",
                Some(plan.budget.indicative.clone()).filter(|s| !s.trim().is_empty()),
                Page::Eligibility,
            ));
            rows.push(row(
                "Final personal budget",
                Some(plan.budget.final_amount.clone()).filter(|s| !s.trim().is_empty()),
                Page::Eligibility,
            ));
            rows.push(row(
                "How the budget is managed",
                plan.budget.managed.map(|m| {
                    match m {
                        crate::core::plan::BudgetManaged::Council => "The council arranges it",
                        crate::core::plan::BudgetManaged::DirectPayment => "A direct payment",
                        crate::core::plan::BudgetManaged::Mixed => "A mix of both",
                    }
                    .to_string()
                }),
                Page::Eligibility,
            ));
            rows.push(text_row(id, Field::InformationGiven, fw, Page::Eligibility));
            rows
        }
        Section::Emergency => {
            let mut rows: Vec<Row> = questions::emergency_fields()
                .into_iter()
                .map(|f| text_row(id, f, fw, Page::Emergency))
                .collect();
            for c in &plan.emergency.contacts {
                let v: Vec<String> = ContactField::ALL
                    .iter()
                    .skip(1)
                    .map(|f| session::field_value(id, &Field::Contact(c.id.clone(), *f)))
                    .filter(|s| !s.trim().is_empty())
                    .collect();
                rows.push(row(
                    &format!("Contact: {}", c.name),
                    (!v.is_empty()).then(|| v.join(", ")),
                    Page::Contact(c.id.clone()),
                ));
            }
            for r in &plan.emergency.risks {
                let v: Vec<String> = RiskField::ALL
                    .iter()
                    .skip(1)
                    .map(|f| {
                        let val = session::field_value(id, &Field::Risk(r.id.clone(), *f));
                        (!val.trim().is_empty()).then(|| {
                            format!(
                                "{} {}",
                                meta(&Field::Risk(r.id.clone(), *f), None).label,
                                val
                            )
                        })
                    })
                    .flatten()
                    .collect();
                rows.push(row(
                    &format!("Risk: {}", r.risk.as_str()),
                    (!v.is_empty()).then(|| v.join("\n")),
                    Page::Risk(r.id.clone()),
                ));
            }
            rows
        }
        Section::Future => questions::future_fields()
            .into_iter()
            .map(|f| text_row(id, f, fw, Page::Future))
            .collect(),
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
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let print = |_| {
        if let Some(w) = web_sys::window() {
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
            let version = session::version(&id);
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
                    let rows = rows_for(&id, &s, plan, fw);
                    view! {
                        <section class="plan-section">
                            <h2>{s.title(fw)}</h2>
                            {(status == Status::Skipped).then(|| view! { <p class="skipped"><strong>"Skipped."</strong>" You chose not to answer this section."</p> })}
                            {(rows.is_empty() && status != Status::Skipped).then(|| view! { <p class="skipped">"Nothing added yet."</p> })}
                            <dl class="summary-list">
                                {rows.into_iter().map(|r| {
                                    let key = r.key.clone();
                                    view! {
                                        <div class="summary-row">
                                            <dt class="summary-key">{r.key}</dt>
                                            <dd class="summary-value">{match r.value {
                                                Some(v) => view! { <span class="answer">{v}</span> }.into_any(),
                                                None => view! { <span class="not-answered">"Not answered"</span> }.into_any(),
                                            }}</dd>
                                            <dd class="summary-actions"><a href=route::href(&id, r.change)>"Change"<span class="visually-hidden">{format!(" {key}")}</span></a></dd>
                                        </div>
                                    }
                                }).collect_view()}
                            </dl>
                        </section>
                    }
                }).collect_view()}
                <section class="plan-section">
                    <h2>"Actions"</h2>
                    {if plan.actions.is_empty() {
                        view! { <p class="skipped">"No actions yet."</p> }.into_any()
                    } else {
                        view! { <ul class="action-list">{plan.actions.iter().map(|a| view! {
                            <li>{format!("{} — {}, {}{}", a.what.as_str(), if a.who.is_empty() { "nobody named" } else { &a.who }, status_label(a.status), a.by_when.map(|d| format!(", by {}", long_date(d))).unwrap_or_default())}</li>
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
