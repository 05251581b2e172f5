//! How each key of the plan is kept in a part's document: written, read
//! and copied out (which part holds which key is the section table's
//! `holds`, `plan/section.rs`).

use std::collections::BTreeMap;

use automerge::ROOT;
use autosurgeon::{
    hydrate_prop, reconcile_prop, Doc, HydrateError, MaybeMissing, ReadDoc, ReconcileError,
};

use super::PartDoc;
use crate::plan::section::PlanKey;
use crate::plan::{Action, AreaChange, Plan, Section, WellbeingArea};

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

/// How each key of the plan is kept in its part's document: one row a key
/// (which part holds it is the section table's `holds`, in
/// `plan/section.rs`). `always`: written as it is; `once_set`: an answer
/// added after release 1, written only once it has a value; `own`: only
/// the part's own entries (its area's, its actions), in `own::<key>`.
macro_rules! plan_keys {
    ($($key:ident: $field:ident $how:ident,)*) => {
        /// Write one key this part holds.
        pub(super) fn write_key<D: Doc>(part: &Section, key: PlanKey, doc: &mut D, plan: &Plan) -> Result<(), ReconcileError> {
            match key {
                $(PlanKey::$key => plan_keys!(@write $how part doc plan $field),)*
            }
        }

        /// Read one key this part holds into `plan`, replacing what it had.
        pub(super) fn read_key<D: ReadDoc>(part: &Section, key: PlanKey, doc: &D, plan: &mut Plan) -> Result<(), HydrateError> {
            match key {
                $(PlanKey::$key => plan_keys!(@read $how part doc plan $field),)*
            }
            Ok(())
        }

        /// Copy one key this part holds from `plan` into `out`.
        pub(super) fn project_key(part: &Section, key: PlanKey, plan: &Plan, out: &mut Plan) {
            match key {
                $(PlanKey::$key => plan_keys!(@project $how part plan out $field),)*
            }
        }
    };
    (@write always $part:ident $doc:ident $plan:ident $field:ident) => {
        reconcile_prop($doc, ROOT, stringify!($field), &$plan.$field)
    };
    (@write once_set $part:ident $doc:ident $plan:ident $field:ident) => {
        write_set($doc, stringify!($field), &$plan.$field)
    };
    (@write own $part:ident $doc:ident $plan:ident $field:ident) => {
        own::$field::write($part, $doc, $plan)
    };
    (@read always $part:ident $doc:ident $plan:ident $field:ident) => {
        $plan.$field = hydrate_prop($doc, ROOT, stringify!($field))?
    };
    (@read once_set $part:ident $doc:ident $plan:ident $field:ident) => {
        $plan.$field = read_set($doc, stringify!($field))?
    };
    (@read own $part:ident $doc:ident $plan:ident $field:ident) => {
        own::$field::read($part, $doc, $plan)?
    };
    (@project own $part:ident $plan:ident $out:ident $field:ident) => {
        own::$field::project($part, $plan, $out)
    };
    (@project $how:ident $part:ident $plan:ident $out:ident $field:ident) => {
        $out.$field = Clone::clone(&$plan.$field)
    };
}

#[rustfmt::skip]
plan_keys! {
    Framework: framework always,
    FrameworkChosen: framework_chosen once_set,
    ReadyAt: ready_at once_set,
    AgreedAt: agreed_at once_set,
    AgreedBy: agreed_by once_set,
    AgreedInMeeting: agreed_in_meeting once_set,
    DisagreedAt: disagreed_at once_set,
    Disagreement: disagreement once_set,
    ReviewStartedAt: review_started_at once_set,
    ReviewStartedBy: review_started_by once_set,
    ReviewKind: review_kind once_set,
    ReviewReason: review_reason once_set,
    CreatedAt: created_at always,
    Participants: participants always,
    Shares: shares always,
    Imports: imports always,
    SignOff: sign_off always,
    Review: review always,
    NotesForCarer: notes_for_carer always,
    Carer: carer always,
    CaredFor: cared_for always,
    CaringRole: caring_role always,
    Wellbeing: wellbeing own,
    ReviewChanges: review_changes own,
    Needs: needs always,
    Actions: actions own,
    Eligibility: eligibility always,
    Budget: budget always,
    InformationGiven: information_given always,
    Emergency: emergency always,
    FuturePlanning: future_planning always,
    PrivateNotes: private_notes always,
}

