//! Typing: each key a person presses in an answer's box is sent as the
//! [`Splice`] it made there (where, what was removed, what was put in), and
//! made in the answer's Automerge text at the place it was made *in the
//! version of the plan the box showed*: if the other person's typing was
//! merged since, the splice is moved through it (Automerge cursors), never
//! worked out by comparing with a copy that has since changed. A caret is
//! kept after the letter it followed the same way ([`PlanDoc::caret_now`]).
//!
//! Every typed answer is text. One-line answers of plans from before are
//! plain string values: the first edit turns one into text with a change
//! made *the same on every device* ([`as_text`]): an actor, dependencies,
//! time and contents that follow from the value alone, so two devices that
//! do it at once make the very same change and their typing lands in the
//! same text.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value};
use sha2::{Digest, Sha256};

use super::document::{known_to, PlanDoc};
use super::error::{commit, DocError};
use super::part::PartDoc;
use crate::plan::ids::hex;
use crate::plan::text::{moved_through, Splice};
use crate::plan::{Field, FieldError, FieldKind, Section};

/// What a key typed in an answer's box did to the plan.
#[derive(Debug, Clone, PartialEq)]
pub struct Keyed {
    /// The part that changed.
    pub part: Section,
    /// The answer's part was at the version the box showed, so the key went
    /// where the person put it: the answer's text is now exactly the box's.
    /// `false`: it was placed through changes the box had not shown.
    pub as_shown: bool,
}

