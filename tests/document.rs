//! Native tests of the plan document: round trips, merging, migration,
//! storage compaction and refusals. `cargo test` runs them with no browser.

mod common;

use automerge::transaction::Transactable;
use automerge::ROOT;
use carer_plan::doc::schema::CURRENT_SCHEMA;
use common::*;

fn new_plan(a: &DeviceActor) -> PlanDoc {
    PlanDoc::create(a, carer("Ann"), "scotland", &SHORT_AREAS, T0).unwrap()
}

/// A person's changes (not the app's set-up of each part), oldest first.
fn people_changes(doc: &PlanDoc) -> Vec<carer_plan::doc::ChangeInfo> {
    doc.changes()
        .into_iter()
        .filter(|c| !carer_plan::doc::actor::is_genesis_actor(&c.actor))
        .collect()
}

/// One part document as saved bytes.
fn bundled(part: &Section, doc: &automerge::Automerge) -> Vec<u8> {
    let mut out = Vec::new();
    carer_plan::doc::bundle::push(&mut out, part, &doc.save());
    out
}

fn name(f: CarerField) -> Field {
    Field::Carer(f)
}

#[test]
fn round_trip_save_load_hydrate_is_equal() {
    let a = actor();
    let mut doc = new_plan(&a);
    doc.set_field(&name(CarerField::Name), "Ann Smith", T0 + 1)
        .unwrap();
    doc.set_field(
        &name(CarerField::Address),
        "1 High Street\nMotherwell",
        T0 + 2,
    )
    .unwrap();
    doc.change("Added a person you care for", T0 + 3, |p| {
        p.cared_for.push(CaredFor {
            id: "p1".into(),
            name: "Bob".into(),
            relationship: "husband".into(),
            lives_with_carer: Some(true),
            ..Default::default()
        })
    })
    .unwrap();
    let bytes = doc.save();
    let loaded = PlanDoc::load(&bytes, &a).unwrap();
    assert_eq!(loaded.plan().unwrap(), doc.plan().unwrap());
    assert_eq!(loaded.plan_id(), doc.plan_id());
    let plan = loaded.plan().unwrap();
    assert_eq!(plan.carer.name, "Ann Smith");
    assert_eq!(plan.carer.address.as_str(), "1 High Street\nMotherwell");
    assert_eq!(plan.cared_for[0].name, "Bob");
    assert_eq!(plan.wellbeing.len(), 7);
    assert_eq!(plan.schema_version, CURRENT_SCHEMA);
}

#[test]
fn every_change_carries_device_actor_time_and_message() {
    let a = actor();
    let mut doc = new_plan(&a);
    doc.set_field(&name(CarerField::Phone), "01698 000000", T0 + 5_000)
        .unwrap();
    let metas = people_changes(&doc);
    for m in &metas {
        assert_eq!(m.actor, carer_plan::doc::actor::actor_id(&a));
        assert!(m.time >= T0 / 1000, "timestamp in seconds");
    }
    assert_eq!(metas[0].message.as_deref(), Some("Started the plan"));
    let last = metas.last().unwrap();
    assert_eq!(last.message.as_deref(), Some("Updated About you"));
    assert_eq!(last.time, (T0 + 5_000) / 1000);
    assert_eq!(
        last.part,
        Section::AboutYou,
        "the change is in the section's own document"
    );

    // A reloaded copy on the same device keeps writing as the same actor.
    let mut again = PlanDoc::load(&doc.save(), &a).unwrap();
    again
        .set_field(&name(CarerField::Phone), "01698 111111", T0 + 9_000)
        .unwrap();
    let last = people_changes(&again).pop().unwrap();
    assert_eq!(
        carer_plan::doc::actor::device_of(&last.actor).as_deref(),
        Some(a.as_str())
    );
}

