//! The engine's backup service: restoring a backup into this device's
//! storage, beside the page.
//!
//! As on the page before (`App::restore_here`), the whole backup is opened
//! and every plan in it checked against the plan's limits before anything
//! is written, so a bad backup leaves storage as it was; then each plan is
//! merged into the copy this device holds (never overwriting) and written in
//! its own IndexedDB transaction, with its list entry, and the tabs are told.
//! The page hears how far it has got (`FromEngine::Progress`, in its own
//! words) and stays free for the person. The device's settings in the
//! backup go back to the page, whose localStorage holds them.

use super::protocol::{Reply, Restore, Step, Stored};
use super::refusal::Refusal;
use super::storage::announce;
use crate::plan::DeviceActor;
use crate::share::backup::{self, BackupError};
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, Tally};

/// Restore a backup; `progress` hears each step as it is reached.
pub async fn restore(ask: Restore, progress: &dyn Fn(Step, u32, u32)) -> Reply {
    let Some(device) = DeviceActor::for_device(&ask.device) else {
        return Refusal::PageDoesIt("not a device id").reply();
    };
    match run(ask, device, progress).await {
        Ok(stored) => Reply::Restored(stored),
        Err(refused) => refused.reply(),
    }
}

async fn run(
    ask: Restore,
    device: DeviceActor,
    progress: &dyn Fn(Step, u32, u32),
) -> Result<Stored, Refusal> {
    let Restore {
        text, passphrase, ..
    } = ask;
    // A restore only merges (it makes no change of its own), so the actor
    // names no one's work; a session of its own all the same, when one can
    // be made.
    let actor = device.new_session().unwrap_or(device);
    let sealed = backup::peek(&text)?;
    drop(text);
    if passphrase.is_empty() {
        return Err(BackupError::NeedsPassphrase.into());
    }
    let key = crate::share::derive(&passphrase, sealed.lock()).map_err(BackupError::Crypto)?;
    let opened = sealed.open(&key)?;
    let total = opened.plans.len() as u32;
    let mut docs = Vec::with_capacity(opened.plans.len());
    for (i, (id, bytes)) in opened.plans.iter().enumerate() {
        if i % 10 == 0 {
            progress(Step::Checking, i as u32 + 1, total);
        }
        docs.push(backup::check_plan(id, bytes, &actor)?);
    }
    // Everything is checked: from here, each plan is written on its own.
    let db = Db::open().await?;
    let mut done = Stored {
        tally: Tally::default(),
        changed: Vec::new(),
        settings: serde_json::to_string(&opened.settings).unwrap_or_default(),
        made_ms: opened.made_ms,
    };
    for (i, theirs) in docs.into_iter().enumerate() {
        progress(Step::Restoring, i as u32 + 1, total);
        let id = theirs.plan_id().clone();
        let nonce = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        let now = js_sys::Date::now() as i64;
        let restoring =
            plan_store::restore_plan::<Refusal>(&db, &actor, theirs, now, nonce).await?;
        if !done.tally.count(restoring) {
            continue;
        }
        announce(&id);
        done.changed.push(id);
    }
    Ok(done)
}
