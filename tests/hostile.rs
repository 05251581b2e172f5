//! A generated corpus of damaged and hostile share files: truncations, bit
//! flips, wrong headers, huge lengths, deep nesting, wrong shapes, and
//! script and markup in every text field. Each must give an error or a valid
//! plan — never a panic — and a valid plan must survive everything the app
//! then does with it (merge, conflicts, history, "Download my data").

use std::panic::{catch_unwind, AssertUnwindSafe};

mod common;
mod hostile_copies;

use automerge::transaction::Transactable;
use automerge::{AutoCommit, ObjType, ReadDoc, ROOT};
use carer_plan::doc::bundle;
use carer_plan::doc::conflict::choice_conflicts;
use carer_plan::doc::history::changed_since;
use carer_plan::plan::{Contact, Risk};
use carer_plan::share::exchange::ImportError;
use carer_plan::share::file as share;
use carer_plan::web::words::Words;
use common::*;

const PAYLOADS: [&str; 6] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "javascript:alert(document.cookie)",
    "{{7*7}}${7*7}<!--",
    "\u{202e}gnp.exe\u{0000}\u{feff}",
    "</textarea><svg onload=alert(1)>",
];

/// A plan with a hostile string in every text field it has.
fn hostile_plan(a: &DeviceActor) -> PlanDoc {
    let mut doc =
        PlanDoc::create(a, carer(PAYLOADS[1]), "england-care-act", &["a", "b"], T0).unwrap();
    doc.change("Added items", T0 + 1, |p| {
        p.cared_for.push(CaredFor {
            id: "p1".into(),
            ..Default::default()
        });
        p.actions.push(Action {
            id: "x1".into(),
            area: Some("a".into()),
            ..Default::default()
        });
        p.actions.push(Action {
            id: "x2".into(),
            ..Default::default()
        });
        p.emergency.contacts.push(Contact {
            id: "c1".into(),
            ..Default::default()
        });
        p.emergency.risks.push(Risk {
            id: "r1".into(),
            ..Default::default()
        });
        p.wellbeing.get_mut("a").unwrap().rating = Some(PAYLOADS[0].into());
    })
    .unwrap();
    let plan = doc.plan().unwrap();
    for (i, field) in Field::all_in(&plan).into_iter().enumerate() {
        let value: String = PAYLOADS[i % PAYLOADS.len()]
            .chars()
            .take(field.max_chars())
            .collect();
        doc.set_field(&field, &value, T0 + 2 + i as i64).unwrap();
    }
    doc
}

fn share_of(doc: &mut PlanDoc, a: &DeviceActor, lock: Lock<'_>) -> String {
    hostile_copies::share_as(doc, a, PAYLOADS[0], lock)
}

/// An unencrypted share file around any body, with a correct checksum, so
/// the body itself is what gets tested.
fn wrap(plan: &PlanId, sections: &[&str], body: &[u8]) -> String {
    share::write(
        &carer_share_header(plan, PAYLOADS[1], sections),
        body,
        Lock::None,
    )
    .unwrap()
}

fn with_part_doc(plan: &PlanId, part: &str, build: impl FnOnce(&mut AutoCommit)) -> Vec<u8> {
    let mut d = AutoCommit::new();
    d.put(ROOT, "plan_id", plan.as_str()).unwrap();
    d.put(ROOT, "schema_version", 4_u64).unwrap();
    d.put(ROOT, "part", part).unwrap();
    build(&mut d);
    let mut out = Vec::new();
    let p = Section::parse(part).unwrap_or(Section::Plan);
    bundle::push(&mut out, &p, &d.save());
    out
}

/// A tiny deterministic generator, so the corpus is the same every run.
struct Lcg(u64);
impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

