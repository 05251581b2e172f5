//! What one keystroke costs natively, sent as the whole value (as the app
//! sent it before issue #20) and as the splice the key made (now): in a
//! long answer of 5,000 characters with 2,000 keystrokes of history, and in
//! a one-line answer. Also the splice sent against an older version (the
//! other person's words merged in before the box showed them) and the caret
//! moved through such a change. Prints JSON lines; not a test.
//!
//! `cargo run --release --example bench_typing`

use std::time::Instant;

#[path = "../tests/common/mod.rs"]
mod common;

use carer_plan::plan::text::Splice;
use common::*;

const KEYS: usize = 400;

fn stats(name: &str, mut v: Vec<f64>) {
    v.sort_by(|a, b| a.total_cmp(b));
    let pick = |q: f64| v[((v.len() as f64 - 1.0) * q).round() as usize];
    println!(
        "{{\"name\":\"{name}\",\"unit\":\"ms\",\"median\":{:.4},\"p95\":{:.4},\"max\":{:.4}}}",
        pick(0.5),
        pick(0.95),
        v[v.len() - 1]
    );
}

fn timed(f: impl FnOnce()) -> f64 {
    let t = Instant::now();
    f();
    t.elapsed().as_secs_f64() * 1000.0
}

/// A plan with one long answer typed to 5,000 characters, a key at a time.
fn long_answer(field: &Field) -> PlanDoc {
    let mut doc = PlanDoc::create(&actor(), carer("Ann"), "scotland-national", &AREAS, T0).unwrap();
    let words = "I look after my mum every day and it is hard to find time for myself. ";
    let mut t = T0;
    for chunk in words
        .chars()
        .cycle()
        .take(5_000)
        .collect::<Vec<_>>()
        .chunks(3)
    {
        let heads = doc.heads();
        let at = doc.field_value(field).chars().count();
        t += 1;
        let insert: String = chunk.iter().collect();
        doc.type_splice(
            field,
            &heads,
            &Splice {
                at,
                delete: 0,
                insert,
            },
            t,
        )
        .unwrap();
    }
    doc
}

fn main() {
    let field = Field::Area("health-wellbeing".into(), AreaField::OwnWords);
    let base = long_answer(&field);
    let len = base.field_value(&field).chars().count();

    // Before: each key sends the box's whole value; the document compares
    // it with the stored text to find the splice.
    let mut doc = base.fork(&actor());
    let mut text = doc.field_value(&field);
    let mut v = Vec::new();
    for i in 0..KEYS {
        text.insert(text.char_indices().nth(len / 2 + i).unwrap().0, 'x');
        v.push(timed(|| {
            doc.type_answer(&field, &text, T0 + 10_000 + i as i64)
                .unwrap();
        }));
    }
    stats(
        "long answer (5,000 chars): key sent as the whole value (before)",
        v,
    );

    // Now: each key sends its splice and the heads the box showed; the box
    // then asks for the heads it shows.
    let mut doc = base.fork(&actor());
    let mut heads = doc.heads();
    let mut v = Vec::new();
    for i in 0..KEYS {
        let splice = Splice {
            at: len / 2 + i,
            delete: 0,
            insert: "x".into(),
        };
        v.push(timed(|| {
            doc.type_splice(&field, &heads, &splice, T0 + 10_000 + i as i64)
                .unwrap();
            heads = doc.heads();
        }));
    }
    stats("long answer (5,000 chars): key sent as its splice (now)", v);

    // The other person's key merged in before the box showed it: the splice
    // is placed through it, and the caret moved through it.
    let mut mine = base.fork(&actor());
    let mut theirs = base.fork(&actor());
    let (mut place, mut caret) = (Vec::new(), Vec::new());
    for i in 0..KEYS / 4 {
        let shown = mine.heads();
        type_at(&mut theirs, &field, 10, "y", T0 + 20_000 + i as i64);
        let mut copy = theirs.fork(&actor());
        mine.merge(&mut copy).unwrap();
        caret.push(timed(|| {
            mine.caret_now(&field, &shown, len / 2);
        }));
        let splice = Splice {
            at: len / 2,
            delete: 0,
            insert: "x".into(),
        };
        place.push(timed(|| {
            mine.type_splice(&field, &shown, &splice, T0 + 20_000 + i as i64)
                .unwrap();
        }));
    }
    stats(
        "long answer: key sent against an older version (other person's key merged)",
        place,
    );
    stats(
        "long answer: caret moved through the other person's key",
        caret,
    );

    // One-line answer: the whole value was a plain value put (before); now
    // a splice of its text.
    let short = Field::Carer(CarerField::Phone);
    let mut doc = base.fork(&actor());
    let mut value = String::new();
    let mut heads = doc.heads();
    let mut v = Vec::new();
    for i in 0..40 {
        value.push(char::from(b'0' + (i % 10) as u8));
        let splice = Splice {
            at: i as usize,
            delete: 0,
            insert: value[i as usize..].into(),
        };
        v.push(timed(|| {
            doc.type_splice(&short, &heads, &splice, T0 + 30_000 + i)
                .unwrap();
            heads = doc.heads();
        }));
    }
    stats("one-line answer: key sent as its splice (now)", v);

    // The same in a plan from before, whose one-line answers are plain
    // values: the first key makes the answer text.
    let mut first = Vec::new();
    for _ in 0..20 {
        let mut old = release_1_plan();
        let heads = old.heads();
        first.push(timed(|| {
            old.type_splice(
                &short,
                &heads,
                &Splice {
                    at: 0,
                    delete: 0,
                    insert: "0".into(),
                },
                T0,
            )
            .unwrap();
        }));
    }
    stats(
        "one-line answer of a plan from before: first key (made text)",
        first,
    );

    // What a live bundle costs to take in (merge and the check for answers
    // both changed at the same words), one key from the other side.
    let mut mine = base.fork(&actor());
    let theirs0 = base.fork(&actor());
    let (mut v, mut found) = (Vec::new(), Vec::new());
    for i in 0..40 {
        let mut theirs = theirs0.fork(&actor());
        type_at(&mut theirs, &field, 5, "z", T0 + 40_000 + i);
        type_at(&mut mine, &field, 7, "w", T0 + 40_000 + i);
        let mut incoming = mine.fork(&actor());
        incoming
            .apply_saved(&theirs.save_after(&theirs0.heads()))
            .unwrap();
        found.push(timed(|| {
            carer_plan::doc::conflict::text_conflicts(&mine, &incoming).unwrap();
        }));
        v.push(timed(|| {
            exchange::merge_changes(&mut mine, incoming).unwrap();
        }));
    }
    stats("live change taken in (merge_changes, text_conflicts)", v);
    stats(
        "of which: looking for answers both changed at the same words (text_conflicts)",
        found,
    );
}
