//! One plan as one Automerge document: create, load, edit, merge, save.
//!
//! Every change is made through this type, so every change carries this
//! device's actor, a timestamp and a short message naming what changed.

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{
    Automerge, AutomergeError, ChangeHash, LoadOptions, ObjId, ObjType, OnPartialLoad, ReadDoc,
    ScalarValue, Value, ROOT,
};
use autosurgeon::{hydrate, reconcile, HydrateError, ReconcileError};
use thiserror::Error;

use super::field::{Field, FieldError, FieldKind, Step};
use super::framework::Framework;
use super::ids::{DeviceActor, PlanId, RandomError};
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

/// A plan's Automerge document.
#[derive(Debug)]
pub struct PlanDoc {
    doc: Automerge,
    plan_id: PlanId,
}

impl PlanDoc {
    /// Start a new plan. Every map and list the plan has is made in this
    /// first change, so all copies share them.
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
        let mut plan = Plan {
            schema_version: CURRENT_SCHEMA,
            plan_id: plan_id.to_string(),
            framework: framework.to_owned(),
            created_at: now_ms,
            ..Plan::default()
        };
        for id in indicators {
            plan.wellbeing.insert((*id).to_owned(), Default::default());
        }
        plan.participants.insert(actor.as_str().to_owned(), me);
        let mut doc = Automerge::new().with_actor(actor.actor_id());
        doc.transact_with(
            |_| commit("Started the plan", now_ms),
            |tx| reconcile(tx, &plan),
        )
        .map_err(|f| DocError::from(f.error))?;
        Ok(Self { doc, plan_id })
    }

    /// Load saved bytes (a snapshot, increments, or both concatenated).
    /// Anything damaged, partial, of a newer format or of the wrong shape is
    /// an error: the caller keeps the bytes untouched.
    pub fn load(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        Ok(Self::load_keeping_heads(bytes, actor)?.0)
    }

    /// Like [`Self::load`], also giving the heads of the bytes as stored
    /// (before any migration), so the caller knows what storage holds.
    pub(crate) fn load_keeping_heads(
        bytes: &[u8],
        actor: &DeviceActor,
    ) -> Result<(Self, Vec<ChangeHash>), DocError> {
        let doc = Automerge::load_with_options(
            bytes,
            LoadOptions::new().on_partial_load(OnPartialLoad::Error),
        )
        .map_err(|e| DocError::Unreadable(e.to_string()))?;
        let stored = doc.get_heads();
        Ok((
            Self::from_automerge(doc.with_actor(actor.actor_id()))?,
            stored,
        ))
    }

    fn from_automerge(mut doc: Automerge) -> Result<Self, DocError> {
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
        let version = schema::version_of(&doc).ok_or(DocError::NotAPlan)?;
        if version > CURRENT_SCHEMA {
            return Err(DocError::NewerSchema {
                found: version,
                supported: CURRENT_SCHEMA,
            });
        }
        schema::migrate(&mut doc, &plan_id, version)?;
        let me = Self { doc, plan_id };
        me.plan()?;
        Ok(me)
    }

    pub fn plan_id(&self) -> &PlanId {
        &self.plan_id
    }

    /// The plan as Rust values.
    pub fn plan(&self) -> Result<Plan, DocError> {
        Ok(hydrate(&self.doc)?)
    }

    pub fn heads(&self) -> Vec<ChangeHash> {
        self.doc.get_heads()
    }

    /// The whole document, compressed, with its full history.
    pub fn save(&self) -> Vec<u8> {
        self.doc.save()
    }

    /// The changes made since `heads`, as bytes that [`Self::apply_saved`] or
    /// Automerge's `loadIncremental` accept.
    pub fn save_after(&self, heads: &[ChangeHash]) -> Vec<u8> {
        self.doc.save_after(heads)
    }

    pub fn automerge(&self) -> &Automerge {
        &self.doc
    }

    /// Add saved bytes of this same plan (another tab's save) to this copy.
    /// Every part is checked before anything is applied, so damaged bytes
    /// are refused and change nothing.
    pub fn apply_saved(&mut self, bytes: &[u8]) -> Result<(), DocError> {
        let bad = |e: String| DocError::Unreadable(e);
        let mut documents = Vec::new();
        let mut changes = Vec::new();
        for (kind, piece) in split_chunks(bytes).ok_or_else(|| bad("damaged chunk".into()))? {
            if kind == CHUNK_DOCUMENT {
                Automerge::load_with_options(
                    piece,
                    LoadOptions::new().on_partial_load(OnPartialLoad::Error),
                )
                .map_err(|e| bad(e.to_string()))?;
                documents.push(piece);
            } else {
                changes.push(automerge::Change::try_from(piece).map_err(|e| bad(e.to_string()))?);
            }
        }
        for piece in documents {
            self.doc
                .load_incremental(piece)
                .map_err(|e| bad(e.to_string()))?;
        }
        self.doc.apply_changes(changes)?;
        Ok(())
    }

    /// Merge another copy of the same plan into this one; both sides' edits
    /// are kept. A copy of a different plan is refused.
    pub fn merge(&mut self, other: &mut PlanDoc) -> Result<Vec<ChangeHash>, DocError> {
        if self.plan_id != other.plan_id {
            return Err(DocError::DifferentPlan);
        }
        Ok(self.doc.merge(&mut other.doc)?)
    }

    /// A copy of this plan for another device or a test: same history,
    /// the given actor.
    pub fn fork(&self, actor: &DeviceActor) -> PlanDoc {
        PlanDoc {
            doc: self.doc.fork().with_actor(actor.actor_id()),
            plan_id: self.plan_id.clone(),
        }
    }

    /// The map that holds `field`, if the document has it.
    fn parent_of(&self, field: &Field) -> Result<ObjId, DocError> {
        let (steps, _) = field.path();
        let mut obj = ROOT;
        for step in steps {
            obj = match step {
                Step::Key(k) => match self.doc.get(&obj, k)? {
                    Some((Value::Object(_), id)) => id,
                    _ => return Err(DocError::WrongShape(format!("{k} is missing"))),
                },
                Step::Item(want) => {
                    let mut found = None;
                    for i in 0..self.doc.length(&obj) {
                        if let Some((Value::Object(ObjType::Map), item)) = self.doc.get(&obj, i)? {
                            let id = self.doc.get(&item, "id")?;
                            if matches!(&id, Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Str(v) if v.as_str() == want))
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

    /// The current text of one answer ("" if it has none yet).
    pub fn field_value(&self, field: &Field) -> String {
        let Ok(parent) = self.parent_of(field) else {
            return String::new();
        };
        match self.doc.get(&parent, field.path().1) {
            Ok(Some((Value::Object(ObjType::Text), id))) => self.doc.text(&id).unwrap_or_default(),
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
        let parent = self.parent_of(field)?;
        let key = field.path().1;
        enum Target {
            Text(ObjId),
            Scalar,
            NewText,
        }
        let target = match self.doc.get(&parent, key)? {
            Some((Value::Object(ObjType::Text), id)) => {
                if self.doc.text(&id)? == value {
                    return Ok(false);
                }
                Target::Text(id)
            }
            Some((Value::Scalar(s), _)) => {
                if matches!(s.as_ref(), ScalarValue::Str(old) if old.as_str() == value) {
                    return Ok(false);
                }
                Target::Scalar
            }
            None if field.kind() == FieldKind::Short => Target::Scalar,
            None => Target::NewText,
            Some(_) => return Err(DocError::WrongShape(format!("{key} is not text"))),
        };
        let message = format!("Updated {}", field.section_title());
        self.doc
            .transact_with(
                |_| commit(message, now_ms),
                |tx| match &target {
                    Target::Text(id) => tx.update_text(id, value),
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
    /// plan's Rust values. Nothing is committed if `f` changes nothing. The
    /// plan's id and format version cannot be changed this way.
    pub fn change<F>(&mut self, message: &str, now_ms: i64, f: F) -> Result<bool, DocError>
    where
        F: FnOnce(&mut Plan),
    {
        // Hydrate inside the transaction: a transaction's base heads can
        // differ from the document's (it also depends on this actor's own
        // last change), and autosurgeon's Text checks they match.
        let result = self.doc.transact_with(
            |_| commit(message, now_ms),
            |tx| -> Result<bool, DocError> {
                let before: Plan = hydrate(tx)?;
                let mut plan = before.clone();
                f(&mut plan);
                plan.plan_id = before.plan_id.clone();
                plan.schema_version = before.schema_version;
                if plan == before {
                    return Ok(false);
                }
                reconcile(tx, &plan)?;
                Ok(true)
            },
        );
        match result {
            Ok(s) => Ok(s.result),
            Err(f) => Err(f.error),
        }
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
            plan.participants.insert(actor.as_str().to_owned(), me);
        })
    }
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
