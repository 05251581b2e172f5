//! The small entry that lists a plan on the device without loading it.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::review::{review_flag, ReviewFlag};
use crate::plan::{Plan, PlanId};

/// One row of the device's list of plans. Stored beside the plan's chunks
/// and rewritten on every save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub plan_id: PlanId,
    /// The carer's preferred name or name; empty if not given yet.
    pub name: String,
    /// The carer's full name and preferred name, as given (entries written
    /// before these existed read them as "").
    #[serde(default)]
    pub full_name: String,
    #[serde(default)]
    pub preferred_name: String,
    /// Milliseconds since 1970 of the last change saved on this device.
    pub updated_at: i64,
    pub status: PlanStatus,
    /// When the plan was last sent by anyone (milliseconds), if ever.
    #[serde(default)]
    pub last_shared: Option<i64>,
    /// The next review date, stored as "2027-01-18" (a stored value that
    /// is not a date reads as none).
    #[serde(default, with = "super::date::optional_iso")]
    pub review_due: Option<NaiveDate>,
    /// The area with the highest impact the carer chose, and that level's
    /// label: ("Finances", "Critical").
    #[serde(default)]
    pub highest_impact: Option<(String, String)>,
    /// Its rank among the framework's levels (higher is more), for sorting.
    #[serde(default)]
    pub highest_rank: Option<usize>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PlanStatus {
    Draft,
    SignedOff,
}

impl PlanStatus {
    pub fn label(self) -> &'static str {
        match self {
            PlanStatus::Draft => "Draft",
            PlanStatus::SignedOff => "Signed off",
        }
    }
}

impl PlanSummary {
    pub fn of(plan: &Plan, updated_at: i64) -> Self {
        let signed = plan.sign_off.carer.is_some() && plan.sign_off.worker.is_some();
        let fw = super::framework::Framework::for_plan(&plan.framework);
        let highest = plan
            .wellbeing
            .iter()
            .filter_map(|(ind, area)| {
                let rating = area.rating.as_deref()?;
                let rank = fw.levels.iter().position(|l| l.id == rating)?;
                Some((rank, ind))
            })
            .max_by_key(|(rank, _)| *rank);
        Self {
            plan_id: plan.plan_id.clone(),
            name: plan.display_name().unwrap_or_default().to_owned(),
            full_name: plan.carer.name.trim().to_owned(),
            preferred_name: plan.carer.preferred_name.trim().to_owned(),
            updated_at,
            status: if signed {
                PlanStatus::SignedOff
            } else {
                PlanStatus::Draft
            },
            last_shared: plan.shares.iter().map(|s| s.at).max(),
            review_due: plan.review.next_due,
            highest_impact: highest.map(|(rank, ind)| {
                let area = fw
                    .indicator(ind)
                    .map(|i| i.name.clone())
                    .unwrap_or_else(|| ind.clone());
                (area, fw.levels[rank].label.clone())
            }),
            highest_rank: highest.map(|(rank, _)| rank),
        }
    }

    /// The carer as a worker finds them: "Margaret Brown (Peggy)", or the
    /// one name given.
    pub fn title(&self) -> String {
        let (full, preferred) = (self.full_name.trim(), self.preferred_name.trim());
        match (full.is_empty(), preferred.is_empty()) {
            (false, false) if !full.eq_ignore_ascii_case(preferred) => {
                format!("{full} ({preferred})")
            }
            (false, _) => full.to_owned(),
            (true, false) => preferred.to_owned(),
            (true, true) if !self.name.trim().is_empty() => self.name.trim().to_owned(),
            (true, true) => "Plan with no name yet".to_owned(),
        }
    }

    /// Whether a search finds this plan: any word of the full name, the
    /// preferred name, or the start of the plan's reference.
    pub fn matches(&self, query: &str) -> bool {
        let q = query.trim().to_lowercase();
        if q.is_empty() {
            return true;
        }
        [&self.full_name, &self.preferred_name, &self.name]
            .iter()
            .any(|n| n.to_lowercase().contains(&q))
            || self.plan_id.as_str().starts_with(&q)
    }

    /// The name to sort by: the full name where there is one.
    pub fn sort_name(&self) -> String {
        self.title().to_lowercase()
    }
}

/// What the caseload shows: one of these, chosen in its "Show" list. One
/// more kind of plan (such as "kept in step" with live sync) is one more
/// variant here, in [`CaseloadFilter::ALL`], and its arms below.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseloadFilter {
    All,
    /// Review due today or in the next 30 days.
    ReviewDue,
    /// Review date passed.
    Overdue,
    Draft,
    SignedOff,
    /// Kept in step live with the carer (live sync).
    KeptInStep,
}