#[test]
fn unchanged_answers_make_no_change() {
    let a = actor();
    let mut doc = new_plan(&a);
    assert!(doc.set_field(&name(CarerField::Name), "Ann", T0).unwrap());
    assert!(!doc.set_field(&name(CarerField::Name), "Ann", T0).unwrap());
    let before = doc.changes().len();
    assert!(!doc.change("Nothing", T0, |_| {}).unwrap());
    assert!(!doc
        .change("Same name", T0, |p| p.carer.name = "Ann".into())
        .unwrap());
    assert_eq!(doc.changes().len(), before);
}

#[test]
fn the_plan_records_who_each_actor_is() {
    let a = actor();
    let w = actor();
    let doc = new_plan(&a);
    let mut worker_copy = doc.fork(&w);
    worker_copy
        .ensure_participant(&w, worker("Sam Jones"), T0 + 10)
        .unwrap();
    worker_copy
        .set_field(&name(CarerField::Email), "ann@example.org", T0 + 20)
        .unwrap();
    let plan = worker_copy.plan().unwrap();
    assert_eq!(plan.participants[a.as_str()].role, Role::Carer);
    assert_eq!(plan.participants[w.as_str()].name, "Sam Jones");
    let h = history(&worker_copy);
    let last = h.last().unwrap();
    assert_eq!(last.message, "Updated About you");
    assert_eq!(last.who_label(), "Sam Jones (key worker)");
    assert_eq!(h[0].who_label(), "Ann (carer)");
}

/// Two copies edited concurrently, merged in both orders.
#[test]
fn concurrent_edits_merge_with_everything_kept_in_either_order() {
    let a = actor();
    let b = actor();
    let mut base = new_plan(&a);
    base.set_field(
        &name(CarerField::SafeContact),
        "Mornings are best. Evenings are hard.",
        T0,
    )
    .unwrap();
    let mut one = base.fork(&a);
    let mut two = base.fork(&b);

    // Items inserted in the same list on both sides.
    one.change("Added a person you care for", T0 + 1, |p| {
        p.cared_for.push(CaredFor {
            id: "mum".into(),
            name: "Mum".into(),
            ..Default::default()
        })
    })
    .unwrap();
    two.change("Added a person you care for", T0 + 1, |p| {
        p.cared_for.push(CaredFor {
            id: "son".into(),
            name: "Son".into(),
            ..Default::default()
        })
    })
    .unwrap();
    // The same text edited at different places.
    one.set_field(
        &name(CarerField::SafeContact),
        "Weekday mornings are best. Evenings are hard.",
        T0 + 2,
    )
    .unwrap();
    two.set_field(
        &name(CarerField::SafeContact),
        "Mornings are best. Evenings are hard, text first.",
        T0 + 2,
    )
    .unwrap();
    // Different fields.
    one.set_field(&name(CarerField::Name), "Ann Smith", T0 + 3)
        .unwrap();
    two.set_field(&name(CarerField::Phone), "07700 900123", T0 + 3)
        .unwrap();

    let mut ab = one.fork(&a);
    ab.merge(&mut two.fork(&b)).unwrap();
    let mut ba = two.fork(&b);
    ba.merge(&mut one.fork(&a)).unwrap();

    let p = ab.plan().unwrap();
    assert_eq!(p, ba.plan().unwrap(), "merge order must not matter");
    let mut people: Vec<_> = p.cared_for.iter().map(|c| c.name.as_str()).collect();
    people.sort();
    assert_eq!(people, ["Mum", "Son"]);
    assert_eq!(
        p.carer.safe_contact.as_str(),
        "Weekday mornings are best. Evenings are hard, text first."
    );
    assert_eq!(p.carer.name, "Ann Smith");
    assert_eq!(p.carer.phone, "07700 900123");
}

#[test]
fn a_copy_of_another_plan_refuses_to_merge() {
    let a = actor();
    let mut one = new_plan(&a);
    let mut other = new_plan(&a);
    other
        .set_field(&name(CarerField::Name), "Someone else", T0)
        .unwrap();
    let before = one.save();
    assert!(matches!(
        one.merge(&mut other),
        Err(DocError::DifferentPlan)
    ));
    assert_eq!(one.save(), before, "a refused merge changes nothing");
}

