//! The small entry that lists a plan on the device without loading it.

use serde::{Deserialize, Serialize};

use crate::plan::Plan;

/// One row of the device's list of plans. Stored beside the plan's chunks
/// and rewritten on every save.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlanSummary {
    pub plan_id: String,
    /// The carer's preferred name or name; empty if not given yet.
    pub name: String,
    /// Milliseconds since 1970 of the last change saved on this device.
    pub updated_at: i64,
    pub status: PlanStatus,
    /// When the plan was last sent by anyone (milliseconds), if ever.
    #[serde(default)]
    pub last_shared: Option<i64>,
    /// The next review date, "2027-01-18".
    #[serde(default)]
    pub review_due: Option<String>,
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
            updated_at,
            status: if signed {
                PlanStatus::SignedOff
            } else {
                PlanStatus::Draft
            },
            last_shared: plan.shares.iter().map(|s| s.at).max(),
            review_due: plan
                .review
                .next_due
                .map(|d| d.format("%Y-%m-%d").to_string()),
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

    pub fn title(&self) -> &str {
        if self.name.trim().is_empty() {
            "Plan with no name yet"
        } else {
            &self.name
        }
    }
}
