//! The shape of an Adult Carer Support Plan, as stored in its Automerge document.
//!
//! Over 400 lines because it is the plan's one shape, every type with its
//! two mappings side by side: autosurgeon's to the documents, and serde's
//! for the engine worker's messages to the page (`plan::wire`).
//!
//! Mapped to and from Automerge by autosurgeon's derives. The rules that keep
//! two copies mergeable:
//! * list items carry a stable `#[key] id`, so items added on two copies both survive;
//! * every typed answer is Automerge text, so two people typing in one at once
//!   both keep their words: long answers are [`Text`]; one-line answers (a
//!   name, a phone number) are `String`s here, kept as text by
//!   `plan::line` (plans from before kept them as plain values, which read
//!   the same). Where both rewrote the same words while apart, both versions
//!   are offered side by side (`doc::conflict`);
//! * every container exists from the plan's first change, so two copies never
//!   create "the same" map or list independently (one would hide the other).
//!
//! Level and indicator ids are strings because frameworks are data, not code.

use std::collections::BTreeMap;

use autosurgeon::{Hydrate, Reconcile, Text};
use serde::{Deserialize, Serialize};

pub use super::budget::{Budget, BudgetManaged};
use chrono::NaiveDate;

/// A whole plan: everything the statutory guidance asks a plan to record.
#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Plan {
    /// The version of this shape; see [`crate::doc::schema`].
    pub schema_version: u64,
    /// The plan's identity (32 hex digits); copies merge only if it matches.
    #[autosurgeon(with = "crate::plan::ids::in_doc")]
    pub plan_id: super::PlanId,
    /// Which framework of wellbeing areas and levels the plan uses.
    pub framework: String,
    /// Whether the carer chose it ("Where do you live?"), rather than the
    /// app starting with one. Plans from before this was kept read `None`.
    #[autosurgeon(missing = "Default::default")]
    pub framework_chosen: Option<bool>,
    /// The carer's agreement, in the order it is given (see
    /// `plan::review::agreement`): when the key worker marked the plan ready
    /// for the carer to agree; when the carer agreed, on which device, and
    /// whether in a meeting on the worker's device; when they said what they
    /// do not agree with, and what. Kept only once set, so plans from
    /// before (and their files) read and export as they did.
    #[autosurgeon(missing = "Default::default")]
    pub ready_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub agreed_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub agreed_by: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub agreed_in_meeting: Option<bool>,
    #[autosurgeon(missing = "Default::default")]
    pub disagreed_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub disagreement: Option<String>,
    /// The review round open now, if any (`plan::review::open_review`):
    /// when it was started and on which device, whether it is the planned
    /// review or an unplanned one, and why. A round is open while it started
    /// after the last sign-off; signing closes it. Kept only once set.
    #[autosurgeon(missing = "Default::default")]
    pub review_started_at: Option<i64>,
    #[autosurgeon(missing = "Default::default")]
    pub review_started_by: Option<String>,
    #[autosurgeon(missing = "Default::default")]
    pub review_kind: Option<ReviewKind>,
    #[autosurgeon(missing = "Default::default")]
    pub review_reason: Option<String>,
    /// Each area's answer to "Has this changed since it was agreed?", by
    /// indicator id, with the round it answers. Kept in the area's own part.
    #[autosurgeon(missing = "Default::default")]
    pub review_changes: BTreeMap<String, AreaChange>,
    /// When the plan was started (milliseconds since 1970).
    pub created_at: i64,
    pub carer: Carer,
    pub cared_for: Vec<CaredFor>,
    pub caring_role: CaringRole,
    /// One entry per wellbeing indicator id of the framework.
    pub wellbeing: BTreeMap<String, WellbeingArea>,
    pub needs: Needs,
    pub actions: Vec<Action>,
    pub emergency: EmergencyPlan,
    pub future_planning: FuturePlanning,
    pub review: Review,
    /// Every time the plan was sent: for the carer's shares this is the
    /// record of their consent (what, with whom, when).
    pub shares: Vec<Share>,
    /// When this plan last took in a copy from each device (by device id).
    pub imports: BTreeMap<String, i64>,
    pub sign_off: SignOff,
    /// The key worker's notes for the carer (travel with the plan).
    #[serde(with = "crate::plan::wire::text")]
    pub notes_for_carer: Text,
    /// The key worker's private notes: kept in a document that is never
    /// shared (see [`crate::plan::section`]).
    #[serde(with = "crate::plan::wire::text")]
    pub private_notes: Text,
    /// Progress the carer marked for each section, by section id.
    pub sections: BTreeMap<String, SectionStatus>,
    /// Who each device is: keyed by the device id (see `ids::DeviceActor`).
    pub participants: BTreeMap<String, Participant>,
    /// England (Care Act): answers to the framework's eligibility questions,
    /// by question id: "yes", "no" or "not-sure".
    pub eligibility: BTreeMap<String, String>,
    /// England (Care Act): the personal budget and how it is managed.
    pub budget: Budget,
    /// Information and advice given to the carer.
    #[serde(with = "crate::plan::wire::text")]
    pub information_given: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Carer {
    #[autosurgeon(with = "crate::plan::line")]
    pub name: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub preferred_name: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub phone: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub email: String,
    #[serde(with = "crate::plan::wire::text")]
    pub address: Text,
    /// When it is safe to phone or visit, and how to leave a message.
    #[serde(with = "crate::plan::wire::text")]
    pub safe_contact: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub health: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub work_or_study: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub communication_needs: Text,
    pub helped_by: Option<HelpedBy>,
}