fn corpus() -> Vec<(String, String, Option<&'static str>)> {
    let a = actor();
    let mut doc = hostile_plan(&a);
    let id = doc.plan_id().clone();
    let plain = share_of(&mut doc, &a, Lock::None);
    let locked = share_of(&mut doc, &a, Lock::Passphrase(PASS));
    let mut out: Vec<(String, String, Option<&'static str>)> = vec![
        ("hostile plan, plain".into(), plain.clone(), None),
        ("hostile plan, locked".into(), locked.clone(), Some(PASS)),
    ];
    let mut rng = Lcg(7);

    // Truncations.
    for i in 0..20 {
        let cut = rng.below(plain.len());
        out.push((
            format!("plain cut at {cut}"),
            plain[..cut].to_string(),
            None,
        ));
        if i < 8 {
            let cut = rng.below(locked.len());
            out.push((
                format!("locked cut at {cut}"),
                locked[..cut].to_string(),
                Some(PASS),
            ));
        }
    }
    // Bit flips anywhere in the text (kept ASCII so it stays a string).
    for i in 0..30 {
        let src = if i % 3 == 0 { &locked } else { &plain };
        let mut bytes = src.clone().into_bytes();
        let at = rng.below(bytes.len());
        bytes[at] = (bytes[at] ^ (1 << rng.below(7))) & 0x7f;
        out.push((
            format!("bit flip {i} at {at}"),
            String::from_utf8_lossy(&bytes).into_owned(),
            Some(PASS),
        ));
    }
    // Header lines removed, repeated or given odd values.
    let head_lines = [
        "Format",
        "Plan",
        "From",
        "Sent",
        "Sections",
        "Encryption",
        "KDF",
        "Salt",
        "Nonce",
        "Check",
        "Checksum",
    ];
    for key in head_lines {
        for src in [&plain, &locked] {
            let gone: String = src
                .lines()
                .filter(|l| !l.starts_with(&format!("{key}:")))
                .map(|l| format!("{l}\n"))
                .collect();
            out.push((format!("no {key} line"), gone, Some(PASS)));
        }
    }
    let odd = [
        ("Format: 1", "Format: 0"),
        ("Format: 1", "Format: -1"),
        ("Format: 1", "Format: 99999999999999999999"),
        ("Format: 1", "Format: one"),
        ("Encryption: none", "Encryption: rot13"),
        ("Encryption: argon2id-aes-256-gcm", "Encryption: none"),
        ("KDF: m=19456,t=2,p=1", "KDF: m=4294967295,t=2,p=1"),
        ("KDF: m=19456,t=2,p=1", "KDF: m=19456,t=0,p=1"),
        ("KDF: m=19456,t=2,p=1", "KDF: m=19456,t=2,p=0"),
        ("KDF: m=19456,t=2,p=1", "KDF: m=8,t=4294967295,p=255"),
        ("KDF: m=19456,t=2,p=1", "KDF: q=1"),
        ("-----END CARER SUPPORT PLAN-----", ""),
        (
            "-----BEGIN CARER SUPPORT PLAN-----",
            "-----BEGIN CARER SUPPORT PLAN-----\n-----BEGIN CARER SUPPORT PLAN-----",
        ),
    ];
    for (from, to) in odd {
        for src in [&plain, &locked] {
            if src.contains(from) {
                out.push((
                    format!("{from} -> {to}"),
                    src.replacen(from, to, 1),
                    Some(PASS),
                ));
            }
        }
    }
    for (label, line) in [
        ("plan not hex", format!("Plan: {}", "Z".repeat(32))),
        ("sent garbage", "Sent: yesterday".into()),
        ("from no role", "From: Ann".into()),
        ("salt too long", format!("Salt: {}", "QUFB".repeat(100))),
        ("nonce short", "Nonce: QUFB".into()),
        (
            "huge sections",
            format!("Sections: {}", "area-x, ".repeat(10_000)),
        ),
    ] {
        let key = line.split(':').next().unwrap_or("");
        let src = if matches!(key, "Salt" | "Nonce") {
            &locked
        } else {
            &plain
        };
        let changed: String = src
            .lines()
            .map(|l| {
                if l.starts_with(&format!("{key}:")) {
                    format!("{line}\n")
                } else {
                    format!("{l}\n")
                }
            })
            .collect();
        out.push((label.into(), changed, Some(PASS)));
    }
    // Bodies: not bundles, bad bundles, wrong shapes, deep nesting.
    let huge_len = {
        let mut b = b"CSPB\x04plan".to_vec();
        b.extend_from_slice(&u32::MAX.to_be_bytes());
        b.extend_from_slice(b"tiny");
        b
    };
    let long_name = {
        let mut b = b"CSPB\xff".to_vec();
        b.extend_from_slice(&[b'a'; 255]);
        b.extend_from_slice(&0u32.to_be_bytes());
        b
    };
    let bad_utf8 = b"CSPB\x02\xff\xfe\x00\x00\x00\x00".to_vec();
    let random: Vec<u8> = (0..4096).map(|_| rng.below(256) as u8).collect();
    let mut fake_automerge = vec![0x85, 0x6f, 0x4a, 0x83];
    fake_automerge.extend((0..200).map(|_| rng.below(256) as u8));
    let mut chunk_bomb = b"CSPB\x04plan".to_vec();
    chunk_bomb.extend_from_slice(&14u32.to_be_bytes());
    chunk_bomb.extend_from_slice(&[
        0x85, 0x6f, 0x4a, 0x83, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f,
    ]);
    for (label, body) in [
        ("empty body", Vec::new()),
        ("random body", random),
        ("huge record length", huge_len),
        ("255-byte part name", long_name),
        ("non-utf8 part name", bad_utf8),
        ("automerge magic then noise", fake_automerge),
        ("chunk claiming 4 GB", chunk_bomb),
    ] {
        out.push((label.into(), wrap(&id, &["plan"], &body), None));
    }
    let other = PlanId::random().unwrap();
    let shapes: Vec<(&str, Vec<u8>, Vec<&str>)> = vec![
        (
            "plan part, wrong types",
            with_part_doc(&id, "plan", |d| {
                d.put(ROOT, "framework", 42_i64).unwrap();
            }),
            vec!["plan"],
        ),
        (
            "plan part, nothing in it",
            with_part_doc(&id, "plan", |_| {}),
            vec!["plan"],
        ),
        (
            "plan id of another plan",
            with_part_doc(&other, "plan", |_| {}),
            vec!["plan"],
        ),
        (
            "schema from the far future",
            {
                let mut d = AutoCommit::new();
                d.put(ROOT, "plan_id", id.as_str()).unwrap();
                d.put(ROOT, "schema_version", u64::MAX).unwrap();
                d.put(ROOT, "part", "plan").unwrap();
                let mut b = Vec::new();
                bundle::push(&mut b, &Section::Plan, &d.save());
                b
            },
            vec!["plan"],
        ),
        (
            "part says it is another part",
            with_part_doc(&id, "about-you", |d| {
                d.put(ROOT, "part", "plan").unwrap();
            }),
            vec!["about-you"],
        ),
        (
            "a private part smuggled in",
            with_part_doc(&id, "private", |_| {}),
            vec!["private"],
        ),
        (
            "plan id is a number",
            {
                let mut d = AutoCommit::new();
                d.put(ROOT, "plan_id", 7_i64).unwrap();
                let mut b = Vec::new();
                bundle::push(&mut b, &Section::Plan, &d.save());
                b
            },
            vec!["plan"],
        ),
    ];
    for (label, body, sections) in shapes {
        out.push((label.into(), wrap(&id, &sections, &body), None));
    }
    // A real export with junk added to its plan part: nested 5,000 deep, a
    // 20,000-item list and a 1 MB text. Once valid plans (which had not to
    // exhaust the stack or the memory of anything that read them), now each
    // over a limit of the plan and refused before anything reads them.
    let export = share::open(&plain, None).unwrap().1;
    let parts = bundle::split(&export).unwrap();
    for (label, junk) in [
        ("nested 5,000 deep", 0),
        ("20,000-item list", 1),
        ("a 1 MB text", 2),
    ] {
        let mut body = Vec::new();
        let mut names = Vec::new();
        for (part, bytes) in &parts {
            names.push(part.id());
            if *part == Section::Plan {
                let mut d = AutoCommit::load(bytes).unwrap();
                match junk {
                    0 => {
                        let mut obj = d.put_object(ROOT, "evil", ObjType::Map).unwrap();
                        for _ in 0..5_000 {
                            obj = d.put_object(&obj, "deeper", ObjType::Map).unwrap();
                        }
                        let review = d.get(ROOT, "review").unwrap().unwrap().1;
                        let mut o2 = d.put_object(&review, "evil", ObjType::Map).unwrap();
                        for _ in 0..5_000 {
                            o2 = d.put_object(&o2, "deeper", ObjType::List).unwrap();
                            o2 = d.insert_object(&o2, 0, ObjType::Map).unwrap();
                        }
                    }
                    1 => {
                        let list = d.put_object(ROOT, "evil", ObjType::List).unwrap();
                        for i in 0..20_000 {
                            d.insert(&list, i, i as i64).unwrap();
                        }
                    }
                    _ => {
                        let t = d.put_object(ROOT, "evil", ObjType::Text).unwrap();
                        d.splice_text(&t, 0, 0, &"<script>".repeat(125_000))
                            .unwrap();
                    }
                }
                bundle::push(&mut body, part, &d.save());
            } else {
                bundle::push(&mut body, part, bytes);
            }
        }
        let names: Vec<&str> = names.iter().map(String::as_str).collect();
        out.push((label.into(), wrap(&id, &names, &body), None));
    }
    // Over each limit of the plan (all refused before merging), and junk
    // within the limits (valid plans).
    {
        use carer_plan::plan::limits::*;
        use hostile_copies::{junk, long_answer, many, many_areas, short_answer, Items, Junk};
        for (label, text) in [
            ("a 2,000,000-character answer", long_answer(2_000_000)),
            ("an answer 1 over the limit", long_answer(LONG_MAX + 1)),
            ("a short answer 1 over", short_answer(SHORT_MAX + 1)),
            ("a list 1 over", junk(Junk::List(MAX_ITEMS + 1))),
            ("people 1 over", many(Items::People, MAX_PEOPLE + 1)),
            ("actions 1 over", many(Items::Actions, MAX_ACTIONS + 1)),
            ("areas 1 over", many_areas(MAX_AREAS + 1)),
            ("nested 1 too deep", junk(Junk::Depth(MAX_DEPTH + 1))),
            ("actors 1 over", junk(Junk::Actors(MAX_ACTORS + 1))),
            (
                "an inflation bomb",
                junk(Junk::Bomb(MAX_INFLATED_BYTES + 1)),
            ),
            (
                "junk nested within the limit",
                junk(Junk::Depth(MAX_DEPTH - 2)),
            ),
            ("a junk list within the limit", junk(Junk::List(2_000))),
            ("a long answer at the limit", long_answer(LONG_MAX)),
        ] {
            out.push((label.into(), text, None));
        }
        for (label, text) in hostile_copies::refusals_to_check() {
            out.push((label, text, Some(PASS)));
        }
    }
    out
}

