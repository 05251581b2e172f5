//! Every sentence a person reads about an error or a status raised below
//! the browser layer, one place per type: `plan/`, `doc/`, `store/` and
//! `share/` raise typed values that keep their source and say what went
//! wrong for a developer; these files say it to the carer or key worker,
//! so the wording changes without touching the rooms that raise them.
//! Keeping in step's words are in `live.rs`.
//!
//! Built natively too (it uses only the rooms below `web`), so the native
//! tests read the same words the screens show. `tests/architecture.rs`
//! checks that no such sentence is written in the rooms below.

mod doc;
pub mod live;
mod plan;
mod share;

pub use plan::{area_question, flag_sentence, flag_tag, what_it_holds};
pub use share::{backup_details, import_details, share_details};

/// A copy was not added because the plan's own stored bytes cannot be read.
/// Sending, adding a copy, backing up, restoring or the returns, asked for
/// when no engine could start on this device.
pub const NO_ENGINE: &str = "This cannot be done just now, because part of the app did not start on this device. Nothing you have written is lost. Check you are connected to the internet, then try again. If it still does not work, close the app and open it again.";

pub const NOT_MADE_NOW: &str = "Your last change could not be saved on this device just now, so it has been taken back. Please try again. If it still does not work, close the app and open it again.";

pub const STORED_COPY_DAMAGED: &str = "The copy of this plan already on this device cannot be opened, so the new copy was not added. Nothing was changed.";

/// A value raised below `web`, in words for the person using the app.
pub trait Words {
    fn words(&self) -> String;
}
