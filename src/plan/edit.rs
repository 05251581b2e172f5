//! The named changes a person makes to a plan besides typing an answer:
//! add a person, set an action's status, mark a section finished… Each one
//! says what it does to the plan's values and the line the history shows
//! for it, here and nowhere else. The screens name the change; the
//! document layer (`PlanDoc::apply`) makes it.
//! Over 400 lines because each change's check, history line and effect on
//! the values are defined here together, and nowhere else.

use chrono::NaiveDate;

use super::framework::Framework;
use super::limits::List;
use super::model::{
    Action, AreaChange, BudgetManaged, CaredFor, Contact, Continue, HelpedBy, NightCare, Plan,
    ReviewKind, Risk, SectionStatus,
};
use super::options::{Coded, YesNo};
use super::section::Section;

/// Why a change cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditError {
    #[error("answer not kept")]
    Field(#[from] super::FieldError),
    #[error("list of {} full at {max}", .list.code())]
    Full { list: List, max: usize },
    #[error("review rule")]
    Review(#[from] super::review::ReviewRuleError),
    #[error("no such framework")]
    UnknownFramework,
}

/// One change to a plan. serde: sent to the engine worker, which makes it
/// (`web/engine/protocol.rs`).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub enum Edit {
    SetHelpedBy(Option<HelpedBy>),
    AddPerson {
        id: String,
    },
    RemovePerson {
        id: String,
    },
    SetLivesWithCarer {
        person: String,
        lives: Option<bool>,
    },
    /// The hours in the carer's words, and the number read from them.
    SetHours {
        words: String,
        hours: Option<u32>,
    },
    SetNightCare(Option<NightCare>),
    SetAbleToContinue(Option<Continue>),
    SetWillingToContinue(Option<Continue>),
    SetTerminalIllness(Option<bool>),
    /// The carer's rating of a wellbeing area (a level id of the framework).
    SetRating {
        area: String,
        level: Option<String>,
    },
    /// The key worker's rating of a wellbeing area.
    SetWorkerRating {
        area: String,
        level: Option<String>,
    },
    /// A new action, from an area or from the list of actions.
    AddAction {
        id: String,
        area: Option<String>,
    },
    SetActionStatus {
        id: String,
        status: super::model::ActionStatus,
    },
    SetActionDate {
        id: String,
        #[serde(with = "super::date::optional_iso")]
        by_when: Option<NaiveDate>,
    },
    AddContact {
        id: String,
    },
    AddRisk {
        id: String,
    },
    SetEligibility {
        question: String,
        answer: YesNo,
    },
    SetBudgetManaged(Option<BudgetManaged>),
    /// "Have you finished this section?"
    MarkSection {
        section: Section,
        status: SectionStatus,
    },
    /// The key worker asks the carer to read the plan and agree.
    MarkReadyToAgree {
        at: i64,
    },
    /// The carer agrees, on their own device or in a meeting on the key
    /// worker's (`in_meeting`).
    CarerAgrees {
        at: i64,
        device: String,
        in_meeting: bool,
    },
    /// The carer says what they do not agree with.
    CarerDisagrees {
        at: i64,
        what: String,
    },
    /// Start a review round on `today`: the planned one, or an unplanned
    /// one with what changed (`plan::review::check_start_review`).
    StartReview {
        at: i64,
        device: String,
        #[serde(with = "super::date::iso")]
        today: NaiveDate,
        kind: ReviewKind,
        reason: String,
    },
    /// "Has this area changed since it was agreed?", in the open round.
    SetAreaChanged {
        area: String,
        changed: bool,
    },
    /// Use another framework (where the carer lives), by its id. Areas it
    /// has that the plan lacks are added; nothing written is removed, so
    /// switching back finds every word.
    UseFramework {
        framework: String,
    },
}

/// The history line of marking a section finished: bookkeeping, which the
/// plan's history leaves out.
pub const SECTION_PROGRESS: &str = "Updated section progress";

/// The history line of choosing the framework (where the carer lives),
/// named as the framework names itself.
pub fn chose_framework(name: &str) -> String {
    format!("Chose where you live: {name}")
}

fn updated(section: Section) -> String {
    format!("Updated {}", section.any_title())
}

