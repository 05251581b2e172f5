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
use autosurgeon::{
    hydrate_prop, reconcile_prop, Doc, HydrateError, MaybeMissing, ReadDoc, ReconcileError,
};

use super::actor::genesis_actor;
use super::error::{commit, DocError};
use super::schema::CURRENT_SCHEMA;
use crate::plan::{Action, AreaChange, Plan, PlanId, Section, SectionStatus, WellbeingArea};

/// Write an answer added after release 1 only once it has a value, so that
/// older plans gain no new keys just by being edited.
fn write_set<D: Doc, T: autosurgeon::Reconcile>(
    doc: &mut D,
    key: &str,
    value: &Option<T>,
) -> Result<(), ReconcileError> {
    match value {
        Some(v) => reconcile_prop(doc, ROOT, key, v),
        None => Ok(()),
    }
}

/// Read such an answer: missing is "not set".
fn read_set<D: ReadDoc, T: autosurgeon::Hydrate>(
    doc: &D,
    key: &str,
) -> Result<Option<T>, HydrateError> {
    Ok(
        match hydrate_prop::<_, MaybeMissing<Option<T>>, _, _>(doc, ROOT, key)? {
            MaybeMissing::Present(v) => v,
            MaybeMissing::Missing => None,
        },
    )
}

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

    /// Write this part's values of `plan` into its document. Autosurgeon
    /// writes only what differs.
    fn write<D: Doc>(&self, doc: &mut D, plan: &Plan) -> Result<(), ReconcileError> {
        match self {
            Section::Plan => {
                reconcile_prop(doc, ROOT, "framework", &plan.framework)?;
                // Kept only once set: plans and files from before stay as they were.
                write_set(doc, "framework_chosen", &plan.framework_chosen)?;
                write_set(doc, "ready_at", &plan.ready_at)?;
                write_set(doc, "agreed_at", &plan.agreed_at)?;
                write_set(doc, "agreed_by", &plan.agreed_by)?;
                write_set(doc, "agreed_in_meeting", &plan.agreed_in_meeting)?;
                write_set(doc, "disagreed_at", &plan.disagreed_at)?;
                write_set(doc, "disagreement", &plan.disagreement)?;
                write_set(doc, "review_started_at", &plan.review_started_at)?;
                write_set(doc, "review_started_by", &plan.review_started_by)?;
                write_set(doc, "review_kind", &plan.review_kind)?;
                write_set(doc, "review_reason", &plan.review_reason)?;
                reconcile_prop(doc, ROOT, "created_at", plan.created_at)?;
                reconcile_prop(doc, ROOT, "participants", &plan.participants)?;
                reconcile_prop(doc, ROOT, "shares", &plan.shares)?;
                reconcile_prop(doc, ROOT, "imports", &plan.imports)?;
                reconcile_prop(doc, ROOT, "sign_off", &plan.sign_off)?;
                reconcile_prop(doc, ROOT, "review", &plan.review)?;
                reconcile_prop(doc, ROOT, "notes_for_carer", &plan.notes_for_carer)?;
            }
            Section::AboutYou => reconcile_prop(doc, ROOT, "carer", &plan.carer)?,
            Section::People => reconcile_prop(doc, ROOT, "cared_for", &plan.cared_for)?,
            Section::CaringRole => reconcile_prop(doc, ROOT, "caring_role", &plan.caring_role)?,
            Section::Area(ind) => {
                let mine: BTreeMap<String, WellbeingArea> = plan
                    .wellbeing
                    .get(ind)
                    .map(|a| (ind.clone(), a.clone()))
                    .into_iter()
                    .collect();
                reconcile_prop(doc, ROOT, "wellbeing", &mine)?;
                // Beside the area, kept only once answered.
                let change: Option<BTreeMap<String, AreaChange>> = plan
                    .review_changes
                    .get(ind)
                    .map(|c| [(ind.clone(), *c)].into_iter().collect());
                write_set(doc, "review_changes", &change)?;
            }
            Section::Actions => reconcile_prop(doc, ROOT, "needs", &plan.needs)?,
            Section::Eligibility => {
                reconcile_prop(doc, ROOT, "eligibility", &plan.eligibility)?;
                reconcile_prop(doc, ROOT, "budget", &plan.budget)?;
                reconcile_prop(doc, ROOT, "information_given", &plan.information_given)?;
            }
            Section::Emergency => reconcile_prop(doc, ROOT, "emergency", &plan.emergency)?,
            Section::Future => reconcile_prop(doc, ROOT, "future_planning", &plan.future_planning)?,
            Section::Private => reconcile_prop(doc, ROOT, "private_notes", &plan.private_notes)?,
        }
        if matches!(self, Section::Area(_) | Section::Actions) {
            let actions: Vec<_> = plan
                .actions
                .iter()
                .filter(|a| self.owns_action(a.area.as_ref(), |x| plan.wellbeing.contains_key(x)))
                .cloned()
                .collect();
            reconcile_prop(doc, ROOT, "actions", &actions)?;
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
        match self {
            Section::Plan => {
                plan.framework = hydrate_prop(doc, ROOT, "framework")?;
                // Missing in plans from before they were kept.
                plan.framework_chosen = read_set(doc, "framework_chosen")?;
                plan.ready_at = read_set(doc, "ready_at")?;
                plan.agreed_at = read_set(doc, "agreed_at")?;
                plan.agreed_by = read_set(doc, "agreed_by")?;
                plan.agreed_in_meeting = read_set(doc, "agreed_in_meeting")?;
                plan.disagreed_at = read_set(doc, "disagreed_at")?;
                plan.disagreement = read_set(doc, "disagreement")?;
                plan.review_started_at = read_set(doc, "review_started_at")?;
                plan.review_started_by = read_set(doc, "review_started_by")?;
                plan.review_kind = read_set(doc, "review_kind")?;
                plan.review_reason = read_set(doc, "review_reason")?;
                plan.created_at = hydrate_prop(doc, ROOT, "created_at")?;
                plan.participants = hydrate_prop(doc, ROOT, "participants")?;
                plan.shares = hydrate_prop(doc, ROOT, "shares")?;
                plan.imports = hydrate_prop(doc, ROOT, "imports")?;
                plan.sign_off = hydrate_prop(doc, ROOT, "sign_off")?;
                plan.review = hydrate_prop(doc, ROOT, "review")?;
                plan.notes_for_carer = hydrate_prop(doc, ROOT, "notes_for_carer")?;
            }
            Section::AboutYou => plan.carer = hydrate_prop(doc, ROOT, "carer")?,
            Section::People => plan.cared_for = hydrate_prop(doc, ROOT, "cared_for")?,
            Section::CaringRole => plan.caring_role = hydrate_prop(doc, ROOT, "caring_role")?,
            Section::Area(ind) => {
                let mut mine: BTreeMap<String, WellbeingArea> =
                    hydrate_prop(doc, ROOT, "wellbeing")?;
                plan.wellbeing.remove(ind);
                if let Some(area) = mine.remove(ind) {
                    plan.wellbeing.insert(ind.clone(), area);
                }
                plan.review_changes.remove(ind);
                let changes: Option<BTreeMap<String, AreaChange>> =
                    read_set(doc, "review_changes")?;
                if let Some(c) = changes.and_then(|mut c| c.remove(ind)) {
                    plan.review_changes.insert(ind.clone(), c);
                }
            }
            Section::Actions => plan.needs = hydrate_prop(doc, ROOT, "needs")?,
            Section::Eligibility => {
                plan.eligibility = hydrate_prop(doc, ROOT, "eligibility")?;
                plan.budget = hydrate_prop(doc, ROOT, "budget")?;
                plan.information_given = hydrate_prop(doc, ROOT, "information_given")?;
            }
            Section::Emergency => plan.emergency = hydrate_prop(doc, ROOT, "emergency")?,
            Section::Future => plan.future_planning = hydrate_prop(doc, ROOT, "future_planning")?,
            Section::Private => plan.private_notes = hydrate_prop(doc, ROOT, "private_notes")?,
        }
        if matches!(self, Section::Area(_) | Section::Actions) {
            let mine: Vec<Action> = hydrate_prop(doc, ROOT, "actions")?;
            let areas: Vec<String> = plan.wellbeing.keys().cloned().collect();
            plan.actions.retain(|a| {
                !self.owns_action(a.area.as_ref(), |x| areas.iter().any(|k| k == x))
                    && !mine.iter().any(|m| m.id == a.id)
            });
            plan.actions.extend(mine);
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
        match self {
            Section::Plan => {
                out.framework = plan.framework.clone();
                out.framework_chosen = plan.framework_chosen;
                out.ready_at = plan.ready_at;
                out.agreed_at = plan.agreed_at;
                out.agreed_by = plan.agreed_by.clone();
                out.agreed_in_meeting = plan.agreed_in_meeting;
                out.disagreed_at = plan.disagreed_at;
                out.disagreement = plan.disagreement.clone();
                out.review_started_at = plan.review_started_at;
                out.review_started_by = plan.review_started_by.clone();
                out.review_kind = plan.review_kind;
                out.review_reason = plan.review_reason.clone();
                out.created_at = plan.created_at;
                out.participants = plan.participants.clone();
                out.shares = plan.shares.clone();
                out.imports = plan.imports.clone();
                out.sign_off = plan.sign_off.clone();
                out.review = plan.review.clone();
                out.notes_for_carer = plan.notes_for_carer.clone();
            }
            Section::AboutYou => out.carer = plan.carer.clone(),
            Section::People => out.cared_for = plan.cared_for.clone(),
            Section::CaringRole => out.caring_role = plan.caring_role.clone(),
            Section::Area(ind) => {
                if let Some(a) = plan.wellbeing.get(ind) {
                    out.wellbeing.insert(ind.clone(), a.clone());
                }
                if let Some(c) = plan.review_changes.get(ind) {
                    out.review_changes.insert(ind.clone(), *c);
                }
            }
            Section::Actions => out.needs = plan.needs.clone(),
            Section::Eligibility => {
                out.eligibility = plan.eligibility.clone();
                out.budget = plan.budget.clone();
                out.information_given = plan.information_given.clone();
            }
            Section::Emergency => out.emergency = plan.emergency.clone(),
            Section::Future => out.future_planning = plan.future_planning.clone(),
            Section::Private => out.private_notes = plan.private_notes.clone(),
        }
        out.actions = plan
            .actions
            .iter()
            .filter(|a| self.owns_action(a.area.as_ref(), |x| plan.wellbeing.contains_key(x)))
            .cloned()
            .collect();
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
            plan_id: plan_id.to_string(),
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
