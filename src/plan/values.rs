//! Reading one typed answer out of the plan's values.

use super::field::{
    ActionField, AreaField, BudgetField, CarerField, ContactField, EmergencyField, FutureField,
    NeedsField, PersonField, ReviewField, RiskField, RoleField,
};
use super::model::{
    CaredFor, Carer, CaringRole, Contact, EmergencyPlan, FuturePlanning, Plan, Risk, WellbeingArea,
};
use super::Field;

impl Field {
    /// The answer's current text in `plan` ("" if it has none, or if the
    /// list item it belongs to is not in the plan).
    pub fn value_in(&self, plan: &Plan) -> String {
        let e = &plan.emergency;
        let found: Option<&str> = match self {
            Field::Carer(f) => Some(carer(&plan.carer, *f)),
            Field::Person(id, f) => find(&plan.cared_for, |p| p.id == *id).map(|p| person(p, *f)),
            Field::Role(f) => Some(role(&plan.caring_role, *f)),
            Field::Area(ind, f) => plan.wellbeing.get(ind).map(|a| area(a, *f)),
            Field::Needs(NeedsField::Identified) => Some(plan.needs.identified.as_str()),
            Field::Needs(NeedsField::BreakNotes) => Some(plan.needs.break_notes.as_str()),
            Field::Action(id, f) => find(&plan.actions, |a| a.id == *id).map(|a| match f {
                ActionField::What => a.what.as_str(),
                ActionField::Who => &a.who,
            }),
            Field::Emergency(f) => Some(emergency(e, *f)),
            Field::Contact(id, f) => find(&e.contacts, |c| c.id == *id).map(|c| contact(c, *f)),
            Field::Risk(id, f) => find(&e.risks, |r| r.id == *id).map(|r| risk(r, *f)),
            Field::Future(f) => Some(future(&plan.future_planning, *f)),
            Field::Review(ReviewField::Triggers) => Some(plan.review.triggers.as_str()),
            Field::Budget(BudgetField::Indicative) => Some(&plan.budget.indicative),
            Field::Budget(BudgetField::FinalAmount) => Some(&plan.budget.final_amount),
            Field::InformationGiven => Some(plan.information_given.as_str()),
            Field::NotesForCarer => Some(plan.notes_for_carer.as_str()),
            Field::PrivateNotes => Some(plan.private_notes.as_str()),
        };
        found.unwrap_or_default().to_owned()
    }

    /// Every answer a plan with these values has (list items by their ids).
    pub fn all_in(plan: &Plan) -> Vec<Field> {
        let mut out: Vec<Field> = CarerField::ALL.iter().map(|f| Field::Carer(*f)).collect();
        for p in &plan.cared_for {
            out.extend(
                PersonField::ALL
                    .iter()
                    .map(|f| Field::Person(p.id.clone(), *f)),
            );
        }
        out.extend(RoleField::ALL.iter().map(|f| Field::Role(*f)));
        for ind in plan.wellbeing.keys() {
            out.extend(AreaField::ALL.iter().map(|f| Field::Area(ind.clone(), *f)));
        }
        out.extend(NeedsField::ALL.iter().map(|f| Field::Needs(*f)));
        for a in &plan.actions {
            out.extend(
                ActionField::ALL
                    .iter()
                    .map(|f| Field::Action(a.id.clone(), *f)),
            );
        }
        out.extend(EmergencyField::ALL.iter().map(|f| Field::Emergency(*f)));
        for c in &plan.emergency.contacts {
            out.extend(
                ContactField::ALL
                    .iter()
                    .map(|f| Field::Contact(c.id.clone(), *f)),
            );
        }
        for r in &plan.emergency.risks {
            out.extend(RiskField::ALL.iter().map(|f| Field::Risk(r.id.clone(), *f)));
        }
        out.extend(FutureField::ALL.iter().map(|f| Field::Future(*f)));
        out.extend(ReviewField::ALL.iter().map(|f| Field::Review(*f)));
        out.extend(BudgetField::ALL.iter().map(|f| Field::Budget(*f)));
        out.extend([
            Field::InformationGiven,
            Field::NotesForCarer,
            Field::PrivateNotes,
        ]);
        out
    }
}

