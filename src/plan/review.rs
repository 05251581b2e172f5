//! The rules of signing a plan off and reviewing it: who must have agreed,
//! which names are needed, which review dates are allowed (six to eight
//! weeks after the first sign-off, then at least yearly), when a review
//! round may start (the planned one when it is near, an unplanned one any
//! time with a reason), and when a review is due soon or overdue.
//!
//! A review is a round on the same plan: it starts from the current
//! answers, each area says whether it has changed since the last
//! agreement, and it is agreed and signed in the same order as the first
//! time. The last signed version stays as it was.

use chrono::NaiveDate;
use thiserror::Error;

use super::date::{first_review_due, first_review_earliest, next_yearly_review};
use super::model::{Plan, ReviewKind, SignedVersion};

/// A review within this many days is "due soon".
pub const DUE_SOON_DAYS: i64 = 30;

/// Why a review round cannot be started (or answered) as asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ReviewRuleError {
    #[error("plan not yet signed off")]
    NotAgreedYet,
    #[error("a review already started")]
    AlreadyStarted,
    #[error("no review started")]
    NotStarted,
    #[error("no reason given for an unplanned review")]
    NeedReason,
    #[error("planned review not due until {due}")]
    NotDueYet { due: NaiveDate },
}

/// The review round open now: started after the last sign-off.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenReview {
    pub started_at: i64,
    pub started_by: String,
    pub kind: ReviewKind,
    pub reason: String,
    /// When the plan was last agreed (the worker's signature, milliseconds).
    pub since: i64,
}

/// The last agreed (signed) version, if any.
pub fn last_agreed(plan: &Plan) -> Option<&SignedVersion> {
    plan.sign_off.signed_versions.last()
}

/// The review round open now, if any.
pub fn open_review(plan: &Plan) -> Option<OpenReview> {
    let since = last_agreed(plan)?.worker.at;
    let started_at = plan.review_started_at.filter(|s| *s > since)?;
    Some(OpenReview {
        started_at,
        started_by: plan.review_started_by.clone().unwrap_or_default(),
        kind: plan.review_kind.unwrap_or(ReviewKind::Unplanned),
        reason: plan.review_reason.clone().unwrap_or_default(),
        since,
    })
}

/// A request to start a review round on `today`, checked against the rules.
pub fn check_start_review(
    plan: &Plan,
    kind: ReviewKind,
    reason: &str,
    today: NaiveDate,
) -> Result<(), ReviewRuleError> {
    if last_agreed(plan).is_none() {
        return Err(ReviewRuleError::NotAgreedYet);
    }
    if open_review(plan).is_some() {
        return Err(ReviewRuleError::AlreadyStarted);
    }
    match kind {
        ReviewKind::Unplanned if reason.trim().is_empty() => Err(ReviewRuleError::NeedReason),
        ReviewKind::Planned => match plan.review.next_due {
            Some(due) if review_flag(Some(due), today).is_none() => {
                Err(ReviewRuleError::NotDueYet { due })
            }
            _ => Ok(()),
        },
        ReviewKind::Unplanned => Ok(()),
    }
}

/// The history line of starting a review round.
pub fn started_line(kind: ReviewKind) -> &'static str {
    match kind {
        ReviewKind::Planned => "Started the planned review",
        ReviewKind::Unplanned => "Started a review because something changed",
    }
}

/// An area's answer to "Has this changed since …?" in the open round.
pub fn area_changed(plan: &Plan, area: &str) -> Option<bool> {
    let open = open_review(plan)?;
    plan.review_changes
        .get(area)
        .filter(|c| c.round == open.started_at)
        .map(|c| c.changed)
}

/// A review date that needs attention (its tag and sentence are in
/// `web/words/`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFlag {
    /// Due in `days` days (0: today), within [`DUE_SOON_DAYS`].
    DueSoon { due: NaiveDate, days: i64 },
    /// The date has passed.
    Overdue { due: NaiveDate, days: i64 },
}

/// Whether a review due on `due` is overdue or due within
/// [`DUE_SOON_DAYS`] of `today`.
pub fn review_flag(due: Option<NaiveDate>, today: NaiveDate) -> Option<ReviewFlag> {
    let due = due?;
    let days = (due - today).num_days();
    if days < 0 {
        Some(ReviewFlag::Overdue { due, days: -days })
    } else if days <= DUE_SOON_DAYS {
        Some(ReviewFlag::DueSoon { due, days })
    } else {
        None
    }
}

/// Why a sign-off cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignRuleError {
    #[error("carer has not agreed")]
    CarerHasNotAgreed,
    #[error("a name missing")]
    MissingName,
    #[error("review date outside {earliest} to {latest}")]
    ReviewOutOfRange {
        earliest: NaiveDate,
        latest: NaiveDate,
    },
}

/// The review dates allowed at a sign-off on `today`, and the suggested one.
pub fn review_range(plan: &Plan, today: NaiveDate) -> (NaiveDate, NaiveDate, NaiveDate) {
    if plan.sign_off.signed_versions.is_empty() {
        (
            first_review_earliest(today),
            first_review_due(today),
            first_review_due(today),
        )
    } else {
        // Yearly at the latest; sooner if circumstances change.
        (
            today + chrono::Duration::days(1),
            next_yearly_review(today),
            next_yearly_review(today),
        )
    }
}

/// Whether a change's message is one that settles the plan as it then was
/// (marked ready, the carer's answer, a sign-off): it follows whatever else
/// was changed in the same second, so history lists it after them (change
/// times are whole seconds, and the plan's parts have no order between them).
pub fn settles_the_plan(message: &str) -> bool {
    message == "Marked the plan ready for the carer to agree"
        || message.starts_with("Agreed with the plan")
        || message == "Said what they do not agree with in the plan"
        || message.starts_with("Signed off the ")
}

