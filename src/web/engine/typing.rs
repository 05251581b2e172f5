//! The engine's typing service: keys typed in answers' boxes, each made in
//! the plan the engine holds (`held.rs`) by what its box shows
//! (`doc::BoxView`, kept here between keys), stored with the plan's list
//! entry and told to the other tabs, as a named change is (`plans.rs`).

use std::cell::RefCell;

use super::held;
use super::protocol::{Compact, Reply, Type, Typed};
use super::storage;
use crate::doc::{heads_of, BoxView};
use crate::plan::PlanId;
use crate::web::words::Words;

/// How many boxes the engine keeps: a page types in one at a time, and a
/// box it no longer knows is given anew by the page.
const BOXES: usize = 16;

type BoxKey = (u32, PlanId, u32);

thread_local! {
    /// What each box shows, by page, plan and box, the latest last.
    static SHOWN: RefCell<Vec<(BoxKey, BoxView)>> = const { RefCell::new(Vec::new()) };
    /// Plans whose keys' chunks are being compacted now.
    static COMPACTING: RefCell<Vec<PlanId>> = const { RefCell::new(Vec::new()) };
}

fn take_box(key: &BoxKey) -> Option<BoxView> {
    SHOWN.with_borrow_mut(|boxes| {
        let at = boxes.iter().position(|(k, _)| k == key)?;
        Some(boxes.remove(at).1)
    })
}

fn keep_box(key: BoxKey, view: BoxView) {
    SHOWN.with_borrow_mut(|boxes| {
        boxes.retain(|(k, _)| *k != key);
        boxes.push((key, view));
        while boxes.len() > BOXES {
            boxes.remove(0);
        }
    });
}

/// Make one key, store it and tell the other tabs.
pub async fn type_key(ask: Type) -> Reply {
    let (mut doc, mut log, _turn) = match held::for_device(&ask.plan, &ask.device).await {
        Ok(read) => read,
        Err(why) => return Reply::Failed(why.to_string()),
    };
    let key = (ask.by, ask.plan.clone(), ask.box_id);
    let view = match &ask.shown {
        Some((version, text)) => Some(doc.box_view(&ask.field, &heads_of(version), text)),
        None => take_box(&key),
    };
    let Some(mut view) = view.filter(|v| *v.field() == ask.field) else {
        held::keep(ask.plan, doc, log);
        return Reply::Failed("the box is not known here".into());
    };
    let keyed = match doc.type_in_box(&mut view, &ask.splice, ask.at_ms) {
        Ok(keyed) => keyed,
        Err(e) => {
            // Refused (too long): nothing changed, the box as it was.
            keep_box(key, view);
            held::keep(ask.plan, doc, log);
            return Reply::Refused {
                message: e.words(),
                details: None,
            };
        }
    };
    let text = match &keyed {
        Some(k) if !k.as_shown => Some(doc.field_value(&ask.field)),
        _ => None,
    };
    let chunk = match keyed {
        None => None,
        // Neither the plan nor the box is held when it could not be
        // stored: the next request reads the plan as stored, and the page
        // gives the box anew.
        Some(_) => match storage::store_for(&doc, &mut log, &ask.plan, ask.by).await {
            Ok(chunk) => chunk,
            Err(why) => {
                if super::db::db().await.is_err() {
                    keep_box(key, view);
                }
                held::keep_unstored(ask.plan, doc, log).await;
                return Reply::NotStored(why);
            }
        },
    };
    keep_box(key, view);
    // The keys' increments have outgrown the snapshot: replaced by one
    // snapshot, read from storage, once this key is answered (every page
    // told, so their copies record it without reading it).
    let compacting = COMPACTING.with_borrow(|c| c.contains(&ask.plan));
    if log.should_compact() && !compacting {
        COMPACTING.with_borrow_mut(|c| c.push(ask.plan.clone()));
        let ask = Compact {
            plan: ask.plan.clone(),
            chunks: log
                .compactable()
                .iter()
                .map(|k| k.as_str().to_owned())
                .collect(),
            device: ask.device.clone(),
            by: ask.by,
        };
        wasm_bindgen_futures::spawn_local(async move {
            let plan = ask.plan.clone();
            storage::compact_for(ask, None).await;
            COMPACTING.with_borrow_mut(|c| c.retain(|p| *p != plan));
        });
    }
    let heads = doc.version_token();
    held::keep(ask.plan, doc, log);
    Reply::Typed(Typed { chunk, heads, text })
}
