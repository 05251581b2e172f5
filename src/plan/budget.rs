//! England (Care Act): the carer's personal budget and how it is managed,
//! part of the plan ([`super::model::Plan::budget`]).

use autosurgeon::{Hydrate, Reconcile};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Budget {
    /// In the carer's or worker's words, e.g. "£1,200 a year".
    #[autosurgeon(with = "crate::plan::line")]
    pub indicative: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub final_amount: String,
    pub managed: Option<BudgetManaged>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum BudgetManaged {
    #[autosurgeon(rename = "council")]
    #[serde(rename = "council")]
    Council,
    #[autosurgeon(rename = "direct-payment")]
    #[serde(rename = "direct-payment")]
    DirectPayment,
    #[autosurgeon(rename = "mixed")]
    #[serde(rename = "mixed")]
    Mixed,
}
