//! One answer the person types: where it lives in the document, how long it
//! may be, and which section it belongs to (for the history's messages).
//!
//! Typing goes through `crate::doc::PlanDoc::set_field`, which edits just
//! that answer (Automerge text is diffed, so a keystroke is a small change)
//! instead of reconciling the whole plan on every key.

use thiserror::Error;

pub use super::answer::EmailProblem;

/// The most characters a short answer (a name, a phone number) may hold.
pub const SHORT_MAX: usize = 200;
/// The most characters a long answer may hold: about ten pages of writing.
pub const LONG_MAX: usize = 10_000;

/// Whether an answer is a plain string or Automerge text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKind {
    Short,
    Long,
}

mod tagged;
pub use tagged::Tagged;

macro_rules! answers {
    ($(#[$m:meta])* $name:ident { $($var:ident => $key:literal : $kind:ident),* $(,)? }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
        pub enum $name { $($var),* }
        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$var),*];
            pub fn key(self) -> &'static str { match self { $($name::$var => $key),* } }
            pub fn kind(self) -> FieldKind { match self { $($name::$var => FieldKind::$kind),* } }
            /// Its name as serde writes it ("SafeContact").
            pub fn name(self) -> &'static str { match self { $($name::$var => stringify!($var)),* } }
            pub fn from_name(name: &str) -> Option<Self> { match name { $(stringify!($var) => Some($name::$var),)* _ => None } }
        }
    };
}

answers!(CarerField {
    Name => "name": Short,
    PreferredName => "preferred_name": Short,
    Phone => "phone": Short,
    Email => "email": Short,
    Address => "address": Long,
    SafeContact => "safe_contact": Long,
    Health => "health": Long,
    WorkOrStudy => "work_or_study": Long,
    CommunicationNeeds => "communication_needs": Long,
});
answers!(PersonField {
    Name => "name": Short,
    Relationship => "relationship": Short,
    Conditions => "conditions": Long,
    OtherSupport => "other_support": Long,
});
answers!(RoleField {
    WhatYouDo => "what_you_do": Long,
    HowLong => "how_long": Short,
    TypicalDay => "typical_day": Long,
    GoodDay => "good_day": Long,
    BadDay => "bad_day": Long,
    WhoElseHelps => "who_else_helps": Long,
});
answers!(AreaField {
    OwnWords => "own_words": Long,
    KeepTheSame => "keep_the_same": Long,
    ChangeOrImprove => "change_or_improve": Long,
    Outcomes => "outcomes": Long,
    WhatWouldHelp => "what_would_help": Long,
    WorkerNotes => "worker_notes": Long,
});
answers!(NeedsField {
    Identified => "identified": Long,
    BreakNotes => "break_notes": Long,
});
answers!(ActionField {
    What => "what": Long,
    Who => "who": Short,
});
answers!(EmergencyField {
    WhoStepsIn => "who_steps_in": Long,
    Medicines => "medicines": Long,
    MedicinesKept => "medicines_kept": Long,
    Allergies => "allergies": Long,
    Gp => "gp": Long,
    Pharmacy => "pharmacy": Long,
    ServicesInPlace => "services_in_place": Long,
    MobilityAids => "mobility_aids": Long,
    OthersMustKnow => "others_must_know": Long,
});
answers!(ContactField {
    Name => "name": Short,
    Relationship => "relationship": Short,
    Phone => "phone": Short,
});
answers!(RiskField {
    Risk => "risk": Long,
    LikelyHarm => "likely_harm": Long,
    Prevention => "prevention": Long,
    IfItHappens => "if_it_happens": Long,
});
answers!(FutureField {
    Hopes => "hopes": Long,
    Worries => "worries": Long,
    Arrangements => "arrangements": Long,
});
answers!(ReviewField {
    Triggers => "triggers": Long,
});
answers!(BudgetField {
    Indicative => "indicative": Short,
    FinalAmount => "final_amount": Short,
});

/// One typed answer anywhere in the plan. List items are named by their
/// stable id, wellbeing areas by their indicator id.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum Field {
    Carer(CarerField),
    Person(String, PersonField),
    Role(RoleField),
    Area(String, AreaField),
    Needs(NeedsField),
    Action(String, ActionField),
    Emergency(EmergencyField),
    Contact(String, ContactField),
    Risk(String, RiskField),
    Future(FutureField),
    Review(ReviewField),
    Budget(BudgetField),
    InformationGiven,
    /// The key worker's notes for the carer.
    NotesForCarer,
    /// The key worker's private notes (never shared).
    PrivateNotes,
}

