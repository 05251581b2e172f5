//! Two people typing into the same answer at once.
//!
//! The carer and the key worker each have the plan open on their own
//! device. Each types a phrase into the same answer, a key at a time, as a
//! text box sends it: the box shows the answer as it was when it last
//! changed, the person's caret sits where they are typing, and each key is
//! sent as the splice it made there. Changes travel between the two
//! devices at random moments (proptest picks the interleaving). However
//! they interleave, once both copies have everything:
//! * both copies read the same;
//! * each person's phrase is there whole;
//! * the words that were there before are all still there.
//!
//! Run for a long answer (Automerge text from the start) and for a one-line
//! answer (a plain value in plans from before, which must become text on
//! its first edit in a way both copies agree on).

mod common;

use carer_plan::plan::text::Splice;
use carer_plan::web::words::Words;
use common::*;
use proptest::prelude::*;

fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|c| c.parse().ok())
        .unwrap_or(256)
}

/// One person at their text box.
struct Person {
    doc: PlanDoc,
    /// What their box shows.
    shown: String,
    /// The plan's version the box shows (as `PlanDoc::heads` gave it).
    heads: Vec<automerge::ChangeHash>,
    /// Their caret, in characters.
    caret: usize,
    phrase: Vec<char>,
    typed: usize,
}

impl Person {
    fn new(doc: PlanDoc, field: &Field, caret: usize, phrase: &str) -> Person {
        let mut p = Person {
            shown: String::new(),
            heads: Vec::new(),
            doc,
            caret,
            phrase: phrase.chars().collect(),
            typed: 0,
        };
        p.shown = p.doc.field_value(field);
        p.heads = p.doc.heads();
        p
    }

    /// The box's text with the caret at `caret` after `before`'s edit.
    fn send(&mut self, field: &Field, before: &str, after: String, now: i64) {
        keystroke(
            &mut self.doc,
            field,
            &self.heads,
            before,
            &after,
            self.caret,
            now,
        );
        self.shown = after;
        self.heads = self.doc.heads();
    }

    fn key(&mut self, field: &Field, now: i64) {
        let Some(&c) = self.phrase.get(self.typed) else {
            return;
        };
        let before = self.shown.clone();
        let mut chars: Vec<char> = before.chars().collect();
        chars.insert(self.caret, c);
        self.caret += 1;
        self.typed += 1;
        self.send(field, &before, chars.into_iter().collect(), now);
    }

    /// A wrong key, then Backspace.
    fn slip(&mut self, field: &Field, now: i64) {
        if self.typed >= self.phrase.len() {
            return;
        }
        let before = self.shown.clone();
        let mut chars: Vec<char> = before.chars().collect();
        chars.insert(self.caret, 'q');
        self.caret += 1;
        self.send(field, &before, chars.iter().collect(), now);
        let before = self.shown.clone();
        chars.remove(self.caret - 1);
        self.caret -= 1;
        self.send(field, &before, chars.into_iter().collect(), now + 1);
    }

    /// The other device's changes arrive: the box shows the answer as it
    /// is now, the caret kept where the person was typing.
    fn take(&mut self, from: &Person, field: &Field) {
        let mut copy = from.doc.fork(&actor());
        self.doc.merge(&mut copy).unwrap();
        let now = self.doc.field_value(field);
        self.caret = caret_now(&self.doc, field, &self.heads, &self.shown, &now, self.caret);
        self.shown = now;
        self.heads = self.doc.heads();
    }

    fn finished(&self) -> bool {
        self.typed == self.phrase.len()
    }
}

/// What the app does with one key: the splice the box made, at the version
/// of the plan the box showed. A key that says it went where the box showed
/// it (the page then shows the box's own text, reading nothing back) has
/// made the answer exactly the box's text.
fn keystroke(
    doc: &mut PlanDoc,
    field: &Field,
    heads: &[automerge::ChangeHash],
    before: &str,
    after: &str,
    caret: usize,
    now: i64,
) {
    let caret16 = after
        .chars()
        .take(caret)
        .map(char::len_utf16)
        .sum::<usize>();
    let splice =
        Splice::typed(before, after, Some(caret16 as u32)).expect("the key changed the box");
    let keyed = doc
        .type_splice(field, heads, &splice, now)
        .unwrap()
        .expect("the key changed the answer");
    if keyed.as_shown {
        assert_eq!(
            doc.field_value(field),
            after,
            "the answer is the box's text"
        );
    }
}

