//! Loading a stored plan one part at a time ([`Loading`]), so the page can
//! let the browser paint and answer between parts of a long plan instead of
//! holding its thread for the whole of it. Automerge's `load` of one part
//! cannot be cut (it rebuilds and hashes every change of that part), so a
//! step is one part: a plan whose history is spread over its sections is
//! held for its longest part's load only. [`PlanDoc::load`] runs every step
//! at once, so there is one way of loading.

use automerge::{Automerge, ChangeHash, LoadOptions, OnPartialLoad};

use super::actor::actor_id;
use super::bundle;
use super::document::{bundle_error, check_part, PlanDoc};
use super::error::DocError;
use crate::plan::{DeviceActor, PlanId, Section};

impl PlanDoc {
    /// Load saved bytes (a bundle of snapshots, increments, or both).
    /// Anything damaged, partial, of a newer format or of the wrong shape is
    /// an error: the caller keeps the bytes untouched.
    pub fn load(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        Ok(Loading::start(bytes, actor)?.finish()?.0)
    }
}

/// A plan part-way loaded: the parts still to load, biggest last.
#[derive(Debug)]
pub struct Loading {
    doc: PlanDoc,
    plan_id: Option<PlanId>,
    to_load: Vec<(Section, Vec<u8>)>,
}

impl Loading {
    /// Start loading saved bytes (a bundle of snapshots, increments, or
    /// both): only reads where each part's bytes are.
    pub fn start(bytes: &[u8], actor: &DeviceActor) -> Result<Self, DocError> {
        let mut to_load: Vec<(Section, Vec<u8>)> = bundle::split(bytes)
            .map_err(bundle_error)?
            .into_iter()
            .collect();
        // The plan's own part first (the one every copy holds), then the
        // others from the smallest; kept in reverse, taken from the end.
        to_load.sort_by_key(|(part, piece)| (*part != Section::Plan, piece.len()));
        to_load.reverse();
        Ok(Self {
            doc: PlanDoc {
                parts: Default::default(),
                plan_id: PlanId::default(),
                actor: actor_id(actor),
            },
            plan_id: None,
            to_load,
        })
    }

    /// Load the next part. `Ok(true)`: more parts are left. Anything
    /// damaged, partial, of a newer format or of another plan is an error.
    pub fn step(&mut self) -> Result<bool, DocError> {
        let Some((part, piece)) = self.to_load.pop() else {
            return Ok(false);
        };
        let loaded = Automerge::load_with_options(
            &piece,
            LoadOptions::new().on_partial_load(OnPartialLoad::Error),
        )
        .map_err(DocError::load)?;
        let id = check_part(&loaded, &part, self.plan_id.as_ref())?;
        self.plan_id = Some(id);
        let loaded = loaded.with_actor(self.doc.actor.clone());
        self.doc.parts.insert(part, loaded);
        Ok(!self.to_load.is_empty())
    }

    /// The plan, once every part is loaded, and its heads as stored.
    pub fn finish(mut self) -> Result<(PlanDoc, Vec<ChangeHash>), DocError> {
        while self.step()? {}
        self.doc.plan_id = self.plan_id.ok_or(DocError::NotAPlan)?;
        if !self.doc.parts.contains_key(&Section::Plan) {
            return Err(DocError::NotAPlan);
        }
        self.doc.plan()?;
        let heads = self.doc.heads();
        Ok((self.doc, heads))
    }
}
