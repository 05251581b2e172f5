//! One plan as a set of Automerge documents (its parts): create, load,
//! edit, merge, save, export.
//!
//! Every change is made through this type, so every change carries this
//! device's actor, a timestamp and a short message naming what changed.

use automerge::transaction::{CommitOptions, Transactable};
use std::collections::BTreeMap;

use automerge::{
    Automerge, AutomergeError, ChangeHash, LoadOptions, ObjId, ObjType, OnPartialLoad, ReadDoc,
    ScalarValue, Value, ROOT,
};
use autosurgeon::{HydrateError, ReconcileError};
use thiserror::Error;

use super::bundle::{self, BundleError};
use super::field::{Field, FieldError, FieldKind, Step};
use super::framework::Framework;
use super::ids::{DeviceActor, PlanId, RandomError};
use super::part::{is_genesis_actor, Part};
use super::plan::{Participant, Plan};
use super::schema::{self, CURRENT_SCHEMA};

#[derive(Debug, Error)]
pub enum DocError {
    #[error("The saved plan could not be read. It may be damaged or only partly saved. ({0})")]
    Unreadable(String),
    #[error("This plan was saved by a newer version of the app (format {found}; this version reads up to {supported}). Update the app to open it.")]
    NewerSchema { found: u64, supported: u64 },
    #[error("This is not a carer support plan.")]
    NotAPlan,
    #[error("This plan's contents are not in the shape the app expects. ({0})")]
    WrongShape(String),
    #[error("These are copies of two different plans, so they cannot be combined.")]
    DifferentPlan,
    #[error("{0}")]
    Field(#[from] FieldError),
    #[error("{0}")]
    Random(#[from] RandomError),
    #[error("The plan could not be changed. ({0})")]
    Change(String),
}

impl From<AutomergeError> for DocError {
    fn from(e: AutomergeError) -> Self {
        DocError::Change(e.to_string())
    }
}

impl From<HydrateError> for DocError {
    fn from(e: HydrateError) -> Self {
        DocError::WrongShape(e.to_string())
    }
}

impl From<ReconcileError> for DocError {
    fn from(e: ReconcileError) -> Self {
        DocError::Change(e.to_string())
    }
}

/// Commit options for a change made at `now_ms`: Automerge timestamps are
/// seconds, as Automerge's JavaScript implementation writes them.
pub(crate) fn commit(message: impl Into<String>, now_ms: i64) -> CommitOptions {
    CommitOptions::default()
        .with_message(message)
        .with_time(now_ms.div_euclid(1000))
}

/// One change of the plan, in any of its parts.
#[derive(Debug, Clone, PartialEq)]
pub struct ChangeInfo {
    pub part: Part,
    pub hash: ChangeHash,
    pub actor: automerge::ActorId,
    /// Seconds since 1970.
    pub time: i64,
    pub message: Option<String>,
}

/// A plan: its part documents (see [`crate::core::part`]).
#[derive(Debug)]
pub struct PlanDoc {
    parts: BTreeMap<Part, Automerge>,
    plan_id: PlanId,
    actor: automerge::ActorId,
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
            actor: actor.actor_id(),
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

    /// Load saved bytes (a bundle of snapshots, increments, or both).
    /// Anything damaged, partial, of a newer format or of the wrong shape is
    /// an error: the caller keeps the bytes untouched.
    pub fn load(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        Ok(Self::load_keeping_heads(bytes, actor)?.0)
    }

    /// Like [`Self::load`], also giving the heads of the bytes as stored.
    pub(crate) fn load_keeping_heads(
        bytes: &[u8],
        actor: &DeviceActor,
    ) -> Result<(Self, Vec<ChangeHash>), DocError> {
        let mut doc = Self {
            parts: BTreeMap::new(),
            plan_id: PlanId::parse(&"0".repeat(32)).ok_or(DocError::NotAPlan)?,
            actor: actor.actor_id(),
        };
        let parts = bundle::split(bytes).map_err(bundle_error)?;
        let mut plan_id = None;
        for (part, piece) in parts {
            let loaded = Automerge::load_with_options(
                &piece,
                LoadOptions::new().on_partial_load(OnPartialLoad::Error),
            )
            .map_err(|e| DocError::Unreadable(e.to_string()))?;
            let id = check_part(&loaded, &part, plan_id.as_ref())?;
            plan_id = Some(id);
            doc.parts.insert(part, loaded.with_actor(actor.actor_id()));
        }
        doc.plan_id = plan_id.ok_or(DocError::NotAPlan)?;
        if !doc.parts.contains_key(&Part::Plan) {
            return Err(DocError::NotAPlan);
        }
        doc.plan()?;
        let heads = doc.heads();
        Ok((doc, heads))
    }

    pub fn plan_id(&self) -> &PlanId {
        &self.plan_id
    }

    /// The parts this copy holds (a key worker's copy holds only what was shared).
    pub fn parts(&self) -> impl Iterator<Item = &Part> {
        self.parts.keys()
    }

    pub fn has_part(&self, part: &Part) -> bool {
        self.parts.contains_key(part)
    }

    /// The plan as Rust values, from every part this copy holds.
    pub fn plan(&self) -> Result<Plan, DocError> {
        let mut plan = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: self.plan_id.to_string(),
            ..Plan::default()
        };
        for (part, doc) in &self.parts {
            part.read(doc, &mut plan)?;
        }
        Ok(plan)
    }

    /// The heads of every part together.
    pub fn heads(&self) -> Vec<ChangeHash> {
        let mut out: Vec<ChangeHash> = self.parts.values().flat_map(|d| d.get_heads()).collect();
        out.sort();
        out
    }

    /// Every part, compressed, with its full history.
    pub fn save(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            bundle::push(&mut out, part, &doc.save());
        }
        out
    }

