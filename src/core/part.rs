//! A plan is kept as several Automerge documents, one per *part*, so that a
//! share can leave parts out entirely.
//!
//! An Automerge document carries every change ever made to it. If a plan
//! were one document, a section the carer chose not to share would still
//! travel in its history. So each section of the plan is its own document
//! (its "part"): sharing sends the documents of the chosen sections and the
//! small `plan` part (who, which framework, shares, sign-off, review), and
//! nothing of the rest — neither its values nor its history. The key
//! worker's private notes live in the `private` part, which is never sent.
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
use std::fmt;

use automerge::{ActorId, Automerge, ROOT};
use autosurgeon::{hydrate_prop, reconcile_prop, Doc, HydrateError, ReadDoc, ReconcileError};

use super::document::{commit, DocError};
use super::ids::PlanId;
use super::plan::{Plan, SectionStatus, WellbeingArea};
use super::schema::CURRENT_SCHEMA;

/// One part of a plan. Part ids equal the task list's section ids where
/// there is a section (`about-you`, `area-finances`, …).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// Always shared: identity, framework, participants, shares, sign-off,
    /// review, the worker's notes for the carer.
    Plan,
    AboutYou,
    People,
    CaringRole,
    /// One wellbeing area (indicator id) and the actions that came from it.
    Area(String),
    /// Needs identified and actions not tied to one area.
    Actions,
    /// England's eligibility questions, budget, information given.
    Eligibility,
    Emergency,
    Future,
    /// The key worker's private notes. Never shared.
    Private,
}

impl Part {
    /// The parts every plan has, besides one per wellbeing area.
    pub const FIXED: [Part; 9] = [
        Part::Plan,
        Part::AboutYou,
        Part::People,
        Part::CaringRole,
        Part::Actions,
        Part::Eligibility,
        Part::Emergency,
        Part::Future,
        Part::Private,
    ];

    pub fn id(&self) -> String {
        match self {
            Part::Plan => "plan".into(),
            Part::AboutYou => "about-you".into(),
            Part::People => "people".into(),
            Part::CaringRole => "caring-role".into(),
            Part::Area(ind) => format!("area-{ind}"),
            Part::Actions => "actions".into(),
            Part::Eligibility => "eligibility".into(),
            Part::Emergency => "emergency".into(),
            Part::Future => "future".into(),
            Part::Private => "private".into(),
        }
    }

    /// Accepts only ids this version knows; an indicator id is lower-case
    /// letters, digits and dashes, at most 64 characters.
    pub fn parse(s: &str) -> Option<Part> {
        Some(match s {
            "plan" => Part::Plan,
            "about-you" => Part::AboutYou,
            "people" => Part::People,
            "caring-role" => Part::CaringRole,
            "actions" => Part::Actions,
            "eligibility" => Part::Eligibility,
            "emergency" => Part::Emergency,
            "future" => Part::Future,
            "private" => Part::Private,
            other => {
                let ind = other.strip_prefix("area-")?;
                let ok = !ind.is_empty()
                    && ind.len() <= 64
                    && ind
                        .bytes()
                        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                if !ok {
                    return None;
                }
                Part::Area(ind.to_owned())
            }
        })
    }

    /// The section's title as the person knows it.
    pub fn title(&self, fw: &super::framework::Framework) -> String {
        use super::section::Section;
        match self {
            Part::Plan => "Sharing, sign-off and review".into(),
            Part::AboutYou => Section::AboutYou.title(fw),
            Part::People => Section::People.title(fw),
            Part::CaringRole => Section::CaringRole.title(fw),
            Part::Area(ind) => super::framework::indicator_name(ind)
                .map(str::to_owned)
                .unwrap_or_else(|| Section::Area(ind.clone()).title(fw)),
            Part::Actions => "Needs and other actions".into(),
            Part::Eligibility => Section::Eligibility.title(fw),
            Part::Emergency => Section::Emergency.title(fw),
            Part::Future => Section::Future.title(fw),
            Part::Private => "Private notes".into(),
        }
    }

    /// Whether the part may ever leave the device.
    pub fn shareable(&self) -> bool {
        !matches!(self, Part::Private)
    }

