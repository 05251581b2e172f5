//! Checking answers that are not free text: numbers, dates and email
//! addresses. Each check
//! gives a kind message to show beside the field; nothing is written when
//! a check fails.

use chrono::NaiveDate;
use thiserror::Error;

/// Why a typed email address does not look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailProblem {
    #[error("An email address needs an @, like name@example.com.")]
    NoAt,
    #[error("An email address has only one @. Check for an extra one.")]
    TwoAts,
    #[error("Add the part before the @, like name@example.com.")]
    NothingBeforeAt,
    #[error("Add the part after the @, like name@example.com.")]
    NothingAfterAt,
    #[error("The part after the @ needs a full stop, like example.com or example.org.uk.")]
    NoDotAfterAt,
    #[error("The part after the @ cannot start or end with a full stop.")]
    DotAtEdge,
    #[error("An email address cannot have spaces in it.")]
    Spaces,
}

impl EmailProblem {
    /// What, if anything, is wrong with `v` as an email address.
    pub fn of(v: &str) -> Option<EmailProblem> {
        if v.contains(char::is_whitespace) {
            return Some(EmailProblem::Spaces);
        }
        let Some((local, domain)) = v.split_once('@') else {
            return Some(EmailProblem::NoAt);
        };
        Some(if domain.contains('@') {
            EmailProblem::TwoAts
        } else if local.is_empty() {
            EmailProblem::NothingBeforeAt
        } else if domain.is_empty() {
            EmailProblem::NothingAfterAt
        } else if domain.starts_with('.') || domain.ends_with('.') {
            EmailProblem::DotAtEdge
        } else if !domain.contains('.') {
            EmailProblem::NoDotAfterAt
        } else {
            return None;
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    #[error("Enter the hours as a number, like 35.")]
    HoursNotANumber,
    #[error("There are 168 hours in a week. Enter a number from 0 to 168.")]
    HoursTooMany,
    #[error("Your words are kept. If you can, add a rough number of hours too, like \"about 100\", so the plan can count them.")]
    HoursWordsKept,
    #[error("Enter a real date, like 31 3 2027.")]
    NotADate,
    #[error("The date must be today or in the future.")]
    DateInPast,
}

/// How the hours a carer typed read: the words are always kept; a number
/// is read from them when they hold exactly one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    pub hours: Option<u32>,
    /// Something to tell the person when they leave the field (their words
    /// are kept all the same).
    pub note: Option<AnswerError>,
}

/// Read hours of care a week from the carer's words: "70", "about 80",
/// "70 hours" give a number; "24/7" or "most of the day" are kept as words
/// with a note asking for a rough number; over 168 is a note too.
pub fn hours_from_words(input: &str) -> Hours {
    let s = input.trim();
    if s.is_empty() {
        return Hours {
            hours: None,
            note: None,
        };
    }
    let numbers: Vec<&str> = s
        .split(|c: char| !c.is_ascii_digit())
        .filter(|n| !n.is_empty())
        .collect();
    if s.starts_with('-') {
        return Hours {
            hours: None,
            note: Some(AnswerError::HoursNotANumber),
        };
    }
    match numbers.as_slice() {
        [n] => match n.parse::<u64>() {
            Ok(n) if n <= 168 => Hours {
                hours: Some(n as u32),
                note: None,
            },
            _ => Hours {
                hours: None,
                note: Some(AnswerError::HoursTooMany),
            },
        },
        _ => Hours {
            hours: None,
            note: Some(AnswerError::HoursWordsKept),
        },
    }
}

/// A date for something still to do: blank is "no date"; not before `today`.
pub fn future_date(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, AnswerError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = super::date::parse_iso(s).ok_or(AnswerError::NotADate)?;
    if d < today {
        return Err(AnswerError::DateInPast);
    }
    Ok(Some(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_keep_the_words_and_read_a_number_when_there_is_one() {
        assert_eq!(hours_from_words("70").hours, Some(70));
        assert_eq!(hours_from_words("about 80").hours, Some(80));
        assert_eq!(hours_from_words("about 80").note, None);
        let all_week = hours_from_words("24/7");
        assert_eq!(all_week.hours, None);
        assert_eq!(all_week.note, Some(AnswerError::HoursWordsKept));
        assert_eq!(
            hours_from_words("a lot").note,
            Some(AnswerError::HoursWordsKept)
        );
        assert_eq!(
            hours_from_words("500").note,
            Some(AnswerError::HoursTooMany)
        );
        assert_eq!(hours_from_words("500").hours, None);
        assert_eq!(
            hours_from_words("  "),
            Hours {
                hours: None,
                note: None
            }
        );
    }

    #[test]
    fn hours_are_a_week_at_most() {
        assert_eq!(
            hours_from_words(""),
            Hours {
                hours: None,
                note: None
            }
        );
        assert_eq!(hours_from_words(" 35 ").hours, Some(35));
        assert_eq!(hours_from_words("50 hours").hours, Some(50));
        assert_eq!(hours_from_words("168").hours, Some(168));
        assert_eq!(
            hours_from_words("500").note,
            Some(AnswerError::HoursTooMany)
        );
        assert_eq!(
            hours_from_words("lots").note,
            Some(AnswerError::HoursWordsKept)
        );
        assert_eq!(
            hours_from_words("-3"),
            Hours {
                hours: None,
                note: Some(AnswerError::HoursNotANumber)
            }
        );
    }

    #[test]
    fn future_actions_cannot_be_dated_in_the_past() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        assert_eq!(future_date("", today), Ok(None));
        assert_eq!(future_date("2026-11-23", today), Ok(Some(today)));
        assert_eq!(
            future_date("2026-11-22", today),
            Err(AnswerError::DateInPast)
        );
        assert_eq!(future_date("23/11/2026", today), Err(AnswerError::NotADate));
    }
}
