//! The wording of every typed question, in one place: the pages ask them,
//! and "Check your answers", the signed version and "Check what you are
//! sending" list them in the same words. Also how each answer is typed
//! (one line or several, what the browser may fill in).

use super::field::{
    ActionField, AreaField, BudgetField, CarerField, ContactField, EmergencyField, FutureField,
    PersonField, RiskField, RoleField,
};
use super::framework::Framework;
use super::Field;

/// The question of the carer's one choice on "About you".
pub const HELPED_BY: &str = "Is anyone helping you fill in this plan?";

/// How an answer is typed: in a box of several lines, or one line of a
/// kind the browser knows (for its keyboard and autofill).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Input {
    pub multiline: bool,
    pub input_type: &'static str,
    pub autocomplete: &'static str,
    pub width_class: &'static str,
}

pub const LONG: Input = Input {
    multiline: true,
    input_type: "",
    autocomplete: "",
    width_class: "",
};

/// A question's wording and how it is answered.
pub struct Meta {
    pub label: String,
    pub hint: Option<String>,
    pub input: Input,
}

fn short(autocomplete: &'static str, input_type: &'static str, width: &'static str) -> Input {
    Input {
        multiline: false,
        input_type,
        autocomplete,
        width_class: width,
    }
}

fn m(label: &str, hint: Option<&str>, input: Input) -> Meta {
    Meta {
        label: label.into(),
        hint: hint.map(Into::into),
        input,
    }
}

