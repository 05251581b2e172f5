//! Native tests of sharing: the share file format, its locks, what a share
//! leaves out, merging both ways, conflicts, and every kind of bad file.

mod common;

use automerge::ReadDoc;
use carer_plan::doc::conflict::choice_conflicts;
use carer_plan::plan::{SignOff, Signature};
use carer_plan::share::exchange::ImportError;
use carer_plan::share::file::{self as share, ShareError};
use carer_plan::web::words::Words;
use common::*;

const MARKER: &str = "QX-PRIVATE-MARKER-7731";

fn area(ind: &str, f: AreaField) -> Field {
    Field::Area(ind.into(), f)
}

/// The carer's plan with words in every area; the two areas left out of the
/// share hold the marker, in a long answer and in a short one.
fn carers_plan(carer: &DeviceActor) -> PlanDoc {
    let me = common::carer("Ann Smith");
    let mut doc = PlanDoc::create(carer, me, "scotland", &SHORT_AREAS, T0).unwrap();
    doc.set_field(&Field::Carer(CarerField::Name), "Ann Smith", T0 + 1)
        .unwrap();
    for (i, ind) in SHORT_AREAS.iter().enumerate() {
        doc.set_field(
            &area(ind, AreaField::OwnWords),
            &format!("About {ind}."),
            T0 + 2 + i as i64,
        )
        .unwrap();
    }
    // Typed, then partly deleted: the history holds more than the value.
    doc.set_field(
        &area("finances", AreaField::OwnWords),
        &format!("Debts. {MARKER} and more"),
        T0 + 20,
    )
    .unwrap();
    doc.set_field(&area("finances", AreaField::OwnWords), "Debts.", T0 + 21)
        .unwrap();
    doc.change("Rated Finances", T0 + 22, |p| {
        if let Some(a) = p.wellbeing.get_mut("finances") {
            a.rating = Some("critical".into());
        }
        p.actions.push(Action {
            id: "a-fin".into(),
            what: MARKER.into(),
            area: Some("finances".into()),
            ..Default::default()
        });
    })
    .unwrap();
    doc.set_field(
        &area("relationships", AreaField::OwnWords),
        &format!("{MARKER} my brother"),
        T0 + 23,
    )
    .unwrap();
    doc
}

fn shared_parts() -> Vec<Section> {
    let mut parts = vec![Section::AboutYou, Section::CaringRole];
    parts.extend(
        [
            "health",
            "living-environment",
            "employment-training",
            "life-balance",
            "future-planning",
        ]
        .iter()
        .map(|i| Section::Area((*i).into())),
    );
    parts
}

fn share_text(
    doc: &mut PlanDoc,
    who: &DeviceActor,
    role: Role,
    parts: Vec<Section>,
    lock: Lock<'_>,
    now: i64,
) -> String {
    exchange::share(
        doc,
        &Outgoing {
            sender: who,
            sender_name: if role == Role::Carer {
                "Ann Smith"
            } else {
                "Sam Jones"
            },
            sender_role: role,
            parts,
            with_whom: vec![if role == Role::Carer {
                Recipient::KeyWorker
            } else {
                Recipient::Carer
            }],
            now_ms: now,
        },
        lock,
    )
    .unwrap()
}

fn header(plan: &PlanId) -> ShareHeader {
    carer_share_header(plan, "Ann", &["plan"])
}

#[test]
fn share_files_round_trip_plain_and_encrypted() {
    let id = PlanId::random().unwrap();
    let body: Vec<u8> = (0..5000u32).map(|i| (i * 7 % 251) as u8).collect();
    let plain = share::write(&header(&id), &body, Lock::None).unwrap();
    let (h, b) = share::open(&plain, None).unwrap();
    assert_eq!(b, body);
    assert_eq!(h.plan_id, id);
    assert!(!h.encrypted);
    assert!(plain.contains("Encryption: none"));

    let locked = share::write(&header(&id), &body, Lock::Passphrase(PASS)).unwrap();
    assert!(share::peek(&locked).unwrap().encrypted);
    let (h, b) = share::open(&locked, Some(PASS)).unwrap();
    assert_eq!(b, body);
    assert_eq!(h.from_name, "Ann");
    // Readable text, every line short enough for any messaging app.
    assert!(locked.lines().all(|l| l.len() <= 120));
    assert!(locked.is_ascii());
    // Windows line endings and stray spaces from an email client still open.
    let mangled = locked.replace('\n', "\r\n  ");
    assert_eq!(share::open(&mangled, Some(PASS)).unwrap().1, body);
}