/// The keys a part holds only some entries of.
mod own {
    /// An area's part holds its own area.
    pub(super) mod wellbeing {
        use super::super::*;

        pub(in super::super) fn write<D: Doc>(
            part: &Section,
            doc: &mut D,
            plan: &Plan,
        ) -> Result<(), ReconcileError> {
            let mine: BTreeMap<String, WellbeingArea> = match part {
                Section::Area(ind) => plan
                    .wellbeing
                    .get(ind)
                    .map(|a| (ind.clone(), a.clone()))
                    .into_iter()
                    .collect(),
                _ => BTreeMap::new(),
            };
            reconcile_prop(doc, ROOT, "wellbeing", &mine)
        }

        pub(in super::super) fn read<D: ReadDoc>(
            part: &Section,
            doc: &D,
            plan: &mut Plan,
        ) -> Result<(), HydrateError> {
            let mut mine: BTreeMap<String, WellbeingArea> = hydrate_prop(doc, ROOT, "wellbeing")?;
            if let Section::Area(ind) = part {
                plan.wellbeing.remove(ind);
                if let Some(area) = mine.remove(ind) {
                    plan.wellbeing.insert(ind.clone(), area);
                }
            }
            Ok(())
        }

        pub(in super::super) fn project(part: &Section, plan: &Plan, out: &mut Plan) {
            if let Section::Area(ind) = part {
                if let Some(a) = plan.wellbeing.get(ind) {
                    out.wellbeing.insert(ind.clone(), a.clone());
                }
            }
        }
    }

    /// Beside its area, what the review said of it, kept only once answered.
    pub(super) mod review_changes {
        use super::super::*;

        pub(in super::super) fn write<D: Doc>(
            part: &Section,
            doc: &mut D,
            plan: &Plan,
        ) -> Result<(), ReconcileError> {
            let change: Option<BTreeMap<String, AreaChange>> = match part {
                Section::Area(ind) => plan
                    .review_changes
                    .get(ind)
                    .map(|c| [(ind.clone(), *c)].into_iter().collect()),
                _ => None,
            };
            write_set(doc, "review_changes", &change)
        }

        pub(in super::super) fn read<D: ReadDoc>(
            part: &Section,
            doc: &D,
            plan: &mut Plan,
        ) -> Result<(), HydrateError> {
            if let Section::Area(ind) = part {
                plan.review_changes.remove(ind);
                let changes: Option<BTreeMap<String, AreaChange>> =
                    read_set(doc, "review_changes")?;
                if let Some(c) = changes.and_then(|mut c| c.remove(ind)) {
                    plan.review_changes.insert(ind.clone(), c);
                }
            }
            Ok(())
        }

        pub(in super::super) fn project(part: &Section, plan: &Plan, out: &mut Plan) {
            if let Section::Area(ind) = part {
                if let Some(c) = plan.review_changes.get(ind) {
                    out.review_changes.insert(ind.clone(), *c);
                }
            }
        }
    }

    /// The actions the part owns (see `PartDoc::owns_action`).
    pub(super) mod actions {
        use super::super::*;

        pub(in super::super) fn write<D: Doc>(
            part: &Section,
            doc: &mut D,
            plan: &Plan,
        ) -> Result<(), ReconcileError> {
            let mut out = Plan::default();
            project(part, plan, &mut out);
            reconcile_prop(doc, ROOT, "actions", &out.actions)
        }

        pub(in super::super) fn read<D: ReadDoc>(
            part: &Section,
            doc: &D,
            plan: &mut Plan,
        ) -> Result<(), HydrateError> {
            let mine: Vec<Action> = hydrate_prop(doc, ROOT, "actions")?;
            let areas: Vec<String> = plan.wellbeing.keys().cloned().collect();
            plan.actions.retain(|a| {
                !part.owns_action(a.area.as_ref(), |x| areas.iter().any(|k| k == x))
                    && !mine.iter().any(|m| m.id == a.id)
            });
            plan.actions.extend(mine);
            Ok(())
        }

        pub(in super::super) fn project(part: &Section, plan: &Plan, out: &mut Plan) {
            out.actions = plan
                .actions
                .iter()
                .filter(|a| part.owns_action(a.area.as_ref(), |x| plan.wellbeing.contains_key(x)))
                .cloned()
                .collect();
        }
    }
}
