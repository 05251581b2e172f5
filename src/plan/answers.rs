//! The answers of a section as people read them: every typed answer and
//! every choice, in the questions' own words. "Check your answers", the
//! signed version and "Check what you are sending" all show these rows, so
//! an answer reads the same everywhere.

use super::date::long_date;
use super::field::{AreaField, BudgetField, ContactField, RiskField, RoleField};
use super::framework::Framework;
use super::model::{Action, CaredFor, Plan};
use super::questions::{self, meta};
use super::section::Section;
use super::{Coded, Field, YesNo};

/// The rating stored when the carer chose "I would rather not say".
pub const RATHER_NOT_SAY: &str = "rather-not-say";

/// Where an answer is asked, for its "Change" link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    Section(Section),
    AboutYouMore,
    Person(String),
    RoleDays,
    AreaMore(String),
    Action(String),
    Contact(String),
    Risk(String),
}

/// One answer: the question, the answer (`None`: not answered), and where
/// it is asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub question: String,
    pub value: Option<String>,
    pub place: Place,
}

fn text(plan: &Plan, field: Field, fw: &Framework, place: Place) -> Answer {
    let value = field.value_in(plan);
    Answer {
        question: meta(&field, Some(fw)).label,
        value: (!value.trim().is_empty()).then_some(value),
        place,
    }
}

fn choice(question: &str, value: Option<String>, place: Place) -> Answer {
    Answer {
        question: question.into(),
        value,
        place,
    }
}

fn label<T: Coded>(v: Option<T>) -> Option<String> {
    v.map(|v| v.label().to_owned())
}

/// A rating as its level's label ("Substantial impact").
pub fn rating_label(rating: &str, fw: &Framework) -> String {
    if rating == RATHER_NOT_SAY {
        return "I would rather not say".into();
    }
    fw.level(rating)
        .map(|l| l.label.clone())
        .unwrap_or_else(|| "A rating this app does not know".into())
}

/// An action in one line: what, who, progress, by when.
pub fn action_line(a: &Action) -> String {
    let what = a.what.as_str().trim();
    format!(
        "{} — {}, {}{}",
        if what.is_empty() {
            "An action with no description yet"
        } else {
            what
        },
        if a.who.trim().is_empty() {
            "nobody named"
        } else {
            a.who.as_str()
        },
        a.status.label(),
        a.by_when
            .map(|d| format!(", by {}", long_date(d)))
            .unwrap_or_default()
    )
}

fn actions_of<'a>(plan: &'a Plan, section: &'a Section) -> impl Iterator<Item = &'a Action> {
    plan.actions.iter().filter(move |a| match section {
        Section::Area(ind) => a.area.as_deref() == Some(ind.as_str()),
        _ => {
            Field::Action(a.id.clone(), super::field::ActionField::What).part(plan)
                == Section::Actions
        }
    })
}

/// Every answer of `section` in `plan`, in the order the pages ask them.
pub fn answers_of(plan: &Plan, section: &Section, fw: &Framework) -> Vec<Answer> {
    match section {
        Section::Plan | Section::Private => Vec::new(),
        Section::AboutYou => about_you(plan, fw),
        Section::People => plan.cared_for.iter().map(person).collect(),
        Section::CaringRole => caring_role(plan, fw),
        Section::Area(a) => area(plan, a, fw),
        Section::Actions => actions(plan, section).collect(),
        Section::Eligibility => eligibility(plan, fw),
        Section::Emergency => emergency(plan, fw),
        Section::Future => questions::future_fields()
            .into_iter()
            .map(|f| text(plan, f, fw, Place::Section(Section::Future)))
            .collect(),
    }
}

