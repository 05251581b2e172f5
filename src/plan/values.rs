//! Reading one typed answer out of the plan's values.

use super::field::{
    ActionField, AreaField, BudgetField, CarerField, ContactField, EmergencyField, FutureField,
    NeedsField, PersonField, ReviewField, RiskField, RoleField,
};
use super::model::Plan;
use super::Field;

impl Field {
    /// The answer's current text in `plan` ("" if it has none, or if the
    /// list item it belongs to is not in the plan).
    pub fn value_in(&self, plan: &Plan) -> String {
        fn s(v: &str) -> String {
            v.to_owned()
        }
        match self {
            Field::Carer(f) => {
                let c = &plan.carer;
                match f {
                    CarerField::Name => s(&c.name),
                    CarerField::PreferredName => s(&c.preferred_name),
                    CarerField::Phone => s(&c.phone),
                    CarerField::Email => s(&c.email),
                    CarerField::Address => s(c.address.as_str()),
                    CarerField::SafeContact => s(c.safe_contact.as_str()),
                    CarerField::Health => s(c.health.as_str()),
                    CarerField::WorkOrStudy => s(c.work_or_study.as_str()),
                    CarerField::CommunicationNeeds => s(c.communication_needs.as_str()),
                }
            }
            Field::Person(id, f) => plan
                .cared_for
                .iter()
                .find(|p| p.id == *id)
                .map(|p| match f {
                    PersonField::Name => s(&p.name),
                    PersonField::Relationship => s(&p.relationship),
                    PersonField::Conditions => s(p.conditions.as_str()),
                    PersonField::OtherSupport => s(p.other_support.as_str()),
                })
                .unwrap_or_default(),
            Field::Role(f) => {
                let r = &plan.caring_role;
                match f {
                    RoleField::WhatYouDo => s(r.what_you_do.as_str()),
                    RoleField::HowLong => s(&r.how_long),
                    RoleField::TypicalDay => s(r.typical_day.as_str()),
                    RoleField::GoodDay => s(r.good_day.as_str()),
                    RoleField::BadDay => s(r.bad_day.as_str()),
                    RoleField::WhoElseHelps => s(r.who_else_helps.as_str()),
                }
            }
            Field::Area(ind, f) => plan
                .wellbeing
                .get(ind)
                .map(|a| match f {
                    AreaField::OwnWords => s(a.own_words.as_str()),
                    AreaField::KeepTheSame => s(a.keep_the_same.as_str()),
                    AreaField::ChangeOrImprove => s(a.change_or_improve.as_str()),
                    AreaField::Outcomes => s(a.outcomes.as_str()),
                    AreaField::WhatWouldHelp => s(a.what_would_help.as_str()),
                    AreaField::WorkerNotes => s(a.worker_notes.as_str()),
                })
                .unwrap_or_default(),
            Field::Needs(f) => match f {
                NeedsField::Identified => s(plan.needs.identified.as_str()),
                NeedsField::BreakNotes => s(plan.needs.break_notes.as_str()),
            },
            Field::Action(id, f) => plan
                .actions
                .iter()
                .find(|a| a.id == *id)
                .map(|a| match f {
                    ActionField::What => s(a.what.as_str()),
                    ActionField::Who => s(&a.who),
                })
                .unwrap_or_default(),
            Field::Emergency(f) => {
                let e = &plan.emergency;
                s(match f {
                    EmergencyField::WhoStepsIn => e.who_steps_in.as_str(),
                    EmergencyField::Medicines => e.medicines.as_str(),
                    EmergencyField::MedicinesKept => e.medicines_kept.as_str(),
                    EmergencyField::Allergies => e.allergies.as_str(),
                    EmergencyField::Gp => e.gp.as_str(),
                    EmergencyField::Pharmacy => e.pharmacy.as_str(),
                    EmergencyField::ServicesInPlace => e.services_in_place.as_str(),
                    EmergencyField::MobilityAids => e.mobility_aids.as_str(),
                    EmergencyField::OthersMustKnow => e.others_must_know.as_str(),
                })
            }
            Field::Contact(id, f) => plan
                .emergency
                .contacts
                .iter()
                .find(|c| c.id == *id)
                .map(|c| match f {
                    ContactField::Name => s(&c.name),
                    ContactField::Relationship => s(&c.relationship),
                    ContactField::Phone => s(&c.phone),
                })
                .unwrap_or_default(),
            Field::Risk(id, f) => plan
                .emergency
                .risks
                .iter()
                .find(|r| r.id == *id)
                .map(|r| match f {
                    RiskField::Risk => s(r.risk.as_str()),
                    RiskField::LikelyHarm => s(r.likely_harm.as_str()),
                    RiskField::Prevention => s(r.prevention.as_str()),
                    RiskField::IfItHappens => s(r.if_it_happens.as_str()),
                })
                .unwrap_or_default(),
            Field::Future(f) => {
                let p = &plan.future_planning;
                s(match f {
                    FutureField::Hopes => p.hopes.as_str(),
                    FutureField::Worries => p.worries.as_str(),
                    FutureField::Arrangements => p.arrangements.as_str(),
                })
            }
            Field::Review(ReviewField::Triggers) => s(plan.review.triggers.as_str()),
            Field::Budget(f) => match f {
                BudgetField::Indicative => s(&plan.budget.indicative),
                BudgetField::FinalAmount => s(&plan.budget.final_amount),
            },
            Field::InformationGiven => s(plan.information_given.as_str()),
            Field::NotesForCarer => s(plan.notes_for_carer.as_str()),
            Field::PrivateNotes => s(plan.private_notes.as_str()),
        }
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
