//! "Download my data": the whole plan as readable JSON, and as one plain
//! Automerge document that Automerge's other implementations open
//! (`Automerge.load` in `@automerge/automerge`).
//!
//! The part documents are copied value by value into one new document with
//! the shape of [`crate::plan::plan::Plan`] (long answers stay Automerge
//! text). The parts' history is not included: this is the plan as it is now.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, AutoSerde, Automerge, ObjId, ObjType, ReadDoc, Value, ROOT};

use super::path::MAX_DEPTH;
use super::{DocError, PlanDoc};

/// One Automerge document holding the whole plan as it is now.
pub fn automerge_document(doc: &PlanDoc) -> Result<Vec<u8>, DocError> {
    Ok(whole(doc)?.save())
}

/// The whole plan as indented JSON, keys as in the document.
pub fn json(doc: &PlanDoc) -> Result<String, DocError> {
    let whole = whole(doc)?;
    Ok(serde_json::to_string_pretty(&AutoSerde::from(&whole))?)
}

/// The plan's own top-level keys: anything else a part document holds (a
/// hostile file can add any key) is not the plan and is left out.
const PLAN_KEYS: [&str; 36] = [
    "schema_version",
    "plan_id",
    "framework",
    "created_at",
    "carer",
    "cared_for",
    "caring_role",
    "wellbeing",
    "needs",
    "actions",
    "emergency",
    "future_planning",
    "review",
    "shares",
    "imports",
    "sign_off",
    "notes_for_carer",
    "private_notes",
    "sections",
    "participants",
    "eligibility",
    "budget",
    "information_given",
    "part",
    "framework_chosen",
    "ready_at",
    "agreed_at",
    "agreed_by",
    "agreed_in_meeting",
    "disagreed_at",
    "disagreement",
    "review_started_at",
    "review_started_by",
    "review_kind",
    "review_reason",
    "review_changes",
];

fn whole(doc: &PlanDoc) -> Result<AutoCommit, DocError> {
    let mut out = AutoCommit::new();
    for part in doc.parts() {
        if let Some(src) = doc.part_doc(part) {
            copy_map(src, &ROOT, &mut out, &ROOT, 0)?;
        }
    }
    out.delete(ROOT, "part")?;
    Ok(out)
}

/// Copy a map's entries. Maps and lists that are already there (the
/// `wellbeing`, `sections` and `actions` that several parts hold a piece
/// of) are added to rather than replaced.
fn copy_map(
    src: &Automerge,
    from: &ObjId,
    dst: &mut AutoCommit,
    to: &ObjId,
    depth: usize,
) -> Result<(), DocError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    for key in src.keys(from).collect::<Vec<_>>() {
        if depth == 0 && !PLAN_KEYS.contains(&key.as_str()) {
            continue;
        }
        match src.get(from, key.as_str())? {
            Some((Value::Scalar(s), _)) => dst.put(to, key.as_str(), s.into_owned())?,
            Some((Value::Object(kind), id)) => {
                let existing = match dst.get(to, key.as_str())? {
                    Some((Value::Object(k), eid)) if k == kind && kind != ObjType::Text => {
                        Some(eid)
                    }
                    _ => None,
                };
                let target = match existing {
                    Some(t) => t,
                    None => dst.put_object(to, key.as_str(), kind)?,
                };
                copy_object(src, &id, kind, dst, &target, depth + 1)?;
            }
            None => {}
        }
    }
    Ok(())
}

fn copy_object(
    src: &Automerge,
    from: &ObjId,
    kind: ObjType,
    dst: &mut AutoCommit,
    to: &ObjId,
    depth: usize,
) -> Result<(), DocError> {
    if depth > MAX_DEPTH {
        return Ok(());
    }
    match kind {
        ObjType::Map | ObjType::Table => copy_map(src, from, dst, to, depth),
        ObjType::Text => {
            let text = src.text(from)?;
            dst.splice_text(to, 0, 0, &text)?;
            Ok(())
        }
        ObjType::List => {
            // One pass over the list (indexing each item is slow on long lists).
            let items: Vec<(Value<'static>, ObjId)> = src
                .list_range(from, ..)
                .map(|item| {
                    let id = item.id();
                    (item.value.into(), id)
                })
                .collect();
            let mut at = dst.length(to);
            let mut scalars = Vec::new();
            for (value, id) in items {
                match value {
                    // Runs of plain values go in with one splice.
                    Value::Scalar(s) => scalars.push(s.into_owned()),
                    Value::Object(k) => {
                        let n = scalars.len();
                        dst.splice(to, at, 0, std::mem::take(&mut scalars))?;
                        at += n;
                        let child = dst.insert_object(to, at, k)?;
                        at += 1;
                        copy_object(src, &id, k, dst, &child, depth + 1)?;
                    }
                }
            }
            dst.splice(to, at, 0, scalars)?;
            Ok(())
        }
    }
}
