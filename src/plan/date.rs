//! Calendar dates in the document, and the review dates that follow from them.
//!
//! Dates are stored as ISO 8601 strings ("2026-11-23") so the document reads
//! the same from Automerge's other implementations.

use chrono::{Datelike, Months, NaiveDate, Timelike};

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
            Some(s) => super::parse_iso(s)
                .map(Some)
                .ok_or_else(|| HydrateError::unexpected("a date like 2026-11-23", s.to_owned())),
        }
    }

    pub(crate) fn reconcile<R: Reconciler>(
        value: &Option<NaiveDate>,
        mut r: R,
    ) -> Result<(), R::Error> {
        match value {
            Some(d) => r.str(super::iso(*d)),
            None => r.none(),
        }
    }
}

/// serde mapping for `Option<NaiveDate>` fields of stored JSON (`#[serde(with
/// = "...")]`): the date as "2026-11-23", as entries have always held it;
/// anything else reads as no date, as it always did.
pub(crate) mod optional_iso {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &Option<NaiveDate>, s: S) -> Result<S::Ok, S::Error> {
        match d {
            Some(d) => s.serialize_some(&super::iso(*d)),
            None => s.serialize_none(),
        }
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(
        d: D,
    ) -> Result<Option<NaiveDate>, D::Error> {
        let raw = Option::<String>::deserialize(d)?;
        Ok(raw.as_deref().and_then(super::parse_iso))
    }
}

/// serde mapping for a `NaiveDate` (a named change sent to the engine
/// worker): the date as "2026-11-23"; anything else is not a date.
pub(crate) mod iso {
    use chrono::NaiveDate;
    use serde::{de::Error, Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &NaiveDate, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&super::iso(*d))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveDate, D::Error> {
        let raw = String::deserialize(d)?;
        super::parse_iso(&raw).ok_or_else(|| D::Error::custom("not a date"))
    }
}

/// serde mapping for a list of dates (a read model sent from the engine
/// worker to the page): each as "2026-11-23"; one that is not a date
/// is left out.
pub(crate) mod iso_list {
    use chrono::NaiveDate;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(d: &[NaiveDate], s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(d.iter().map(|d| super::iso(*d)))
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<NaiveDate>, D::Error> {
        let raw = Vec::<String>::deserialize(d)?;
        Ok(raw.iter().filter_map(|s| super::parse_iso(s)).collect())
    }
}

/// The calendar date at a moment (milliseconds since 1970) where the clock
/// is `offset_minutes` ahead of UTC (60 in British Summer Time): the
/// person's own "today", which decides whether a review is due. The
/// browser layer works it out once, from the browser's time zone.
pub fn local_date(ms: i64, offset_minutes: i64) -> Option<NaiveDate> {
    chrono::DateTime::from_timestamp_millis(ms.checked_add(offset_minutes.checked_mul(60_000)?)?)
        .map(|d| d.date_naive())
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

/// Dates are written and read here rather than with chrono's `format` and
/// `parse_from_str`, whose strftime parser and formatter cost the browser's
/// download about 12 KB gzip.
const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// "2026-11-23": the ISO 8601 form the document stores and `<input
/// type="date">` uses.
pub fn iso(d: NaiveDate) -> String {
    format!("{:04}-{:02}-{:02}", d.year(), d.month(), d.day())
}

/// "20261123": ISO 8601's basic form, iCalendar's DATE value.
pub fn iso_basic(d: NaiveDate) -> String {
    format!("{:04}{:02}{:02}", d.year(), d.month(), d.day())
}

/// "2026-11-23": the day of a moment given in milliseconds since 1970 (""
/// for a moment that cannot be a date).
pub fn iso_of_ms(ms: i64) -> String {
    chrono::DateTime::from_timestamp_millis(ms)
        .map(|d| iso(d.date_naive()))
        .unwrap_or_default()
}

/// The date an ISO 8601 "2026-11-23" names, if it is one.
pub fn parse_iso(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b[r.clone()]
            .iter()
            .all(u8::is_ascii_digit)
            .then(|| s[r].parse::<u32>().ok())
            .flatten()
    };
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let year = i32::try_from(digits(0..4)?).ok()?;
    NaiveDate::from_ymd_opt(year, digits(5..7)?, digits(8..10)?)
}

/// "23 November 2026": the plain way to show a date.
pub fn long_date(d: NaiveDate) -> String {
    format!("{} {} {}", d.day(), MONTHS[d.month0() as usize], d.year())
}

/// "3 Nov": the day and the month's first three letters.
pub fn day_short_month(d: NaiveDate) -> String {
    format!("{} {}", d.day(), &MONTHS[d.month0() as usize][..3])
}

/// "09:05": a time of day on the 24-hour clock.
pub fn hours_minutes(t: impl Timelike) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
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
        assert_eq!(super::iso_of_ms(t), "2026-11-18");
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
        assert_eq!(long_date(d(2027, 1, 18)), "18 January 2027");
        for day in [d(2026, 11, 3), d(2027, 5, 31), d(2028, 9, 18)] {
            assert_eq!(day_short_month(day), day.format("%-d %b").to_string());
        }
        let t = chrono::NaiveTime::from_hms_opt(9, 5, 0).unwrap();
        assert_eq!(hours_minutes(t), "09:05");
    }

    #[test]
    fn iso_dates_round_trip_and_nothing_else_is_one() {
        for day in [d(2026, 11, 23), d(2028, 2, 29), d(1999, 1, 1), d(2, 3, 4)] {
            assert_eq!(parse_iso(&iso(day)), Some(day));
            assert_eq!(iso(day), day.format("%Y-%m-%d").to_string());
            assert_eq!(iso_basic(day), day.format("%Y%m%d").to_string());
        }
        for bad in [
            "",
            "2026-11-2",
            "2026-13-01",
            "2027-02-29",
            "2026/11/23",
            "2026-11-23x",
            "+026-11-23",
            "2026-1a-23",
            "٢٠٢٦-11-23",
        ] {
            assert_eq!(parse_iso(bad), None, "{bad}");
        }
    }
}