#[test]
fn tampering_and_wrong_passphrases_are_told_apart() {
    let id = PlanId::random().unwrap();
    let body = b"the plan bytes, long enough to matter".repeat(20);
    let locked = share::write(&header(&id), &body, Lock::Passphrase(PASS)).unwrap();
    assert_eq!(
        share::open(&locked, Some("kettle garden Monday")),
        Err(ShareError::WrongPassphrase)
    );
    assert_eq!(share::open(&locked, None), Err(ShareError::NeedsPassphrase));

    // One character of the body changed.
    let lines: Vec<&str> = locked.lines().collect();
    let body_line = lines.iter().position(|l| l.len() == 64).unwrap();
    let mut changed: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let c = if changed[body_line].starts_with('A') {
        "B"
    } else {
        "A"
    };
    changed[body_line].replace_range(0..1, c);
    assert_eq!(
        share::open(&changed.join("\n"), Some(PASS)),
        Err(ShareError::Tampered)
    );

    // The sender's name changed in the header.
    let renamed = locked.replace("From: Ann (carer)", "From: Bob (carer)");
    assert_ne!(renamed, locked);
    assert_eq!(share::open(&renamed, Some(PASS)), Err(ShareError::Tampered));

    // Unencrypted files catch damage too.
    let plain = share::write(&header(&id), &body, Lock::None).unwrap();
    let renamed = plain.replace("From: Ann (carer)", "From: Bob (carer)");
    assert_eq!(share::open(&renamed, None), Err(ShareError::Tampered));

    assert_eq!(
        share::write(&header(&id), &body, Lock::Passphrase("short")),
        Err(ShareError::WeakPassphrase)
    );
}

/// Every string value any change of the document ever held, in every part
/// of its saved bytes: each change's text and map values, read at that change.
fn all_strings_in_history(doc: &PlanDoc) -> String {
    let mut out = String::new();
    for (_, bytes) in carer_plan::doc::bundle::split(&doc.save()).unwrap() {
        let d = automerge::Automerge::load(&bytes).unwrap();
        for change in d.get_changes(&[]) {
            let at = d.fork_at(&[change.hash()]).unwrap();
            out.push_str(&format!("{:?}", dump(&at, automerge::ROOT)));
            out.push_str(change.message().unwrap_or_default());
        }
    }
    out
}

fn dump(d: &automerge::Automerge, obj: automerge::ObjId) -> String {
    use automerge::{ObjType, Value};
    let mut s = String::new();
    match d.object_type(&obj) {
        Ok(ObjType::Text) => s.push_str(&d.text(&obj).unwrap()),
        Ok(ObjType::Map) => {
            for k in d.keys(&obj).collect::<Vec<_>>() {
                for (v, id) in d.get_all(&obj, k.as_str()).unwrap() {
                    match v {
                        Value::Object(_) => s.push_str(&dump(d, id)),
                        Value::Scalar(x) => s.push_str(&x.to_string()),
                    }
                }
            }
        }
        Ok(ObjType::List) => {
            for i in 0..d.length(&obj) {
                if let Some((v, id)) = d.get(&obj, i).unwrap() {
                    match v {
                        Value::Object(_) => s.push_str(&dump(d, id)),
                        Value::Scalar(x) => s.push_str(&x.to_string()),
                    }
                }
            }
        }
        _ => {}
    }
    s
}

