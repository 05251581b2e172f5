//! The question pages of each section: About you, the people you care for,
//! your caring role, each wellbeing area, the emergency plan, plans for the
//! future, and (England) support from the council.

use leptos::prelude::*;

use super::fields::{opt, opt_hint, CheckedInput, Choice, SectionDone};
use super::plan::{back_to_plan, framework_of};
use super::questions::{self, ask};
use crate::core::answer;
use crate::core::field::{AreaField, BudgetField, ContactField, RiskField, RoleField};
use crate::core::framework::{Framework, Kind};
use crate::core::ids::item_id;
use crate::core::plan::{
    BudgetManaged, CaredFor, Coded, Contact, Continue, HelpedBy, NightCare, Plan, Risk,
};
use crate::core::section::Section;
use crate::core::{Field, PlanId};
use crate::web::route::{self, Page, Route};
use crate::web::{session, state};

pub fn section_page(id: &PlanId, page: Page) -> AnyView {
    let id = id.clone();
    match page {
        Page::AboutYou => view! { <AboutYou id=id/> }.into_any(),
        Page::AboutYouMore => view! { <AboutYouMore id=id/> }.into_any(),
        Page::People => view! { <People id=id/> }.into_any(),
        Page::Person(p) => view! { <Person id=id person=p/> }.into_any(),
        Page::Role => view! { <Role id=id/> }.into_any(),
        Page::RoleDays => view! { <RoleDays id=id/> }.into_any(),
        Page::Area(a) => view! { <Area id=id area=a/> }.into_any(),
        Page::AreaMore(a) => view! { <AreaMore id=id area=a/> }.into_any(),
        Page::Emergency => view! { <Emergency id=id/> }.into_any(),
        Page::Contact(c) => view! { <ContactPage id=id contact=c/> }.into_any(),
        Page::Risk(r) => view! { <RiskPage id=id risk=r/> }.into_any(),
        Page::Future => view! { <Future id=id/> }.into_any(),
        Page::Eligibility => view! { <Council id=id/> }.into_any(),
        _ => view! { <p>"This page does not exist."</p> }.into_any(),
    }
}

fn fw_now() -> &'static Framework {
    state::ui()
        .plan
        .with_untracked(|p| p.as_ref().map(framework_of))
        .unwrap_or_else(|| Framework::for_plan(""))
}

/// A reactive read of the open plan.
fn read<T: Send + Sync + 'static>(
    f: impl Fn(&Plan) -> Option<T> + Send + Sync + 'static,
) -> Signal<Option<T>> {
    let ui = state::ui();
    Signal::derive(move || ui.plan.with(|p| p.as_ref().and_then(&f)))
}

/// Add a new list item (a person, an action, a contact, a risk) with a
/// fresh id, then open its page.
pub fn add_item<F>(id: &PlanId, message: &str, push: F, page: fn(String) -> Page)
where
    F: Fn(&mut Plan, String),
{
    let Ok(new) = item_id() else { return };
    let n = new.clone();
    if session::change(id, message, move |p| push(p, n.clone())).is_ok() {
        route::go(&Route::Plan(id.clone(), page(new)));
    }
}