/// Everything the app does with a copy once it is read.
fn use_it(doc: PlanDoc, a: &DeviceActor) {
    let t = std::time::Instant::now();
    let lap = |what: &str| {
        if std::env::var_os("HOSTILE_TIMES").is_some() {
            eprintln!(
                "    {:>8.1} ms  after {what}",
                t.elapsed().as_secs_f64() * 1000.0
            );
        }
    };
    let plan = doc.plan().expect("a valid copy hydrates");
    let _ = plan.display_name();
    lap("plan");
    let h = ShareHeader {
        format: 1,
        plan_id: doc.plan_id().clone(),
        from_name: String::new(),
        from_role: Role::Carer,
        sent_ms: 0,
        sections: vec![],
        encrypted: false,
    };
    let mut mine = exchange::adopt(doc.fork(a), &h, a, T0).expect("adopt");
    lap("adopt");
    let _ = choice_conflicts(&mine);
    lap("conflicts");
    let _ = history(&mine);
    let _ = changed_since(&mine, &[], a.as_str());
    lap("history");
    let _ = takeout::json(&mine);
    let _ = takeout::automerge_document(&mine);
    lap("takeout");
    let other = doc.fork(&actor());
    let _ = exchange::merge_in(&mut mine, other, &h, a, T0 + 1);
    lap("merge");
}

