//! The engine's sharing service, outgoing side: making a share file.
//!
//! The plan is read as stored, with the changes the page had not stored yet
//! (sent with the request), so the file holds everything the person sees.
//! The share is recorded in the plan (what, with whom, when, by whom: the
//! carer's consent) and stored before the file is handed back; the page
//! takes the record in from storage, as it does another tab's save. The
//! lock's key is derived here too, so the page waits on nothing.

use super::protocol::{MakeShare, Reply};
use super::refusal::Refusal;
use super::storage::{announce, write};
use crate::plan::DeviceActor;
use crate::share::exchange::{self, ImportError, Outgoing};
use crate::share::{Kdf, Lock, ShareError};
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, OpenError};

/// Make the file; the reply is its text, or why not in the page's words
/// (or `Failed`, when the page is to make it itself).
pub async fn make_share(ask: MakeShare) -> Reply {
    let Some(device) = DeviceActor::for_device(&ask.device) else {
        return Refusal::Technical("not a device id").reply();
    };
    // The share's record is a change: made under a session of its own.
    let Ok(actor) = device.new_session() else {
        return Refusal::Technical("no random numbers for a session").reply();
    };
    match make(ask, device, actor).await {
        Ok(text) => Reply::Shared { text },
        Err(refused) => refused.reply(),
    }
}

async fn make(ask: MakeShare, device: DeviceActor, actor: DeviceActor) -> Result<String, Refusal> {
    let lock = match ask.passphrase.as_deref() {
        Some(p) => {
            crate::share::file::check_passphrase(p).map_err(ImportError::from)?;
            let kdf = Kdf::fresh().map_err(crypto)?;
            let key = crate::share::derive(p, &kdf).map_err(crypto)?;
            Some((kdf, key))
        }
        None => None,
    };
    let db = Db::open().await?;
    let (mut doc, log) = match plan_store::load(&db, &ask.plan, &actor).await {
        Ok(found) => found,
        Err(OpenError::Store(e)) => return Err(e.into()),
        // Not stored yet, or not readable: the page has it open and makes
        // the file itself.
        Err(OpenError::NotFound | OpenError::Damaged { .. }) => {
            return Err(Refusal::Technical("the plan is not stored here"))
        }
    };
    if !ask.unsaved.is_empty() {
        doc.apply_saved(&ask.unsaved)?;
    }
    let out = Outgoing {
        sender: &device,
        sender_name: &ask.sender_name,
        sender_role: ask.sender_role,
        parts: ask.parts,
        with_whom: ask.with_whom,
        now_ms: ask.made_ms,
    };
    let lock = match &lock {
        Some((kdf, key)) => Lock::Key(kdf, key),
        None => Lock::None,
    };
    let text = exchange::share_as(&mut doc, &out, &ask.share_id, lock)?;
    write(&db, &doc, &log).await?;
    announce(&ask.plan);
    Ok(text)
}

fn crypto(e: crate::share::CryptoError) -> ImportError {
    ShareError::Crypto(e).into()
}
