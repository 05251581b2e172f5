//! Checking answers that are not free text: numbers (the hours a week, read
//! from the carer's words, and how they read back), dates and email
//! addresses. Each check
//! gives a typed reason (the browser layer says it beside the field, in
//! `web/words/`); nothing is written when a check fails.

use chrono::NaiveDate;
use thiserror::Error;

/// Why a typed email address does not look like one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Error)]
pub enum EmailProblem {
    #[error("no @")]
    NoAt,
    #[error("more than one @")]
    TwoAts,
    #[error("nothing before the @")]
    NothingBeforeAt,
    #[error("nothing after the @")]
    NothingAfterAt,
    #[error("no dot after the @")]
    NoDotAfterAt,
    #[error("a dot at the start or end of the part after the @")]
    DotAtEdge,
    #[error("spaces in an email address")]
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

/// Why a typed number or date was not taken (or, for the hours, what to
/// tell the person though their words are kept).
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum AnswerError {
    #[error("hours not a number")]
    HoursNotANumber,
    #[error("more than 168 hours a week")]
    HoursTooMany,
    #[error("hours in words with no number")]
    HoursWordsKept,
    #[error("hours in words with more than one number")]
    HoursSeveralNumbers,
    #[error("not a date")]
    NotADate,
    #[error("a date in the past")]
    DateInPast,
}

/// How the hours a carer typed read: the words are always kept; a number
/// is read from them when they give one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Hours {
    pub hours: Option<u32>,
    /// Something to tell the person when they press Continue (their words
    /// are kept all the same).
    pub note: Option<AnswerError>,
}

/// A number found in the carer's words, and what is said around it.
struct Found {
    value: f64,
    /// "about 120", "around 100", "roughly 90": the number she means.
    marked: bool,
    /// "10 hours a day", "8 a day": a day's hours, counted seven times.
    a_day: bool,
}

const MARKERS: [&str; 10] = [
    "about",
    "around",
    "roughly",
    "approximately",
    "approx",
    "nearly",
    "maybe",
    "probably",
    "~",
    "over",
];
const A_DAY: [&str; 5] = ["a day", "per day", "each day", "every day", "daily"];

/// The numbers in `s` (a decimal point kept: "37.5"), each with what is
/// said around it. "24/7" (or "24-7", "24 7") means all the time, not a
/// figure: it is left out, as is any other pair written with a slash.
fn numbers_in(s: &str) -> Vec<Found> {
    let lower = s.to_lowercase();
    let b = lower.as_bytes();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i].is_ascii_digit() {
            let start = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            if i + 1 < b.len() && b[i] == b'.' && b[i + 1].is_ascii_digit() {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            runs.push((start, i));
        } else {
            i += 1;
        }
    }
    let between = |a: (usize, usize), c: (usize, usize)| lower[a.1..c.0].trim();
    let mut skip = vec![false; runs.len()];
    for k in 1..runs.len() {
        let gap = between(runs[k - 1], runs[k]);
        let pair = (
            &lower[runs[k - 1].0..runs[k - 1].1],
            &lower[runs[k].0..runs[k].1],
        );
        if gap == "/" || (pair == ("24", "7") && (gap == "-" || gap.is_empty())) {
            skip[k - 1] = true;
            skip[k] = true;
        }
    }
    runs.iter()
        .zip(skip)
        .filter(|(_, s)| !s)
        .filter_map(|(&(a, z), _)| {
            let value = lower[a..z].parse::<f64>().ok()?;
            let before = lower[..a].trim_end();
            let marked = MARKERS.iter().any(|m| before.ends_with(m));
            let after = lower[z..].trim_start();
            let after = after
                .strip_prefix("hours")
                .or_else(|| after.strip_prefix("hour"))
                .or_else(|| after.strip_prefix("hrs"))
                .or_else(|| after.strip_prefix("h "))
                .unwrap_or(after)
                .trim_start();
            let a_day = A_DAY.iter().any(|d| after.starts_with(d));
            Some(Found {
                value,
                marked,
                a_day,
            })
        })
        .collect()
}

