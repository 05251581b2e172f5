//! The key worker's caseload: every plan on this device, searchable and
//! sortable, with when it was last shared, when its review is due and its
//! highest impact area. At a laptop's width it is a table with a header
//! that stays in view and columns sorted by their header's button; on a
//! phone each row is a card and a list chooses the order. Twenty plans a
//! page.

use leptos::prelude::*;

use super::caseload_order::{Column, Sort};
use super::returns::returns;
use crate::plan::date::{long_date, long_date_of_ms};
use crate::plan::summary::{CaseloadFilter, PlanSummary};
use crate::plan::PlanId;
use crate::web::app::{today, use_app, Ui};
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

/// What the caseload shows: the search, filter, order and page chosen, and
/// the plans they pick.
#[derive(Clone, Copy)]
struct Listing {
    query: RwSignal<String>,
    sort: RwSignal<Sort>,
    page: RwSignal<usize>,
    filter: RwSignal<CaseloadFilter>,
    list: Memo<Vec<PlanSummary>>,
}

impl Listing {
    fn new(ui: Ui) -> Self {
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
        Listing {
            query,
            sort,
            page,
            filter,
            list,
        }
    }

    fn pages(self) -> usize {
        self.list.with(Vec::len).div_ceil(PER_PAGE).max(1)
    }

    fn current(self) -> usize {
        self.page.get().min(self.pages() - 1)
    }

    fn go(self, to: usize) {
        self.page.set(to.min(self.pages() - 1));
    }

    fn on_page(self) -> Vec<PlanSummary> {
        let start = self.current() * PER_PAGE;
        self.list
            .with(|l| l.iter().skip(start).take(PER_PAGE).cloned().collect())
    }

    /// "Showing …": how many plans this page shows, of how many.
    fn count(self, total: usize) -> String {
        let current = self.current();
        let shown = self
            .list
            .with(|l| l.len().saturating_sub(current * PER_PAGE).min(PER_PAGE));
        let searching =
            !self.query.get().trim().is_empty() || self.filter.get() != CaseloadFilter::All;
        count_text(current, shown, self.list.with(Vec::len), total, searching)
    }
}

#[component]
pub fn Caseload() -> impl IntoView {
    let ui = use_app().ui;
    let l = Listing::new(ui);
    let total = move || ui.plans.with(Vec::len);
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
            {tools(l)}
            <p role="status" class="caseload-count" data-testid="caseload-count">{move || l.count(total())}</p>
            <table class="table" data-testid="caseload" hidden=move || l.list.with(Vec::is_empty)>
                <caption class="visually-hidden">"Plans on this device. Each column's header button sorts the table."</caption>
                <thead><tr>{Column::ALL.into_iter().map(|c| header(l, c)).collect_view()}</tr></thead>
                <tbody>{move || l.on_page().into_iter().map(row).collect_view()}</tbody>
            </table>
            {pagination(l)}
        </div>
        {returns(move || total() == 0)}
        <p><a href="#/settings">"Settings"</a></p>
    }
}

/// Search by name, the filter, and (on a phone) the order.
fn tools(l: Listing) -> impl IntoView {
    let Listing {
        query,
        sort,
        page,
        filter,
        ..
    } = l;
    view! {
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
    }
}

/// A column's header: a button that sorts by it, and which way it is sorted.
fn header(l: Listing, column: Column) -> impl IntoView {
    let Listing { sort, page, .. } = l;
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
}

/// First, previous, next and last page, when there is more than one.
fn pagination(l: Listing) -> impl IntoView {
    let on_first = move || l.current() == 0;
    let on_last = move || l.current() + 1 >= l.pages();
    view! {
        <nav class="pagination" aria-label="Pages of the caseload" hidden=move || l.pages() < 2>
            <button type="button" class="link-button" hidden=on_first on:click=move |_| l.go(0)>"First page"</button>
            <button type="button" class="link-button" hidden=on_first on:click=move |_| l.go(l.current().saturating_sub(1))>"Previous page"</button>
            <p>{move || format!("Page {} of {}", l.current() + 1, l.pages())}</p>
            <button type="button" class="link-button" hidden=on_last on:click=move |_| l.go(l.current() + 1)>"Next page"</button>
            <button type="button" class="link-button" hidden=on_last on:click=move |_| l.go(l.pages() - 1)>"Last page"</button>
        </nav>
    }
}