    /// Every part a plan with these values needs.
    pub fn all_for(plan: &Plan) -> Vec<Part> {
        let mut out = Part::FIXED.to_vec();
        out.extend(plan.wellbeing.keys().map(|k| Part::Area(k.clone())));
        out.sort();
        out
    }

    /// The part that owns an action: its area's, if that area is in the plan.
    fn owns_action(&self, area: Option<&String>, has_area: impl Fn(&str) -> bool) -> bool {
        match (self, area) {
            (Part::Area(ind), Some(a)) => ind == a,
            (Part::Actions, None) => true,
            (Part::Actions, Some(a)) => !has_area(a),
            _ => false,
        }
    }

    /// Write this part's values of `plan` into its document. Autosurgeon
    /// writes only what differs.
    pub(crate) fn write<D: Doc>(&self, doc: &mut D, plan: &Plan) -> Result<(), ReconcileError> {
        match self {
            Part::Plan => {
                reconcile_prop(doc, ROOT, "framework", &plan.framework)?;
                reconcile_prop(doc, ROOT, "created_at", plan.created_at)?;
                reconcile_prop(doc, ROOT, "participants", &plan.participants)?;
                reconcile_prop(doc, ROOT, "shares", &plan.shares)?;
                reconcile_prop(doc, ROOT, "imports", &plan.imports)?;
                reconcile_prop(doc, ROOT, "sign_off", &plan.sign_off)?;
                reconcile_prop(doc, ROOT, "review", &plan.review)?;
                reconcile_prop(doc, ROOT, "notes_for_carer", &plan.notes_for_carer)?;
            }
            Part::AboutYou => reconcile_prop(doc, ROOT, "carer", &plan.carer)?,
            Part::People => reconcile_prop(doc, ROOT, "cared_for", &plan.cared_for)?,
            Part::CaringRole => reconcile_prop(doc, ROOT, "caring_role", &plan.caring_role)?,
            Part::Area(ind) => {
                let mine: BTreeMap<String, WellbeingArea> = plan
                    .wellbeing
                    .get(ind)
                    .map(|a| (ind.clone(), a.clone()))
                    .into_iter()
                    .collect();
                reconcile_prop(doc, ROOT, "wellbeing", &mine)?;
            }
            Part::Actions => reconcile_prop(doc, ROOT, "needs", &plan.needs)?,
            Part::Eligibility => {
                reconcile_prop(doc, ROOT, "eligibility", &plan.eligibility)?;
                reconcile_prop(doc, ROOT, "budget", &plan.budget)?;
                reconcile_prop(doc, ROOT, "information_given", &plan.information_given)?;
            }
            Part::Emergency => reconcile_prop(doc, ROOT, "emergency", &plan.emergency)?,
            Part::Future => reconcile_prop(doc, ROOT, "future_planning", &plan.future_planning)?,
            Part::Private => reconcile_prop(doc, ROOT, "private_notes", &plan.private_notes)?,
        }
        if matches!(self, Part::Area(_) | Part::Actions) {
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
    pub(crate) fn read<D: ReadDoc>(&self, doc: &D, plan: &mut Plan) -> Result<(), HydrateError> {
        match self {
            Part::Plan => {
                plan.framework = hydrate_prop(doc, ROOT, "framework")?;
                plan.created_at = hydrate_prop(doc, ROOT, "created_at")?;
                plan.participants = hydrate_prop(doc, ROOT, "participants")?;
                plan.shares = hydrate_prop(doc, ROOT, "shares")?;
                plan.imports = hydrate_prop(doc, ROOT, "imports")?;
                plan.sign_off = hydrate_prop(doc, ROOT, "sign_off")?;
                plan.review = hydrate_prop(doc, ROOT, "review")?;
                plan.notes_for_carer = hydrate_prop(doc, ROOT, "notes_for_carer")?;
            }
            Part::AboutYou => plan.carer = hydrate_prop(doc, ROOT, "carer")?,
            Part::People => plan.cared_for = hydrate_prop(doc, ROOT, "cared_for")?,
            Part::CaringRole => plan.caring_role = hydrate_prop(doc, ROOT, "caring_role")?,
            Part::Area(ind) => {
                let mut mine: BTreeMap<String, WellbeingArea> =
                    hydrate_prop(doc, ROOT, "wellbeing")?;
                plan.wellbeing.remove(ind);
                if let Some(area) = mine.remove(ind) {
                    plan.wellbeing.insert(ind.clone(), area);
                }
            }
            Part::Actions => plan.needs = hydrate_prop(doc, ROOT, "needs")?,
            Part::Eligibility => {
                plan.eligibility = hydrate_prop(doc, ROOT, "eligibility")?;
                plan.budget = hydrate_prop(doc, ROOT, "budget")?;
                plan.information_given = hydrate_prop(doc, ROOT, "information_given")?;
            }
            Part::Emergency => plan.emergency = hydrate_prop(doc, ROOT, "emergency")?,
            Part::Future => plan.future_planning = hydrate_prop(doc, ROOT, "future_planning")?,
            Part::Private => plan.private_notes = hydrate_prop(doc, ROOT, "private_notes")?,
        }
        if matches!(self, Part::Area(_) | Part::Actions) {
            let mine: Vec<super::plan::Action> = hydrate_prop(doc, ROOT, "actions")?;
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
    pub(crate) fn project(&self, plan: &Plan) -> Plan {
        let mut out = Plan::default();
        match self {
            Part::Plan => {
                out.framework = plan.framework.clone();
                out.created_at = plan.created_at;
                out.participants = plan.participants.clone();
                out.shares = plan.shares.clone();
                out.imports = plan.imports.clone();
                out.sign_off = plan.sign_off.clone();
                out.review = plan.review.clone();
                out.notes_for_carer = plan.notes_for_carer.clone();
            }
            Part::AboutYou => out.carer = plan.carer.clone(),
            Part::People => out.cared_for = plan.cared_for.clone(),
            Part::CaringRole => out.caring_role = plan.caring_role.clone(),
            Part::Area(ind) => {
                if let Some(a) = plan.wellbeing.get(ind) {
                    out.wellbeing.insert(ind.clone(), a.clone());
                }
            }
            Part::Actions => out.needs = plan.needs.clone(),
            Part::Eligibility => {
                out.eligibility = plan.eligibility.clone();
                out.budget = plan.budget.clone();
                out.information_given = plan.information_given.clone();
            }
            Part::Emergency => out.emergency = plan.emergency.clone(),
            Part::Future => out.future_planning = plan.future_planning.clone(),
            Part::Private => out.private_notes = plan.private_notes.clone(),
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
    pub(crate) fn genesis(&self, plan_id: &PlanId) -> Result<Automerge, DocError> {
        let actor = ActorId::from(format!("genesis-{}-{plan_id}", self.id()).into_bytes());
        let mut template = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: plan_id.to_string(),
            ..Plan::default()
        };
        if let Part::Area(ind) = self {
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

impl fmt::Display for Part {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.id())
    }
}

/// Whether an actor is one of the app's own (a part's first change), not a person.
pub fn is_genesis_actor(actor: &ActorId) -> bool {
    actor.to_bytes().starts_with(b"genesis-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn part_ids_round_trip_and_refuse_strangers() {
        for p in Part::FIXED
            .iter()
            .cloned()
            .chain([Part::Area("finances".into())])
        {
            assert_eq!(Part::parse(&p.id()), Some(p));
        }
        for bad in [
            "",
            "area-",
            "area-Bad",
            "area-a/b",
            "secret",
            "area-<script>",
        ] {
            assert_eq!(Part::parse(bad), None, "{bad}");
        }
        assert!(!Part::Private.shareable());
    }

    #[test]
    fn a_parts_first_change_is_the_same_everywhere() {
        let id = PlanId::random().unwrap();
        let a = Part::Area("health".into()).genesis(&id).unwrap();
        let b = Part::Area("health".into()).genesis(&id).unwrap();
        assert_eq!(a.get_heads(), b.get_heads());
        assert_ne!(
            a.get_heads(),
            Part::Area("finances".into())
                .genesis(&id)
                .unwrap()
                .get_heads()
        );
    }
}
