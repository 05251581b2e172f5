//! A copy over any limit of the plan (`src/plan/limits.rs`) is refused
//! before anything is merged, with a plain message, and what is stored
//! stays byte-for-byte the same. How long each refusal takes in a release
//! build is measured by `examples/bench.rs` ("refuse …" lines).

mod common;
mod hostile_copies;

use carer_plan::plan::limits::*;
use carer_plan::share::exchange::ImportError;
use carer_plan::share::file::{self as share, HeaderFault, ShareError};
use carer_plan::web::words::Words;
use common::*;
use hostile_copies::*;

fn refused_over(text: &str, want: Limit) -> ImportError {
    let mine = full_plan(&actor());
    let before = mine.save();
    let err = match exchange::read(text, None, &actor()) {
        Ok(_) => panic!("a copy over {want:?} was accepted"),
        Err(e) => e,
    };
    assert!(
        matches!(err, ImportError::Plan(DocError::OverLimit(l)) if l == want),
        "expected {want:?}, got {err:?}"
    );
    assert_eq!(mine.save(), before, "nothing stored changes");
    plain_refusal(&err, text);
    err
}

#[test]
fn a_two_million_character_answer_is_refused_before_loading() {
    refused_over(&long_answer(2_000_000), Limit::Size);
}

#[test]
fn an_answer_one_character_over_the_typing_limit_is_refused() {
    refused_over(&long_answer(LONG_MAX + 1), Limit::AnswerLength);
    // Exactly at the limit is a plan like any other.
    assert!(exchange::read(&long_answer(LONG_MAX), None, &actor()).is_ok());
}

#[test]
fn a_short_answer_over_its_limit_is_refused() {
    refused_over(&short_answer(SHORT_MAX + 1), Limit::AnswerLength);
    assert!(exchange::read(&short_answer(SHORT_MAX), None, &actor()).is_ok());
}

#[test]
fn long_lists_and_many_people_actions_contacts_risks_are_refused() {
    refused_over(&junk(Junk::List(MAX_ITEMS + 1)), Limit::ListLength);
    for (what, n) in [
        (Items::People, MAX_PEOPLE),
        (Items::Actions, MAX_ACTIONS),
        (Items::Contacts, MAX_CONTACTS),
        (Items::Risks, MAX_RISKS),
    ] {
        refused_over(&many(what, n + 1), Limit::ListLength);
    }
    assert!(exchange::read(&many(Items::People, MAX_PEOPLE), None, &actor()).is_ok());
}

#[test]
fn too_many_wellbeing_areas_are_refused() {
    refused_over(&many_areas(MAX_AREAS + 1), Limit::Areas);
}

#[test]
fn deep_nesting_is_refused() {
    refused_over(&junk(Junk::Depth(MAX_DEPTH + 1)), Limit::Depth);
    refused_over(&junk(Junk::Depth(5_000)), Limit::Depth);
    assert!(exchange::read(&junk(Junk::Depth(MAX_DEPTH - 2)), None, &actor()).is_ok());
}

#[test]
fn many_changes_and_many_actors_are_refused() {
    refused_over(&junk(Junk::Changes(MAX_CHANGES + 1)), Limit::Changes);
    refused_over(&junk(Junk::Actors(MAX_ACTORS + 1)), Limit::Actors);
}

#[test]
fn an_inflation_bomb_is_refused_before_it_is_inflated() {
    let text = junk(Junk::Bomb(MAX_INFLATED_BYTES + 1));
    assert!(
        text.len() < 200_000,
        "the file is small: {} bytes",
        text.len()
    );
    refused_over(&text, Limit::Size);
}

#[test]
fn the_cost_count_agrees_with_automerge_on_real_plans() {
    // Plans the app makes (typed, merged, signed) pass; their exports load.
    let a = actor();
    let mut doc = full_plan(&a);
    let text = share_all(&mut doc, &a);
    let (_, copy) = exchange::read(&text, None, &actor()).expect("the app's own plan passes");
    assert_eq!(copy.plan().unwrap(), {
        let mut p = doc.plan().unwrap();
        p.private_notes = Default::default();
        p
    });
}

