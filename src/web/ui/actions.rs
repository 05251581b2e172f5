//! Actions: what will be done, who by, by when, and how it is going. Added
//! from any wellbeing area; listed together here.

use leptos::prelude::*;

use super::common::{back_to_plan, framework_of};
use super::fields::ask;
use super::fields::{CheckedInput, CodedChoice};
use crate::plan::answer;
use crate::plan::date::long_date;
use crate::plan::field::ActionField;
use crate::plan::{ActionStatus, Coded, Edit, Field, PlanId, Section};
use crate::web::app::{today, use_app};
use crate::web::route::{self, Page};
use crate::web::words::Words;

#[component]
pub fn Actions(id: PlanId) -> impl IntoView {
    let app = use_app();
    let pid = StoredValue::new(id.clone());
    let list = move || {
        let id = pid.get_value();
        app.ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            if plan.actions.is_empty() {
                return view! { <p>"There are no actions yet. You can add them here or from any area of your life."</p> }.into_any();
            }
            view! {
                <ul class="summary-list" data-testid="actions-list">
                    {plan.actions.iter().map(|a| {
                        let what = if a.what.as_str().trim().is_empty() { "An action with no description yet".to_string() } else { a.what.as_str().to_string() };
                        let area = a.area.as_deref().and_then(|i| fw.indicator(i)).map(|i| i.name.clone());
                        view! {
                            <li class="summary-row">
                                <span class="summary-key">{what.clone()}</span>
                                <span class="summary-value">
                                    {format!("{} · {}", if a.who.trim().is_empty() { "Nobody named yet" } else { a.who.as_str() }, a.status.label())}
                                    {a.by_when.map(|d| format!(" · by {}", long_date(d)))}
                                    {area.map(|n| format!(" · {n}"))}
                                </span>
                                <span class="summary-actions"><a href=route::href(&id, Page::Action(a.id.clone()))>"Change"<span class="visually-hidden">{format!(" {what}")}</span></a></span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    view! {
        <p class="caption">{super::common::words("Your plan", "The carer's plan")}</p>
        <h1 tabindex="-1">"Actions"</h1>
        {list}
        <super::common::AddButton id=id.clone() label="Add an action"
            make=|id| Edit::AddAction { id, area: None } page=Page::Action/>
        {back_to_plan(&id)}
    }
}

#[component]
pub fn ActionPage(id: PlanId, action: String) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let a1 = action.clone();
    let date = Signal::derive(move || {
        ui.plan.with(|p| {
            p.as_ref()
                .and_then(|p| {
                    p.actions
                        .iter()
                        .find(|x| x.id == a1)
                        .and_then(|x| x.by_when)
                })
                .map(crate::plan::date::iso)
                .unwrap_or_default()
        })
    });
    let (pid, a2) = (id.clone(), action.clone());
    let check_date = Callback::new(move |v: String| {
        let d = answer::future_date(&v, today()).map_err(|e| e.words())?;
        app.edit(
            &pid,
            Edit::SetActionDate {
                id: a2.clone(),
                by_when: d,
            },
        )
        .map_err(|e| e.to_string())
    });
    let a3 = action.clone();
    let status = Signal::derive(move || {
        ui.plan.with(|p| {
            p.as_ref()
                .and_then(|p| p.actions.iter().find(|x| x.id == a3))
                .map(|x| x.status)
        })
    });
    let (pid, a4) = (id.clone(), action.clone());
    let on_status = Callback::new(move |status: ActionStatus| {
        app.edit(
            &pid,
            Edit::SetActionStatus {
                id: a4.clone(),
                status,
            },
        )
    });
    let back_area = ui.plan.with_untracked(|p| {
        p.as_ref()
            .and_then(|p| p.actions.iter().find(|x| x.id == action))
            .and_then(|x| x.area.clone())
    });
    let back = match back_area {
        Some(a) => route::href(&id, Page::AreaMore(a)),
        None => route::href(&id, Page::Section(Section::Actions)),
    };
    view! {
        <p class="caption">"Actions"</p>
        <h1 tabindex="-1">"An action"</h1>
        {ask(&id, Field::Action(action.clone(), ActionField::What), None)}
        {ask(&id, Field::Action(action.clone(), ActionField::Who), None)}
        <CheckedInput html_id=format!("action-{action}-by-when") label="By when?".to_string()
            hint="Leave blank if there is no date.".to_string() input_type="date" width_class="input--10"
            value=date check=check_date/>
        <CodedChoice name=format!("action-{action}-status") legend="How is it going?".to_string()
            values=ActionStatus::ALL current=status on_pick=on_status/>
        {super::checks::checked_link(back, "Save and go back")}
        <p><a class="back-link" href=route::href(&id, Page::Section(Section::Actions))>"All actions"</a></p>
        {back_to_plan(&id)}
    }
}