fn about_you(plan: &Plan, fw: &Framework) -> Vec<Answer> {
    let mut rows: Vec<Answer> = questions::carer_fields_first()
        .into_iter()
        .map(|f| text(plan, f, fw, Place::Section(Section::AboutYou)))
        .collect();
    rows.push(choice(
        questions::HELPED_BY,
        label(plan.carer.helped_by),
        Place::AboutYouMore,
    ));
    rows.extend(
        questions::carer_fields_more()
            .into_iter()
            .map(|f| text(plan, f, fw, Place::AboutYouMore)),
    );
    rows
}

/// A person cared for, in one answer: their name, then what is known.
fn person(c: &CaredFor) -> Answer {
    let mut parts = vec![c.relationship.clone()];
    if let Some(l) = c.lives_with_carer {
        parts.push(
            if l {
                "lives with me"
            } else {
                "does not live with me"
            }
            .into(),
        );
    }
    if !c.conditions.as_str().trim().is_empty() {
        parts.push(c.conditions.as_str().to_string());
    }
    if !c.other_support.as_str().trim().is_empty() {
        parts.push(format!("Support: {}", c.other_support.as_str()));
    }
    let parts: Vec<String> = parts.into_iter().filter(|p| !p.trim().is_empty()).collect();
    let name = if c.name.trim().is_empty() {
        "Someone with no name yet"
    } else {
        &c.name
    };
    choice(
        name,
        (!parts.is_empty()).then(|| parts.join("\n")),
        Place::Person(c.id.clone()),
    )
}

fn caring_role(plan: &Plan, fw: &Framework) -> Vec<Answer> {
    let r = &plan.caring_role;
    let role = || Place::Section(Section::CaringRole);
    let days = |f: RoleField| text(plan, Field::Role(f), fw, Place::RoleDays);
    vec![
        text(plan, Field::Role(RoleField::WhatYouDo), fw, role()),
        choice("Hours a week", super::answer::hours_shown(r), role()),
        choice("Care at night", label(r.night_care), role()),
        text(plan, Field::Role(RoleField::HowLong), fw, role()),
        days(RoleField::TypicalDay),
        days(RoleField::GoodDay),
        days(RoleField::BadDay),
        days(RoleField::WhoElseHelps),
        choice(
            "Able to go on caring",
            label(r.able_to_continue),
            Place::RoleDays,
        ),
        choice(
            "Want to go on caring",
            label(r.willing_to_continue),
            Place::RoleDays,
        ),
        choice(
            "Terminally ill",
            label(YesNo::from_bool(r.terminal_illness)),
            Place::RoleDays,
        ),
    ]
}

/// An area: the carer's words and rating, more about it, the key worker's
/// rating and notes where there are some, and its actions.
fn area(plan: &Plan, a: &str, fw: &Framework) -> Vec<Answer> {
    let w = plan.wellbeing.get(a);
    let here = || Place::Section(Section::Area(a.to_owned()));
    let field = |f: AreaField| Field::Area(a.to_owned(), f);
    let mut rows = vec![
        text(plan, field(AreaField::OwnWords), fw, here()),
        choice(
            "Impact",
            w.and_then(|w| w.rating.as_deref())
                .map(|r| rating_label(r, fw)),
            here(),
        ),
    ];
    rows.extend(
        questions::area_fields_more(a)
            .into_iter()
            .map(|f| text(plan, f, fw, Place::AreaMore(a.to_owned()))),
    );
    // The key worker's view, where there is one.
    if let Some(r) = w.and_then(|w| w.worker_rating.as_deref()) {
        rows.push(choice(
            "Key worker's rating",
            Some(rating_label(r, fw)),
            here(),
        ));
    }
    let notes = text(plan, field(AreaField::WorkerNotes), fw, here());
    if notes.value.is_some() {
        rows.push(notes);
    }
    rows.extend(actions(plan, &Section::Area(a.to_owned())));
    rows
}

/// The actions of `section`, one answer each.
fn actions<'a>(plan: &'a Plan, section: &'a Section) -> impl Iterator<Item = Answer> + 'a {
    actions_of(plan, section)
        .map(|x| choice("Action", Some(action_line(x)), Place::Action(x.id.clone())))
}

