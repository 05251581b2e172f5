//! Editing a plan: one typed answer (a splice of its text, so a keystroke
//! is a small change), or a structural change through the plan's values
//! (only the parts whose values changed get a change).

use automerge::transaction::Transactable;
use automerge::{ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value};

use super::typing::as_text;

use super::document::{known_to, PlanDoc};
use super::error::{commit, DocError};
use super::part::PartDoc;
use super::path::parent_of;
use crate::plan::framework::Framework;
use crate::plan::text::common_ends;
use crate::plan::{DeviceActor, Edit, Field, Participant, Plan, Section};

impl PlanDoc {
    /// The part holding `field`, and the map inside it that holds the answer.
    pub(super) fn locate(&self, field: &Field) -> Option<(Section, ObjId)> {
        // Every part has the root map, so the answer's own key must be
        // there too: a part's first change makes every key it owns.
        let key = field.path().1;
        let holds = |p: &Section, d: &automerge::Automerge| {
            let parent = parent_of(d, field).ok()?;
            d.get(&parent, key).ok()?.map(|_| (p.clone(), parent))
        };
        // Its own section's part first (the only one, but for an action
        // that came from a wellbeing area): a keystroke looks in one part.
        let home = field.section_of_kind();
        self.parts
            .get_key_value(&home)
            .and_then(|(p, d)| holds(p, d))
            .or_else(|| {
                self.parts
                    .iter()
                    .filter(|(p, _)| **p != home)
                    .find_map(|(p, d)| holds(p, d))
            })
    }