/// Where the caret goes when the box is given the answer as it is now.
fn caret_now(
    doc: &PlanDoc,
    field: &Field,
    heads: &[automerge::ChangeHash],
    _shown: &str,
    _now: &str,
    caret: usize,
) -> usize {
    doc.caret_now(field, heads, caret)
}

#[derive(Debug, Clone, Copy)]
enum Step {
    CarerKey,
    WorkerKey,
    CarerSlip,
    WorkerSlip,
    ToWorker,
    ToCarer,
}

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        5 => Just(Step::CarerKey),
        5 => Just(Step::WorkerKey),
        1 => Just(Step::CarerSlip),
        1 => Just(Step::WorkerSlip),
        2 => Just(Step::ToWorker),
        2 => Just(Step::ToCarer),
    ]
}

/// The plan release 1 stored, opened on two devices.
fn release_1_plans() -> (PlanDoc, PlanDoc) {
    (release_1_plan(), release_1_plan())
}

fn run(
    (carer_doc, worker_doc): (PlanDoc, PlanDoc),
    field: &Field,
    carer_at: usize,
    worker_at: usize,
    steps: &[Step],
) -> (String, String, String) {
    let before = carer_doc.field_value(field);
    let len = before.chars().count();
    let mut c = Person::new(carer_doc, field, carer_at.min(len), CARER_SAYS);
    let mut w = Person::new(worker_doc, field, worker_at.min(len), WORKER_SAYS);
    let mut now = T0 + 10;
    for s in steps {
        now += 2;
        match s {
            Step::CarerKey => c.key(field, now),
            Step::WorkerKey => w.key(field, now),
            Step::CarerSlip => c.slip(field, now),
            Step::WorkerSlip => w.slip(field, now),
            Step::ToWorker => w.take(&c, field),
            Step::ToCarer => c.take(&w, field),
        }
    }
    while !(c.finished() && w.finished()) {
        now += 2;
        c.key(field, now);
        w.key(field, now);
    }
    w.take(&c, field);
    c.take(&w, field);
    (before, c.doc.field_value(field), w.doc.field_value(field))
}

/// Both type their phrase as `steps` interleave them, then have everything.
fn typed_together(
    plan: (PlanDoc, PlanDoc),
    field: &Field,
    carer_at: usize,
    worker_at: usize,
    steps: &[Step],
) -> Result<(), TestCaseError> {
    let (before, c, w) = run(plan, field, carer_at, worker_at, steps);
    check(&before, &c, &w)
}

fn check(before: &str, carer_sees: &str, worker_sees: &str) -> Result<(), TestCaseError> {
    prop_assert_eq!(carer_sees, worker_sees, "both copies read the same");
    prop_assert!(
        carer_sees.contains(CARER_SAYS),
        "the carer's words whole: {:?}",
        carer_sees
    );
    prop_assert!(
        worker_sees.contains(WORKER_SAYS),
        "the worker's words whole: {:?}",
        worker_sees
    );
    let rest = carer_sees
        .replacen(CARER_SAYS, "", 1)
        .replacen(WORKER_SAYS, "", 1);
    prop_assert_eq!(rest, before, "what was there before is all still there");
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig { cases: cases(), ..ProptestConfig::default() })]

    #[test]
    fn both_people_typing_in_one_long_answer_keep_their_words(
        carer_at in 0usize..40,
        worker_at in 0usize..40,
        steps in proptest::collection::vec(step(), 0..90),
    ) {
        let field = Field::Role(RoleField::BadDay);
        let plan = shared_plan(&field, "Mornings are busy. Evenings are calmer.");
        typed_together(plan, &field, carer_at, worker_at, &steps)?;
    }

    #[test]
    fn both_people_typing_in_one_line_answer_keep_their_words(
        carer_at in 0usize..12,
        worker_at in 0usize..12,
        steps in proptest::collection::vec(step(), 0..90),
    ) {
        let field = Field::Role(RoleField::HowLong);
        typed_together(shared_plan(&field, "about four"), &field, carer_at, worker_at, &steps)?;
    }

    /// A plan from before: the one-line answer is a plain value, and both
    /// devices make it text on their first key, each on its own.
    #[test]
    fn both_people_typing_in_one_line_answer_of_an_old_plan_keep_their_words(
        carer_at in 0usize..12,
        worker_at in 0usize..12,
        steps in proptest::collection::vec(step(), 0..90),
    ) {
        let field = Field::Role(RoleField::HowLong);
        let plan = release_1_plans();
        prop_assert_eq!(plan.0.field_value(&field), "since 2019");
        typed_together(plan, &field, carer_at, worker_at, &steps)?;
    }
}