impl Edit {
    /// Whether the change keeps the plan within its limits: the words it
    /// carries (the hours in the carer's words, what they do not agree
    /// with) and the lists it adds to — the same limits a copy from another
    /// device is held to, so a plan made here is never refused there.
    pub fn check(&self, plan: &Plan) -> Result<(), EditError> {
        use super::limits::{MAX_ACTIONS, MAX_CONTACTS, MAX_PEOPLE, MAX_RISKS};
        let full = |len: usize, max: usize, list: List| {
            if len >= max {
                Err(EditError::Full { list, max })
            } else {
                Ok(())
            }
        };
        match self {
            Edit::AddPerson { .. } => full(plan.cared_for.len(), MAX_PEOPLE, List::People)?,
            Edit::AddAction { .. } => full(plan.actions.len(), MAX_ACTIONS, List::Actions)?,
            Edit::AddContact { .. } => {
                full(plan.emergency.contacts.len(), MAX_CONTACTS, List::Contacts)?
            }
            Edit::AddRisk { .. } => full(plan.emergency.risks.len(), MAX_RISKS, List::Risks)?,
            Edit::StartReview {
                today,
                kind,
                reason,
                ..
            } => super::review::check_start_review(plan, *kind, reason, *today)?,
            Edit::SetAreaChanged { .. } if super::review::open_review(plan).is_none() => {
                return Err(super::review::ReviewRuleError::NotStarted.into())
            }
            Edit::UseFramework { framework } if Framework::by_id(framework).is_none() => {
                return Err(EditError::UnknownFramework)
            }
            _ => {}
        }
        let (text, max) = match self {
            Edit::SetHours { words, .. } => (words.as_str(), super::field::SHORT_MAX),
            Edit::CarerDisagrees { what, .. } => (what.as_str(), super::field::LONG_MAX),
            Edit::StartReview { reason, .. } => (reason.as_str(), super::field::LONG_MAX),
            _ => return Ok(()),
        };
        let len = text.chars().count();
        if len > max {
            return Err(EditError::Field(super::FieldError::TooLong { len, max }));
        }
        Ok(())
    }

    /// Whether it adds an item to one of the plan's lists (a person, an
    /// action, a contact, a risk), made twice it would add two, or takes
    /// a person out: the screens move on once it is made.
    pub fn changes_a_list(&self) -> bool {
        matches!(
            self,
            Edit::AddPerson { .. }
                | Edit::RemovePerson { .. }
                | Edit::AddAction { .. }
                | Edit::AddContact { .. }
                | Edit::AddRisk { .. }
        )
    }

    /// The sections it adds to a copy of the plan: the areas of another
    /// framework the plan has no answers in yet (a document then made for
    /// each, in any copy: `doc::edit`). The screens show them at once.
    pub fn parts_added(&self, before: &Plan) -> Vec<Section> {
        match self {
            Edit::UseFramework { framework } => Framework::by_id(framework)
                .map(|fw| {
                    fw.indicators
                        .iter()
                        .filter(|ind| !before.wellbeing.contains_key(&ind.id))
                        .map(|ind| Section::Area(ind.id.clone()))
                        .collect()
                })
                .unwrap_or_default(),
            _ => Vec::new(),
        }
    }