    /// The current text of one answer ("" if it has none yet).
    pub fn field_value(&self, field: &Field) -> String {
        let Some((part, parent)) = self.locate(field) else {
            return String::new();
        };
        let Some(doc) = self.parts.get(&part) else {
            return String::new();
        };
        match doc.get(&parent, field.path().1) {
            Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).unwrap_or_default(),
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(v) => v.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// The text of one answer as it was at `heads` (as [`Self::heads`]
    /// gave them; "" if it had none then).
    pub fn field_value_at(&self, field: &Field, heads: &[ChangeHash]) -> String {
        let Some((part, parent)) = self.locate(field) else {
            return String::new();
        };
        let Some(doc) = self.parts.get(&part) else {
            return String::new();
        };
        let at = known_to(doc, heads);
        if at.is_empty() {
            return String::new();
        }
        match doc.get_at(&parent, field.path().1, &at) {
            Ok(Some((Value::Object(ObjType::Text), id))) => {
                doc.text_at(&id, &at).unwrap_or_default()
            }
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(v) => v.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// Re-read one part into `plan` (the plan as [`Self::plan`] gave it
    /// before that part changed): the rest of `plan` is left as it is, so
    /// the cost is that part's, not the plan's.
    pub fn read_part(&self, part: &Section, plan: &mut Plan) -> Result<(), DocError> {
        let doc = self.parts.get(part).ok_or_else(|| {
            DocError::WrongShape("that answer's section is not in this copy".into())
        })?;
        // Reading a part puts its actions last; the list keeps the order
        // it had (as reading every part gave it), new ones at the end.
        let order: Vec<String> = plan.actions.iter().map(|a| a.id.clone()).collect();
        part.read(&super::at::At::now(doc), plan)?;
        if !order.is_empty() {
            plan.actions.sort_by_key(|a| {
                order
                    .iter()
                    .position(|id| *id == a.id)
                    .unwrap_or(usize::MAX)
            });
        }
        Ok(())
    }

    /// Set one typed answer to a whole value (a choice on the conflicts
    /// page, a test): the one splice between the stored text and `value`.
    /// Typing goes through [`Self::type_splice`]. Returns whether anything changed. A value that
    /// fails [`Field::validate`] is refused and the stored answer stays.
    pub fn set_field(&mut self, field: &Field, value: &str, now_ms: i64) -> Result<bool, DocError> {
        Ok(self.type_answer(field, value, now_ms)?.is_some())
    }

    /// [`Self::set_field`], saying which part changed (`None`: nothing did).
    /// A keystroke touches only that part: the app re-reads only it
    /// ([`PlanDoc::read_part`]) and stores only its new change.
    pub fn type_answer(
        &mut self,
        field: &Field,
        value: &str,
        now_ms: i64,
    ) -> Result<Option<Section>, DocError> {
        field.validate(value)?;
        self.make_private_part(field)?;
        let (part, parent) = self.locate(field).ok_or_else(|| {
            DocError::WrongShape("that answer's section is not in this copy".into())
        })?;
        let doc = self.parts.get_mut(&part).ok_or_else(|| {
            DocError::WrongShape("that answer's section is not in this copy".into())
        })?;
        let key = field.path().1;
        // Every answer is text (a one-line answer from before becomes text
        // first, by the change every device makes the same).
        let target = match as_text(doc, &parent, key)? {
            Some(id) => {
                let old = doc.text(&id)?;
                if old == value {
                    return Ok(None);
                }
                Some((id, splice_between(&old, value)))
            }
            None => None,
        };
        let message = format!("Updated {}", field.section_title());
        doc.transact_with(
            |_| commit(message, now_ms),
            |tx| match &target {
                // One splice where the old and new text differ: a keystroke
                // costs a comparison, not a full diff of a long answer.
                Some((id, (at, del, ins))) => tx.splice_text(id, *at, *del, ins),
                None => {
                    let id = tx.put_object(&parent, key, ObjType::Text)?;
                    tx.update_text(&id, value)
                }
            },
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(Some(part))
    }

    /// Make a structural change (add a person, set a rating) through the
    /// plan's Rust values. Only the parts whose values changed get a change;
    /// a part the plan now needs and this copy lacks (a new wellbeing area)
    /// is made. The plan's id and format version cannot be changed this way.
    pub fn change<F>(&mut self, message: &str, now_ms: i64, f: F) -> Result<bool, DocError>
    where
        F: Fn(&mut Plan),
    {
        let before = self.plan()?;
        self.change_from(before, message, now_ms, f)
    }

    /// [`Self::change`] from the plan's values already read (`before`), so
    /// a caller that had to read them first does not read them twice.
    fn change_from<F>(
        &mut self,
        before: Plan,
        message: &str,
        now_ms: i64,
        f: F,
    ) -> Result<bool, DocError>
    where
        F: Fn(&mut Plan),
    {
        let mut after = before.clone();
        f(&mut after);
        if after == before {
            return Ok(false);
        }
        let mut changed = false;
        let starting = self.parts.is_empty();
        for part in Section::parts_for(&after) {
            if !self.parts.contains_key(&part) {
                // A copy that was given only some sections never grows the
                // others back: only a new plan's parts and newly added
                // areas are made here.
                let new_area =
                    matches!(&part, Section::Area(i) if !before.wellbeing.contains_key(i));
                if !(starting || new_area) {
                    continue;
                }
                let doc = part.genesis(&self.plan_id)?.with_actor(self.actor.clone());
                self.parts.insert(part.clone(), doc);
            }
            if part.project(&after) == part.project(&before) {
                continue;
            }
            // One-line answers still plain values become text first, so
            // writing the part never replaces text someone is typing in.
            self.texts_before_writing(&part, &Field::all_in(&before))?;
            let Some(doc) = self.parts.get_mut(&part) else {
                continue;
            };
            // Hydrate inside the transaction: a transaction's base heads can
            // differ from the document's (it also depends on this actor's own
            // last change), and autosurgeon's Text checks they match.
            let result = doc.transact_with(
                |_| commit(message, now_ms),
                |tx| -> Result<bool, DocError> {
                    let mut mine = before.clone();
                    part.read(tx, &mut mine)?;
                    let mut target = mine.clone();
                    f(&mut target);
                    if part.project(&target) == part.project(&mine) {
                        return Ok(false);
                    }
                    part.write(tx, &target)?;
                    Ok(true)
                },
            );
            match result {
                Ok(s) => changed |= s.result,
                Err(f) => return Err(f.error),
            }
        }
        Ok(changed)
    }

    /// Make one of the plan's named changes (see [`Edit`]), with its own
    /// history line. Returns whether anything changed.
    pub fn apply(&mut self, edit: &Edit, now_ms: i64) -> Result<bool, DocError> {
        let before = self.plan()?;
        edit.check(&before)?;
        self.change_from(before, &edit.message(), now_ms, |plan| edit.apply(plan))
    }

    /// Use another framework. Areas it has that the plan lacks are added;
    /// nothing already written is removed, so switching back finds every word.
    pub fn use_framework(&mut self, framework: &Framework, now_ms: i64) -> Result<bool, DocError> {
        let edit = Edit::UseFramework {
            framework: framework.id.clone(),
        };
        self.apply(&edit, now_ms)
    }

    /// Record who this device's actor is, once (or when the name or role changes).
    /// Who the device `actor` is in the plan, if the plan says: read from
    /// the plan's own part only (opening a plan asks this every time).
    pub fn participant(&self, actor: &DeviceActor) -> Option<Participant> {
        let mut plan = Plan::default();
        self.read_part(&Section::Plan, &mut plan).ok()?;
        plan.participants.remove(actor.as_str())
    }

    pub fn ensure_participant(
        &mut self,
        actor: &DeviceActor,
        me: Participant,
        now_ms: i64,
    ) -> Result<bool, DocError> {
        let message = format!("{} joined as {}", me.name, me.role.noun());
        self.change(&message, now_ms, |plan| {
            plan.participants
                .insert(actor.as_str().to_owned(), me.clone());
        })
    }
}

/// Where `new` differs from `old`, in code points (the document's text
/// indexes): the position, how many to delete there, and what to insert.
fn splice_between(old: &str, new: &str) -> (usize, isize, String) {
    let old: Vec<char> = old.chars().collect();
    let new: Vec<char> = new.chars().collect();
    let (prefix, suffix) = common_ends(&old, &new);
    let deleted = old.len() - prefix - suffix;
    let inserted: String = new[prefix..new.len() - suffix].iter().collect();
    (prefix, deleted as isize, inserted)
}
