//! The plan as it was at older heads (a signed version, the plan as a
//! person last saw it), read from its documents as they are through
//! [`At`] (`at.rs`), never by rebuilding a document at those heads.

use automerge::ChangeHash;

use super::at::At;
use super::document::{known_to, PlanDoc};
use super::error::DocError;
use super::part::PartDoc;
use super::schema::CURRENT_SCHEMA;
use crate::plan::{Plan, Section};

impl PlanDoc {
    /// The plan's values as they were at `heads`, read from the documents as
    /// they are, as [`PlanDoc::at`] then [`PlanDoc::plan`] would give them
    /// without rebuilding any document; and the sections known at those
    /// heads. Sections with none of the heads are left empty.
    pub fn plan_at(&self, heads: &[ChangeHash]) -> Result<(Plan, Vec<Section>), DocError> {
        let mut plan = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: self.plan_id().clone(),
            ..Plan::default()
        };
        let mut known_parts = Vec::new();
        for part in self.parts() {
            let Some(doc) = self.part_doc(part) else {
                continue;
            };
            let known = known_to(doc, heads);
            if !known.is_empty() {
                part.read(&At::then(doc, &known), &mut plan)?;
                known_parts.push(part.clone());
            }
        }
        Ok((plan, known_parts))
    }
}
