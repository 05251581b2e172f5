//! Live sync, natively: carers' and key workers' devices (and tabs) kept
//! in step through an in-memory relay that behaves as automerge-repo's
//! sync server does (one Automerge document per id, synced with each peer
//! that asks for it), all in the protocol's own frames. Each device runs
//! the app's own sync core (`share::sync::Engine`); this file is only its
//! driver and the relay.

mod common;

use automerge::{Automerge, ChangeHash};
use carer_plan::plan::{Field, PlanId, Role};
use carer_plan::share::sync::sealed::{self, Bundle, Header};
use carer_plan::share::sync::{
    DeviceKey, DocumentId, Engine, Keep, KeepError, Link, Problem, Standing, Which,
};
use common::sim::*;
use common::*;

#[test]
fn a_worker_asks_is_allowed_and_edits_go_both_ways_and_merge() {
    let mut relay = Relay::default();
    let (mut carer, link) = carer_starts(&mut relay);
    let mut worker = asks(&mut relay, "worker", &link, Role::KeyWorker);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    // Asking gives nothing: no plan until the carer allows the device.
    assert!(worker.plan.is_none());
    assert_eq!(worker.keep().standing(), Standing::Asking);
    allow(&mut relay, &mut carer, &mut worker);

    let w = worker.plan();
    assert_eq!(w.plan_id(), carer.plan().plan_id());
    assert_eq!(words(w, "finances"), words(carer.plan(), "finances"));
    assert!(!w.has_part(&Section::Area("employment-training".into())));
    assert!(!w.has_part(&Section::Area("future-planning".into())));
    // Names come from the list of devices.
    let names: Vec<String> = worker.keep().others().map(|m| m.name.clone()).collect();
    assert_eq!(names, vec!["Ann's phone".to_string()]);

    carer.set(&mut relay, "finances", "Money is tight since March.");
    worker.set(&mut relay, "life-balance", "Worker's note on balance.");
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    for d in [&carer, &worker] {
        assert_eq!(
            words(d.plan(), "finances"),
            "Money is tight since March.",
            "{}",
            d.name
        );
        assert_eq!(
            words(d.plan(), "life-balance"),
            "Worker's note on balance.",
            "{}",
            d.name
        );
        assert!(d.problems.is_empty(), "{}: {:?}", d.name, d.problems);
    }
    // Both confirmed: each side has heard the other has everything.
    assert!(carer.keep().confirmed(carer.plan()));
    assert_eq!(carer.keep().unconfirmed_since, None);
    assert_eq!(worker.keep().unconfirmed_since, None);
}

#[test]
fn the_status_is_not_up_to_date_while_the_worker_is_offline() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(carer.keep().unconfirmed_since, None);
    worker.disconnect(&mut relay);
    carer.set(&mut relay, "finances", "Typed while Sam's laptop was shut.");
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    // The relay has it; the worker does not: not "up to date".
    assert!(carer.keep().relay_has_all());
    assert!(carer.keep().unconfirmed_since.is_some());
    assert!(!carer.keep().confirmed(carer.plan()));
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(
        words(worker.plan(), "finances"),
        "Typed while Sam's laptop was shut."
    );
    assert_eq!(carer.keep().unconfirmed_since, None);
}

