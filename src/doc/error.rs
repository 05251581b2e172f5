//! What can go wrong with a plan's documents. Each variant says it for a
//! developer; `web/words/` says it to the person.

use automerge::transaction::CommitOptions;
use automerge::AutomergeError;
use autosurgeon::{HydrateError, ReconcileError};
use thiserror::Error;

use crate::plan::limits::Limit;
use crate::plan::{FieldError, RandomError};

#[derive(Debug, Error)]
pub enum DocError {
    #[error("plan unreadable: {0}")]
    Unreadable(String),
    /// Changes that build on changes this copy does not hold (a live
    /// update that came before the one it follows; a file cut from its
    /// history).
    #[error("plan unreadable: some of its saved changes are missing")]
    MissingChanges,
    /// Automerge refused the bytes.
    #[error("plan not loaded")]
    Load(#[source] Box<AutomergeError>),
    #[error("plan schema {found} newer than {supported}")]
    NewerSchema { found: u64, supported: u64 },
    #[error("not a carer support plan")]
    NotAPlan,
    #[error("plan of an unexpected shape: {0}")]
    WrongShape(String),
    #[error("plan not read into its model")]
    Hydrate(#[source] Box<HydrateError>),
    #[error("copies of two different plans")]
    DifferentPlan,
    #[error("answer not kept")]
    Field(#[from] FieldError),
    #[error("change not allowed")]
    Edit(#[from] crate::plan::edit::EditError),
    #[error("no random identifier")]
    Random(#[from] RandomError),
    #[error("over the limit {}", .0.code())]
    OverLimit(Limit),
    #[error("change failed: {0}")]
    Change(String),
    #[error("change failed")]
    Automerge(#[source] Box<AutomergeError>),
    #[error("change not written into the document")]
    Reconcile(#[source] Box<ReconcileError>),
    #[error("plan not written as JSON")]
    Json(#[from] serde_json::Error),
}

// Automerge's errors are large: boxed, so every `Result` stays small.
impl From<AutomergeError> for DocError {
    fn from(e: AutomergeError) -> Self {
        DocError::Automerge(Box::new(e))
    }
}

impl From<HydrateError> for DocError {
    fn from(e: HydrateError) -> Self {
        DocError::Hydrate(Box::new(e))
    }
}

impl From<ReconcileError> for DocError {
    fn from(e: ReconcileError) -> Self {
        DocError::Reconcile(Box::new(e))
    }
}

impl DocError {
    /// Automerge refused the bytes of a document.
    pub(crate) fn load(e: AutomergeError) -> Self {
        DocError::Load(Box::new(e))
    }
}

/// Commit options for a change made at `now_ms`: Automerge timestamps are
/// seconds, as Automerge's JavaScript implementation writes them.
pub(crate) fn commit(message: impl Into<String>, now_ms: i64) -> CommitOptions {
    CommitOptions::default()
        .with_message(message)
        .with_time(now_ms.div_euclid(1000))
}
