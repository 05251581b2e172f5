//! What people decide about keeping in step, asked by the page: start it on
//! this device, record the carer's consent and start, change or stop a
//! keep, join from a link, allow, refuse or remove a device, try now, seal
//! and store everything now, carry on a backup's keeps.

use std::cell::RefCell;

use base64::Engine as _;

use super::sockets::{connect, reconnect_now};
use super::views::{publish_joining, publish_keep, publish_live, set_joining};
use super::{forget_keep, later, live, now_ms, pump, seal, store_keep_now, write_keeps};
use crate::plan::{DeviceActor, PlanId, Section};
use crate::share::sync::consent::{self, Consent};
use crate::share::sync::{DeviceId, DeviceKey, Keep, Link};
use crate::web::engine::protocol::live::{
    ConsentAsk, ConsentWhat, Decision, Joining, LiveAnswer, LiveAsk,
};
use crate::web::engine::storage::{prepare, tell_tabs};
use crate::web::engine::{db, held};
use crate::web::platform::tabs::TabMessage;
use crate::web::words::live as words;

thread_local! {
    /// While keeping in step starts (it reads the keeps from storage): what
    /// settles each request waiting for it.
    static STARTING: RefCell<Option<Vec<js_sys::Function>>> = const { RefCell::new(None) };
}