impl PlanDoc {
    /// Type into one answer: `splice` is what the person did in a box that
    /// showed the answer as it was at `shown` (the plan's heads when the
    /// box last changed, as [`PlanDoc::heads`] gave them; positions in
    /// characters). Returns the part that changed and whether the answer is
    /// now the box's text (`None`: nothing changed). An answer that would
    /// grow past its limit is refused and stays as it was.
    pub fn type_splice(
        &mut self,
        field: &Field,
        shown: &[ChangeHash],
        splice: &Splice,
        now_ms: i64,
    ) -> Result<Option<Keyed>, DocError> {
        if splice.delete == 0 && splice.insert.is_empty() {
            return Ok(None);
        }
        self.make_private_part(field)?;
        let (part, parent) = self.locate(field).ok_or_else(not_here)?;
        let doc = self.parts.get_mut(&part).ok_or_else(not_here)?;
        let key = field.path().1;
        let message = format!("Updated {}", field.section_title());
        // Refused before anything is written (even the change that makes
        // an old plan's answer text).
        // The answer read once: already text (every key but an old plan's
        // first), its length is all the check needs.
        let (held, text) = match doc.get(&parent, key)? {
            Some((Value::Object(ObjType::Text), id)) => (doc.length(&id), Some(id)),
            Some((Value::Scalar(s), _)) => (s.as_str().map_or(0, |s| s.chars().count()), None),
            _ => (0, None),
        };
        too_long(field, held, splice.len_after(held))?;
        let text = match text {
            Some(id) => Some(id),
            None => as_text(doc, &parent, key)?,
        };
        let Some(text) = text else {
            // No answer there yet (a key every part makes at its start, so
            // only in a copy from elsewhere): the splice is the whole text.
            field.validate(&splice.insert)?;
            doc.transact_with(
                |_| commit(message, now_ms),
                |tx| {
                    let id = tx.put_object(&parent, key, ObjType::Text)?;
                    tx.splice_text(&id, 0, 0, &splice.insert)
                },
            )
            .map_err(|f| DocError::from(f.error))?;
            // The box showed no answer: its text is the splice's.
            return Ok(Some(Keyed {
                part,
                as_shown: true,
            }));
        };
        let len = doc.length(&text);
        let as_shown = same_version(doc, shown);
        let (at, delete) = if as_shown {
            (
                splice.at.min(len),
                splice.delete.min(len - splice.at.min(len)),
            )
        } else {
            // Text put in goes after the letter before it; letters taken
            // out are those letters, wherever they are now.
            let then = version_of(doc, &parent, key, &text, shown);
            let then = then.as_deref();
            let end = place(
                doc,
                &parent,
                key,
                &text,
                then,
                shown,
                splice.at + splice.delete,
            );
            let at = match then {
                Some(then) if splice.delete > 0 => {
                    first_of(doc, &text, then, splice.at).unwrap_or(end)
                }
                _ => end,
            };
            (at.min(end), end.saturating_sub(at))
        };
        too_long(field, len, len - delete + splice.insert.chars().count())?;
        doc.transact_with(
            |_| commit(message, now_ms),
            |tx| tx.splice_text(&text, at, delete as isize, &splice.insert),
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(Some(Keyed { part, as_shown }))
    }

    /// Where a caret that was at `caret` (characters) in the answer as it
    /// was at `shown` belongs now: after the same letter, whatever was
    /// typed or deleted elsewhere since. The other person's words typed
    /// right at the caret go after it, so the person typing keeps typing
    /// their own words in one piece.
    pub fn caret_now(&self, field: &Field, shown: &[ChangeHash], caret: usize) -> usize {
        let Some((part, parent)) = self.locate(field) else {
            return caret;
        };
        let Some(doc) = self.parts.get(&part) else {
            return caret;
        };
        let key = field.path().1;
        match doc.get(&parent, key) {
            Ok(Some((Value::Object(ObjType::Text), text))) => {
                if same_version(doc, shown) {
                    caret.min(doc.length(&text))
                } else {
                    let then = version_of(doc, &parent, key, &text, shown);
                    place(doc, &parent, key, &text, then.as_deref(), shown, caret)
                }
            }
            _ => caret.min(self.field_value(field).chars().count()),
        }
    }

    /// The private part, made on this device the first time its notes are
    /// written.
    pub(super) fn make_private_part(&mut self, field: &Field) -> Result<(), DocError> {
        if *field == Field::PrivateNotes && !self.parts.contains_key(&Section::Private) {
            let doc = Section::Private
                .genesis(&self.plan_id)?
                .with_actor(self.actor.clone());
            self.parts.insert(Section::Private, doc);
        }
        Ok(())
    }

    /// Before a named change writes `part`: its one-line answers that are
    /// still plain values (plans from before) become text, each by the
    /// change every device makes the same, so that writing the part never
    /// replaces a text someone else is typing in.
    pub(super) fn texts_before_writing(
        &mut self,
        part: &Section,
        fields: &[Field],
    ) -> Result<(), DocError> {
        for field in fields.iter().filter(|f| f.kind() == FieldKind::Short) {
            let Some((p, parent)) = self.locate(field) else {
                continue;
            };
            if p != *part {
                continue;
            }
            if let Some(doc) = self.parts.get_mut(part) {
                as_text(doc, &parent, field.path().1)?;
            }
        }
        Ok(())
    }
}

/// An answer may not grow past its limit (one already over it may shrink).
pub(super) fn too_long(field: &Field, before: usize, after: usize) -> Result<(), DocError> {
    if after > field.max_chars() && after > before {
        return Err(FieldError::TooLong {
            len: after,
            max: field.max_chars(),
        }
        .into());
    }
    Ok(())
}

pub(super) fn not_here() -> DocError {
    DocError::WrongShape("that answer's section is not in this copy".into())
}

/// Whether the document is still at `shown` (this part's heads among them).
fn same_version(doc: &Automerge, shown: &[ChangeHash]) -> bool {
    let mut now = doc.get_heads();
    let mut then = known_to(doc, shown);
    now.sort();
    then.sort();
    now == then
}

/// The version of `text` that positions in the answer as it was at `shown`
/// refer to: `shown` itself where the answer was text then; where it was
/// still a plain value, the change that made that value text (its letters
/// are the value's letters, one for one); `None` if neither holds.
pub(super) fn version_of(
    doc: &Automerge,
    parent: &ObjId,
    key: &str,
    text: &ObjId,
    shown: &[ChangeHash],
) -> Option<Vec<ChangeHash>> {
    let then = known_to(doc, shown);
    if then.is_empty() {
        return None;
    }
    match doc.get_at(parent, key, &then) {
        Ok(Some((Value::Object(ObjType::Text), id))) if id == *text => Some(then),
        Ok(Some((Value::Scalar(s), _))) => {
            let ScalarValue::Str(old) = s.as_ref() else {
                return None;
            };
            let made = vec![holder(doc, text)?];
            (doc.text_at(text, &made).ok()? == old.as_str()).then_some(made)
        }
        _ => None,
    }
}

/// The change that holds an operation (the one that made an object).
fn holder(doc: &Automerge, op: &ObjId) -> Option<ChangeHash> {
    let ObjId::Id(counter, actor, _) = op else {
        return None;
    };
    doc.get_changes_meta(&[])
        .into_iter()
        .find(|m| *m.actor == *actor && m.start_op <= *counter && *counter <= m.max_op)
        .map(|m| m.hash)
}

/// Where the letter at `pos` of the answer as it was at `then` is now (or
/// the next one, if it was deleted since).
fn first_of(doc: &Automerge, text: &ObjId, then: &[ChangeHash], pos: usize) -> Option<usize> {
    let cursor = doc.get_cursor(text, pos, Some(then)).ok()?;
    doc.get_cursor_position(text, &cursor, None).ok()
}

/// Where position `pos` of the answer as it was at `then` (see
/// [`version_of`]) is now: after the letter it followed, through
/// Automerge's cursors. Without such a version (the answer was replaced
/// since), through the difference of the two texts.
fn place(
    doc: &Automerge,
    parent: &ObjId,
    key: &str,
    text: &ObjId,
    then: Option<&[ChangeHash]>,
    shown: &[ChangeHash],
    pos: usize,
) -> usize {
    let len = doc.length(text);
    if pos == 0 {
        return 0;
    }
    if let Some(then) = then {
        // The letter before `pos` then: still there, the place is after it;
        // deleted since, the place is where it was.
        if let Ok(cursor) = doc.get_cursor(text, pos - 1, Some(then)) {
            if let Ok(i) = doc.get_cursor_position(text, &cursor, None) {
                let still_there = i < len && doc.get_cursor(text, i, None).ok() == Some(cursor);
                return if still_there { i + 1 } else { i.min(len) };
            }
        }
    }
    let then = known_to(doc, shown);
    // The answer was a plain value then: map through the two texts.
    let old: Vec<char> = match doc.get_all_at(parent, key, &then) {
        Ok(values) => match values.last() {
            Some((Value::Scalar(s), _)) => match s.as_ref() {
                ScalarValue::Str(s) => s.chars().collect(),
                _ => Vec::new(),
            },
            Some((Value::Object(ObjType::Text), id)) => {
                doc.text_at(id, &then).unwrap_or_default().chars().collect()
            }
            _ => Vec::new(),
        },
        Err(_) => Vec::new(),
    };
    let new: Vec<char> = doc.text(text).unwrap_or_default().chars().collect();
    moved_through(&old, &new, pos)
}

/// The text of the answer at `key`, a plain string value made into text
/// first (by the change every device makes the same); `None` if there is
/// no answer there.
pub(super) fn as_text(
    doc: &mut Automerge,
    parent: &ObjId,
    key: &str,
) -> Result<Option<ObjId>, DocError> {
    match doc.get(parent, key)? {
        Some((Value::Object(ObjType::Text), id)) => return Ok(Some(id)),
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Str(_)) => {}
        None => return Ok(None),
        Some(_) => return Err(DocError::WrongShape(format!("{key} is not text"))),
    }
    // The changes that wrote every value now there: the new change depends
    // on those alone, so it is the same wherever it is made.
    let values = doc.get_all(parent, key)?;
    let mut deps: Vec<ChangeHash> = values
        .iter()
        .filter_map(|(_, id)| holder(doc, id))
        .collect();
    deps.sort();
    deps.dedup();
    let mut at = doc.fork_at(&deps)?;
    at.set_actor(conversion_actor(&deps, parent, key));
    let value = match at.get(parent, key)? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => s.to_string(),
            _ => String::new(),
        },
        _ => return Err(DocError::WrongShape(format!("{key} is not text"))),
    };
    at.transact_with(
        |_| CommitOptions::default().with_time(0),
        |tx| {
            let id = tx.put_object(parent, key, ObjType::Text)?;
            tx.splice_text(&id, 0, 0, &value)
        },
    )
    .map_err(|f| DocError::from(f.error))?;
    let change = at
        .get_last_local_change()
        .ok_or_else(|| DocError::Change("the answer could not be made text".into()))?;
    doc.apply_changes([change])?;
    match doc.get(parent, key)? {
        Some((Value::Object(ObjType::Text), id)) => Ok(Some(id)),
        _ => Err(DocError::Change("the answer could not be made text".into())),
    }
}

/// The actor of the change that makes a plain answer text: one of the
/// app's own (history leaves it out, like a part's first change), named by
/// what it changes, so every device names it the same.
fn conversion_actor(deps: &[ChangeHash], parent: &ObjId, key: &str) -> automerge::ActorId {
    let mut h = Sha256::new();
    for d in deps {
        h.update(d.as_ref());
    }
    h.update(parent.to_string().as_bytes());
    h.update([0]);
    h.update(key.as_bytes());
    let digest = h.finalize();
    automerge::ActorId::from(format!("genesis-text-{}", hex(&digest[..16])).into_bytes())
}
