//! What the screens read beside the page, in one go (`doc::history::unseen`,
//! asked of the engine worker as `Reading::Unseen`): the same sections,
//! people and answers as reading each piece on its own.

mod common;

use carer_plan::doc::actor::device_of;
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

/// A plan read at older heads from the documents as they are (`plan_at`,
/// what the sign-off screens and "What changed" read) is the plan the
/// document rebuilt at those heads gives (`at`, then `plan`): at every
/// version of a plan two people typed in, merged and went on
/// changing, with text typed, cleared and retyped and ratings changed.
#[test]
fn a_plan_read_at_older_heads_is_the_plan_rebuilt_there() {
    use carer_plan::plan::Edit;
    let carer = actor();
    let mut hers = full_plan(&carer);
    let worker = actor();
    let mut his = hers.fork(&worker);
    let mut versions = vec![hers.heads(), his.heads()];
    let notes = Field::Area("finances".into(), AreaField::OwnWords);
    for i in 0..30_i64 {
        type_at(&mut hers, &notes, 0, "ab", T0 + 1_000 + i);
        his.set_field(
            &Field::Carer(CarerField::PreferredName),
            &format!("Peg {i}"),
            T0 + 2_000 + i,
        )
        .unwrap();
        his.apply(
            &Edit::SetWorkerRating {
                area: "finances".into(),
                level: Some(["low", "moderate", "substantial"][i as usize % 3].into()),
            },
            T0 + 3_000 + i,
        )
        .unwrap();
        if i % 7 == 3 {
            hers.merge(&mut his).unwrap();
            his.merge(&mut hers).unwrap();
        }
        if i % 5 == 0 {
            hers.set_field(&notes, "", T0 + 4_000 + i).unwrap();
        }
        versions.push(hers.heads());
        versions.push(his.heads());
    }
    hers.merge(&mut his).unwrap();
    versions.push(hers.heads());
    // Heads of both sides at once (a signed version's), and of each side's
    // newest changes only.
    let both: Vec<_> = versions[versions.len() - 3..].concat();
    versions.push(both);
    for heads in &versions {
        let rebuilt = hers.at(heads).unwrap();
        let (plan, parts) = hers.plan_at(heads).unwrap();
        assert_eq!(plan, rebuilt.plan().unwrap());
        assert_eq!(parts, rebuilt.parts().cloned().collect::<Vec<_>>());
    }
    // Heads this copy has never seen read as nothing, as before.
    let (plan, parts) = hers.plan_at(&[]).unwrap();
    assert_eq!(plan, hers.at(&[]).unwrap().plan().unwrap());
    assert!(parts.is_empty());
}

/// The plan as a person knew it reads the same whether every one of her own
/// changes is named or only those since she last looked: her changes
/// before that are already in what she saw.
#[test]
fn the_plan_as_she_knew_it_needs_only_her_changes_since_she_looked() {
    let carer = actor();
    let mut hers = full_plan(&carer);
    let worker = actor();
    let mut his = hers.fork(&worker);
    let notes = Field::Area("finances".into(), AreaField::OwnWords);
    type_at(&mut hers, &notes, 0, "Before. ", T0 + 100);
    let seen = hers.heads();
    his.set_field(&Field::Carer(CarerField::PreferredName), "Peg", T0 + 200)
        .unwrap();
    type_at(&mut hers, &notes, 0, "After. ", T0 + 300);
    hers.merge(&mut his).unwrap();
    let every_one_of_hers: Vec<_> = seen
        .iter()
        .copied()
        .chain(
            hers.changes()
                .into_iter()
                .filter(|c| device_of(&c.actor).as_deref() == Some(carer.as_str()))
                .map(|c| c.hash),
        )
        .collect();
    let known = known_to_me(&hers, &seen, carer.as_str());
    assert!(known.len() < every_one_of_hers.len());
    let (then, _) = hers.plan_at(&known).unwrap();
    assert_eq!(then, hers.plan_at(&every_one_of_hers).unwrap().0);
    // Her words typed after she looked are in it; his name is not.
    assert!(then.wellbeing["finances"]
        .own_words
        .as_str()
        .starts_with("After. Before. "));
    assert_ne!(then.carer.preferred_name, "Peg");
}

#[test]
fn what_she_has_seen_is_kept_as_the_hex_automerge_writes_and_read_back_the_same() {
    // The page keeps the plan's version she last looked at as text
    // (`Version::to_hex`, with no Automerge on the page); earlier releases
    // kept each head as Automerge's `ChangeHash` wrote it.
    let carer = actor();
    let mut doc = full_plan(&carer);
    let other = actor();
    let mut theirs = doc.fork(&other);
    theirs
        .set_field(&Field::Carer(CarerField::Name), "Ann Other", 10)
        .unwrap();
    doc.set_field(&Field::Carer(CarerField::Name), "Ann Smith", 11)
        .unwrap();
    doc.merge(&mut theirs).unwrap();
    let heads = doc.heads();
    assert!(heads.len() > 1, "two heads after a merge");
    let hex = doc.version_token().to_hex();
    let automerge_wrote: Vec<String> = heads.iter().map(ToString::to_string).collect();
    assert_eq!(hex, automerge_wrote);
    assert!(hex
        .iter()
        .all(|h| carer_plan::plan::Version::is_hex_head(h)));
    let read: Vec<automerge::ChangeHash> = hex.iter().map(|h| h.parse().unwrap()).collect();
    assert_eq!(read, heads);
    for bad in ["", "xyz", &"g".repeat(64), &"a".repeat(63)] {
        assert!(!carer_plan::plan::Version::is_hex_head(bad), "{bad:?}");
    }
}
