//! Native benchmarks of the document layer (not tests: they print figures).
//! `cargo run --release --example bench [-- --out DIR]` prints JSON lines;
//! `scripts/bench.mjs` runs it, adds the browser figures and the same work
//! done by Automerge JS, and prints the table. With `--out DIR` it also
//! writes the 20,000-edit plan's saved bytes for the browser benchmarks.
//! `--write-hostile DIR` writes the hostile corpus (every copy over a limit
//! and every other refusal the tests check) for scripts/bench_hostile.mjs.

use std::time::Instant;

// The native tests' helpers (T0, AREAS, actor(), carer(), PASS, the imports).
#[path = "../tests/common/mod.rs"]
mod common;

use carer_plan::plan::field::EmergencyField;
use common::*;

// Share files over each of the plan's limits (shared with tests/limits.rs).
#[path = "../tests/hostile_copies/mod.rs"]
mod hostile_copies;

const RUNS: usize = 5;

fn ms(t: Instant) -> f64 {
    t.elapsed().as_secs_f64() * 1000.0
}

fn stats(mut v: Vec<f64>) -> (f64, f64, f64, f64) {
    v.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    (pick(0.5), pick(0.95), v[0], v[v.len() - 1])
}

fn emit(name: &str, unit: &str, values: Vec<f64>) {
    let (p50, p95, min, max) = stats(values);
    println!(
        "{{\"name\":\"{name}\",\"unit\":\"{unit}\",\"median\":{p50:.4},\"p95\":{p95:.4},\"min\":{min:.4},\"max\":{max:.4}}}"
    );
}

fn new_plan(a: &DeviceActor) -> PlanDoc {
    PlanDoc::create(a, carer("Ann"), "scotland-national", &AREAS, T0).unwrap()
}

/// A plan whose history holds `edits` keystrokes in one answer that grows to
/// 5,000 characters; returns it and each keystroke's time (ms).
fn typed_plan(a: &DeviceActor, edits: usize) -> (PlanDoc, Vec<f64>) {
    let mut doc = new_plan(a);
    let field = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let words = "I look after my mum every day and it is hard to find time for myself. ";
    let mut text = String::new();
    let mut times = Vec::with_capacity(edits);
    for i in 0..edits {
        if text.chars().count() >= 5_000 {
            // The answer stays 5,000 characters: each keystroke replaces
            // its last character.
            text.pop();
        }
        let next = words.chars().nth(i % words.len()).unwrap_or(' ');
        text.push(next);
        let t = Instant::now();
        doc.set_field(&field, &text, T0 + i as i64).unwrap();
        times.push(ms(t));
    }
    (doc, times)
}

/// A plan of `edits` keystrokes as a carer makes them over months: spread
/// over ten answers in ten of its sections (each answer growing to 1,000
/// characters, then changing), for opening a plan whose history is in many
/// parts (scripts/bench-reads.mjs).
fn spread_plan(a: &DeviceActor, edits: usize) -> PlanDoc {
    let mut doc = new_plan(a);
    let mut fields: Vec<Field> = AREAS
        .iter()
        .map(|area| Field::Area((*area).into(), AreaField::OwnWords))
        .collect();
    fields.push(Field::Carer(CarerField::Health));
    fields.push(Field::Future(FutureField::Worries));
    fields.push(Field::Emergency(EmergencyField::WhoStepsIn));
    fields.truncate(10);
    let words = "We manage most days but the nights are long and I worry about money. ";
    let mut texts = vec![String::new(); fields.len()];
    let per = edits / fields.len();
    for (n, (field, text)) in fields.iter().zip(texts.iter_mut()).enumerate() {
        for i in 0..per {
            if text.chars().count() >= 1_000 {
                text.pop();
            }
            text.push(words.chars().nth(i % words.len()).unwrap_or(' '));
            doc.set_field(field, text, T0 + (n * per + i) as i64)
                .unwrap();
        }
    }
    doc
}

