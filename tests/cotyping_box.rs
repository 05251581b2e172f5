//! Two people typing into the same answer at once, each box's keys made
//! in a copy of the plan beside it (the engine worker's), later than they
//! were typed: the box types on without waiting for each key to be made,
//! and is given the answer anew only once every key it sent has been made.
//!
//! Keys are made, and changes travel between the two devices, at random
//! moments (proptest picks the interleaving). However they interleave,
//! once both copies have everything: both read the same, each person's
//! phrase is there whole, and the words that were there before are all
//! still there.

mod common;

use carer_plan::doc::BoxView;
use carer_plan::plan::text::Splice;
use common::*;
use proptest::prelude::*;
use std::collections::VecDeque;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// One person: their box, and the copy beside it that makes its keys.
struct Person {
    /// The copy beside the page (the engine's).
    doc: PlanDoc,
    /// What the copy keeps of the box: its letters in the answer.
    view: BoxView,
    /// What the box shows.
    shown: String,
    caret: usize,
    /// Keys typed, not made yet.
    sent: VecDeque<Splice>,
    phrase: Vec<char>,
    typed: usize,
}

impl Person {
    fn new(doc: PlanDoc, field: &Field, caret: usize, phrase: &str) -> Person {
        let shown = doc.field_value(field);
        let view = doc.box_view(field, &doc.heads(), &shown);
        Person {
            doc,
            view,
            caret: caret.min(shown.chars().count()),
            shown,
            sent: VecDeque::new(),
            phrase: phrase.chars().collect(),
            typed: 0,
        }
    }

    /// The box's text becomes `after`, the caret at `self.caret`: the
    /// splice is sent.
    fn send(&mut self, after: String) {
        let caret16 = after
            .chars()
            .take(self.caret)
            .map(char::len_utf16)
            .sum::<usize>();
        let splice = Splice::typed(&self.shown, &after, Some(caret16 as u32))
            .expect("the key changed the box");
        self.sent.push_back(splice);
        self.shown = after;
    }

    fn key(&mut self) {
        let Some(&c) = self.phrase.get(self.typed) else {
            return;
        };
        let mut chars: Vec<char> = self.shown.chars().collect();
        chars.insert(self.caret, c);
        self.caret += 1;
        self.typed += 1;
        self.send(chars.into_iter().collect());
    }

    /// A wrong key, then Backspace.
    fn slip(&mut self) {
        if self.typed >= self.phrase.len() {
            return;
        }
        let mut chars: Vec<char> = self.shown.chars().collect();
        chars.insert(self.caret, 'q');
        self.caret += 1;
        self.send(chars.iter().collect());
        chars.remove(self.caret - 1);
        self.caret -= 1;
        self.send(chars.into_iter().collect());
    }

    /// The copy makes the next key sent; once none is left, the box is
    /// given the answer as the copy has it.
    fn make(&mut self, now: i64) {
        if let Some(splice) = self.sent.pop_front() {
            let keyed = self
                .doc
                .type_in_box(&mut self.view, &splice, now)
                .unwrap()
                .expect("the key changed the answer");
            if keyed.as_shown {
                assert_eq!(self.doc.field_value(self.view.field()), self.view.text());
            }
        }
        self.show();
    }

    /// With nothing in flight, the box shows the answer as it is now, the
    /// caret after the letter it followed.
    fn show(&mut self) {
        if !self.sent.is_empty() {
            return;
        }
        let field = self.view.field().clone();
        let now = self.doc.field_value(&field);
        if now != self.shown {
            self.caret = self.doc.box_caret(&self.view, self.caret);
            self.shown = now;
            self.view = self.doc.box_view(&field, &self.doc.heads(), &self.shown);
        }
    }

    /// The other device's changes arrive in the copy.
    fn take(&mut self, from: &Person) {
        let mut copy = from.doc.fork(&actor());
        self.doc.merge(&mut copy).unwrap();
        self.show();
    }

    fn finished(&self) -> bool {
        self.typed == self.phrase.len() && self.sent.is_empty()
    }
}

#[derive(Debug, Clone, Copy)]
enum Step {
    CarerKey,
    WorkerKey,
    CarerSlip,
    WorkerSlip,
    CarerMade,
    WorkerMade,
    ToWorker,
    ToCarer,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => Just(Step::CarerKey),
        5 => Just(Step::WorkerKey),
        1 => Just(Step::CarerSlip),
        1 => Just(Step::WorkerSlip),
        4 => Just(Step::CarerMade),
        4 => Just(Step::WorkerMade),
        2 => Just(Step::ToWorker),
        2 => Just(Step::ToCarer),
    ]
}

