//! A copy that arrives from outside (a share file) is checked against every
//! limit of the plan (`crate::plan::limits`) before anything is merged or
//! stored: first what loading it would cost (`cost.rs`, before Automerge
//! loads a byte), then, with Automerge's own API, every text, string, list,
//! map and how deep they nest (every value, not only the winning one of a
//! conflict), then the answers against the limits typing has.

use std::collections::BTreeMap;

use automerge::{Automerge, LoadOptions, ObjId, ObjType, OnPartialLoad, ReadDoc, Value, ROOT};

use super::actor::actor_id;
use super::cost::{self, Cost, CostError};
use super::document::{bundle_error, check_part};
use super::error::DocError;
use super::PlanDoc;
use crate::plan::limits::{
    Limit, LONG_MAX, MAX_ACTIONS, MAX_ACTORS, MAX_AREAS, MAX_CHANGES, MAX_CONTACTS, MAX_DEPTH,
    MAX_ITEMS, MAX_OPS, MAX_PEOPLE, MAX_RISKS, MAX_STRING_CHARS,
};
use crate::plan::{DeviceActor, Field, Plan, PlanId, Section};

impl PlanDoc {
    /// Load a copy from outside, refusing it ([`DocError::OverLimit`]) if it
    /// holds more than a plan may. The check reads the bytes' cost before
    /// loading them, so a small file that would unpack into millions of
    /// changes is refused at once.
    pub fn load_incoming(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        let mut incoming = Incoming::begin(bytes, actor)?;
        while incoming.step()? {}
        incoming.finish()
    }
}

impl PlanDoc {
    /// Check this copy against every limit of a plan (what a copy from
    /// outside must meet): live changes are merged into a copy first and
    /// refused whole if the result is over a limit.
    pub fn check_limits(&self) -> Result<(), DocError> {
        let all: Vec<Section> = self.parts.keys().cloned().collect();
        self.check_limits_of(&all)
    }

    /// [`Self::check_limits`] for a copy where only `changed` parts differ
    /// from a copy already within the limits: the totals over every part,
    /// every value and answer of the changed parts.
    pub fn check_limits_of(&self, changed: &[Section]) -> Result<(), DocError> {
        let (mut ops, mut changes, mut actors) = (0u64, 0u64, 0u64);
        let areas = self
            .parts
            .keys()
            .filter(|p| matches!(p, Section::Area(_)))
            .count();
        if areas > MAX_AREAS {
            return Err(DocError::OverLimit(Limit::Areas));
        }
        let mut plan = Plan::default();
        for (part, doc) in &self.parts {
            let stats = doc.stats();
            ops += stats.num_ops;
            changes += stats.num_changes;
            actors += stats.num_actors;
            if changed.contains(part) {
                walk(doc, &ROOT, ObjType::Map, 0)?;
                self.read_part(part, &mut plan)?;
            }
        }
        let over = |n: u64, max: usize| n > max as u64;
        if over(ops, MAX_OPS) {
            return Err(DocError::OverLimit(Limit::Size));
        }
        if over(changes, MAX_CHANGES) {
            return Err(DocError::OverLimit(Limit::Changes));
        }
        if over(actors, MAX_ACTORS) {
            return Err(DocError::OverLimit(Limit::Actors));
        }
        check_plan(&plan)
    }
}

/// A copy from outside, checked and loaded one part at a time, so the page
/// can have a turn between parts (the browser calls [`Incoming::step`] with
/// a yield to the event loop in between; "Exit this page" must answer).
pub struct Incoming {
    pieces: std::vec::IntoIter<(Section, Vec<u8>)>,
    doc: PlanDoc,
    plan_id: Option<PlanId>,
    totals: (u64, u64, u64),
}

impl Incoming {
    /// Split the copy into its parts and count what loading them would
    /// cost: a copy over a limit is refused here, before Automerge loads
    /// a byte of it.
    pub fn begin(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        let pieces = check_cost(bytes)?;
        Ok(Self {
            pieces: pieces.into_iter().collect::<Vec<_>>().into_iter(),
            doc: PlanDoc {
                parts: Default::default(),
                plan_id: PlanId::default(),
                actor: actor_id(actor),
            },
            plan_id: None,
            totals: (0, 0, 0),
        })
    }

    /// Load and check the next part. `Ok(true)` while parts remain.
    pub fn step(&mut self) -> Result<bool, DocError> {
        let Some((part, piece)) = self.pieces.next() else {
            return Ok(false);
        };
        let loaded = Automerge::load_with_options(
            &piece,
            LoadOptions::new().on_partial_load(OnPartialLoad::Error),
        )
        .map_err(DocError::load)?;
        self.plan_id = Some(check_part(&loaded, &part, self.plan_id.as_ref())?);
        let stats = loaded.stats();
        self.totals.0 += stats.num_ops;
        self.totals.1 += stats.num_changes;
        self.totals.2 += stats.num_actors;
        let over = |n: u64, max: usize| n > max as u64;
        if over(self.totals.0, MAX_OPS) {
            return Err(DocError::OverLimit(Limit::Size));
        }
        if over(self.totals.1, MAX_CHANGES) {
            return Err(DocError::OverLimit(Limit::Changes));
        }
        if over(self.totals.2, MAX_ACTORS) {
            return Err(DocError::OverLimit(Limit::Actors));
        }
        walk(&loaded, &ROOT, ObjType::Map, 0)?;
        let actor = self.doc.actor.clone();
        self.doc.parts.insert(part, loaded.with_actor(actor));
        Ok(self.pieces.len() > 0)
    }

