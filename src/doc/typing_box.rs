//! Typing in a box whose keys are made in a copy of the plan somewhere
//! else (the engine worker's), one after another, while the box goes on
//! taking keys without waiting for each to be made.
//!
//! [`PlanDoc::type_splice`] places one key by the version of the plan the
//! box showed. That is enough when each key is made before the next is
//! typed: a key placed through someone else's change is answered with the
//! answer's new text, and the box shows it before its next key. When keys
//! are made elsewhere, the box types on before it hears: its next key's
//! place is in the box's own text, which the plan's version after the
//! last key does not describe (that version also holds the change the key
//! was placed through, which the box has not shown). So the copy keeps
//! what the box shows as a [`BoxView`]: for each letter the box shows, the
//! letter of the Automerge text it is (a cursor), or none for a letter
//! that is not in the text (the answer was replaced since the box showed
//! it). A key is made by those letters, wherever they are now: text put in
//! goes after the letter before it, letters taken out are those letters.
//! Nobody's words are split or lost, however the keys and the other
//! person's changes interleave.

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, Cursor, ObjId, ObjType, ReadDoc, Value};

use super::document::PlanDoc;
use super::error::{commit, DocError};
use super::typing::{as_text, not_here, too_long, version_of, Keyed};
use crate::plan::text::{common_ends, Splice};
use crate::plan::Field;

/// What a box shows of one answer, letter by letter, in a copy that makes
/// its keys: made by [`PlanDoc::box_view`] when the box is shown the
/// answer, and moved on by every key ([`PlanDoc::type_in_box`]).
#[derive(Debug, Clone)]
pub struct BoxView {
    field: Field,
    /// The plan's heads the box was given the answer with.
    shown: Vec<ChangeHash>,
    /// Whether `letters` are found yet: an answer that was not text when
    /// the box was shown (a plain value of a plan from before, made text
    /// by the first key; or none yet) has its letters found then.
    found: bool,
    /// The box's text.
    text: Vec<char>,
    /// For each of its letters, the text's letter it is (`None`: not in
    /// the text, so it cannot be taken out and nothing is put after it).
    letters: Vec<Option<Cursor>>,
}

impl BoxView {
    /// The box's text, as the keys made so far leave it.
    pub fn text(&self) -> String {
        self.text.iter().collect()
    }

    pub fn field(&self) -> &Field {
        &self.field
    }
}

impl PlanDoc {
    /// A box for `field` that shows `shown_text`, the answer as it was at
    /// `shown` (the plan's heads the box was given with it). Letters of
    /// the answer at that version are found in the text by their
    /// cursors; if the answer is not that text there (replaced since, or
    /// a version this copy does not hold), its letters are matched with
    /// the text now by their common beginning and end.
    pub fn box_view(&self, field: &Field, shown: &[ChangeHash], shown_text: &str) -> BoxView {
        let text: Vec<char> = shown_text.chars().collect();
        let letters = self
            .answer_text(field)
            .map(|(doc, parent, obj)| letters_of(doc, &parent, field, &obj, shown, &text));
        BoxView {
            field: field.clone(),
            shown: shown.to_vec(),
            found: letters.is_some(),
            letters: letters.unwrap_or_default(),
            text,
        }
    }

    /// Type `splice` (made in the box's own text) by the letters the box
    /// shows. Returns the part that changed and whether the answer is now
    /// exactly the box's text (`None`: nothing changed). An answer that
    /// would grow past its limit is refused, and nothing changes.
    pub fn type_in_box(
        &mut self,
        view: &mut BoxView,
        splice: &Splice,
        now_ms: i64,
    ) -> Result<Option<Keyed>, DocError> {
        if splice.delete == 0 && splice.insert.is_empty() {
            return Ok(None);
        }
        let at = splice.at.min(view.text.len());
        let end = (at + splice.delete).min(view.text.len());
        let field = view.field.clone();
        self.make_private_part(&field)?;
        let (part, parent) = self.locate(&field).ok_or_else(not_here)?;
        let doc = self.parts.get_mut(&part).ok_or_else(not_here)?;
        let key = field.path().1;
        let message = format!("Updated {}", field.section_title());
        let inserted = splice.insert.chars().count();
        let obj = match doc.get(&parent, key)? {
            Some((Value::Object(ObjType::Text), id)) => Some(id),
            Some((Value::Scalar(s), _)) => {
                // Refused before the change that makes it text is written.
                let held = s.as_str().map_or(0, |s| s.chars().count());
                too_long(&field, held, splice.len_after(held))?;
                as_text(doc, &parent, key)?
            }
            _ => None,
        };
        if let (false, Some(obj)) = (view.found, &obj) {
            view.letters = letters_of(doc, &parent, &field, obj, &view.shown, &view.text);
            view.found = true;
        }
        let Some(obj) = obj else {
            // No answer there yet: the box's text becomes the answer.
            let mut text = view.text.clone();
            text.splice(at..end, splice.insert.chars());
            let whole: String = text.iter().collect();
            field.validate(&whole)?;
            doc.transact_with(
                |_| commit(message, now_ms),
                |tx| {
                    let id = tx.put_object(&parent, key, ObjType::Text)?;
                    tx.splice_text(&id, 0, 0, &whole)
                },
            )
            .map_err(|f| DocError::from(f.error))?;
            let obj = match doc.get(&parent, key)? {
                Some((Value::Object(ObjType::Text), id)) => id,
                _ => return Err(not_here()),
            };
            view.letters = cursors(doc, &obj, 0, text.len());
            view.found = true;
            view.text = text;
            return Ok(Some(Keyed {
                part,
                as_shown: true,
            }));
        };
        // Where the letters taken out are now (those still there).
        let mut gone: Vec<usize> = view.letters[at..end]
            .iter()
            .flatten()
            .filter_map(|c| still_at(doc, &obj, c))
            .collect();
        gone.sort_unstable();
        gone.dedup();
        let len = doc.length(&obj);
        too_long(&field, len, len - gone.len() + inserted)?;
        let place = doc
            .transact_with(
                |_| commit(message, now_ms),
                |tx| {
                    // From the end, so each run's place is still right.
                    for (start, run) in runs(&gone).into_iter().rev() {
                        tx.splice_text(&obj, start, run as isize, "")?;
                    }
                    let place = after(tx, &obj, &view.letters[..at]);
                    if inserted > 0 {
                        tx.splice_text(&obj, place, 0, &splice.insert)?;
                    }
                    Ok::<_, automerge::AutomergeError>(place)
                },
            )
            .map_err(|f| DocError::from(f.error))?
            .result;
        // The letters put in, where they were put.
        let new = cursors(doc, &obj, place, inserted);
        view.letters.splice(at..end, new);
        view.text.splice(at..end, splice.insert.chars());
        let now: Vec<char> = doc.text(&obj).unwrap_or_default().chars().collect();
        Ok(Some(Keyed {
            part,
            as_shown: now == view.text,
        }))
    }

