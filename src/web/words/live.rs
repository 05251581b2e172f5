//! Every sentence a person reads about keeping in step, from the sync
//! core's errors (which keep their source and carry no words).

use super::what_it_holds;
use crate::doc::DocError;
use crate::share::exchange::ImportError;
use crate::share::sync::engine::RefusedWhy;
use crate::share::sync::take_in::TakeError;
use crate::share::sync::{KeepError, Problem};

/// A problem of the sync core, in plain words. `other`: the other side's
/// name as the list of devices gives it.
pub fn problem_words(p: &Problem, other: &str) -> String {
    match p {
        Problem::Protocol(_) | Problem::Relay => "Your council's sync service had a problem. The app will connect again; your changes are kept on this device.".into(),
        Problem::TooLarge => "Your council's sync service sent more than the app can take at once, so the app stopped listening for a while. Your changes are kept on this device and will be sent later.".into(),
        Problem::NotOurs => "The sync service sent an update for a plan that is not on this device. It was ignored.".into(),
        Problem::Keep(_, e) => keep_words(e),
        Problem::Refused(_, RefusedWhy::NotTheirs) => format!(
            "An update from {other} tried to change something only the other person can (like a signature or an agreement). It was not added and nothing was changed."
        ),
        Problem::Refused(_, RefusedWhy::OverLimit(limit)) => format!(
            "An update from {other} holds {}, more than a plan may, so it was not added. Nothing was changed.",
            what_it_holds(*limit)
        ),
        Problem::Refused(_, RefusedWhy::Unreadable) => format!(
            "An update from {other} could not be read, so it was not added. Nothing was changed."
        ),
    }
}

pub fn keep_words(e: &KeepError) -> String {
    match e {
        KeepError::BadMessage => "The sync service sent something that is not part of this plan. It was ignored and nothing was changed.".into(),
        KeepError::Refused(n) => format!(
            "{n} update{} from the sync service could not be opened, or came from a device you have not allowed, so {} ignored. Nothing was changed.",
            if *n == 1 { "" } else { "s" },
            if *n == 1 { "it was" } else { "they were" }
        ),
        KeepError::OtherPlan => "The sync service sent an update for a different plan. It was ignored and nothing was changed.".into(),
        KeepError::Local => "This device could not prepare your changes for sending. They are kept on this device.".into(),
        KeepError::NotAllowed => "Only the carer's own devices can do that.".into(),
    }
}

/// Why a live update was not merged (never "send the file again").
pub fn take_words(e: &TakeError) -> String {
    match e {
        TakeError::NotTheirs => "it tried to change something only the other person can, so it was not added. Nothing was changed.".into(),
        TakeError::Import(ImportError::Plan(DocError::OverLimit(limit))) => format!(
            "it holds {}, more than a plan may, so it was not added. Nothing was changed.",
            what_it_holds(*limit)
        ),
        TakeError::Import(_) => "it could not be read, so it was not added. Nothing was changed.".into(),
        TakeError::NotYet => "part of what it builds on has not come yet. It will be added when it has; nothing was changed.".into(),
    }
}

/// A keep could not be written to IndexedDB.
pub const KEEP_NOT_STORED: &str = "What was kept in step could not be stored on this device. It will be tried again with the next change; nothing of the plan was lost.";

/// A plan kept in step could not be read for what arrived.
pub const PLAN_NOT_OPENED: &str = "A plan kept in step could not be opened on this device, so its updates wait. Nothing was lost.";

/// Joining from a link could not be asked.
/// A carer's link that cannot be read: told when it is opened, or (a
/// letter changed, which only the engine's check finds) when the device
/// asks to join.
pub const LINK_DAMAGED: &str = "This link is not complete. It may have been cut short when it was copied. Ask the carer to send it again. Nothing was added.";
pub const JOIN_NOT_ASKED: &str = "This device could not ask to join. Try again.";

/// What a worker sees opening a link the carer has stopped.
pub const STOPPED_LINK: &str = "The carer has stopped keeping this plan in step, so this link no longer opens it. Nothing was added. Ask the carer for a new link if you need one.";

/// The carer's choice could not be recorded in her plan.
pub const CONSENT_NOT_RECORDED: &str =
    "Your choice could not be recorded in your plan, so nothing was changed. Try again.";

/// Keeping in step is not running on this device (no engine could start).
pub const NOT_RUNNING: &str = "Keeping in step is not running on this device, so nothing is sent or received for now. Your changes are kept here. Reload the page to start it again.";
