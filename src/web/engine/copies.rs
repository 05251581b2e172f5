//! The engine's sharing service, incoming side: adding a copy someone sent.
//!
//! Everything that can take long happens here, beside the page: opening the
//! file (the passphrase's key too), counting what loading it would cost,
//! loading and checking it against every limit, reading the plan as stored
//! on this device, merging, and writing the result to IndexedDB. The page
//! hears only the outcome; a file refused at any step costs it nothing, and
//! a copy added costs it what another tab's save costs (merging the new
//! changes from storage, if the plan is open there).
//!
//! The engine is, to storage, one more tab: it writes an increment (or a
//! compacting snapshot) through `platform/plan_store.rs` under its own
//! session of the device's actor, and tells the other tabs over the
//! BroadcastChannel, as every tab does after a save. Changes a closed tab
//! left in the page's journal (localStorage, which a worker cannot read)
//! are merged when the plan is next opened, as ever: nothing is lost, as
//! every side only adds changes.

use super::protocol::{Added, Copy, Reply};
use super::refusal::Refusal;
use super::storage::{announce, write};
use crate::plan::DeviceActor;
use crate::share::exchange::{self, ImportError};
use crate::share::{ShareError, Unopened};
use crate::store::ChunkLog;
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, OpenError};

/// A share file's header, read for the import page before anything is
/// asked of the person: a damaged or foreign file is refused here in the
/// words the page would have used, so a passphrase is asked for only when
/// the file is whole.
pub fn peek(text: &str) -> Reply {
    match crate::share::file::peek(text) {
        Ok(header) => Reply::Peeked(header),
        Err(e) => Refusal::Import(ImportError::Share(e)).reply(),
    }
}

/// Add a copy; the reply says what happened, in the words the page would
/// have used (`web/words/`) when it was refused. `storing` hears what is
/// about to be stored, just before it is.
pub async fn add_copy(copy: Copy, storing: &dyn Fn(&Added)) -> Reply {
    let Some(actor) = DeviceActor::for_device(&copy.device) else {
        return Refusal::Technical("not a device id").reply();
    };
    match add(copy, actor, storing).await {
        Ok(added) => Reply::Added(added),
        Err(refused) => refused.reply(),
    }
}

async fn add(copy: Copy, device: DeviceActor, storing: &dyn Fn(&Added)) -> Result<Added, Refusal> {
    let Copy {
        text,
        passphrase,
        into,
        me,
        ..
    } = copy;
    let actor = device.new_session()?;
    let file = Unopened::read(&text).map_err(ImportError::from)?;
    drop(text);
    let key = match (file.lock(), passphrase.as_deref().filter(|p| !p.is_empty())) {
        (Some(kdf), Some(p)) => Some(
            crate::share::derive(p, kdf).map_err(|e| ImportError::from(ShareError::Crypto(e)))?,
        ),
        _ => None,
    };
    let (header, body) = file.open(key.as_ref()).map_err(ImportError::from)?;
    let incoming = exchange::load(&header, &body, &actor)?;
    drop(body);
    let id = incoming.plan_id().clone();
    if into.as_ref().is_some_and(|want| *want != id) {
        return Err(ImportError::DifferentPlan.into());
    }
    let db = Db::open().await?;
    let now = js_sys::Date::now() as i64;
    let added = match plan_store::load(&db, &id, &actor).await {
        Ok((mut doc, log)) => {
            let report = exchange::merge_in(&mut doc, incoming, &header, &actor, now)?;
            if report.new_changes == 0 {
                return Ok(Added::NothingNew(id));
            }
            let added = Added::Merged(id.clone(), report);
            storing(&added);
            write(&db, &doc, &log).await?;
            added
        }
        Err(OpenError::NotFound) => {
            let mut doc = exchange::adopt(incoming, &header, &actor, now)?;
            doc.ensure_participant(&actor, me, now)?;
            let added = Added::Created(id.clone());
            storing(&added);
            write(&db, &doc, &ChunkLog::empty()).await?;
            added
        }
        Err(OpenError::Damaged { .. }) => return Err(Refusal::StoredCopyDamaged),
        Err(OpenError::Store(e)) => return Err(e.into()),
    };
    announce(&id);
    Ok(added)
}