#[test]
fn unshared_sections_are_nowhere_in_the_share_nor_its_history() {
    let carer = actor();
    let mut doc = carers_plan(&carer);
    // The marker is in the carer's own copy, history and all.
    assert!(all_strings_in_history(&doc).contains(MARKER));

    let text = share_text(
        &mut doc,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 100,
    );
    let (_, body) = share::open(&text, None).unwrap();
    let needle = MARKER.as_bytes();
    assert!(!body.windows(needle.len()).any(|w| w == needle));

    let (h, copy) = exchange::read(&text, None, &actor()).unwrap();
    assert!(!h
        .sections
        .iter()
        .any(|s| s.id() == "area-finances" || s.id() == "area-relationships"));
    assert!(!copy.has_part(&Section::Area("finances".into())));
    assert!(!copy.has_part(&Section::Private));
    let history = all_strings_in_history(&copy);
    assert!(
        history.contains("About health."),
        "the shared words are there"
    );
    assert!(
        !history.contains(MARKER),
        "no change of any shared document holds the marker"
    );
    let plan = copy.plan().unwrap();
    assert_eq!(plan.wellbeing.len(), 5);
    assert!(
        plan.actions.is_empty(),
        "the finances action stayed with its area"
    );
    // The consent travelled: what, with whom, when.
    let consent = plan.shares.last().unwrap();
    assert_eq!(consent.with_whom, vec!["key-worker"]);
    assert_eq!(consent.at, T0 + 100);
    assert!(consent.sections.contains(&"area-health".to_string()));
    assert!(!consent.sections.contains(&"area-finances".to_string()));
    // And the same with a passphrase: the decrypted body holds no marker either.
    let locked = share_text(
        &mut doc,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::Passphrase(PASS),
        T0 + 200,
    );
    let (_, body) = share::open(&locked, Some(PASS)).unwrap();
    assert!(!body.windows(needle.len()).any(|w| w == needle));
}

#[test]
fn carer_and_worker_merge_both_ways_keeping_every_edit() {
    let carer = actor();
    let worker = actor();
    let mut phone = carers_plan(&carer);
    let text = share_text(
        &mut phone,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::Passphrase(PASS),
        T0 + 100,
    );

    // The worker's first import creates the plan on the laptop.
    let (h, incoming) = exchange::read(&text, Some(PASS), &worker).unwrap();
    let mut laptop = exchange::adopt(incoming, &h, &worker, T0 + 200).unwrap();
    let sam = common::worker("Sam Jones");
    laptop.ensure_participant(&worker, sam, T0 + 201).unwrap();
    laptop
        .change("Added key worker's view of Health", T0 + 202, |p| {
            if let Some(a) = p.wellbeing.get_mut("health") {
                a.worker_rating = Some("substantial".into());
            }
            p.actions.push(Action {
                id: "a-gp".into(),
                what: "Book a carer's health check".into(),
                area: Some("health".into()),
                ..Default::default()
            });
            p.sign_off = SignOff {
                carer: Some(Signature {
                    name: "Ann Smith".into(),
                    actor: carer.as_str().into(),
                    at: T0 + 203,
                }),
                worker: Some(Signature {
                    name: "Sam Jones".into(),
                    actor: worker.as_str().into(),
                    at: T0 + 203,
                }),
                signed_versions: vec![],
            };
        })
        .unwrap();
    laptop
        .set_field(
            &Field::PrivateNotes,
            &format!("{MARKER} safeguarding"),
            T0 + 204,
        )
        .unwrap();
    laptop
        .set_field(&Field::NotesForCarer, "Call me any time.", T0 + 205)
        .unwrap();

    // Meanwhile the carer edits a shared area on the phone.
    phone
        .set_field(
            &area("health", AreaField::OwnWords),
            "About health. My back is worse.",
            T0 + 210,
        )
        .unwrap();

    let all: Vec<Section> = laptop.parts().cloned().collect();
    let back = share_text(
        &mut laptop,
        &worker,
        Role::KeyWorker,
        all,
        Lock::Passphrase(PASS),
        T0 + 300,
    );
    let (h, incoming) = exchange::read(&back, Some(PASS), &carer).unwrap();
    assert_eq!(h.from_role, Role::KeyWorker);
    let report = exchange::merge_in(&mut phone, incoming, &h, &carer, T0 + 400).unwrap();
    assert!(report.new_changes > 0);
    assert!(report.parts.contains(&Section::Area("health".into())));

    let plan = phone.plan().unwrap();
    let health = &plan.wellbeing["health"];
    assert_eq!(health.own_words.as_str(), "About health. My back is worse.");
    assert_eq!(health.worker_rating.as_deref(), Some("substantial"));
    assert!(plan.actions.iter().any(|a| a.id == "a-gp"));
    assert!(
        plan.actions.iter().any(|a| a.id == "a-fin"),
        "the unshared action is still here"
    );
    assert_eq!(
        plan.wellbeing["finances"].rating.as_deref(),
        Some("critical")
    );
    assert_eq!(plan.notes_for_carer.as_str(), "Call me any time.");
    assert_eq!(
        plan.private_notes.as_str(),
        "",
        "the worker's private notes never travel"
    );
    assert!(!all_strings_in_history(&phone).contains("safeguarding"));
    assert!(plan.sign_off.worker.is_some());
    assert!(plan.imports.contains_key(carer.as_str()));

    // And the other way: the laptop takes the carer's later words.
    let again = share_text(
        &mut phone,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 500,
    );
    let (h, incoming) = exchange::read(&again, None, &worker).unwrap();
    exchange::merge_in(&mut laptop, incoming, &h, &worker, T0 + 600).unwrap();
    let plan = laptop.plan().unwrap();
    assert_eq!(
        plan.wellbeing["health"].own_words.as_str(),
        "About health. My back is worse."
    );
    assert!(!plan.wellbeing.contains_key("finances"));
    assert_eq!(
        plan.private_notes.as_str(),
        format!("{MARKER} safeguarding")
    );
}

