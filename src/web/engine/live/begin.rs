//! Keeping in step starts on this device: the keeps stored here are read,
//! the sockets made, and what no engine sent (saves made while none ran) is
//! sealed.

use std::collections::BTreeMap;

use super::sockets::connect;
use super::views::publish_live;
use super::{
    live, now_ms, pump, random_hex, seal, tell, tick_soon, Live, Told, KEY_FROM, KEY_TO, LIVE,
};
use crate::plan::PlanId;
use crate::share::sync::{DeviceKey, Engines, Keep};
use crate::web::engine::db;
use crate::web::engine::protocol::live::{LiveAnswer, LiveEvent, LiveStart};

/// Start keeping in step: this device's keys, the deployment's relay, the
/// keeps stored here. Asked again of a running engine (a page that did not
/// hear it started), it tells the page everything again.
pub(super) async fn begin(start: LiveStart) -> LiveAnswer {
    let configured = start.relay.is_some();
    if live(|_| ()).is_some() {
        tell(LiveEvent::Configured(configured));
        live(|l| l.told = Told::default());
        publish_live();
        connect();
        return LiveAnswer::Done;
    }
    let Some(device) = DeviceKey::from_bytes(&start.device_key) else {
        return LiveAnswer::NotStarted;
    };
    let now = now_ms();
    let shards = start
        .relay
        .as_ref()
        .map_or(1, crate::share::shard::RelayAddress::shard_count);
    let mut engine = Engines::new(device.clone(), format!("csp-{}", random_hex()), shards);
    if let Ok(db) = db::db().await {
        if let Ok(found) = db.chunks_in(KEY_FROM, KEY_TO).await {
            for (k, bytes) in found {
                let id = k.strip_prefix(KEY_FROM).and_then(PlanId::parse);
                if let (Some(id), Some(keep)) = (id, Keep::restore(&bytes, &device, now)) {
                    engine.insert(id, keep);
                }
            }
        }
    }
    // Another start finished first while this one read the keeps.
    if live(|_| ()).is_some() {
        return LiveAnswer::Done;
    }
    LIVE.with(|l| {
        *l.borrow_mut() = Some(Live {
            relay: start.relay,
            address: start.address,
            device: start.device,
            engine,
            conns: Default::default(),
            synced: Default::default(),
            sealing: Vec::new(),
            unstored: Vec::new(),
            taking: Default::default(),
            ticking: false,
            offline: false,
            joiner: None,
            told: Told::default(),
        })
    });
    // The other tabs' saves are sealed too (this engine's own are, as it
    // tells the tabs).
    crate::web::engine::storage::listen_tabs();
    super::sockets::follow_the_network();
    tell(LiveEvent::Configured(configured));
    publish_live();
    pump();
    connect();
    tick_soon();
    // Saves no engine sealed (it stopped first, or the page saved with
    // none), and keeps carried on from an earlier format (the chosen parts
    // again, whole), are sealed now: read one plan at a time.
    wasm_bindgen_futures::spawn_local(async move {
        let stored = stored_chunks().await;
        let due = live(|l| l.engine.to_seal_at_start(&stored)).unwrap_or_default();
        for id in due {
            seal(id).await;
        }
    });
    LiveAnswer::Done
}

/// The names of each stored plan's chunks, read from their keys alone.
async fn stored_chunks() -> BTreeMap<PlanId, Vec<String>> {
    let mut stored: BTreeMap<PlanId, Vec<String>> = BTreeMap::new();
    let Ok(db) = db::db().await else {
        return stored;
    };
    // Every plan's chunks: their keys start with the plan's id and a '/'.
    let Ok(keys) = db.chunk_keys_in("", "\u{10ffff}").await else {
        return stored;
    };
    for key in keys {
        if let Some(id) = crate::store::ChunkKey::parse(&key).and_then(|k| k.plan()) {
            stored.entry(id).or_default().push(key);
        }
    }
    stored
}