/// The 20,000-edit plan signed off three times along the way (after 5,000,
/// 10,000 and 15,000 edits, each version with its own impact ratings), so
/// 5,000 edits came after the last signature: the key worker's sign-off
/// status, "How far things have moved" and "The signed version" all read
/// it at older versions (scripts/bench-reads.mjs).
fn signed_plan(a: &DeviceActor, edits: usize) -> PlanDoc {
    use carer_plan::plan::Edit;
    let mut doc = new_plan(a);
    let worker = actor();
    let field = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let words = "I look after my mum every day and it is hard to find time for myself. ";
    let levels = ["critical", "substantial", "moderate", "low"];
    let mut text = String::new();
    let mut today = chrono::NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    for i in 0..edits {
        if text.chars().count() >= 5_000 {
            text.pop();
        }
        text.push(words.chars().nth(i % words.len()).unwrap_or(' '));
        doc.set_field(&field, &text, T0 + i as i64).unwrap();
        let signing = i + 1;
        if signing % (edits / 4) == 0 && signing < edits {
            let n = signing / (edits / 4);
            let at = T0 + i as i64 + 1;
            for area in ["finances", "health-wellbeing"] {
                doc.apply(
                    &Edit::SetRating {
                        area: area.into(),
                        level: Some(levels[n].into()),
                    },
                    at,
                )
                .unwrap();
                doc.apply(
                    &Edit::SetWorkerRating {
                        area: area.into(),
                        level: Some(levels[n - 1].into()),
                    },
                    at,
                )
                .unwrap();
            }
            agreed_in_meeting(&mut doc, at, 1);
            let (_, _, due) = carer_plan::plan::review::review_range(&doc.plan().unwrap(), today);
            signoff::sign(
                &mut doc,
                &worker,
                "Ann Smith",
                "Sam Patel",
                due,
                today,
                at + 2,
            )
            .unwrap();
            today = due;
        }
    }
    doc
}

/// The hostile corpus: every copy over a limit and every other refusal
/// the tests check, by name.
fn hostile_corpus() -> Vec<(String, String)> {
    let mut all: Vec<(String, String)> = over_limits()
        .into_iter()
        .map(|(l, t)| (l.to_owned(), t))
        .collect();
    all.extend(hostile_copies::refusals_to_check());
    all
}

/// Write the hostile corpus to `dir`, one text file each, for
/// scripts/bench_hostile.mjs to paste into the browser.
fn write_hostile(dir: &str) {
    std::fs::create_dir_all(dir).unwrap();
    for (i, (label, text)) in hostile_corpus().into_iter().enumerate() {
        let slug: String = label
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '-' })
            .collect();
        std::fs::write(format!("{dir}/{i:02}-{slug}.txt"), text).unwrap();
    }
}

fn over_limits() -> Vec<(&'static str, String)> {
    use carer_plan::plan::limits::*;
    use hostile_copies::*;
    vec![
        ("2,000,000-character answer", long_answer(2_000_000)),
        ("answer 1 over the typing limit", long_answer(LONG_MAX + 1)),
        ("short answer 1 over", short_answer(SHORT_MAX + 1)),
        ("list 1 over", junk(Junk::List(MAX_ITEMS + 1))),
        ("people 1 over", many(Items::People, MAX_PEOPLE + 1)),
        ("actions 1 over", many(Items::Actions, MAX_ACTIONS + 1)),
        ("areas 1 over", many_areas(MAX_AREAS + 1)),
        ("nested 5,000 deep", junk(Junk::Depth(5_000))),
        ("changes 1 over", junk(Junk::Changes(MAX_CHANGES + 1))),
        ("actors 1 over", junk(Junk::Actors(MAX_ACTORS + 1))),
        ("inflation bomb", junk(Junk::Bomb(MAX_INFLATED_BYTES + 1))),
    ]
}

