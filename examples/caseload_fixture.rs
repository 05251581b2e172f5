//! A caseload of real plans for the end-to-end tests and the benchmarks:
//! `cargo run --release --example caseload_fixture -- N OUT.jsonl` writes N
//! plans (full names, preferred names, ratings, actions, private notes; one
//! in ten with a name that looks like a spreadsheet formula or holds a comma
//! and quotes), one JSON line each: the chunk key, the plan's saved bytes
//! (base64) and its list entry, as the app stores them in IndexedDB.

use base64::Engine;

#[path = "../tests/common/mod.rs"]
mod common;

use carer_plan::plan::summary::PlanSummary;
use common::*;

const FIRST: [&str; 10] = [
    "Margaret", "Yusuf", "Aileen", "Tomasz", "Grace", "Hamish", "Priya", "Duncan", "Morag", "Kofi",
];
const LAST: [&str; 10] = [
    "Brown", "Wilson", "Campbell", "Nowak", "Stewart", "Murray", "Shah", "Reid", "Fraser", "Mensah",
];
const LEVELS: [&str; 5] = ["none", "low", "moderate", "substantial", "critical"];

fn plan(a: &DeviceActor, i: usize) -> PlanDoc {
    let mut doc = PlanDoc::create(a, worker("Sam Patel"), "scotland-national", &AREAS, T0).unwrap();
    let name = match i % 10 {
        3 => format!("=HYPERLINK(\"x\") {}", LAST[i % 10]),
        7 => format!("{}, \"{}\" {i}", LAST[(i / 10) % 10], FIRST[i % 10]),
        _ => format!("{} {} {i}", FIRST[i % 10], LAST[(i / 10) % 10]),
    };
    let mut t = T0;
    let mut set = |doc: &mut PlanDoc, f: Field, v: &str| {
        t += 1;
        doc.set_field(&f, v, t).unwrap();
    };
    set(&mut doc, Field::Carer(CarerField::Name), &name);
    set(
        &mut doc,
        Field::Carer(CarerField::PreferredName),
        FIRST[(i + 3) % 10],
    );
    set(
        &mut doc,
        Field::PrivateNotes,
        &format!("Private note {i}: follow up."),
    );
    for ind in AREAS {
        set(
            &mut doc,
            Field::Area(ind.into(), AreaField::OwnWords),
            &format!("About {ind} for carer {i}."),
        );
    }
    doc.change("Rated and planned", T0 + 100, |p| {
        for (k, ind) in AREAS.iter().enumerate() {
            if let Some(a) = p.wellbeing.get_mut(*ind) {
                a.rating = Some(LEVELS[(i + k) % 5].into());
            }
        }
        p.caring_role.hours_per_week = Some((i * 7 % 90) as u32);
        p.review.next_due =
            chrono::NaiveDate::from_ymd_opt(2026, 1 + (i % 12) as u32, 1 + (i % 28) as u32);
        p.actions.push(Action {
            id: format!("a{i}"),
            what: "Short break".into(),
            area: Some("life-balance".into()),
            ..Default::default()
        });
    })
    .unwrap();
    doc
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(50);
    let out = args
        .get(2)
        .cloned()
        .unwrap_or_else(|| "caseload.jsonl".into());
    let a = actor();
    let mut lines = String::new();
    for i in 0..n {
        let doc = plan(&a, i);
        let key = ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, T0, i as u32);
        let summary = PlanSummary::of(&doc.plan().unwrap(), T0 + i as i64);
        lines.push_str(
            &serde_json::json!({
                "id": doc.plan_id().as_str(),
                "key": key.as_str(),
                "bytes": base64::engine::general_purpose::STANDARD.encode(doc.save()),
                "summary": serde_json::to_string(&summary).unwrap(),
                "name": summary.full_name,
            })
            .to_string(),
        );
        lines.push('\n');
    }
    std::fs::write(&out, lines).unwrap();
}
