//! The rules of signing a plan off and setting its review: who must have
//! agreed, which names are needed, and which review dates are allowed (six
//! to eight weeks after the first sign-off, then at least yearly).

use chrono::NaiveDate;
use thiserror::Error;

use super::date::{first_review_due, first_review_earliest, long_date, next_yearly_review};
use super::model::Plan;

/// Why a sign-off cannot be made as asked.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SignRuleError {
    #[error("The carer has not agreed to this plan yet. Mark it ready to agree and send it to them, or, if they are with you, record that they agree.")]
    CarerHasNotAgreed,
    #[error("Enter the carer's name and your name.")]
    MissingName,
    #[error("The review date must be between {earliest} and {latest}.")]
    ReviewOutOfRange { earliest: String, latest: String },
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
pub fn agreement(plan: &Plan) -> Agreement {
    let s = plan;
    let Some(ready) = s.ready_at else {
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
        return Err(SignRuleError::ReviewOutOfRange {
            earliest: long_date(earliest),
            latest: long_date(latest),
        });
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
}
