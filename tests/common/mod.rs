//! Helpers and fixtures shared by the native tests. Every test file that
//! needs them says `mod common;` (`examples/bench.rs` includes this file by
//! its path); what one file does not use is allowed to go unused.
#![allow(dead_code, unused_imports)]

pub mod shards;
pub mod sim;

pub use carer_plan::doc::history::history;
pub use carer_plan::doc::signoff;
pub use carer_plan::doc::takeout;
pub use carer_plan::doc::{DocError, PlanDoc};
pub use carer_plan::plan::field::{AreaField, CarerField, FutureField, PersonField, RoleField};
pub use carer_plan::plan::review;
pub use carer_plan::plan::Section;
pub use carer_plan::plan::{Action, CaredFor, Participant, Role};
pub use carer_plan::plan::{DeviceActor, Field, PlanId};
pub use carer_plan::share::exchange::{self, Outgoing, Recipient};
pub use carer_plan::share::file::{Lock, ShareHeader, SHARE_FORMAT};
pub use carer_plan::store::{ChunkKey, ChunkKind, ChunkLog, Chunks};

/// A fixed moment (November 2026) the tests' changes are stamped with.
pub const T0: i64 = 1_795_000_000_000;

/// Scotland's seven wellbeing areas, as its framework file names them.
pub const AREAS: [&str; 7] = [
    "health-wellbeing",
    "relationships",
    "living-environment",
    "employment-training",
    "finances",
    "life-balance",
    "future-planning",
];

/// The same seven areas under the shorter ids `tests/document.rs` and
/// `tests/share.rs` were written with (`health`, not `health-wellbeing`).
pub const SHORT_AREAS: [&str; 7] = [
    "health",
    "relationships",
    "living-environment",
    "employment-training",
    "finances",
    "life-balance",
    "future-planning",
];

/// The passphrase the tests lock share files with.
pub const PASS: &str = "kettle garden Tuesday";

/// A new device, in a new session.
pub fn actor() -> DeviceActor {
    DeviceActor::random().unwrap()
}

pub fn carer(name: &str) -> Participant {
    Participant {
        name: name.into(),
        role: Role::Carer,
    }
}

pub fn worker(name: &str) -> Participant {
    Participant {
        name: name.into(),
        role: Role::KeyWorker,
    }
}

/// The header of an unlocked share file a carer sent at [`T0`].
pub fn carer_share_header(plan: &PlanId, from_name: &str, sections: &[&str]) -> ShareHeader {
    ShareHeader {
        format: SHARE_FORMAT,
        plan_id: plan.clone(),
        from_name: from_name.into(),
        from_role: Role::Carer,
        sent_ms: T0,
        sections: sections
            .iter()
            .map(|s| Section::parse(s).expect("a section id"))
            .collect(),
        encrypted: false,
    }
}

