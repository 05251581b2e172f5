//! One plan as a set of Automerge documents (its parts): create, load,
//! merge, save, export, fork, and read its changes. Editing is in
//! `edit.rs`.
//!
//! Every change is made through this type, so every change carries this
//! device's actor, a timestamp and a short message naming what changed.

use std::collections::BTreeMap;

use automerge::{Automerge, ChangeHash, ReadDoc, ScalarValue, Value, ROOT};

use super::actor::{actor_id, is_genesis_actor};
use super::bundle::{self, BundleError};
use super::error::DocError;
use super::part::PartDoc;
use super::schema::{self, CURRENT_SCHEMA};
use crate::plan::{DeviceActor, Participant, Plan, PlanId, Section, Version};

/// One change of the plan, in any of its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeInfo {
    pub part: Section,
    pub hash: ChangeHash,
    pub actor: automerge::ActorId,
    /// Seconds since 1970.
    pub time: i64,
    pub message: Option<String>,
}

/// A plan: its part documents (see [`crate::plan::part`]).
#[derive(Debug)]
pub struct PlanDoc {
    pub(super) parts: BTreeMap<Section, Automerge>,
    pub(super) plan_id: PlanId,
    pub(super) actor: automerge::ActorId,
}

impl PlanDoc {
    /// Start a new plan: every part's deterministic first change, then this
    /// device's "Started the plan".
    pub fn create(
        actor: &DeviceActor,
        me: Participant,
        framework: &str,
        indicators: &[&str],
        now_ms: i64,
    ) -> Result<Self, DocError> {
        Self::create_with_id(PlanId::random()?, actor, me, framework, indicators, now_ms)
    }

    pub fn create_with_id(
        plan_id: PlanId,
        actor: &DeviceActor,
        me: Participant,
        framework: &str,
        indicators: &[&str],
        now_ms: i64,
    ) -> Result<Self, DocError> {
        let mut doc = Self {
            parts: BTreeMap::new(),
            plan_id,
            actor: actor_id(actor),
        };
        doc.change("Started the plan", now_ms, |plan| {
            plan.framework = framework.to_owned();
            plan.created_at = now_ms;
            for id in indicators {
                plan.wellbeing.entry((*id).to_owned()).or_default();
            }
            plan.participants
                .insert(actor.as_str().to_owned(), me.clone());
        })?;
        Ok(doc)
    }

    pub fn plan_id(&self) -> &PlanId {
        &self.plan_id
    }

    /// The parts this copy holds (a key worker's copy holds only what was shared).
    pub fn parts(&self) -> impl Iterator<Item = &Section> {
        self.parts.keys()
    }

    pub fn has_part(&self, part: &Section) -> bool {
        self.parts.contains_key(part)
    }

    /// The plan as Rust values, from every part this copy holds.
    pub fn plan(&self) -> Result<Plan, DocError> {
        let mut plan = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: self.plan_id.clone(),
            ..Plan::default()
        };
        for (part, doc) in &self.parts {
            part.read(&super::at::At::now(doc), &mut plan)?;
        }
        Ok(plan)
    }

    /// The heads of every part together.
    pub fn heads(&self) -> Vec<ChangeHash> {
        let mut out: Vec<ChangeHash> = self.parts.values().flat_map(|d| d.get_heads()).collect();
        out.sort();
        out
    }

    /// The plan's version now, as a token for the screens.
    pub fn version_token(&self) -> Version {
        version_of(&self.heads())
    }

    /// Every part, compressed, with its full history.
    pub fn save(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            bundle::push(&mut out, part, &doc.save());
        }
        out
    }

    /// The changes made since `heads` (as [`Self::heads`] gave them). A
    /// part whose heads are all in `heads` adds nothing and is not asked, so
    /// after a keystroke only the changed part's new change is collected.
    pub fn save_after(&self, heads: &[ChangeHash]) -> Vec<u8> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            if doc.get_heads().iter().all(|h| heads.contains(h)) {
                continue;
            }
            let known = known_to(doc, heads);
            let bytes = doc.save_after(&known);
            if !bytes.is_empty() {
                bundle::push(&mut out, part, &bytes);
            }
        }
        out
    }

    /// One part's document, for reading (inside this layer only).
    pub(crate) fn part_doc(&self, part: &Section) -> Option<&Automerge> {
        self.parts.get(part)
    }

    /// Merge another copy of the same plan into this one; both sides' edits
    /// are kept, and parts only the other copy has are added. A copy of a
    /// different plan is refused. Returns the heads after merging.
    pub fn merge(&mut self, other: &mut PlanDoc) -> Result<Vec<ChangeHash>, DocError> {
        if self.plan_id != other.plan_id {
            return Err(DocError::DifferentPlan);
        }
        for (part, theirs) in other.parts.iter_mut() {
            match self.parts.get_mut(part) {
                Some(mine) => {
                    mine.merge(theirs)?;
                }
                None => {
                    let copy = theirs.fork().with_actor(self.actor.clone());
                    self.parts.insert(part.clone(), copy);
                }
            }
        }
        Ok(self.heads())
    }

    /// A copy of this plan for another device or a test: same history,
    /// the given actor.
    pub fn fork(&self, actor: &DeviceActor) -> PlanDoc {
        self.fork_as(actor_id(actor))
    }

    /// A copy for looking at a merge before making it (same actor; never saved).
    pub(crate) fn fork_for_preview(&self) -> PlanDoc {
        self.fork_as(self.actor.clone())
    }

    fn fork_as(&self, actor: automerge::ActorId) -> PlanDoc {
        PlanDoc {
            parts: self
                .parts
                .iter()
                .map(|(p, d)| (p.clone(), d.fork().with_actor(actor.clone())))
                .collect(),
            plan_id: self.plan_id.clone(),
            actor,
        }
    }

    pub(crate) fn part_doc_mut(&mut self, part: &Section) -> Option<&mut Automerge> {
        self.parts.get_mut(part)
    }

    /// The plan as it was at `heads` (say, a signed version). Sections with
    /// none of those heads are left out.
    pub fn at(&self, heads: &[ChangeHash]) -> Result<PlanDoc, DocError> {
        let mut parts = BTreeMap::new();
        for (part, doc) in &self.parts {
            let known = known_to(doc, heads);
            if !known.is_empty() {
                parts.insert(part.clone(), doc.fork_at(&known)?);
            }
        }
        Ok(PlanDoc {
            parts,
            plan_id: self.plan_id.clone(),
            actor: self.actor.clone(),
        })
    }

    /// How many changes people have made: the plan's version number in print.
    pub fn version(&self) -> usize {
        self.parts
            .values()
            .flat_map(|d| d.get_changes_meta(&[]))
            .filter(|m| !is_genesis_actor(&m.actor))
            .count()
    }

    /// Every change of every part, oldest first (by time, a change that
    /// settles the plan after the others of its second, then by part).
    pub fn changes(&self) -> Vec<ChangeInfo> {
        self.changes_since(&[])
    }

    /// The changes not covered by `heads` (as [`Self::heads`] gave them),
    /// oldest first.
    pub fn changes_since(&self, heads: &[ChangeHash]) -> Vec<ChangeInfo> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            let known = known_to(doc, heads);
            for meta in doc.get_changes_meta(&known) {
                out.push(ChangeInfo {
                    part: part.clone(),
                    hash: meta.hash,
                    actor: meta.actor.into_owned(),
                    time: meta.timestamp,
                    message: meta.message.map(|m| m.into_owned()),
                });
            }
        }
        let settles = |c: &ChangeInfo| {
            c.message
                .as_deref()
                .is_some_and(crate::plan::review::settles_the_plan)
        };
        out.sort_by(|a, b| (a.time, settles(a), &a.part).cmp(&(b.time, settles(b), &b.part)));
        out
    }
}