fn eligibility(plan: &Plan, fw: &Framework) -> Vec<Answer> {
    let council = || Place::Section(Section::Eligibility);
    let mut rows: Vec<Answer> = fw
        .eligibility
        .iter()
        .map(|q| {
            let answer = plan
                .eligibility
                .get(&q.id)
                .and_then(|v| YesNo::from_code(v));
            choice(&q.question, label(answer), council())
        })
        .collect();
    let budget = |f: BudgetField| text(plan, Field::Budget(f), fw, council());
    rows.push(budget(BudgetField::Indicative));
    rows.push(budget(BudgetField::FinalAmount));
    rows.push(choice(
        "How the budget is managed",
        label(plan.budget.managed),
        council(),
    ));
    rows.push(text(plan, Field::InformationGiven, fw, council()));
    rows
}

/// The emergency plan's answers, then each contact and each risk in one
/// answer.
fn emergency(plan: &Plan, fw: &Framework) -> Vec<Answer> {
    let mut rows: Vec<Answer> = questions::emergency_fields()
        .into_iter()
        .map(|f| text(plan, f, fw, Place::Section(Section::Emergency)))
        .collect();
    for c in &plan.emergency.contacts {
        let v: Vec<String> = ContactField::ALL
            .iter()
            .skip(1)
            .map(|f| Field::Contact(c.id.clone(), *f).value_in(plan))
            .filter(|s| !s.trim().is_empty())
            .collect();
        rows.push(choice(
            &format!("Contact: {}", c.name),
            (!v.is_empty()).then(|| v.join(", ")),
            Place::Contact(c.id.clone()),
        ));
    }
    for r in &plan.emergency.risks {
        let v: Vec<String> = RiskField::ALL
            .iter()
            .skip(1)
            .filter_map(|f| {
                let field = Field::Risk(r.id.clone(), *f);
                let val = field.value_in(plan);
                (!val.trim().is_empty()).then(|| format!("{} {}", meta(&field, None).label, val))
            })
            .collect();
        rows.push(choice(
            &format!("Risk: {}", r.risk.as_str()),
            (!v.is_empty()).then(|| v.join("\n")),
            Place::Risk(r.id.clone()),
        ));
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::{ActionStatus, Continue, NightCare};

    #[test]
    fn every_choice_reads_in_the_questions_words() {
        let fw = Framework::by_id("scotland-national").unwrap();
        let mut plan = Plan::default();
        plan.caring_role.hours_per_week = Some(70);
        plan.caring_role.night_care = Some(NightCare::Sometimes);
        plan.caring_role.able_to_continue = Some(Continue::WithHelp);
        plan.caring_role.terminal_illness = Some(false);
        let rows = answers_of(&plan, &Section::CaringRole, fw);
        let get = |q: &str| {
            rows.iter()
                .find(|r| r.question == q)
                .and_then(|r| r.value.clone())
        };
        assert_eq!(get("Hours a week").as_deref(), Some("70 hours"));
        assert_eq!(get("Care at night").as_deref(), Some("Sometimes"));
        assert_eq!(
            get("Able to go on caring").as_deref(),
            Some("Yes, with more help")
        );
        assert_eq!(get("Terminally ill").as_deref(), Some("No"));
        assert_eq!(get("Want to go on caring"), None);

        plan.wellbeing.entry("finances".into()).or_default().rating = Some("critical".into());
        plan.actions.push(Action {
            id: "a".into(),
            what: "Benefits check".into(),
            area: Some("finances".into()),
            status: ActionStatus::Done,
            ..Default::default()
        });
        let rows = answers_of(&plan, &Section::Area("finances".into()), fw);
        assert!(rows
            .iter()
            .any(|r| r.value.as_deref() == Some("Benefits check — nobody named, Done")));
    }
}