#[test]
fn importing_the_same_or_an_older_copy_changes_nothing() {
    let carer = actor();
    let worker = actor();
    let mut phone = carers_plan(&carer);
    let old = share_text(
        &mut phone,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 100,
    );
    let (h, incoming) = exchange::read(&old, None, &worker).unwrap();
    let mut laptop = exchange::adopt(incoming, &h, &worker, T0 + 200).unwrap();
    phone
        .set_field(
            &area("health", AreaField::OwnWords),
            "Newer words",
            T0 + 300,
        )
        .unwrap();
    let newer = share_text(
        &mut phone,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 400,
    );

    let (h, incoming) = exchange::read(&newer, None, &worker).unwrap();
    exchange::merge_in(&mut laptop, incoming, &h, &worker, T0 + 500).unwrap();
    let saved = laptop.save();
    for text in [&newer, &old, &newer] {
        let (h, incoming) = exchange::read(text, None, &worker).unwrap();
        let report = exchange::merge_in(&mut laptop, incoming, &h, &worker, T0 + 600).unwrap();
        assert_eq!(report.new_changes, 0);
        assert_eq!(laptop.save(), saved, "byte-for-byte unchanged");
    }
}

#[test]
fn a_share_of_another_plan_is_refused() {
    let carer = actor();
    let mut one = carers_plan(&carer);
    let mut other = carers_plan(&carer);
    let text = share_text(
        &mut other,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 100,
    );
    let before = one.save();
    let (h, incoming) = exchange::read(&text, None, &carer).unwrap();
    assert!(matches!(
        exchange::merge_in(&mut one, incoming, &h, &carer, T0 + 200),
        Err(ImportError::DifferentPlan)
    ));
    assert_eq!(one.save(), before);
    // A header naming this plan over the other plan's body is a changed file.
    let forged_header = text.replace(other.plan_id().as_str(), one.plan_id().as_str());
    assert!(exchange::read(&forged_header, None, &carer).is_err());
}

