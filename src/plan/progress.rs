//! Where each section stands for the person filling it in: derived from
//! the answers, except "Completed" and "Skipped", which the carer chooses.

use super::model::{Plan, SectionStatus};
use super::section::Section;

/// Where a section stands for the person filling it in: derived from the
/// answers, except "Completed" and "Skipped", which the carer chooses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    NotStarted,
    InProgress,
    Completed,
    Skipped,
}

impl Status {
    pub fn label(self) -> &'static str {
        match self {
            Status::NotStarted => "Not started",
            Status::InProgress => "In progress",
            Status::Completed => "Completed",
            Status::Skipped => "Skipped",
        }
    }
}

impl Section {
    fn has_answers(&self, plan: &Plan) -> bool {
        let t = |s: &str| !s.trim().is_empty();
        match self {
            Section::Plan | Section::Private => false,
            Section::AboutYou => {
                let c = &plan.carer;
                [&c.name, &c.preferred_name, &c.phone, &c.email]
                    .iter()
                    .any(|s| t(s))
                    || [
                        &c.address,
                        &c.safe_contact,
                        &c.health,
                        &c.work_or_study,
                        &c.communication_needs,
                    ]
                    .iter()
                    .any(|s| t(s.as_str()))
                    || c.helped_by.is_some()
            }
            Section::People => !plan.cared_for.is_empty(),
            Section::CaringRole => {
                let r = &plan.caring_role;
                [
                    &r.what_you_do,
                    &r.typical_day,
                    &r.good_day,
                    &r.bad_day,
                    &r.who_else_helps,
                ]
                .iter()
                .any(|s| t(s.as_str()))
                    || t(&r.how_long)
                    || r.hours_per_week.is_some()
                    || t(&r.hours_words)
                    || r.night_care.is_some()
                    || r.able_to_continue.is_some()
                    || r.willing_to_continue.is_some()
            }
            Section::Area(id) => plan.wellbeing.get(id).is_some_and(|a| {
                a.rating.is_some()
                    || [
                        &a.own_words,
                        &a.keep_the_same,
                        &a.change_or_improve,
                        &a.outcomes,
                        &a.what_would_help,
                    ]
                    .iter()
                    .any(|s| t(s.as_str()))
            }),
            Section::Actions => {
                !plan.actions.is_empty()
                    || t(plan.needs.identified.as_str())
                    || t(plan.needs.break_notes.as_str())
            }
            Section::Eligibility => {
                !plan.eligibility.is_empty()
                    || t(&plan.budget.indicative)
                    || t(&plan.budget.final_amount)
                    || plan.budget.managed.is_some()
                    || t(plan.information_given.as_str())
            }
            Section::Emergency => {
                let e = &plan.emergency;
                !e.contacts.is_empty()
                    || !e.risks.is_empty()
                    || [
                        &e.who_steps_in,
                        &e.medicines,
                        &e.medicines_kept,
                        &e.allergies,
                        &e.gp,
                        &e.pharmacy,
                        &e.services_in_place,
                        &e.mobility_aids,
                        &e.others_must_know,
                    ]
                    .iter()
                    .any(|s| t(s.as_str()))
            }
            Section::Future => {
                let f = &plan.future_planning;
                [&f.hopes, &f.worries, &f.arrangements]
                    .iter()
                    .any(|s| t(s.as_str()))
            }
        }
    }

    pub fn status(&self, plan: &Plan) -> Status {
        match plan.sections.get(&self.id()) {
            Some(SectionStatus::Completed) => Status::Completed,
            Some(SectionStatus::Skipped) => Status::Skipped,
            _ if self.has_answers(plan) => Status::InProgress,
            _ => Status::NotStarted,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::framework::Framework;

    #[test]
    fn status_comes_from_answers_unless_the_carer_chose_one() {
        let fw = Framework::by_id("scotland-national").unwrap();
        let mut plan = Plan::default();
        let s = Section::Area("finances".into());
        assert_eq!(s.status(&plan), Status::NotStarted);
        plan.wellbeing.entry("finances".into()).or_default().rating = Some("low".into());
        assert_eq!(s.status(&plan), Status::InProgress);
        plan.sections.insert(s.id(), SectionStatus::Completed);
        assert_eq!(s.status(&plan), Status::Completed);
        plan.sections
            .insert(Section::Future.id(), SectionStatus::Skipped);
        assert_eq!(Section::Future.status(&plan), Status::Skipped);
        assert_eq!(Section::all(fw).len(), 3 + 7 + 2);
        let eng = Framework::by_id("england-care-act").unwrap();
        assert!(Section::all(eng).contains(&Section::Eligibility));
    }
}
