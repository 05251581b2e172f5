//! Share files over each limit of the plan (`src/plan/limits.rs`), and the
//! check that a refusal is plain: shared by `tests/limits.rs`,
//! `tests/hostile.rs` and `examples/bench.rs`. Each is an unlocked file
//! with a correct checksum, so the body is what gets tested.
#![allow(dead_code)]

use automerge::transaction::Transactable;
use automerge::{ActorId, AutoCommit, ObjType, ReadDoc, ROOT};
use carer_plan::doc::bundle;
use carer_plan::plan::{Contact, Risk};
use carer_plan::share::exchange::ImportError;
use carer_plan::share::file as share;
use carer_plan::web::words::{import_details, Words};

use crate::common::*;

/// Words that appear in the hostile files and must never appear in what the
/// app says about them.
pub const FILE_WORDS: [&str; 9] = [
    "<script>",
    "onerror",
    "../x",
    "evil",
    "rot13",
    "Colour",
    "Mallory",
    "javascript:",
    "shopping",
];

/// The sender's name in every file here: text from the file.
const SENDER: &str = "Mallory <script>alert(1)</script>";

pub fn share_all(doc: &mut PlanDoc, a: &DeviceActor) -> String {
    share_with(doc, a, Lock::None)
}

pub fn share_locked(doc: &mut PlanDoc, a: &DeviceActor) -> String {
    share_with(doc, a, Lock::Passphrase(PASS))
}

fn share_with(doc: &mut PlanDoc, a: &DeviceActor, lock: Lock<'_>) -> String {
    share_as(doc, a, SENDER, lock)
}

/// Every part of `doc` shared by `sender_name`, a carer.
pub fn share_as(doc: &mut PlanDoc, a: &DeviceActor, sender_name: &str, lock: Lock<'_>) -> String {
    let parts: Vec<Section> = doc.parts().cloned().collect();
    exchange::share(
        doc,
        &Outgoing {
            sender: a,
            sender_name,
            sender_role: Role::Carer,
            parts,
            with_whom: vec![Recipient::KeyWorker],
            now_ms: T0 + 10_000,
        },
        lock,
    )
    .unwrap()
}

/// A full plan's share file with one part's document changed by `build`.
pub fn tampered(part: &Section, build: impl FnOnce(&mut AutoCommit)) -> String {
    let a = actor();
    let mut doc = full_plan(&a);
    let text = share_all(&mut doc, &a);
    let body = share::open(&text, None).unwrap().1;
    let mut out = Vec::new();
    let mut names = Vec::new();
    let mut build = Some(build);
    for (p, bytes) in bundle::split(&body).unwrap() {
        names.push(p.id());
        if p == *part {
            let mut d = AutoCommit::load(&bytes).unwrap();
            (build.take().unwrap())(&mut d);
            bundle::push(&mut out, &p, &d.save());
        } else {
            bundle::push(&mut out, &p, &bytes);
        }
    }
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    wrap(doc.plan_id(), &names, &out)
}

pub fn wrap(plan: &PlanId, sections: &[&str], body: &[u8]) -> String {
    share::write(
        &carer_share_header(plan, SENDER, sections),
        body,
        Lock::None,
    )
    .unwrap()
}

/// The health area's "In your own words" set to `n` characters.
pub fn long_answer(n: usize) -> String {
    tampered(&Section::Area("health-wellbeing".into()), |d| {
        let w = d.get(ROOT, "wellbeing").unwrap().unwrap().1;
        let area = d.get(&w, "health-wellbeing").unwrap().unwrap().1;
        let t = d.get(&area, "own_words").unwrap().unwrap().1;
        let len = d.length(&t);
        d.splice_text(&t, 0, len as isize, &"a".repeat(n)).unwrap();
    })
}

/// The carer's name (a short answer) set to `n` characters.
pub fn short_answer(n: usize) -> String {
    tampered(&Section::AboutYou, |d| {
        let carer = d.get(ROOT, "carer").unwrap().unwrap().1;
        d.put(&carer, "name", "b".repeat(n)).unwrap();
    })
}

