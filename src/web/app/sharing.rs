//! Sending the open plan as a share file, and adding a copy someone sent.

use crate::doc::{DocError, Incoming};
use crate::plan::{PlanId, Role, Section};
use crate::share::exchange::{self, ImportError, MergeReport, Outgoing, Recipient};
use crate::share::{Kdf, Lock, ShareError, Unopened};
use crate::store::ChunkLog;

use super::super::engine::protocol::{Added, Copy, MakeShare, Reply};
use super::super::platform::events::next_turn;
use super::super::platform::plan_store::OpenError;
use super::super::platform::settings;
use super::{now_ms, App, AppError, Session, Touched};

/// What adding a copy did.
pub enum Imported {
    /// The first copy of this plan on the device.
    Created(PlanId),
    Merged(PlanId, MergeReport),
    /// Everything in the copy was here already: nothing changed.
    NothingNew(PlanId),
}

impl App {
    /// Make a share file of the open plan. The share (what, with whom,
    /// when) is recorded in the plan and saved like any change. The engine
    /// worker does the work (`web/engine/sharing.rs`: the lock's key too);
    /// when no engine can run, the page does it, the key still asked of an
    /// engine first.
    pub async fn make_share(
        &self,
        id: &PlanId,
        parts: Vec<Section>,
        with_whom: Vec<Recipient>,
        passphrase: Option<String>,
    ) -> Result<String, AppError> {
        let mut me = self.me();
        if me.name.trim().is_empty() && me.role == Role::Carer {
            // A carer need not set a name in settings: use the plan's.
            me.name = self
                .read(id, |d| {
                    d.plan()
                        .ok()
                        .and_then(|p| p.display_name().map(str::to_owned))
                })
                .flatten()
                .unwrap_or_default();
        }
        let actor = self.actor().ok_or(AppError::NotReady)?;
        // The engine worker reads the plan as stored, with what the page
        // has not stored yet, records the share, stores it and writes the
        // file; the page then takes the record in from storage.
        let unsaved = self.with_session(id, |s| {
            s.log.pending(&s.doc).map(|p| p.bytes).unwrap_or_default()
        })?;
        // One act, one record: however many times it is asked for (an
        // engine that stops after storing the record is asked again, and
        // the page may make the file at last), this id is recorded once.
        let share_id = crate::plan::ids::item_id().map_err(DocError::from)?;
        let made_ms = now_ms();
        let ask = MakeShare {
            plan: id.clone(),
            unsaved,
            parts: parts.clone(),
            with_whom: with_whom.clone(),
            passphrase: passphrase.clone(),
            device: actor.as_str().to_owned(),
            sender_name: me.name.clone(),
            sender_role: me.role,
            share_id: share_id.clone(),
            made_ms,
        };
        match self.engine_link()?.make_share(ask).await {
            Some(Reply::Shared { text }) => {
                if self.read(id, |_| ()).is_some() {
                    self.take_in_stored(id).await;
                }
                return Ok(text);
            }
            Some(Reply::Refused { message, details }) => {
                return Err(AppError::Refused { message, details })
            }
            _ => {}
        }
        // No engine: the page makes it, with what an engine stored first
        // (a record of this very act, if one stopped after storing it).
        self.merge_stored(id.clone()).await;
        let locked = match &passphrase {
            Some(p) => {
                crate::share::file::check_passphrase(p).map_err(ImportError::from)?;
                let kdf = Kdf::fresh().map_err(crypto)?;
                let key = self.derive_key(p, &kdf).await.map_err(crypto)?;
                Some((kdf, key))
            }
            None => None,
        };
        let text = self.with_session(id, |s| {
            let out = Outgoing {
                sender: &actor,
                sender_name: &me.name,
                sender_role: me.role,
                parts,
                with_whom,
                now_ms: made_ms,
            };
            let lock = match &locked {
                Some((kdf, key)) => Lock::Key(kdf, key),
                None => Lock::None,
            };
            exchange::share_as(&mut s.doc, &out, &share_id, lock)
        })??;
        self.changed(id, Touched::Plan);
        Ok(text)
    }