/// Who, if anyone, is helping the carer fill the plan in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum HelpedBy {
    #[autosurgeon(rename = "alone")]
    #[serde(rename = "alone")]
    Alone,
    #[autosurgeon(rename = "family-or-friends")]
    #[serde(rename = "family-or-friends")]
    FamilyOrFriends,
    #[autosurgeon(rename = "worker")]
    #[serde(rename = "worker")]
    Worker,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct CaredFor {
    #[key]
    pub id: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub name: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub relationship: String,
    pub lives_with_carer: Option<bool>,
    #[serde(with = "crate::plan::wire::text")]
    pub conditions: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub other_support: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct CaringRole {
    #[serde(with = "crate::plan::wire::text")]
    pub what_you_do: Text,
    /// The hours as a number, when the carer's words give one.
    pub hours_per_week: Option<u32>,
    /// The hours in the carer's own words ("about 80", "24/7"), kept as
    /// typed. Plans saved before this answer existed read it as "".
    #[autosurgeon(missing = "String::new")]
    pub hours_words: String,
    pub night_care: Option<NightCare>,
    /// In the carer's words: "about three years", "since 2019".
    #[autosurgeon(with = "crate::plan::line")]
    pub how_long: String,
    #[serde(with = "crate::plan::wire::text")]
    pub typical_day: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub good_day: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub bad_day: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub who_else_helps: Text,
    pub able_to_continue: Option<Continue>,
    pub willing_to_continue: Option<Continue>,
    /// The person cared for is terminally ill: reviews and support are fast-tracked.
    pub terminal_illness: Option<bool>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum NightCare {
    #[autosurgeon(rename = "never")]
    #[serde(rename = "never")]
    Never,
    #[autosurgeon(rename = "sometimes")]
    #[serde(rename = "sometimes")]
    Sometimes,
    #[autosurgeon(rename = "most-nights")]
    #[serde(rename = "most-nights")]
    MostNights,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum Continue {
    #[autosurgeon(rename = "yes")]
    #[serde(rename = "yes")]
    Yes,
    #[autosurgeon(rename = "with-help")]
    #[serde(rename = "with-help")]
    WithHelp,
    #[autosurgeon(rename = "no")]
    #[serde(rename = "no")]
    No,
    #[autosurgeon(rename = "not-sure")]
    #[serde(rename = "not-sure")]
    NotSure,
}

/// How caring affects one wellbeing area: the carer's words and rating, and
/// beside them (never over them) the key worker's.
#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct WellbeingArea {
    #[serde(with = "crate::plan::wire::text")]
    pub own_words: Text,
    /// A level id of the plan's framework ("none" .. "critical"), or none yet.
    pub rating: Option<String>,
    #[serde(with = "crate::plan::wire::text")]
    pub keep_the_same: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub change_or_improve: Text,
    /// What matters to the carer here: their personal outcomes.
    #[serde(with = "crate::plan::wire::text")]
    pub outcomes: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub what_would_help: Text,
    pub worker_rating: Option<String>,
    #[serde(with = "crate::plan::wire::text")]
    pub worker_notes: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Needs {
    /// An explicit "no needs identified", which the plan must be able to say.
    pub no_needs_identified: bool,
    #[serde(with = "crate::plan::wire::text")]
    pub identified: Text,
    pub break_needed: Option<bool>,
    #[serde(with = "crate::plan::wire::text")]
    pub break_notes: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Action {
    #[key]
    pub id: String,
    #[serde(with = "crate::plan::wire::text")]
    pub what: Text,
    #[autosurgeon(with = "crate::plan::line")]
    pub who: String,
    #[autosurgeon(with = "crate::plan::date::optional_date")]
    #[serde(with = "crate::plan::date::optional_iso")]
    pub by_when: Option<NaiveDate>,
    pub status: ActionStatus,
    /// The wellbeing indicator it came from, if any.
    pub area: Option<String>,
}

#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Reconcile, Hydrate, Serialize, Deserialize,
)]
pub enum ActionStatus {
    #[default]
    #[autosurgeon(rename = "to-do")]
    #[serde(rename = "to-do")]
    ToDo,
    #[autosurgeon(rename = "in-progress")]
    #[serde(rename = "in-progress")]
    InProgress,
    #[autosurgeon(rename = "done")]
    #[serde(rename = "done")]
    Done,
    #[autosurgeon(rename = "stopped")]
    #[serde(rename = "stopped")]
    Stopped,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct EmergencyPlan {
    #[serde(with = "crate::plan::wire::text")]
    pub who_steps_in: Text,
    pub contacts: Vec<Contact>,
    #[serde(with = "crate::plan::wire::text")]
    pub medicines: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub medicines_kept: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub allergies: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub gp: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub pharmacy: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub services_in_place: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub mobility_aids: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub others_must_know: Text,
    pub risks: Vec<Risk>,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Contact {
    #[key]
    pub id: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub name: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub relationship: String,
    #[autosurgeon(with = "crate::plan::line")]
    pub phone: String,
}

/// Contingency planning: one risk, its likely harm, what prevents it and what to do.
#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Risk {
    #[key]
    pub id: String,
    #[serde(with = "crate::plan::wire::text")]
    pub risk: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub likely_harm: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub prevention: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub if_it_happens: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct FuturePlanning {
    #[serde(with = "crate::plan::wire::text")]
    pub hopes: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub worries: Text,
    #[serde(with = "crate::plan::wire::text")]
    pub arrangements: Text,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Review {
    #[autosurgeon(with = "crate::plan::date::optional_date")]
    #[serde(with = "crate::plan::date::optional_iso")]
    pub next_due: Option<NaiveDate>,
    #[autosurgeon(with = "crate::plan::date::optional_date")]
    #[serde(with = "crate::plan::date::optional_iso")]
    pub last_reviewed: Option<NaiveDate>,
    /// What would call for an earlier review.
    #[serde(with = "crate::plan::wire::text")]
    pub triggers: Text,
}

/// Why a review round was started.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum ReviewKind {
    /// The review the last sign-off set a date for.
    #[autosurgeon(rename = "planned")]
    #[serde(rename = "planned")]
    Planned,
    /// Any time, because something changed.
    #[autosurgeon(rename = "unplanned")]
    #[serde(rename = "unplanned")]
    Unplanned,
}

/// An area's answer to "Has this changed since it was agreed?": `round`
/// is the start of the review round it answers (`Plan::review_started_at`).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Reconcile, Hydrate, Serialize, Deserialize,
)]
pub struct AreaChange {
    pub round: i64,
    pub changed: bool,
}

/// One sending of the plan: which sections (part ids), with whom, when and
/// by which device. A carer's share is the record of their consent. Keeping
/// in step (live sync) is recorded the same way, its id starting
/// `keep-start-`, `keep-change-` or `keep-stop-` (no new field, so plans
/// and files read by earlier releases stay as they were).
#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Share {
    #[key]
    pub id: String,
    /// The device id of the person who sent it.
    pub by: String,
    pub sections: Vec<String>,
    /// "key-worker", "social-work" or "carer".
    pub with_whom: Vec<String>,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct SignOff {
    pub carer: Option<Signature>,
    pub worker: Option<Signature>,
    pub signed_versions: Vec<SignedVersion>,
}

#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Signature {
    pub name: String,
    pub actor: String,
    pub at: i64,
}

/// A signed-off version: the document heads it covered (hex change
/// hashes), so it can be shown again and later edits seen as a new draft.
#[derive(Debug, Clone, PartialEq, Default, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct SignedVersion {
    #[key]
    pub id: String,
    pub heads: Vec<String>,
    pub carer: Signature,
    pub worker: Signature,
    /// The review date set at this sign-off.
    #[autosurgeon(with = "crate::plan::date::optional_date")]
    #[serde(with = "crate::plan::date::optional_iso")]
    pub review_due: Option<NaiveDate>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum SectionStatus {
    #[autosurgeon(rename = "in-progress")]
    #[serde(rename = "in-progress")]
    InProgress,
    #[autosurgeon(rename = "completed")]
    #[serde(rename = "completed")]
    Completed,
    #[autosurgeon(rename = "skipped")]
    #[serde(rename = "skipped")]
    Skipped,
}

#[derive(Debug, Clone, PartialEq, Reconcile, Hydrate, Serialize, Deserialize)]
pub struct Participant {
    pub name: String,
    pub role: Role,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Reconcile, Hydrate, Serialize, Deserialize)]
pub enum Role {
    #[autosurgeon(rename = "carer")]
    #[serde(rename = "carer")]
    Carer,
    #[autosurgeon(rename = "key-worker")]
    #[serde(rename = "key-worker")]
    KeyWorker,
}