#[test]
fn two_tabs_of_the_carer_and_a_worker_on_two_devices_lose_no_word() {
    let mut relay = Relay::default();
    let (mut tab1, link) = carer_starts(&mut relay);
    // The second tab: the same device (same key, same stored keep), its own writer.
    let mut tab2 = second_tab(&mut relay, &tab1, "tab2");
    let (mut laptop, mut phone) = worker_on_two_devices(&mut relay, &mut tab1, &link);
    settle(
        &mut relay,
        &mut [&mut tab1, &mut tab2, &mut laptop, &mut phone],
    );

    tab1.set(&mut relay, "finances", "Tab one words.");
    tab2.set(&mut relay, "health-wellbeing", "Tab two words.");
    laptop.set(&mut relay, "relationships", "Laptop words.");
    phone.set(&mut relay, "life-balance", "Phone words.");
    settle(
        &mut relay,
        &mut [&mut tab1, &mut tab2, &mut laptop, &mut phone],
    );
    for d in [&tab1, &tab2, &laptop, &phone] {
        let p = d.plan();
        assert_eq!(words(p, "finances"), "Tab one words.", "{}", d.name);
        assert_eq!(words(p, "health-wellbeing"), "Tab two words.", "{}", d.name);
        assert_eq!(words(p, "relationships"), "Laptop words.", "{}", d.name);
        assert_eq!(words(p, "life-balance"), "Phone words.", "{}", d.name);
    }
    // The carer's history can say which of the worker's devices made each
    // change, by the names she allowed them under.
    let named = |d: &Device| {
        tab1.authors
            .iter()
            .find(|(dev, _)| *dev == d.actor.as_str())
            .map(|(_, n)| n.clone())
    };
    assert_eq!(named(&laptop).as_deref(), Some("laptop"));
    assert_eq!(named(&phone).as_deref(), Some("phone"));
}

#[test]
fn a_bundle_that_builds_on_her_other_tabs_waits_for_it_and_nothing_is_refused() {
    let mut relay = Relay::default();
    let (mut tab1, link) = carer_starts(&mut relay);
    let mut tab2 = second_tab(&mut relay, &tab1, "tab2");
    let mut laptop = asks(&mut relay, "laptop", &link, Role::KeyWorker);
    allow(&mut relay, &mut tab1, &mut laptop);
    settle(&mut relay, &mut [&mut tab1, &mut tab2, &mut laptop]);
    // His laptop is shut. Each of her tabs writes on top of what the other
    // sealed, so each tab's next bundle builds on the other tab's: in
    // whichever order the laptop reads the two writers, one bundle comes
    // before the one it builds on.
    laptop.disconnect(&mut relay);
    let mut words_so_far = String::new();
    for (n, word) in ["One.", " Two.", " Three.", " Four."].iter().enumerate() {
        words_so_far.push_str(word);
        let tab = if n % 2 == 0 { &mut tab2 } else { &mut tab1 };
        tab.set(&mut relay, "finances", &words_so_far);
        settle(&mut relay, &mut [&mut tab1, &mut tab2]);
    }
    laptop.connect(&mut relay);
    settle(&mut relay, &mut [&mut tab1, &mut tab2, &mut laptop]);
    assert_eq!(words(laptop.plan(), "finances"), "One. Two. Three. Four.");
    assert!(laptop.problems.is_empty(), "refused: {:?}", laptop.problems);
}

#[test]
fn a_stranger_with_the_link_gets_nothing_and_cannot_write_sign_or_stop() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let link = carer.keep().link().clone();
    let mut stranger = asks(&mut relay, "stranger", &link, Role::KeyWorker);
    settle(&mut relay, &mut [&mut carer, &mut worker, &mut stranger]);
    assert!(stranger.plan.is_none(), "the stranger read the plan");
    assert!(
        carer.keep().requests.contains_key(&stranger.id()),
        "the carer sees the request"
    );

    // The stranger forges a plan of its own under the link and puts its
    // changes on the relay as best it can: a keep that says it is the carer.
    let forged_plan = full_plan(&actor());
    let mut forger = Device::new("forger", DeviceKey::generate().unwrap(), Some(forged_plan));
    let mut fake = Keep::start(
        link.clone(),
        carer.plan().plan_id().clone(),
        &sections(),
        forger.engine.device(),
        "Sam Patel",
        T0,
    )
    .unwrap();
    // Its list of devices is signed by its own key, not the carer's.
    let fid = carer.plan().plan_id().clone();
    fake.plan_id = Some(fid.clone());
    forger.engine.insert(fid, fake);
    forger.connect(&mut relay);
    forger.set(&mut relay, "finances", "FORGED words.");
    let fkey = forger.engine.device().clone();
    let _ = fkey;
    settle(
        &mut relay,
        &mut [&mut carer, &mut worker, &mut stranger, &mut forger],
    );
    for d in [&carer, &worker] {
        assert_ne!(words(d.plan(), "finances"), "FORGED words.", "{}", d.name);
        assert!(!d.keep().stopped);
        assert_eq!(d.keep().standing(), Standing::Allowed);
    }
    // The carer refuses the stranger; it stays out.
    let id = carer.plan().plan_id().clone();
    carer.engine.refuse(&id, &stranger.id(), T0 + 9).unwrap();
    carer.handle_events(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker, &mut stranger]);
    assert!(carer.keep().requests.is_empty());
    assert!(stranger.plan.is_none());
    // It is told, instead of waiting for ever, and the worker is unmoved.
    assert_eq!(stranger.keep().standing(), Standing::Refused);
    assert_eq!(worker.keep().standing(), Standing::Allowed);
}

