//! "Add the review to my calendar": the next review as an iCalendar event
//! (RFC 5545), made on the device. One all-day event with a reminder the
//! day before; lines end CRLF and are folded at 75 octets; text values are
//! escaped.

use chrono::{DateTime, NaiveDate, Timelike, Utc};

use super::date::{iso, iso_basic};

/// What the event says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewEvent<'a> {
    /// The plan's id: with the date, the event's UID, so downloading it
    /// again updates the same event rather than adding another.
    pub plan_id: &'a super::PlanId,
    pub due: NaiveDate,
    /// "Review of my carer support plan".
    pub summary: &'a str,
    pub description: &'a str,
}

/// Escape a TEXT value (RFC 5545, 3.3.11): backslash, semicolon, comma and
/// newlines.
pub fn escape_text(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => out.push_str("\\\\"),
            ';' => out.push_str("\\;"),
            ',' => out.push_str("\\,"),
            '\r' => {
                if chars.peek() == Some(&'\n') {
                    chars.next();
                }
                out.push_str("\\n");
            }
            '\n' => out.push_str("\\n"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// Fold a content line (RFC 5545, 3.1): no line longer than 75 octets,
/// each continuation starting with one space, never splitting a character.
pub fn fold(line: &str) -> String {
    let mut out = String::with_capacity(line.len() + line.len() / 70 * 3);
    let mut width = 0;
    for c in line.chars() {
        let n = c.len_utf8();
        if width + n > 75 {
            out.push_str("\r\n ");
            width = 1;
        }
        out.push(c);
        width += n;
    }
    out.push_str("\r\n");
    out
}

/// The .ics file's text.
pub fn review_ics(event: &ReviewEvent, now: DateTime<Utc>) -> String {
    let next_day = event.due.succ_opt().unwrap_or(event.due);
    let lines = [
        "BEGIN:VCALENDAR".to_owned(),
        "VERSION:2.0".to_owned(),
        "PRODID:-//Carer Support Plan//Review reminder//EN".to_owned(),
        "CALSCALE:GREGORIAN".to_owned(),
        "METHOD:PUBLISH".to_owned(),
        "BEGIN:VEVENT".to_owned(),
        format!(
            "UID:review-{}-{}@carer-support-plan",
            event.plan_id,
            iso_basic(event.due)
        ),
        format!(
            "DTSTAMP:{}T{:02}{:02}{:02}Z",
            iso_basic(now.date_naive()),
            now.hour(),
            now.minute(),
            now.second()
        ),
        format!("DTSTART;VALUE=DATE:{}", iso_basic(event.due)),
        format!("DTEND;VALUE=DATE:{}", iso_basic(next_day)),
        format!("SUMMARY:{}", escape_text(event.summary)),
        format!("DESCRIPTION:{}", escape_text(event.description)),
        "TRANSP:TRANSPARENT".to_owned(),
        "BEGIN:VALARM".to_owned(),
        "ACTION:DISPLAY".to_owned(),
        format!(
            "DESCRIPTION:{}",
            escape_text(&format!("Tomorrow: {}", event.summary))
        ),
        "TRIGGER:-P1D".to_owned(),
        "END:VALARM".to_owned(),
        "END:VEVENT".to_owned(),
        "END:VCALENDAR".to_owned(),
    ];
    lines.iter().map(|l| fold(l)).collect()
}

/// The file's name: "support-plan-review-2027-01-18.ics".
pub fn file_name(due: NaiveDate) -> String {
    format!("support-plan-review-{}.ics", iso(due))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ics(summary: &str, description: &str) -> String {
        let now = DateTime::from_timestamp(1_795_000_000, 0).unwrap();
        review_ics(
            &ReviewEvent {
                plan_id: &"0123456789abcdef0123456789abcdef".parse().unwrap(),
                due: NaiveDate::from_ymd_opt(2028, 2, 29).unwrap(),
                summary,
                description,
            },
            now,
        )
    }

    #[test]
    fn an_all_day_event_with_a_reminder_the_day_before() {
        let text = ics("Review of my carer support plan", "Bring the plan.");
        assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"));
        assert!(text.ends_with("END:VCALENDAR\r\n"));
        assert!(
            !text.replace("\r\n", "").contains('\n'),
            "every line ends CRLF"
        );
        for needle in [
            "\r\nUID:review-0123456789abcdef0123456789abcdef-20280229@carer-support-plan\r\n",
            "\r\nDTSTAMP:20261118T110640Z",
            "\r\nDTSTART;VALUE=DATE:20280229\r\n",
            "\r\nDTEND;VALUE=DATE:20280301\r\n",
            "\r\nSUMMARY:Review of my carer support plan\r\n",
            "\r\nBEGIN:VALARM\r\nACTION:DISPLAY\r\n",
            "\r\nTRIGGER:-P1D\r\nEND:VALARM\r\nEND:VEVENT\r\n",
        ] {
            assert!(text.contains(needle), "{needle:?} in\n{text}");
        }
    }

    #[test]
    fn text_is_escaped() {
        assert_eq!(
            escape_text("Brown, Ann; C:\\plans\r\nline two\nthree"),
            "Brown\\, Ann\\; C:\\\\plans\\nline two\\nthree"
        );
        let text = ics("Review: Ann, Jo; and \\ Sam", "a\nb");
        assert!(text.contains("\r\nSUMMARY:Review: Ann\\, Jo\\; and \\\\ Sam\r\n"));
        assert!(text.contains("\r\nDESCRIPTION:a\\nb\r\n"));
    }

    #[test]
    fn long_lines_fold_at_75_octets_without_splitting_a_character() {
        let long = "Ré".repeat(60); // 180 octets: "é" is two
        let text = ics(&long, "x");
        for line in text.split("\r\n") {
            assert!(line.len() <= 75, "{} octets: {line:?}", line.len());
        }
        // Unfolding (remove CRLF + space) gives the line back.
        let unfolded = text.replace("\r\n ", "");
        assert!(unfolded.contains(&format!("\r\nSUMMARY:{long}\r\n")));
        assert_eq!(fold(&"a".repeat(75)), format!("{}\r\n", "a".repeat(75)));
        assert_eq!(
            fold(&"a".repeat(76)),
            format!("{}\r\n a\r\n", "a".repeat(75))
        );
    }
}
