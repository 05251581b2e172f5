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
    #[error("Tick the box to confirm the carer has read the plan and agrees with it.")]
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

/// A sign-off request, checked against the rules before anything is written.
pub fn check_sign_off(
    plan: &Plan,
    carer_agreed: bool,
    carer_name: &str,
    worker_name: &str,
    review: NaiveDate,
    today: NaiveDate,
) -> Result<(), SignRuleError> {
    if !carer_agreed {
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
