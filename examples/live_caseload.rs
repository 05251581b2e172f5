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
//! * `manifest.json`: per plan, its id, document id, chunk key, the caseload
//!   entry (the `plans` store's JSON) and the words waiting.

use std::fs;
use std::path::PathBuf;
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use automerge::sync::{self, SyncDoc};
use automerge::Automerge;
use carer_plan::plan::summary::PlanSummary;
use carer_plan::share::sync::sealed::Bundle;
use carer_plan::share::sync::take_in::{first_copy, take_in};
use carer_plan::share::sync::{Keep, Link};

#[path = "../tests/common/mod.rs"]
mod common;

use common::*;

const SECTIONS: [&str; 6] = [
    "area-health-wellbeing",
    "area-relationships",
    "area-living-environment",
    "area-finances",
    "area-life-balance",
    "about-you",
];

/// Pass sync messages between one device's keep and the relay's document
/// until neither has anything more to say; the bundles the device opened.
fn exchange(keep: &mut Keep, relay: &mut Automerge, state: &mut sync::State) -> Vec<Bundle> {
    let mut opened = Vec::new();
    loop {
        let mut moved = false;
        if let Some(m) = keep.sync_message() {
            let m = sync::Message::decode(&m).expect("the keep's own message");
            relay
                .receive_sync_message(state, m)
                .expect("the relay takes it");
            moved = true;
        }
        if let Some(m) = relay.generate_sync_message(state) {
            let got = keep.receive(&m.encode()).expect("the keep takes it");
            assert!(got.refused.is_none(), "{:?}", got.refused);
            opened.extend(got.bundles);
            moved = true;
        }
        if !moved {
            return opened;
        }
    }
}

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
    let mut manifest = Vec::new();
    let (mut relay_bytes, mut plan_bytes, mut keep_bytes) = (0, 0, 0);
    for i in 0..plans {
        let carer_actor = actor();
        let mut plan = full_plan(&carer_actor);
        let name = format!("Margaret Brown {}", i + 1);
        plan.set_field(&Field::Carer(CarerField::Name), &name, now - 60_000)
            .unwrap();
        let id = plan.plan_id().clone();
        let link = Link::new().unwrap();
        let sections = SECTIONS.iter().map(|s| s.to_string()).collect();
        let mut carer_keep = Keep::start(link.clone(), id.clone(), sections);
        let mut relay = Automerge::new();
        let (mut with_carer, mut with_worker) = (sync::State::new(), sync::State::new());

        // The carer keeps it in step; the worker joins and says who he is.
        assert!(carer_keep.seal_changes(&plan, &name, 0).unwrap());
        exchange(&mut carer_keep, &mut relay, &mut with_carer);
        let mut worker_keep = Keep::join(link);
        let first = exchange(&mut worker_keep, &mut relay, &mut with_worker);
        let mut theirs = first_copy(&first, &worker_actor).unwrap();
        theirs
            .ensure_participant(&worker_actor, worker("Sam Patel"), now - 50_000)
            .unwrap();
        worker_keep.seal_changes(&theirs, "Sam Patel", 0).unwrap();
        exchange(&mut worker_keep, &mut relay, &mut with_worker);
        let back = exchange(&mut carer_keep, &mut relay, &mut with_carer);
        take_in(&mut plan, &back).unwrap();
        carer_keep.seal_changes(&plan, &name, 0).unwrap();
        exchange(&mut carer_keep, &mut relay, &mut with_carer);
        exchange(&mut worker_keep, &mut relay, &mut with_worker);
        assert!(worker_keep.relay_has_all() && carer_keep.relay_has_all());

        // One change waiting: the carer's, on the relay, not yet seen.
        let waiting = format!("Money is tight since March; plan {} waiting.", i + 1);
        plan.set_field(
            &Field::Area("finances".into(), AreaField::OwnWords),
            &waiting,
            now - 10_000,
        )
        .unwrap();
        assert!(carer_keep.seal_changes(&plan, &name, 0).unwrap());
        exchange(&mut carer_keep, &mut relay, &mut with_carer);

        let doc_id = worker_keep.doc_id().to_string();
        let chunk_key = ChunkKey::new(&id, ChunkKind::Snapshot, now - 50_000, i as u32);
        let summary = PlanSummary::of(&theirs.plan().unwrap(), now - 50_000);
        let (r, p, k) = (relay.save(), theirs.save(), worker_keep.save());
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
