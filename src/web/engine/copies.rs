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

use std::cell::OnceCell;

use super::protocol::{Added, Copy, Reply};
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, RandomError};
use crate::share::exchange::{self, ImportError};
use crate::share::{ShareError, Unopened};
use crate::store::ChunkLog;
use crate::web::platform::idb::{Db, StoreError};
use crate::web::platform::plan_store::{self, OpenError};
use crate::web::platform::tabs::{TabMessage, Tabs};
use crate::web::words::{self, Words};

thread_local! {
    /// The engine's own end of the tabs' channel (it only speaks on it).
    static TABS: OnceCell<Tabs> = const { OnceCell::new() };
}

/// Why a copy was not added. Nothing was stored.
enum Refusal {
    Import(ImportError),
    Store(StoreError),
    /// The plan's stored bytes cannot be read: they are left as they are.
    StoredCopyDamaged,
    Random(RandomError),
}

impl From<ImportError> for Refusal {
    fn from(e: ImportError) -> Self {
        Refusal::Import(e)
    }
}

impl From<StoreError> for Refusal {
    fn from(e: StoreError) -> Self {
        Refusal::Store(e)
    }
}

impl From<crate::doc::DocError> for Refusal {
    fn from(e: crate::doc::DocError) -> Self {
        Refusal::Import(e.into())
    }
}

/// Add a copy; the reply says what happened, in the words the page would
/// have used (`web/words/`) when it was refused.
pub async fn add_copy(copy: Copy) -> Reply {
    let Some(actor) = DeviceActor::for_device(&copy.device) else {
        return Reply::Failed("not a device id".into());
    };
    match add(copy, actor).await {
        Ok(added) => Reply::Added(added),
        Err(Refusal::Import(e)) => Reply::Refused {
            message: e.words(),
            details: words::import_details(&e),
        },
        Err(Refusal::Store(e)) => Reply::Refused {
            message: e.to_string(),
            details: None,
        },
        Err(Refusal::StoredCopyDamaged) => Reply::Refused {
            message: words::STORED_COPY_DAMAGED.into(),
            details: None,
        },
        Err(Refusal::Random(e)) => Reply::Refused {
            message: e.words(),
            details: None,
        },
    }
}

async fn add(copy: Copy, device: DeviceActor) -> Result<Added, Refusal> {
    let Copy {
        text,
        passphrase,
        into,
        me,
        ..
    } = copy;
    let actor = device.new_session().map_err(Refusal::Random)?;
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
            store(&db, &doc, &log, now).await?;
            Added::Merged(id.clone(), report)
        }
        Err(OpenError::NotFound) => {
            let mut doc = exchange::adopt(incoming, &header, &actor, now)?;
            doc.ensure_participant(&actor, me, now)?;
            store(&db, &doc, &ChunkLog::empty(), now).await?;
            Added::Created(id.clone())
        }
        Err(OpenError::Damaged { .. }) => return Err(Refusal::StoredCopyDamaged),
        Err(OpenError::Store(e)) => return Err(e.into()),
    };
    TABS.with(|tabs| {
        tabs.get_or_init(|| Tabs::listen(|_| {}))
            .announce(&TabMessage::Saved { plan: id })
    });
    Ok(added)
}

/// Write what the stored chunks do not hold, with the plan's list entry.
async fn store(db: &Db, doc: &PlanDoc, log: &ChunkLog, now: i64) -> Result<(), StoreError> {
    let nonce = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    if let Some(mut save) = plan_store::prepare(doc, None, log, now, nonce) {
        db.write(save.take_write()).await?;
    }
    Ok(())
}