/// One step from the plan's root towards an answer.
#[derive(Debug, Clone, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
pub enum PathStep {
    /// A key of a map.
    Key(String),
    /// The item of a list whose `id` is this.
    Item(String),
}

/// Why an answer cannot be kept as typed.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum FieldError {
    #[error("answer too long: {len} characters, limit {max}")]
    TooLong { len: usize, max: usize },
    /// What is wrong with an email address.
    #[error("not an email address")]
    NotAnEmail(#[source] EmailProblem),
    #[error("not a phone number")]
    NotAPhoneNumber,
}

impl Field {
    /// The steps from the root to the map holding the answer, and the answer's key.
    pub fn path(&self) -> (Vec<PathStep>, &'static str) {
        let key = |k: &str| PathStep::Key(k.to_owned());
        let item = |i: &str| PathStep::Item(i.to_owned());
        match self {
            Field::Carer(f) => (vec![key("carer")], f.key()),
            Field::Person(id, f) => (vec![key("cared_for"), item(id)], f.key()),
            Field::Role(f) => (vec![key("caring_role")], f.key()),
            Field::Area(ind, f) => (vec![key("wellbeing"), key(ind)], f.key()),
            Field::Needs(f) => (vec![key("needs")], f.key()),
            Field::Action(id, f) => (vec![key("actions"), item(id)], f.key()),
            Field::Emergency(f) => (vec![key("emergency")], f.key()),
            Field::Contact(id, f) => (vec![key("emergency"), key("contacts"), item(id)], f.key()),
            Field::Risk(id, f) => (vec![key("emergency"), key("risks"), item(id)], f.key()),
            Field::Future(f) => (vec![key("future_planning")], f.key()),
            Field::Review(f) => (vec![key("review")], f.key()),
            Field::Budget(f) => (vec![key("budget")], f.key()),
            Field::InformationGiven => (vec![], "information_given"),
            Field::NotesForCarer => (vec![], "notes_for_carer"),
            Field::PrivateNotes => (vec![], "private_notes"),
        }
    }

    pub fn kind(&self) -> FieldKind {
        match self {
            Field::Carer(f) => f.kind(),
            Field::Person(_, f) => f.kind(),
            Field::Role(f) => f.kind(),
            Field::Area(_, f) => f.kind(),
            Field::Needs(f) => f.kind(),
            Field::Action(_, f) => f.kind(),
            Field::Emergency(f) => f.kind(),
            Field::Contact(_, f) => f.kind(),
            Field::Risk(_, f) => f.kind(),
            Field::Future(f) => f.kind(),
            Field::Review(f) => f.kind(),
            Field::Budget(f) => f.kind(),
            Field::InformationGiven | Field::NotesForCarer | Field::PrivateNotes => FieldKind::Long,
        }
    }

    /// The section's title as the history shows it ("Updated About you"),
    /// from the one table of sections.
    /// The plan part's own answers are named for what they are.
    pub fn section_title(&self) -> String {
        match self {
            Field::NotesForCarer => "Notes for the carer".into(),
            Field::Review(_) => "Review".into(),
            _ => self.section_of_kind().any_title(),
        }
    }

    /// The section an answer belongs to, without the plan (an action's is
    /// "Actions" here; [`Field::part`] knows the area it came from).
    pub fn section_of_kind(&self) -> super::section::Section {
        use super::section::Section;
        match self {
            Field::Carer(_) => Section::AboutYou,
            Field::Person(..) => Section::People,
            Field::Role(_) => Section::CaringRole,
            Field::Area(ind, _) => Section::Area(ind.clone()),
            Field::Needs(_) | Field::Action(..) => Section::Actions,
            Field::Emergency(_) | Field::Contact(..) | Field::Risk(..) => Section::Emergency,
            Field::Future(_) => Section::Future,
            Field::Review(_) | Field::NotesForCarer => Section::Plan,
            Field::Budget(_) | Field::InformationGiven => Section::Eligibility,
            Field::PrivateNotes => Section::Private,
        }
    }

    /// The part (section document) that holds this answer in `plan`.
    pub fn part(&self, plan: &super::model::Plan) -> super::section::Section {
        use super::section::Section;
        match self {
            Field::Action(id, _) => plan
                .actions
                .iter()
                .find(|a| a.id == *id)
                .and_then(|a| a.area.clone())
                .filter(|a| plan.wellbeing.contains_key(a))
                .map_or(Section::Actions, Section::Area),
            other => other.section_of_kind(),
        }
    }

