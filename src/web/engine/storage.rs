//! The engine's way into storage: the same IndexedDB and chunk log as the
//! page's tabs (`platform/plan_store.rs`), written as one more tab writes.

use std::cell::OnceCell;

use crate::doc::PlanDoc;
use crate::plan::PlanId;
use crate::store::ChunkLog;
use crate::web::platform::idb::{Db, StoreError};
use crate::web::platform::plan_store;
use crate::web::platform::tabs::{TabMessage, Tabs};

thread_local! {
    /// The engine's own end of the tabs' channel (it only speaks on it).
    static TABS: OnceCell<Tabs> = const { OnceCell::new() };
}

/// Write what the stored chunks (`log`) do not hold of `doc`, with the
/// plan's list entry, in one transaction. `false`: nothing to write.
pub async fn write(db: &Db, doc: &PlanDoc, log: &ChunkLog) -> Result<bool, StoreError> {
    let now = js_sys::Date::now() as i64;
    let nonce = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
    let Some(mut save) = plan_store::prepare(doc, None, log, now, nonce) else {
        return Ok(false);
    };
    db.write(save.take_write()).await?;
    Ok(true)
}

/// Tell the tabs a plan changed in storage, as a tab does after it saves:
/// each merges it into the plan if it has it open, and lists it again.
pub fn announce(id: &PlanId) {
    TABS.with(|tabs| {
        tabs.get_or_init(|| Tabs::listen(|_| {}))
            .announce(&TabMessage::Saved { plan: id.clone() })
    });
}