#[test]
fn a_removed_device_gets_nothing_new_and_what_it_sends_is_refused() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let link = carer.keep().link().clone();
    let mut phone = asks(&mut relay, "phone", &link, Role::KeyWorker);
    allow(&mut relay, &mut carer, &mut phone);
    let id = carer.plan().plan_id().clone();
    carer
        .engine
        .remove_device(&id, &phone.id(), T0 + 50)
        .unwrap();
    carer.handle_events(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker, &mut phone]);
    assert_eq!(phone.keep().standing(), Standing::Removed);

    carer.set(&mut relay, "finances", "After the phone was removed.");
    phone.set(&mut relay, "life-balance", "Written on the removed phone.");
    settle(&mut relay, &mut [&mut carer, &mut worker, &mut phone]);
    assert_ne!(
        words(phone.plan(), "finances"),
        "After the phone was removed."
    );
    assert_eq!(
        words(worker.plan(), "finances"),
        "After the phone was removed."
    );
    assert_ne!(
        words(carer.plan(), "life-balance"),
        "Written on the removed phone."
    );
    assert_ne!(
        words(worker.plan(), "life-balance"),
        "Written on the removed phone."
    );
}

#[test]
fn bundles_out_of_order_wait_and_a_forged_delete_hides_nothing() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    // Two bundles from the carer; the relay hands the worker only the
    // second (it builds on the first) at first.
    worker.disconnect(&mut relay);
    carer.set(&mut relay, "finances", "First.");
    carer.set(&mut relay, "finances", "First. Second.");
    settle(&mut relay, &mut [&mut carer]);
    // A forged change on the relay deletes every entry.
    let doc_id = carer.keep().doc_id().to_string();
    {
        use automerge::transaction::Transactable;
        use automerge::{ReadDoc, ROOT};
        let doc = relay.docs.get_mut(&doc_id).unwrap();
        let keys: Vec<String> = doc.keys(ROOT).collect();
        assert!(keys.len() > 3, "the entries are the root's keys");
        let mut tx = doc.transaction();
        for k in keys {
            tx.delete(ROOT, k.as_str()).unwrap();
        }
        tx.commit();
    }
    worker.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(words(worker.plan(), "finances"), "First. Second.");
    // A new device of the worker joining afterwards still gets everything.
    let link = carer.keep().link().clone();
    let mut late = asks(&mut relay, "late", &link, Role::KeyWorker);
    allow(&mut relay, &mut carer, &mut late);
    assert_eq!(words(late.plan(), "finances"), "First. Second.");
}

#[test]
fn a_live_change_over_the_plans_limits_is_refused_whole() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let before = carer.plan().save();
    // The worker's device writes far more than a plan may hold, bypassing
    // the app's own checks.
    {
        let plan = worker.plan.as_mut().unwrap();
        let long = "a".repeat(200_000);
        plan.change("Updated Finances", T0 + 5, |p| {
            if let Some(a) = p.wellbeing.get_mut("finances") {
                a.own_words = autosurgeon::Text::from(long.as_str());
            }
        })
        .unwrap();
    }
    worker.changed(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(carer.plan().save(), before, "the carer's plan changed");
    assert!(carer
        .problems
        .iter()
        .any(|p| matches!(p, Problem::Refused(..))));
}

