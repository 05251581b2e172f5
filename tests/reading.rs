//! What the screens read beside the page, in one go (`doc::history::unseen`,
//! asked of the engine worker as `Reading::Unseen`): the same sections,
//! people and answers as reading each piece on its own.

mod common;

use carer_plan::doc::history::{changed_since, is_first_copy, known_to_me, unseen, Unseen};
use carer_plan::plan::compare::differences;
use carer_plan::plan::{CarerField, Field, Framework};
use common::*;

#[test]
fn what_others_changed_comes_with_each_answer_before_and_after() {
    let carer = actor();
    let mut hers = full_plan(&carer);
    // She looked at the plan as it is now; she wrote all of it herself.
    let seen = hers.heads();
    let worker = actor();
    let mut his = hers.fork(&worker);
    his.set_field(&Field::Carer(CarerField::PreferredName), "Peg", T0 + 60_000)
        .unwrap();
    // Meanwhile she changed her own name: not "changed by others".
    hers.set_field(
        &Field::Carer(CarerField::Name),
        "Margaret Bell",
        T0 + 90_000,
    )
    .unwrap();
    hers.merge(&mut his).unwrap();

    let read = unseen(&hers, &seen, carer.as_str());
    let alone = changed_since(&hers, &seen, carer.as_str());
    assert!(!read.first_copy);
    assert_eq!(read.sections.len(), alone.len());
    assert_eq!(read.sections.len(), 1, "{:?}", read.sections);
    let (change, diffs) = &read.sections[0];
    assert_eq!(change, &alone[0]);
    let before = hers
        .at(&known_to_me(&hers, &seen, carer.as_str()))
        .and_then(|d| d.plan())
        .unwrap();
    let now = hers.plan().unwrap();
    let fw = Framework::for_plan(&now.framework);
    assert_eq!(diffs, &differences(&before, &now, &change.part, fw));
    let peg: Vec<_> = diffs
        .iter()
        .filter(|d| d.after.as_deref() == Some("Peg"))
        .collect();
    assert_eq!(peg.len(), 1, "{diffs:?}");
    assert_eq!(peg[0].before.as_deref(), Some("Peggy"));
    // Her own change is in the plan as it is, not shown as his.
    assert!(diffs
        .iter()
        .all(|d| d.after.as_deref() != Some("Margaret Bell")));
}

#[test]
fn a_first_copy_is_all_new_and_nothing_changed_is_empty() {
    let carer = actor();
    let hers = full_plan(&carer);
    let worker = actor();
    // His laptop has only her copy: nothing of his in it.
    let his = hers.fork(&worker);
    let read = unseen(&his, &[], worker.as_str());
    assert!(read.first_copy);
    assert!(is_first_copy(&his, &[], worker.as_str()));
    assert_eq!(
        read.sections
            .iter()
            .map(|(c, _)| c.clone())
            .collect::<Vec<_>>(),
        changed_since(&his, &[], worker.as_str())
    );
    assert!(read.sections.iter().all(|(_, d)| d.is_empty()));

    // She has seen everything there is: nothing to show.
    assert_eq!(
        unseen(&hers, &hers.heads(), carer.as_str()),
        Unseen::default()
    );
}
