//! Everything a plan operation can fail with, in words for the person using
//! the app (those of the rooms below come from `web/words/`). Screens show
//! it beside the control or in the page's banner; none is ever dropped.

use thiserror::Error;

use crate::plan::edit::EditError;
use crate::plan::review::SignRuleError;
use crate::plan::{FieldError, RandomError};

use super::super::engine::protocol::Reply;
use super::super::platform::idb::StoreError;
use super::super::words::{self, Words};

#[derive(Debug, Error)]
pub enum AppError {
    /// The app's state is gone (the page is being taken down).
    #[error("The app is closing. Open it again to carry on.")]
    NotReady,
    #[error("This plan is not open any more. Go to your plans and open it again.")]
    NotOpen,
    /// A change arrived while the last one was still being made.
    #[error("The app was still busy with your last change. Please try again.")]
    Busy,
    /// A choice came back with a value the app does not offer.
    #[error("That answer is not one this app knows. Please choose again.")]
    UnknownChoice,
    #[error("{0}")]
    Storage(#[from] StoreError),
    /// A change the plan's rules do not allow.
    #[error("{}", .0.words())]
    Edit(#[from] EditError),
    #[error("{}", .0.words())]
    Field(#[from] FieldError),
    #[error("{}", .0.words())]
    Sign(#[from] SignRuleError),
    #[error("{}", .0.words())]
    Random(#[from] RandomError),
    #[error("{}", words::STORED_COPY_DAMAGED)]
    StoredCopyDamaged,
    /// Work only the engine worker does (sending, adding a copy, backing
    /// up, restoring, the returns) and no engine could start on this
    /// device (its module did not arrive, or it kept stopping).
    #[error("{}", words::NO_ENGINE)]
    NoEngine,
    /// A change shown at once could not be made on the device (the engine
    /// could not store it, or stopped and none took over): taken back.
    #[error("{}", words::NOT_MADE_NOW)]
    NotMadeNow,
    /// A change the engine made could not be stored (storage full or
    /// failing): the storage's words. Kept on screen and asked again.
    #[error("{0}")]
    NotStored(String),
    /// Something the engine worker did was refused: its words (from
    /// `web/words/`, as the page would have said it) and the details for a
    /// technical person.
    #[error("{message}")]
    Refused {
        message: String,
        details: Option<String>,
    },
    /// An answer that is not valid as typed (a date, a number).
    #[error("{0}")]
    Answer(String),
}

impl AppError {
    /// Long work the engine did not do: refused, in its words (`Refused`),
    /// or no engine could run or answer (`NoEngine`, anything else).
    pub fn not_done(reply: Option<Reply>) -> Self {
        match reply {
            Some(Reply::Refused { message, details }) => AppError::Refused { message, details },
            _ => AppError::NoEngine,
        }
    }

    /// What a technical person may need to know about a refused file, for
    /// the "Details for a technical person" disclosure. Never text taken
    /// from the file.
    pub fn details(&self) -> Option<String> {
        match self {
            AppError::Refused { details, .. } => details.clone(),
            _ => None,
        }
    }
}