    /// Add a copy from a share file. `into`: the plan the person is adding
    /// it to, if they started from a plan (a copy of another plan is
    /// refused). Every check happens before anything is stored, so a bad
    /// file leaves every stored plan as it was.
    ///
    /// The engine worker does the work (`web/engine/copies.rs`) and stores
    /// the result; the page then takes in what it stored, as it does
    /// another tab's save. When no engine can run, the page does it here.
    pub async fn import(
        &self,
        text: String,
        passphrase: Option<String>,
        into: Option<PlanId>,
    ) -> Result<Imported, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let link = self.engine_link()?;
        let copy = Copy {
            text: text.clone(),
            passphrase: passphrase.clone(),
            into: into.clone(),
            device: actor.as_str().to_owned(),
            me: self.me(),
        };
        match link.add_copy(copy).await {
            Some(Reply::Added(added)) => self.copy_added(added).await,
            Some(Reply::Refused { message, details }) => {
                Err(AppError::Refused { message, details })
            }
            _ => self.import_here(text, passphrase, into).await,
        }
    }

    /// What the engine added is in storage: list it, and take it into the
    /// plan if it is open here or kept in step (so it is sent on).
    async fn copy_added(&self, added: Added) -> Result<Imported, AppError> {
        self.refresh_list();
        Ok(match added {
            Added::Created(id) => Imported::Created(id),
            Added::NothingNew(id) => Imported::NothingNew(id),
            Added::Merged(id, report) => {
                note_text_conflicts(&id, &report.text_conflicts);
                // Stored by the engine, which sends it on if the plan is
                // kept in step.
                if self.read(&id, |_| ()).is_some() {
                    self.take_in_stored(&id).await;
                }
                Imported::Merged(id, report)
            }
        })
    }

    /// Add a copy on the page's own thread, yielding between its steps:
    /// what [`App::import`] does when no engine worker can run.
    async fn import_here(
        &self,
        text: String,
        passphrase: Option<String>,
        into: Option<PlanId>,
    ) -> Result<Imported, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        // The work is done in steps with a turn for the page between them
        // (opening, counting what loading would cost, each part), so "Exit
        // this page" answers while a large copy is added; a copy over a
        // limit is refused at the counting step, before anything loads.
        next_turn().await;
        let file = Unopened::read(&text).map_err(ImportError::from)?;
        drop(text);
        // The passphrase's key is derived by the engine worker: the page
        // stays free while it works (up to seconds, for a file that asks for
        // the most a file may).
        let key = match (file.lock(), passphrase.as_deref().filter(|p| !p.is_empty())) {
            (Some(kdf), Some(p)) => Some(self.derive_key(p, kdf).await.map_err(crypto)?),
            _ => None,
        };
        let (header, body) = file.open(key.as_ref()).map_err(ImportError::from)?;
        next_turn().await;
        let mut loading = Incoming::begin(&body, &actor).map_err(ImportError::from)?;
        drop(body);
        loop {
            next_turn().await;
            if !loading.step().map_err(ImportError::from)? {
                break;
            }
        }
        next_turn().await;
        let incoming =
            exchange::matches_header(&header, loading.finish().map_err(ImportError::from)?)?;
        next_turn().await;
        let id = incoming.plan_id().clone();
        if into.as_ref().is_some_and(|want| *want != id) {
            return Err(ImportError::DifferentPlan.into());
        }
        if self.read(&id, |_| ()).is_none() {
            let db = self.db()?;
            // Through the same path as opening, so changes the journal kept
            // are not lost under the merge.
            match self.load_session(&db, &id).await {
                Ok(()) => {}
                Err(OpenError::NotFound) => {
                    let doc = exchange::adopt(incoming, &header, &actor, now_ms())?;
                    next_turn().await;
                    self.inner()
                        .ok_or(AppError::NotReady)?
                        .sessions
                        .try_borrow_mut()
                        .map_err(|_| AppError::Busy)?
                        .insert(id.clone(), Session::new(doc, ChunkLog::empty()));
                    self.record_me(&id);
                    self.save_now(id.clone());
                    self.refresh_list();
                    return Ok(Imported::Created(id));
                }
                Err(OpenError::Damaged { .. }) => return Err(AppError::StoredCopyDamaged),
                Err(OpenError::Store(e)) => return Err(e.into()),
            }
        }
        let report = self.with_session(&id, |s| {
            exchange::merge_in(&mut s.doc, incoming, &header, &actor, now_ms())
        })??;
        if report.new_changes == 0 {
            return Ok(Imported::NothingNew(id));
        }
        note_text_conflicts(&id, &report.text_conflicts);
        self.changed(&id, Touched::Plan);
        self.refresh_list();
        Ok(Imported::Merged(id, report))
    }
}

/// A lock that could not be made or opened on this device.
fn crypto(e: crate::share::CryptoError) -> ImportError {
    ShareError::Crypto(e).into()
}

/// Long answers both sides changed: kept for the conflicts page, the
/// latest of each answer.
pub(super) fn note_text_conflicts(id: &PlanId, found: &[crate::doc::conflict::TextConflict]) {
    if found.is_empty() {
        return;
    }
    let mut waiting = settings::text_conflicts(id);
    for c in found {
        waiting.retain(|w| w.field != c.field);
        waiting.push(c.clone());
    }
    settings::set_text_conflicts(id, &waiting);
}