#[test]
fn the_carer_stops_the_worker_keeps_what_he_had_and_only_the_carer_can_stop() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let id = carer.plan().plan_id().clone();
    let plan = carer.plan.take().unwrap();
    carer
        .engine
        .set_consent(&id, &plan, &sections(), true, T0 + 60)
        .unwrap();
    carer.plan = Some(plan);
    carer.handle_events(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert!(worker.keep().stopped);
    assert!(worker
        .plan()
        .has_part(&Section::Area("relationships".into())));
    // Nothing the carer writes afterwards reaches the worker's device.
    carer.set(&mut relay, "finances", "After stopping.");
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_ne!(words(worker.plan(), "finances"), "After stopping.");
    // The worker cannot stop it himself for the carer.
    assert_eq!(
        worker
            .engine
            .set_consent(&id, worker.plan.as_ref().unwrap(), &[], true, T0),
        Err(KeepError::NotAllowed)
    );
}

#[test]
fn a_keep_survives_being_saved_and_read_back() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let key = worker.engine.device().clone();
    let saved = worker.keep().save();
    let back = Keep::restore(&saved, &key, T0).unwrap();
    assert_eq!(back.save().len(), saved.len());
    assert!(Keep::restore(&saved[..saved.len() / 2], &key, T0).is_none());
    assert!(Keep::restore(b"nonsense", &key, T0).is_none());
}

#[test]
fn a_save_no_engine_sealed_is_found_and_sent_when_keeping_in_step_starts_again() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let id = carer.plan().plan_id().clone();
    let key = carer.engine.device().clone();
    let names = |n: &[&str]| n.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    let stored_as = |n: &[&str]| std::collections::BTreeMap::from([(id.clone(), names(n))]);
    let start_from = |bytes: &[u8], peer: &str| {
        let mut e = Engine::new(key.clone(), peer.into());
        e.insert(id.clone(), Keep::restore(bytes, &key, T0).unwrap());
        e
    };
    // A keep that never heard what it was read from (an earlier release):
    // its plan is read once at the next start.
    let never = carer.keep().save();
    assert_eq!(
        start_from(&never, "p1").to_seal_at_start(&stored_as(&["a"])),
        vec![id.clone()]
    );
    // The driver says which chunks the plan it sealed was read from.
    assert!(carer.engine.read_from(&id, names(&["a", "b"])));
    assert!(!carer.engine.read_from(&id, names(&["b", "a"])));
    let stored = carer.keep().save();
    // Her words are saved as chunk "c", but the engine that would seal them
    // stopped first (or none ran): the keep as stored never saw them.
    let t = carer.clock + 1;
    carer
        .plan
        .as_mut()
        .unwrap()
        .set_field(
            &Field::Area("finances".into(), AreaField::OwnWords),
            "Typed as it stopped.",
            t,
        )
        .unwrap();
    carer.engine = start_from(&stored, "peer-carer-again");
    // A chunk it was not read from: read and sealed at the start.
    assert_eq!(
        carer.engine.to_seal_at_start(&stored_as(&["a", "b", "c"])),
        vec![id.clone()]
    );
    // Nothing saved since: nothing read.
    assert!(carer
        .engine
        .to_seal_at_start(&stored_as(&["a", "b"]))
        .is_empty());
    assert!(carer
        .engine
        .to_seal_at_start(&Default::default())
        .is_empty());
    carer.changed(&mut relay);
    assert!(carer.engine.read_from(&id, names(&["a", "b", "c"])));
    carer.connect(&mut relay);
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert_eq!(words(worker.plan(), "finances"), "Typed as it stopped.");
    // Sealed and stored: the next start reads nothing, until a chunk it was
    // not read from appears (a compaction's snapshot, say).
    let stored = carer.keep().save();
    assert!(
        Keep::restore(&stored, &key, T0).unwrap().save() == stored,
        "read back whole"
    );
    let next = start_from(&stored, "p3");
    assert!(next
        .to_seal_at_start(&stored_as(&["a", "b", "c"]))
        .is_empty());
    assert_eq!(next.to_seal_at_start(&stored_as(&["d"])), vec![id.clone()]);
}