    /// The line the plan's history shows for this change.
    pub fn message(&self) -> String {
        match self {
            Edit::SetHelpedBy(_) => updated(Section::AboutYou),
            Edit::AddPerson { .. } => "Added a person you care for".into(),
            Edit::RemovePerson { .. } => "Removed a person you care for".into(),
            Edit::SetLivesWithCarer { .. } => updated(Section::People),
            Edit::SetHours { .. }
            | Edit::SetNightCare(_)
            | Edit::SetAbleToContinue(_)
            | Edit::SetWillingToContinue(_)
            | Edit::SetTerminalIllness(_) => updated(Section::CaringRole),
            Edit::SetRating { area, .. } => updated(Section::Area(area.clone())),
            Edit::SetWorkerRating { .. } => "Added key worker's view".into(),
            Edit::AddAction { .. } => "Added an action".into(),
            Edit::SetActionStatus { .. } | Edit::SetActionDate { .. } => updated(Section::Actions),
            Edit::AddContact { .. } => "Added an emergency contact".into(),
            Edit::AddRisk { .. } => "Added a risk".into(),
            Edit::SetEligibility { .. } | Edit::SetBudgetManaged(_) => {
                updated(Section::Eligibility)
            }
            Edit::MarkSection { .. } => SECTION_PROGRESS.into(),
            Edit::MarkReadyToAgree { .. } => "Marked the plan ready for the carer to agree".into(),
            Edit::CarerAgrees {
                in_meeting: false, ..
            } => "Agreed with the plan".into(),
            Edit::CarerAgrees {
                in_meeting: true, ..
            } => "Agreed with the plan, in a meeting with the key worker".into(),
            Edit::CarerDisagrees { .. } => "Said what they do not agree with in the plan".into(),
            Edit::StartReview { kind, .. } => super::review::started_line(*kind).into(),
            Edit::SetAreaChanged { area, .. } => updated(Section::Area(area.clone())),
            Edit::UseFramework { framework } => {
                chose_framework(Framework::by_id(framework).map_or(framework, |f| &f.name))
            }
        }
    }

