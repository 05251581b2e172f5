//! Native tests of a whole device's backup: the round trip of many plans
//! with private notes, restoring into plans that changed meanwhile, every
//! bad backup refused with storage unchanged byte for byte, and a restore
//! cut off half-way.
//!
//! `Device` is storage as the browser keeps it (`web/platform/plan_store.rs`):
//! chunks under their keys, a list entry per plan, and one write per plan
//! that lands whole or not at all (an IndexedDB transaction).

mod common;

use std::collections::BTreeMap;

use carer_plan::plan::summary::PlanSummary;
use carer_plan::share::backup::{self, Backup, BackupError, DeviceSettings};
use carer_plan::web::words::Words;
use common::*;

const NOTE: &str = "Private: carer mentioned money worries, follow up quietly.";

#[derive(Clone, PartialEq, Debug, Default)]
struct Storage {
    chunks: BTreeMap<String, Vec<u8>>,
    plans: BTreeMap<String, String>,
}

struct Device {
    actor: DeviceActor,
    stored: Storage,
    nonce: u32,
}

impl Device {
    fn new() -> Self {
        Device {
            actor: actor(),
            stored: Storage::default(),
            nonce: 0,
        }
    }

    fn chunks_of(&self, id: &PlanId) -> Chunks {
        let (lo, hi) = ChunkKey::range_for(id);
        self.stored
            .chunks
            .range(lo..hi)
            .filter_map(|(k, v)| ChunkKey::parse(k).map(|k| (k, v.clone())))
            .collect()
    }

    fn load(&self, id: &PlanId) -> Option<(PlanDoc, ChunkLog)> {
        let chunks = self.chunks_of(id);
        (!chunks.is_empty()).then(|| ChunkLog::load(chunks, &self.actor).unwrap())
    }

    /// One transaction: what is not yet stored, and the list entry.
    /// Returns whether anything was written.
    fn save(&mut self, doc: &PlanDoc, log: &mut ChunkLog) -> bool {
        let Some(pending) = log.pending(doc) else {
            return false;
        };
        self.nonce += 1;
        let key = ChunkKey::new(doc.plan_id(), log.next_kind(), T0 + 1000, self.nonce);
        self.stored
            .chunks
            .insert(key.as_str().to_owned(), pending.bytes.clone());
        let summary = PlanSummary::of(&doc.plan().unwrap(), T0 + 1000);
        self.stored.plans.insert(
            doc.plan_id().to_string(),
            serde_json::to_string(&summary).unwrap(),
        );
        log.written(key, &pending);
        true
    }

    fn add(&mut self, doc: &PlanDoc) {
        self.save(doc, &mut ChunkLog::empty());
    }

    fn back_up(&self, pass: &str) -> String {
        let plans = self
            .stored
            .plans
            .keys()
            .map(|id| {
                let id = PlanId::parse(id).unwrap();
                let (doc, _) = self.load(&id).unwrap();
                (id, doc.save())
            })
            .collect();
        let settings = DeviceSettings {
            role: Some("key-worker".into()),
            name: "Sam Patel".into(),
            ..DeviceSettings::default()
        };
        backup::write(
            &Backup {
                made_ms: T0,
                settings,
                plans,
            },
            pass,
        )
        .unwrap()
    }

    /// Restore as the app does: open and check everything first, then one
    /// write per plan. `stop_after`: the tab is closed after that many writes.
    fn restore(
        &mut self,
        text: &str,
        pass: &str,
        stop_after: Option<usize>,
    ) -> Result<usize, BackupError> {
        let opened = backup::open(text, pass)?;
        let docs = backup::check(&opened, &self.actor)?;
        let mut writes = 0;
        for theirs in docs {
            if stop_after == Some(writes) {
                break;
            }
            let stored = self.load(theirs.plan_id());
            let (mine, mut log) = match stored {
                Some((d, l)) => (Some(d), l),
                None => (None, ChunkLog::empty()),
            };
            let kept = backup::merge_into(mine, theirs)?;
            if self.save(&kept, &mut log) {
                writes += 1;
            }
        }
        Ok(writes)
    }
}

