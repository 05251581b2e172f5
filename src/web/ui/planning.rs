//! The question pages of "Planning ahead": the emergency plan (with its
//! contacts and risks), plans for the future, and (England) support from
//! the council.

use leptos::prelude::*;

use super::checks::checked_link;
use super::common::back_to_plan;
use super::common::{fw_now, pick, read, AddButton};
use super::fields::{ask, CodedChoice, SectionDone};
use crate::plan::field::{BudgetField, ContactField, RiskField};
use crate::plan::questions;
use crate::plan::{BudgetManaged, Coded, Edit, Field, PlanId, Section, YesNo};
use crate::web::app::use_app;
use crate::web::route::{self, Page};

// ---- Emergency plan --------------------------------------------------------

#[component]
pub fn Emergency(id: PlanId) -> impl IntoView {
    let pid = StoredValue::new(id.clone());
    let app = use_app();
    let contacts = move || {
        let id = pid.get_value();
        app.ui.plan.with(|p| {
            let list = p.as_ref().map(|p| p.emergency.contacts.clone()).unwrap_or_default();
            view! { <ul class="action-list">{list.into_iter().map(|c| view! {
                <li><a href=route::href(&id, Page::Contact(c.id.clone()))>{if c.name.trim().is_empty() { "A contact with no name yet".to_string() } else { c.name.clone() }}</a></li>
            }).collect_view()}</ul> }
        })
    };
    let risks = move || {
        let id = pid.get_value();
        app.ui.plan.with(|p| {
            let list = p.as_ref().map(|p| p.emergency.risks.clone()).unwrap_or_default();
            view! { <ul class="action-list">{list.into_iter().map(|r| view! {
                <li><a href=route::href(&id, Page::Risk(r.id.clone()))>{if r.risk.as_str().trim().is_empty() { "A risk with no description yet".to_string() } else { r.risk.as_str().to_string() }}</a></li>
            }).collect_view()}</ul> }
        })
    };
    view! {
        <p class="caption">"Emergency plan"</p>
        <h1 tabindex="-1">"If you could not care"</h1>
        <p>"What should happen if you were suddenly ill, or could not be there? Others can use this in an emergency."</p>
        {questions::emergency_fields().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        <h2>"Emergency contacts"</h2>
        {contacts}
        <AddButton id=id.clone() label="Add a contact" make=|id| Edit::AddContact { id } page=Page::Contact/>
        <h2>"Risks"</h2>
        <p>"Think about what could go wrong, and what would stop it or help."</p>
        {risks}
        <AddButton id=id.clone() label="Add a risk" make=|id| Edit::AddRisk { id } page=Page::Risk/>
        <SectionDone id=id.clone() section=Section::Emergency/>
        {back_to_plan(&id)}
    }
}

fn back_to_emergency(id: &PlanId) -> impl IntoView {
    view! { <p><a class="back-link" href=route::href(id, Page::Section(Section::Emergency))>"Back to the emergency plan"</a></p> }
}

#[component]
pub fn ContactPage(id: PlanId, contact: String) -> impl IntoView {
    view! {
        <p class="caption">"Emergency plan"</p>
        <h1 tabindex="-1">"Emergency contact"</h1>
        {ContactField::ALL.iter().map(|f| ask(&id, Field::Contact(contact.clone(), *f), None)).collect_view()}
        {checked_link(route::href(&id, Page::Section(Section::Emergency)), "Save and go back to the emergency plan")}
        {back_to_emergency(&id)}
    }
}

#[component]
pub fn RiskPage(id: PlanId, risk: String) -> impl IntoView {
    view! {
        <p class="caption">"Emergency plan"</p>
        <h1 tabindex="-1">"A risk"</h1>
        {RiskField::ALL.iter().map(|f| ask(&id, Field::Risk(risk.clone(), *f), None)).collect_view()}
        {checked_link(route::href(&id, Page::Section(Section::Emergency)), "Save and go back to the emergency plan")}
        {back_to_emergency(&id)}
    }
}

// ---- Future and council ----------------------------------------------------

#[component]
pub fn Future(id: PlanId) -> impl IntoView {
    view! {
        <p class="caption">"Plans for the future"</p>
        <h1 tabindex="-1">"Thinking ahead"</h1>
        {questions::future_fields().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        <SectionDone id=id.clone() section=Section::Future/>
        {back_to_plan(&id)}
    }
}

#[component]
pub fn Council(id: PlanId) -> impl IntoView {
    let app = use_app();
    let fw = fw_now();
    let questions_view = fw
        .eligibility
        .iter()
        .map(|q| {
            let qid = q.id.clone();
            let qid2 = q.id.clone();
            let current = read(move |p| p.eligibility.get(&qid).and_then(|c| YesNo::from_code(c)));
            let on_pick = pick(app, &id, move |answer: YesNo| Edit::SetEligibility {
                question: qid2.clone(),
                answer,
            });
            view! {
                <CodedChoice name=format!("eligibility-{}", q.id) legend=q.question.clone()
                    values=YesNo::ALL current=current on_pick=on_pick/>
            }
        })
        .collect_view();
    let managed = read(|p| p.budget.managed);
    let on_managed = pick(app, &id, |v: BudgetManaged| Edit::SetBudgetManaged(Some(v)));
    view! {
        <p class="caption">"Support from the council"</p>
        <h1 tabindex="-1">"Support from the council"</h1>
        <p>"These questions help you and the council see whether it has a duty to support you."</p>
        {questions_view}
        <h2>"Personal budget"</h2>
        <p>"If the council agrees to support you, it will tell you how much money is available."</p>
        {ask(&id, Field::Budget(BudgetField::Indicative), None)}
        {ask(&id, Field::Budget(BudgetField::FinalAmount), None)}
        <CodedChoice name="budget-managed".to_string() legend="How would you like the budget managed?".to_string()
            values=BudgetManaged::ALL current=managed on_pick=on_managed/>
        {ask(&id, Field::InformationGiven, None)}
        <SectionDone id=id.clone() section=Section::Eligibility/>
        {back_to_plan(&id)}
    }
}