#[test]
fn what_the_relay_holds_and_carries_never_shows_an_answer_or_a_name() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    let marker = "MARKER-7f3a9c-keep";
    for a in FIVE {
        carer.set(&mut relay, a, &format!("{marker} {a}"));
    }
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    assert!(words(worker.plan(), "finances").starts_with(marker));
    let holds = |b: &[u8], m: &str| b.windows(m.len()).any(|w| w == m.as_bytes());
    for m in [marker, "Ann's phone", "worker"] {
        assert!(
            !relay.frames.iter().any(|f| holds(f, m) && m == marker),
            "a frame carried {m}"
        );
        assert!(
            !relay
                .docs
                .values()
                .any(|d| holds(&d.save_nocompress(), m) && m != "worker"),
            "the relay holds {m}"
        );
    }
}

#[test]
fn keeps_and_relay_documents_of_release_3_still_open() {
    let dir = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/sync/release-3/"
    );
    let read = |f: &str| std::fs::read(format!("{dir}{f}")).unwrap();
    let key = DeviceKey::generate().unwrap();
    // The carer's keep carries on, her device now deciding; a new link.
    let carer = Keep::restore(&read("carer.keep"), &key, T0).unwrap();
    assert_eq!(carer.me, Role::Carer);
    assert!(carer.relinked);
    assert_eq!(carer.link().root, Some(key.id()));
    let old = Link::parse(std::str::from_utf8(&read("link.txt")).unwrap()).unwrap();
    assert_eq!(carer.link().doc, old.doc);
    assert_eq!(old.root, None);
    // The worker's keep asks for a new link.
    let worker = Keep::restore(&read("worker.keep"), &key, T0).unwrap();
    assert_eq!(worker.standing(), Standing::OldLink);
    // The relay's document of then loads and syncs with the carried-on keep.
    let relay_doc = Automerge::load(&read("relay-document.automerge")).unwrap();
    assert!(!relay_doc.get_heads().is_empty());
    let plan = PlanDoc::load(&read("carer-plan.bin"), &actor()).unwrap();
    let mut relay = Relay::default();
    relay.docs.insert(old.doc.to_string(), relay_doc);
    let mut d = Device::new("carer", key.clone(), Some(plan));
    let id = d.plan().plan_id().clone();
    d.engine.insert(id.clone(), carer);
    assert_eq!(d.engine.seal_due(), vec![id]);
    d.changed(&mut relay);
    d.connect(&mut relay);
    settle(&mut relay, &mut [&mut d]);
    assert!(d.problems.is_empty(), "{:?}", d.problems);
    // A worker given the new link asks and is allowed, and gets the plan.
    let link = d.keep().link().clone();
    let mut w = asks(&mut relay, "worker", &link, Role::KeyWorker);
    allow(&mut relay, &mut d, &mut w);
    assert_eq!(words(w.plan(), "finances"), words(d.plan(), "finances"));
    let _ = Which::Plan(w.plan().plan_id().clone());
}

const FORMAT_2: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/sync/format-2/");

/// A bundle header as written today, with and without its parts (bundles
/// of the first format had none).
fn format_2_bundle(parts: bool) -> Bundle {
    let heads = vec![ChangeHash([3; 32]), ChangeHash([7; 32])];
    Bundle {
        header: Header {
            plan_id: PlanId::parse(&"ab".repeat(16)).unwrap(),
            from_name: "Ann's phone ☀️".into(),
            from_role: Role::Carer,
            sections: sections(),
            stopped: false,
            heads: heads.clone(),
            parts: if parts {
                vec![
                    (Section::AboutYou, vec![heads[0]]),
                    (Section::Area("finances".into()), heads.clone()),
                    (Section::Plan, Vec::new()),
                ]
            } else {
                Vec::new()
            },
        },
        changes: b"CSPB and some changes".to_vec(),
    }
}

const BUNDLE_DOC: [u8; 16] = [1; 16];
const BUNDLE_KEY: [u8; 32] = [9; 32];

