//! Distance travelled, as people read it: for each wellbeing area a step
//! chart of the impact rating at each agreed version (the carer's a solid
//! line with round points, the key worker's a dashed line with square
//! points, every point labelled in words, so it reads without colour) and,
//! beside it, a table with the same ratings in words for screen readers
//! and print: "Substantial → Moderate → Low". The series come from
//! `plan::distance`, read from the signed versions (`doc::signoff`) beside
//! the page (`Reading::Distance`: each version is the plan read at older
//! heads, which grows with the plan's history).

use leptos::prelude::*;

use super::common::framework_of;
use super::later::read_later;
use crate::plan::date::{day_short_month, long_date};
use crate::plan::distance::{path_words, short_label, AreaPath, Rating};
use crate::plan::framework::Framework;
use crate::plan::PlanId;
use crate::web::app::use_app;
use crate::web::engine::protocol::{Reading, Readout};

const LEFT: usize = 96;
const RIGHT: usize = 16;
const TOP: usize = 22;
const ROW: usize = 46;
const STEP: usize = 72;

/// The x of version `i` of `n` in a chart `width` wide.
fn x_of(i: usize, n: usize, width: usize) -> usize {
    LEFT + (2 * i + 1) * (width - LEFT - RIGHT) / (2 * n.max(1))
}

/// One series: its steps (level held until the next version, then the
/// move), its points and their labels.
fn series(
    ratings: &[Option<Rating>],
    y_of: &impl Fn(usize) -> usize,
    width: usize,
    carer: bool,
) -> impl IntoView {
    let n = ratings.len();
    let mut d = String::new();
    for (i, pair) in ratings.windows(2).enumerate() {
        if let [Some(a), Some(b)] = pair {
            let (x0, x1) = (x_of(i, n, width), x_of(i + 1, n, width));
            let mid = (x0 + x1) / 2;
            d.push_str(&format!(
                "M{x0} {} H{mid} V{} H{x1} ",
                y_of(a.rank),
                y_of(b.rank)
            ));
        }
    }
    let points = ratings
        .iter()
        .enumerate()
        .filter_map(|(i, r)| r.as_ref().map(|r| (x_of(i, n, width), y_of(r.rank), r.label.clone())))
        .map(|(x, y, label)| {
            if carer {
                view! {
                    <circle cx=x cy=y r="6" class="dt-point dt-point--carer"/>
                    <text x=x y=y - 10 text-anchor="middle" class="dt-text">{label}</text>
                }
                .into_any()
            } else {
                view! {
                    <rect x=x - 8 y=y - 8 width="16" height="16" class="dt-point dt-point--worker"/>
                    <text x=x y=y + 22 text-anchor="middle" class="dt-text dt-text--worker">{label}</text>
                }
                .into_any()
            }
        })
        .collect_view();
    let class = if carer {
        "dt-line dt-line--carer"
    } else {
        "dt-line dt-line--worker"
    };
    view! { <path d=d class=class/>{points} }
}

/// One area's step chart.
fn chart(area: &AreaPath, agreed: &[chrono::NaiveDate], fw: &Framework) -> impl IntoView {
    let levels = fw.levels.len().max(1);
    let n = agreed.len();
    let width = (LEFT + RIGHT + n * STEP).max(320);
    let height = TOP + (levels - 1) * ROW + 58;
    let y_of = move |rank: usize| TOP + (levels - 1 - rank.min(levels - 1)) * ROW + 8;
    let grid = fw
        .levels
        .iter()
        .enumerate()
        .map(|(rank, l)| {
            let y = y_of(rank);
            view! {
                <line x1=LEFT - 4 x2=width - RIGHT y1=y y2=y class="dt-grid"/>
                <text x=LEFT - 10 y=y + 4 text-anchor="end" class="dt-axis">{short_label(&l.label)}</text>
            }
        })
        .collect_view();
    let base = y_of(0) + 30;
    let dates = agreed
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let x = x_of(i, n, width);
            view! {
                <text x=x y=base text-anchor="middle" class="dt-axis">{day_short_month(*d)}</text>
                <text x=x y=base + 15 text-anchor="middle" class="dt-axis">{chrono::Datelike::year(d).to_string()}</text>
            }
        })
        .collect_view();
    view! {
        <figure class="dt-figure">
            <figcaption class="dt-caption">{area.name.clone()}</figcaption>
            <svg class="dt-chart" viewBox=format!("0 0 {width} {height}") aria-hidden="true"
                data-testid=format!("distance-chart-{}", area.area)>
                {grid}
                {dates}
                {series(&area.worker, &y_of, width, false)}
                {series(&area.carer, &y_of, width, true)}
            </svg>
        </figure>
    }
}