/// How long refusing each over-the-limit copy takes (the goal: ≤ 500 ms).
fn refusals() {
    for (label, text) in over_limits() {
        emit(
            &format!("refuse a copy over a limit: {label}"),
            "ms",
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    assert!(
                        exchange::read(&text, None, &actor()).is_err(),
                        "{label} refused"
                    );
                    ms(t)
                })
                .collect(),
        );
    }
}

/// What one keystroke costs the app besides the edit itself, in a plan of
/// `edits` edits loaded from `bytes`: re-reading the whole plan (what the app
/// once did) or only the changed part (what it does now), and preparing the
/// increment for storage.
fn keystroke_parts(a: &DeviceActor, bytes: &[u8], edits: usize) {
    let key = ChunkKey::new(&PlanId::random().unwrap(), ChunkKind::Snapshot, T0, 1);
    let (mut doc, mut log) = ChunkLog::load(vec![(key, bytes.to_vec())], a).unwrap();
    let field = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let mut text = doc.field_value(&field);
    let mut shown = doc.plan().unwrap();
    let (mut whole, mut part, mut pending) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..200 {
        text.pop();
        text.push(if i % 2 == 0 { 'a' } else { 'b' });
        let changed = doc.type_answer(&field, &text, T0 + i).unwrap().unwrap();
        let t = Instant::now();
        let _ = doc.plan().unwrap();
        whole.push(ms(t));
        let t = Instant::now();
        doc.read_part(&changed, &mut shown).unwrap();
        part.push(ms(t));
        let t = Instant::now();
        let p = log.pending(&doc).unwrap();
        pending.push(ms(t));
        let k = ChunkKey::new(doc.plan_id(), ChunkKind::Increment, T0 + i, i as u32);
        log.written(k, &p);
    }
    let name = |what: &str| format!("keystroke at {edits} edits: {what}");
    emit(&name("re-read the whole plan (the old way)"), "ms", whole);
    emit(
        &name("re-read only the changed part (the app's way)"),
        "ms",
        part,
    );
    emit(&name("prepare its increment for storage"), "ms", pending);
}