    /// The changes made since `heads` (as [`Self::heads`] gave them).
    pub fn save_after(&self, heads: &[ChangeHash]) -> Vec<u8> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            let known = known_to(doc, heads);
            let bytes = doc.save_after(&known);
            if !bytes.is_empty() {
                bundle::push(&mut out, part, &bytes);
            }
        }
        out
    }

    /// The chosen parts (the plan part always; the private part never), each
    /// with its whole history: what a share file carries.
    pub fn export(&self, chosen: &[Part]) -> Vec<u8> {
        let mut out = Vec::new();
        for (part, doc) in &self.parts {
            if part.shareable() && (*part == Part::Plan || chosen.contains(part)) {
                bundle::push(&mut out, part, &doc.save());
            }
        }
        out
    }

    /// One part's document, for reading.
    pub fn part_doc(&self, part: &Part) -> Option<&Automerge> {
        self.parts.get(part)
    }

    /// Add saved bytes of this same plan (another tab's save) to this copy.
    /// Every piece is checked before anything is applied, so damaged bytes
    /// are refused and change nothing.
    pub fn apply_saved(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        let bad = |e: String| DocError::Unreadable(e);
        let mut staged = Vec::new();
        for (part, piece) in bundle::split(bytes).map_err(bundle_error)? {
            let mut documents = Vec::new();
            let mut changes = Vec::new();
            for (kind, chunk) in split_chunks(&piece).ok_or_else(|| bad("damaged chunk".into()))? {
                if kind == CHUNK_DOCUMENT {
                    let loaded = Automerge::load_with_options(
                        chunk,
                        LoadOptions::new().on_partial_load(OnPartialLoad::Error),
                    )
                    .map_err(|e| bad(e.to_string()))?;
                    check_part(&loaded, &part, Some(&self.plan_id))?;
                    documents.push(chunk.to_vec());
                } else {
                    changes
                        .push(automerge::Change::try_from(chunk).map_err(|e| bad(e.to_string()))?);
                }
            }
            staged.push((part, documents, changes));
        }
        for (part, documents, changes) in staged {
            let mut doc = match self.parts.remove(&part) {
                Some(d) => d,
                None => Automerge::new().with_actor(self.actor.clone()),
            };
            let result = (|| {
                for piece in &documents {
                    doc.load_incremental(piece)
                        .map_err(|e| bad(e.to_string()))?;
                }
                doc.apply_changes(changes)?;
                check_part(&doc, &part, Some(&self.plan_id))
            })();
            match result {
                Ok(_) => {
                    self.parts.insert(part, doc);
                }
                Err(e) if doc.get_heads().is_empty() => return Err(e),
                Err(e) => {
                    self.parts.insert(part, doc);
                    return Err(e);
                }
            }
        }
        Ok(())
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
        self.fork_as(actor.actor_id())
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

    pub(crate) fn part_doc_mut(&mut self, part: &Part) -> Option<&mut Automerge> {
        self.parts.get_mut(part)
    }

    /// The plan as it was at `heads` (say, a signed version). Parts with
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

    /// Every change of every part, oldest first (by time, then part).
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
        out.sort_by(|a, b| a.time.cmp(&b.time).then(a.part.cmp(&b.part)));
        out
    }

    /// The part holding `field`, and the map inside it that holds the answer.
    fn locate(&self, field: &Field) -> Option<(Part, ObjId)> {
        // Every part has the root map, so the answer's own key must be
        // there too: a part's first change makes every key it owns.
        let key = field.path().1;
        self.parts.iter().find_map(|(p, d)| {
            let parent = parent_of(d, field).ok()?;
            d.get(&parent, key).ok()?.map(|_| (p.clone(), parent))
        })
    }

    /// The current text of one answer ("" if it has none yet).
    pub fn field_value(&self, field: &Field) -> String {
        let Some((part, parent)) = self.locate(field) else {
            return String::new();
        };
        let Some(doc) = self.parts.get(&part) else {
            return String::new();
        };
        match doc.get(&parent, field.path().1) {
            Ok(Some((Value::Object(ObjType::Text), id))) => doc.text(&id).unwrap_or_default(),
            Ok(Some((Value::Scalar(s), _))) => match s.as_ref() {
                ScalarValue::Str(v) => v.to_string(),
                _ => String::new(),
            },
            _ => String::new(),
        }
    }

    /// Set one typed answer. Returns whether anything changed. A value that
    /// fails [`Field::validate`] is refused and the stored answer stays.
    pub fn set_field(&mut self, field: &Field, value: &str, now_ms: i64) -> Result<bool, DocError> {
        field.validate(value)?;
        if *field == Field::PrivateNotes && !self.parts.contains_key(&Part::Private) {
            let doc = Part::Private
                .genesis(&self.plan_id)?
                .with_actor(self.actor.clone());
            self.parts.insert(Part::Private, doc);
        }
        let (part, parent) = self.locate(field).ok_or_else(|| {
            DocError::WrongShape("that answer's section is not in this copy".into())
        })?;
        let doc = self.parts.get_mut(&part).ok_or_else(|| {
            DocError::WrongShape("that answer's section is not in this copy".into())
        })?;
        let key = field.path().1;
        enum Target {
            Text(ObjId, (usize, isize, String)),
            Scalar,
            NewText,
        }
        let target = match doc.get(&parent, key)? {
            Some((Value::Object(ObjType::Text), id)) => {
                let old = doc.text(&id)?;
                if old == value {
                    return Ok(false);
                }
                Target::Text(id, splice_between(&old, value))
            }
            Some((Value::Scalar(s), _)) => {
                // A conflict (two values) is settled by writing, even the same value.
                let single = doc.get_all(&parent, key)?.len() == 1;
                if single && matches!(s.as_ref(), ScalarValue::Str(old) if old.as_str() == value) {
                    return Ok(false);
                }
                Target::Scalar
            }
            None if field.kind() == FieldKind::Short => Target::Scalar,
            None => Target::NewText,
            Some(_) => return Err(DocError::WrongShape(format!("{key} is not text"))),
        };
        let message = format!("Updated {}", field.section_title());
        doc.transact_with(
            |_| commit(message, now_ms),
            |tx| match &target {
                // One splice where the old and new text differ: a keystroke
                // costs a comparison, not a full diff of a long answer.
                Target::Text(id, (at, del, ins)) => tx.splice_text(id, *at, *del, ins),
                Target::Scalar => tx.put(&parent, key, value),
                Target::NewText => {
                    let id = tx.put_object(&parent, key, ObjType::Text)?;
                    tx.update_text(&id, value)
                }
            },
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(true)
    }

    /// Make a structural change (add a person, set a rating) through the
    /// plan's Rust values. Only the parts whose values changed get a change;
    /// a part the plan now needs and this copy lacks (a new wellbeing area)
    /// is made. The plan's id and format version cannot be changed this way.
    pub fn change<F>(&mut self, message: &str, now_ms: i64, f: F) -> Result<bool, DocError>
    where
        F: Fn(&mut Plan),
    {
        let before = self.plan()?;
        let mut after = before.clone();
        f(&mut after);
        if after == before {
            return Ok(false);
        }
        let mut changed = false;
        let starting = self.parts.is_empty();
        for part in Part::all_for(&after) {
            if !self.parts.contains_key(&part) {
                // A copy that was given only some sections never grows the
                // others back: only a new plan's parts and newly added
                // areas are made here.
                let new_area = matches!(&part, Part::Area(i) if !before.wellbeing.contains_key(i));
                if !(starting || new_area) {
                    continue;
                }
                let doc = part.genesis(&self.plan_id)?.with_actor(self.actor.clone());
                self.parts.insert(part.clone(), doc);
            }
            let Some(doc) = self.parts.get_mut(&part) else {
                continue;
            };
            // Hydrate inside the transaction: a transaction's base heads can
            // differ from the document's (it also depends on this actor's own
            // last change), and autosurgeon's Text checks they match.
            let result = doc.transact_with(
                |_| commit(message, now_ms),
                |tx| -> Result<bool, DocError> {
                    let mut mine = before.clone();
                    part.read(tx, &mut mine)?;
                    let mut target = mine.clone();
                    f(&mut target);
                    if part.project(&target) == part.project(&mine) {
                        return Ok(false);
                    }
                    part.write(tx, &target)?;
                    Ok(true)
                },
            );
            match result {
                Ok(s) => changed |= s.result,
                Err(f) => return Err(f.error),
            }
        }
        Ok(changed)
    }

    /// Use another framework. Areas it has that the plan lacks are added;
    /// nothing already written is removed, so switching back finds every word.
    pub fn use_framework(&mut self, framework: &Framework, now_ms: i64) -> Result<bool, DocError> {
        let message = format!("Chose where you live: {}", framework.name);
        self.change(&message, now_ms, |plan| {
            plan.framework = framework.id.clone();
            for ind in &framework.indicators {
                plan.wellbeing.entry(ind.id.clone()).or_default();
            }
        })
    }

    /// Record who this device's actor is, once (or when the name or role changes).
    pub fn ensure_participant(
        &mut self,
        actor: &DeviceActor,
        me: Participant,
        now_ms: i64,
    ) -> Result<bool, DocError> {
        let message = format!("{} joined as {}", me.name, me.role.label());
        self.change(&message, now_ms, |plan| {
            plan.participants
                .insert(actor.as_str().to_owned(), me.clone());
        })
    }
}