#[test]
fn a_hundred_hostile_share_files_give_an_error_or_a_valid_plan_never_a_panic() {
    let files = corpus();
    assert!(files.len() >= 100, "the corpus has {} files", files.len());
    let a = actor();
    let mut valid = 0;
    let mut refused = 0;
    let mut panicked = Vec::new();
    for (label, text, pass) in &files {
        let started = std::time::Instant::now();
        let result = catch_unwind(AssertUnwindSafe(|| match exchange::read(text, *pass, &a) {
            Ok((_, doc)) => {
                use_it(doc, &a);
                true
            }
            Err(e) => {
                assert!(!e.words().is_empty());
                if !matches!(e, ImportError::Share(share::ShareError::NeedsPassphrase)) {
                    hostile_copies::plain_refusal(&e, text);
                }
                false
            }
        }));
        if std::env::var_os("HOSTILE_TIMES").is_some() {
            eprintln!(
                "{:>8.1} ms  {label}",
                started.elapsed().as_secs_f64() * 1000.0
            );
        }
        match result {
            Ok(true) => valid += 1,
            Ok(false) => refused += 1,
            Err(_) => panicked.push(label.clone()),
        }
    }
    assert!(panicked.is_empty(), "panicked on: {panicked:?}");
    // The untouched files and the junk-laden exports are valid plans; the rest refused.
    assert!(valid >= 5, "{valid} valid");
    assert!(refused >= 90, "{refused} refused");
}