#[test]
fn same_answer_changed_on_both_sides_is_shown_not_dropped() {
    let carer = actor();
    let worker = actor();
    let mut phone = carers_plan(&carer);
    let text = share_text(
        &mut phone,
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::None,
        T0 + 100,
    );
    let (h, incoming) = exchange::read(&text, None, &worker).unwrap();
    let mut laptop = exchange::adopt(incoming, &h, &worker, T0 + 200).unwrap();

    // A one-line answer and a choice, changed on both sides.
    phone
        .set_field(&Field::Role(RoleField::HowLong), "three years", T0 + 300)
        .unwrap();
    laptop
        .set_field(&Field::Role(RoleField::HowLong), "since 2021", T0 + 300)
        .unwrap();
    phone
        .change("Rated Health", T0 + 301, |p| {
            p.wellbeing.get_mut("health").unwrap().rating = Some("moderate".into())
        })
        .unwrap();
    laptop
        .change("Rated Health", T0 + 301, |p| {
            p.wellbeing.get_mut("health").unwrap().rating = Some("critical".into())
        })
        .unwrap();
    // A long answer rewritten on both sides.
    phone
        .set_field(
            &area("health", AreaField::OwnWords),
            "I sleep badly.",
            T0 + 302,
        )
        .unwrap();
    laptop
        .set_field(
            &area("health", AreaField::OwnWords),
            "Ann reports poor sleep and back pain.",
            T0 + 302,
        )
        .unwrap();

    let all: Vec<Section> = laptop.parts().cloned().collect();
    let back = share_text(
        &mut laptop,
        &worker,
        Role::KeyWorker,
        all,
        Lock::None,
        T0 + 400,
    );
    let (h, incoming) = exchange::read(&back, None, &carer).unwrap();
    let report = exchange::merge_in(&mut phone, incoming, &h, &carer, T0 + 500).unwrap();

    let text_conflict = report
        .text_conflicts
        .iter()
        .find(|c| c.field == area("health", AreaField::OwnWords))
        .expect("the long answer is reported");
    assert_eq!(text_conflict.mine, "I sleep badly.");
    assert_eq!(
        text_conflict.theirs,
        "Ann reports poor sleep and back pain."
    );

    // The one-line answer both rewrote is text, like a long answer: both
    // versions offered side by side, both people's words in the document.
    let how_long = report
        .text_conflicts
        .iter()
        .find(|c| c.field == Field::Role(RoleField::HowLong))
        .expect("short answer conflict");
    assert_eq!(how_long.mine, "three years");
    assert_eq!(how_long.theirs, "since 2021");
    assert_eq!(
        how_long.merged,
        phone.field_value(&Field::Role(RoleField::HowLong))
    );
    assert!(choice_conflicts(&phone).iter().all(|c| c.key != "how_long"));

    let choices = choice_conflicts(&phone);
    let rating = choices
        .iter()
        .find(|c| c.key == "rating")
        .expect("rating conflict");
    assert_eq!(rating.values.len(), 2);
    assert!(rating
        .values
        .iter()
        .any(|v| v.by.as_deref() == Some(worker.as_str())));

    // Picking one settles it, on this copy and (once shared) on the other.
    phone
        .set_field(&Field::Role(RoleField::HowLong), &how_long.theirs, T0 + 600)
        .unwrap();
    assert_eq!(
        phone.field_value(&Field::Role(RoleField::HowLong)),
        "since 2021"
    );
    let pick = rating.values[0].value.clone();
    phone
        .resolve_choice(rating, &pick, "Chose an answer", T0 + 600)
        .unwrap();
    assert!(choice_conflicts(&phone).iter().all(|c| c.key != "rating"));
}

#[test]
fn every_bad_file_gets_its_own_message_and_changes_nothing() {
    let carer = actor();
    let phone = carers_plan(&carer);
    let before = phone.save();
    let good = share_text(
        &mut phone.fork(&carer),
        &carer,
        Role::Carer,
        shared_parts(),
        Lock::Passphrase(PASS),
        T0 + 100,
    );

    let read = |t: &str, p: Option<&str>| {
        exchange::read(t, p, &carer)
            .map(|_| ())
            .map_err(|e| e.words())
    };
    let msg = |e: ShareError| e.words();

    assert_eq!(
        read("Dear Sam, see you Tuesday.", None),
        Err(msg(ShareError::NotAShareFile))
    );
    assert_eq!(
        read(&good[..good.len() / 2], Some(PASS)),
        Err(msg(ShareError::Truncated))
    );
    let cut_body = {
        let end = good.find("-----END").unwrap();
        format!("{}{}", &good[..end - 40], &good[end..])
    };
    assert!(read(&cut_body, Some(PASS)).is_err());
    assert_eq!(
        read(&good, Some("not the passphrase")),
        Err(msg(ShareError::WrongPassphrase))
    );
    assert!(good.contains("Format: 2\n"), "a locked file is format 2");
    // The lock's own lines damaged: "changed or damaged", never a wrong
    // passphrase, whatever passphrase is typed.
    for with in [
        "Salt: AAAAAAAAAAAAAAAAAAAAAA==",
        "Check: AAAAAAAAAAAAAAAAAAAAAA==",
        "KDF: m=19456,t=3,p=1",
    ] {
        let key = &with[..with.find(' ').unwrap()];
        let damaged = replace_line(&good, key, with);
        assert_ne!(damaged, good);
        for pass in [PASS, "not the passphrase"] {
            assert_eq!(
                read(&damaged, Some(pass)),
                Err(msg(ShareError::Tampered)),
                "{with}"
            );
        }
    }
    let newer = good.replace("Format: 2", "Format: 3");
    assert_eq!(
        read(&newer, Some(PASS)),
        Err(msg(ShareError::NewerFormat { found: 3 }))
    );
    let huge = "A".repeat(share::MAX_SHARE_BYTES + 1);
    assert_eq!(read(&huge, None), Err(msg(ShareError::TooLarge)));

    // A valid Automerge document of the wrong shape, properly wrapped.
    let mut odd = automerge::AutoCommit::new();
    automerge::transaction::Transactable::put(&mut odd, automerge::ROOT, "shopping", "milk")
        .unwrap();
    let mut body = Vec::new();
    carer_plan::doc::bundle::push(&mut body, &Section::Plan, &odd.save());
    let wrapped = share::write(&header(phone.plan_id()), &body, Lock::None).unwrap();
    let err = exchange::read(&wrapped, None, &carer)
        .map(|_| ())
        .unwrap_err();
    assert!(
        matches!(err, ImportError::Plan(DocError::NotAPlan)),
        "{err:?}"
    );
    // Raw Automerge bytes (not a share file at all).
    let raw = String::from_utf8_lossy(&odd.save()).into_owned();
    assert_eq!(read(&raw, None), Err(msg(ShareError::NotAShareFile)));

    // Every message is different, so each case is told apart.
    let messages = [
        msg(ShareError::NotAShareFile),
        msg(ShareError::Truncated),
        msg(ShareError::WrongPassphrase),
        msg(ShareError::NewerFormat { found: 2 }),
        msg(ShareError::TooLarge),
        msg(ShareError::Tampered),
        err.words(),
        ImportError::DifferentPlan.words(),
    ];
    let unique: std::collections::BTreeSet<_> = messages.iter().collect();
    assert_eq!(unique.len(), messages.len());
    assert_eq!(
        phone.save(),
        before,
        "the stored plan is byte-for-byte unchanged"
    );
    assert!(phone.has_part(&Section::Plan));
}

