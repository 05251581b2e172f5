//! Property tests: random edit sequences on three copies of a plan, merged
//! in random orders, always converge to identical documents that hydrate
//! into valid plans. PROPTEST_CASES sets the number of cases (CI: 1,000).

mod common;

use common::*;
use proptest::prelude::*;

#[derive(Debug, Clone)]
enum Edit {
    Type(usize, String),
    AddPerson(String),
    RemoveFirstPerson,
    NamePerson(usize, String),
    Rate(usize, usize),
    MarkDone(usize),
}

const TEXT_FIELDS: [Field; 5] = [
    Field::Carer(CarerField::Name),
    Field::Carer(CarerField::Phone),
    Field::Carer(CarerField::Address),
    Field::Carer(CarerField::SafeContact),
    Field::Carer(CarerField::Health),
];
/// The areas the edits rate and mark done (a few, so that copies collide).
const RATED_AREAS: [&str; 3] = ["health-wellbeing", "finances", "life-balance"];
const LEVELS: [&str; 5] = ["none", "low", "moderate", "substantial", "critical"];

fn words() -> impl Strategy<Value = String> {
    // Mixed scripts, markup and emoji: whatever a person might paste.
    proptest::string::string_regex("[a-zA-Z <>&é😀]{0,12}").unwrap()
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        4 => (0..TEXT_FIELDS.len(), words()).prop_map(|(f, w)| Edit::Type(f, w)),
        1 => "[a-f0-9]{6}".prop_map(Edit::AddPerson),
        1 => Just(Edit::RemoveFirstPerson),
        1 => (0..4usize, words()).prop_map(|(i, w)| Edit::NamePerson(i, w)),
        2 => (0..RATED_AREAS.len(), 0..LEVELS.len()).prop_map(|(a, l)| Edit::Rate(a, l)),
        1 => (0..RATED_AREAS.len()).prop_map(Edit::MarkDone),
    ]
}

fn apply(doc: &mut PlanDoc, e: &Edit, t: i64) {
    match e {
        Edit::Type(f, w) => {
            // Edit in the middle of what is there, as a person would.
            let field = &TEXT_FIELDS[*f];
            let old = doc.field_value(field);
            let cut = old
                .char_indices()
                .nth(old.chars().count() / 2)
                .map_or(old.len(), |(i, _)| i);
            let new = format!("{}{}{}", &old[..cut], w, &old[cut..]);
            let new: String = new.chars().take(150).collect();
            doc.set_field(field, &new, t).unwrap();
        }
        Edit::AddPerson(id) => {
            let id = id.clone();
            doc.change("Added a person", t, move |p| {
                if !p.cared_for.iter().any(|c| c.id == id) {
                    p.cared_for.push(CaredFor {
                        id: id.clone(),
                        ..Default::default()
                    })
                }
            })
            .unwrap();
        }
        Edit::RemoveFirstPerson => {
            doc.change("Removed a person", t, |p| {
                if !p.cared_for.is_empty() {
                    p.cared_for.remove(0);
                }
            })
            .unwrap();
        }
        Edit::NamePerson(i, w) => {
            let id = doc.plan().unwrap().cared_for.get(*i).map(|c| c.id.clone());
            if let Some(id) = id {
                doc.set_field(&Field::Person(id, PersonField::Name), w, t)
                    .unwrap();
            }
        }
        Edit::Rate(a, l) => {
            doc.change("Rated", t, |p| {
                p.wellbeing
                    .entry(RATED_AREAS[*a].into())
                    .or_default()
                    .rating = Some(LEVELS[*l].into())
            })
            .unwrap();
        }
        Edit::MarkDone(a) => {
            doc.set_field(
                &Field::Area(RATED_AREAS[*a].into(), AreaField::Outcomes),
                "done",
                t,
            )
            .unwrap();
        }
    }
}

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn three_copies_converge_whatever_the_merge_order(
        edits in proptest::collection::vec(proptest::collection::vec(edit(), 0..8), 3),
        order in Just([0usize, 1, 2]).prop_shuffle(),
        rounds in 1usize..3,
    ) {
        let base = PlanDoc::create(&actor(), carer("Ann"), "scotland-national", &RATED_AREAS, 0).unwrap();
        let mut copies: Vec<PlanDoc> = (0..3).map(|_| base.fork(&actor())).collect();
        for round in 0..rounds {
            for (i, copy) in copies.iter_mut().enumerate() {
                for (n, e) in edits[i].iter().enumerate() {
                    apply(copy, e, (round * 100 + n) as i64 * 1000);
                }
            }
            // Merge in the shuffled order: each copy receives the others.
            for &i in &order {
                for &j in &order {
                    if i != j {
                        let mut other = copies[j].fork(&actor());
                        copies[i].merge(&mut other).unwrap();
                    }
                }
            }
        }
        let plans: Vec<_> = copies.iter().map(|c| c.plan().expect("hydrates into a valid plan")).collect();
        prop_assert_eq!(&plans[0], &plans[1]);
        prop_assert_eq!(&plans[1], &plans[2]);
        let mut heads: Vec<_> = copies.iter().map(|c| { let mut h = c.heads(); h.sort(); h }).collect();
        heads.dedup();
        prop_assert_eq!(heads.len(), 1, "identical documents");
        // And a copy saved and loaded again is the same plan.
        let reloaded = PlanDoc::load(&copies[0].save(), &actor()).unwrap();
        prop_assert_eq!(reloaded.plan().unwrap(), plans[0].clone());
    }
}
