//! Each section of a plan is its own Automerge document, its *part* (see
//! [`crate::plan::section`] for the table of sections), so a share can leave
//! sections out entirely, values and history alike.
//!
//! Every part document holds `plan_id`, `schema_version`, `part` and only the
//! keys of the [`Plan`] the part owns, at the same paths as in the plan, plus
//! the statuses of its own section in `sections`. A wellbeing area's part
//! also holds the actions that came from that area.
//!
//! Each part's first change is made *deterministically* (an actor derived
//! from the plan id and the part, time 0, fixed content), so two devices that
//! each make a part (say after switching framework) make the very same
//! change and their copies merge.

use std::collections::BTreeMap;

use automerge::{Automerge, ROOT};
use autosurgeon::{hydrate_prop, reconcile_prop, Doc, HydrateError, ReadDoc, ReconcileError};

mod keys;

use self::keys::{project_key, read_key, write_key};
use super::actor::genesis_actor;
use super::error::{commit, DocError};
use super::schema::CURRENT_SCHEMA;
use crate::plan::{Plan, PlanId, Section, SectionStatus, WellbeingArea};

/// A section's document: how its values are written to and read from it.
pub(crate) trait PartDoc {
    fn owns_action(&self, area: Option<&String>, has_area: impl Fn(&str) -> bool) -> bool;
    /// Write this part's values of `plan` into its document. Autosurgeon
    /// writes only what differs.
    fn write<D: Doc>(&self, doc: &mut D, plan: &Plan) -> Result<(), ReconcileError>;
    /// Read this part's values from its document into `plan`, replacing
    /// whatever `plan` had for this part.
    fn read<D: ReadDoc>(&self, doc: &D, plan: &mut Plan) -> Result<(), HydrateError>;
    /// Only this part's values of `plan` (everything else left empty), to
    /// tell whether a change touched this part.
    fn project(&self, plan: &Plan) -> Plan;
    /// The part's first change, identical on every device.
    fn genesis(&self, plan_id: &PlanId) -> Result<Automerge, DocError>;
}

impl PartDoc for Section {
    /// The part that owns an action: its area's, if that area is in the plan.
    fn owns_action(&self, area: Option<&String>, has_area: impl Fn(&str) -> bool) -> bool {
        match (self, area) {
            (Section::Area(ind), Some(a)) => ind == a,
            (Section::Actions, None) => true,
            (Section::Actions, Some(a)) => !has_area(a),
            _ => false,
        }
    }

    /// Write this part's values of `plan` into its document, key by key in
    /// the section table's order. Autosurgeon writes only what differs.
    fn write<D: Doc>(&self, doc: &mut D, plan: &Plan) -> Result<(), ReconcileError> {
        for key in self.holds() {
            write_key(self, *key, doc, plan)?;
        }
        let id = self.id();
        let sections: BTreeMap<String, SectionStatus> = plan
            .sections
            .iter()
            .filter(|(k, _)| **k == id)
            .map(|(k, v)| (k.clone(), *v))
            .collect();
        reconcile_prop(doc, ROOT, "sections", &sections)
    }

    /// Read this part's values from its document into `plan`, replacing
    /// whatever `plan` had for this part.
    fn read<D: ReadDoc>(&self, doc: &D, plan: &mut Plan) -> Result<(), HydrateError> {
        for key in self.holds() {
            read_key(self, *key, doc, plan)?;
        }
        let id = self.id();
        let mine: BTreeMap<String, SectionStatus> = hydrate_prop(doc, ROOT, "sections")?;
        plan.sections.remove(&id);
        if let Some(status) = mine.get(&id) {
            plan.sections.insert(id, *status);
        }
        Ok(())
    }

    /// Only this part's values of `plan` (everything else left empty), to
    /// tell whether a change touched this part.
    fn project(&self, plan: &Plan) -> Plan {
        let mut out = Plan::default();
        for key in self.holds() {
            project_key(self, *key, plan, &mut out);
        }
        let id = self.id();
        if let Some(s) = plan.sections.get(&id) {
            out.sections.insert(id, *s);
        }
        out
    }

    /// The part's first change, identical on every device.
    fn genesis(&self, plan_id: &PlanId) -> Result<Automerge, DocError> {
        let actor = genesis_actor(&self.id(), plan_id.as_str());
        let mut template = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: plan_id.clone(),
            ..Plan::default()
        };
        if let Section::Area(ind) = self {
            template
                .wellbeing
                .insert(ind.clone(), WellbeingArea::default());
        }
        let mut doc = Automerge::new().with_actor(actor);
        doc.transact_with(
            |_| commit(format!("Set up {}", self.id()), 0),
            |tx| -> Result<(), DocError> {
                reconcile_prop(tx, ROOT, "plan_id", plan_id.as_str())?;
                reconcile_prop(tx, ROOT, "schema_version", CURRENT_SCHEMA)?;
                reconcile_prop(tx, ROOT, "part", self.id())?;
                self.write(tx, &template)?;
                Ok(())
            },
        )
        .map_err(|f| f.error)?;
        Ok(doc)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_parts_first_change_is_the_same_everywhere() {
        let id = PlanId::random().unwrap();
        let a = Section::Area("health".into()).genesis(&id).unwrap();
        let b = Section::Area("health".into()).genesis(&id).unwrap();
        assert_eq!(a.get_heads(), b.get_heads());
        assert_ne!(
            a.get_heads(),
            Section::Area("finances".into())
                .genesis(&id)
                .unwrap()
                .get_heads()
        );
    }

    /// A part's first change must stay the very change earlier releases
    /// made, or a part made on this version would not merge with the same
    /// part made on a device still running an earlier one.
    #[test]
    fn parts_first_changes_are_those_of_earlier_releases() {
        let id = PlanId::parse(&"ab".repeat(16)).unwrap();
        let parts = Section::FIXED
            .iter()
            .cloned()
            .chain([Section::Area("finances".into())]);
        let heads: Vec<String> = parts
            .map(|p| format!("{p} {}", p.genesis(&id).unwrap().get_heads()[0]))
            .collect();
        assert_eq!(heads.join("\n"), GENESIS_HEADS);
    }

    /// Made by the code before the section table said what each part holds.
    const GENESIS_HEADS: &str = "\
plan 14962f2d79dec46a3c1945cc3859c753911ca15d2343f23f04a4553d9e0985dd\n\
about-you 4ec469f85d73b07eee0d760001d4d587753e9aaf66b0dd8273dd10df5d40890d\n\
people 85075861b4116ed929eb83e1c9443a4de33fa4b91681a70f400b0f19732e5a71\n\
caring-role c720376d2d639d2f826fafac15b1a95d863dde13b654273b41c4b51f25581b3c\n\
actions 50818b9c2d97ee81e382ad374cc6b31e083b9260612a9572fc2460b25c2dbad1\n\
eligibility 0f8a8cc168d3dab1f36f16992b8e0cf2f9842add4122613240d12edea25d092c\n\
emergency d9553f97cca71befac2ad3d31a2169e87bfd84cf95ea067be23bb50e23a7b3e1\n\
future b33eb3910089c255a833300d96113844a3ea658bf5a64e956ad3de0688da3a58\n\
private d613671e03620b92292c350666e47608755466cce4c7a9d3d89dea342fc40166\n\
area-finances bd26a2531bc0b7390d2f091649734cb762634f852845d3a13444486b090a587f";
}