#[test]
fn damaged_bytes_are_refused_with_a_reason() {
    let a = actor();
    let mut doc = new_plan(&a);
    doc.set_field(&name(CarerField::Name), "Ann", T0).unwrap();
    let bytes = doc.save();

    let truncated = &bytes[..bytes.len() / 2];
    assert!(matches!(
        PlanDoc::load(truncated, &a),
        Err(DocError::Unreadable(_))
    ));

    let mut flipped = bytes.clone();
    let mid = flipped.len() / 2;
    flipped[mid] ^= 0x40;
    assert!(PlanDoc::load(&flipped, &a).is_err());

    assert!(matches!(
        PlanDoc::load(b"hello", &a),
        Err(DocError::NotAPlan)
    ));
    assert!(matches!(PlanDoc::load(&[], &a), Err(DocError::NotAPlan)));
}

#[test]
fn documents_that_are_not_plans_are_refused() {
    let a = actor();
    // A valid Automerge document of another shape.
    let mut other = automerge::Automerge::new();
    other
        .transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "title", "shopping list")?;
            Ok(())
        })
        .unwrap();
    assert!(matches!(
        PlanDoc::load(&other.save(), &a),
        Err(DocError::NotAPlan)
    ));
    assert!(matches!(
        PlanDoc::load(&bundled(&Section::Plan, &other), &a),
        Err(DocError::NotAPlan)
    ));

    // Right id and version, wrong contents.
    let mut odd = automerge::Automerge::new();
    odd.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "plan_id", PlanId::random().unwrap().as_str())?;
        tx.put(ROOT, "schema_version", CURRENT_SCHEMA)?;
        tx.put(ROOT, "part", "plan")?;
        tx.put(ROOT, "framework", 42_i64)?;
        Ok(())
    })
    .unwrap();
    assert!(matches!(
        PlanDoc::load(&bundled(&Section::Plan, &odd), &a),
        Err(DocError::Hydrate(_))
    ));
}

#[test]
fn a_plan_from_a_newer_format_is_refused_not_damaged() {
    let a = actor();
    let mut doc = automerge::Automerge::new();
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        tx.put(ROOT, "plan_id", PlanId::random().unwrap().as_str())?;
        tx.put(ROOT, "schema_version", CURRENT_SCHEMA + 1)?;
        tx.put(ROOT, "part", "plan")?;
        Ok(())
    })
    .unwrap();
    match PlanDoc::load(&bundled(&Section::Plan, &doc), &a) {
        Err(DocError::NewerSchema { found, supported }) => {
            assert_eq!(found, CURRENT_SCHEMA + 1);
            assert_eq!(supported, CURRENT_SCHEMA);
        }
        other => panic!("expected NewerSchema, got {other:?}"),
    }
}

#[test]
fn a_too_long_answer_is_refused_and_the_old_one_kept() {
    let a = actor();
    let mut doc = new_plan(&a);
    doc.set_field(&name(CarerField::Health), "I sleep badly.", T0)
        .unwrap();
    let err = doc
        .set_field(&name(CarerField::Health), &"x".repeat(50_000), T0 + 1)
        .unwrap_err();
    assert!(matches!(err, DocError::Field(_)));
    assert_eq!(doc.plan().unwrap().carer.health.as_str(), "I sleep badly.");
}

// ---- storage bookkeeping -------------------------------------------------

/// A stand-in for IndexedDB: a sorted map of chunk keys to bytes.
#[derive(Default, Clone)]
struct Store(std::collections::BTreeMap<ChunkKey, Vec<u8>>);