/// The list item `is` picks, if the plan has it.
fn find<T>(items: &[T], is: impl Fn(&T) -> bool) -> Option<&T> {
    items.iter().find(|x| is(x))
}

fn carer(c: &Carer, f: CarerField) -> &str {
    match f {
        CarerField::Name => &c.name,
        CarerField::PreferredName => &c.preferred_name,
        CarerField::Phone => &c.phone,
        CarerField::Email => &c.email,
        CarerField::Address => c.address.as_str(),
        CarerField::SafeContact => c.safe_contact.as_str(),
        CarerField::Health => c.health.as_str(),
        CarerField::WorkOrStudy => c.work_or_study.as_str(),
        CarerField::CommunicationNeeds => c.communication_needs.as_str(),
    }
}

fn person(p: &CaredFor, f: PersonField) -> &str {
    match f {
        PersonField::Name => &p.name,
        PersonField::Relationship => &p.relationship,
        PersonField::Conditions => p.conditions.as_str(),
        PersonField::OtherSupport => p.other_support.as_str(),
    }
}

fn role(r: &CaringRole, f: RoleField) -> &str {
    match f {
        RoleField::WhatYouDo => r.what_you_do.as_str(),
        RoleField::HowLong => &r.how_long,
        RoleField::TypicalDay => r.typical_day.as_str(),
        RoleField::GoodDay => r.good_day.as_str(),
        RoleField::BadDay => r.bad_day.as_str(),
        RoleField::WhoElseHelps => r.who_else_helps.as_str(),
    }
}

fn area(a: &WellbeingArea, f: AreaField) -> &str {
    match f {
        AreaField::OwnWords => a.own_words.as_str(),
        AreaField::KeepTheSame => a.keep_the_same.as_str(),
        AreaField::ChangeOrImprove => a.change_or_improve.as_str(),
        AreaField::Outcomes => a.outcomes.as_str(),
        AreaField::WhatWouldHelp => a.what_would_help.as_str(),
        AreaField::WorkerNotes => a.worker_notes.as_str(),
    }
}

fn emergency(e: &EmergencyPlan, f: EmergencyField) -> &str {
    match f {
        EmergencyField::WhoStepsIn => e.who_steps_in.as_str(),
        EmergencyField::Medicines => e.medicines.as_str(),
        EmergencyField::MedicinesKept => e.medicines_kept.as_str(),
        EmergencyField::Allergies => e.allergies.as_str(),
        EmergencyField::Gp => e.gp.as_str(),
        EmergencyField::Pharmacy => e.pharmacy.as_str(),
        EmergencyField::ServicesInPlace => e.services_in_place.as_str(),
        EmergencyField::MobilityAids => e.mobility_aids.as_str(),
        EmergencyField::OthersMustKnow => e.others_must_know.as_str(),
    }
}

fn contact(c: &Contact, f: ContactField) -> &str {
    match f {
        ContactField::Name => &c.name,
        ContactField::Relationship => &c.relationship,
        ContactField::Phone => &c.phone,
    }
}

fn risk(r: &Risk, f: RiskField) -> &str {
    match f {
        RiskField::Risk => r.risk.as_str(),
        RiskField::LikelyHarm => r.likely_harm.as_str(),
        RiskField::Prevention => r.prevention.as_str(),
        RiskField::IfItHappens => r.if_it_happens.as_str(),
    }
}

fn future(p: &FuturePlanning, f: FutureField) -> &str {
    match f {
        FutureField::Hopes => p.hopes.as_str(),
        FutureField::Worries => p.worries.as_str(),
        FutureField::Arrangements => p.arrangements.as_str(),
    }
}
