//! The engine's backup service, beside the page: restoring a backup into
//! this device's storage, making one of every plan on the device, and the
//! caseload's returns spreadsheet (which reads every plan as a backup does).
//!
//! Making a backup or the returns reads each plan from storage with the
//! changes the page has not stored yet merged in, so they hold what the
//! person sees; a plan whose stored bytes cannot be read is left out, left
//! as it is, and counted. The page's thread only waits for the answer.
//!
//! The whole backup is opened
//! and every plan in it checked against the plan's limits before anything
//! is written, so a bad backup leaves storage as it was; then each plan is
//! merged into the copy this device holds (never overwriting) and written in
//! its own IndexedDB transaction, with its list entry, and the tabs are told.
//! The page hears how far it has got (`FromEngine::Progress`, in its own
//! words) and stays free for the person. The device's settings in the
//! backup go back to the page, whose localStorage holds them.

use super::protocol::{BackUp, Reply, Restore, Returns, Step, Stored};
use super::refusal::{session_of, Refusal};
use super::storage::announce;
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId};
use crate::share::backup::{self, Backup, BackupError};
use crate::share::Kdf;
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, Tally};

/// Visit every plan stored on this device, as the person sees it (the
/// page's unsaved changes merged in), saying how far it has got as `step`.
/// Returns how many could not be read.
async fn each_plan(
    actor: &DeviceActor,
    unsaved: &[(PlanId, Vec<u8>)],
    step: Step,
    progress: &dyn Fn(Step, u32, u32),
    mut each: impl FnMut(&PlanId, PlanDoc),
) -> Result<u32, Refusal> {
    let db = Db::open().await?;
    let list = plan_store::list(&db).await?;
    let total = list.len() as u32;
    let mut unreadable = 0;
    for (i, summary) in list.iter().enumerate() {
        if i % 10 == 0 {
            progress(step, i as u32 + 1, total);
        }
        let id = &summary.plan_id;
        match plan_store::load(&db, id, actor).await {
            Ok((mut doc, _)) => {
                for (_, bytes) in unsaved.iter().filter(|(u, _)| u == id) {
                    // Changes the page holds only add to what is stored; if
                    // they cannot be read, the plan goes as stored.
                    let _ = doc.apply_saved(bytes);
                }
                each(id, doc);
            }
            Err(plan_store::OpenError::NotFound) => {}
            Err(plan_store::OpenError::Damaged { .. }) => unreadable += 1,
            Err(plan_store::OpenError::Store(e)) => return Err(e.into()),
        }
    }
    Ok(unreadable)
}

/// Back up every plan on this device, locked with the passphrase.
pub async fn back_up(ask: BackUp, progress: &dyn Fn(Step, u32, u32)) -> Reply {
    make_backup(ask, progress)
        .await
        .unwrap_or_else(Refusal::reply)
}

async fn make_backup(ask: BackUp, progress: &dyn Fn(Step, u32, u32)) -> Result<Reply, Refusal> {
    let actor = session_of(&ask.device)?;
    backup::check_passphrase(&ask.passphrase)?;
    let mut settings = ask.settings;
    // What keeping in step holds of each plan, as stored (this engine's
    // keeps stored first).
    settings.keeps = super::live::keeps_as_stored().await;
    let mut plans = Vec::new();
    let unreadable = each_plan(
        &actor,
        &ask.unsaved,
        Step::BackingUp,
        progress,
        |id, doc| plans.push((id.clone(), doc.save())),
    )
    .await?;
    let kdf = Kdf::fresh().map_err(BackupError::Crypto)?;
    let key = crate::share::derive(&ask.passphrase, &kdf).map_err(BackupError::Crypto)?;
    let count = plans.len() as u32;
    let text = backup::write_locked(
        &Backup {
            made_ms: ask.made_ms,
            settings,
            plans,
        },
        &kdf,
        &key,
    )?;
    Ok(Reply::BackedUp {
        text,
        plans: count,
        unreadable,
    })
}

/// The caseload's returns spreadsheet, of every plan on this device.
pub async fn returns(ask: Returns, progress: &dyn Fn(Step, u32, u32)) -> Reply {
    write_returns(ask, progress)
        .await
        .unwrap_or_else(Refusal::reply)
}

async fn write_returns(ask: Returns, progress: &dyn Fn(Step, u32, u32)) -> Result<Reply, Refusal> {
    let actor = session_of(&ask.device)?;
    let mut plans = Vec::new();
    let unreadable = each_plan(&actor, &ask.unsaved, Step::Reading, progress, |_, doc| {
        if let Ok(p) = doc.plan() {
            plans.push(p);
        }
    })
    .await?;
    Ok(Reply::Returns {
        text: crate::share::returns::csv(&plans)?,
        unreadable,
    })
}

/// Restore a backup; `progress` hears each step as it is reached.
pub async fn restore(ask: Restore, progress: &dyn Fn(Step, u32, u32)) -> Reply {
    match run(ask, progress).await {
        Ok(stored) => Reply::Restored(stored),
        Err(refused) => refused.reply(),
    }
}

async fn run(ask: Restore, progress: &dyn Fn(Step, u32, u32)) -> Result<Stored, Refusal> {
    // A restore only merges (it makes no change of its own), so the actor
    // names no one's work; a session of its own all the same.
    let actor = session_of(&ask.device)?;
    let Restore {
        text, passphrase, ..
    } = ask;
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
        settings: opened.settings.clone(),
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
