//! "Check your answers": every answer with a change link, a chart of the
//! ratings, and what they may mean, worded as a suggestion; a contents
//! list, and each section on a page of its own. Also the printed copy of
//! the whole plan.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::common::{back_to_plan, framework_of, title_of, words};
use crate::plan::answers::{action_line, answers_of, Place, RATHER_NOT_SAY};
use crate::plan::date::long_date;
use crate::plan::framework::{Framework, Kind};
use crate::plan::{Plan, PlanId, Section, Status};
use crate::web::app::use_app;
use crate::web::engine::protocol::{Reading, Readout};
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
            <title id="chart-title">{words("How caring affects each area of your life", "How caring affects each area of the carer's life")}</title>
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
            "{} {}. Only the council can decide this, with {}.",
            words(
                "Your answers suggest your needs",
                "The carer's answers suggest their needs"
            ),
            fw.threshold_text,
            words("you", "the carer")
        )
    } else {
        format!(
            "{} {}; support is still available from carers' centres and local services.",
            words(
                "From your ratings, your needs may not reach the level at which the council",
                "From the ratings, the carer's needs may not reach the level at which the council"
            ),
            fw.threshold_text.trim_start_matches("may ")
        )
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
            <h3 class="inset-title">{format!("What could help: {}", route_info.summary)}</h3>
            <p>{route_info.detail.clone()}</p>
            <p>{format!("The council's name for this kind of support: {}.", route_info.name)}</p>
            <p>{threshold}</p>
            {areas.map(|a| view! { <p>{a}</p> })}
            {open.map(|o| view! { <p>{o}</p> })}
            <p class="hint">"This is a suggestion to talk through with a worker, not a decision."</p>
        </div>
    }.into_any()
}

const CHART_ANCHOR: &str = "section-ratings";
fn chart_title() -> &'static str {
    words(
        "How caring affects your life",
        "How caring affects the carer's life",
    )
}

/// The sections "Check your answers" shows, in the task list's order.
fn shown(fw: &Framework) -> Vec<Section> {
    let mut all = Section::all(fw);
    all.push(Section::Actions);
    all
}

fn anchor_of(s: &Section) -> String {
    format!("section-{}", s.id())
}

/// Move to a heading on this page without changing the page's address
/// (the address names the page; `#section-…` is not one).
fn jump(anchor: String) -> impl Fn(leptos::ev::MouseEvent) + 'static {
    move |ev: leptos::ev::MouseEvent| {
        ev.prevent_default();
        let heading = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.get_element_by_id(&anchor))
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
        if let Some(h) = heading {
            h.scroll_into_view();
            super::focus(&h);
        }
    }
}

/// Links to each part of the page.
fn contents(fw: &Framework) -> impl IntoView {
    let entries: Vec<(String, String)> =
        std::iter::once((CHART_ANCHOR.to_string(), chart_title().to_string()))
            .chain(shown(fw).iter().map(|s| (anchor_of(s), title_of(s, fw))))
            .collect();
    view! {
        <nav class="contents no-print" aria-label="Sections on this page">
            <h2 class="contents-title">"Contents"</h2>
            <ul class="contents-list">
                {entries.into_iter().map(|(anchor, title)| view! {
                    <li><a href=format!("#{anchor}") on:click=jump(anchor.clone())>{title}</a></li>
                }).collect_view()}
            </ul>
        </nav>
    }
}

/// A section's answers, each with its "Change" link; the actions as a list.
fn answers(plan: &Plan, s: &Section, fw: &Framework, id: &PlanId) -> AnyView {
    if *s == Section::Actions {
        return if plan.actions.is_empty() {
            view! { <p class="skipped">"No actions yet."</p> }.into_any()
        } else {
            view! { <ul class="action-list">{plan.actions.iter().map(|a| view! {
                <li>{action_line(a)}</li>
            }).collect_view()}</ul> }
            .into_any()
        };
    }
    let status = s.status(plan);
    let rows = answers_of(plan, s, fw);
    view! {
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
                        <dd class="summary-actions"><a href=route::href(id, page_of(r.place))>"Change"<span class="visually-hidden">{format!(" {key}")}</span></a></dd>
                    </div>
                }
            }).collect_view()}
        </dl>
    }.into_any()
}

/// "Check your answers" for one section, with the sections before and after.
#[component]
pub fn SummaryOf(id: PlanId, section: Section) -> impl IntoView {
    let ui = use_app().ui;
    let pid = StoredValue::new(id);
    let section = StoredValue::new(section);
    move || {
        let id = pid.get_value();
        let s = section.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let all = shown(fw);
            let at = all.iter().position(|x| *x == s);
            let near = |step: isize| {
                at.and_then(|i| i.checked_add_signed(step))
                    .and_then(|i| all.get(i))
                    .cloned()
            };
            let link = |label: &str, to: Section| view! {
                <li><a href=route::href(&id, Page::SummaryOf(to.clone()))>{format!("{label}: {}", title_of(&to, fw))}</a></li>
            };
            view! {
                {back_to_plan(&id)}
                <p class="caption">{words("Check your answers", "Check the answers")}</p>
                <h1 tabindex="-1">{title_of(&s, fw)}</h1>
                {answers(plan, &s, fw, &id)}
                <ul class="pager">
                    {near(-1).map(|p| link("Previous", p))}
                    {near(1).map(|n| link("Next", n))}
                    <li><a href=route::href(&id, Page::Summary)>{words("All your answers", "All the answers")}</a></li>
                </ul>
                {back_to_plan(&id)}
            }.into_any()
        })
    }
}

#[component]
pub fn Summary(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    // The version number in print looks at every change: read beside the page.
    let version = super::later::read_later(id.clone(), Reading::Version, |r| match r {
        Readout::Version(v) => Some(v),
        _ => None,
    });
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
            let today = long_date(crate::web::app::today());
            let footer = move || {
                let version = version.get().map(|v| format!(" · version {v}")).unwrap_or_default();
                format!("Carer support plan{} · printed {today}{version}", if name.is_empty() { String::new() } else { format!(" for {name}") })
            };
            view! {
                <div class="print-footer" aria-hidden="true">{footer}</div>
                {back_to_plan(&id)}
                <p class="caption">{words("Your plan", "The carer's plan")}</p>
                <h1 tabindex="-1">{words("Check your answers", "Check the answers")}</h1>
                <p class="no-print">"Check everything is right. You can change any answer, and print the plan or save it as a PDF."</p>
                <button type="button" class="button button--secondary" on:click=print>"Print or save as PDF"</button>
                {contents(fw)}
                <section class="plan-section">
                    <h2 id=CHART_ANCHOR tabindex="-1">{chart_title()}</h2>
                    {chart(plan, fw)}
                    {suggestion(plan, fw)}
                </section>
                <super::distance::DistanceTravelled id=id.clone()/>
                {shown(fw).into_iter().map(|s| {
                    let title = title_of(&s, fw);
                    let anchor = anchor_of(&s);
                    view! {
                        <section class="plan-section">
                            <h2 id=anchor tabindex="-1">{title.clone()}</h2>
                            <p class="no-print"><a href=route::href(&id, Page::SummaryOf(s.clone()))>{format!("Check only {title}")}</a></p>
                            {answers(plan, &s, fw, &id)}
                        </section>
                    }
                }).collect_view()}
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
