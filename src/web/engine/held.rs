//! The plans the engine holds read between two requests: the plan on
//! screen is opened (`plans.rs`) and then read again whenever it changes
//! (its history, its banner, its sign-off status: `reads.rs`), so only what
//! was stored since is read from storage. One request at a time has a plan
//! out (`Turn`): a read asked while the plan is being opened waits for it
//! rather than reading the whole plan from storage a second time.

use std::cell::RefCell;
use std::collections::{HashMap, VecDeque};

use wasm_bindgen_futures::JsFuture;

use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId};
use crate::store::{ChunkKey, ChunkLog};
use crate::web::platform::idb::Db;
use crate::web::platform::plan_store::{self, OpenError};

/// Why a plan could not be read for a request.
#[derive(Debug)]
pub enum NotHeld {
    /// Nothing is stored under its id (never here, or deleted).
    NotFound,
    /// Its bytes are there and cannot be read: left untouched, and given
    /// back so the person can download them.
    Damaged {
        error: crate::doc::DocError,
        raw: Vec<u8>,
    },
    /// Storage, or the request itself, failed: a technical detail.
    Failed(String),
}

impl std::fmt::Display for NotHeld {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            NotHeld::NotFound | NotHeld::Damaged { .. } => {
                f.write_str("the plan is not stored here")
            }
            NotHeld::Failed(why) => f.write_str(why),
        }
    }
}

/// How many plans the engine keeps read.
const KEEP: usize = 3;

thread_local! {
    /// The plans read lately, the most recent last, each with the chunks
    /// of storage it holds (`ChunkLog`), as a tab keeps an open plan.
    static HELD: RefCell<Vec<(PlanId, PlanDoc, ChunkLog)>> = const { RefCell::new(Vec::new()) };
    /// The plans a request has out now, each with the requests waiting
    /// for it (their promises' `resolve`).
    static OUT: RefCell<HashMap<PlanId, VecDeque<js_sys::Function>>> = RefCell::new(HashMap::new());
}

/// A request's turn with a plan, from [`for_device`] until it is dropped (after
/// [`keep`], or when the request ends without keeping it): the next
/// request waiting for the plan goes on then.
pub struct Turn(PlanId);

impl Drop for Turn {
    fn drop(&mut self) {
        // The turn passes to the request that has waited longest, and to
        // no request that came after it (one arriving meanwhile waits
        // behind): the requests for a plan are served in the order they came.
        let next = OUT.with_borrow_mut(|out| {
            let waiting = out.get_mut(&self.0)?;
            let next = waiting.pop_front();
            if next.is_none() {
                out.remove(&self.0);
            }
            next
        });
        if let Some(resolve) = next {
            let _ = resolve.call0(&wasm_bindgen::JsValue::UNDEFINED);
        }
    }
}

/// Wait until no other request has `plan` out, then take the turn: at once
/// when nobody has it, else when it is handed on, in the order asked.
async fn turn(plan: &PlanId) -> Turn {
    let mut handed = None;
    let wait = js_sys::Promise::new(&mut |resolve, _| handed = Some(resolve));
    let free = OUT.with_borrow_mut(|out| match out.get_mut(plan) {
        Some(waiting) => {
            waiting.extend(handed.take());
            false
        }
        None => {
            out.insert(plan.clone(), VecDeque::new());
            true
        }
    });
    if !free {
        let _ = JsFuture::from(wait).await;
    }
    Turn(plan.clone())
}

/// The plan as stored, for a request from the device `device` (its id):
/// the copy held since last time with what was stored since, or read
/// whole. Taken out of the held plans until [`keep`] puts it back, and no
/// other request has it until the [`Turn`] is dropped.
pub async fn for_device(plan: &PlanId, device: &str) -> Result<(PlanDoc, ChunkLog, Turn), NotHeld> {
    let actor = DeviceActor::for_device(device)
        .and_then(|d| d.new_session().ok())
        .ok_or_else(|| NotHeld::Failed("not a device id".to_owned()))?;
    // The turn is taken first, before anything is awaited: the requests
    // for one plan are served in the order they came (a sign-off asked
    // after a choice signs the plan with it).
    let turn = turn(plan).await;
    let db = match super::db::db().await {
        Ok(db) => db,
        // No storage on this device at all: the plan held here is the only
        // copy (see [`keep_unstored`]).
        Err(e) => {
            let kept = HELD.with_borrow_mut(|held| {
                let at = held.iter().position(|(id, ..)| id == plan)?;
                Some(held.remove(at))
            });
            return match kept {
                Some((_, doc, log)) => Ok((doc, log, turn)),
                None => Err(NotHeld::Failed(e.to_string())),
            };
        }
    };
    read(&db, plan, &actor)
        .await
        .map(|(doc, log)| (doc, log, turn))
}

/// A plan that could not be stored: held all the same when this device
/// has no storage at all (IndexedDB will not open: some private modes), so
/// the person can go on writing while the screens say nothing is kept;
/// otherwise not held, and the next request reads it as stored.
pub async fn keep_unstored(plan: PlanId, doc: PlanDoc, log: ChunkLog) {
    if super::db::db().await.is_err() {
        keep(plan, doc, log);
    }
}

async fn read(db: &Db, plan: &PlanId, actor: &DeviceActor) -> Result<(PlanDoc, ChunkLog), NotHeld> {
    let kept = HELD.with_borrow_mut(|held| {
        let at = held.iter().position(|(id, ..)| id == plan)?;
        Some(held.remove(at))
    });
    let Some((_, mut doc, mut log)) = kept else {
        return whole(db, plan, actor).await;
    };
    let (chunks, keys) = plan_store::unseen(db, plan, &log)
        .await
        .map_err(|e| NotHeld::Failed(e.to_string()))?;
    // Deleted since (the whole plan is gone from storage).
    if keys.is_empty() {
        return Err(NotHeld::NotFound);
    }
    if !log.take_in(&mut doc, chunks, &keys) {
        // A chunk the copy held cannot take (one stored in the same
        // millisecond as one it depends on, read before it): the plan is
        // read whole again, as storage has it.
        return whole(db, plan, actor).await;
    }
    Ok((doc, log))
}

/// The plan read whole from storage.
async fn whole(
    db: &Db,
    plan: &PlanId,
    actor: &DeviceActor,
) -> Result<(PlanDoc, ChunkLog), NotHeld> {
    match plan_store::load(db, plan, actor).await {
        Ok(read) => Ok(read),
        Err(OpenError::Store(e)) => Err(NotHeld::Failed(e.to_string())),
        Err(OpenError::NotFound) => Err(NotHeld::NotFound),
        Err(OpenError::Damaged { error, raw }) => Err(NotHeld::Damaged { error, raw }),
    }
}

/// The engine wrote a snapshot of exactly the chunks `removed` under `key`:
/// the plan held here records it without reading it, if it had read them
/// all (a plan some request has out reads it as any chunk stored since).
pub fn replaced(plan: &PlanId, key: &ChunkKey, len: usize, removed: &[ChunkKey]) {
    HELD.with_borrow_mut(|held| {
        if let Some((_, _, log)) = held.iter_mut().find(|(id, ..)| id == plan) {
            log.replaced_if_read(key.clone(), len, removed);
        }
    });
}

/// Hold a plan for the next request, and no more than [`KEEP`].
pub fn keep(plan: PlanId, doc: PlanDoc, log: ChunkLog) {
    HELD.with_borrow_mut(|held| {
        held.retain(|(id, ..)| *id != plan);
        held.push((plan, doc, log));
        while held.len() > KEEP {
            held.remove(0);
        }
    });
}