/// Answer what the page asked of keeping in step. A request that comes
/// while it starts (a new engine is asked to start, then at once to join
/// from a link) waits for it.
pub async fn ask(ask: LiveAsk) -> LiveAnswer {
    if let LiveAsk::Start(start) = ask {
        let first = STARTING.with_borrow_mut(|s| s.is_none().then(|| *s = Some(Vec::new())));
        let answer = super::begin::begin(start).await;
        if first.is_some() {
            for settle in STARTING.with_borrow_mut(Option::take).unwrap_or_default() {
                let _ = settle.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        }
        return answer;
    }
    let wait = js_sys::Promise::new(&mut |settle, _| {
        STARTING.with_borrow_mut(|s| match s {
            Some(waiting) => waiting.push(settle),
            None => {
                let _ = settle.call0(&wasm_bindgen::JsValue::UNDEFINED);
            }
        })
    });
    let _ = wasm_bindgen_futures::JsFuture::from(wait).await;
    if live(|_| ()).is_none() {
        return LiveAnswer::NotStarted;
    }
    match ask {
        LiveAsk::Start(_) => LiveAnswer::Done,
        LiveAsk::Consent(c) => consent_to(c).await,
        LiveAsk::Join { link, me, name } => join(&link, me, &name),
        LiveAsk::Decide {
            plan,
            device,
            decision,
        } => decide(&plan, &device, decision),
        LiveAsk::Reconnect => {
            reconnect_now();
            LiveAnswer::Done
        }
        LiveAsk::Flush => {
            for id in live(|l| std::mem::take(&mut l.sealing)).unwrap_or_default() {
                wasm_bindgen_futures::spawn_local(seal(id));
            }
            write_keeps().await;
            LiveAnswer::Done
        }
        LiveAsk::Restore { sync_key, keeps } => restore(sync_key.as_deref(), &keeps),
        LiveAsk::Network(online) => {
            super::sockets::network(online);
            LiveAnswer::Done
        }
    }
}

/// The sections a carer's choice keeps in step: those that may be shared,
/// but the plan part (always sent), once each, in the order of their ids.
fn kept(sections: &[Section]) -> Vec<Section> {
    let mut kept: Vec<Section> = sections
        .iter()
        .filter(|s| s.shareable() && **s != Section::Plan)
        .cloned()
        .collect();
    kept.sort_by_key(Section::id);
    kept.dedup();
    kept
}

/// Record the carer's consent in her plan (with what the page has not
/// stored yet), store it and tell the tabs (her page takes it in as
/// another tab's save), then start, change or stop the keep.
async fn consent_to(ask: ConsentAsk) -> LiveAnswer {
    let Some(device) = live(|l| l.device.clone()) else {
        return LiveAnswer::NotStarted;
    };
    // Asked again of an engine that took over from one that started the
    // keep and stopped before it answered (the page asks to start only a
    // plan it does not keep): the link made then, nothing recorded twice.
    if matches!(ask.what, ConsentWhat::Start { .. }) {
        let made = live(|l| {
            l.engine
                .keep(&ask.plan)
                .filter(|k| !k.stopped)
                .map(|k| k.link().url(&l.address))
        })
        .flatten();
        if let Some(url) = made {
            return LiveAnswer::Link(url);
        }
    }
    let Some(actor) = DeviceActor::for_device(&device) else {
        return LiveAnswer::NotStarted;
    };
    let (mut doc, mut log, _turn) = match held::for_device(&ask.plan, &device).await {
        Ok(read) => read,
        Err(_) => return LiveAnswer::Refused(words::CONSENT_NOT_RECORDED.into()),
    };
    if !ask.unsaved.is_empty() && doc.apply_stored(&ask.unsaved).is_err() {
        return LiveAnswer::Refused(words::CONSENT_NOT_RECORDED.into());
    }
    let kept = kept(&ask.sections);
    let what = match ask.what {
        ConsentWhat::Start { .. } => Consent::Start,
        ConsentWhat::Change => Consent::Change,
        ConsentWhat::Stop => Consent::Stop,
    };
    if consent::record(&mut doc, what, &kept, &actor, ask.at_ms).is_err() {
        return LiveAnswer::Refused(words::CONSENT_NOT_RECORDED.into());
    }
    if let Some(mut save) = prepare(&doc, &log, false) {
        let written = match db::db().await {
            Ok(db) => db.write(save.take_write()).await,
            Err(e) => Err(e),
        };
        if written.is_err() {
            db::reopen_next_time();
            return LiveAnswer::Refused(words::CONSENT_NOT_RECORDED.into());
        }
        save.record(&mut log);
        tell_tabs(TabMessage::Saved {
            plan: ask.plan.clone(),
            by: None,
            compacted: None,
        });
    }
    let id = ask.plan.clone();
    let now = now_ms();
    let answer = match ask.what {
        ConsentWhat::Start { name } => {
            match live(|l| {
                l.engine
                    .start(&doc, &kept, &name, now)
                    .map(|link| link.url(&l.address))
            }) {
                Some(Ok(url)) => {
                    store_keep_now(&id);
                    publish_live();
                    connect();
                    LiveAnswer::Link(url)
                }
                Some(Err(e)) => LiveAnswer::Refused(words::keep_words(&e)),
                None => LiveAnswer::NotStarted,
            }
        }
        ConsentWhat::Change | ConsentWhat::Stop => {
            let stop = ask.what == ConsentWhat::Stop;
            match live(|l| l.engine.set_consent(&id, &doc, &kept, stop, now)) {
                Some(Ok(())) => {
                    store_keep_now(&id);
                    publish_keep(&id);
                    if stop {
                        let id = id.clone();
                        later(2_000, move || let_go_if_sent(id, 0));
                    }
                    LiveAnswer::Done
                }
                Some(Err(e)) => LiveAnswer::Refused(words::keep_words(&e)),
                None => LiveAnswer::NotStarted,
            }
        }
    };
    held::keep(id, doc, log);
    pump();
    answer
}

/// Once the relay has a stopped keep's last word, let go of the keep.
fn let_go_if_sent(id: PlanId, tries: u32) {
    let sent = live(|l| {
        l.engine
            .keep(&id)
            .is_some_and(|k| k.stopped && k.relay_has_all())
    });
    if sent == Some(true) {
        live(|l| l.engine.remove(&id));
        forget_keep(&id);
        publish_keep(&id);
        // Its shard's socket closes if no other plan needs it.
        connect();
    } else if tries <= 30 {
        later(5_000, move || let_go_if_sent(id, tries + 1));
    }
}

/// Another device opened a link and said yes: it asks to join, and waits
/// for the carer to allow it.
fn join(text: &str, me: crate::plan::Participant, name: &str) -> LiveAnswer {
    let Ok(link) = Link::parse(text) else {
        set_joining(Some(Joining::Failed(words::LINK_DAMAGED.into())), None);
        return LiveAnswer::Done;
    };
    let existing = live(|l| {
        l.engine
            .keeps()
            .find(|(_, k)| k.doc_id() == &link.doc)
            .map(|(id, _)| id.clone())
    })
    .flatten();
    if let Some(id) = existing {
        set_joining(Some(Joining::Joined(id)), None);
        return LiveAnswer::Done;
    }
    // A new join: whatever an earlier one ended with is not this one's.
    let shard = live(|l| l.engine.shard_of(&link.doc));
    set_joining(None, Some(shard));
    let role = me.role;
    let doc = link.doc.clone();
    let asked = live(|l| {
        l.joiner = Some(me);
        l.engine.join(link, role, name, now_ms())
    });
    if !matches!(asked, Some(Ok(()))) {
        set_joining(Some(Joining::Failed(words::JOIN_NOT_ASKED.into())), None);
        return LiveAnswer::Done;
    }
    publish_joining(&doc);
    connect();
    pump();
    LiveAnswer::Done
}

/// The carer allows, refuses or removes a device.
fn decide(id: &PlanId, device: &str, decision: Decision) -> LiveAnswer {
    let Some(d) = device_id(device) else {
        return LiveAnswer::Refused(words::keep_words(
            &crate::share::sync::KeepError::NotAllowed,
        ));
    };
    let now = now_ms();
    let done = live(|l| match decision {
        Decision::Allow => l.engine.allow(id, &d, now),
        Decision::Refuse => l.engine.refuse(id, &d, now),
        Decision::Remove => l.engine.remove_device(id, &d, now),
    });
    match done {
        Some(Ok(())) => {}
        Some(Err(e)) => return LiveAnswer::Refused(words::keep_words(&e)),
        None => return LiveAnswer::NotStarted,
    }
    store_keep_now(id);
    publish_keep(id);
    pump();
    LiveAnswer::Done
}

fn device_id(hex: &str) -> Option<DeviceId> {
    let bytes = crate::plan::ids::from_hex(hex)?;
    Some(DeviceId(bytes.try_into().ok()?))
}

/// After a restore: carry on keeping the backup's plans in step. On a
/// device that keeps nothing in step yet (a new phone), the backup's keys
/// become this device's, so it keeps its place on every list; otherwise
/// plans this device does not keep are counted, and the carer is told to
/// allow this device from the link.
fn restore(sync_key: Option<&str>, keeps: &[(PlanId, String)]) -> LiveAnswer {
    let b64 = base64::engine::general_purpose::STANDARD;
    let theirs = sync_key
        .and_then(|k| b64.decode(k).ok())
        .and_then(|b| DeviceKey::from_bytes(&b));
    let Some(theirs) = theirs else {
        return restored(0, None);
    };
    let (fresh, same) = live(|l| {
        (
            l.engine.keeps().next().is_none() && l.engine.joining().next().is_none(),
            l.engine.device().id() == theirs.id(),
        )
    })
    .unwrap_or((false, false));
    let mut new_key = None;
    if fresh && !same {
        live(|l| l.engine.set_device(theirs.clone()));
        new_key = Some(theirs.to_bytes().to_vec());
    } else if !same {
        return restored(keeps.len(), None);
    }
    let now = now_ms();
    let mut carried = Vec::new();
    for (id, bytes) in keeps {
        let Ok(bytes) = b64.decode(bytes) else {
            continue;
        };
        if live(|l| l.engine.keep(id).is_some()).unwrap_or(true) {
            continue;
        }
        if let Some(k) = Keep::restore(&bytes, &theirs, now) {
            live(|l| l.engine.insert(id.clone(), k));
            carried.push(id.clone());
        }
    }
    for id in &carried {
        store_keep_now(id);
    }
    publish_live();
    connect();
    pump();
    restored(0, new_key)
}

fn restored(not_restored: usize, device_key: Option<Vec<u8>>) -> LiveAnswer {
    LiveAnswer::Restored {
        not_restored: u32::try_from(not_restored).unwrap_or(u32::MAX),
        device_key,
    }
}
