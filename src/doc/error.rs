//! What can go wrong with a plan's documents, in words a person can read.

use automerge::transaction::CommitOptions;
use automerge::AutomergeError;
use autosurgeon::{HydrateError, ReconcileError};
use thiserror::Error;

use crate::plan::limits::Limit;
use crate::plan::{FieldError, RandomError};

#[derive(Debug, Error)]
pub enum DocError {
    #[error("The saved plan could not be read. It may be damaged or only partly saved. ({0})")]
    Unreadable(String),
    #[error("This plan was saved by a newer version of the app (format {found}; this version reads up to {supported}). Update the app to open it.")]
    NewerSchema { found: u64, supported: u64 },
    #[error("This is not a carer support plan.")]
    NotAPlan,
    #[error("This plan's contents are not in the shape the app expects. ({0})")]
    WrongShape(String),
    #[error("These are copies of two different plans, so they cannot be combined.")]
    DifferentPlan,
    #[error("{0}")]
    Field(#[from] FieldError),
    #[error("{0}")]
    Edit(#[from] crate::plan::edit::EditError),
    #[error("{0}")]
    Random(#[from] RandomError),
    #[error("This copy holds {}, so it was not added. Nothing was changed.", .0.what())]
    OverLimit(Limit),
    #[error("The plan could not be changed. ({0})")]
    Change(String),
}

impl From<AutomergeError> for DocError {
    fn from(e: AutomergeError) -> Self {
        DocError::Change(e.to_string())
    }
}

impl From<HydrateError> for DocError {
    fn from(e: HydrateError) -> Self {
        DocError::WrongShape(e.to_string())
    }
}

impl From<ReconcileError> for DocError {
    fn from(e: ReconcileError) -> Self {
        DocError::Change(e.to_string())
    }
}

/// Commit options for a change made at `now_ms`: Automerge timestamps are
/// seconds, as Automerge's JavaScript implementation writes them.
pub(crate) fn commit(message: impl Into<String>, now_ms: i64) -> CommitOptions {
    CommitOptions::default()
        .with_message(message)
        .with_time(now_ms.div_euclid(1000))
}