fn plan_with_note(a: &DeviceActor, i: usize) -> PlanDoc {
    let mut doc = if i.is_multiple_of(20) {
        full_plan(a)
    } else {
        PlanDoc::create(a, worker("Sam Patel"), "scotland-national", &AREAS, T0).unwrap()
    };
    doc.set_field(
        &Field::Carer(CarerField::Name),
        &format!("Carer number {i}"),
        T0 + 50,
    )
    .unwrap();
    doc.set_field(&Field::PrivateNotes, &format!("{NOTE} ({i})"), T0 + 51)
        .unwrap();
    doc
}

#[test]
fn two_hundred_plans_with_private_notes_round_trip() {
    let mut laptop = Device::new();
    for i in 0..200 {
        laptop.add(&plan_with_note(&laptop.actor.clone(), i));
    }
    let text = laptop.back_up(PASS);
    assert!(!text.contains("Carer number"), "the backup is locked");
    let header = backup::peek(&text).unwrap();
    assert_eq!(header.plans, 200);

    let mut fresh = Device::new();
    assert_eq!(fresh.restore(&text, PASS, None).unwrap(), 200);
    assert_eq!(fresh.stored.plans.len(), 200);
    for id in laptop.stored.plans.keys() {
        let id = PlanId::parse(id).unwrap();
        let (before, _) = laptop.load(&id).unwrap();
        let (after, _) = fresh.load(&id).unwrap();
        assert_eq!(after.plan().unwrap(), before.plan().unwrap());
        assert!(after
            .plan()
            .unwrap()
            .private_notes
            .as_str()
            .starts_with(NOTE));
        assert_eq!(after.heads().len(), before.heads().len());
        assert!(before.heads().iter().all(|h| after.heads().contains(h)));
    }
    // The settings that matter came along.
    let opened = backup::open(&text, PASS).unwrap();
    assert_eq!(opened.settings.role.as_deref(), Some("key-worker"));
    assert_eq!(opened.settings.name, "Sam Patel");
    // Restoring again changes nothing: every plan already has everything.
    let before = fresh.stored.clone();
    assert_eq!(fresh.restore(&text, PASS, None).unwrap(), 0);
    assert_eq!(fresh.stored, before);
}

#[test]
fn restoring_merges_into_plans_that_changed_meanwhile() {
    let mut laptop = Device::new();
    let a = laptop.actor.clone();
    let ids: Vec<PlanId> = (0..5)
        .map(|i| {
            let d = plan_with_note(&a, i);
            laptop.add(&d);
            d.plan_id().clone()
        })
        .collect();
    let text_before = laptop.back_up(PASS);

    // After the backup, the laptop keeps working on plan 0...
    let (mut doc, mut log) = laptop.load(&ids[0]).unwrap();
    doc.set_field(&Field::Carer(CarerField::Phone), "01234 567890", T0 + 90)
        .unwrap();
    laptop.save(&doc, &mut log);

    // ...and a copy restored elsewhere has its own edits to the same plan.
    let mut other = Device::new();
    other.restore(&text_before, PASS, None).unwrap();
    let (mut theirs, mut their_log) = other.load(&ids[0]).unwrap();
    theirs
        .set_field(&Field::PrivateNotes, "Edited on the new laptop.", T0 + 95)
        .unwrap();
    other.save(&theirs, &mut their_log);
    let text_other = other.back_up(PASS);

    // Restoring the other laptop's backup keeps both sides' edits.
    assert_eq!(laptop.restore(&text_other, PASS, None).unwrap(), 1);
    let merged = laptop.load(&ids[0]).unwrap().0.plan().unwrap();
    assert_eq!(merged.carer.phone, "01234 567890");
    assert_eq!(merged.private_notes.as_str(), "Edited on the new laptop.");
    // Restoring the older backup never takes the new edits away.
    assert_eq!(laptop.restore(&text_before, PASS, None).unwrap(), 0);
    let kept = laptop.load(&ids[0]).unwrap().0.plan().unwrap();
    assert_eq!(kept.carer.phone, "01234 567890");
    assert_eq!(kept.private_notes.as_str(), "Edited on the new laptop.");
}