/// The change that makes an old plan's one-line answer text is the very
/// same change on every device: made on two devices at once, the two
/// copies still hold one text, not two texts of which one would hide the
/// other's typing. History and the plan's version leave it out.
#[test]
fn an_old_one_line_answer_becomes_the_same_text_on_every_device() {
    let field = Field::Carer(CarerField::Phone);
    let (mut a, mut b) = release_1_plans();
    let version = a.version();
    let lines = history(&a).len();
    a.set_field(&field, "01698 123456", T0 + 10).unwrap();
    b.set_field(&field, "07700 900123", T0 + 10).unwrap();
    let mut copy = b.fork(&actor());
    a.merge(&mut copy).unwrap();
    let both = a.field_value(&field);
    assert!(
        both.contains("01698 123456") && both.contains("07700 900123"),
        "{both}"
    );
    // One change each for the two people; the conversion is not theirs.
    assert_eq!(a.version(), version + 2);
    assert_eq!(history(&a).len(), lines + 2);
    // Typing again on one device after the merge reaches one text.
    a.type_splice(
        &field,
        &a.heads(),
        &Splice {
            at: 0,
            delete: both.chars().count(),
            insert: "01698 123456".into(),
        },
        T0 + 20,
    )
    .unwrap();
    let mut copy = a.fork(&actor());
    b.merge(&mut copy).unwrap();
    assert_eq!(b.field_value(&field), "01698 123456");
    // Untouched one-line answers read as they did.
    assert_eq!(
        a.field_value(&Field::Carer(CarerField::Name)),
        "Margaret Brown"
    );
}

/// Named changes (a choice in the same section) never replace a one-line
/// answer someone is typing in: the answer is written as text, and only
/// where it differs.
#[test]
fn a_named_change_beside_a_one_line_answer_keeps_the_other_persons_typing() {
    let field = Field::Role(RoleField::HowLong);
    let (mut carer_doc, mut worker_doc) = release_1_plans();
    // The worker types at the end; the carer meanwhile changes the hours
    // in the same section.
    let heads = worker_doc.heads();
    worker_doc
        .type_splice(
            &field,
            &heads,
            &Splice {
                at: 10,
                delete: 0,
                insert: ", after his stroke".into(),
            },
            T0 + 10,
        )
        .unwrap();
    carer_doc
        .change("Changed hours", T0 + 11, |p| {
            p.caring_role.hours_per_week = Some(80)
        })
        .unwrap();
    let mut copy = worker_doc.fork(&actor());
    carer_doc.merge(&mut copy).unwrap();
    assert_eq!(
        carer_doc.field_value(&field),
        "since 2019, after his stroke"
    );
    assert_eq!(
        carer_doc.plan().unwrap().caring_role.hours_per_week,
        Some(80)
    );
}

/// Live sync takes the other side's changes into a copy of this plan and
/// merges that (`share/sync/take_in.rs`): the other side's version is the
/// one their changes were made on, not the copy's heads.
fn live_merge(
    mine: &mut PlanDoc,
    theirs: &PlanDoc,
    since: &[automerge::ChangeHash],
) -> exchange::MergeReport {
    let mut incoming = mine.fork(&actor());
    incoming.apply_saved(&theirs.save_after(since)).unwrap();
    exchange::merge_changes(mine, incoming).unwrap()
}