    /// Make the change in the plan's values.
    pub fn apply(&self, p: &mut Plan) {
        match self {
            Edit::SetHelpedBy(v) => p.carer.helped_by = *v,
            // An item added twice (asked again of an engine that stored it
            // and stopped before it answered) is one item.
            Edit::AddPerson { id } if p.cared_for.iter().any(|c| c.id == *id) => {}
            Edit::AddPerson { id } => p.cared_for.push(CaredFor {
                id: id.clone(),
                ..Default::default()
            }),
            Edit::RemovePerson { id } => p.cared_for.retain(|c| c.id != *id),
            Edit::SetLivesWithCarer { person, lives } => {
                if let Some(c) = p.cared_for.iter_mut().find(|c| c.id == *person) {
                    c.lives_with_carer = *lives;
                }
            }
            Edit::SetHours { words, hours } => {
                p.caring_role.hours_words = words.clone();
                p.caring_role.hours_per_week = *hours;
            }
            Edit::SetNightCare(v) => p.caring_role.night_care = *v,
            Edit::SetAbleToContinue(v) => p.caring_role.able_to_continue = *v,
            Edit::SetWillingToContinue(v) => p.caring_role.willing_to_continue = *v,
            Edit::SetTerminalIllness(v) => p.caring_role.terminal_illness = *v,
            Edit::SetRating { area, level } => {
                p.wellbeing.entry(area.clone()).or_default().rating = level.clone()
            }
            Edit::SetWorkerRating { area, level } => {
                if let Some(w) = p.wellbeing.get_mut(area) {
                    w.worker_rating = level.clone();
                }
            }
            Edit::AddAction { id, .. } if p.actions.iter().any(|a| a.id == *id) => {}
            Edit::AddAction { id, area } => p.actions.push(Action {
                id: id.clone(),
                area: area.clone(),
                ..Default::default()
            }),
            Edit::SetActionStatus { id, status } => {
                if let Some(a) = p.actions.iter_mut().find(|a| a.id == *id) {
                    a.status = *status;
                }
            }
            Edit::SetActionDate { id, by_when } => {
                if let Some(a) = p.actions.iter_mut().find(|a| a.id == *id) {
                    a.by_when = *by_when;
                }
            }
            Edit::AddContact { id } if p.emergency.contacts.iter().any(|c| c.id == *id) => {}
            Edit::AddContact { id } => p.emergency.contacts.push(Contact {
                id: id.clone(),
                ..Default::default()
            }),
            Edit::AddRisk { id } if p.emergency.risks.iter().any(|r| r.id == *id) => {}
            Edit::AddRisk { id } => p.emergency.risks.push(Risk {
                id: id.clone(),
                ..Default::default()
            }),
            Edit::SetEligibility { question, answer } => {
                p.eligibility
                    .insert(question.clone(), answer.code().to_owned());
            }
            Edit::SetBudgetManaged(v) => p.budget.managed = *v,
            Edit::MarkSection { section, status } => {
                p.sections.insert(section.id(), *status);
            }
            Edit::MarkReadyToAgree { at } => p.ready_at = Some(*at),
            Edit::CarerAgrees {
                at,
                device,
                in_meeting,
            } => {
                p.agreed_at = Some(*at);
                p.agreed_by = Some(device.clone());
                p.agreed_in_meeting = Some(*in_meeting);
            }
            Edit::CarerDisagrees { at, what } => {
                p.disagreed_at = Some(*at);
                p.disagreement = Some(what.trim().to_owned());
            }
            #[rustfmt::skip]
            Edit::StartReview { at, device, kind, reason, .. } => {
                (p.review_started_at, p.review_started_by) = (Some(*at), Some(device.clone()));
                (p.review_kind, p.review_reason) = (Some(*kind), Some(reason.trim().to_owned()));
            }
            Edit::SetAreaChanged { area, changed } => {
                if let Some(round) = p.review_started_at {
                    p.review_changes.insert(
                        area.clone(),
                        AreaChange {
                            round,
                            changed: *changed,
                        },
                    );
                }
            }
            Edit::UseFramework { framework } => {
                if let Some(fw) = Framework::by_id(framework) {
                    p.framework = fw.id.clone();
                    p.framework_chosen = Some(true);
                    for ind in &fw.indicators {
                        p.wellbeing.entry(ind.id.clone()).or_default();
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::model::ActionStatus;

    #[test]
    fn an_item_added_twice_is_one_item() {
        let mut p = Plan::default();
        for edit in [
            Edit::AddPerson { id: "p1".into() },
            Edit::AddAction {
                id: "a1".into(),
                area: None,
            },
            Edit::AddContact { id: "c1".into() },
            Edit::AddRisk { id: "r1".into() },
        ] {
            edit.apply(&mut p);
            let once = p.clone();
            edit.apply(&mut p);
            assert_eq!(p, once, "{edit:?}");
        }
        assert_eq!(p.actions.len(), 1);
    }

    #[test]
    fn each_edit_names_itself_once_and_changes_only_its_answer() {
        let mut p = Plan::default();
        Edit::AddPerson { id: "p1".into() }.apply(&mut p);
        Edit::SetLivesWithCarer {
            person: "p1".into(),
            lives: Some(true),
        }
        .apply(&mut p);
        assert_eq!(p.cared_for[0].lives_with_carer, Some(true));
        Edit::AddAction {
            id: "a1".into(),
            area: Some("finances".into()),
        }
        .apply(&mut p);
        Edit::SetActionStatus {
            id: "a1".into(),
            status: ActionStatus::Done,
        }
        .apply(&mut p);
        assert_eq!(p.actions[0].status, ActionStatus::Done);
        Edit::RemovePerson { id: "p1".into() }.apply(&mut p);
        assert!(p.cared_for.is_empty());
        assert_eq!(
            Edit::SetHours {
                words: "3".into(),
                hours: Some(3)
            }
            .message(),
            "Updated Your caring role"
        );
        assert_eq!(
            Edit::SetRating {
                area: "finances".into(),
                level: None
            }
            .message(),
            "Updated Finances"
        );
        Edit::SetEligibility {
            question: "q".into(),
            answer: YesNo::NotSure,
        }
        .apply(&mut p);
        // Words carried by a change keep the limits typing has.
        assert!(Edit::SetHours {
            words: "x".repeat(201),
            hours: None
        }
        .check(&p)
        .is_err());
        assert!(Edit::CarerDisagrees {
            at: 0,
            what: "x".repeat(10_001)
        }
        .check(&p)
        .is_err());
        assert!(Edit::CarerDisagrees {
            at: 0,
            what: "It is moderate".into()
        }
        .check(&p)
        .is_ok());
        // Lists keep the limits a copy from elsewhere is held to.
        for i in 0..crate::plan::limits::MAX_PEOPLE {
            Edit::AddPerson {
                id: format!("p{i}"),
            }
            .apply(&mut p);
        }
        let full = Edit::AddPerson {
            id: "one-more".into(),
        }
        .check(&p)
        .unwrap_err();
        assert_eq!(full.to_string(), "list of people full at 50");
        assert_eq!(p.eligibility["q"], "not-sure");
    }
}
