//! Keeping the person's caret where it was when a text box's value is
//! replaced from elsewhere (another tab's edit of the same answer).

use crate::plan::text::common_ends;

/// A text box of either kind.
pub enum TextControl {
    Area(web_sys::HtmlTextAreaElement),
    Line(web_sys::HtmlInputElement),
}

impl TextControl {
    fn value(&self) -> String {
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
    fn selection(&self) -> Option<(u32, u32)> {
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
    fn select(&self, start: u32, end: u32) {
        // A box that cannot take a selection keeps the browser's caret.
        let _ = match self {
            TextControl::Area(e) => e.set_selection_range(start, end),
            TextControl::Line(e) => e.set_selection_range(start, end),
        };
    }
}

/// Where a caret at `at` in `old` belongs in `new` (UTF-16 units): before
/// the changed stretch it stays, after it it moves with the text, inside
/// it it goes to the end of what was put there.
fn map_caret(old: &[u16], new: &[u16], at: usize) -> usize {
    let (prefix, suffix) = common_ends(old, new);
    if at <= prefix {
        at
    } else if at >= old.len() - suffix {
        (at + new.len()).saturating_sub(old.len())
    } else {
        new.len() - suffix
    }
}

/// Show `new` in the box, keeping the person's caret or selection where
/// they had it if they are typing there.
pub fn set_keeping_caret(el: &TextControl, new: &str) {
    let old = el.value();
    if old == new {
        return;
    }
    let selection = el.selection();
    el.set_value(new);
    if let Some((start, end)) = selection {
        let (o, n): (Vec<u16>, Vec<u16>) =
            (old.encode_utf16().collect(), new.encode_utf16().collect());
        let start = map_caret(&o, &n, start as usize) as u32;
        let end = map_caret(&o, &n, end as usize) as u32;
        el.select(start, end.max(start));
    }
}