impl Store {
    fn chunks(&self) -> Chunks {
        self.0.iter().map(|(k, v)| (k.clone(), v.clone())).collect()
    }
    fn keys(&self) -> Vec<ChunkKey> {
        self.0.keys().cloned().collect()
    }
    fn save(&mut self, doc: &PlanDoc, log: &mut ChunkLog, now: i64, nonce: u32) {
        if let Some(p) = log.pending(doc) {
            let key = ChunkKey::new(doc.plan_id(), log.next_kind(), now, nonce);
            self.0.insert(key.clone(), p.bytes.clone());
            log.written(key, &p);
        }
    }
    fn compact(&mut self, doc: &PlanDoc, log: &mut ChunkLog, now: i64, nonce: u32) {
        let snapshot = doc.save();
        let key = ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, now, nonce);
        let removed = log.compactable();
        for k in &removed {
            self.0.remove(k);
        }
        self.0.insert(key.clone(), snapshot.clone());
        log.compacted(key, snapshot.len(), &removed, doc.heads());
    }
}

/// Type into the carer's health answer, saving each key, until the
/// increments have outgrown the snapshot. Returns the text and the next time.
fn type_until_compaction_is_due(
    doc: &mut PlanDoc,
    log: &mut ChunkLog,
    store: &mut Store,
) -> (String, i64) {
    let mut text = String::new();
    let mut n = 2;
    while !log.should_compact() {
        text.push_str("Some words about my health. ");
        doc.set_field(&name(CarerField::Health), &text, T0 + n)
            .unwrap();
        store.save(doc, log, T0 + n, n as u32);
        n += 1;
        assert!(n < 10_000, "increments never outgrew the snapshot");
    }
    (text, n)
}

fn change_hashes(doc: &PlanDoc) -> Vec<automerge::ChangeHash> {
    let mut h: Vec<_> = doc.changes().into_iter().map(|m| m.hash).collect();
    h.sort();
    h
}

#[test]
fn incremental_saves_then_compaction_keep_content_and_history_identical() {
    let a = actor();
    let mut doc = new_plan(&a);
    let mut log = ChunkLog::empty();
    let mut store = Store::default();
    store.save(&doc, &mut log, T0, 1);
    assert_eq!(store.0.len(), 1);
    assert_eq!(store.keys()[0].kind(), ChunkKind::Snapshot);

    let (_, n) = type_until_compaction_is_due(&mut doc, &mut log, &mut store);
    assert!(store.0.len() > 2);
    assert!(log.is_saved(&doc));

    let (before, _) = ChunkLog::load(store.chunks(), &a).unwrap();
    store.compact(&doc, &mut log, T0 + n, 0);
    assert_eq!(store.0.len(), 1, "one snapshot after compaction");
    let (after, after_log) = ChunkLog::load(store.chunks(), &a).unwrap();
    assert_eq!(after.plan().unwrap(), before.plan().unwrap());
    assert_eq!(change_hashes(&after), change_hashes(&before));
    assert_eq!(history(&after), history(&before));
    assert!(after_log.is_saved(&after));
    assert!(!after_log.should_compact());
}

