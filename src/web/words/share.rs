//! The words of the share file's, a copy's and a backup's refusals
//! (`share/`), and what a technical person may need to know about a
//! refused file ("Details for a technical person"): never text taken from
//! the file.

use crate::doc::DocError;
use crate::share::backup::{BackupError, BACKUP_FORMAT};
use crate::share::exchange::ImportError;
use crate::share::file::HeaderFault;
use crate::share::returns::ReturnsError;
use crate::share::{ShareError, CIPHER, SHARE_FORMAT};

use super::{what_it_holds, Words};

impl Words for ShareError {
    fn words(&self) -> String {
        match self {
            ShareError::TooLarge => "This file is too big to be a shared plan (it is over 20 MB). Nothing was added.",
            ShareError::NotAShareFile => "This is not a shared plan. Nothing was added. Check you chose the file, or copied the text, that was sent to you from the Carer Support Plan app.",
            ShareError::Truncated => "This shared plan is incomplete: part of it is missing, perhaps cut off when it was copied. Ask for it to be sent again. Nothing was added.",
            ShareError::NewerFormat { .. } => "This file was made by a newer version of the app. Update the app, then open the file again. Nothing was added.",
            ShareError::UnknownSection => "This file holds a part of a plan this version of the app does not know: it was made by a newer version. Update the app, then open the file again. Nothing was added.",
            ShareError::UnknownLock => "This file is locked in a way this version of the app does not know, so it cannot be opened. Nothing was added. Ask for it to be sent again from the Carer Support Plan app.",
            ShareError::BadHeader(_) => "The opening lines of this file have been changed or damaged, so it cannot be trusted. Nothing was added. Ask for it to be sent again.",
            ShareError::NeedsPassphrase => "This file is locked with a passphrase. Type the passphrase you were given.",
            ShareError::WrongPassphrase => "That passphrase does not open this file. Check it with the person who sent it: capital letters and spaces count. Nothing was added.",
            ShareError::Tampered => "This file has been changed or damaged since it was made, so it cannot be trusted. Nothing was added. Ask for it to be sent again.",
            ShareError::WeakPassphrase => "Please use a passphrase of at least 8 characters. Three ordinary words, like \"kettle garden Tuesday\", are easy to say and hard to guess.",
            ShareError::Crypto(_) => "This device could not lock or open the file. Nothing was added. Please try again.",
        }
        .into()
    }
}

impl Words for ImportError {
    fn words(&self) -> String {
        const AGAIN: &str =
            "Nothing was added. Ask for it to be sent again from the Carer Support Plan app.";
        match self {
            ImportError::Share(e) => e.words(),
            ImportError::Plan(DocError::OverLimit(limit)) => format!(
                "This file holds {}, so it cannot be a plan the Carer Support Plan app made. {AGAIN}",
                what_it_holds(*limit)
            ),
            ImportError::Plan(DocError::NewerSchema { .. }) => "This file was made by a newer version of the app. Update the app, then add the file again. Nothing was added.".into(),
            ImportError::Plan(DocError::DifferentPlan) | ImportError::DifferentPlan => "This file is a copy of a different plan, so it was not added to this one. Nothing was changed.".into(),
            ImportError::Plan(DocError::NotAPlan) => format!("What is inside this file is not a carer support plan, so it cannot be added. {AGAIN}"),
            ImportError::Plan(_) => format!("The plan inside this file is damaged, so it cannot be read. {AGAIN}"),
        }
    }
}

/// What a technical person may need to know about a refused share file.
pub fn share_details(e: &ShareError) -> Option<String> {
    match e {
        ShareError::NewerFormat { found } => Some(format!(
            "Share format {found}; this version reads up to {SHARE_FORMAT}."
        )),
        ShareError::UnknownSection => {
            Some("The Sections line names a section this version does not know.".into())
        }
        ShareError::UnknownLock => Some(format!(
            "The Encryption line names a method other than {CIPHER} or none."
        )),
        ShareError::BadHeader(HeaderFault::Duplicate(key)) => {
            Some(format!("The header has more than one {key} line."))
        }
        ShareError::BadHeader(HeaderFault::Unknown) => Some(
            "The header has a line that is not part of this share format for this kind of file."
                .into(),
        ),
        ShareError::Tampered => {
            Some("The checksum or authentication tag does not match the header and body.".into())
        }
        ShareError::Crypto(e) => Some(e.to_string()),
        _ => None,
    }
}

/// What the check of a refused copy found, in the app's terms.
pub fn import_details(e: &ImportError) -> Option<String> {
    match e {
        ImportError::Share(e) => share_details(e),
        ImportError::Plan(DocError::OverLimit(limit)) => Some(format!(
            "Refused before anything was merged: over the limit {} (src/plan/limits.rs).",
            limit.code()
        )),
        ImportError::Plan(e) => Some(e.words()),
        ImportError::DifferentPlan => None,
    }
}

impl Words for BackupError {
    fn words(&self) -> String {
        match self {
            BackupError::NotABackup => "This is not a backup from the Carer Support Plan app. Nothing was changed. Choose the file the app saved when you chose \"Back up everything on this device\".",
            BackupError::IsAShareFile => "This is a shared plan, not a backup. Nothing was changed. To add it, choose \"Add a plan you were sent\" (or \"Add a copy you were sent\") instead.",
            BackupError::TooLarge => "This backup is too big to restore here (it is over 256 MB). Nothing was changed.",
            BackupError::Truncated => "This backup is incomplete: part of it is missing, perhaps cut off when it was copied or downloaded. Nothing was changed. Try the file again, or an earlier backup.",
            BackupError::NewerFormat { .. } => "This backup was made by a newer version of the app. Update the app, then restore it again. Nothing was changed.",
            BackupError::UnknownFormat => "This backup is in a format this version of the app does not read. Nothing was changed.",
            BackupError::NeedsPassphrase => "Type the passphrase this backup was locked with.",
            BackupError::WrongPassphrase => "That passphrase does not open this backup. Capital letters and spaces count. Nothing was changed.",
            BackupError::Tampered => "This backup has been changed or damaged since it was made, so it cannot be trusted. Nothing was changed. Try an earlier backup.",
            BackupError::DamagedPlan(_) => "A plan inside this backup cannot be read, so nothing was restored. Nothing was changed. Try an earlier backup.",
            BackupError::WeakPassphrase => "Please use a passphrase of at least 8 characters. Three ordinary words, like \"kettle garden Tuesday\", are easy to remember and hard to guess. Write it down and keep it apart from the file.",
            BackupError::Crypto(_) | BackupError::Settings(_) => "This device could not lock or open the backup. Nothing was changed. Please try again.",
        }
        .into()
    }
}

/// What a technical person may need to know about a refused backup.
pub fn backup_details(e: &BackupError) -> Option<String> {
    match e {
        BackupError::NewerFormat { found } => Some(format!(
            "Backup format {found}; this version reads format {BACKUP_FORMAT}."
        )),
        BackupError::DamagedPlan(e) | BackupError::Settings(e) => Some(e.clone()),
        BackupError::Crypto(e) => Some(e.to_string()),
        BackupError::Tampered => Some(
            "The authentication tag or the plan count does not match the header and body.".into(),
        ),
        _ => None,
    }
}

impl Words for ReturnsError {
    fn words(&self) -> String {
        "The returns file could not be made on this device. Nothing was changed. Please try again."
            .into()
    }
}