/// A device with some plans, and a backup of another device's plans (one
/// of them also on this device).
fn device_and_backup() -> (Device, String) {
    let mut source = Device::new();
    let a = source.actor.clone();
    let shared = plan_with_note(&a, 0);
    for i in 1..4 {
        source.add(&plan_with_note(&a, i));
    }
    source.add(&shared);
    let text = source.back_up(PASS);
    let mut target = Device::new();
    target.add(&plan_with_note(&target.actor.clone(), 7));
    let mut mine = shared.fork(&target.actor);
    mine.set_field(&Field::Carer(CarerField::Phone), "07700 900123", T0 + 99)
        .unwrap();
    target.add(&mine);
    (target, text)
}

fn refused(text: &str, pass: &str, expected: BackupError) {
    let (mut target, _) = device_and_backup();
    let before = target.stored.clone();
    let result = target.restore(text, pass, None);
    assert_eq!(result, Err(expected.clone()), "{text:.300}");
    assert_eq!(target.stored, before, "storage changed for {expected:?}");
}

#[test]
fn every_bad_backup_is_refused_with_its_own_message_and_storage_unchanged() {
    let (_, text) = device_and_backup();
    let end = text.find("-----END").unwrap();
    // Cut off before its end, anywhere in the body.
    for cut in [end - 1, end - 70, text.len() / 2, 400] {
        refused(&text[..cut], PASS, BackupError::Truncated);
    }
    // Cut off at a line of the body, with its end line kept.
    let lines: Vec<&str> = text.lines().collect();
    let short: Vec<&str> = lines[..lines.len() - 4]
        .iter()
        .chain(lines[lines.len() - 1..].iter())
        .copied()
        .collect();
    refused(&short.join("\n"), PASS, BackupError::Tampered);
    // A character of the body changed.
    let body_at = text.find("\n\n").unwrap();
    let body_at = text[body_at + 2..].find("\n\n").unwrap() + body_at + 4 + 10;
    let mut bytes = text.clone().into_bytes();
    bytes[body_at] = if bytes[body_at] == b'A' { b'B' } else { b'A' };
    refused(
        &String::from_utf8(bytes).unwrap(),
        PASS,
        BackupError::Tampered,
    );
    // The header changed: how many plans, when it was made.
    refused(
        &replace_line(&text, "Plans:", "Plans: 3"),
        PASS,
        BackupError::Tampered,
    );
    refused(
        &replace_line(&text, "Made:", "Made: 2020-01-01T00:00:00Z"),
        PASS,
        BackupError::Tampered,
    );
    // The lock's own lines damaged: "changed or damaged", never a wrong
    // passphrase, with the right passphrase or any other.
    for with in [
        "Salt: AAAAAAAAAAAAAAAAAAAAAA==",
        "Check: AAAAAAAAAAAAAAAAAAAAAA==",
        "KDF: m=19456,t=3,p=1",
    ] {
        let key = &with[..with.find(' ').unwrap()];
        let damaged = replace_line(&text, key, with);
        refused(&damaged, PASS, BackupError::Tampered);
        refused(&damaged, "kettle garden Wednesday", BackupError::Tampered);
    }
    // Another format version: newer, or one this app never wrote.
    refused(
        &replace_line(&text, "Format:", "Format: 3"),
        PASS,
        BackupError::NewerFormat { found: 3 },
    );
    refused(
        &replace_line(&text, "Format:", "Format: 0"),
        PASS,
        BackupError::UnknownFormat,
    );
    // Another passphrase, or none.
    refused(
        &text,
        "kettle garden Wednesday",
        BackupError::WrongPassphrase,
    );
    refused(&text, "", BackupError::NeedsPassphrase);
    // Not a backup at all, or a share file.
    refused("Dear Sam, here is my plan.", PASS, BackupError::NotABackup);
    let share = carer_plan::share::file::write(
        &carer_share_header(&PlanId::random().unwrap(), "Ann", &["plan"]),
        b"CSPB",
        Lock::None,
    )
    .unwrap();
    refused(&share, PASS, BackupError::IsAShareFile);
    // Each refusal has a message of its own.
    let messages: Vec<String> = [
        BackupError::Truncated,
        BackupError::Tampered,
        BackupError::NewerFormat { found: 2 },
        BackupError::UnknownFormat,
        BackupError::WrongPassphrase,
        BackupError::NotABackup,
        BackupError::IsAShareFile,
    ]
    .iter()
    .map(|e| e.words())
    .collect();
    for (i, m) in messages.iter().enumerate() {
        assert!(m.contains("Nothing was changed"), "{m}");
        assert!(!messages[..i].contains(m), "{m}");
    }
}