/// The engine stored a change and stopped before it answered; asked again,
/// a new engine's chunk follows that change, which the page never read: it
/// is not taken in as if it were all (the page reads storage instead).
#[test]
fn a_chunk_made_after_changes_the_copy_lacks_is_not_taken_in() {
    let a = actor();
    let mut page = new_plan(&a);
    let mut log = ChunkLog::empty();
    let mut engine = page.fork(&a.new_session().unwrap());
    let since = engine.heads();
    engine
        .set_field(&name(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    let first = engine.save_after(&since);
    let after_first = engine.heads();
    engine
        .set_field(&name(CarerField::Name), "Ann Smith", T0 + 2)
        .unwrap();
    let second = engine.save_after(&after_first);
    let plan_id = page.plan_id().clone();
    let key = |n: u32| {
        ChunkKey::new(&plan_id, ChunkKind::Increment, T0 + 3, n)
            .as_str()
            .to_owned()
    };
    assert!(!log.take_in_one(&mut page, &key(2), second.clone()));
    assert!(page.is_waiting());
    // Storage read: both, in any order, and the copy is the engine's.
    assert!(log.take_in_one(&mut page, &key(1), first));
    assert!(log.take_in_one(&mut page, &key(2), second));
    assert!(!page.is_waiting());
    assert_eq!(page.heads(), engine.heads());
    assert_eq!(page.field_value(&name(CarerField::Name)), "Ann Smith");
}

/// Another tab's chunks read in an order where a later one comes first
/// (stored in the same millisecond, its key sorting before the one it
/// follows): taken in place, the later waits for the earlier and both end
/// up in the copy, which is then the other tab's exactly.
#[test]
fn chunks_taken_in_out_of_order_are_all_kept() {
    let a = actor();
    let mut tab = new_plan(&a);
    let mut tab_log = ChunkLog::empty();
    let mut store = Store::default();
    store.save(&tab, &mut tab_log, T0, 5);
    let mut other = ChunkLog::load(store.chunks(), &a.new_session().unwrap())
        .unwrap()
        .0;
    let mut other_log = ChunkLog::load(store.chunks(), &a).unwrap().1;
    tab.set_field(&name(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    store.save(&tab, &mut tab_log, T0 + 1, 9);
    tab.set_field(&name(CarerField::Name), "Ann Smith", T0 + 1)
        .unwrap();
    store.save(&tab, &mut tab_log, T0 + 1, 1);
    let unseen = other_log.unseen(&store.keys());
    assert_eq!(unseen.len(), 2);
    let chunks: Chunks = unseen
        .iter()
        .map(|k| (k.clone(), store.0[k].clone()))
        .collect();
    assert!(other_log.take_in(&mut other, chunks, &store.keys()));
    assert_eq!(other.heads(), tab.heads());
    assert_eq!(other.field_value(&name(CarerField::Name)), "Ann Smith");
}

/// The engine worker's compaction: a snapshot made from the stored chunks
/// the page named (not from the page's document), while the page typed on.
#[test]
fn chunks_replaced_from_storage_while_typing_on_lose_nothing() {
    let a = actor();
    let mut doc = new_plan(&a);
    let mut log = ChunkLog::empty();
    let mut store = Store::default();
    store.save(&doc, &mut log, T0, 1);
    let (mut text, n) = type_until_compaction_is_due(&mut doc, &mut log, &mut store);
    // The page names its chunks; the engine loads them from storage alone.
    let named = log.compactable();
    let chunks: Chunks = named
        .iter()
        .map(|k| (k.clone(), store.0[k].clone()))
        .collect();
    let (engines, _) = ChunkLog::load(chunks, &a.new_session().unwrap()).unwrap();
    // Meanwhile she types on, and that key is saved.
    text.push_str("More. ");
    doc.set_field(&name(CarerField::Health), &text, T0 + n)
        .unwrap();
    store.save(&doc, &mut log, T0 + n, n as u32);
    // The engine's snapshot replaces exactly the named chunks.
    let snapshot = engines.save();
    let key = ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, T0 + n + 1, 0);
    for k in &named {
        store.0.remove(k);
    }
    store.0.insert(key.clone(), snapshot.clone());
    log.replaced(key, snapshot.len(), &named);
    assert_eq!(store.0.len(), 2, "the snapshot and the key typed meanwhile");
    assert!(
        log.is_saved(&doc),
        "nothing is pending after the replacement"
    );
    assert!(!log.should_compact());
    let (kept, kept_log) = ChunkLog::load(store.chunks(), &a).unwrap();
    assert_eq!(kept.plan().unwrap(), doc.plan().unwrap());
    assert_eq!(change_hashes(&kept), change_hashes(&doc));
    assert!(kept_log.is_saved(&kept));
}

#[test]
fn two_tabs_saving_the_same_plan_lose_nothing() {
    let a = actor();
    let mut store = Store::default();
    let created = new_plan(&a);
    let mut log0 = ChunkLog::empty();
    store.save(&created, &mut log0, T0, 0);

    // Two tabs of one device: one device id, two sessions.
    let (mut tab1, mut log1) = ChunkLog::load(store.chunks(), &a.new_session().unwrap()).unwrap();
    let (mut tab2, mut log2) = ChunkLog::load(store.chunks(), &a.new_session().unwrap()).unwrap();
    tab1.set_field(&name(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    store.save(&tab1, &mut log1, T0 + 1, 1);
    tab2.set_field(&name(CarerField::Phone), "0141 000", T0 + 1)
        .unwrap();
    store.save(&tab2, &mut log2, T0 + 1, 2);

    // Each tab hears of the other's save and merges the chunks it has not seen.
    for (tab, log) in [(&mut tab1, &mut log1), (&mut tab2, &mut log2)] {
        let keys = store.keys();
        let unseen: Chunks = log
            .unseen(&keys)
            .into_iter()
            .map(|k| (k.clone(), store.0[&k].clone()))
            .collect();
        // A chunk that cannot be read is left unread, to be read again.
        let mut damaged = unseen.clone();
        damaged[0].1.truncate(3);
        let (mut other, mut other_log) = (tab.fork(&actor()), log.clone());
        assert!(!other_log.take_in(&mut other, damaged, &keys));
        assert!(other_log.unseen(&keys).contains(&unseen[0].0));
        assert!(log.take_in(tab, unseen, &keys));
        assert!(log.unseen(&keys).is_empty());
        let p = tab.plan().unwrap();
        assert_eq!(
            (p.carer.name.as_str(), p.carer.phone.as_str()),
            ("Ann", "0141 000")
        );
        assert!(log.is_saved(tab), "nothing left to write after merging");
    }

    // Tab 1 compacts while tab 2 has written a chunk tab 1 has not seen yet.
    tab2.set_field(&name(CarerField::Email), "ann@example.org", T0 + 2)
        .unwrap();
    store.save(&tab2, &mut log2, T0 + 2, 3);
    store.compact(&tab1, &mut log1, T0 + 3, 4);
    let (reloaded, _) = ChunkLog::load(store.chunks(), &a).unwrap();
    let p = reloaded.plan().unwrap();
    assert_eq!(
        p.carer.email, "ann@example.org",
        "the unseen chunk survived compaction"
    );
    assert_eq!(p.carer.name, "Ann");
}

#[test]
fn a_damaged_chunk_fails_the_load_and_is_not_applied() {
    let a = actor();
    let mut doc = new_plan(&a);
    let mut log = ChunkLog::empty();
    let mut store = Store::default();
    store.save(&doc, &mut log, T0, 0);
    doc.set_field(&name(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    store.save(&doc, &mut log, T0 + 1, 1);
    let inc = store
        .keys()
        .into_iter()
        .find(|k| k.kind() == ChunkKind::Increment)
        .unwrap();
    let good = store.0[&inc].clone();
    store.0.insert(inc.clone(), good[..good.len() - 3].to_vec());
    assert!(matches!(
        ChunkLog::load(store.chunks(), &a),
        Err(DocError::Unreadable(_))
    ));

    let mut other = new_plan(&a);
    let before = other.save();
    assert!(other.apply_saved(&good[..good.len() - 3]).is_err());
    assert_eq!(other.save(), before);
    // The engine's own chunks, applied in place, are checked the same way.
    assert!(other.apply_stored(&good[..good.len() - 3]).is_err());
    assert_eq!(other.save(), before);
}

/// A change the engine made and stored, taken into the page's copy in
/// place (`apply_stored`), leaves the same plan as staging it does,
/// new parts (another framework's areas) included.
#[test]
fn a_chunk_applied_in_place_is_the_same_as_one_staged() {
    let a = actor();
    let mut page = new_plan(&a);
    // The engine worker: the same device, another session.
    let mut engine = page.fork(&a.new_session().unwrap());
    let since = engine.heads();
    engine
        .set_field(&name(CarerField::Name), "Ann", T0 + 1)
        .unwrap();
    let fw = carer_plan::plan::Framework::by_id("england-care-act").unwrap();
    engine.use_framework(fw, T0 + 2).unwrap();
    let chunk = engine.save_after(&since);
    let mut staged = page.fork(&a);
    staged.apply_saved(&chunk).unwrap();
    page.apply_stored(&chunk).unwrap();
    assert_eq!(page.heads(), staged.heads());
    assert_eq!(page.heads(), engine.heads());
    assert_eq!(page.plan().unwrap(), staged.plan().unwrap());
    let parts = |d: &PlanDoc| d.parts().cloned().collect::<Vec<_>>();
    assert_eq!(parts(&page), parts(&engine));
}

#[test]
fn chunk_keys_parse_and_range_only_their_plan() {
    let id = PlanId::random().unwrap();
    let k = ChunkKey::new(&id, ChunkKind::Increment, T0, 7);
    assert_eq!(ChunkKey::parse(k.as_str()), Some(k.clone()));
    assert_eq!(ChunkKey::parse("nonsense"), None);
    let (lo, hi) = ChunkKey::range_for(&id);
    assert!(k.as_str() >= lo.as_str() && k.as_str() < hi.as_str());
    let other = ChunkKey::new(&PlanId::random().unwrap(), ChunkKind::Snapshot, T0, 7);
    assert!(!(other.as_str() >= lo.as_str() && other.as_str() < hi.as_str()));
}

#[test]
fn a_carer_can_keep_editing_after_merging_the_workers_later_changes() {
    let a = actor();
    let w = actor();
    let mut carer_copy = new_plan(&a);
    let mut worker_copy = carer_copy.fork(&w);
    worker_copy
        .ensure_participant(&w, worker("Sam"), T0 + 1)
        .unwrap();
    carer_copy.merge(&mut worker_copy).unwrap();
    // The carer's own last change is no longer a head: structural and typed
    // edits must both still work.
    carer_copy
        .change("Added a person you care for", T0 + 2, |p| {
            p.cared_for.push(CaredFor {
                id: "dad".into(),
                name: "Dad".into(),
                ..Default::default()
            })
        })
        .unwrap();
    carer_copy
        .set_field(&name(CarerField::Address), "2 Low Road", T0 + 3)
        .unwrap();
    let p = carer_copy.plan().unwrap();
    assert_eq!(p.cared_for.len(), 1);
    assert_eq!(p.participants.len(), 2);
}

#[test]
fn typing_anywhere_in_long_text_keeps_it_exact_including_emoji_and_accents() {
    let a = actor();
    let mut doc = new_plan(&a);
    let f = name(CarerField::SafeContact);
    let steps = [
        "Mornings",
        "Mornings 😀 are best",
        "Mornings 😀😀 are best",
        "Mornings 👩‍👩‍👧 are best, café",
        "Evenings 👩‍👩‍👧 are best, café",
        "Evenings are best, cafe\u{301}",
        "",
        "aaaa",
        "aaa",
        "abaa",
    ];
    for (i, text) in steps.iter().enumerate() {
        doc.set_field(&f, text, T0 + i as i64).unwrap();
        assert_eq!(doc.field_value(&f), *text);
        let again = PlanDoc::load(&doc.save(), &a).unwrap();
        assert_eq!(again.field_value(&f), *text);
    }
}

/// A keystroke names the one part it changed, and reading only
/// that part into the plan already on screen gives exactly the plan read
/// from every part (including an action owned by an area's part, and the
/// private part made on first use).
#[test]
fn a_keystroke_names_its_part_and_reading_only_it_gives_the_whole_plan() {
    use carer_plan::plan::field::ActionField;
    let a = actor();
    let mut doc = full_plan(&a);
    let mut shown = doc.plan().unwrap();
    let typed = [
        (
            Field::Area("health-wellbeing".into(), AreaField::OwnWords),
            "Tired most days, and the nights are worse.",
            Section::Area("health-wellbeing".into()),
        ),
        (
            Field::Carer(CarerField::Name),
            "Margaret Ann Brown",
            Section::AboutYou,
        ),
        (
            Field::Action("a-respite".into(), ActionField::What),
            "Ask about a short break in May",
            Section::Area("life-balance".into()),
        ),
        (
            Field::Action("a-benefits".into(), ActionField::Who),
            "Citizens Advice",
            Section::Actions,
        ),
        (Field::PrivateNotes, "Only for me.", Section::Private),
    ];
    for (i, (field, value, part)) in typed.iter().enumerate() {
        let changed = doc.type_answer(field, value, T0 + 500 + i as i64).unwrap();
        assert_eq!(changed.as_ref(), Some(part), "{field:?}");
        doc.read_part(part, &mut shown).unwrap();
        assert_eq!(shown, doc.plan().unwrap(), "{field:?}");
        // The same value again changes nothing and names no part.
        assert_eq!(doc.type_answer(field, value, T0 + 600).unwrap(), None);
    }
}

/// The plan's values as the engine worker sends them to the page (postcard,
/// `plan::wire`): every answer, list and date of a full plan, and a plan
/// of the first release (its one-line answers plain strings), read back as
/// they were.
#[test]
fn a_plans_values_survive_the_engines_message() {
    for doc in [full_plan(&actor()), release_1_plan()] {
        let plan = doc.plan().unwrap();
        let bytes = postcard::to_allocvec(&plan).unwrap();
        let back: carer_plan::plan::Plan = postcard::from_bytes(&bytes).unwrap();
        assert_eq!(back, plan);
        assert_eq!(
            back.carer.health.as_str(),
            plan.carer.health.as_str(),
            "the text's own string, not only equal"
        );
    }
}

/// Opening a plan asks who this device is from the plan's own part, not
/// from the whole plan: the same answer.
#[test]
fn who_a_device_is_is_read_from_the_plans_own_part() {
    let a = actor();
    let doc = full_plan(&a);
    assert_eq!(
        doc.participant(&a),
        doc.plan().unwrap().participants.get(a.as_str()).cloned()
    );
    assert!(doc.participant(&a).is_some());
    assert_eq!(doc.participant(&actor()), None);
}

/// Many chunks another tab (or the engine) stored, taken in together: one
/// load a part, and the copy is then the other's exactly (a page taking in
/// fifty keys typed through the engine pays for one load, not fifty).
#[test]
fn many_chunks_taken_in_at_once_are_loaded_together() {
    let a = actor();
    let mut tab = new_plan(&a);
    let mut tab_log = ChunkLog::empty();
    let mut store = Store::default();
    store.save(&tab, &mut tab_log, T0, 5);
    let mut other = ChunkLog::load(store.chunks(), &a.new_session().unwrap())
        .unwrap()
        .0;
    let mut other_log = ChunkLog::load(store.chunks(), &a).unwrap().1;
    let mut typed = String::new();
    for (n, c) in "Ann Smith".chars().enumerate() {
        typed.push(c);
        tab.set_field(&name(CarerField::Name), &typed, T0 + 2 + n as i64)
            .unwrap();
        store.save(&tab, &mut tab_log, T0 + 2 + n as i64, 7);
    }
    let unseen = other_log.unseen(&store.keys());
    assert_eq!(unseen.len(), 9);
    let chunks: Chunks = unseen
        .iter()
        .map(|k| (k.clone(), store.0[k].clone()))
        .collect();
    let all: Vec<&[u8]> = chunks.iter().map(|(_, b)| b.as_slice()).collect();
    let mut together = other.fork(&a.new_session().unwrap());
    together.apply_stored_all(&all).unwrap();
    assert!(!together.is_waiting());
    assert_eq!(together.heads(), tab.heads());
    assert!(other_log.take_in(&mut other, chunks, &store.keys()));
    assert_eq!(other.heads(), tab.heads());
    assert_eq!(other.field_value(&name(CarerField::Name)), "Ann Smith");
    assert!(other_log.is_saved(&other));
}