fn header_refusal(text: &str) -> ShareError {
    match exchange::read(text, Some(PASS), &actor()) {
        Err(ImportError::Share(e)) => {
            plain_refusal(&ImportError::Share(e.clone()), text);
            e
        }
        other => panic!("expected a refusal, got {:?}", other.map(|_| ())),
    }
}

#[test]
fn header_lines_are_read_strictly() {
    let a = actor();
    let mut doc = full_plan(&a);
    let plain = share_all(&mut doc, &a);
    let locked = share_locked(&mut doc, &a);
    let id = doc.plan_id().to_string();
    let twice =
        |src: &str, line: &str, extra: &str| src.replacen(line, &format!("{line}\n{extra}"), 1);
    assert_eq!(
        header_refusal(&twice(&plain, "Format: 1", "Format: 2")),
        ShareError::BadHeader(HeaderFault::Duplicate("Format"))
    );
    assert_eq!(
        header_refusal(&twice(
            &plain,
            &format!("Plan: {id}"),
            &format!("Plan: {id}")
        )),
        ShareError::BadHeader(HeaderFault::Duplicate("Plan"))
    );
    let sum_line = plain.lines().find(|l| l.starts_with("Checksum:")).unwrap();
    assert_eq!(
        header_refusal(&twice(&plain, sum_line, sum_line)),
        ShareError::BadHeader(HeaderFault::Duplicate("Checksum"))
    );
    assert_eq!(
        header_refusal(&twice(&plain, "Encryption: none", "Colour: blue")),
        ShareError::BadHeader(HeaderFault::Unknown)
    );
    // A locked file of format 1 has no Checksum line; one of format 2
    // has exactly one.
    let locked_sum = locked.lines().find(|l| l.starts_with("Checksum:")).unwrap();
    let format_1: String =
        locked
            .replacen("Format: 2", "Format: 1", 1)
            .replacen(&format!("{locked_sum}\n"), "", 1);
    assert_eq!(
        header_refusal(&twice(
            &format_1,
            "Encryption: argon2id-aes-256-gcm",
            sum_line
        )),
        ShareError::BadHeader(HeaderFault::Unknown),
        "a locked file of format 1 with an unlocked file's line"
    );
    assert_eq!(
        header_refusal(&twice(
            &locked,
            "Encryption: argon2id-aes-256-gcm",
            sum_line
        )),
        ShareError::BadHeader(HeaderFault::Duplicate("Checksum")),
        "a locked file of format 2 with a second Checksum"
    );
    assert_eq!(
        header_refusal(&twice(
            &plain,
            "Encryption: none",
            "Salt: QUFBQUFBQUFBQUFBQUFBQQ=="
        )),
        ShareError::BadHeader(HeaderFault::Unknown)
    );
    let rot = plain.replacen("Encryption: none", "Encryption: rot13", 1);
    let e = header_refusal(&rot);
    assert_eq!(e, ShareError::UnknownLock);
    assert!(!e.words().contains("newer version"), "{}", e.words());
    // Case and spacing still do not matter.
    let spaced = plain.replacen("Format: 1", "  format :  1", 1);
    assert!(share::peek(&spaced).is_ok());
}

#[test]
fn every_refusal_of_the_hostile_corpus_is_plain() {
    for (label, text) in refusals_to_check() {
        match exchange::read(&text, Some(PASS), &actor()) {
            Ok(_) => {}
            Err(ImportError::Share(ShareError::NeedsPassphrase)) => {}
            Err(e) => {
                let m = e.words();
                assert!(!m.is_empty(), "{label}");
                plain_refusal(&e, &text);
            }
        }
    }
}

/// Writes the files the end-to-end tests add (`tests/e2e/files/`):
/// `cargo test --test limits -- --ignored write_e2e_files`.
#[test]
#[ignore]
fn write_e2e_files() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/e2e/files");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.join("two-million-characters.txt"),
        long_answer(2_000_000),
    )
    .unwrap();
    std::fs::write(dir.join("large-plan.txt"), large_plan(1_500)).unwrap();
    let a = actor();
    let mut doc = full_plan(&a);
    std::fs::write(
        dir.join("small-plan-locked.txt"),
        share_locked(&mut doc, &a),
    )
    .unwrap();
}