/// Where the carer's agreement stands. The order is the carer's own: the
/// key worker marks the plan ready, the carer sees what the worker added
/// and agrees (or says what they do not agree with), then the worker signs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Agreement {
    /// Nobody has asked the carer yet.
    NotAsked,
    /// The worker marked it ready; the carer has not answered since.
    Asked {
        at: i64,
    },
    Agreed {
        at: i64,
        in_meeting: bool,
    },
    Disagreed {
        at: i64,
        what: String,
    },
}

/// Where the carer's agreement stands in `plan`. An answer older than the
/// last "ready to agree" does not count: the plan may have changed since.
/// Nothing from before the last sign-off counts either (an agreement is
/// used up by the sign-off it was given for: a plan changed after it is
/// signed again only once the carer has seen it and agreed again), nor, in
/// a review round, from before the round started.
pub fn agreement(plan: &Plan) -> Agreement {
    let s = plan;
    let signed = last_agreed(plan).map_or(i64::MIN, |v| v.worker.at);
    let floor = open_review(plan).map_or(signed, |r| r.started_at.max(signed));
    let Some(ready) = s.ready_at.filter(|r| *r >= floor) else {
        return Agreement::NotAsked;
    };
    let agreed = s.agreed_at.filter(|a| *a >= ready);
    let disagreed = s.disagreed_at.filter(|d| *d >= ready);
    match (agreed, disagreed) {
        (Some(a), Some(d)) if d > a => Agreement::Disagreed {
            at: d,
            what: s.disagreement.clone().unwrap_or_default(),
        },
        (Some(a), _) => Agreement::Agreed {
            at: a,
            in_meeting: s.agreed_in_meeting == Some(true),
        },
        (None, Some(d)) => Agreement::Disagreed {
            at: d,
            what: s.disagreement.clone().unwrap_or_default(),
        },
        (None, None) => Agreement::Asked { at: ready },
    }
}

/// A sign-off request, checked against the rules before anything is written.
pub fn check_sign_off(
    plan: &Plan,
    carer_name: &str,
    worker_name: &str,
    review: NaiveDate,
    today: NaiveDate,
) -> Result<(), SignRuleError> {
    if !matches!(agreement(plan), Agreement::Agreed { .. }) {
        return Err(SignRuleError::CarerHasNotAgreed);
    }
    if carer_name.trim().is_empty() || worker_name.trim().is_empty() {
        return Err(SignRuleError::MissingName);
    }
    let (earliest, latest, _) = review_range(plan, today);
    if review < earliest || review > latest {
        return Err(SignRuleError::ReviewOutOfRange { earliest, latest });
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::plan::edit::Edit;

    #[test]
    fn the_carer_agrees_after_the_plan_is_ready_and_before_it_is_signed() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (_, _, review) = review_range(&Plan::default(), today);
        let mut plan = Plan::default();
        let sign = |p: &Plan| check_sign_off(p, "Margaret Brown", "Sam Patel", review, today);
        assert_eq!(agreement(&plan), Agreement::NotAsked);
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
        Edit::MarkReadyToAgree { at: 10 }.apply(&mut plan);
        assert_eq!(agreement(&plan), Agreement::Asked { at: 10 });
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
        Edit::CarerDisagrees {
            at: 20,
            what: "The hours are wrong".into(),
        }
        .apply(&mut plan);
        assert!(matches!(agreement(&plan), Agreement::Disagreed { .. }));
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
        Edit::CarerAgrees {
            at: 30,
            device: "d".into(),
            in_meeting: false,
        }
        .apply(&mut plan);
        assert_eq!(
            agreement(&plan),
            Agreement::Agreed {
                at: 30,
                in_meeting: false
            }
        );
        assert_eq!(sign(&plan), Ok(()));
        // Marked ready again (the plan changed): the old agreement no longer counts.
        Edit::MarkReadyToAgree { at: 40 }.apply(&mut plan);
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
    }

    #[test]
    fn an_agreement_is_used_up_by_the_sign_off_it_was_given_for() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let (_, _, review) = review_range(&Plan::default(), today);
        let sign = |p: &Plan| check_sign_off(p, "Margaret Brown", "Sam Patel", review, today);
        let mut plan = Plan::default();
        Edit::MarkReadyToAgree { at: 10 }.apply(&mut plan);
        Edit::CarerAgrees {
            at: 20,
            device: "d".into(),
            in_meeting: false,
        }
        .apply(&mut plan);
        assert_eq!(sign(&plan), Ok(()));
        let signature = |at| crate::plan::Signature {
            name: "x".into(),
            actor: "d".into(),
            at,
        };
        plan.sign_off
            .signed_versions
            .push(crate::plan::SignedVersion {
                id: "v1".into(),
                heads: vec![],
                carer: signature(20),
                worker: signature(30),
                review_due: Some(review),
            });
        // The worker changes the plan after signing it: signing again needs
        // the carer to see it and agree again, not the agreement already used.
        assert_eq!(agreement(&plan), Agreement::NotAsked);
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
        Edit::MarkReadyToAgree { at: 40 }.apply(&mut plan);
        assert_eq!(sign(&plan), Err(SignRuleError::CarerHasNotAgreed));
        Edit::CarerAgrees {
            at: 50,
            device: "d".into(),
            in_meeting: false,
        }
        .apply(&mut plan);
        assert_eq!(sign(&plan), Ok(()));
    }
}
