//! The caret in a real text box (headless Chromium, wasm-bindgen-test) when
//! the other person's typing lands in the answer someone is typing in: it
//! stays after the letter it followed, whether their words land before it
//! (it moves on with the text, in UTF-16 units as the browser counts) or
//! right at or after it (it stays put), and the next key goes where the
//! person is typing.
#![cfg(target_arch = "wasm32")]

use carer_plan::doc::PlanDoc;
use carer_plan::plan::field::RoleField;
use carer_plan::plan::text::Splice;
use carer_plan::plan::{DeviceActor, Field, Participant, Role};
use carer_plan::web::platform::caret::{set_keeping_caret, TextControl};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const T0: i64 = 1_795_000_000_000;

fn plans(answer: &str) -> (PlanDoc, PlanDoc, Field) {
    let field = Field::Role(RoleField::BadDay);
    let me = Participant {
        name: "Ann".into(),
        role: Role::Carer,
    };
    let mut carer = PlanDoc::create(
        &DeviceActor::random().unwrap(),
        me,
        "scotland-national",
        &["health-wellbeing"],
        T0,
    )
    .unwrap();
    carer.set_field(&field, answer, T0 + 1).unwrap();
    let worker = carer.fork(&DeviceActor::random().unwrap());
    (carer, worker, field)
}

fn text_box(value: &str, caret: u32) -> web_sys::HtmlTextAreaElement {
    let document = web_sys::window().unwrap().document().unwrap();
    let el: web_sys::HtmlTextAreaElement = document
        .create_element("textarea")
        .unwrap()
        .dyn_into()
        .unwrap();
    document.body().unwrap().append_child(&el).unwrap();
    el.set_value(value);
    el.focus().unwrap();
    el.set_selection_range(caret, caret).unwrap();
    el
}

fn worker_types(worker: &mut PlanDoc, field: &Field, at: usize, words: &str) {
    let heads = worker.heads();
    let splice = Splice {
        at,
        delete: 0,
        insert: words.into(),
    };
    worker.type_splice(field, &heads, &splice, T0 + 5).unwrap();
}

#[wasm_bindgen_test]
fn the_caret_stays_after_its_letter_when_the_other_persons_words_land() {
    let (mut carer, mut worker, field) = plans("Mornings are busy.");
    let shown = carer.heads();
    // The carer's caret is after "Mornings".
    let el = text_box("Mornings are busy.", 8);
    // The worker types before it, right at it, and after it.
    worker_types(&mut worker, &field, 0, "😀 Oh, ");
    worker_types(&mut worker, &field, 14, " (worker)");
    worker_types(&mut worker, &field, 33, " Nights too.");
    let mut copy = worker.fork(&DeviceActor::random().unwrap());
    carer.merge(&mut copy).unwrap();
    let now = carer.field_value(&field);
    assert_eq!(now, "😀 Oh, Mornings (worker) are busy. Nights too.");
    let control = TextControl::Area(el.clone());
    set_keeping_caret(&control, &now, |at| carer.caret_now(&field, &shown, at));
    assert_eq!(el.value(), now);
    // "😀 Oh, " is 6 characters and 7 UTF-16 units: the caret moved on by
    // 7 and stays before the worker's words typed at it.
    assert_eq!(el.selection_start().unwrap(), Some(15));
    assert_eq!(el.selection_end().unwrap(), Some(15));

    // The carer's next key goes where their caret is.
    let before = el.value();
    el.set_range_text(" early").unwrap();
    el.set_selection_range(21, 21).unwrap();
    let splice = Splice::typed(&before, &el.value(), control.selection().map(|s| s.1)).unwrap();
    let heads = carer.heads();
    carer.type_splice(&field, &heads, &splice, T0 + 9).unwrap();
    assert_eq!(
        carer.field_value(&field),
        "😀 Oh, Mornings early (worker) are busy. Nights too."
    );
}

#[wasm_bindgen_test]
fn a_selection_moves_with_the_text_it_covers() {
    let (mut carer, mut worker, field) = plans("Mornings are busy.");
    let shown = carer.heads();
    // "busy" is selected.
    let el = text_box("Mornings are busy.", 13);
    el.set_selection_range(13, 17).unwrap();
    worker_types(&mut worker, &field, 0, "Most ");
    let mut copy = worker.fork(&DeviceActor::random().unwrap());
    carer.merge(&mut copy).unwrap();
    let now = carer.field_value(&field);
    set_keeping_caret(&TextControl::Area(el.clone()), &now, |at| {
        carer.caret_now(&field, &shown, at)
    });
    assert_eq!(el.selection_start().unwrap(), Some(18));
    assert_eq!(el.selection_end().unwrap(), Some(22));
}