/// The question for `field`: its wording and how it is answered.
pub fn meta(field: &Field, fw: Option<&Framework>) -> Meta {
    use CarerField as C;
    match field {
        Field::NotesForCarer => m("Notes for the carer", Some("The carer will see these when you send the plan back."), LONG),
        Field::PrivateNotes => m("Your private notes", Some("Only you see these. They stay on this device and are never sent, not even to the carer."), LONG),
        Field::Carer(f) => match f {
            C::Name => m("Your full name", None, short("name", "text", "")),
            C::PreferredName => m("What would you like to be called?", Some("Leave this blank if it is the same as your name."), short("nickname", "text", "input--20")),
            C::Phone => m("Phone number", None, short("tel", "tel", "input--20")),
            C::Email => m("Email address", None, short("email", "email", "")),
            C::Address => m("Address", None, Input { autocomplete: "street-address", ..LONG }),
            C::SafeContact => m("When is it safe to contact you?", Some("For example: weekday mornings. Tell us if it is not safe to leave a message or send a letter."), LONG),
            C::Health => m("Your own health", Some("Any health conditions or disabilities you have, and how you are feeling."), LONG),
            C::WorkOrStudy => m("Work or study", Some("Do you work, study or volunteer? Would you like to?"), LONG),
            C::CommunicationNeeds => m("How we should communicate with you", Some("For example: large print, another language, a British Sign Language interpreter."), LONG),
        },
        Field::Person(_, f) => match f {
            PersonField::Name => m("Their name", None, short("off", "text", "")),
            PersonField::Relationship => m("How are they related to you?", Some("For example: my husband, my mum, my friend."), short("off", "text", "input--20")),
            PersonField::Conditions => m("Their illness, condition or disability", Some("In your own words. You do not need medical names."), LONG),
            PersonField::OtherSupport => m("Support they already get", Some("For example: home care visits, day centre, district nurse."), LONG),
        },
        Field::Role(f) => match f {
            RoleField::WhatYouDo => m("What do you do for them?", Some("For example: help with washing, medicines, meals, money, appointments, keeping them company."), LONG),
            RoleField::HowLong => m("How long have you been caring?", Some("For example: about three years."), short("off", "text", "input--20")),
            RoleField::TypicalDay => m("What is a typical day like?", None, LONG),
            RoleField::GoodDay => m("What is a good day like?", None, LONG),
            RoleField::BadDay => m("What is a bad day like?", None, LONG),
            RoleField::WhoElseHelps => m("Who else helps?", Some("Family, friends, neighbours or services."), LONG),
        },
        Field::Area(ind, f) => {
            let indicator = fw.and_then(|fw| fw.indicator(ind));
            match f {
                AreaField::OwnWords => Meta {
                    label: indicator.map(|i| i.question.clone()).unwrap_or_else(|| "In your own words".into()),
                    hint: indicator.map(|i| i.hint.clone()).filter(|h| !h.is_empty()),
                    input: LONG,
                },
                AreaField::KeepTheSame => m("What do you want to keep the same?", Some("Things that work well and that you want to keep."), LONG),
                AreaField::ChangeOrImprove => m("What would you like to change or improve?", None, LONG),
                AreaField::Outcomes => m("What matters most to you here?", Some("What you would like to be different in six months, in your own words."), LONG),
                AreaField::WhatWouldHelp => m("What might help?", Some("Any ideas, big or small."), LONG),
                AreaField::WorkerNotes => m("Key worker's notes", None, LONG),
            }
        }
        Field::Needs(_) => m("Needs", None, LONG),
        Field::Action(_, f) => match f {
            ActionField::What => m("What will be done?", None, LONG),
            ActionField::Who => m("Who will do it?", Some("For example: me, my key worker, my daughter."), short("off", "text", "input--20")),
        },
        Field::Emergency(f) => {
            use EmergencyField as E;
            match f {
                E::WhoStepsIn => m("Who would step in if you suddenly could not care?", Some("Names, and how to reach them."), LONG),
                E::Medicines => m("Their medicines", Some("Names, doses and when they are taken."), LONG),
                E::MedicinesKept => m("Where the medicines are kept", None, LONG),
                E::Allergies => m("Allergies", None, LONG),
                E::Gp => m("Their GP", Some("Name of the practice and phone number."), LONG),
                E::Pharmacy => m("Their pharmacy", None, LONG),
                E::ServicesInPlace => m("Services already in place", None, LONG),
                E::MobilityAids => m("Mobility aids and equipment", None, LONG),
                E::OthersMustKnow => m("What others must know", Some("Routines, behaviour, what calms or upsets them, anything important."), LONG),
            }
        }
        Field::Contact(_, f) => match f {
            ContactField::Name => m("Contact's name", None, short("off", "text", "")),
            ContactField::Relationship => m("Who are they?", Some("For example: my brother, neighbour."), short("off", "text", "input--20")),
            ContactField::Phone => m("Their phone number", None, short("off", "tel", "input--20")),
        },
        Field::Risk(_, f) => match f {
            RiskField::Risk => m("What could go wrong?", None, LONG),
            RiskField::LikelyHarm => m("What harm could it cause?", None, LONG),
            RiskField::Prevention => m("What can stop it happening?", None, LONG),
            RiskField::IfItHappens => m("What should be done if it happens?", None, LONG),
        },
        Field::Future(f) => match f {
            FutureField::Hopes => m("What are your hopes for the future?", None, LONG),
            FutureField::Worries => m("Do you have worries about the future?", Some("For example: what would happen if you became ill, or as their needs change."), LONG),
            FutureField::Arrangements => m("Plans already made", Some("For example: power of attorney, a will, care home or housing plans."), LONG),
        },
        Field::Review(_) => m("What would mean the plan needs an earlier review?", None, LONG),
        Field::Budget(f) => match f {
            BudgetField::Indicative => m("Indicative personal budget", Some("The first amount the council suggests, for example £1,200 a year."), short("off", "text", "input--20")),
            BudgetField::FinalAmount => m("Final personal budget", None, short("off", "text", "input--20")),
        },
        Field::InformationGiven => m("Information and advice given", None, LONG),
    }
}

pub fn carer_fields_first() -> Vec<Field> {
    [
        CarerField::Name,
        CarerField::PreferredName,
        CarerField::Phone,
        CarerField::Email,
        CarerField::Address,
        CarerField::SafeContact,
    ]
    .into_iter()
    .map(Field::Carer)
    .collect()
}

pub fn carer_fields_more() -> Vec<Field> {
    [
        CarerField::Health,
        CarerField::WorkOrStudy,
        CarerField::CommunicationNeeds,
    ]
    .into_iter()
    .map(Field::Carer)
    .collect()
}

pub fn person_fields(pid: &str) -> Vec<Field> {
    PersonField::ALL
        .iter()
        .map(|f| Field::Person(pid.into(), *f))
        .collect()
}

pub fn area_fields_more(ind: &str) -> Vec<Field> {
    [
        AreaField::KeepTheSame,
        AreaField::ChangeOrImprove,
        AreaField::Outcomes,
        AreaField::WhatWouldHelp,
    ]
    .into_iter()
    .map(|f| Field::Area(ind.into(), f))
    .collect()
}

pub fn emergency_fields() -> Vec<Field> {
    EmergencyField::ALL
        .iter()
        .map(|f| Field::Emergency(*f))
        .collect()
}

pub fn future_fields() -> Vec<Field> {
    FutureField::ALL.iter().map(|f| Field::Future(*f)).collect()
}
