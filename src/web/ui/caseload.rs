//! The key worker's caseload: every plan on this device, searchable and
//! sortable, with when it was last shared, when its review is due and its
//! highest impact area. At a laptop's width it is a table with a header
//! that stays in view and columns sorted by their header's button; on a
//! phone each row is a card and a list chooses the order. Twenty plans a
//! page.

use std::cmp::Ordering;

use leptos::prelude::*;

use crate::plan::date::{long_date, long_date_of_ms};
use crate::plan::summary::{CaseloadFilter, PlanSummary};
use crate::plan::PlanId;
use crate::web::app::{today, use_app};
use crate::web::platform::download;
use crate::web::route::{Page, Route};

/// Plans on one page of the caseload.
const PER_PAGE: usize = 20;

fn review_text(s: &PlanSummary) -> String {
    s.review_due
        .map(long_date)
        .unwrap_or_else(|| "Not set".into())
}

/// "Review overdue" or "Review due soon" beside the date.
fn review_flag(s: &PlanSummary) -> Option<impl IntoView> {
    let flag = crate::plan::review::review_flag(s.review_due, today())?;
    Some(
        view! { " " <span class=super::cycle::flag_class(flag) data-testid="review-flag">{crate::web::words::flag_tag(flag)}</span> },
    )
}

/// A column of the caseload: its header, and the order it sorts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    Carer,
    Shared,
    Review,
    Impact,
    Status,
}

impl Column {
    const ALL: [Column; 5] = [
        Column::Carer,
        Column::Shared,
        Column::Review,
        Column::Impact,
        Column::Status,
    ];

