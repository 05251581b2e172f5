//! "Download my data": the whole plan as readable JSON, and as one plain
//! Automerge document that Automerge's other implementations open
//! (`Automerge.load` in `@automerge/automerge`).
//!
//! The part documents are copied value by value into one new document with
//! the shape of [`crate::core::plan::Plan`] (long answers stay Automerge
//! text). The parts' history is not included: this is the plan as it is now.

use automerge::transaction::Transactable;
use automerge::{AutoCommit, AutoSerde, Automerge, ObjId, ObjType, ReadDoc, Value, ROOT};

use super::document::{DocError, PlanDoc};

/// One Automerge document holding the whole plan as it is now.
pub fn automerge_document(doc: &PlanDoc) -> Result<Vec<u8>, DocError> {
    Ok(whole(doc)?.save())
}

/// The whole plan as indented JSON, keys as in the document.
pub fn json(doc: &PlanDoc) -> Result<String, DocError> {
    let whole = whole(doc)?;
    serde_json::to_string_pretty(&AutoSerde::from(&whole))
        .map_err(|e| DocError::Change(e.to_string()))
}

fn whole(doc: &PlanDoc) -> Result<AutoCommit, DocError> {
    let mut out = AutoCommit::new();
    for part in doc.parts() {
        if let Some(src) = doc.part_doc(part) {
            copy_map(src, &ROOT, &mut out, &ROOT)?;
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
) -> Result<(), DocError> {
    for key in src.keys(from).collect::<Vec<_>>() {
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
                copy_object(src, &id, kind, dst, &target)?;
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
) -> Result<(), DocError> {
    match kind {
        ObjType::Map | ObjType::Table => copy_map(src, from, dst, to),
        ObjType::Text => {
            let text = src.text(from)?;
            dst.splice_text(to, 0, 0, &text)?;
            Ok(())
        }
        ObjType::List => {
            for i in 0..src.length(from) {
                let at = dst.length(to);
                match src.get(from, i)? {
                    Some((Value::Scalar(s), _)) => dst.insert(to, at, s.into_owned())?,
                    Some((Value::Object(k), id)) => {
                        let child = dst.insert_object(to, at, k)?;
                        copy_object(src, &id, k, dst, &child)?;
                    }
                    None => {}
                }
            }
            Ok(())
        }
    }
}