fn main() {
    let out = std::env::args().skip_while(|a| a != "--out").nth(1);
    if std::env::args().any(|a| a == "--refusals") {
        return refusals();
    }
    if let Some(dir) = std::env::args()
        .skip_while(|a| a != "--write-hostile")
        .nth(1)
    {
        return write_hostile(&dir);
    }
    let a = actor();
    if std::env::args().any(|a| a == "--signed-plan-only") {
        // The signed 20,000-edit plan, for scripts/bench-reads.mjs.
        let doc = signed_plan(&a, 20_000);
        if let Some(dir) = &out {
            std::fs::write(format!("{dir}/plan-20k-signed.bin"), doc.save()).unwrap();
            std::fs::write(format!("{dir}/plan-20k-signed.id"), doc.plan_id().as_str()).unwrap();
        }
        for (what, f) in [
            (
                "sign-off status",
                (|d: &PlanDoc| {
                    signoff::status(d);
                }) as fn(&PlanDoc),
            ),
            ("signed version", |d| {
                signoff::signed_version(d);
            }),
            ("version number", |d| {
                d.version();
            }),
            ("plan (read whole)", |d| {
                d.plan().unwrap();
            }),
            ("signed plans", |d| {
                signoff::signed_plans(d);
            }),
        ] {
            emit(
                &format!("{what} of the signed 20,000-edit plan"),
                "ms",
                (0..RUNS)
                    .map(|_| {
                        let t = Instant::now();
                        f(&doc);
                        ms(t)
                    })
                    .collect(),
            );
        }
        return;
    }
    if std::env::args().any(|a| a == "--spread-plan-only") {
        // The 20,000 edits over ten sections, for scripts/bench-reads.mjs.
        let doc = spread_plan(&a, 20_000);
        if let Some(dir) = &out {
            std::fs::write(format!("{dir}/plan-20k-spread.bin"), doc.save()).unwrap();
            std::fs::write(format!("{dir}/plan-20k-spread.id"), doc.plan_id().as_str()).unwrap();
        }
        return;
    }
    if std::env::args().any(|a| a == "--plan-only") {
        // Only the 20,000-edit plan, for scripts/bench-keystroke.mjs.
        let (doc, _) = typed_plan(&a, 20_000);
        if let Some(dir) = &out {
            std::fs::write(format!("{dir}/plan-20k.bin"), doc.save()).unwrap();
            std::fs::write(format!("{dir}/plan-20k.id"), doc.plan_id().as_str()).unwrap();
        }
        return;
    }
    refusals();

    for edits in [1_000, 5_000, 20_000] {
        let (doc, times) = typed_plan(&a, edits);
        emit(
            &format!("edit (one keystroke) at {edits} edits"),
            "ms",
            times[times.len() - 1000..].to_vec(),
        );
        let bytes = doc.save();
        println!(
            "{{\"name\":\"stored size at {edits} edits\",\"unit\":\"bytes\",\"median\":{}}}",
            bytes.len()
        );
        emit(
            &format!("save (whole plan) at {edits} edits"),
            "ms",
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    let _ = doc.save();
                    ms(t)
                })
                .collect(),
        );
        emit(
            &format!("load at {edits} edits"),
            "ms",
            (0..RUNS)
                .map(|_| {
                    let t = Instant::now();
                    PlanDoc::load(&bytes, &a).unwrap().plan().unwrap();
                    ms(t)
                })
                .collect(),
        );
        keystroke_parts(&a, &bytes, edits);
        if edits == 20_000 {
            if let Some(dir) = &out {
                std::fs::write(format!("{dir}/plan-20k.bin"), &bytes).unwrap();
                std::fs::write(format!("{dir}/plan-20k.id"), doc.plan_id().as_str()).unwrap();
            }
        }
    }

    // Merge: a carer's and a worker's copies with 1,000 concurrent changes each.
    let mut merges = Vec::new();
    for _ in 0..RUNS {
        let base = new_plan(&a);
        let w = actor();
        let mut carer = base.fork(&a);
        let mut worker = base.fork(&w);
        let mut t1 = String::new();
        let mut t2 = String::new();
        for i in 0..1_000 {
            t1.push('c');
            t2.push('w');
            carer
                .set_field(
                    &Field::Area(AREAS[i % 7].into(), AreaField::OwnWords),
                    &t1,
                    i as i64,
                )
                .unwrap();
            worker
                .set_field(
                    &Field::Area(AREAS[(i + 3) % 7].into(), AreaField::WorkerNotes),
                    &t2,
                    i as i64,
                )
                .unwrap();
        }
        let t = Instant::now();
        carer.merge(&mut worker).unwrap();
        let _ = carer.plan().unwrap();
        merges.push(ms(t));
    }
    emit("merge 1,000 + 1,000 concurrent changes", "ms", merges);

    // Import and merge of a share file, plain and encrypted.
    let (mut doc, _) = typed_plan(&a, 1_000);
    let parts: Vec<Section> = doc.parts().cloned().collect();
    for (label, pass) in [("plain", None), ("encrypted", Some(PASS))] {
        let lock = match pass {
            Some(p) => Lock::Passphrase(p),
            None => Lock::None,
        };
        let text = exchange::share(
            &mut doc,
            &Outgoing {
                sender: &a,
                sender_name: "Ann",
                sender_role: Role::Carer,
                parts: parts.clone(),
                with_whom: vec![Recipient::KeyWorker],
                now_ms: 0,
            },
            lock,
        )
        .unwrap();
        let w = actor();
        let mut times = Vec::new();
        for _ in 0..RUNS {
            let mut worker_copy = doc.fork(&w);
            let t = Instant::now();
            let (h, incoming) = exchange::read(&text, pass, &w).unwrap();
            exchange::merge_in(&mut worker_copy, incoming, &h, &w, 1).unwrap();
            times.push(ms(t));
        }
        emit(
            &format!("import and merge a share file ({label}, 1,000 edits)"),
            "ms",
            times,
        );
    }
}