/// Read hours of care a week from the carer's words: "70", "about 80",
/// "70 hours", "24/7, about 120" (120), "10 hours a day" (70) give a
/// number; "24/7" or "most of the day" are kept as words with a note asking
/// for a rough number; over 168, or several numbers with none marked
/// ("about"), are a note too.
pub fn hours_from_words(input: &str) -> Hours {
    let s = input.trim();
    let note = |n| Hours {
        hours: None,
        note: Some(n),
    };
    if s.is_empty() {
        return Hours {
            hours: None,
            note: None,
        };
    }
    if s.starts_with('-') {
        return note(AnswerError::HoursNotANumber);
    }
    let found = numbers_in(s);
    let marked: Vec<&Found> = found.iter().filter(|f| f.marked).collect();
    let one: &Found = match (found.as_slice(), marked.as_slice()) {
        ([], _) => return note(AnswerError::HoursWordsKept),
        ([f], _) => f,
        (_, [f]) => f,
        (all, _)
            if all
                .iter()
                .all(|f| f.value == all[0].value && f.a_day == all[0].a_day) =>
        {
            &all[0]
        }
        _ => return note(AnswerError::HoursSeveralNumbers),
    };
    let week = if one.a_day && one.value <= 24.0 {
        one.value * 7.0
    } else {
        one.value
    };
    if week > 168.0 {
        return note(AnswerError::HoursTooMany);
    }
    Hours {
        hours: Some(week.round() as u32),
        note: None,
    }
}

impl super::model::CaringRole {
    /// The hours a week the plan counts: the one source for the summary,
    /// the worker's screens and the returns. Read from her words when she
    /// wrote any (so a plan saved before a number could be read from
    /// "24/7, about 120" counts it too), else the number alone.
    pub fn hours(&self) -> Option<u32> {
        if self.hours_words.trim().is_empty() {
            self.hours_per_week
        } else {
            hours_from_words(&self.hours_words).hours
        }
    }
}

/// The hours as the carer gave them, and the number the plan counts:
/// "70 hours" for a plain number; her words with the number read from them
/// ("24/7, about 120 (120 hours a week)"); words with no number say so
/// ("24/7 (hours not given as a number)").
pub fn hours_shown(r: &super::model::CaringRole) -> Option<String> {
    let words = r.hours_words.trim();
    match (words.is_empty(), r.hours()) {
        (true, None) => None,
        (true, Some(h)) => Some(format!("{h} hours")),
        (false, Some(h)) if words == h.to_string() => Some(format!("{h} hours")),
        (false, Some(h)) => Some(format!("{words} ({h} hours a week)")),
        (false, None) => Some(format!("{words} ({HOURS_NOT_A_NUMBER})")),
    }
}

/// What the summary and the worker's screens say when her words about the
/// hours hold no number the plan can count.
pub const HOURS_NOT_A_NUMBER: &str = "hours not given as a number";

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
    fn the_number_in_her_words_is_the_one_counted() {
        let h = |s: &str| hours_from_words(s);
        assert_eq!(
            h("24/7, about 120"),
            Hours {
                hours: Some(120),
                note: None
            }
        );
        assert_eq!(h("24/7 about 120 hours").hours, Some(120));
        assert_eq!(h("24-7, around 100").hours, Some(100));
        assert_eq!(h("24 7").note, Some(AnswerError::HoursWordsKept));
        assert_eq!(h("24/7").hours, None);
        assert_eq!(h("10 hours a day").hours, Some(70));
        assert_eq!(h("about 8 a day").hours, Some(56));
        assert_eq!(h("37.5").hours, Some(38));
        assert_eq!(h("35 hours, 35 a week").hours, Some(35));
        assert_eq!(
            h("40 at home and 20 at my mum's").note,
            Some(AnswerError::HoursSeveralNumbers)
        );
        assert_eq!(h("2 people, about 60 hours").hours, Some(60));
        assert_eq!(h("about 200").note, Some(AnswerError::HoursTooMany));
        // No note asks for a number she gave.
        for said in ["24/7, about 120", "about 80", "10 hours a day"] {
            assert_eq!(h(said).note, None, "{said}");
        }
    }

    #[test]
    fn hours_read_as_her_words_and_the_number_counted() {
        let said = |words: &str, number: Option<u32>| {
            hours_shown(&super::super::model::CaringRole {
                hours_words: words.into(),
                hours_per_week: number,
                ..Default::default()
            })
        };
        // A plan saved before the number was read from these words counts it.
        for (words, number, shown) in [
            (
                "24/7, about 120",
                None,
                "24/7, about 120 (120 hours a week)",
            ),
            ("24/7", None, "24/7 (hours not given as a number)"),
            ("70", Some(70), "70 hours"),
            ("", Some(35), "35 hours"),
        ] {
            assert_eq!(said(words, number).as_deref(), Some(shown));
        }
        assert_eq!(said("", None), None);
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
