//! Checking answers that are not free text: numbers and dates. Each check
//! gives a kind message to show beside the field; nothing is written when
//! a check fails.

use chrono::NaiveDate;
use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    #[error("Enter the hours as a number, like 35.")]
    HoursNotANumber,
    #[error("There are 168 hours in a week. Enter a number from 0 to 168.")]
    HoursTooMany,
    #[error("Enter a real date, like 31 3 2027.")]
    NotADate,
    #[error("The date must be today or in the future.")]
    DateInPast,
}

/// Hours of care a week: blank is "not answered"; 0 to 168.
pub fn hours_per_week(input: &str) -> Result<Option<u32>, AnswerError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let n: u64 = s
        .trim_end_matches(|c: char| c.is_alphabetic() || c.is_whitespace())
        .parse()
        .map_err(|_| AnswerError::HoursNotANumber)?;
    if n > 168 {
        return Err(AnswerError::HoursTooMany);
    }
    Ok(Some(n as u32))
}

/// A date for something still to do: blank is "no date"; not before `today`.
pub fn future_date(input: &str, today: NaiveDate) -> Result<Option<NaiveDate>, AnswerError> {
    let s = input.trim();
    if s.is_empty() {
        return Ok(None);
    }
    let d = NaiveDate::parse_from_str(s, "%Y-%m-%d").map_err(|_| AnswerError::NotADate)?;
    if d < today {
        return Err(AnswerError::DateInPast);
    }
    Ok(Some(d))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hours_are_a_week_at_most() {
        assert_eq!(hours_per_week(""), Ok(None));
        assert_eq!(hours_per_week(" 35 "), Ok(Some(35)));
        assert_eq!(hours_per_week("50 hours"), Ok(Some(50)));
        assert_eq!(hours_per_week("168"), Ok(Some(168)));
        assert_eq!(hours_per_week("500"), Err(AnswerError::HoursTooMany));
        assert_eq!(hours_per_week("lots"), Err(AnswerError::HoursNotANumber));
        assert_eq!(hours_per_week("-3"), Err(AnswerError::HoursNotANumber));
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