    /// Where a caret at `caret` in the box belongs in the answer as it is
    /// now: after the letter it followed (or the one before that, if it
    /// was taken out), so a box given the answer anew keeps the person's
    /// place.
    pub fn box_caret(&self, view: &BoxView, caret: usize) -> usize {
        let caret = caret.min(view.text.len());
        let Some((doc, parent, obj)) = self.answer_text(&view.field) else {
            return caret;
        };
        // An answer made text since the box was shown: its letters now.
        let found;
        let letters = if view.found {
            &view.letters
        } else {
            found = letters_of(doc, &parent, &view.field, &obj, &view.shown, &view.text);
            &found
        };
        after(doc, &obj, &letters[..caret.min(letters.len())])
    }

    /// The answer's part, its parent object and its text object, if the
    /// answer is text in this copy.
    fn answer_text(&self, field: &Field) -> Option<(&Automerge, ObjId, ObjId)> {
        let (part, parent) = self.locate(field)?;
        let doc = self.parts.get(&part)?;
        match doc.get(&parent, field.path().1).ok()? {
            Some((Value::Object(ObjType::Text), id)) => Some((doc, parent, id)),
            _ => None,
        }
    }
}

/// The text's letter for each letter of `shown_text`, the answer as a box
/// showed it at `shown`.
fn letters_of(
    doc: &Automerge,
    parent: &ObjId,
    field: &Field,
    obj: &ObjId,
    shown: &[ChangeHash],
    shown_text: &[char],
) -> Vec<Option<Cursor>> {
    if let Some(then) = version_of(doc, parent, field.path().1, obj, shown) {
        let there: Vec<char> = doc
            .text_at(obj, &then)
            .unwrap_or_default()
            .chars()
            .collect();
        if there == shown_text {
            return doc
                .list_range_at(obj, .., &then)
                .map(|item| Cursor::try_from(item.id().to_string().as_str()).ok())
                .collect();
        }
    }
    // Matched by the two texts' common beginning and end; the letters
    // between are the box's alone.
    let now: Vec<char> = doc.text(obj).unwrap_or_default().chars().collect();
    let (prefix, suffix) = common_ends(shown_text, &now);
    let mut out = cursors(doc, obj, 0, prefix);
    out.resize(shown_text.len() - suffix, None);
    out.extend(cursors(doc, obj, now.len() - suffix, suffix));
    out
}

/// Cursors of `count` letters of the text from `from`, as it is now.
fn cursors(doc: &Automerge, obj: &ObjId, from: usize, count: usize) -> Vec<Option<Cursor>> {
    doc.list_range(obj, from..from + count)
        .map(|item| Cursor::try_from(item.id().to_string().as_str()).ok())
        .collect()
}

/// Where a letter is now, if it is still in the text.
fn still_at(doc: &impl ReadDoc, obj: &ObjId, cursor: &Cursor) -> Option<usize> {
    let i = doc.get_cursor_position(obj, cursor, None).ok()?;
    (doc.get_cursor(obj, i, None).ok().as_ref() == Some(cursor)).then_some(i)
}

/// The place after the last of `before` still in the text (the start if
/// none is).
fn after(doc: &impl ReadDoc, obj: &ObjId, before: &[Option<Cursor>]) -> usize {
    before
        .iter()
        .rev()
        .flatten()
        .find_map(|c| still_at(doc, obj, c))
        .map_or(0, |i| i + 1)
}

/// Sorted positions as runs of consecutive ones: (start, length).
fn runs(sorted: &[usize]) -> Vec<(usize, usize)> {
    let mut out: Vec<(usize, usize)> = Vec::new();
    for &i in sorted {
        match out.last_mut() {
            Some((start, len)) if *start + *len == i => *len += 1,
            _ => out.push((i, 1)),
        }
    }
    out
}