fn typed_together(
    (carer_doc, worker_doc): (PlanDoc, PlanDoc),
    field: &Field,
    carer_at: usize,
    worker_at: usize,
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let before = carer_doc.field_value(field);
    let mut c = Person::new(carer_doc, field, carer_at, CARER_SAYS);
    let mut w = Person::new(worker_doc, field, worker_at, WORKER_SAYS);
    let mut now = T0 + 10;
    for s in steps {
        now += 2;
        match s {
            Step::CarerKey => c.key(),
            Step::WorkerKey => w.key(),
            Step::CarerSlip => c.slip(),
            Step::WorkerSlip => w.slip(),
            Step::CarerMade => c.make(now),
            Step::WorkerMade => w.make(now),
            Step::ToWorker => w.take(&c),
            Step::ToCarer => c.take(&w),
        }
    }
    while !(c.finished() && w.finished()) {
        now += 2;
        c.key();
        w.key();
        c.make(now);
        w.make(now);
    }
    w.take(&c);
    c.take(&w);
    let (cs, ws) = (c.doc.field_value(field), w.doc.field_value(field));
    prop_assert_eq!(&cs, &ws, "both copies read the same");
    prop_assert!(cs.contains(CARER_SAYS), "the carer's words whole: {:?}", cs);
    prop_assert!(
        cs.contains(WORKER_SAYS),
        "the worker's words whole: {:?}",
        cs
    );
    let rest = cs.replacen(CARER_SAYS, "", 1).replacen(WORKER_SAYS, "", 1);
    prop_assert_eq!(&rest, &before, "what was there before is all still there");
    // Each phrase is where its person typed it.
    let at = |n: usize| before.chars().take(n).map(char::len_utf8).sum::<usize>();
    let hers = cs.replacen(WORKER_SAYS, "", 1);
    prop_assert_eq!(
        hers.find(CARER_SAYS),
        Some(at(carer_at.min(before.chars().count())))
    );
    let his = cs.replacen(CARER_SAYS, "", 1);
    prop_assert_eq!(
        his.find(WORKER_SAYS),
        Some(at(worker_at.min(before.chars().count())))
    );
    prop_assert_eq!(&c.shown, &cs, "her box shows the answer");
    prop_assert_eq!(&w.shown, &ws, "his box shows the answer");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn keys_made_beside_the_page_keep_both_peoples_words_in_a_long_answer(
        carer_at in 0usize..40,
        worker_at in 0usize..40,
        steps in proptest::collection::vec(step(), 0..120),
    ) {
        let field = Field::Role(RoleField::BadDay);
        let plan = shared_plan(&field, "Mornings are busy. Evenings are calmer.");
        typed_together(plan, &field, carer_at, worker_at, &steps)?;
    }

    #[test]
    fn keys_made_beside_the_page_keep_both_peoples_words_in_a_one_line_answer(
        carer_at in 0usize..12,
        worker_at in 0usize..12,
        steps in proptest::collection::vec(step(), 0..120),
    ) {
        let field = Field::Role(RoleField::HowLong);
        typed_together(shared_plan(&field, "about four"), &field, carer_at, worker_at, &steps)?;
    }

    /// A plan from before: the one-line answer is a plain value, made text
    /// by each copy's first key.
    #[test]
    fn keys_made_beside_the_page_keep_both_peoples_words_in_an_old_plan(
        carer_at in 0usize..12,
        worker_at in 0usize..12,
        steps in proptest::collection::vec(step(), 0..120),
    ) {
        let field = Field::Role(RoleField::HowLong);
        let plan = (release_1_plan(), release_1_plan());
        prop_assert_eq!(plan.0.field_value(&field), "since 2019");
        typed_together(plan, &field, carer_at, worker_at, &steps)?;
    }
}

/// Letters the box shows, taken out over a selection, are those letters:
/// words the other person typed among them, which the box had not shown,
/// stay whole.
#[test]
fn a_selection_taken_out_leaves_the_other_persons_words_typed_inside_it() {
    let field = Field::Role(RoleField::BadDay);
    let (mut mine, mut theirs) = shared_plan(&field, "Mornings are busy. Evenings are calmer.");
    let mut view = mine.box_view(
        &field,
        &mine.heads(),
        "Mornings are busy. Evenings are calmer.",
    );
    // They type inside "busy" before her selection's key is made.
    let at = theirs.heads();
    theirs
        .type_splice(
            &field,
            &at,
            &Splice {
                at: 15,
                delete: 0,
                insert: "-very-".into(),
            },
            T0 + 5,
        )
        .unwrap();
    let mut copy = theirs.fork(&actor());
    mine.merge(&mut copy).unwrap();
    // She selects "are busy. " and types "can be hard. ".
    let keyed = mine
        .type_in_box(
            &mut view,
            &Splice {
                at: 9,
                delete: 10,
                insert: "can be hard. ".into(),
            },
            T0 + 6,
        )
        .unwrap()
        .unwrap();
    assert!(!keyed.as_shown, "placed through their words");
    assert_eq!(view.text(), "Mornings can be hard. Evenings are calmer.");
    // Her words go after the letter before her selection; theirs, typed
    // inside what she took out, stay whole after hers.
    assert_eq!(
        mine.field_value(&field),
        "Mornings can be hard. -very-Evenings are calmer."
    );
    // Her caret, after what she typed, is after it in the answer too.
    assert_eq!(mine.box_caret(&view, 22), 22);
}

/// A key that would make the answer too long is refused: nothing changes,
/// in the plan or in what the copy keeps of the box.
#[test]
fn a_key_that_would_make_an_answer_too_long_changes_nothing() {
    let field = Field::Role(RoleField::HowLong);
    let mut doc = release_1_plan();
    let before = doc.save();
    let mut view = doc.box_view(&field, &doc.heads(), "since 2019");
    let paste = Splice {
        at: 0,
        delete: 0,
        insert: "a".repeat(300),
    };
    let err = doc.type_in_box(&mut view, &paste, T0).unwrap_err();
    assert!(carer_plan::web::words::Words::words(&err).contains("too long"));
    assert_eq!(doc.save(), before);
    assert_eq!(view.text(), "since 2019");
}