#[test]
fn my_data_downloads_as_json_and_as_one_automerge_document() {
    let carer = actor();
    let doc = carers_plan(&carer);
    let json = carer_plan::doc::takeout::json(&doc).unwrap();
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["carer"]["name"], "Ann Smith");
    assert_eq!(value["wellbeing"]["health"]["own_words"], "About health.");
    let bytes = carer_plan::doc::takeout::automerge_document(&doc).unwrap();
    let am = automerge::Automerge::load(&bytes).unwrap();
    let plan: carer_plan::plan::Plan = autosurgeon::hydrate(&am).unwrap();
    assert_eq!(plan, doc.plan().unwrap());
}

/// The browser derives a lock's key beside the page (the engine worker) and
/// hands it in: a file locked that way is the same file as one locked with
/// the passphrase, and opening with a handed-in key tells a wrong one and a
/// missing one apart as opening with the passphrase does.
#[test]
fn a_key_derived_elsewhere_locks_and_opens_as_the_passphrase_does() {
    use carer_plan::share::{derive, Kdf, Unopened};
    let id = PlanId::random().unwrap();
    let body: Vec<u8> = (0..3000u32).map(|i| (i * 13 % 251) as u8).collect();
    let kdf = Kdf::fresh().unwrap();
    let key = derive(PASS, &kdf).unwrap();
    let locked = share::write(&header(&id), &body, Lock::Key(&kdf, &key)).unwrap();
    assert_eq!(share::open(&locked, Some(PASS)).unwrap().1, body);

    let file = Unopened::read(&locked).unwrap();
    assert_eq!(file.lock(), Some(&kdf));
    assert_eq!(file.open(Some(&key)).unwrap().1, body);
    let wrong = derive("kettle garden Wednesday", &kdf).unwrap();
    assert_eq!(
        Unopened::read(&locked)
            .unwrap()
            .open(Some(&wrong))
            .unwrap_err(),
        ShareError::WrongPassphrase
    );
    assert_eq!(
        Unopened::read(&locked).unwrap().open(None).unwrap_err(),
        ShareError::NeedsPassphrase
    );
    // A file locked with the passphrase opens with the key derived apart.
    let by_pass = share::write(&header(&id), &body, Lock::Passphrase(PASS)).unwrap();
    let file = Unopened::read(&by_pass).unwrap();
    let key = derive(PASS, file.lock().unwrap()).unwrap();
    assert_eq!(file.open(Some(&key)).unwrap().1, body);
    // An unlocked file has no lock and needs no key.
    let plain = share::write(&header(&id), &body, Lock::None).unwrap();
    let file = Unopened::read(&plain).unwrap();
    assert!(file.lock().is_none());
    assert_eq!(file.open(None).unwrap().1, body);
}

