//! Taking in what came from the relay: the sync core merges bundles into
//! the plan as stored (read through `held.rs`, one request at a time per
//! plan); what is new is stored with the plan's list entry and the tabs
//! are told (the page takes it in as another tab's save); only once it is
//! stored are the bundles reported taken (`Engines::saved`), so an engine
//! stopped half-way takes them again next time. The first copy of a plan a
//! device was allowed to join.

use super::views::{publish_keep, set_joining};
use super::{live, now_ms, pump, say, store_keep_now, tell};
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId};
use crate::share::sync::engine::Taken;
use crate::share::sync::DocumentId;
use crate::store::ChunkLog;
use crate::web::engine::db::{db, reopen_next_time};
use crate::web::engine::held;
use crate::web::engine::protocol::live::{Joining, LiveEvent};
use crate::web::engine::storage::{prepare, tell_tabs};
use crate::web::platform::tabs::TabMessage;
use crate::web::words::live as words;

/// Bundles wait for a plan: take them in, unless that is under way (then
/// it goes round once more when done).
pub(super) fn take_in_soon(id: PlanId) {
    let first = live(|l| match l.taking.get_mut(&id) {
        Some(again) => {
            *again = true;
            false
        }
        None => {
            l.taking.insert(id.clone(), false);
            true
        }
    });
    if first == Some(true) {
        wasm_bindgen_futures::spawn_local(take_in(id));
    }
}

async fn take_in(id: PlanId) {
    loop {
        let Some(device) = live(|l| l.device.clone()) else {
            return;
        };
        match held::for_device(&id, &device).await {
            Ok((mut doc, log, _turn)) => {
                let taken = live(|l| l.engine.take_in(&id, &mut doc));
                if let Some(taken) = taken.filter(|t| !t.arrived.is_empty()) {
                    store_taken(&id, doc, log, &taken).await;
                } else {
                    held::keep(id.clone(), doc, log);
                }
            }
            Err(_) => say(words::PLAN_NOT_OPENED.into()),
        }
        pump();
        let again = live(|l| {
            let again = l.taking.get(&id).copied().unwrap_or(false);
            if again {
                l.taking.insert(id.clone(), false);
            } else {
                l.taking.remove(&id);
            }
            again
        });
        if again != Some(true) {
            return;
        }
    }
}

/// Store what was merged into `doc`, tell the tabs, then report the
/// bundles taken. Not stored: the plan is not held (the next read is from
/// storage) and the bundles are not reported, so they are taken again.
async fn store_taken(id: &PlanId, doc: PlanDoc, mut log: ChunkLog, taken: &Taken) {
    // Nothing new (bundles of changes here already): nothing to write.
    if let Some(mut save) = prepare(&doc, &log, false) {
        let written = match db().await {
            Ok(db) => db.write(save.take_write()).await,
            Err(e) => Err(e),
        };
        if written.is_err() {
            reopen_next_time();
            say(words::KEEP_NOT_STORED.into());
            return;
        }
        save.record(&mut log);
        tell_tabs(TabMessage::Saved {
            plan: id.clone(),
            by: None,
            compacted: None,
        });
    }
    let now = now_ms();
    live(|l| l.engine.saved(id, taken, &doc, now));
    super::read_from(id, &log);
    if !taken.authors.is_empty() || !taken.text_conflicts.is_empty() {
        tell(LiveEvent::Taken {
            plan: id.clone(),
            authors: taken.authors.clone(),
            text_conflicts: taken.text_conflicts.clone(),
        });
    }
    held::keep(id.clone(), doc, log);
}

/// The other side's devices' names, for what is said of their changes.
pub(super) fn other_name(id: &PlanId) -> String {
    live(|l| {
        l.engine.keep(id).and_then(|k| {
            let names: Vec<String> = k.others().map(|m| m.name.clone()).collect();
            (!names.is_empty()).then(|| names.join(" and "))
        })
    })
    .flatten()
    .unwrap_or_else(super::other_default)
}

/// A joining device was allowed and the plan has come: it joins the
/// caseload (or merges with a copy already here, from a file).
pub(super) async fn first_copy(doc_id: DocumentId) {
    let fail = |e: String| set_joining(Some(Joining::Failed(e)), None);
    let Some((device, me, stopped)) = live(|l| {
        let stopped = l.engine.joining_keep(&doc_id).is_some_and(|k| k.stopped);
        (l.device.clone(), l.joiner.clone(), stopped)
    }) else {
        return;
    };
    if stopped {
        return fail(words::STOPPED_LINK.into());
    }
    let Some(actor) = DeviceActor::for_device(&device).and_then(|d| d.new_session().ok()) else {
        return;
    };
    let made = live(|l| l.engine.first_copy(&doc_id, &actor));
    let (id, plan, taken) = match made {
        Some(Ok(x)) => x,
        Some(Err(e)) => return fail(words::take_words(&e)),
        None => return,
    };
    // Merged into the copy here (from a file), or the first copy.
    let (mut doc, log, turn) = match held::for_device(&id, &device).await {
        Ok((mut here, log, turn)) => {
            let mut theirs = plan;
            if here.merge(&mut theirs).is_err() {
                return fail(words::PLAN_NOT_OPENED.into());
            }
            (here, log, Some(turn))
        }
        Err(_) => (plan, ChunkLog::empty(), None),
    };
    if let (Some(me), Some(person)) = (me, DeviceActor::for_device(&device)) {
        if doc.participant(&person).as_ref() != Some(&me) {
            let _ = doc.ensure_participant(&person, me, now_ms());
        }
    }
    store_taken(&id, doc, log, &taken).await;
    drop(turn);
    store_keep_now(&id);
    set_joining(Some(Joining::Joined(id.clone())), None);
    publish_keep(&id);
    pump();
}