#[test]
fn a_long_answer_both_rewrote_while_apart_is_offered_side_by_side_over_live_sync() {
    let field = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let (mut carer_doc, mut worker_doc) = shared_plan(&field, "I manage most days.");
    let apart = carer_doc.heads();
    carer_doc
        .set_field(&field, "I sleep badly and my back is worse.", T0 + 20)
        .unwrap();
    worker_doc
        .set_field(&field, "Ann reports poor sleep and back pain.", T0 + 21)
        .unwrap();
    let report = live_merge(&mut carer_doc, &worker_doc, &apart);
    let c = report
        .text_conflicts
        .iter()
        .find(|c| c.field == field)
        .expect("both versions offered");
    assert_eq!(c.mine, "I sleep badly and my back is worse.");
    assert_eq!(c.theirs, "Ann reports poor sleep and back pain.");
    assert_eq!(c.merged, carer_doc.field_value(&field));
}

#[test]
fn a_one_line_answer_both_rewrote_while_apart_is_offered_side_by_side() {
    let field = Field::Role(RoleField::HowLong);
    let (mut carer_doc, mut worker_doc) = release_1_plans();
    let apart = carer_doc.heads();
    carer_doc.set_field(&field, "three years", T0 + 20).unwrap();
    worker_doc.set_field(&field, "since 2021", T0 + 21).unwrap();
    let report = live_merge(&mut carer_doc, &worker_doc, &apart);
    let c = report
        .text_conflicts
        .iter()
        .find(|c| c.field == field)
        .expect("both versions offered");
    assert_eq!(
        (c.mine.as_str(), c.theirs.as_str()),
        ("three years", "since 2021")
    );
}

#[test]
fn typing_at_different_places_of_one_answer_is_no_conflict() {
    let field = Field::Role(RoleField::BadDay);
    let (mut carer_doc, mut worker_doc) =
        shared_plan(&field, "Mornings are busy. Evenings are calmer.");
    let apart = carer_doc.heads();
    type_at(
        &mut carer_doc,
        &field,
        17,
        ", and nights are hardest",
        T0 + 20,
    );
    type_at(
        &mut worker_doc,
        &field,
        39,
        " He had his stroke in 2019.",
        T0 + 21,
    );
    let report = live_merge(&mut carer_doc, &worker_doc, &apart);
    assert!(report.new_changes > 0);
    assert!(
        report.text_conflicts.is_empty(),
        "{:?}",
        report.text_conflicts
    );
    assert_eq!(
        carer_doc.field_value(&field),
        "Mornings are busy, and nights are hardest. Evenings are calmer. He had his stroke in 2019."
    );
}

/// A key sent against a version of the answer that has changed since (the
/// other person's words arrived before the box showed them) lands where
/// the person typed it, and a caret stays after the letter it followed.
#[test]
fn a_key_sent_against_an_older_version_lands_where_it_was_typed() {
    let field = Field::Role(RoleField::BadDay);
    let (mut carer_doc, mut worker_doc) = shared_plan(&field, "aaaa");
    let shown = carer_doc.heads();
    // The worker puts words at the start and at the caret.
    type_at(&mut worker_doc, &field, 0, "XY ", T0 + 5);
    type_at(&mut worker_doc, &field, 5, "Z", T0 + 6);
    assert_eq!(worker_doc.field_value(&field), "XY aaZaa");
    let mut copy = worker_doc.fork(&actor());
    carer_doc.merge(&mut copy).unwrap();
    // The carer's box still showed "aaaa", caret after the second a.
    assert_eq!(carer_doc.caret_now(&field, &shown, 2), 5);
    assert_eq!(carer_doc.caret_now(&field, &shown, 0), 0);
    assert_eq!(carer_doc.caret_now(&field, &shown, 4), 8);
    carer_doc
        .type_splice(
            &field,
            &shown,
            &Splice {
                at: 2,
                delete: 0,
                insert: "b".into(),
            },
            T0 + 7,
        )
        .unwrap();
    assert_eq!(carer_doc.field_value(&field), "XY aabZaa");
    // Backspace over the first "a" as the box showed it.
    carer_doc
        .type_splice(
            &field,
            &shown,
            &Splice {
                at: 0,
                delete: 1,
                insert: String::new(),
            },
            T0 + 8,
        )
        .unwrap();
    assert_eq!(carer_doc.field_value(&field), "XY abZaa");
}

