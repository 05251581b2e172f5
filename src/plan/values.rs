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

/// An answer's value as the plan holds it: one line (a `String`) or a
/// long answer (`Text`). Written only into the plan *on screen*, never into
/// a document (`doc/` writes documents).
trait Answer {
    fn put(&mut self, value: &str);
}

impl Answer for String {
    fn put(&mut self, value: &str) {
        value.clone_into(self);
    }
}

impl Answer for autosurgeon::Text {
    fn put(&mut self, value: &str) {
        *self = autosurgeon::Text::with_value(value);
    }
}

impl Field {
    /// Put `value` as the answer's text into `plan` (the plan on screen, after
    /// a key typed in its box changed the document to exactly that text), so
    /// the screen need not read the answer back out of the document. `false`
    /// if the plan has no such answer (its list item is gone).
    pub fn show_value_in(&self, plan: &mut Plan, value: &str) -> bool {
        let slot: Option<&mut dyn Answer> = match self {
            Field::Carer(f) => Some(carer_mut(&mut plan.carer, *f)),
            Field::Person(id, f) => plan
                .cared_for
                .iter_mut()
                .find(|p| p.id == *id)
                .map(|p| person_mut(p, *f)),
            Field::Role(f) => Some(role_mut(&mut plan.caring_role, *f)),
            Field::Area(ind, f) => plan.wellbeing.get_mut(ind).map(|a| area_mut(a, *f)),
            Field::Needs(NeedsField::Identified) => Some(&mut plan.needs.identified),
            Field::Needs(NeedsField::BreakNotes) => Some(&mut plan.needs.break_notes),
            Field::Action(id, f) => {
                plan.actions
                    .iter_mut()
                    .find(|a| a.id == *id)
                    .map(|a| -> &mut dyn Answer {
                        match f {
                            ActionField::What => &mut a.what,
                            ActionField::Who => &mut a.who,
                        }
                    })
            }
            Field::Emergency(f) => Some(emergency_mut(&mut plan.emergency, *f)),
            Field::Contact(id, f) => plan
                .emergency
                .contacts
                .iter_mut()
                .find(|c| c.id == *id)
                .map(|c| contact_mut(c, *f)),
            Field::Risk(id, f) => plan
                .emergency
                .risks
                .iter_mut()
                .find(|r| r.id == *id)
                .map(|r| risk_mut(r, *f)),
            Field::Future(f) => Some(future_mut(&mut plan.future_planning, *f)),
            Field::Review(ReviewField::Triggers) => Some(&mut plan.review.triggers),
            Field::Budget(BudgetField::Indicative) => Some(&mut plan.budget.indicative),
            Field::Budget(BudgetField::FinalAmount) => Some(&mut plan.budget.final_amount),
            Field::InformationGiven => Some(&mut plan.information_given),
            Field::NotesForCarer => Some(&mut plan.notes_for_carer),
            Field::PrivateNotes => Some(&mut plan.private_notes),
        };
        slot.map(|s| s.put(value)).is_some()
    }
}

fn carer_mut(c: &mut Carer, f: CarerField) -> &mut dyn Answer {
    match f {
        CarerField::Name => &mut c.name,
        CarerField::PreferredName => &mut c.preferred_name,
        CarerField::Phone => &mut c.phone,
        CarerField::Email => &mut c.email,
        CarerField::Address => &mut c.address,
        CarerField::SafeContact => &mut c.safe_contact,
        CarerField::Health => &mut c.health,
        CarerField::WorkOrStudy => &mut c.work_or_study,
        CarerField::CommunicationNeeds => &mut c.communication_needs,
    }
}

fn person_mut(p: &mut CaredFor, f: PersonField) -> &mut dyn Answer {
    match f {
        PersonField::Name => &mut p.name,
        PersonField::Relationship => &mut p.relationship,
        PersonField::Conditions => &mut p.conditions,
        PersonField::OtherSupport => &mut p.other_support,
    }
}

fn role_mut(r: &mut CaringRole, f: RoleField) -> &mut dyn Answer {
    match f {
        RoleField::WhatYouDo => &mut r.what_you_do,
        RoleField::HowLong => &mut r.how_long,
        RoleField::TypicalDay => &mut r.typical_day,
        RoleField::GoodDay => &mut r.good_day,
        RoleField::BadDay => &mut r.bad_day,
        RoleField::WhoElseHelps => &mut r.who_else_helps,
    }
}

fn area_mut(a: &mut WellbeingArea, f: AreaField) -> &mut dyn Answer {
    match f {
        AreaField::OwnWords => &mut a.own_words,
        AreaField::KeepTheSame => &mut a.keep_the_same,
        AreaField::ChangeOrImprove => &mut a.change_or_improve,
        AreaField::Outcomes => &mut a.outcomes,
        AreaField::WhatWouldHelp => &mut a.what_would_help,
        AreaField::WorkerNotes => &mut a.worker_notes,
    }
}

fn emergency_mut(e: &mut EmergencyPlan, f: EmergencyField) -> &mut dyn Answer {
    match f {
        EmergencyField::WhoStepsIn => &mut e.who_steps_in,
        EmergencyField::Medicines => &mut e.medicines,
        EmergencyField::MedicinesKept => &mut e.medicines_kept,
        EmergencyField::Allergies => &mut e.allergies,
        EmergencyField::Gp => &mut e.gp,
        EmergencyField::Pharmacy => &mut e.pharmacy,
        EmergencyField::ServicesInPlace => &mut e.services_in_place,
        EmergencyField::MobilityAids => &mut e.mobility_aids,
        EmergencyField::OthersMustKnow => &mut e.others_must_know,
    }
}

fn contact_mut(c: &mut Contact, f: ContactField) -> &mut dyn Answer {
    match f {
        ContactField::Name => &mut c.name,
        ContactField::Relationship => &mut c.relationship,
        ContactField::Phone => &mut c.phone,
    }
}

fn risk_mut(r: &mut Risk, f: RiskField) -> &mut dyn Answer {
    match f {
        RiskField::Risk => &mut r.risk,
        RiskField::LikelyHarm => &mut r.likely_harm,
        RiskField::Prevention => &mut r.prevention,
        RiskField::IfItHappens => &mut r.if_it_happens,
    }
}

fn future_mut(p: &mut FuturePlanning, f: FutureField) -> &mut dyn Answer {
    match f {
        FutureField::Hopes => &mut p.hopes,
        FutureField::Worries => &mut p.worries,
        FutureField::Arrangements => &mut p.arrangements,
    }
}