/// A carer's plan with answers in most sections: names, a person cared
/// for, the caring role, ratings and words in every area, actions, an
/// emergency contact.
pub fn full_plan(a: &DeviceActor) -> PlanDoc {
    let mut doc =
        PlanDoc::create(a, carer("Margaret Brown"), "scotland-national", &AREAS, T0).unwrap();
    let mut t = T0;
    let mut set = |doc: &mut PlanDoc, f: Field, v: &str| {
        t += 1;
        doc.set_field(&f, v, t).unwrap();
    };
    set(&mut doc, Field::Carer(CarerField::Name), "Margaret Brown");
    set(&mut doc, Field::Carer(CarerField::PreferredName), "Peggy");
    set(
        &mut doc,
        Field::Carer(CarerField::Email),
        "peggy.brown@example.org",
    );
    set(
        &mut doc,
        Field::Carer(CarerField::Address),
        "Flat 2, 12 Glebe St\nMotherwell ML1 1AB",
    );
    doc.change("Added a person you care for", T0 + 50, |p| {
        p.cared_for.push(CaredFor {
            id: "p-john".into(),
            name: "John".into(),
            relationship: "Husband".into(),
            lives_with_carer: Some(true),
            ..Default::default()
        });
        p.caring_role.hours_per_week = Some(70);
        p.caring_role.how_long = "since 2019".into();
    })
    .unwrap();
    set(
        &mut doc,
        Field::Person("p-john".into(), PersonField::Conditions),
        "Parkinson's; falls at night.",
    );
    set(
        &mut doc,
        Field::Role(RoleField::WhatYouDo),
        "Everything: meals, pills, washing, nights.",
    );
    for (i, ind) in AREAS.iter().enumerate() {
        set(
            &mut doc,
            Field::Area((*ind).into(), AreaField::OwnWords),
            &format!("In my words about {ind} — «quotes» & ünïcode."),
        );
        let level = [
            "low",
            "moderate",
            "substantial",
            "critical",
            "none",
            "low",
            "moderate",
        ][i];
        doc.change(&format!("Rated {ind}"), T0 + 100 + i as i64, |p| {
            if let Some(a) = p.wellbeing.get_mut(*ind) {
                a.rating = Some(level.into());
            }
        })
        .unwrap();
    }
    doc.change("Added an action", T0 + 200, |p| {
        p.actions.push(Action {
            id: "a-respite".into(),
            what: "Ask about a short break".into(),
            who: "Sam".into(),
            area: Some("life-balance".into()),
            ..Default::default()
        });
        p.actions.push(Action {
            id: "a-benefits".into(),
            what: "Benefits check".into(),
            area: None,
            ..Default::default()
        });
    })
    .unwrap();
    doc
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the plan stands on sign-off, as one line.
pub fn signoff_status_label(doc: &PlanDoc) -> String {
    match signoff::status(doc) {
        signoff::SignStatus::NotSigned => "not signed".into(),
        signoff::SignStatus::Signed(v) => format!(
            "signed by {} and {}, review {:?}",
            v.carer.name, v.worker.name, v.review_due
        ),
        signoff::SignStatus::ChangedSince(v) => format!(
            "changed since signed by {} and {}, review {:?}",
            v.carer.name, v.worker.name, v.review_due
        ),
    }
}

/// The plan release 1 stored (`tests/fixtures/release-1/chunks`: one-line
/// answers are plain string values there), opened on a new device.
pub fn release_1_plan() -> PlanDoc {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/release-1/chunks"
    );
    let mut chunks: Chunks = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            let name = e.file_name().into_string().unwrap().replace('~', "/");
            (
                ChunkKey::parse(&name).unwrap(),
                std::fs::read(e.path()).unwrap(),
            )
        })
        .collect();
    chunks.sort_by(|a, b| a.0.as_str().cmp(b.0.as_str()));
    ChunkLog::load(chunks, &actor()).unwrap().0
}

/// A key typed into `field` of `doc` at `at` (characters), against the
/// version the document is at.
pub fn type_at(doc: &mut PlanDoc, field: &Field, at: usize, insert: &str, now_ms: i64) {
    let heads = doc.heads();
    let splice = carer_plan::plan::text::Splice {
        at,
        delete: 0,
        insert: insert.into(),
    };
    doc.type_splice(field, &heads, &splice, now_ms).unwrap();
}

/// `text` with each line starting `key` replaced by `with` (a header line
/// of a share file or backup, changed as damage would).
pub fn replace_line(text: &str, key: &str, with: &str) -> String {
    text.lines()
        .map(|l| {
            if l.starts_with(key) {
                with.to_owned()
            } else {
                l.to_owned()
            }
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The plan marked ready for the carer to agree at `at`, and agreed by
/// her in a meeting `gap` ms later (what signing off needs first).
pub fn agreed_in_meeting(doc: &mut PlanDoc, at: i64, gap: i64) {
    use carer_plan::plan::Edit;
    doc.apply(&Edit::MarkReadyToAgree { at }, at).unwrap();
    doc.apply(
        &Edit::CarerAgrees {
            at: at + gap,
            device: String::new(),
            in_meeting: true,
        },
        at + gap,
    )
    .unwrap();
}

/// What the carer types in the co-typing tests (`cotyping.rs`,
/// `cotyping_box.rs`), and what the key worker types at the same time.
pub const CARER_SAYS: &str = "and nights are hardest";
pub const WORKER_SAYS: &str = " (worker: he had his stroke in 2019)";

/// A plan both devices have, the answer `field` holding `before`.
pub fn shared_plan(field: &Field, before: &str) -> (PlanDoc, PlanDoc) {
    let mut doc = PlanDoc::create(&actor(), carer("Ann"), "scotland-national", &AREAS, T0).unwrap();
    doc.set_field(field, before, T0 + 1).unwrap();
    let worker = doc.fork(&actor());
    (doc, worker)
}