    fn header(self) -> &'static str {
        match self {
            Column::Carer => "Carer",
            Column::Shared => "Last shared",
            Column::Review => "Review due",
            Column::Impact => "Highest impact",
            Column::Status => "Status",
        }
    }

    fn code(self) -> &'static str {
        match self {
            Column::Carer => "name",
            Column::Shared => "shared",
            Column::Review => "review",
            Column::Impact => "impact",
            Column::Status => "status",
        }
    }

    /// The order a column first sorts in: names A to Z, the soonest review
    /// first, but the newest share and the highest impact first.
    fn first_ascending(self) -> bool {
        !matches!(self, Column::Shared | Column::Impact)
    }

    /// Two plans in this column's ascending order.
    fn compare(self, a: &PlanSummary, b: &PlanSummary) -> Ordering {
        match self {
            Column::Carer => a.sort_name().cmp(&b.sort_name()),
            Column::Shared => a.last_shared.unwrap_or(0).cmp(&b.last_shared.unwrap_or(0)),
            Column::Review => a.review_due.cmp(&b.review_due),
            Column::Impact => a
                .highest_rank
                .map_or(0, |r| r + 1)
                .cmp(&b.highest_rank.map_or(0, |r| r + 1)),
            Column::Status => a.status.label().cmp(b.status.label()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Sort {
    by: Column,
    ascending: bool,
}

impl Sort {
    /// The choices of the phone's "Sort by" list, and their names.
    const CHOICES: [(Column, bool, &'static str); 4] = [
        (Column::Review, true, "Review due (soonest first)"),
        (Column::Carer, true, "Carer's name (A to Z)"),
        (Column::Shared, false, "Last shared (newest first)"),
        (Column::Impact, false, "Highest impact"),
    ];

    fn code(self) -> String {
        format!(
            "{}-{}",
            self.by.code(),
            if self.ascending { "up" } else { "down" }
        )
    }

    fn from_code(code: &str) -> Option<Sort> {
        Self::CHOICES
            .iter()
            .map(|(by, ascending, _)| Sort {
                by: *by,
                ascending: *ascending,
            })
            .find(|s| s.code() == code)
    }

    /// Sorted by `column`: the other way round if it already was.
    fn by(self, column: Column) -> Sort {
        if self.by == column {
            Sort {
                by: column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                by: column,
                ascending: column.first_ascending(),
            }
        }
    }
}

fn sorted(
    mut plans: Vec<PlanSummary>,
    sort: Sort,
    query: &str,
    filter: CaseloadFilter,
    kept_in_step: &std::collections::HashSet<PlanId>,
) -> Vec<PlanSummary> {
    let q = query.trim().to_lowercase();
    let today = today();
    plans.retain(|p| filter.keeps(p, today, kept_in_step.contains(&p.plan_id)) && p.matches(&q));
    if sort.by == Column::Carer {
        // Each name is made once, not at every comparison.
        plans.sort_by_cached_key(PlanSummary::sort_name);
        if !sort.ascending {
            plans.reverse();
        }
        return plans;
    }
    plans.sort_by(|a, b| {
        let o = sort.by.compare(a, b);
        if sort.ascending {
            o
        } else {
            o.reverse()
        }
    });
    if sort.by == Column::Review {
        // Plans with no review date last, whichever way.
        plans.sort_by_key(|p| p.review_due.is_none());
    }
    plans
}

fn plural(n: usize) -> &'static str {
    if n == 1 {
        "plan"
    } else {
        "plans"
    }
}

/// "Showing 21 to 40 of 312 plans", and how many match a search.
fn count_text(page: usize, shown: usize, matching: usize, total: usize, searching: bool) -> String {
    if matching == 0 {
        return "No plans match your search or choice.".into();
    }
    let from = page * PER_PAGE + 1;
    let to = from + shown - 1;
    if searching {
        format!(
            "Showing {from} to {to} of {matching} {} matching your search or choice ({total} on this device)",
            plural(matching)
        )
    } else {
        format!("Showing {from} to {to} of {total} {}", plural(total))
    }
}

fn row(p: PlanSummary) -> impl IntoView {
    let href = Route::Plan(p.plan_id.clone(), Page::Tasks).href();
    let impact = p
        .highest_impact
        .clone()
        .map(|(area, level)| format!("{area}: {level}"))
        .unwrap_or_else(|| "Not rated".into());
    view! {
        <tr>
            <th scope="row" data-label="Carer"><a href=href>{p.title()}</a>{super::keep_page::caseload_line(&p.plan_id)}</th>
            <td data-label="Last shared">{p.last_shared.map(long_date_of_ms).unwrap_or_else(|| "Never".into())}</td>
            <td data-label="Review due">{review_text(&p)}{review_flag(&p)}</td>
            <td data-label="Highest impact">{impact}</td>
            <td data-label="Status"><span class="tag">{p.status.label()}</span></td>
        </tr>
    }
}

#[component]
pub fn Caseload() -> impl IntoView {
    let ui = use_app().ui;
    let query = RwSignal::new(String::new());
    let sort = RwSignal::new(Sort {
        by: Column::Review,
        ascending: true,
    });
    let page = RwSignal::new(0usize);
    let filter = RwSignal::new(CaseloadFilter::All);
    let list = Memo::new(move |_| {
        let f = filter.get();
        // Read (and followed) only while that filter is chosen.
        let kept = if f == CaseloadFilter::KeptInStep {
            ui.live.with(|l| l.plans.keys().cloned().collect())
        } else {
            Default::default()
        };
        sorted(ui.plans.get(), sort.get(), &query.get(), f, &kept)
    });
    let app = use_app();
    let csv_problem = RwSignal::new(None::<String>);
    let csv_progress = RwSignal::new(None::<crate::web::app::Progress>);
    let download_csv = move |_| {
        csv_problem.set(None);
        csv_progress.set(Some(crate::web::app::Progress::step("Starting")));
        wasm_bindgen_futures::spawn_local(async move {
            let made = app.returns_csv(move |p| csv_progress.set(Some(p))).await;
            csv_progress.set(None);
            match made {
                Ok((text, unreadable)) => {
                    let name = format!(
                        "carer-support-plan-returns-{}.csv",
                        crate::plan::date::iso(today())
                    );
                    if !download::offer(&name, "text/csv", text.as_bytes()) {
                        csv_problem.set(Some(
                            "This browser did not let the app save the file. Please try again."
                                .into(),
                        ));
                    } else if unreadable > 0 {
                        csv_problem.set(Some(format!("{unreadable} plan(s) could not be read on this device, so they are not in the file.")));
                    }
                }
                Err(e) => csv_problem.set(Some(e.to_string())),
            }
        });
    };
    let total = move || ui.plans.with(Vec::len);
    let pages = move || list.with(Vec::len).div_ceil(PER_PAGE).max(1);
    let current = move || page.get().min(pages() - 1);
    let on_page = move || {
        let start = current() * PER_PAGE;
        list.with(|l| {
            l.iter()
                .skip(start)
                .take(PER_PAGE)
                .cloned()
                .collect::<Vec<_>>()
        })
    };
    let count = move || {
        let shown = list.with(|l| l.len().saturating_sub(current() * PER_PAGE).min(PER_PAGE));
        count_text(
            current(),
            shown,
            list.with(Vec::len),
            total(),
            !query.get().trim().is_empty() || filter.get() != CaseloadFilter::All,
        )
    };
    let on_first = move || current() == 0;
    let on_last = move || current() + 1 >= pages();
    let go = move |to: usize| page.set(to.min(pages() - 1));
    let header = move |column: Column| {
        let aria_sort = move || {
            let s = sort.get();
            (s.by == column).then_some(if s.ascending {
                "ascending"
            } else {
                "descending"
            })
        };
        let arrow = move || {
            let s = sort.get();
            if s.by != column {
                ""
            } else if s.ascending {
                "▲"
            } else {
                "▼"
            }
        };
        view! {
            <th scope="col" aria-sort=aria_sort>
                <button type="button" class="sort-button" on:click=move |_| { sort.update(|s| *s = s.by(column)); page.set(0); }>
                    {column.header()}<span class="sort-arrow" aria-hidden="true">{arrow}</span>
                </button>
            </th>
        }
    };
    view! {
        {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
        <h1 tabindex="-1">"Your caseload"</h1>
        <p>"The plans carers have shared with you. They are kept on this device only."</p>
        <p><a class="button" href="#/import" data-testid="add-copy">"Add a plan you were sent"</a></p>
        {move || (total() > 0).then(|| view! { <super::backup_page::BackupReminder/> })}
        <super::status::CatchingUp/>
        {move || (total() == 0).then(|| view! {
            <p data-testid="caseload-empty">"There are no plans on this device yet. When a carer shares their plan with you, add the file they sent."</p>
        })}
        <div hidden=move || total() == 0>
            <div class="caseload-tools">
                <div class="field">
                    <label class="label" for="caseload-search">"Search by carer's name"</label>
                    <input class="input input--20" id="caseload-search" type="search" autocomplete="off"
                        prop:value=move || query.get() on:input=move |ev| { query.set(event_target_value(&ev)); page.set(0); }/>
                </div>
                <div class="field caseload-filter">
                    <label class="label" for="caseload-filter">"Show"</label>
                    <select class="select" id="caseload-filter" data-testid="caseload-filter"
                        on:change=move |ev| if let Some(f) = CaseloadFilter::from_code(&event_target_value(&ev)) { filter.set(f); page.set(0); }>
                        {CaseloadFilter::ALL.into_iter().map(|f| view! {
                            <option value=f.code() selected=move || filter.get() == f>{f.label()}</option>
                        }).collect_view()}
                    </select>
                </div>
                <div class="field caseload-sort">
                    <label class="label" for="caseload-sort">"Sort by"</label>
                    <select class="select" id="caseload-sort"
                        on:change=move |ev| if let Some(s) = Sort::from_code(&event_target_value(&ev)) { sort.set(s); page.set(0); }>
                        {Sort::CHOICES.iter().map(|(by, ascending, name)| {
                            let code = Sort { by: *by, ascending: *ascending }.code();
                            let this = code.clone();
                            view! { <option value=code selected=move || sort.get().code() == this>{*name}</option> }
                        }).collect_view()}
                    </select>
                </div>
            </div>
            <p role="status" class="caseload-count" data-testid="caseload-count">{count}</p>
            <table class="table" data-testid="caseload" hidden=move || list.with(Vec::is_empty)>
                <caption class="visually-hidden">"Plans on this device. Each column's header button sorts the table."</caption>
                <thead><tr>{Column::ALL.into_iter().map(header).collect_view()}</tr></thead>
                <tbody>{move || on_page().into_iter().map(row).collect_view()}</tbody>
            </table>
            <nav class="pagination" aria-label="Pages of the caseload" hidden=move || pages() < 2>
                <button type="button" class="link-button" hidden=on_first on:click=move |_| go(0)>"First page"</button>
                <button type="button" class="link-button" hidden=on_first on:click=move |_| go(current().saturating_sub(1))>"Previous page"</button>
                <p>{move || format!("Page {} of {}", current() + 1, pages())}</p>
                <button type="button" class="link-button" hidden=on_last on:click=move |_| go(current() + 1)>"Next page"</button>
                <button type="button" class="link-button" hidden=on_last on:click=move |_| go(pages() - 1)>"Last page"</button>
            </nav>
        </div>
        <div hidden=move || total() == 0>
            <h2>"Returns"</h2>
            <p>"A spreadsheet (CSV) of every plan on this device, one row a plan, for your council's returns. It holds carers' names: keep it as safe as the plans."</p>
            {move || csv_problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
            <p><button type="button" class="button button--secondary" data-testid="download-returns" disabled=move || csv_progress.get().is_some() on:click=download_csv>"Download returns (CSV)"</button></p>
            {super::common::progress_view("returns-progress".into(), csv_progress)}
        </div>
        <p><a href="#/settings">"Settings"</a></p>
    }
}
