//! The small entry that lists a plan on the device without loading it.

use serde::{Deserialize, Serialize};

use super::plan::Plan;

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
        Self {
            plan_id: plan.plan_id.clone(),
            name: plan.display_name().unwrap_or_default().to_owned(),
            updated_at,
            status: if signed {
                PlanStatus::SignedOff
            } else {
                PlanStatus::Draft
            },
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
