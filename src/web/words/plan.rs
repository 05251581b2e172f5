//! The words of the plan's checks and rules (`plan/`).

use crate::plan::answer::{AnswerError, EmailProblem};
use crate::plan::date::{long_date, long_date_of_ms};
use crate::plan::edit::EditError;
use crate::plan::limits::{Limit, List};
use crate::plan::review::{OpenReview, ReviewFlag, ReviewRuleError, SignRuleError};
use crate::plan::{FieldError, RandomError};

use super::Words;

impl Words for EmailProblem {
    fn words(&self) -> String {
        match self {
            EmailProblem::NoAt => "An email address needs an @, like name@example.com.",
            EmailProblem::TwoAts => "An email address has only one @. Check for an extra one.",
            EmailProblem::NothingBeforeAt => "Add the part before the @, like name@example.com.",
            EmailProblem::NothingAfterAt => "Add the part after the @, like name@example.com.",
            EmailProblem::NoDotAfterAt => {
                "The part after the @ needs a full stop, like example.com or example.org.uk."
            }
            EmailProblem::DotAtEdge => "The part after the @ cannot start or end with a full stop.",
            EmailProblem::Spaces => "An email address cannot have spaces in it.",
        }
        .into()
    }
}

impl Words for AnswerError {
    fn words(&self) -> String {
        match self {
            AnswerError::HoursNotANumber => "Enter the hours as a number, like 35.",
            AnswerError::HoursTooMany => "There are 168 hours in a week. Enter a number from 0 to 168.",
            AnswerError::HoursWordsKept => "Your words are kept. If you can, add a rough number of hours too, like \"about 100\", so the plan can count them.",
            AnswerError::HoursSeveralNumbers => "Your words are kept. They have more than one number, so the plan cannot tell which is the hours a week. If you can, put \"about\" before that one, like \"about 100\".",
            AnswerError::NotADate => "Enter a real date, like 31 3 2027.",
            AnswerError::DateInPast => "The date must be today or in the future.",
        }
        .into()
    }
}

impl Words for FieldError {
    fn words(&self) -> String {
        match self {
            FieldError::TooLong { len, max } => format!("This answer is too long to keep. It has {len} characters and the most it can hold is {max}. Please make it shorter."),
            FieldError::NotAnEmail(problem) => problem.words(),
            FieldError::NotAPhoneNumber => {
                "A phone number can only have numbers, spaces, brackets, dashes and +.".into()
            }
        }
    }
}

impl Words for EditError {
    fn words(&self) -> String {
        match self {
            EditError::Field(e) => e.words(),
            EditError::Full { list, max } => {
                let what = match list {
                    List::People => "people you care for",
                    List::Actions => "actions",
                    List::Contacts => "emergency contacts",
                    List::Risks => "risks",
                };
                format!("A plan can hold up to {max} {what}. Remove one you no longer need to add another.")
            }
            EditError::Review(e) => e.words(),
            EditError::UnknownFramework => {
                "That is not a place this app knows. Please choose again.".into()
            }
        }
    }
}

impl Words for ReviewRuleError {
    fn words(&self) -> String {
        match self {
            ReviewRuleError::NotAgreedYet => "There is nothing to review yet: the plan has not been agreed and signed off.".into(),
            ReviewRuleError::AlreadyStarted => "A review of this plan has already started.".into(),
            ReviewRuleError::NotStarted => "No review of this plan has started.".into(),
            ReviewRuleError::NeedReason => "Say what has changed, so the review can start from it.".into(),
            ReviewRuleError::NotDueYet { due } => format!(
                "The planned review is not due until {}. To review the plan sooner, choose \u{201c}Something has changed\u{201d} and say what.",
                long_date(*due)
            ),
        }
    }
}

impl Words for SignRuleError {
    fn words(&self) -> String {
        match self {
            SignRuleError::CarerHasNotAgreed => "The carer has not agreed to this plan yet. Mark it ready to agree and send it to them, or, if they are with you, record that they agree.".into(),
            SignRuleError::MissingName => "Enter the carer's name and your name.".into(),
            SignRuleError::ReviewOutOfRange { earliest, latest } => format!(
                "The review date must be between {} and {}.",
                long_date(*earliest),
                long_date(*latest)
            ),
        }
    }
}

impl Words for RandomError {
    fn words(&self) -> String {
        "This device could not make a random identifier. Please try again.".into()
    }
}

/// What a copy over `limit` holds, finishing "This file holds …".
pub fn what_it_holds(limit: Limit) -> &'static str {
    match limit {
        Limit::AnswerLength => "an answer far longer than the app lets anyone type",
        Limit::ListLength => "a list far longer than a plan ever has",
        Limit::Areas => "more wellbeing areas than any framework has",
        Limit::Depth => "parts nested deeper than a plan is ever shaped",
        Limit::Changes => "more changes than years of typing would make",
        Limit::Actors => "changes from more devices than a plan ever has",
        Limit::Size => "far more data than a plan holds",
    }
}

/// The question of the review round for each area: "Has this changed
/// since 23 November 2026?"
pub fn area_question(open: &OpenReview) -> String {
    format!("Has this changed since {}?", long_date_of_ms(open.since))
}

/// The tag of a review date that needs attention: "Review due soon",
/// "Review overdue".
pub fn flag_tag(flag: ReviewFlag) -> &'static str {
    match flag {
        ReviewFlag::DueSoon { .. } => "Review due soon",
        ReviewFlag::Overdue { .. } => "Review overdue",
    }
}

/// Its sentence: "The review is due in 12 days, on 18 January 2027."
pub fn flag_sentence(flag: ReviewFlag) -> String {
    let plural = |days: i64| if days == 1 { "" } else { "s" };
    match flag {
        ReviewFlag::DueSoon { due, days: 0 } => {
            format!("The review is due today, {}.", long_date(due))
        }
        ReviewFlag::DueSoon { due, days } => format!(
            "The review is due in {days} day{}, on {}.",
            plural(days),
            long_date(due)
        ),
        ReviewFlag::Overdue { due, days } => format!(
            "The review was due on {}, {days} day{} ago.",
            long_date(due),
            plural(days)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checks_say_what_is_wrong_with_the_answer() {
        let long = FieldError::TooLong {
            len: 50_000,
            max: 2_000,
        };
        assert!(
            long.words().contains("50000 characters"),
            "{}",
            long.words()
        );
        // An address with an @: say what is actually wrong.
        let wrong = FieldError::NotAnEmail(EmailProblem::NoDotAfterAt).words();
        assert!(wrong.contains("full stop"), "{wrong}");
        assert!(!wrong.contains("has an @"));
        let full = EditError::Full {
            list: List::People,
            max: 50,
        };
        assert!(full.words().contains("up to 50 people you care for"));
    }
}