#[test]
fn markup_survives_as_text_exactly() {
    let a = actor();
    let mut doc = hostile_plan(&a);
    let text = share_of(&mut doc, &a, Lock::None);
    let (h, copy) = exchange::read(&text, None, &actor()).unwrap();
    assert_eq!(h.from_name, PAYLOADS[0]);
    let plan = copy.plan().unwrap();
    assert_eq!(plan.carer.name, PAYLOADS[0]);
    let mut sent = doc.plan().unwrap();
    sent.private_notes = Default::default();
    assert_eq!(
        sent, plan,
        "every field arrives exactly as typed (private notes never travel)"
    );
}

/// Writes the fuzzers' seed corpus (`fuzz/corpus/`) from this corpus:
/// `cargo test --test hostile -- --ignored write_fuzz_seeds`.
#[test]
#[ignore]
fn write_fuzz_seeds() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/corpus");
    let files = corpus();
    for (i, (_, text, _)) in files
        .iter()
        .enumerate()
        .filter(|(_, (_, t, _))| t.len() < 64 * 1024)
    {
        std::fs::write(
            root.join("share_import").join(format!("seed-{i:03}.txt")),
            text,
        )
        .unwrap();
    }
    let a = actor();
    let mut doc = hostile_plan(&a);
    std::fs::write(root.join("doc_load/hostile-plan.bin"), doc.save()).unwrap();
    doc.set_field(&Field::NotesForCarer, "more", T0 + 99_999)
        .unwrap();
    let heads = doc.heads();
    doc.set_field(&Field::NotesForCarer, "more words", T0 + 100_000)
        .unwrap();
    let mut both = doc.save();
    both.extend(doc.save_after(&heads));
    std::fs::write(root.join("doc_load/snapshot-and-increment.bin"), both).unwrap();
    let text = share_of(&mut doc, &a, Lock::None);
    let body = share::open(&text, None).unwrap().1;
    std::fs::write(root.join("doc_load/shared-parts.bin"), body).unwrap();
    // Bodies over the plan's limits, small as files.
    use carer_plan::plan::limits::*;
    for (name, text) in [
        (
            "two-million-characters",
            hostile_copies::long_answer(2_000_000),
        ),
        (
            "inflation-bomb",
            hostile_copies::junk(hostile_copies::Junk::Bomb(MAX_INFLATED_BYTES + 1)),
        ),
        (
            "too-many-actors",
            hostile_copies::junk(hostile_copies::Junk::Actors(MAX_ACTORS + 1)),
        ),
    ] {
        let body = share::open(&text, None).unwrap().1;
        std::fs::write(root.join(format!("doc_load/{name}.bin")), body).unwrap();
    }
}

/// The page shows a key's answer by putting the box's text into the plan on
/// screen (`Field::show_value_in`) instead of reading it back out of the
/// document: for every answer a plan has, that is the plan the document
/// reads, and every other answer is as it was.
#[test]
fn an_answer_put_into_the_plan_on_screen_is_the_plan_the_document_reads() {
    let a = actor();
    let mut doc = hostile_plan(&a);
    let mut shown = doc.plan().unwrap();
    for (i, field) in Field::all_in(&shown).into_iter().enumerate() {
        let value: String = format!("Answer {i}: {}", PAYLOADS[i % PAYLOADS.len()])
            .chars()
            .take(field.max_chars())
            .collect();
        doc.set_field(&field, &value, T0 + 500 + i as i64).unwrap();
        assert!(field.show_value_in(&mut shown, &value), "{field:?}");
        assert_eq!(shown, doc.plan().unwrap(), "{field:?}");
        // A key typed in the box (as the box sends it, at the version it
        // shows): the box's text is the document's.
        let before = field.value_in(&shown);
        let typed: String = format!(
            "{}\u{202e}é\t",
            before
                .chars()
                .take(field.max_chars() - 4)
                .collect::<String>()
        );
        let splice = carer_plan::plan::text::Splice::typed(&before, &typed, None).unwrap();
        let keyed = doc
            .type_splice(&field, &doc.heads(), &splice, T0 + 900 + i as i64)
            .unwrap()
            .unwrap();
        assert!(keyed.as_shown, "typed at the version shown: {field:?}");
        assert!(field.show_value_in(&mut shown, &typed), "{field:?}");
        assert_eq!(shown, doc.plan().unwrap(), "typed into {field:?}");
    }
    let gone = Field::Contact(
        "no-such-contact".into(),
        carer_plan::plan::field::ContactField::Phone,
    );
    assert!(!gone.show_value_in(&mut shown, "0141"));
}