/// A callback that makes one structural change to the plan.
fn pick<F>(id: &PlanId, message: &'static str, f: F) -> Callback<String>
where
    F: Fn(&mut Plan, &str) + Send + Sync + 'static,
{
    let id = id.clone();
    Callback::new(move |v: String| {
        let _ = session::change(&id, message, |p| f(p, &v));
    })
}

/// The stored code of an optional choice, for a [`Choice`]'s current value.
fn code<T: Coded>(v: Option<T>) -> Option<String> {
    v.map(|v| v.code().to_string())
}

fn yes_no() -> Vec<Opt> {
    vec![opt("yes", "Yes"), opt("no", "No")]
}

type Opt = super::fields::Opt;

fn continue_button(id: &PlanId, page: Page) -> impl IntoView {
    view! { <a class="button" href=route::href(id, page)>"Continue"</a> }
}

// ---- About you ---------------------------------------------------------

#[component]
fn AboutYou(id: PlanId) -> impl IntoView {
    view! {
        <p class="caption">"About you"</p>
        <h1 tabindex="-1">"Your details"</h1>
        <p>"Answer what you are happy to. You can come back and change anything later."</p>
        <form class="form" on:submit=|ev| ev.prevent_default() novalidate>
            {questions::carer_fields_first().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        </form>
        {continue_button(&id, Page::AboutYouMore)}
        {back_to_plan(&id)}
    }
}

#[component]
fn AboutYouMore(id: PlanId) -> impl IntoView {
    let helped = read(|p| code(p.carer.helped_by));
    let on_helped = pick(&id, "Updated About you", |p, v| {
        p.carer.helped_by = HelpedBy::from_code(v)
    });
    view! {
        <p class="caption">"About you"</p>
        <h1 tabindex="-1">"You and your health"</h1>
        <Choice name="helped-by".to_string() legend="Is anyone helping you fill in this plan?".to_string()
            options=vec![opt("alone", "No, I am doing it on my own"), opt("family-or-friends", "Yes, family or friends"), opt("worker", "Yes, a worker")]
            current=helped on_pick=on_helped/>
        {questions::carer_fields_more().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        <SectionDone id=id.clone() section=Section::AboutYou/>
        {back_to_plan(&id)}
    }
}

// ---- People you care for -------------------------------------------------

#[component]
fn People(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let add = move |_| {
        let id = pid.get_value();
        let Ok(new) = item_id() else { return };
        let n = new.clone();
        if session::change(&id, "Added a person you care for", move |p| {
            p.cared_for.push(CaredFor {
                id: n.clone(),
                ..Default::default()
            })
        })
        .is_ok()
        {
            route::go(&Route::Plan(id, Page::Person(new)));
        }
    };
    let list = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let people = p.as_ref().map(|p| p.cared_for.clone()).unwrap_or_default();
            if people.is_empty() {
                return view! { <p>"You have not added anyone yet."</p> }.into_any();
            }
            view! {
                <ul class="summary-list" data-testid="people-list">
                    {people.into_iter().map(|person| {
                        let name = if person.name.trim().is_empty() { "Someone with no name yet".to_string() } else { person.name.clone() };
                        let remove_id = person.id.clone();
                        let id2 = id.clone();
                        view! {
                            <li class="summary-row">
                                <span class="summary-key">{name.clone()}</span>
                                <span class="summary-value">{person.relationship.clone()}</span>
                                <span class="summary-actions">
                                    <a href=route::href(&id, Page::Person(person.id.clone()))>"Change"<span class="visually-hidden">{format!(" {name}")}</span></a>
                                    <button type="button" class="link-button" on:click=move |_| {
                                        let r = remove_id.clone();
                                        let _ = session::change(&id2, "Removed a person you care for", move |p| p.cared_for.retain(|c| c.id != r));
                                    }>"Remove"<span class="visually-hidden">{format!(" {name}")}</span></button>
                                </span>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        })
    };
    view! {
        <p class="caption">"The people you care for"</p>
        <h1 tabindex="-1">"Who do you care for?"</h1>
        <p>"Add everyone you look after. One plan covers all of them."</p>
        {list}
        <button type="button" class="button button--secondary" on:click=add>"Add a person"</button>
        <SectionDone id=id.clone() section=Section::People/>
        {back_to_plan(&id)}
    }
}

#[component]
fn Person(id: PlanId, person: String) -> impl IntoView {
    let exists = {
        let p = person.clone();
        read(move |plan| Some(plan.cared_for.iter().any(|c| c.id == p)))
    };
    let lives = {
        let p = person.clone();
        read(move |plan| {
            plan.cared_for
                .iter()
                .find(|c| c.id == p)
                .and_then(|c| c.lives_with_carer)
                .map(|b| if b { "yes".into() } else { "no".into() })
        })
    };
    let p2 = person.clone();
    let on_lives = pick(&id, "Updated The people you care for", move |plan, v| {
        if let Some(c) = plan.cared_for.iter_mut().find(|c| c.id == p2) {
            c.lives_with_carer = Some(v == "yes");
        }
    });
    let fields = questions::person_fields(&person);
    let back = route::href(&id, Page::People);
    view! {
        <p class="caption">"The people you care for"</p>
        <h1 tabindex="-1">"About the person you care for"</h1>
        {move || (exists.get() == Some(false)).then(|| view! { <p class="error-message">"This person is no longer in the plan."</p> })}
        {fields.iter().take(2).cloned().map(|f| ask(&id, f, None)).collect_view()}
        <Choice name=format!("lives-{person}") legend="Do they live with you?".to_string() options=yes_no() current=lives on_pick=on_lives/>
        {fields.iter().skip(2).cloned().map(|f| ask(&id, f, None)).collect_view()}
        <a class="button" href=back>"Save and go back to the list"</a>
    }
}

// ---- Caring role -----------------------------------------------------------

fn continue_opts() -> Vec<Opt> {
    vec![
        opt("yes", "Yes"),
        opt("with-help", "Yes, with more help"),
        opt("no", "No"),
        opt("not-sure", "I am not sure"),
    ]
}

#[component]
fn Role(id: PlanId) -> impl IntoView {
    let hours = Signal::derive(move || {
        state::ui().plan.with(|p| {
            p.as_ref()
                .and_then(|p| p.caring_role.hours_per_week)
                .map(|h| h.to_string())
                .unwrap_or_default()
        })
    });
    let hid = id.clone();
    let check_hours = Callback::new(move |v: String| {
        let h = answer::hours_per_week(&v).map_err(|e| e.to_string())?;
        session::change(&hid, "Updated Your caring role", |p| {
            p.caring_role.hours_per_week = h
        })
        .map_err(|e| e.to_string())
    });
    let night = read(|p| code(p.caring_role.night_care));
    let on_night = pick(&id, "Updated Your caring role", |p, v| {
        p.caring_role.night_care = NightCare::from_code(v)
    });
    view! {
        <p class="caption">"Your caring role"</p>
        <h1 tabindex="-1">"What you do"</h1>
        {ask(&id, Field::Role(RoleField::WhatYouDo), None)}
        <CheckedInput html_id="caring-role-hours".to_string() label="About how many hours a week do you spend caring?".to_string()
            hint="A rough number is fine. There are 168 hours in a week.".to_string()
            inputmode="numeric" width_class="input--5" value=hours check=check_hours/>
        <Choice name="night-care".to_string() legend="Do you care for them at night?".to_string()
            options=vec![opt("never", "No"), opt("sometimes", "Sometimes"), opt("most-nights", "Most nights")]
            current=night on_pick=on_night/>
        {ask(&id, Field::Role(RoleField::HowLong), None)}
        {continue_button(&id, Page::RoleDays)}
        {back_to_plan(&id)}
    }
}

#[component]
fn RoleDays(id: PlanId) -> impl IntoView {
    let able = read(|p| code(p.caring_role.able_to_continue));
    let willing = read(|p| code(p.caring_role.willing_to_continue));
    let on_able = pick(&id, "Updated Your caring role", |p, v| {
        p.caring_role.able_to_continue = Continue::from_code(v)
    });
    let on_willing = pick(&id, "Updated Your caring role", |p, v| {
        p.caring_role.willing_to_continue = Continue::from_code(v)
    });
    let terminal = read(|p| {
        p.caring_role
            .terminal_illness
            .map(|b| if b { "yes".into() } else { "no".into() })
    });
    let on_terminal = pick(&id, "Updated Your caring role", |p, v| {
        p.caring_role.terminal_illness = Some(v == "yes")
    });
    view! {
        <p class="caption">"Your caring role"</p>
        <h1 tabindex="-1">"Your days"</h1>
        {[RoleField::TypicalDay, RoleField::GoodDay, RoleField::BadDay, RoleField::WhoElseHelps]
            .into_iter().map(|f| ask(&id, Field::Role(f), None)).collect_view()}
        <Choice name="able".to_string() legend="Are you able to go on caring?".to_string() options=continue_opts() current=able on_pick=on_able/>
        <Choice name="willing".to_string() legend="Do you want to go on caring?".to_string()
            hint="It is fine to say no, or not sure.".to_string() options=continue_opts() current=willing on_pick=on_willing/>
        <Choice name="terminal".to_string() legend="Is the person you care for terminally ill?".to_string()
            hint="If so, your plan and any support can be made a priority.".to_string()
            options=yes_no() current=terminal on_pick=on_terminal/>
        <SectionDone id=id.clone() section=Section::CaringRole/>
        {back_to_plan(&id)}
    }
}

// ---- Wellbeing areas -------------------------------------------------------

pub const RATHER_NOT_SAY: &str = "rather-not-say";

#[component]
fn Area(id: PlanId, area: String) -> impl IntoView {
    let fw = fw_now();
    let Some(ind) = fw.indicator(&area).cloned() else {
        return view! {
            <h1 tabindex="-1">"This area is not part of your plan"</h1>
            {back_to_plan(&id)}
        }
        .into_any();
    };
    let a = area.clone();
    let rating = read(move |p| p.wellbeing.get(&a).and_then(|w| w.rating.clone()));
    let a = area.clone();
    let on_rating = pick(&id, "Updated a wellbeing area", move |p, v| {
        p.wellbeing.entry(a.clone()).or_default().rating = Some(v.to_string());
    });
    let mut options: Vec<Opt> = fw
        .levels
        .iter()
        .map(|l| opt_hint(&l.id, &l.label, &l.description))
        .collect();
    options.push(opt(RATHER_NOT_SAY, "I would rather not say"));
    let legend = match fw.kind {
        Kind::Levels => format!(
            "How much does caring affect your {}?",
            ind.name.to_lowercase()
        ),
        Kind::CareAct => ind.question.clone(),
    };
    if crate::web::settings::is_worker() {
        return view! {
            <p class="caption">"Wellbeing area"</p>
            <h1 tabindex="-1">{ind.name.clone()}</h1>
            <super::worker::WorkerArea id=id.clone() area=area.clone()/>
            {continue_button(&id, Page::AreaMore(area.clone()))}
            {back_to_plan(&id)}
        }
        .into_any();
    }
    view! {
        <p class="caption">{ind.name.clone()}</p>
        <h1 tabindex="-1">{ind.name.clone()}</h1>
        {ask(&id, Field::Area(area.clone(), AreaField::OwnWords), Some(fw))}
        <Choice name=format!("rating-{area}") legend=legend options=options current=rating on_pick=on_rating/>
        {worker_view(area.clone())}
        {continue_button(&id, Page::AreaMore(area.clone()))}
        {back_to_plan(&id)}
    }.into_any()
}

/// The key worker's rating and notes, beside (never over) the carer's.
fn worker_view(area: String) -> impl IntoView {
    move || {
        state::ui().plan.with(|p| {
            let plan = p.as_ref()?;
            let w = plan.wellbeing.get(&area)?;
            let notes = w.worker_notes.as_str().trim().to_owned();
            if w.worker_rating.is_none() && notes.is_empty() {
                return None;
            }
            let fw = super::plan::framework_of(plan);
            let rating = w
                .worker_rating
                .as_deref()
                .and_then(|r| fw.level(r))
                .map(|l| l.label.clone());
            Some(view! {
                <div class="panel panel--carer" data-testid="worker-view">
                    <h2>"Your key worker's view"</h2>
                    {rating.map(|r| view! { <p><strong>"Their rating: "</strong>{r}</p> })}
                    {(!notes.is_empty()).then(|| view! { <p class="pre">{notes.clone()}</p> })}
                </div>
            })
        })
    }
}

#[component]
fn AreaMore(id: PlanId, area: String) -> impl IntoView {
    let fw = fw_now();
    let name = fw
        .indicator(&area)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let pid = StoredValue::new(id.clone());
    let a = StoredValue::new(area.clone());
    let add_action = move |_| {
        let id = pid.get_value();
        let Ok(new) = item_id() else { return };
        let n = new.clone();
        let area = a.get_value();
        if session::change(&id, "Added an action", move |p| {
            p.actions.push(crate::core::plan::Action {
                id: n.clone(),
                area: Some(area.clone()),
                ..Default::default()
            })
        })
        .is_ok()
        {
            route::go(&Route::Plan(id, Page::Action(new)));
        }
    };
    let actions = move || {
        let id = pid.get_value();
        let area = a.get_value();
        state::ui().plan.with(|p| {
            let list: Vec<_> = p.as_ref().map(|p| p.actions.iter().filter(|x| x.area.as_deref() == Some(area.as_str())).cloned().collect()).unwrap_or_default();
            (!list.is_empty()).then(|| view! {
                <ul class="action-list">
                    {list.into_iter().map(|x| view! {
                        <li><a href=route::href(&id, Page::Action(x.id.clone()))>{if x.what.as_str().trim().is_empty() { "An action with no description yet".to_string() } else { x.what.as_str().to_string() }}</a></li>
                    }).collect_view()}
                </ul>
            })
        })
    };
    view! {
        <p class="caption">{name.clone()}</p>
        <h1 tabindex="-1">"What matters to you"</h1>
        {questions::area_fields_more(&area).into_iter().map(|f| ask(&id, f, Some(fw))).collect_view()}
        <h2>"Actions"</h2>
        <p>"An action is something that will be done, by you or someone else."</p>
        {actions}
        <button type="button" class="button button--secondary" on:click=add_action>"Add an action for this area"</button>
        <SectionDone id=id.clone() section=Section::Area(area.clone())/>
        {back_to_plan(&id)}
    }
}

// ---- Emergency plan --------------------------------------------------------

#[component]
fn Emergency(id: PlanId) -> impl IntoView {
    let pid = StoredValue::new(id.clone());
    let add_contact = move |_| {
        let id = pid.get_value();
        let Ok(new) = item_id() else { return };
        let n = new.clone();
        if session::change(&id, "Added an emergency contact", move |p| {
            p.emergency.contacts.push(Contact {
                id: n.clone(),
                ..Default::default()
            })
        })
        .is_ok()
        {
            route::go(&Route::Plan(id, Page::Contact(new)));
        }
    };
    let add_risk = move |_| {
        let id = pid.get_value();
        let Ok(new) = item_id() else { return };
        let n = new.clone();
        if session::change(&id, "Added a risk", move |p| {
            p.emergency.risks.push(Risk {
                id: n.clone(),
                ..Default::default()
            })
        })
        .is_ok()
        {
            route::go(&Route::Plan(id, Page::Risk(new)));
        }
    };
    let contacts = move || {
        let id = pid.get_value();
        state::ui().plan.with(|p| {
            let list = p.as_ref().map(|p| p.emergency.contacts.clone()).unwrap_or_default();
            view! { <ul class="action-list">{list.into_iter().map(|c| view! {
                <li><a href=route::href(&id, Page::Contact(c.id.clone()))>{if c.name.trim().is_empty() { "A contact with no name yet".to_string() } else { c.name.clone() }}</a></li>
            }).collect_view()}</ul> }
        })
    };
    let risks = move || {
        let id = pid.get_value();
        state::ui().plan.with(|p| {
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
        <button type="button" class="button button--secondary" on:click=add_contact>"Add a contact"</button>
        <h2>"Risks"</h2>
        <p>"Think about what could go wrong, and what would stop it or help."</p>
        {risks}
        <button type="button" class="button button--secondary" on:click=add_risk>"Add a risk"</button>
        <SectionDone id=id.clone() section=Section::Emergency/>
        {back_to_plan(&id)}
    }
}

#[component]
fn ContactPage(id: PlanId, contact: String) -> impl IntoView {
    view! {
        <p class="caption">"Emergency plan"</p>
        <h1 tabindex="-1">"Emergency contact"</h1>
        {ContactField::ALL.iter().map(|f| ask(&id, Field::Contact(contact.clone(), *f), None)).collect_view()}
        <a class="button" href=route::href(&id, Page::Emergency)>"Save and go back to the emergency plan"</a>
    }
}

#[component]
fn RiskPage(id: PlanId, risk: String) -> impl IntoView {
    view! {
        <p class="caption">"Emergency plan"</p>
        <h1 tabindex="-1">"A risk"</h1>
        {RiskField::ALL.iter().map(|f| ask(&id, Field::Risk(risk.clone(), *f), None)).collect_view()}
        <a class="button" href=route::href(&id, Page::Emergency)>"Save and go back to the emergency plan"</a>
    }
}

// ---- Future and council ----------------------------------------------------

#[component]
fn Future(id: PlanId) -> impl IntoView {
    view! {
        <p class="caption">"Plans for the future"</p>
        <h1 tabindex="-1">"Thinking ahead"</h1>
        {questions::future_fields().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        <SectionDone id=id.clone() section=Section::Future/>
        {back_to_plan(&id)}
    }
}

#[component]
fn Council(id: PlanId) -> impl IntoView {
    let fw = fw_now();
    let questions_view = fw.eligibility.iter().map(|q| {
        let qid = q.id.clone();
        let qid2 = q.id.clone();
        let current = read(move |p| p.eligibility.get(&qid).cloned());
        let on_pick = pick(&id, "Updated Support from the council", move |p, v| {
            p.eligibility.insert(qid2.clone(), v.to_string());
        });
        view! {
            <Choice name=format!("eligibility-{}", q.id) legend=q.question.clone()
                options=vec![opt("yes", "Yes"), opt("no", "No"), opt("not-sure", "I am not sure")]
                current=current on_pick=on_pick/>
        }
    }).collect_view();
    let managed = read(|p| code(p.budget.managed));
    let on_managed = pick(&id, "Updated Support from the council", |p, v| {
        p.budget.managed = BudgetManaged::from_code(v)
    });
    view! {
        <p class="caption">"Support from the council"</p>
        <h1 tabindex="-1">"Support from the council"</h1>
        <p>"These questions help you and the council see whether it has a duty to support you."</p>
        {questions_view}
        <h2>"Personal budget"</h2>
        <p>"If the council agrees to support you, it will tell you how much money is available."</p>
        {ask(&id, Field::Budget(BudgetField::Indicative), None)}
        {ask(&id, Field::Budget(BudgetField::FinalAmount), None)}
        <Choice name="budget-managed".to_string() legend="How would you like the budget managed?".to_string()
            options=vec![
                opt_hint("council", "The council arranges the support", "The council pays for the services for you."),
                opt_hint("direct-payment", "A direct payment", "The money is paid to you and you arrange the support."),
                opt("mixed", "A mix of both"),
            ]
            current=managed on_pick=on_managed/>
        {ask(&id, Field::InformationGiven, None)}
        <SectionDone id=id.clone() section=Section::Eligibility/>
        {back_to_plan(&id)}
    }
}