/// Of `heads` (the heads of several parts together), those this part's
/// document has.
/// (Looked up in the change graph only: no change is rebuilt from the
/// document's operations, so the cost does not grow with the history.)
pub(crate) fn known_to(doc: &Automerge, heads: &[ChangeHash]) -> Vec<ChangeHash> {
    heads
        .iter()
        .filter(|h| doc.get_change_meta_by_hash(h).is_some())
        .copied()
        .collect()
}

pub(super) fn bundle_error(e: BundleError) -> DocError {
    match e {
        BundleError::NotABundle => DocError::NotAPlan,
        BundleError::Truncated => DocError::Unreadable("it is cut short".into()),
        // The name is the file's own text: it is not repeated.
        BundleError::UnknownPart(_) => {
            DocError::WrongShape("it has a section this version of the app does not know".into())
        }
    }
}

/// Check one part document: complete, of this plan, of a format this
/// version reads, and the part it says it is. Returns its plan id.
pub(super) fn check_part(
    doc: &Automerge,
    part: &Section,
    plan: Option<&PlanId>,
) -> Result<PlanId, DocError> {
    if !doc.get_missing_deps(&[]).is_empty() {
        return Err(DocError::MissingChanges);
    }
    let plan_id = match doc.get(ROOT, "plan_id")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => PlanId::parse(s).ok_or(DocError::NotAPlan)?,
            _ => return Err(DocError::NotAPlan),
        },
        _ => return Err(DocError::NotAPlan),
    };
    if plan.is_some_and(|p| *p != plan_id) {
        return Err(DocError::DifferentPlan);
    }
    let version = schema::version_of(doc).ok_or(DocError::NotAPlan)?;
    if version > CURRENT_SCHEMA {
        return Err(DocError::NewerSchema {
            found: version,
            supported: CURRENT_SCHEMA,
        });
    }
    if version < CURRENT_SCHEMA {
        return Err(DocError::WrongShape(format!(
            "format {version} was only used by test versions of the app"
        )));
    }
    let says = match doc.get(ROOT, "part")? {
        Some((Value::Scalar(s), _)) => match s.as_ref() {
            ScalarValue::Str(s) => Section::parse(s),
            _ => None,
        },
        _ => None,
    };
    if says.as_ref() != Some(part) {
        return Err(DocError::WrongShape(format!(
            "the {part} section is mislabelled"
        )));
    }
    Ok(plan_id)
}

/// The token of a version given by its heads.
pub fn version_of(heads: &[ChangeHash]) -> Version {
    Version(heads.iter().map(|h| h.0).collect())
}

/// The heads a version's token stands for.
pub fn heads_of(version: &Version) -> Vec<ChangeHash> {
    version.0.iter().map(|h| ChangeHash(*h)).collect()
}