    /// An id usable in HTML (`id`, `name`) and in tests: "carer-preferred-name".
    pub fn html_id(&self) -> String {
        let (steps, key) = self.path();
        let mut parts: Vec<String> = steps
            .iter()
            .map(|s| match s {
                PathStep::Key(k) | PathStep::Item(k) => k.replace('_', "-"),
            })
            .collect();
        parts.push(key.replace('_', "-"));
        parts.join("-")
    }

    pub fn max_chars(&self) -> usize {
        match self.kind() {
            FieldKind::Short => SHORT_MAX,
            FieldKind::Long => LONG_MAX,
        }
    }

    /// Whether a value may be kept. Checked before anything is written, so a
    /// value that fails leaves the stored answer as it was.
    /// A box's key that took its text from `before` to `after`: refused
    /// when it makes the answer grow past its limit (one already over it
    /// may shrink).
    pub fn too_long_after(&self, before: &str, after: &str) -> Result<(), FieldError> {
        let len = after.chars().count();
        if len > self.max_chars() && len > before.chars().count() {
            return Err(FieldError::TooLong {
                len,
                max: self.max_chars(),
            });
        }
        Ok(())
    }

    pub fn validate(&self, value: &str) -> Result<(), FieldError> {
        let len = value.chars().count();
        if len > self.max_chars() {
            return Err(FieldError::TooLong {
                len,
                max: self.max_chars(),
            });
        }
        Ok(())
    }

    /// Advice about a finished answer that is kept all the same (a half-typed
    /// email address is not an error while the person is still typing).
    pub fn advise(&self, value: &str) -> Option<FieldError> {
        let v = value.trim();
        if v.is_empty() {
            return None;
        }
        let phone_ok = |v: &str| {
            v.chars().all(|c| c.is_ascii_digit() || " +()-".contains(c))
                && v.chars().any(|c| c.is_ascii_digit())
        };
        match self {
            Field::Carer(CarerField::Email) => EmailProblem::of(v).map(FieldError::NotAnEmail),
            Field::Carer(CarerField::Phone) | Field::Contact(_, ContactField::Phone) => {
                (!phone_ok(v)).then_some(FieldError::NotAPhoneNumber)
            }
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_pastes_are_refused_with_a_kind_message() {
        let f = Field::Carer(CarerField::Address);
        assert!(f.validate(&"a".repeat(LONG_MAX)).is_ok());
        let err = f.validate(&"a".repeat(50_000)).unwrap_err();
        assert_eq!(
            err,
            FieldError::TooLong {
                len: 50_000,
                max: LONG_MAX
            }
        );
        assert!(Field::Carer(CarerField::Name)
            .validate(&"a".repeat(201))
            .is_err());
    }

    #[test]
    fn email_and_phone_advice() {
        let e = Field::Carer(CarerField::Email);
        assert_eq!(e.advise("ann@example.org"), None);
        assert_eq!(
            e.advise("ann"),
            Some(FieldError::NotAnEmail(EmailProblem::NoAt))
        );
        // It has an @: say what is actually wrong.
        assert_eq!(
            e.advise("peggy.brown@example"),
            Some(FieldError::NotAnEmail(EmailProblem::NoDotAfterAt))
        );
        assert_eq!(
            e.advise("a@@b.com"),
            Some(FieldError::NotAnEmail(EmailProblem::TwoAts))
        );
        assert_eq!(
            e.advise("@b.com"),
            Some(FieldError::NotAnEmail(EmailProblem::NothingBeforeAt))
        );
        assert_eq!(
            e.advise("a@"),
            Some(FieldError::NotAnEmail(EmailProblem::NothingAfterAt))
        );
        assert_eq!(
            e.advise("a b@c.com"),
            Some(FieldError::NotAnEmail(EmailProblem::Spaces))
        );
        assert_eq!(
            e.advise("a@.com"),
            Some(FieldError::NotAnEmail(EmailProblem::DotAtEdge))
        );
        assert_eq!(e.advise(""), None);
        let p = Field::Carer(CarerField::Phone);
        assert_eq!(p.advise("+44 (0)1698 123-456"), None);
        assert_eq!(p.advise("call me"), Some(FieldError::NotAPhoneNumber));
    }

    #[test]
    fn html_ids_are_stable_and_name_list_items() {
        assert_eq!(
            Field::Carer(CarerField::PreferredName).html_id(),
            "carer-preferred-name"
        );
        assert_eq!(
            Field::Person("p1".into(), PersonField::Name).html_id(),
            "cared-for-p1-name"
        );
        assert_eq!(
            Field::Area("finances".into(), AreaField::OwnWords).html_id(),
            "wellbeing-finances-own-words"
        );
    }
}