impl CaseloadFilter {
    pub const ALL: [CaseloadFilter; 6] = [
        CaseloadFilter::All,
        CaseloadFilter::ReviewDue,
        CaseloadFilter::Overdue,
        CaseloadFilter::Draft,
        CaseloadFilter::SignedOff,
        CaseloadFilter::KeptInStep,
    ];

    pub fn code(self) -> &'static str {
        match self {
            CaseloadFilter::All => "all",
            CaseloadFilter::ReviewDue => "review-due",
            CaseloadFilter::Overdue => "overdue",
            CaseloadFilter::Draft => "draft",
            CaseloadFilter::SignedOff => "signed-off",
            CaseloadFilter::KeptInStep => "kept-in-step",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            CaseloadFilter::All => "All plans",
            CaseloadFilter::ReviewDue => "Review due in the next 30 days",
            CaseloadFilter::Overdue => "Review overdue",
            CaseloadFilter::Draft => "Draft",
            CaseloadFilter::SignedOff => "Signed off",
            CaseloadFilter::KeptInStep => "Kept in step",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|f| f.code() == code)
    }

    /// Whether a plan is shown, `today` being the carer's or worker's local
    /// date (the one rule for "due": `plan::review::review_flag`, as the
    /// plan's page and the caseload's tags say) and `kept_in_step` whether
    /// this device keeps it in step live (known to the browser layer, not
    /// the plan).
    pub fn keeps(self, s: &PlanSummary, today: NaiveDate, kept_in_step: bool) -> bool {
        let flag = || review_flag(s.review_due, today);
        match self {
            CaseloadFilter::All => true,
            CaseloadFilter::ReviewDue => matches!(flag(), Some(ReviewFlag::DueSoon { .. })),
            CaseloadFilter::Overdue => matches!(flag(), Some(ReviewFlag::Overdue { .. })),
            CaseloadFilter::Draft => s.status == PlanStatus::Draft,
            CaseloadFilter::SignedOff => s.status == PlanStatus::SignedOff,
            CaseloadFilter::KeptInStep => kept_in_step,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_carer_is_found_by_full_and_preferred_names() {
        let mut plan = Plan::default();
        plan.carer.name = "Margaret Brown".into();
        plan.carer.preferred_name = "Peggy".into();
        let s = PlanSummary::of(&plan, 0);
        assert_eq!(s.title(), "Margaret Brown (Peggy)");
        for q in ["Brown", "margaret", "PEGGY", "garet Br"] {
            assert!(s.matches(q), "{q}");
        }
        assert!(!s.matches("Smith"));
        // An entry written before full names were kept still reads.
        let old: PlanSummary = serde_json::from_str(
            r#"{"plan_id":"0123456789abcdef0123456789abcdef","name":"Peggy","updated_at":1,"status":"draft"}"#,
        )
        .unwrap();
        assert_eq!(old.title(), "Peggy");
        assert!(old.matches("peg"));
    }

    #[test]
    fn a_key_workers_copy_without_about_you_is_listed_by_the_carers_name() {
        let mut plan = Plan::default();
        plan.participants.insert(
            "d1".into(),
            crate::plan::Participant {
                name: "Peggy Brown".into(),
                role: crate::plan::Role::Carer,
            },
        );
        plan.participants.insert(
            "d2".into(),
            crate::plan::Participant {
                name: "Sam Patel".into(),
                role: crate::plan::Role::KeyWorker,
            },
        );
        let s = PlanSummary::of(&plan, 0);
        assert_eq!(s.title(), "Peggy Brown");
        assert!(s.matches("brown"));
        // Her own words for her name come first once he has them.
        plan.carer.name = "Margaret Brown".into();
        assert_eq!(PlanSummary::of(&plan, 0).title(), "Margaret Brown");
        // No name anywhere: said so.
        let none = PlanSummary::of(&Plan::default(), 0);
        assert_eq!(none.title(), "Plan with no name yet");
    }

    #[test]
    fn the_caseload_filters_by_review_date_and_status() {
        let today = chrono::NaiveDate::from_ymd_opt(2027, 2, 27).unwrap();
        let with = |due: Option<&str>, status| PlanSummary {
            plan_id: PlanId::default(),
            name: String::new(),
            full_name: String::new(),
            preferred_name: String::new(),
            updated_at: 0,
            status,
            last_shared: None,
            review_due: due.and_then(super::super::date::parse_iso),
            highest_impact: None,
            highest_rank: None,
        };
        let f =
            |filter: CaseloadFilter, due, status| filter.keeps(&with(due, status), today, false);
        use CaseloadFilter::{All, Overdue, ReviewDue};
        use PlanStatus::Draft as D;
        use PlanStatus::SignedOff as S;
        // Due: today up to 30 days ahead (across the end of February).
        assert!(f(ReviewDue, Some("2027-02-27"), S));
        assert!(f(ReviewDue, Some("2027-03-29"), S));
        assert!(!f(ReviewDue, Some("2027-03-30"), S));
        assert!(!f(ReviewDue, Some("2027-02-26"), S));
        assert!(!f(ReviewDue, None, S));
        assert!(f(Overdue, Some("2027-02-26"), S));
        assert!(!f(Overdue, Some("2027-02-27"), S));
        assert!(f(CaseloadFilter::Draft, None, D) && !f(CaseloadFilter::Draft, None, S));
        assert!(f(CaseloadFilter::SignedOff, None, S) && !f(CaseloadFilter::SignedOff, None, D));
        assert!(f(All, None, D));
        for filter in CaseloadFilter::ALL {
            assert_eq!(CaseloadFilter::from_code(filter.code()), Some(filter));
        }
    }

    /// A list entry as this app has stored it in IndexedDB (the plan id and
    /// review date as text) reads, and is written back to the same bytes.
    #[test]
    fn a_stored_list_entry_reads_and_is_written_the_same() {
        for stored in [
            r#"{"plan_id":"0123456789abcdef0123456789abcdef","name":"Peggy","full_name":"Margaret Brown","preferred_name":"Peggy","updated_at":1795000000000,"status":"signed-off","last_shared":1795000000000,"review_due":"2027-01-18","highest_impact":["Finances","Critical"],"highest_rank":3}"#,
            r#"{"plan_id":"fedcba9876543210fedcba9876543210","name":"","full_name":"","preferred_name":"","updated_at":1,"status":"draft","last_shared":null,"review_due":null,"highest_impact":null,"highest_rank":null}"#,
        ] {
            let read: PlanSummary = serde_json::from_str(stored).unwrap();
            assert_eq!(serde_json::to_string(&read).unwrap(), stored);
        }
        // An entry whose plan id is not one is not read (the list passes it over).
        let bad = r#"{"plan_id":"ab","name":"Peggy","updated_at":1,"status":"draft"}"#;
        assert!(serde_json::from_str::<PlanSummary>(bad).is_err());
    }

    /// Half an hour after midnight in British Summer Time is still the day
    /// before in UTC: the review due "yesterday" is overdue on every
    /// screen, the caseload's "Show" list as well as its tags and the
    /// plan's page, because all of them take the carer's local date.
    #[test]
    fn a_review_is_due_by_the_local_date_near_midnight() {
        let date = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        let due = date(2027, 6, 17);
        // 2027-06-17 23:30 UTC, 00:30 on 18 June in London.
        let moment =
            chrono::NaiveDateTime::new(due, chrono::NaiveTime::from_hms_opt(23, 30, 0).unwrap())
                .and_utc()
                .timestamp_millis();
        let today = crate::plan::date::local_date(moment, 60).unwrap();
        assert_eq!(today, date(2027, 6, 18));
        assert_eq!(crate::plan::date::local_date(moment, 0), Some(due));
        assert_eq!(crate::plan::date::local_date(moment, -300), Some(due));
        let summary = PlanSummary {
            review_due: Some(due),
            ..PlanSummary::of(&Plan::default(), 0)
        };
        assert_eq!(
            review_flag(summary.review_due, today),
            Some(ReviewFlag::Overdue { due, days: 1 })
        );
        assert!(CaseloadFilter::Overdue.keeps(&summary, today, false));
        assert!(!CaseloadFilter::ReviewDue.keeps(&summary, today, false));
        // The list entry keeps the date as the same text as before.
        let json = serde_json::to_string(&summary).unwrap();
        assert!(json.contains(r#""review_due":"2027-06-17""#), "{json}");
        let read: PlanSummary = serde_json::from_str(&json).unwrap();
        assert_eq!(read, summary);
        // A stored value that is not a date reads as none, as it always did.
        let odd = json.replace("2027-06-17", "soon");
        assert_eq!(
            serde_json::from_str::<PlanSummary>(&odd)
                .unwrap()
                .review_due,
            None
        );
    }
}