/// Of `heads` (the heads of several parts together), those this part's
/// document has.
pub(crate) fn known_to(doc: &Automerge, heads: &[ChangeHash]) -> Vec<ChangeHash> {
    heads
        .iter()
        .filter(|h| doc.get_change_by_hash(h).is_some())
        .copied()
        .collect()
}

/// Where `new` differs from `old`, in code points (the document's text
/// indexes): the position, how many to delete there, and what to insert.
fn splice_between(old: &str, new: &str) -> (usize, isize, String) {
    let old: Vec<char> = old.chars().collect();
    let new: Vec<char> = new.chars().collect();
    let prefix = old.iter().zip(&new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    let deleted = old.len() - prefix - suffix;
    let inserted: String = new[prefix..new.len() - suffix].iter().collect();
    (prefix, deleted as isize, inserted)
}

fn bundle_error(e: BundleError) -> DocError {
    match e {
        BundleError::NotABundle => DocError::NotAPlan,
        BundleError::Truncated => DocError::Unreadable("it is cut short".into()),
        BundleError::UnknownPart(p) => DocError::WrongShape(format!(
            "it has a section this version of the app does not know ({p}); update the app to open it"
        )),
    }
}

/// Check one part document: complete, of this plan, of a format this
/// version reads, and the part it says it is. Returns its plan id.
fn check_part(doc: &Automerge, part: &Part, plan: Option<&PlanId>) -> Result<PlanId, DocError> {
    if !doc.get_missing_deps(&[]).is_empty() {
        return Err(DocError::Unreadable(
            "some of its saved changes are missing".into(),
        ));
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
            ScalarValue::Str(s) => Part::parse(s),
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

/// The map that holds `field` in one part document, if it has it.
fn parent_of(doc: &Automerge, field: &Field) -> Result<ObjId, DocError> {
    resolve(doc, &field.path().0)
}

/// Follow map keys and list item ids (`Step::Item`: the item whose `id` is
/// this) from a document's root to an object.
pub(crate) fn resolve(doc: &Automerge, steps: &[Step<'_>]) -> Result<ObjId, DocError> {
    let mut obj = ROOT;
    for step in steps {
        obj = match step {
            Step::Key(k) => match doc.get(&obj, *k)? {
                Some((Value::Object(_), id)) => id,
                _ => return Err(DocError::WrongShape(format!("{k} is missing"))),
            },
            Step::Item(want) => {
                let mut found = None;
                for i in 0..doc.length(&obj) {
                    if let Some((Value::Object(ObjType::Map), item)) = doc.get(&obj, i)? {
                        let id = doc.get(&item, "id")?;
                        if matches!(&id, Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Str(v) if v.as_str() == *want))
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

const CHUNK_DOCUMENT: u8 = 0;
const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// Split Automerge's storage format into its chunks (magic, checksum, type,
/// LEB128 length, data), without trusting any length beyond the input.
fn split_chunks(mut bytes: &[u8]) -> Option<Vec<(u8, &[u8])>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        if bytes.len() < 9 || bytes[..4] != MAGIC {
            return None;
        }
        let kind = bytes[8];
        let mut len: u64 = 0;
        let mut i = 9;
        let mut shift = 0;
        loop {
            let b = *bytes.get(i)?;
            len |= u64::from(b & 0x7f).checked_shl(shift)?;
            i += 1;
            if b & 0x80 == 0 {
                break;
            }
            shift += 7;
            if shift > 63 {
                return None;
            }
        }
        let end = i.checked_add(usize::try_from(len).ok()?)?;
        if end > bytes.len() {
            return None;
        }
        out.push((kind, &bytes[..end]));
        bytes = &bytes[end..];
    }
    Some(out)
}
