//! The question pages of the sections about the carer: About you, the
//! people you care for, your caring role and each wellbeing area. The
//! "Planning ahead" sections are in `planning.rs`.

use leptos::prelude::*;

use super::checks::checked_link;
use super::common::{
    back_to_plan, continue_button, framework_of, fw_now, pick, read, words, AddButton,
};
use super::fields::ask;
use super::fields::{opt, opt_hint, CheckedInput, Choice, CodedChoice, Opt, SectionDone};
use crate::plan::answer;
use crate::plan::field::{AreaField, RoleField};
use crate::plan::framework::Kind;
use crate::plan::questions;
use crate::plan::{Coded, Continue, Edit, Field, HelpedBy, NightCare, PlanId, Section, YesNo};
use crate::web::app::{use_app, AppError};
use crate::web::route::{self, Page};
use crate::web::words::Words;

pub use super::people_remove::RemovePerson;

// ---- About you ---------------------------------------------------------

#[component]
pub fn AboutYou(id: PlanId) -> impl IntoView {
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
pub fn AboutYouMore(id: PlanId) -> impl IntoView {
    let app = use_app();
    let helped = read(|p| p.carer.helped_by);
    let on_helped = pick(app, &id, |v: HelpedBy| Edit::SetHelpedBy(Some(v)));
    view! {
        <p class="caption">"About you"</p>
        <h1 tabindex="-1">"You and your health"</h1>
        <CodedChoice name="helped-by".to_string() legend=questions::HELPED_BY.to_string()
            values=HelpedBy::ALL current=helped on_pick=on_helped/>
        {questions::carer_fields_more().into_iter().map(|f| ask(&id, f, None)).collect_view()}
        <SectionDone id=id.clone() section=Section::AboutYou/>
        {back_to_plan(&id)}
    }
}

// ---- People you care for -------------------------------------------------

#[component]
pub fn People(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
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
                        view! {
                            <li class="summary-row">
                                <span class="summary-key">{name.clone()}</span>
                                <span class="summary-value">{person.relationship.clone()}</span>
                                <span class="summary-actions">
                                    <a href=route::href(&id, Page::Person(person.id.clone()))>"Change"<span class="visually-hidden">{format!(" {name}")}</span></a>
                                    <a href=route::href(&id, Page::RemovePerson(person.id.clone()))>"Remove"<span class="visually-hidden">{format!(" {name}")}</span></a>
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
        <AddButton id=id.clone() label="Add a person" make=|id| Edit::AddPerson { id } page=Page::Person/>
        <SectionDone id=id.clone() section=Section::People/>
        {back_to_plan(&id)}
    }
}

#[component]
pub fn Person(id: PlanId, person: String) -> impl IntoView {
    let exists = {
        let p = person.clone();
        read(move |plan| Some(plan.cared_for.iter().any(|c| c.id == p)))
    };
    let app = use_app();
    let lives = {
        let p = person.clone();
        read(move |plan| {
            YesNo::from_bool(
                plan.cared_for
                    .iter()
                    .find(|c| c.id == p)
                    .and_then(|c| c.lives_with_carer),
            )
        })
    };
    let p2 = person.clone();
    let on_lives = pick(app, &id, move |v: YesNo| Edit::SetLivesWithCarer {
        person: p2.clone(),
        lives: v.as_bool(),
    });
    let fields = questions::person_fields(&person);
    let back = route::href(&id, Page::Section(Section::People));
    view! {
        <p class="caption">"The people you care for"</p>
        <h1 tabindex="-1">"About the person you care for"</h1>
        {move || (exists.get() == Some(false)).then(|| view! { <p class="error-message">"This person is no longer in the plan."</p> })}
        {fields.iter().take(2).cloned().map(|f| ask(&id, f, None)).collect_view()}
        <CodedChoice name=format!("lives-{person}") legend="Do they live with you?".to_string() values=YesNo::TWO current=lives on_pick=on_lives/>
        {fields.iter().skip(2).cloned().map(|f| ask(&id, f, None)).collect_view()}
        {checked_link(back.clone(), "Save and go back to the list")}
        <p><a class="back-link" href=back>"Back to the people you care for"</a></p>
    }
}

// ---- Caring role -----------------------------------------------------------

#[component]
pub fn Role(id: PlanId) -> impl IntoView {
    let app = use_app();
    // The hours as the carer typed them; plans from before words were kept
    // show their number.
    let hours = Signal::derive(move || {
        app.ui.plan.with(|p| {
            p.as_ref()
                .map(|p| {
                    let r = &p.caring_role;
                    match (r.hours_words.is_empty(), r.hours_per_week) {
                        (true, Some(h)) => h.to_string(),
                        _ => r.hours_words.clone(),
                    }
                })
                .unwrap_or_default()
        })
    });
    let hid = id.clone();
    let keep_hours = Callback::new(move |v: String| {
        let hours = answer::hours_from_words(&v).hours;
        app.edit(&hid, Edit::SetHours { words: v, hours })
            .map_err(|e| e.to_string())
    });
    let advise_hours =
        Callback::new(move |v: String| answer::hours_from_words(&v).note.map(|n| n.words()));
    let night = read(|p| p.caring_role.night_care);
    let on_night = pick(app, &id, |v: NightCare| Edit::SetNightCare(Some(v)));
    view! {
        <p class="caption">{words("Your caring role", "The carer's caring role")}</p>
        <h1 tabindex="-1">"What you do"</h1>
        {ask(&id, Field::Role(RoleField::WhatYouDo), None)}
        <CheckedInput html_id="caring-role-hours".to_string() label=words("About how many hours a week do you spend caring?", "About how many hours a week does the carer spend caring?").to_string()
            hint="In your own words. A rough number helps, like \"about 80\". There are 168 hours in a week.".to_string()
            width_class="input--10" value=hours check=keep_hours advise=advise_hours/>
        <CodedChoice name="night-care".to_string() legend=words("Do you care for them at night?", "Does the carer care for them at night?").to_string()
            values=NightCare::ALL current=night on_pick=on_night/>
        {ask(&id, Field::Role(RoleField::HowLong), None)}
        {continue_button(&id, Page::RoleDays)}
        {back_to_plan(&id)}
    }
}

#[component]
pub fn RoleDays(id: PlanId) -> impl IntoView {
    let app = use_app();
    let able = read(|p| p.caring_role.able_to_continue);
    let willing = read(|p| p.caring_role.willing_to_continue);
    let on_able = pick(app, &id, |v: Continue| Edit::SetAbleToContinue(Some(v)));
    let on_willing = pick(app, &id, |v: Continue| Edit::SetWillingToContinue(Some(v)));
    let terminal = read(|p| YesNo::from_bool(p.caring_role.terminal_illness));
    let on_terminal = pick(app, &id, |v: YesNo| Edit::SetTerminalIllness(v.as_bool()));
    view! {
        <p class="caption">{words("Your caring role", "The carer's caring role")}</p>
        <h1 tabindex="-1">"Your days"</h1>
        {[RoleField::TypicalDay, RoleField::GoodDay, RoleField::BadDay, RoleField::WhoElseHelps]
            .into_iter().map(|f| ask(&id, Field::Role(f), None)).collect_view()}
        <CodedChoice name="able".to_string() legend="Are you able to go on caring?".to_string() values=Continue::ALL current=able on_pick=on_able/>
        <CodedChoice name="willing".to_string() legend="Do you want to go on caring?".to_string()
            hint=Some("It is fine to say no, or not sure.".to_string()) values=Continue::ALL current=willing on_pick=on_willing/>
        <CodedChoice name="terminal".to_string() legend="Is the person you care for terminally ill?".to_string()
            hint=Some(words("If so, your plan and any support can be made a priority.", "If so, the plan and any support can be made a priority.").to_string())
            values=YesNo::TWO current=terminal on_pick=on_terminal/>
        <SectionDone id=id.clone() section=Section::CaringRole/>
        {back_to_plan(&id)}
    }
}

// ---- Wellbeing areas -------------------------------------------------------

pub const RATHER_NOT_SAY: &str = "rather-not-say";

#[component]
pub fn Area(id: PlanId, area: String) -> impl IntoView {
    let fw = fw_now();
    let Some(ind) = fw.indicator(&area).cloned() else {
        return view! {
            <h1 tabindex="-1">{words("This area is not part of your plan", "This area is not part of the carer's plan")}</h1>
            {back_to_plan(&id)}
        }
        .into_any();
    };
    let a = area.clone();
    let rating = read(move |p| p.wellbeing.get(&a).and_then(|w| w.rating.clone()));
    let app = use_app();
    let a = area.clone();
    let rid = id.clone();
    let levels: Vec<String> = fw.levels.iter().map(|l| l.id.clone()).collect();
    let rating_error = RwSignal::new(None::<String>);
    // Levels are the framework's data: a value that is not one of them (or
    // "rather not say") is refused, never stored.
    let on_rating = Callback::new(move |v: String| {
        let result = if v == RATHER_NOT_SAY || levels.contains(&v) {
            app.edit(
                &rid,
                Edit::SetRating {
                    area: a.clone(),
                    level: Some(v),
                },
            )
        } else {
            Err(AppError::UnknownChoice)
        };
        rating_error.set(result.err().map(|e| e.to_string()));
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
    if app.is_worker() {
        return view! {
            <p class="caption">"Wellbeing area"</p>
            <h1 tabindex="-1">{ind.name.clone()}</h1>
            <super::cycle::AreaChanged id=id.clone() area=area.clone()/>
            <super::worker::WorkerArea id=id.clone() area=area.clone()/>
            {continue_button(&id, Page::AreaMore(area.clone()))}
            {back_to_plan(&id)}
        }
        .into_any();
    }
    view! {
        <p class="caption">{ind.name.clone()}</p>
        <h1 tabindex="-1">{ind.name.clone()}</h1>
        <super::cycle::AreaChanged id=id.clone() area=area.clone()/>
        {ask(&id, Field::Area(area.clone(), AreaField::OwnWords), Some(fw))}
        {move || rating_error.get().map(|e| view! { <p class="error-message" role="alert">{e}</p> })}
        <Choice name=format!("rating-{area}") legend=legend options=options current=rating on_pick=on_rating/>
        {worker_view(area.clone())}
        {continue_button(&id, Page::AreaMore(area.clone()))}
        {back_to_plan(&id)}
    }.into_any()
}

/// The key worker's rating and notes, beside (never over) the carer's.
fn worker_view(area: String) -> impl IntoView {
    let ui = use_app().ui;
    move || {
        ui.plan.with(|p| {
            let plan = p.as_ref()?;
            let w = plan.wellbeing.get(&area)?;
            let notes = w.worker_notes.as_str().trim().to_owned();
            if w.worker_rating.is_none() && notes.is_empty() {
                return None;
            }
            let fw = framework_of(plan);
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
pub fn AreaMore(id: PlanId, area: String) -> impl IntoView {
    let fw = fw_now();
    let name = fw
        .indicator(&area)
        .map(|i| i.name.clone())
        .unwrap_or_default();
    let pid = StoredValue::new(id.clone());
    let a = StoredValue::new(area.clone());
    let app = use_app();
    let area_id = area.clone();
    let add_action = move |id| Edit::AddAction {
        id,
        area: Some(area_id.clone()),
    };
    let actions = move || {
        let id = pid.get_value();
        let area = a.get_value();
        app.ui.plan.with(|p| {
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
        <AddButton id=id.clone() label="Add an action for this area" make=add_action page=Page::Action/>
        <SectionDone id=id.clone() section=Section::Area(area.clone())/>
        {back_to_plan(&id)}
    }
}
