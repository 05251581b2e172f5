//! Why the engine did not do what was asked, and the reply that says so: in
//! the words the page would have used (`web/words/`), with the details for a
//! technical person, or `Failed` with a technical detail (a device id the
//! engine cannot read: the page then says the work cannot be done now).

use super::protocol::Reply;
use crate::doc::DocError;
use crate::plan::{DeviceActor, RandomError};
use crate::share::backup::BackupError;
use crate::share::exchange::ImportError;
use crate::share::returns::ReturnsError;
use crate::web::platform::idb::StoreError;
use crate::web::words::{self, Words};

pub enum Refusal {
    Import(ImportError),
    Backup(BackupError),
    Store(StoreError),
    /// The plan's own stored bytes cannot be read: they are left as they are.
    StoredCopyDamaged,
    Random(RandomError),
    Returns(ReturnsError),
    /// Not something the engine can do (a technical detail): the page says
    /// it cannot be done now.
    Technical(&'static str),
}

impl Refusal {
    pub fn reply(self) -> Reply {
        let (message, details) = match self {
            Refusal::Import(e) => {
                let details = words::import_details(&e);
                (e.words(), details)
            }
            Refusal::Backup(e) => {
                let details = words::backup_details(&e);
                (e.words(), details)
            }
            Refusal::Store(e) => (e.to_string(), None),
            Refusal::StoredCopyDamaged => (words::STORED_COPY_DAMAGED.to_owned(), None),
            Refusal::Random(e) => (e.words(), None),
            Refusal::Returns(e) => (e.words(), None),
            Refusal::Technical(why) => return Reply::Failed(why.to_owned()),
        };
        Reply::Refused { message, details }
    }
}

/// The engine's own session of the asking page's device (`device`: its
/// id), so its changes are never taken for the page's; the device itself
/// when no session can be made (work that only reads or merges). A device
/// id the engine cannot read is the page's to deal with.
pub fn session_of(device: &str) -> Result<DeviceActor, Refusal> {
    let device = DeviceActor::for_device(device).ok_or(Refusal::Technical("not a device id"))?;
    Ok(device.new_session().unwrap_or(device))
}

impl From<ImportError> for Refusal {
    fn from(e: ImportError) -> Self {
        Refusal::Import(e)
    }
}

impl From<DocError> for Refusal {
    fn from(e: DocError) -> Self {
        Refusal::Import(e.into())
    }
}

impl From<BackupError> for Refusal {
    fn from(e: BackupError) -> Self {
        Refusal::Backup(e)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Store(e)
    }
}

impl From<ReturnsError> for Refusal {
    fn from(e: ReturnsError) -> Self {
        Refusal::Returns(e)
    }
}

impl From<RandomError> for Refusal {
    fn from(e: RandomError) -> Self {
        Refusal::Random(e)
    }
}
