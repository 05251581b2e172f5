//! Where two people changed the same answer at the same time.
//!
//! Two kinds, both shown to the person so nothing is silently dropped:
//! * **Choices** (a rating, yes or no) are Automerge registers: after a
//!   merge the document keeps *both* values ([`automerge::ReadDoc::get_all`])
//!   until someone picks one. Every device that has both changes sees the
//!   conflict, found by [`choice_conflicts`] (so do one-line answers of
//!   plans from before, while they are still plain values).
//! * **Typed answers**, long and one-line, are Automerge text: both people's
//!   edits are merged letter by letter, each person's words kept whole.
//!   Where both changed the *same words* (both rewrote the answer while
//!   apart), the merge can read oddly: when a copy or a live change is
//!   added, each such answer is reported with the two versions and the
//!   merged result ([`text_conflicts`]), for the person to keep one, or the
//!   combination, on the conflicts page.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};
use serde::{Deserialize, Serialize};

use super::actor::device_of;
use super::error::{commit, DocError};
use super::path::{resolve, MAX_DEPTH};
use super::PlanDoc;
use crate::plan::field::PathStep;
use crate::plan::text::edits_collide;
use crate::plan::{Field, Plan, Section};

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
/// serde: read by the engine worker for the screens (`Reading::Conflicts`),
/// and sent back with the value the person keeps.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceConflict {
    pub part: Section,
    pub path: Vec<PathStep>,
    pub key: String,
    pub values: Vec<ChoiceValue>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChoiceValue {
    pub value: Scalar,
    /// The device that wrote it, if a person did.
    pub by: Option<String>,
}

/// One of Automerge's scalar values, whole, in a form that crosses the
/// page's protocol (and needs no Automerge to read): what a choice holds,
/// and so what is put back when the person keeps it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Scalar {
    Str(String),
    Int(i64),
    Uint(u64),
    F64(f64),
    Boolean(bool),
    Null,
    Timestamp(i64),
    Counter(i64),
    Bytes(Vec<u8>),
    Unknown { type_code: u8, bytes: Vec<u8> },
}

impl From<&ScalarValue> for Scalar {
    fn from(v: &ScalarValue) -> Self {
        match v {
            ScalarValue::Str(s) => Scalar::Str(s.to_string()),
            ScalarValue::Int(i) => Scalar::Int(*i),
            ScalarValue::Uint(u) => Scalar::Uint(*u),
            ScalarValue::F64(f) => Scalar::F64(*f),
            ScalarValue::Boolean(b) => Scalar::Boolean(*b),
            ScalarValue::Null => Scalar::Null,
            ScalarValue::Timestamp(t) => Scalar::Timestamp(*t),
            ScalarValue::Counter(c) => Scalar::Counter(i64::from(c)),
            ScalarValue::Bytes(b) => Scalar::Bytes(b.clone()),
            ScalarValue::Unknown { type_code, bytes } => Scalar::Unknown {
                type_code: *type_code,
                bytes: bytes.clone(),
            },
        }
    }
}

impl From<&Scalar> for ScalarValue {
    fn from(v: &Scalar) -> Self {
        match v {
            Scalar::Str(s) => ScalarValue::Str(s.as_str().into()),
            Scalar::Int(i) => ScalarValue::Int(*i),
            Scalar::Uint(u) => ScalarValue::Uint(*u),
            Scalar::F64(f) => ScalarValue::F64(*f),
            Scalar::Boolean(b) => ScalarValue::Boolean(*b),
            Scalar::Null => ScalarValue::Null,
            Scalar::Timestamp(t) => ScalarValue::Timestamp(*t),
            Scalar::Counter(c) => ScalarValue::counter(*c),
            Scalar::Bytes(b) => ScalarValue::Bytes(b.clone()),
            Scalar::Unknown { type_code, bytes } => ScalarValue::Unknown {
                type_code: *type_code,
                bytes: bytes.clone(),
            },
        }
    }
}

impl ChoiceValue {
    /// The value as text ("" for none).
    pub fn text(&self) -> String {
        self.text_with(|f| f.to_string())
    }

    /// The value as text, a number with a fraction written by `decimal`
    /// (the page passes the browser's own, so it links no floating-point
    /// formatting: issue #21). Such numbers, bytes and values of a type
    /// Automerge does not know are never written by this app: they come
    /// only from a copy another program changed, and are shown as they are
    /// (bytes in hex).
    pub fn text_with(&self, decimal: fn(f64) -> String) -> String {
        match &self.value {
            Scalar::Str(s) => s.clone(),
            Scalar::Int(i) | Scalar::Timestamp(i) | Scalar::Counter(i) => i.to_string(),
            Scalar::Uint(u) => u.to_string(),
            Scalar::Boolean(b) => if *b { "yes" } else { "no" }.into(),
            Scalar::F64(f) => decimal(*f),
            Scalar::Null => String::new(),
            Scalar::Bytes(b) | Scalar::Unknown { bytes: b, .. } => {
                b.iter().map(|x| format!("{x:02x}")).collect()
            }
        }
    }
}