/// A key that would take an answer past its limit is refused and nothing
/// is stored, not even the change that would make an old plan's one-line
/// answer text.
#[test]
fn a_key_that_would_make_an_answer_too_long_changes_nothing() {
    let field = Field::Role(RoleField::HowLong);
    let mut doc = release_1_plan();
    let before = doc.save();
    let heads = doc.heads();
    let paste = Splice {
        at: 0,
        delete: 0,
        insert: "a".repeat(300),
    };
    let err = doc.type_splice(&field, &heads, &paste, T0).unwrap_err();
    assert!(err.words().contains("too long"), "{}", err.words());
    assert_eq!(doc.save(), before);
}

/// A key whose box had not yet shown the other person's words is placed
/// through them, and says so: the page then reads the answer back rather
/// than showing the box's text.
#[test]
fn a_key_placed_through_words_the_box_had_not_shown_says_so() {
    let field = Field::Carer(CarerField::Health);
    let (mut carer, mut worker) = shared_plan(&field, "I sleep badly.");
    let shown = carer.heads();
    worker
        .type_splice(
            &field,
            &worker.heads(),
            &Splice::typed("I sleep badly.", "I often sleep badly.", None).unwrap(),
            T0 + 5,
        )
        .unwrap();
    let mut copy = worker.fork(&actor());
    carer.merge(&mut copy).unwrap();
    let keyed = carer
        .type_splice(
            &field,
            &shown,
            &Splice::typed("I sleep badly.", "I sleep badly. Tired.", None).unwrap(),
            T0 + 6,
        )
        .unwrap()
        .unwrap();
    assert!(!keyed.as_shown);
    assert_eq!(carer.field_value(&field), "I often sleep badly. Tired.");
}

/// Two people typing in one answer at once, each key reaching the other as
/// it is typed: the history says once that each of them updated it, not
/// once for every time the other's keys came between theirs.
#[test]
fn the_history_of_two_people_typing_at_once_is_one_line_each() {
    let field = Field::Role(RoleField::HowLong);
    let (a, b) = shared_plan(&field, "about four");
    let before = history(&a).len();
    let mut carer = Person::new(a, &field, 0, "Since 2019. ");
    let mut worker = Person::new(b, &field, 10, " years");
    let mut now = T0 + 100;
    while !carer.finished() || !worker.finished() {
        carer.key(&field, now);
        worker.take(&carer, &field);
        worker.key(&field, now + 1);
        carer.take(&worker, &field);
        now += 2;
    }
    let lines = history(&carer.doc);
    // Her keys go on her own update of the answer (same sitting); his are
    // one new line.
    assert_eq!(lines.len(), before + 1, "{lines:#?}");
    let updates: Vec<&str> = lines
        .iter()
        .filter(|l| l.message.starts_with("Updated "))
        .map(|l| l.actor.as_str())
        .collect();
    assert_eq!(updates.len(), 2, "{lines:#?}");
    assert_ne!(updates[0], updates[1]);
    assert_eq!(lines, history(&worker.doc));
    // Newest last, each stamped with that person's last key.
    assert!(lines.windows(2).all(|w| w[0].time <= w[1].time));
}

/// Two tabs of her phone, each typing in its own answer a key at a time,
/// their changes taken in by each other as they come: the history says
/// once that she updated each answer, not a line every time the other
/// tab's keys came between.
#[test]
fn the_history_of_two_tabs_typing_in_two_answers_is_one_line_an_answer() {
    let phone = actor();
    let a = PlanDoc::create(&phone, carer("Ann"), "scotland-national", &AREAS, T0).unwrap();
    let before = history(&a).len();
    let tab2 = a.fork(&phone.new_session().unwrap());
    let one = Field::Area("finances".into(), AreaField::OwnWords);
    let two = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let mut first = Person::new(a, &one, 0, "Money is tight.");
    let mut second = Person::new(tab2, &two, 0, "My back is bad.");
    let mut now = T0 + 100;
    while !first.finished() || !second.finished() {
        first.key(&one, now);
        second.take(&first, &two);
        second.key(&two, now + 1);
        first.take(&second, &one);
        // A second a key: the changes of the two answers interleave.
        now += 1_000;
    }
    let lines = history(&first.doc);
    assert_eq!(lines.len(), before + 2, "{lines:#?}");
}