/// "Agreed on 23 November 2026, reviewed on 18 January 2027 and 3 March 2027."
fn versions_line(agreed: &[chrono::NaiveDate]) -> String {
    let dates: Vec<String> = agreed.iter().map(|d| long_date(*d)).collect();
    match dates.as_slice() {
        [] => String::new(),
        [only] => format!("Agreed once so far, on {only}. After each review this shows how far things have moved in each area."),
        [first, rest @ ..] => {
            let reviews = match rest {
                [one] => one.clone(),
                [init @ .., last] => format!("{} and {last}", init.join(", ")),
                [] => String::new(),
            };
            format!("Agreed on {first}, reviewed on {reviews}.")
        }
    }
}

/// The section: nothing until the plan has been agreed once.
#[component]
pub fn DistanceTravelled(id: PlanId) -> impl IntoView {
    let app = use_app();
    let read = read_later(id, Reading::Distance, |r| match r {
        Readout::Distance(d) => Some(d),
        _ => None,
    });
    move || {
        let dist = read.get()?;
        let fw = app
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(framework_of))?;
        if dist.agreed.is_empty() {
            return None;
        }
        let rows = dist
            .areas
            .iter()
            .map(|a| {
                view! {
                    <tr>
                        <th scope="row">{a.name.clone()}</th>
                        <td data-label="The carer's rating">{path_words(&a.carer)}</td>
                        <td data-label="The key worker's rating">{path_words(&a.worker)}</td>
                    </tr>
                }
            })
            .collect_view();
        let charts = dist
            .areas
            .iter()
            .map(|a| chart(a, &dist.agreed, fw))
            .collect_view();
        Some(view! {
            <section class="plan-section distance" data-testid="distance-travelled">
                <h2 id="section-distance" tabindex="-1">"How far things have moved"</h2>
                <p>{format!("The impact of caring in each area at each agreed version of the plan, oldest first. {}", versions_line(&dist.agreed))}</p>
                {dist.areas.is_empty().then(|| view! { <p>"No area was rated in an agreed version."</p> })}
                <div class="distance-layout" hidden=dist.areas.is_empty()>
                    <table class="table distance-table" data-testid="distance-table">
                        <caption class="distance-caption">"Ratings at each agreed version, in words"</caption>
                        <thead><tr><th scope="col">"Area"</th><th scope="col">"The carer's rating"</th><th scope="col">"The key worker's rating"</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <div class="distance-charts">
                        <p class="dt-key" aria-hidden="true">
                            <span class="dt-key-item"><svg viewBox="0 0 36 16" class="dt-key-mark"><path d="M2 8 H34" class="dt-line dt-line--carer"/><circle cx="18" cy="8" r="5" class="dt-point dt-point--carer"/></svg>"The carer's rating: solid line, round points, words above"</span>
                            <span class="dt-key-item"><svg viewBox="0 0 36 16" class="dt-key-mark"><path d="M2 8 H34" class="dt-line dt-line--worker"/><rect x="11" y="1" width="14" height="14" class="dt-point dt-point--worker"/></svg>"The key worker's rating: dashed line, square points, words below"</span>
                        </p>
                        {charts}
                    </div>
                </div>
            </section>
        })
    }
}