/// Settings a file may not ask for are refused before Argon2 runs, whoever
/// asks (the engine worker re-checks what the page sends).
#[test]
fn key_settings_over_the_limits_are_never_run() {
    use carer_plan::share::{derive, Kdf};
    let fresh = Kdf::fresh().unwrap();
    assert!(fresh.within_limits());
    for greedy in [
        Kdf {
            m: 1 << 20,
            ..fresh.clone()
        },
        Kdf {
            t: 11,
            ..fresh.clone()
        },
        Kdf {
            p: 0,
            ..fresh.clone()
        },
        Kdf {
            salt: vec![0; 4],
            ..fresh.clone()
        },
    ] {
        assert!(!greedy.within_limits());
        assert!(derive(PASS, &greedy).is_err());
    }
}

/// One act of sharing is one record of it, however often the file is
/// made: the engine that made it may stop after storing the record and
/// before answering, and is asked again with the same id.
#[test]
fn a_share_asked_again_with_its_id_is_recorded_once() {
    let carer = DeviceActor::random().unwrap();
    let mut doc = carers_plan(&carer);
    let out = Outgoing {
        sender: &carer,
        sender_name: "Ann Smith",
        sender_role: Role::Carer,
        parts: shared_parts(),
        with_whom: vec![Recipient::KeyWorker],
        now_ms: T0 + 60_000,
    };
    let first = exchange::share_as(&mut doc, &out, "0a1b2c3d4e5f", Lock::None).unwrap();
    let heads = doc.heads();
    let again = exchange::share_as(&mut doc, &out, "0a1b2c3d4e5f", Lock::None).unwrap();
    assert_eq!(doc.heads(), heads, "nothing more recorded");
    let shares = doc.plan().unwrap().shares;
    assert_eq!(shares.len(), 1);
    assert_eq!(
        (shares[0].id.as_str(), shares[0].at),
        ("0a1b2c3d4e5f", T0 + 60_000)
    );
    let worker = DeviceActor::random().unwrap();
    for text in [first, again] {
        let (header, copy) = exchange::read(&text, None, &worker).unwrap();
        assert_eq!(header.sent_ms, T0 + 60_000);
        assert_eq!(copy.plan().unwrap().shares.len(), 1);
    }
    // Another act is another record.
    exchange::share_as(&mut doc, &out, "ffeeddccbbaa", Lock::None).unwrap();
    assert_eq!(doc.plan().unwrap().shares.len(), 2);
}

/// Two devices (or the page and the engine beside it, when the page was
/// hidden with a choice in the engine's hands) pick the same rating at
/// once: both changes are kept, and there is nothing to settle.
#[test]
fn the_same_choice_made_twice_at_once_is_nothing_to_settle() {
    let ann = actor();
    let mut phone = PlanDoc::create(&ann, carer("Ann"), "scotland", &SHORT_AREAS, T0).unwrap();
    let mut other = phone.fork(&actor());
    let area = SHORT_AREAS[0].to_owned();
    for (doc, at) in [(&mut phone, T0 + 10), (&mut other, T0 + 11)] {
        doc.apply(
            &carer_plan::plan::Edit::SetRating {
                area: area.clone(),
                level: Some("some".into()),
            },
            at,
        )
        .unwrap();
    }
    phone.merge(&mut other).unwrap();
    assert_eq!(
        phone.plan().unwrap().wellbeing[&area].rating.as_deref(),
        Some("some")
    );
    assert!(choice_conflicts(&phone).iter().all(|c| c.key != "rating"));
    // Different picks are still offered side by side.
    let mut third = phone.fork(&actor());
    phone
        .apply(
            &carer_plan::plan::Edit::SetRating {
                area: area.clone(),
                level: Some("none".into()),
            },
            T0 + 20,
        )
        .unwrap();
    third
        .apply(
            &carer_plan::plan::Edit::SetRating {
                area: area.clone(),
                level: Some("critical".into()),
            },
            T0 + 21,
        )
        .unwrap();
    phone.merge(&mut third).unwrap();
    assert!(choice_conflicts(&phone).iter().any(|c| c.key == "rating"));
}
