//! The key worker's caseload: every plan on this device, searchable and
//! sortable, with when it was last shared, when its review is due and its
//! highest impact area.

use leptos::prelude::*;

use crate::plan::date::{long_date, long_date_of_ms};
use crate::plan::summary::PlanSummary;
use crate::plan::PlanId;
use crate::web::route::{Page, Route};
use crate::web::app::use_app;

fn review_text(s: &PlanSummary) -> String {
    s.review_due
        .as_deref()
        .and_then(|d| chrono::NaiveDate::parse_from_str(d, "%Y-%m-%d").ok())
        .map(long_date)
        .unwrap_or_else(|| "Not set".into())
}

fn sorted(mut plans: Vec<PlanSummary>, by: &str, query: &str) -> Vec<PlanSummary> {
    let q = query.trim().to_lowercase();
    plans.retain(|p| p.matches(&q));
    match by {
        "name" => plans.sort_by_key(|p| p.sort_name()),
        "shared" => plans.sort_by_key(|p| std::cmp::Reverse(p.last_shared.unwrap_or(0))),
        "impact" => plans.sort_by_key(|p| std::cmp::Reverse(p.highest_rank.map_or(0, |r| r + 1))),
        // Soonest review first; plans with no review date last.
        _ => plans.sort_by_key(|p| (p.review_due.is_none(), p.review_due.clone())),
    }
    plans
}

#[component]
pub fn Caseload() -> impl IntoView {
    let ui = use_app().ui;
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new("review".to_string());
    let rows = move || {
        let list = sorted(ui.plans.get(), &sort.get(), &query.get());
        let total = ui.plans.with(Vec::len);
        if total == 0 {
            return view! { <p data-testid="caseload-empty">"There are no plans on this device yet. When a carer shares their plan with you, add the file they sent."</p> }.into_any();
        }
        if list.is_empty() {
            return view! { <p role="status">"No plans match your search."</p> }.into_any();
        }
        view! {
            <p role="status" class="visually-hidden">{format!("{} of {} plans shown", list.len(), total)}</p>
            <table class="table" data-testid="caseload">
                <caption class="visually-hidden">"Plans on this device"</caption>
                <thead><tr>
                    <th scope="col">"Carer"</th>
                    <th scope="col">"Last shared"</th>
                    <th scope="col">"Review due"</th>
                    <th scope="col">"Highest impact"</th>
                    <th scope="col">"Status"</th>
                </tr></thead>
                <tbody>
                    {list.into_iter().map(|p| {
                        let href = PlanId::parse(&p.plan_id)
                            .map(|id| Route::Plan(id, Page::Tasks).href())
                            .unwrap_or_else(|| "#/".into());
                        let impact = p.highest_impact.clone()
                            .map(|(area, level)| format!("{area}: {level}"))
                            .unwrap_or_else(|| "Not rated".into());
                        view! {
                            <tr>
                                <th scope="row" data-label="Carer"><a href=href>{p.title()}</a></th>
                                <td data-label="Last shared">{p.last_shared.map(long_date_of_ms).unwrap_or_else(|| "Never".into())}</td>
                                <td data-label="Review due">{review_text(&p)}</td>
                                <td data-label="Highest impact">{impact}</td>
                                <td data-label="Status"><span class="tag">{p.status.label()}</span></td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
        }.into_any()
    };
    view! {
        {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
        <h1 tabindex="-1">"Your caseload"</h1>
        <p>"The plans carers have shared with you. They are kept on this device only."</p>
        <p><a class="button" href="#/import" data-testid="add-copy">"Add a plan you were sent"</a></p>
        <div class="caseload-tools">
            <div class="field">
                <label class="label" for="caseload-search">"Search by carer's name"</label>
                <input class="input input--20" id="caseload-search" type="search" autocomplete="off"
                    prop:value=move || query.get() on:input=move |ev| query.set(event_target_value(&ev))/>
            </div>
            <div class="field">
                <label class="label" for="caseload-sort">"Sort by"</label>
                <select class="select" id="caseload-sort" on:change=move |ev| sort.set(event_target_value(&ev))>
                    <option value="review" selected=true>"Review due (soonest first)"</option>
                    <option value="name">"Carer's name"</option>
                    <option value="shared">"Last shared (newest first)"</option>
                    <option value="impact">"Highest impact"</option>
                </select>
            </div>
        </div>
        {rows}
        <p><a href="#/settings">"Settings"</a></p>
    }
}
