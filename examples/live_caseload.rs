//! Prepares the live-sync caseload benchmark (`scripts/bench-live.mjs`; not
//! a test): a key worker's caseload of N plans kept in step, each with one
//! carer change waiting on the relay that the worker has not seen yet.
//!
//! `cargo run --release --example live_caseload -- --out DIR [--plans N]`
//!
//! For each plan, through an in-memory relay document (automerge-repo's
//! server keeps one Automerge document per id and syncs it with each peer):
//! the carer's full plan is kept in step (five areas and About you), the
//! worker joins from the link (first copy, his name recorded, his first
//! bundle back), then the carer changes one answer and her device syncs it
//! to the relay only. Written to DIR:
//! * `relay/<document id>`: the relay's document (what the real relay is
//!   seeded with, by `repo.import`),
//! * `worker/<plan id>.plan`: the worker's plan as one snapshot chunk,
//! * `worker/<plan id>.keep`: his `Keep::save()` bytes (`keep:<plan id>`),
//! * `worker/device.key`: his laptop's keys for keeping in step (base64,
//!   as the app keeps them in localStorage),
//! * `manifest.json`: per plan, its id, document id, chunk key, the caseload
//!   entry (the `plans` store's JSON) and the words waiting.

use std::fs;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use carer_plan::plan::summary::PlanSummary;
use carer_plan::share::sync::DeviceKey;

#[path = "../tests/common/mod.rs"]
mod common;

use common::sim::{allow, asks_with, carer_starts, settle, Device, Relay};
use common::*;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let out = PathBuf::from(arg("--out").expect("--out DIR"));
    let plans: usize = arg("--plans").map_or(300, |n| n.parse().expect("--plans N"));
    fs::create_dir_all(out.join("relay")).unwrap();
    fs::create_dir_all(out.join("worker")).unwrap();
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_millis() as i64;
    let started = Instant::now();
    let worker_actor = actor();
    // One laptop: the same device keys for every plan on the caseload.
    let worker_key = DeviceKey::generate().unwrap();
    fs::write(
        out.join("worker").join("device.key"),
        base64::engine::general_purpose::STANDARD.encode(worker_key.to_bytes()),
    )
    .unwrap();
    let mut manifest = Vec::new();
    let (mut relay_bytes, mut plan_bytes, mut keep_bytes) = (0, 0, 0);
    for i in 0..plans {
        let mut relay = Relay::default();
        let (mut carer, link) = carer_starts(&mut relay);
        let name = format!("Margaret Brown {}", i + 1);
        carer
            .plan
            .as_mut()
            .unwrap()
            .set_field(&Field::Carer(CarerField::Name), &name, now - 60_000)
            .unwrap();
        carer.changed(&mut relay);
        // The worker's laptop asks, is allowed, and says who he is.
        let mut worker = asks_with(
            &mut relay,
            "worker",
            worker_key.clone(),
            &link,
            Role::KeyWorker,
        );
        worker.actor = worker_actor.clone();
        allow(&mut relay, &mut carer, &mut worker);
        worker
            .plan
            .as_mut()
            .unwrap()
            .ensure_participant(&worker_actor, worker_participant(), now - 50_000)
            .unwrap();
        worker.changed(&mut relay);
        settle(&mut relay, &mut [&mut carer, &mut worker]);

        // One change waiting: the carer's, on the relay, not yet seen.
        worker.disconnect(&mut relay);
        let waiting = format!("Money is tight since March; plan {} waiting.", i + 1);
        carer.set(&mut relay, "finances", &waiting);
        settle(&mut relay, &mut [&mut carer]);

        let id = worker.plan().plan_id().clone();
        let doc_id = worker.keep().doc_id().to_string();
        let chunk_key = ChunkKey::new(&id, ChunkKind::Snapshot, now - 50_000, i as u32);
        let summary = PlanSummary::of(&worker.plan().plan().unwrap(), now - 50_000);
        let (r, p, k) = (
            relay.docs[&doc_id].save(),
            worker.plan().save(),
            worker.keep().save(),
        );
        (relay_bytes, plan_bytes, keep_bytes) = (
            relay_bytes + r.len(),
            plan_bytes + p.len(),
            keep_bytes + k.len(),
        );
        fs::write(out.join("relay").join(&doc_id), r).unwrap();
        fs::write(out.join("worker").join(format!("{id}.plan")), p).unwrap();
        fs::write(out.join("worker").join(format!("{id}.keep")), k).unwrap();
        manifest.push(serde_json::json!({
            "plan_id": id.to_string(),
            "doc_id": doc_id,
            "chunk_key": chunk_key.as_str(),
            "summary": serde_json::to_string(&summary).unwrap(),
            "waiting": waiting,
        }));
        let _: &Device = &carer;
    }
    fs::write(
        out.join("manifest.json"),
        serde_json::to_string(&manifest).unwrap(),
    )
    .unwrap();
    println!(
        "{}",
        serde_json::json!({
            "plans": plans,
            "relay_bytes": relay_bytes,
            "worker_plan_bytes": plan_bytes,
            "worker_keep_bytes": keep_bytes,
            "prepare_ms": started.elapsed().as_millis() as u64,
        })
    );
}

fn worker_participant() -> Participant {
    worker("Sam Patel")
}
