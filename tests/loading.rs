//! Loading a stored plan one part at a time (`ChunkLog::start_load`, which
//! the page runs with a turn for the browser between parts): the same plan,
//! heads and storage record as loading it at once, and the same refusals.

mod common;

use carer_plan::doc::bundle;
use carer_plan::plan::field::EmergencyField;
use carer_plan::plan::Section;
use common::*;

/// A plan whose history is spread over its sections, stored as a snapshot
/// and two increments.
fn stored(a: &DeviceActor) -> (PlanDoc, Chunks) {
    let mut doc = full_plan(a);
    let plan = doc.plan_id().clone();
    let mut chunks = vec![(ChunkKey::new(&plan, ChunkKind::Snapshot, T0, 1), doc.save())];
    for (n, (field, words)) in [
        (Field::Carer(CarerField::PreferredName), "Peg"),
        (
            Field::Emergency(EmergencyField::WhoStepsIn),
            "Call my sister Jean first.",
        ),
    ]
    .into_iter()
    .enumerate()
    {
        let heads = doc.heads();
        doc.set_field(&field, words, T0 + 100 + n as i64).unwrap();
        chunks.push((
            ChunkKey::new(&plan, ChunkKind::Increment, T0 + 100 + n as i64, 2),
            doc.save_after(&heads),
        ));
    }
    (doc, chunks)
}

#[test]
fn a_plan_loaded_part_by_part_is_the_plan_loaded_at_once() {
    let a = actor();
    let (doc, chunks) = stored(&a);
    let parts = doc.parts().count();
    assert!(parts > 5, "the plan has many parts: {parts}");

    let (at_once, at_once_log) = ChunkLog::load(chunks.clone(), &a).unwrap();
    let mut loading = ChunkLog::start_load(chunks, &a).unwrap();
    let mut steps = 1;
    while loading.step().unwrap() {
        steps += 1;
    }
    assert_eq!(steps, parts, "one step a part");
    assert!(!loading.step().unwrap(), "nothing is left to load");
    let (stepwise, stepwise_log) = loading.finish().unwrap();

    assert_eq!(stepwise.plan().unwrap(), doc.plan().unwrap());
    assert_eq!(stepwise.plan().unwrap(), at_once.plan().unwrap());
    assert_eq!(stepwise.heads(), doc.heads());
    assert!(
        stepwise_log.is_saved(&stepwise),
        "everything loaded is stored"
    );
    assert_eq!(stepwise_log.sizes(), at_once_log.sizes());
    assert_eq!(stepwise_log.compactable(), at_once_log.compactable());
}

#[test]
fn a_damaged_part_is_refused_when_it_is_reached_and_so_is_the_plan() {
    let a = actor();
    let (doc, _) = stored(&a);
    let plan = doc.plan_id().clone();
    // Every part as saved, the Emergency part's bytes cut short.
    let saved = bundle::split(&doc.save()).unwrap();
    let mut damaged = Vec::new();
    for (part, bytes) in &saved {
        let bytes = if *part == Section::Emergency {
            &bytes[..bytes.len() / 2]
        } else {
            &bytes[..]
        };
        bundle::push(&mut damaged, part, bytes);
    }
    let chunks = vec![(ChunkKey::new(&plan, ChunkKind::Snapshot, T0, 1), damaged)];
    let at_once = ChunkLog::load(chunks.clone(), &a).unwrap_err();

    let mut loading = ChunkLog::start_load(chunks, &a).unwrap();
    let error = loop {
        match loading.step() {
            Ok(true) => {}
            Ok(false) => panic!("the damaged part was loaded"),
            Err(e) => break e,
        }
    };
    assert_eq!(error.to_string(), at_once.to_string());
}

#[test]
fn a_part_of_another_plan_is_refused_part_by_part_as_at_once() {
    let a = actor();
    let (doc, _) = stored(&a);
    let other = full_plan(&a);
    let mut mixed = Vec::new();
    for (part, bytes) in bundle::split(&doc.save()).unwrap() {
        let bytes = if part == Section::Emergency {
            bundle::split(&other.save()).unwrap().remove(&part).unwrap()
        } else {
            bytes
        };
        bundle::push(&mut mixed, &part, &bytes);
    }
    let chunks = vec![(
        ChunkKey::new(doc.plan_id(), ChunkKind::Snapshot, T0, 1),
        mixed,
    )];
    let at_once = ChunkLog::load(chunks.clone(), &a).unwrap_err();
    let mut loading = ChunkLog::start_load(chunks, &a).unwrap();
    let stepwise = loop {
        match loading.step() {
            Ok(true) => {}
            Ok(false) => break loading.finish().unwrap_err(),
            Err(e) => break e,
        }
    };
    assert_eq!(stepwise.to_string(), at_once.to_string());
}

#[test]
fn bytes_that_are_not_a_plan_are_refused_before_any_part_is_loaded() {
    let a = actor();
    let plan = full_plan(&a).plan_id().clone();
    let chunks = vec![(
        ChunkKey::new(&plan, ChunkKind::Snapshot, T0, 1),
        b"not a plan at all".to_vec(),
    )];
    assert!(ChunkLog::start_load(chunks, &a).is_err());
}