/// Writes the format-2 fixtures with the code of the day. Run once, by
/// hand: `cargo test --test sync -- --ignored write_format_2_fixtures`.
#[test]
#[ignore]
fn write_format_2_fixtures() {
    let (mut relay, mut carer, mut worker) = carer_and_worker();
    carer.set(&mut relay, "finances", "Money is tight since March.");
    worker.set(&mut relay, "life-balance", "Worker's note on balance.");
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    let write = |f: &str, b: &[u8]| std::fs::write(format!("{FORMAT_2}{f}"), b).unwrap();
    std::fs::create_dir_all(FORMAT_2).unwrap();
    for d in [&carer, &worker] {
        write(&format!("{}.key", d.name), &d.engine.device().to_bytes());
        write(&format!("{}.keep", d.name), &d.keep().save());
        write(&format!("{}-plan.bin", d.name), &d.plan().save());
    }
    let doc = carer.keep().doc_id().to_string();
    write("relay-document.automerge", &relay.docs[&doc].save());
    write(
        "link.txt",
        carer.keep().link().url("https://plan.example/").as_bytes(),
    );
    let doc = DocumentId::from_bytes(BUNDLE_DOC);
    for (f, parts) in [("bundle.sealed", true), ("bundle-no-parts.sealed", false)] {
        write(
            f,
            &sealed::seal(&format_2_bundle(parts), &doc, &BUNDLE_KEY).unwrap(),
        );
    }
}

#[test]
fn keeps_relay_documents_and_bundles_of_format_2_still_open() {
    let read = |f: &str| std::fs::read(format!("{FORMAT_2}{f}")).unwrap();
    let mut relay = Relay::default();
    let link = Link::parse(std::str::from_utf8(&read("link.txt")).unwrap()).unwrap();
    let relay_doc = Automerge::load(&read("relay-document.automerge")).unwrap();
    relay.docs.insert(link.doc.to_string(), relay_doc);
    let mut devices = Vec::new();
    for name in ["carer", "worker"] {
        let key = DeviceKey::from_bytes(&read(&format!("{name}.key"))).unwrap();
        let stored = read(&format!("{name}.keep"));
        let keep = Keep::restore(&stored, &key, T0).unwrap();
        // Written again byte for byte: nothing stored changes by being read.
        assert!(keep.save() == stored, "{name}'s keep saves to other bytes");
        assert_eq!(keep.link().doc, link.doc);
        let plan = PlanDoc::load(&read(&format!("{name}-plan.bin")), &actor()).unwrap();
        let mut d = Device::new(name, key, Some(plan));
        d.engine.insert(d.plan().plan_id().clone(), keep);
        d.connect(&mut relay);
        devices.push(d);
    }
    let [mut carer, mut worker] = <[Device; 2]>::try_from(devices).ok().unwrap();
    assert_eq!(carer.keep().me, Role::Carer);
    assert_eq!(worker.keep().me, Role::KeyWorker);
    assert_eq!(
        words(worker.plan(), "finances"),
        "Money is tight since March."
    );
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    // Both carry on in step under the same link.
    carer.set(&mut relay, "finances", "Better since the grant came.");
    worker.set(&mut relay, "health-wellbeing", "Sleeping better.");
    settle(&mut relay, &mut [&mut carer, &mut worker]);
    for d in [&carer, &worker] {
        assert_eq!(words(d.plan(), "finances"), "Better since the grant came.");
        assert_eq!(words(d.plan(), "health-wellbeing"), "Sleeping better.");
        assert_eq!(words(d.plan(), "life-balance"), "Worker's note on balance.");
        assert!(d.problems.is_empty(), "{}: {:?}", d.name, d.problems);
    }
    // Bundles sealed then open to the same header.
    let doc = DocumentId::from_bytes(BUNDLE_DOC);
    for (f, parts) in [("bundle.sealed", true), ("bundle-no-parts.sealed", false)] {
        let opened = sealed::open(&read(f), &doc, &BUNDLE_KEY).unwrap();
        assert_eq!(opened, format_2_bundle(parts), "{f}");
    }
}