/// For each part the other copy brought changes to: the version those
/// changes were made on top of (`theirs`: their new changes and all they
/// depend on) and the part of this copy they already knew (`base`). Works
/// for a copy from elsewhere as for this copy with bundles added (live
/// sync), where the other side's version is not the copy's heads.
fn versions(
    mine: &PlanDoc,
    merged: &PlanDoc,
) -> BTreeMap<Section, (Vec<ChangeHash>, Vec<ChangeHash>)> {
    let mut out = BTreeMap::new();
    for part in merged.parts() {
        let (Some(a), Some(m)) = (mine.part_doc(part), merged.part_doc(part)) else {
            continue;
        };
        let (mut ha, mut hm) = (a.get_heads(), m.get_heads());
        ha.sort();
        hm.sort();
        if ha == hm {
            continue;
        }
        let new = m.get_changes_meta(&ha);
        if new.is_empty() {
            continue;
        }
        let hashes: BTreeSet<ChangeHash> = new.iter().map(|c| c.hash).collect();
        let deps: BTreeSet<ChangeHash> = new.iter().flat_map(|c| c.deps.iter().copied()).collect();
        let theirs: Vec<ChangeHash> = hashes
            .iter()
            .filter(|h| !deps.contains(h))
            .copied()
            .collect();
        let base: Vec<ChangeHash> = deps
            .iter()
            .filter(|d| a.get_change_meta_by_hash(d).is_some())
            .copied()
            .collect();
        out.insert(part.clone(), (base, theirs));
    }
    out
}

/// The typed answers (long and one-line) that both sides changed at the
/// same words since the version the other side's changes were made on,
/// with what a merge of the two makes of each. Call before merging
/// `theirs` in. Answers each changed at different places merge as text and
/// are not reported ([`edits_collide`]); so neither are two people typing
/// at different places of one answer at once.
pub fn text_conflicts(mine: &PlanDoc, theirs: &PlanDoc) -> Result<Vec<TextConflict>, DocError> {
    // A copy that already holds all of this one (live sync's: this copy
    // with the bundles added) is what the merge will make; another is
    // merged into a copy of this one to see.
    let holds_mine = mine.parts().all(|p| {
        let (Some(a), Some(b)) = (mine.part_doc(p), theirs.part_doc(p)) else {
            return false;
        };
        a.get_heads()
            .iter()
            .all(|h| b.get_change_meta_by_hash(h).is_some())
    });
    let preview;
    let merged = if holds_mine {
        theirs
    } else {
        let mut m = mine.fork_for_preview();
        m.merge(&mut theirs.fork_for_preview())?;
        preview = m;
        &preview
    };
    let versions = versions(mine, merged);
    if versions.is_empty() {
        return Ok(Vec::new());
    }
    // Only the parts the other side changed are read.
    let mut plan = Plan::default();
    for part in versions.keys() {
        merged.read_part(part, &mut plan)?;
    }
    let mut out = Vec::new();
    for field in Field::all_in(&plan) {
        let Some((part, _)) = merged.locate(&field) else {
            continue;
        };
        let Some((base, their)) = versions.get(&part) else {
            continue;
        };
        let m = mine.field_value(&field);
        let now = merged.field_value(&field);
        if now == m {
            continue;
        }
        let b = merged.field_value_at(&field, base);
        let t = merged.field_value_at(&field, their);
        if m != b && t != b && m != t && edits_collide(&b, &m, &t) {
            out.push(TextConflict {
                merged: now,
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
                // Both chose the same: nothing to settle.
                let differ = all.windows(2).any(|w| w[0].0 != w[1].0);
                if differ && all.iter().all(|(v, _)| matches!(v, Value::Scalar(_))) {
                    out.push(ChoiceConflict {
                        part: part.clone(),
                        path: path.clone(),
                        key: key.clone(),
                        values: all
                            .iter()
                            .filter_map(|(v, id)| match v {
                                Value::Scalar(s) => Some(ChoiceValue {
                                    value: Scalar::from(s.as_ref()),
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
        pick: &Scalar,
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
            |tx| tx.put(&obj, key.as_str(), ScalarValue::from(pick)),
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(())
    }
}
