//! The caseload's returns: one CSV row per plan episode, for the reports a
//! council makes (Scotland's Carers Census, England's Client Level Data).
//! The column list, and which columns follow which national
//! specification, is in docs/returns.md.
//!
//! Written by the `csv` crate (quotes, commas and line breaks escaped as
//! RFC 4180 says); every cell that a spreadsheet would read as a formula
//! (starting `=`, `+`, `-`, `@`, a tab or a carriage return) is neutralised
//! with a leading apostrophe, as OWASP advises for CSV injection.

use chrono::NaiveDate;

use crate::plan::date::iso_of_ms;
use crate::plan::framework::Framework;
use crate::plan::{Continue, Plan};

/// The columns every export has, before the per-area ones.
const FIXED: [&str; 12] = [
    "carer_local_reference",
    "carer_name",
    "episode",
    "framework",
    "acsp_requested_date",
    "acsp_completed_date",
    "is_review",
    "next_review_date",
    "hours_caring_per_week",
    "hours_caring_per_week_band",
    "able_to_continue_caring",
    "willing_to_continue_caring",
];

/// A cell made safe to open in a spreadsheet: a leading apostrophe before
/// anything a spreadsheet would run as a formula.
pub fn neutralise(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

fn iso(d: Option<NaiveDate>) -> String {
    d.map(crate::plan::date::iso).unwrap_or_default()
}

/// The value of both hours cells when the plan has no number of hours:
/// the carer did not answer, or answered in words with no number ("24/7").
/// Never an empty cell, so a missing figure is never read as a gap in the
/// export (docs/returns.md).
pub const HOURS_NOT_GIVEN: &str = "not-given";

/// Hours of care a week in the Carers Census bands.
pub fn hours_band(hours: Option<u32>) -> &'static str {
    match hours {
        None => HOURS_NOT_GIVEN,
        Some(0..=4) => "0-4",
        Some(5..=19) => "5-19",
        Some(20..=34) => "20-34",
        Some(35..=49) => "35-49",
        Some(_) => "50+",
    }
}

fn continuing(c: Option<Continue>) -> &'static str {
    match c {
        None => "",
        Some(Continue::Yes) => "yes",
        Some(Continue::WithHelp) => "with-help",
        Some(Continue::No) => "no",
        Some(Continue::NotSure) => "not-sure",
    }
}

/// The area ids of the frameworks these plans use, in framework order,
/// each once: the per-area columns.
fn areas(plans: &[Plan]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for p in plans {
        for ind in &Framework::for_plan(&p.framework).indicators {
            if !out.contains(&ind.id) {
                out.push(ind.id.clone());
            }
        }
    }
    out
}

/// The header row for these plans.
pub fn header(plans: &[Plan]) -> Vec<String> {
    let areas = areas(plans);
    let mut h: Vec<String> = FIXED.iter().map(|s| s.to_string()).collect();
    h.extend(areas.iter().map(|a| format!("impact_{a}")));
    h.push("highest_impact".into());
    h.push("eligible_local_threshold".into());
    h.push("break_from_caring_needed".into());
    h.push("support_actions_total".into());
    h.extend(areas.iter().map(|a| format!("support_actions_{a}")));
    h.push("support_actions_no_area".into());
    h
}

/// The agreed rating of an area: the worker's where given, else the carer's.
fn rating<'a>(plan: &'a Plan, area: &str) -> Option<&'a str> {
    let a = plan.wellbeing.get(area)?;
    a.worker_rating.as_deref().or(a.rating.as_deref())
}

/// The row of one plan's current episode, in [`header`]'s order.
pub fn row(plan: &Plan, areas: &[String]) -> Vec<String> {
    let fw = Framework::for_plan(&plan.framework);
    let signed = match (&plan.sign_off.carer, &plan.sign_off.worker) {
        (Some(c), Some(w)) => iso_of_ms(c.at.max(w.at)),
        _ => String::new(),
    };
    let yes_no = |b: bool| if b { "Y" } else { "N" }.to_owned();
    let is_review = plan.review.last_reviewed.is_some() || plan.sign_off.signed_versions.len() > 1;
    let mut r = vec![
        plan.plan_id.to_string(),
        plan.carer.name.trim().to_owned(),
        "1".into(),
        fw.id.clone(),
        iso_of_ms(plan.created_at),
        signed,
        yes_no(is_review),
        iso(plan.review.next_due),
        plan.caring_role
            .hours()
            .map_or_else(|| HOURS_NOT_GIVEN.to_owned(), |h| h.to_string()),
        hours_band(plan.caring_role.hours()).into(),
        continuing(plan.caring_role.able_to_continue).into(),
        continuing(plan.caring_role.willing_to_continue).into(),
    ];
    let ranks: Vec<Option<usize>> = areas
        .iter()
        .map(|a| rating(plan, a).and_then(|l| fw.rank(l)))
        .collect();
    for a in areas {
        r.push(
            rating(plan, a)
                .filter(|l| fw.rank(l).is_some())
                .unwrap_or("")
                .to_owned(),
        );
    }
    let highest = ranks.iter().flatten().max().copied();
    r.push(highest.map(|h| fw.levels[h].id.clone()).unwrap_or_default());
    r.push(match (highest, fw.rank(&fw.threshold)) {
        (Some(h), Some(t)) => yes_no(h >= t),
        _ => String::new(),
    });
    r.push(plan.needs.break_needed.map(yes_no).unwrap_or_default());
    r.push(plan.actions.len().to_string());
    for a in areas {
        let n = plan
            .actions
            .iter()
            .filter(|x| x.area.as_deref() == Some(a))
            .count();
        r.push(n.to_string());
    }
    let no_area = plan
        .actions
        .iter()
        .filter(|x| {
            x.area
                .as_deref()
                .is_none_or(|a| !areas.iter().any(|b| b == a))
        })
        .count();
    r.push(no_area.to_string());
    r
}

/// Why the returns CSV was not written (`web/words/` says it to the person).
#[derive(Debug, thiserror::Error)]
pub enum ReturnsError {
    #[error("a row not written")]
    Row(#[from] csv::Error),
    #[error("the CSV not flushed")]
    Flush(#[source] std::io::Error),
    #[error("the CSV not UTF-8")]
    Text(#[from] std::string::FromUtf8Error),
}

/// Rows written as CSV: every cell neutralised, then escaped by the writer.
pub fn write_rows(rows: &[Vec<String>]) -> Result<String, ReturnsError> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::new());
    for r in rows {
        w.write_record(r.iter().map(|c| neutralise(c)))?;
    }
    let bytes = w
        .into_inner()
        .map_err(|e| ReturnsError::Flush(e.into_error()))?;
    Ok(String::from_utf8(bytes)?)
}

/// The returns CSV of these plans: a header row, then one row a plan episode.
pub fn csv(plans: &[Plan]) -> Result<String, ReturnsError> {
    let areas = areas(plans);
    let mut rows = vec![header(plans)];
    rows.extend(plans.iter().map(|p| row(p, &areas)));
    write_rows(&rows)
}