#[test]
fn a_plan_damaged_inside_a_backup_refuses_the_whole_backup() {
    let a = actor();
    let good = plan_with_note(&a, 1);
    let mut bad = plan_with_note(&a, 2).save();
    let cut = bad.len() / 2;
    bad.truncate(cut);
    let text = backup::write(
        &Backup {
            made_ms: T0,
            settings: DeviceSettings::default(),
            plans: vec![
                (good.plan_id().clone(), good.save()),
                (PlanId::random().unwrap(), bad),
            ],
        },
        PASS,
    )
    .unwrap();
    let (mut target, _) = device_and_backup();
    let before = target.stored.clone();
    assert!(matches!(
        target.restore(&text, PASS, None),
        Err(BackupError::DamagedPlan(_))
    ));
    assert_eq!(target.stored, before);
}

/// Whether `doc` holds every change of the plan saved in `bytes`.
fn holds_all(doc: &PlanDoc, bytes: &[u8]) -> bool {
    let mut probe = doc.fork(&actor());
    let mut theirs = PlanDoc::load(bytes, &actor()).unwrap();
    probe.merge(&mut theirs).unwrap();
    let (mut a, mut b) = (probe.heads(), doc.heads());
    a.sort();
    b.sort();
    a == b
}

#[test]
fn a_restore_cut_off_half_way_leaves_each_plan_whole_and_finishes_when_run_again() {
    let (mut target, text) = device_and_backup();
    let opened = backup::open(&text, PASS).unwrap();
    let before = target.stored.clone();
    // The tab is closed after two of the four plans were written.
    assert_eq!(target.restore(&text, PASS, Some(2)).unwrap(), 2);
    let mut whole = 0;
    for (id, bytes) in &opened.plans {
        match target.load(id) {
            Some((doc, _)) if holds_all(&doc, bytes) => whole += 1,
            Some(_) => {
                // Not restored yet: exactly as it was before.
                let (lo, hi) = ChunkKey::range_for(id);
                let now: Vec<_> = target.stored.chunks.range(lo.clone()..hi.clone()).collect();
                let then: Vec<_> = before.chunks.range(lo..hi).collect();
                assert_eq!(now, then);
            }
            None => assert!(!before.plans.contains_key(id.as_str())),
        }
    }
    // Two written; the plan this device already had may hold it all already.
    assert!((2..4).contains(&whole), "{whole}");
    // Run again: the rest is restored (three plans were new here; the one
    // this device had already holds all of it), and nothing is redone.
    assert_eq!(target.restore(&text, PASS, None).unwrap(), 1);
    for (id, bytes) in &opened.plans {
        assert!(holds_all(&target.load(id).unwrap().0, bytes));
    }
    assert_eq!(target.stored.plans.len(), 5);
    assert_eq!(target.restore(&text, PASS, None).unwrap(), 0);
}

/// The browser derives the backup's key beside the page and hands it in:
/// the backup is the same as one locked with the passphrase.
#[test]
fn a_key_derived_elsewhere_locks_and_opens_a_backup() {
    use carer_plan::share::{derive, Kdf};
    let (_, text) = device_and_backup();
    let sealed = backup::peek(&text).unwrap();
    let key = derive(PASS, sealed.lock()).unwrap();
    let opened = sealed.open(&key).unwrap();
    assert_eq!(opened, backup::open(&text, PASS).unwrap());
    let wrong = derive("not the passphrase", backup::peek(&text).unwrap().lock()).unwrap();
    assert_eq!(
        backup::peek(&text).unwrap().open(&wrong).unwrap_err(),
        BackupError::WrongPassphrase
    );
    let kdf = Kdf::fresh().unwrap();
    let key = derive(PASS, &kdf).unwrap();
    let again = backup::write_locked(&opened, &kdf, &key).unwrap();
    assert_eq!(backup::open(&again, PASS).unwrap(), opened);
}
