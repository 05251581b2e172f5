//! Finding an answer's map in a part document: follow map keys and list
//! items (by their `id`) from the root.

use automerge::{Automerge, ObjId, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::error::DocError;
use crate::plan::field::PathStep;
use crate::plan::Field;

/// How deep the plan's own shape goes, with room to spare (one of the
/// plan's limits). Anything deeper is not the app's (a hostile file can nest
/// maps thousands deep) and is not looked into, so no walk of a document
/// can exhaust the stack.
pub(crate) use crate::plan::limits::MAX_DEPTH;

/// The map that holds `field` in one part document, if it has it.
pub(crate) fn parent_of(doc: &Automerge, field: &Field) -> Result<ObjId, DocError> {
    resolve(doc, &field.path().0)
}

/// Follow map keys and list item ids (`PathStep::Item`: the item whose `id`
/// is this) from a document's root to an object.
pub(crate) fn resolve(doc: &Automerge, steps: &[PathStep]) -> Result<ObjId, DocError> {
    let mut obj = ROOT;
    for step in steps {
        obj = match step {
            PathStep::Key(k) => match doc.get(&obj, k.as_str())? {
                Some((Value::Object(_), id)) => id,
                _ => return Err(DocError::WrongShape(format!("{k} is missing"))),
            },
            PathStep::Item(want) => {
                let mut found = None;
                for i in 0..doc.length(&obj) {
                    if let Some((Value::Object(ObjType::Map), item)) = doc.get(&obj, i)? {
                        let id = doc.get(&item, "id")?;
                        if matches!(&id, Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Str(v) if v.as_str() == want.as_str()))
                        {
                            found = Some(item);
                            break;
                        }
                    }
                }
                found.ok_or_else(|| DocError::WrongShape(format!("item {want} is missing")))?
            }
        };
    }
    Ok(obj)
}