    /// The copy, once every part is loaded: its answers and lists checked
    /// against the limits typing has.
    pub fn finish(mut self) -> Result<PlanDoc, DocError> {
        while self.step()? {}
        self.doc.plan_id = self.plan_id.ok_or(DocError::NotAPlan)?;
        if !self.doc.has_part(&Section::Plan) {
            return Err(DocError::NotAPlan);
        }
        check_plan(&self.doc.plan()?)?;
        Ok(self.doc)
    }
}

/// What loading the bytes would cost, within the limits, before loading.
fn check_cost(bytes: &[u8]) -> Result<BTreeMap<Section, Vec<u8>>, DocError> {
    let pieces = super::bundle::split(bytes).map_err(bundle_error)?;
    let areas = pieces
        .keys()
        .filter(|p| matches!(p, Section::Area(_)))
        .count();
    if areas > MAX_AREAS {
        return Err(DocError::OverLimit(Limit::Areas));
    }
    let mut cost = Cost::default();
    for piece in pieces.values() {
        cost::measure(piece, &mut cost).map_err(|e| match e {
            CostError::Over(limit) => DocError::OverLimit(limit),
            CostError::Damaged => {
                DocError::Unreadable("a document's framing is not Automerge's".into())
            }
        })?;
    }
    Ok(pieces)
}

fn chars_over(s: &str, max: usize) -> bool {
    s.len() > max && s.chars().count() > max
}

/// Every value of every object, conflicts included, to `MAX_DEPTH`.
fn walk(doc: &Automerge, obj: &ObjId, kind: ObjType, depth: usize) -> Result<(), DocError> {
    let over = |l| Err(DocError::OverLimit(l));
    match kind {
        ObjType::Text => {
            if doc.length(obj) > LONG_MAX && doc.text(obj)?.chars().count() > LONG_MAX {
                return over(Limit::AnswerLength);
            }
            return Ok(());
        }
        ObjType::Map | ObjType::Table => {
            let keys: Vec<String> = doc.keys(obj).take(MAX_ITEMS + 1).collect();
            if keys.len() > MAX_ITEMS {
                return over(Limit::ListLength);
            }
            for key in keys {
                if chars_over(&key, MAX_STRING_CHARS) {
                    return over(Limit::AnswerLength);
                }
                for (value, id) in doc.get_all(obj, key.as_str())? {
                    value_ok(doc, value, id, depth)?;
                }
            }
        }
        ObjType::List => {
            let len = doc.length(obj);
            if len > MAX_ITEMS {
                return over(Limit::ListLength);
            }
            for i in 0..len {
                for (value, id) in doc.get_all(obj, i)? {
                    value_ok(doc, value, id, depth)?;
                }
            }
        }
    }
    Ok(())
}

fn value_ok(doc: &Automerge, value: Value<'_>, id: ObjId, depth: usize) -> Result<(), DocError> {
    match value {
        Value::Object(kind) => {
            if depth + 1 > MAX_DEPTH {
                return Err(DocError::OverLimit(Limit::Depth));
            }
            walk(doc, &id, kind, depth + 1)
        }
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(s) if chars_over(s, MAX_STRING_CHARS) => {
                Err(DocError::OverLimit(Limit::AnswerLength))
            }
            automerge::ScalarValue::Bytes(b) if b.len() > MAX_STRING_CHARS => {
                Err(DocError::OverLimit(Limit::AnswerLength))
            }
            _ => Ok(()),
        },
    }
}

/// The plan's own lists and answers, against the limits typing has.
fn check_plan(plan: &Plan) -> Result<(), DocError> {
    let lists = [
        (plan.cared_for.len(), MAX_PEOPLE),
        (plan.actions.len(), MAX_ACTIONS),
        (plan.emergency.contacts.len(), MAX_CONTACTS),
        (plan.emergency.risks.len(), MAX_RISKS),
    ];
    if lists.iter().any(|(n, max)| n > max) {
        return Err(DocError::OverLimit(Limit::ListLength));
    }
    if plan.wellbeing.len() > MAX_AREAS {
        return Err(DocError::OverLimit(Limit::Areas));
    }
    for field in Field::all_in(plan) {
        if field.validate(&field.value_in(plan)).is_err() {
            return Err(DocError::OverLimit(Limit::AnswerLength));
        }
    }
    Ok(())
}
