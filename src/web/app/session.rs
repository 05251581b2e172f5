//! One plan open on the page: its documents, what of them storage holds,
//! and where its saving has got.

use leptos::prelude::*;

use crate::doc::signoff::SignError;
use crate::doc::PlanDoc;
use crate::plan::framework::Framework;
use crate::plan::{PlanId, Version};
use crate::store::ChunkLog;
use crate::web::engine::protocol::{Chunk, Journaled, Named};

use super::super::platform::journal;
use super::plans::DEFAULT_FRAMEWORK;
use super::{now_ms, App, AppError, Opening};

/// One open plan.
pub(crate) struct Session {
    pub doc: PlanDoc,
    pub log: ChunkLog,
    pub writing: bool,
    pub again: bool,
    /// The engine worker is compacting the stored chunks (`Request::Compact`).
    pub compacting: bool,
    /// The engine could not compact them: the page does, in its next save.
    pub compact_here: bool,
    /// The journal may hold changes of this plan (written when the page
    /// was hidden, or left by a page that closed): cleared once everything
    /// is stored, not on every key (localStorage is synchronous).
    pub journaled: bool,
}

impl Session {
    pub(super) fn new(doc: PlanDoc, log: ChunkLog) -> Self {
        Session {
            doc,
            log,
            writing: false,
            again: false,
            compacting: false,
            compact_here: false,
            journaled: true,
        }
    }
}

/// The page's own copy of a plan: only when no engine can open it
/// (`viewing.rs`).
impl App {
    /// Run `f` on an open plan's session, without holding the borrow over
    /// anything else. `Busy` instead of a panic if it is already in use.
    pub(super) fn with_session<R>(
        &self,
        id: &PlanId,
        f: impl FnOnce(&mut Session) -> R,
    ) -> Result<R, AppError> {
        let inner = self.inner().ok_or(AppError::NotReady)?;
        let mut sessions = inner
            .sessions
            .try_borrow_mut()
            .map_err(|_| AppError::Busy)?;
        let s = sessions.get_mut(id).ok_or(AppError::NotOpen)?;
        Ok(f(s))
    }

    /// The changes of an open plan the page has not stored yet (Automerge's
    /// saved form), sent with a request so the engine works on the plan as
    /// the person sees it: none for a plan open through the engine, which
    /// stores every change itself.
    pub(super) fn unsaved_of(&self, id: &PlanId) -> Result<Vec<u8>, AppError> {
        if self.viewing(id) {
            return Ok(Vec::new());
        }
        self.with_session(id, |s| {
            s.log.pending(&s.doc).map(|p| p.bytes).unwrap_or_default()
        })
    }

    /// Read an open plan's document (here, in `web/app/`: no screen reads
    /// a document).
    pub(in crate::web::app) fn read<R>(
        &self,
        id: &PlanId,
        f: impl FnOnce(&PlanDoc) -> R,
    ) -> Option<R> {
        self.with_session(id, |s| f(&s.doc)).ok()
    }

    /// Start a new plan in the page's own copy (no engine can), saved at once.
    pub(super) fn create_here(&self, id: &PlanId) {
        let Some(inner) = self.inner() else { return };
        let framework = Framework::for_plan(DEFAULT_FRAMEWORK);
        let indicators: Vec<&str> = framework.indicators.iter().map(|i| i.id.as_str()).collect();
        let made = PlanDoc::create_with_id(
            id.clone(),
            &inner.actor,
            self.me(),
            &framework.id,
            &indicators,
            now_ms(),
        );
        let doc = match made {
            Ok(doc) => doc,
            Err(e) => {
                self.ui
                    .opening
                    .set(Opening::Failed(AppError::Plan(e).to_string()));
                return;
            }
        };
        if let Ok(mut sessions) = inner.sessions.try_borrow_mut() {
            sessions.insert(id.clone(), Session::new(doc, ChunkLog::empty()));
        }
        self.save_now(id.clone());
        if matches!(self.ui.opening.get_untracked(), Opening::Loading(ref l) if l == id) {
            self.show(id);
        }
    }

    /// What a page journaled of a plan open in its own copy: each box's
    /// text and each named change made there (after what storage holds: a
    /// key an engine stored is not made twice).
    pub(super) fn settle_journaled(&self, id: &PlanId) -> bool {
        let kept: Journaled = journal::read_journaled(id);
        if kept.is_empty() {
            return false;
        }
        let (at, actor) = (now_ms(), self.actor());
        let changed = self.with_session(id, |s| {
            let mut changed = false;
            for (field, text) in &kept.typed {
                changed |= matches!(s.doc.type_answer(field, text, at), Ok(Some(_)));
            }
            for (named, at) in &kept.named {
                if let Some(actor) = &actor {
                    changed |= matches!(named.make(&mut s.doc, actor, *at), Ok(true));
                }
            }
            changed
        });
        journal::clear_journaled(id);
        changed.unwrap_or(false)
    }

    /// Take a chunk the engine stored into the page's copy (merged and
    /// recorded as stored, storage not read): the copy's version after it
    /// (hex), or `None` when it could not be taken in.
    pub(super) fn take_in_chunk(&self, id: &PlanId, chunk: Chunk) -> Option<Version> {
        self.with_session(id, |s| {
            s.log
                .take_in_one(&mut s.doc, &chunk.key, chunk.bytes)
                .then(|| s.doc.version_token())
        })
        .ok()
        .flatten()
    }

    /// The page is being hidden or closed: edits still in the engine's
    /// hands are made in the page's own copy, to be journaled with the rest
    /// (an engine stops with its page). If the engine stored one too, the
    /// two say the same, and the plan shows one value. A sign-off stays in
    /// the engine's hands (made twice it would be two): its form is still
    /// waiting for it, and says nothing was signed if the tab closes first.
    pub(super) fn flush_in_flight(&self) {
        let Some(inner) = self.inner() else { return };
        let Some(actor) = self.actor() else { return };
        let views: Vec<PlanId> = inner
            .views
            .try_borrow()
            .map(|v| v.keys().cloned().collect())
            .unwrap_or_default();
        // A plan open through the engine has no copy here: journaled
        // instead (`journal_in_hand`).
        let made = inner
            .in_flight
            .borrow_mut()
            .take_where(|p| !views.contains(p), Named::shown_at_once);
        for (id, (named, at)) in made {
            // A change the page's copy refuses was refused on screen too.
            let _ = self.with_session(&id, |s| make_here(s, &named, at, &actor));
        }
    }
}

/// Make `named` in the page's own copy.
pub(super) fn make_here(
    s: &mut Session,
    named: &Named,
    at: i64,
    actor: &crate::plan::DeviceActor,
) -> Result<bool, AppError> {
    named.make(&mut s.doc, actor, at).map_err(|e| match e {
        SignError::Doc(e) => AppError::Plan(e),
        rule => AppError::Sign(rule),
    })
}
