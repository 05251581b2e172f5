//! A text box's value, caret and selection: read as the person types (the
//! caret says where a key was typed), and kept in place when the value is
//! replaced from elsewhere (the other person's typing, another tab's edit).
//! Where the caret goes is for the caller to say (`PlanDoc::caret_now`
//! maps it through the change itself, not by comparing two texts, which
//! cannot tell which of two repeated letters moved).

use wasm_bindgen::JsCast;

use crate::plan::text::{chars_in, utf16_at};

/// A text box of either kind.
pub enum TextControl {
    Area(web_sys::HtmlTextAreaElement),
    Line(web_sys::HtmlInputElement),
}

impl TextControl {
    /// The text box an event (`input`) happened in.
    pub fn of_event(ev: &web_sys::Event) -> Option<TextControl> {
        let target = ev.target()?;
        match target.dyn_into::<web_sys::HtmlTextAreaElement>() {
            Ok(e) => Some(TextControl::Area(e)),
            Err(t) => t
                .dyn_into::<web_sys::HtmlInputElement>()
                .ok()
                .map(TextControl::Line),
        }
    }

    pub fn value(&self) -> String {
        match self {
            TextControl::Area(e) => e.value(),
            TextControl::Line(e) => e.value(),
        }
    }

    fn set_value(&self, v: &str) {
        match self {
            TextControl::Area(e) => e.set_value(v),
            TextControl::Line(e) => e.set_value(v),
        }
    }

    /// The selection, in UTF-16 units; `None` where the browser has none
    /// (email inputs) or the box is not being typed in.
    pub fn selection(&self) -> Option<(u32, u32)> {
        let focused = web_sys::window()
            .and_then(|w| w.document())
            .and_then(|d| d.active_element());
        let (el, sel): (&web_sys::Element, _) = match self {
            TextControl::Area(e) => (
                e,
                e.selection_start()
                    .ok()
                    .flatten()
                    .zip(e.selection_end().ok().flatten()),
            ),
            TextControl::Line(e) => (
                e,
                e.selection_start()
                    .ok()
                    .flatten()
                    .zip(e.selection_end().ok().flatten()),
            ),
        };
        (focused.as_ref() == Some(el)).then_some(sel).flatten()
    }

    /// Select from `start` to `end` (UTF-16 units; equal: the caret there).
    pub fn select(&self, start: u32, end: u32) {
        // A box that cannot take a selection keeps the browser's caret.
        let _ = match self {
            TextControl::Area(e) => e.set_selection_range(start, end),
            TextControl::Line(e) => e.set_selection_range(start, end),
        };
    }
}

/// Show `new` in the box. If the person is typing there, their caret (or
/// selection) goes where `place` says: given a position in what the box
/// showed (in characters), where it belongs in `new`.
pub fn set_keeping_caret(el: &TextControl, new: &str, place: impl Fn(usize) -> usize) {
    let old = el.value();
    if old == new {
        return;
    }
    let selection = el.selection();
    el.set_value(new);
    if let Some((start, end)) = selection {
        let len = new.chars().count();
        let moved = |at: u32| utf16_at(new, place(chars_in(&old, at as usize)).min(len)) as u32;
        let (start, end) = (moved(start), moved(end));
        el.select(start, end.max(start));
    }
}