/// Something no plan has, added to the plan part.
pub enum Junk {
    /// A list of this many numbers.
    List(usize),
    /// Maps nested this deep.
    Depth(usize),
    /// This many changes more.
    Changes(usize),
    /// Changes by this many authors more.
    Actors(usize),
    /// One string of this many bytes, which compresses to almost nothing.
    Bomb(usize),
}

pub fn junk(kind: Junk) -> String {
    tampered(&Section::Plan, |d| match kind {
        Junk::List(n) => {
            let list = d.put_object(ROOT, "evil", ObjType::List).unwrap();
            for i in 0..n {
                d.insert(&list, i, i as i64).unwrap();
            }
        }
        Junk::Depth(n) => {
            let mut obj = d.put_object(ROOT, "evil", ObjType::Map).unwrap();
            for _ in 1..n {
                obj = d.put_object(&obj, "deeper", ObjType::Map).unwrap();
            }
        }
        Junk::Changes(n) => {
            for i in 0..n {
                d.put(ROOT, "evil", i as i64).unwrap();
                d.commit();
            }
        }
        Junk::Actors(n) => {
            for i in 0..n {
                d.set_actor(ActorId::from((i as u64).to_be_bytes().to_vec()));
                d.put(ROOT, "evil", i as i64).unwrap();
                d.commit();
            }
        }
        Junk::Bomb(n) => {
            d.put(ROOT, "evil", "a".repeat(n)).unwrap();
        }
    })
}

/// Lists of the plan.
#[derive(Clone, Copy, Debug)]
pub enum Items {
    People,
    Actions,
    Contacts,
    Risks,
}

/// A real plan with `n` of one kind of list item, shared.
pub fn many(what: Items, n: usize) -> String {
    let a = actor();
    let mut doc = full_plan(&a);
    doc.change("Added many", T0 + 500, |p| {
        let id = |i: usize| format!("m{i}");
        match what {
            Items::People => {
                p.cared_for = (0..n)
                    .map(|i| CaredFor {
                        id: id(i),
                        ..Default::default()
                    })
                    .collect()
            }
            Items::Actions => {
                p.actions = (0..n)
                    .map(|i| Action {
                        id: id(i),
                        ..Default::default()
                    })
                    .collect()
            }
            Items::Contacts => {
                p.emergency.contacts = (0..n)
                    .map(|i| Contact {
                        id: id(i),
                        ..Default::default()
                    })
                    .collect()
            }
            Items::Risks => {
                p.emergency.risks = (0..n)
                    .map(|i| Risk {
                        id: id(i),
                        ..Default::default()
                    })
                    .collect()
            }
        }
    })
    .unwrap();
    share_all(&mut doc, &a)
}

/// A plan with `n` wellbeing areas, each its own part.
pub fn many_areas(n: usize) -> String {
    let a = actor();
    let names: Vec<String> = (0..n).map(|i| format!("area{i}")).collect();
    let ids: Vec<&str> = names.iter().map(String::as_str).collect();
    let mut doc = PlanDoc::create(&a, carer("Ann"), "scotland-national", &ids, T0).unwrap();
    share_all(&mut doc, &a)
}

