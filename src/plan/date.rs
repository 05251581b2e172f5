//! Calendar dates in the document, and the review dates that follow from them.
//!
//! Dates are stored as ISO 8601 strings ("2026-11-23") so the document reads
//! the same from Automerge's other implementations.

use chrono::{Datelike, Months, NaiveDate};

/// autosurgeon mapping for `Option<NaiveDate>` fields (`#[autosurgeon(with = "...")]`).
pub(crate) mod optional_date {
    use autosurgeon::{Hydrate, HydrateError, Prop, ReadDoc, Reconciler};
    use chrono::NaiveDate;

    pub(crate) fn hydrate<D: ReadDoc>(
        doc: &D,
        obj: &automerge::ObjId,
        prop: Prop<'_>,
    ) -> Result<Option<NaiveDate>, HydrateError> {
        let raw = Option::<String>::hydrate(doc, obj, prop)?;
        match raw.as_deref() {
            None | Some("") => Ok(None),
            Some(s) => NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .map(Some)
                .map_err(|_| HydrateError::unexpected("a date like 2026-11-23", s.to_owned())),
        }
    }

    pub(crate) fn reconcile<R: Reconciler>(
        value: &Option<NaiveDate>,
        mut r: R,
    ) -> Result<(), R::Error> {
        match value {
            Some(d) => r.str(d.format("%Y-%m-%d").to_string()),
            None => r.none(),
        }
    }
}

/// The first review is six to eight weeks after sign-off: we suggest the
/// later end so the carer has time to try the support agreed.
pub fn first_review_due(signed_off: NaiveDate) -> NaiveDate {
    signed_off + chrono::Duration::weeks(8)
}

/// The earliest date the first review may reasonably be set.
pub fn first_review_earliest(signed_off: NaiveDate) -> NaiveDate {
    signed_off + chrono::Duration::weeks(6)
}

/// After the first review, at least yearly. 29 February falls back to 28 February.
pub fn next_yearly_review(last_review: NaiveDate) -> NaiveDate {
    last_review
        .checked_add_months(Months::new(12))
        .unwrap_or_else(|| last_review + chrono::Duration::days(365))
}

/// "23 November 2026": the plain way to show a date.
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), d.format("%B"), d.year())
}

/// The day of a moment given in milliseconds since 1970, as [`long_date`]
/// writes it ("" for a moment that cannot be a date).
pub fn long_date_of_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| long_date(d.date_naive()))
        .unwrap_or_default()
}

/// How long ago, in words: "just now", "2 minutes ago", "3 hours ago",
/// else the date.
pub fn ago(now_ms: i64, then_ms: i64) -> String {
    let minutes = (now_ms - then_ms).max(0) / 60_000;
    match minutes {
        0 => "just now".into(),
        1 => "1 minute ago".into(),
        2..=59 => format!("{minutes} minutes ago"),
        60..=119 => "1 hour ago".into(),
        120..=1439 => format!("{} hours ago", minutes / 60),
        _ => format!("on {}", long_date_of_ms(then_ms)),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn ago_reads_as_people_say_it() {
        let t = 1_795_000_000_000;
        assert_eq!(super::ago(t + 30_000, t), "just now");
        assert_eq!(super::ago(t + 120_000, t), "2 minutes ago");
        assert_eq!(super::ago(t + 3 * 3_600_000, t), "3 hours ago");
        assert!(super::ago(t + 3 * 86_400_000, t).starts_with("on "));
    }

    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).unwrap()
    }

    #[test]
    fn first_review_is_six_to_eight_weeks_after_sign_off() {
        let signed = d(2026, 11, 23);
        assert_eq!(first_review_earliest(signed), d(2027, 1, 4));
        assert_eq!(first_review_due(signed), d(2027, 1, 18));
    }

    #[test]
    fn later_reviews_are_yearly_even_from_a_leap_day() {
        assert_eq!(next_yearly_review(d(2027, 1, 18)), d(2028, 1, 18));
        assert_eq!(next_yearly_review(d(2028, 2, 29)), d(2029, 2, 28));
    }

    #[test]
    fn dates_read_plainly() {
        assert_eq!(long_date(d(2026, 11, 3)), "3 November 2026");
    }
}
