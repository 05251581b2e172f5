//! "Download my data": the whole plan as readable JSON, and as one plain
//! Automerge document that Automerge's other implementations open
//! (`Automerge.load` in `@automerge/automerge`).

use automerge::{AutoCommit, AutoSerde};
use autosurgeon::reconcile;

use super::document::{DocError, PlanDoc};

/// One Automerge document holding the whole plan as it is now, in the
/// shape of [`crate::core::plan::Plan`] (the part documents' history is not
/// included).
pub fn automerge_document(doc: &PlanDoc) -> Result<Vec<u8>, DocError> {
    let plan = doc.plan()?;
    let mut out = AutoCommit::new();
    reconcile(&mut out, &plan)?;
    Ok(out.save())
}

/// The whole plan as indented JSON, keys as in the document.
pub fn json(doc: &PlanDoc) -> Result<String, DocError> {
    let bytes = automerge_document(doc)?;
    let am = automerge::Automerge::load(&bytes).map_err(|e| DocError::Change(e.to_string()))?;
    serde_json::to_string_pretty(&AutoSerde::from(&am)).map_err(|e| DocError::Change(e.to_string()))
}