/// Files each refused for a different reason, with text of their own in
/// them (the sender's name, a part name, a header line, wrong shapes).
pub fn refusals_to_check() -> Vec<(String, String)> {
    let a = actor();
    let mut doc = full_plan(&a);
    let id = doc.plan_id().clone();
    let plain = share_all(&mut doc, &a);
    let locked = share_locked(&mut doc, &a);
    let mut out: Vec<(String, String)> = vec![
        (
            "rot13".into(),
            plain.replacen("Encryption: none", "Encryption: rot13", 1),
        ),
        (
            "newer format".into(),
            plain.replacen("Format: 1", "Format: 7", 1),
        ),
        (
            "unknown line".into(),
            plain.replacen("Encryption: none", "Encryption: none\nColour: evil", 1),
        ),
        (
            "duplicate format".into(),
            plain.replacen("Format: 1", "Format: 1\nFormat: 2", 1),
        ),
        (
            "bad checksum".into(),
            plain.replacen("Sections: plan", "Sections: evil, plan", 1),
        ),
        ("wrong passphrase".into(), locked.clone()),
        ("cut short".into(), plain[..plain.len() / 2].to_string()),
        ("over a limit".into(), long_answer(LONG_MAX_PLUS)),
    ];
    let mut unknown = Vec::new();
    unknown.extend_from_slice(b"CSPB\x04../x\x00\x00\x00\x00");
    out.push(("unknown part".into(), wrap(&id, &["plan"], &unknown)));
    let mut shop = AutoCommit::new();
    shop.put(ROOT, "shopping", "<script>evil</script>").unwrap();
    let mut body = Vec::new();
    bundle::push(&mut body, &Section::Plan, &shop.save());
    out.push(("not a plan".into(), wrap(&id, &["plan"], &body)));
    out.push((
        "wrong types".into(),
        tampered(&Section::Plan, |d| {
            d.put(ROOT, "framework", 42_i64).unwrap();
            d.put(ROOT, "evil", "<script>evil</script>").unwrap();
        }),
    ));
    out.push((
        "mislabelled part".into(),
        tampered(&Section::AboutYou, |d| {
            d.put(ROOT, "part", "plan").unwrap();
        }),
    ));
    // Changes whose earlier history is missing.
    let mut later = full_plan(&a);
    let heads = later.heads();
    later
        .set_field(&Field::Carer(CarerField::Name), "evil <script>", T0 + 900)
        .unwrap();
    let parts: Vec<&str> = vec!["about-you"];
    out.push((
        "missing history".into(),
        wrap(&id, &parts, &later.save_after(&heads)),
    ));
    out
}

const LONG_MAX_PLUS: usize = carer_plan::plan::limits::LONG_MAX + 1;

/// A refusal says what is wrong in plain words, that nothing was added and
/// what to do; it carries no text from the file and no internals.
pub fn plain_refusal(err: &ImportError, file: &str) {
    let msg = err.words();
    assert!(
        msg.contains("Nothing was added") || msg.contains("Nothing was changed"),
        "says nothing was added: {msg}"
    );
    assert!(
        [
            "sent again",
            "Update the app",
            "passphrase",
            "Check you chose"
        ]
        .iter()
        .any(|w| msg.contains(w)),
        "says what to do: {msg}"
    );
    for internal in [
        "(",
        "deps",
        " int",
        "checksum",
        "mislabelled",
        "Automerge",
        "format 1",
        "{",
        "::",
    ] {
        assert!(
            !msg.contains(internal),
            "internal words {internal:?} in: {msg}"
        );
    }
    let details = import_details(err).unwrap_or_default();
    for taken in FILE_WORDS {
        if file.contains(taken) {
            assert!(!msg.contains(taken), "{taken:?} from the file in: {msg}");
            assert!(
                !details.contains(taken),
                "{taken:?} from the file in: {details}"
            );
        }
    }
}

/// A large plan a person could really make: every area's "In your own
/// words" typed a key at a time to `keys` characters (one change each).
pub fn large_plan(keys: usize) -> String {
    let a = actor();
    let mut doc = full_plan(&a);
    let words = "I look after my mum every day and it is hard to find time for myself. ";
    let mut t = T0 + 1_000;
    for area in AREAS {
        let field = Field::Area(area.into(), AreaField::OwnWords);
        let mut text = String::new();
        for c in words.chars().cycle().take(keys) {
            text.push(c);
            t += 1;
            doc.set_field(&field, &text, t).unwrap();
        }
    }
    share_all(&mut doc, &a)
}
