//! Where two people changed the same answer at the same time.
//!
//! Two kinds, both shown to the person so nothing is silently dropped:
//! * **Choices and short answers** (a rating, a phone number) are Automerge
//!   registers: after a merge the document keeps *both* values
//!   ([`automerge::ReadDoc::get_all`]) until someone picks one. Every device
//!   that has both changes sees the conflict, found by [`choice_conflicts`].
//! * **Long answers** are Automerge text: both people's edits are merged
//!   character by character, which can read oddly. So when a copy is added,
//!   each long answer that *both* sides changed since they last had the same
//!   version is reported with the two versions and the merged result
//!   ([`text_conflicts`]), for the person to keep one, or the combination.

use std::collections::BTreeSet;

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};

use super::actor::device_of;
use super::error::{commit, DocError};
use super::path::{resolve, MAX_DEPTH};
use super::PlanDoc;
use crate::plan::field::PathStep;
use crate::plan::{Field, FieldKind, Section};

/// A long answer both sides changed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TextConflict {
    pub field: Field,
    /// This device's version before the copy was added.
    pub mine: String,
    /// The version in the copy that was added.
    pub theirs: String,
    /// What the merge made of the two.
    pub merged: String,
}

/// A choice or short answer with two (or more) values after a merge.
#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceConflict {
    pub part: Section,
    pub path: Vec<PathStep>,
    pub key: String,
    pub values: Vec<ChoiceValue>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChoiceValue {
    pub value: ScalarValue,
    /// The device that wrote it, if a person did.
    pub by: Option<String>,
}

impl ChoiceValue {
    /// The value as text ("" for none).
    pub fn text(&self) -> String {
        match &self.value {
            ScalarValue::Str(s) => s.to_string(),
            ScalarValue::Int(i) => i.to_string(),
            ScalarValue::Uint(u) => u.to_string(),
            ScalarValue::Boolean(b) => if *b { "yes" } else { "no" }.into(),
            ScalarValue::F64(f) => f.to_string(),
            ScalarValue::Null => String::new(),
            other => other.to_string(),
        }
    }
}

/// The heads of the changes two copies have in common, per part: where
/// they last agreed.
fn common_heads(mine: &PlanDoc, theirs: &PlanDoc) -> Vec<ChangeHash> {
    let mut out = Vec::new();
    for part in mine.parts() {
        let (Some(a), Some(b)) = (mine.part_doc(part), theirs.part_doc(part)) else {
            continue;
        };
        let common: Vec<_> = b
            .get_changes(&[])
            .into_iter()
            .filter(|c| a.get_change_by_hash(&c.hash()).is_some())
            .collect();
        let deps: BTreeSet<ChangeHash> = common.iter().flat_map(|c| c.deps().to_vec()).collect();
        out.extend(
            common
                .iter()
                .map(|c| c.hash())
                .filter(|h| !deps.contains(h)),
        );
    }
    out
}

/// The long answers both copies changed since they last agreed, with what
/// a merge of the two makes of each. Call before merging `theirs` in.
pub fn text_conflicts(mine: &PlanDoc, theirs: &PlanDoc) -> Result<Vec<TextConflict>, DocError> {
    let base = mine.at(&common_heads(mine, theirs))?;
    let mut merged = mine.fork_for_preview();
    merged.merge(&mut theirs.fork_for_preview())?;
    let plan = merged.plan()?;
    let mut out = Vec::new();
    for field in Field::all_in(&plan) {
        if field.kind() != FieldKind::Long {
            continue;
        }
        let b = base.field_value(&field);
        let m = mine.field_value(&field);
        let t = theirs.field_value(&field);
        if m != b && t != b && m != t {
            out.push(TextConflict {
                merged: merged.field_value(&field),
                field,
                mine: m,
                theirs: t,
            });
        }
    }
    Ok(out)
}

/// Every choice or short answer that holds more than one value.
pub fn choice_conflicts(doc: &PlanDoc) -> Vec<ChoiceConflict> {
    let mut out = Vec::new();
    for part in doc.parts() {
        if let Some(d) = doc.part_doc(part) {
            walk(d, part, ROOT, &mut Vec::new(), &mut out);
        }
    }
    out
}

fn walk(
    doc: &Automerge,
    part: &Section,
    obj: ObjId,
    path: &mut Vec<PathStep>,
    out: &mut Vec<ChoiceConflict>,
) {
    if path.len() > MAX_DEPTH {
        return;
    }
    match doc.object_type(&obj) {
        Ok(ObjType::Map) => {
            for key in doc.keys(&obj).collect::<Vec<_>>() {
                let all = doc.get_all(&obj, key.as_str()).unwrap_or_default();
                if all.len() > 1 && all.iter().all(|(v, _)| matches!(v, Value::Scalar(_))) {
                    out.push(ChoiceConflict {
                        part: part.clone(),
                        path: path.clone(),
                        key: key.clone(),
                        values: all
                            .iter()
                            .filter_map(|(v, id)| match v {
                                Value::Scalar(s) => Some(ChoiceValue {
                                    value: s.as_ref().clone(),
                                    by: op_actor(id),
                                }),
                                Value::Object(_) => None,
                            })
                            .collect(),
                    });
                }
                if let Ok(Some((Value::Object(ObjType::Map | ObjType::List), child))) =
                    doc.get(&obj, key.as_str())
                {
                    path.push(PathStep::Key(key.clone()));
                    walk(doc, part, child, path, out);
                    path.pop();
                }
            }
        }
        Ok(ObjType::List) => {
            // One pass over the list (indexing each item is slow on long lists).
            let maps: Vec<ObjId> = doc
                .list_range(&obj, ..)
                .filter_map(|item| {
                    let id = item.id();
                    let value: Value<'static> = item.value.into();
                    matches!(value, Value::Object(ObjType::Map)).then_some(id)
                })
                .collect();
            for item in maps {
                let id = match doc.get(&item, "id") {
                    Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                        ScalarValue::Str(s) => s.to_string(),
                        _ => continue,
                    },
                    _ => continue,
                };
                path.push(PathStep::Item(id));
                walk(doc, part, item, path, out);
                path.pop();
            }
        }
        _ => {}
    }
}

fn op_actor(id: &ObjId) -> Option<String> {
    match id {
        ObjId::Id(_, actor, _) => device_of(actor),
        ObjId::Root => None,
    }
}

fn find(doc: &Automerge, path: &[PathStep]) -> Option<ObjId> {
    resolve(doc, path).ok()
}

impl PlanDoc {
    /// Settle a choice conflict with one of its values (the person's pick).
    pub fn resolve_choice(
        &mut self,
        conflict: &ChoiceConflict,
        pick: &ScalarValue,
        message: &str,
        now_ms: i64,
    ) -> Result<(), DocError> {
        let doc = self
            .part_doc_mut(&conflict.part)
            .ok_or_else(|| DocError::Change("that section is not in this copy".into()))?;
        let obj = find(doc, &conflict.path)
            .ok_or_else(|| DocError::Change("that answer is no longer in the plan".into()))?;
        let key = conflict.key.clone();
        doc.transact_with(
            |_| commit(message, now_ms),
            |tx| tx.put(&obj, key.as_str(), pick.clone()),
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(())
    }
}
