//! The caseload's order: its columns, the way each sorts (a header's
//! button), and the orders a phone's "Sort by" list offers.

use std::cmp::Ordering;

use crate::plan::summary::PlanSummary;

/// A column of the caseload: its header, and the order it sorts in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Column {
    Carer,
    Shared,
    Review,
    Impact,
    Status,
}

impl Column {
    pub(super) const ALL: [Column; 5] = [
        Column::Carer,
        Column::Shared,
        Column::Review,
        Column::Impact,
        Column::Status,
    ];

    pub(super) fn header(self) -> &'static str {
        match self {
            Column::Carer => "Carer",
            Column::Shared => "Last shared",
            Column::Review => "Review due",
            Column::Impact => "Highest impact",
            Column::Status => "Status",
        }
    }

    pub(super) fn code(self) -> &'static str {
        match self {
            Column::Carer => "name",
            Column::Shared => "shared",
            Column::Review => "review",
            Column::Impact => "impact",
            Column::Status => "status",
        }
    }

    /// The order a column first sorts in: names A to Z, the soonest review
    /// first, but the newest share and the highest impact first.
    fn first_ascending(self) -> bool {
        !matches!(self, Column::Shared | Column::Impact)
    }

    /// Two plans in this column's ascending order.
    pub(super) fn compare(self, a: &PlanSummary, b: &PlanSummary) -> Ordering {
        match self {
            Column::Carer => a.sort_name().cmp(&b.sort_name()),
            Column::Shared => a.last_shared.unwrap_or(0).cmp(&b.last_shared.unwrap_or(0)),
            Column::Review => a.review_due.cmp(&b.review_due),
            Column::Impact => a
                .highest_rank
                .map_or(0, |r| r + 1)
                .cmp(&b.highest_rank.map_or(0, |r| r + 1)),
            Column::Status => a.status.label().cmp(b.status.label()),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Sort {
    pub(super) by: Column,
    pub(super) ascending: bool,
}

impl Sort {
    /// The choices of the phone's "Sort by" list, and their names.
    pub(super) const CHOICES: [(Column, bool, &'static str); 4] = [
        (Column::Review, true, "Review due (soonest first)"),
        (Column::Carer, true, "Carer's name (A to Z)"),
        (Column::Shared, false, "Last shared (newest first)"),
        (Column::Impact, false, "Highest impact"),
    ];

    pub(super) fn code(self) -> String {
        format!(
            "{}-{}",
            self.by.code(),
            if self.ascending { "up" } else { "down" }
        )
    }

    pub(super) fn from_code(code: &str) -> Option<Sort> {
        Self::CHOICES
            .iter()
            .map(|(by, ascending, _)| Sort {
                by: *by,
                ascending: *ascending,
            })
            .find(|s| s.code() == code)
    }

    /// Sorted by `column`: the other way round if it already was.
    pub(super) fn by(self, column: Column) -> Sort {
        if self.by == column {
            Sort {
                by: column,
                ascending: !self.ascending,
            }
        } else {
            Sort {
                by: column,
                ascending: column.first_ascending(),
            }
        }
    }
}
