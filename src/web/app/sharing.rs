//! Sending the open plan as a share file, and adding a copy someone sent.

use crate::plan::{PlanId, Role, Section};
use crate::share::exchange::{MergeReport, Recipient};
use crate::share::file::ShareHeader;
use leptos::prelude::*;

use super::super::engine::protocol::{Added, Copy, MakeShare, Reply};
use super::super::platform::settings;
use super::{now_ms, App, AppError};

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
    /// when no engine can run, nothing is made and the person is told
    /// (`AppError::NoEngine`): the page carries no locks.
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
            // The plan on screen is the one shared.
            me.name = self
                .ui
                .plan
                .with_untracked(|p| {
                    p.as_ref()
                        .filter(|_| self.is_current(id))
                        .and_then(|p| p.display_name().map(str::to_owned))
                })
                .unwrap_or_default();
        }
        let actor = self.actor().ok_or(AppError::NotReady)?;
        // The engine worker reads the plan as stored, with what the page
        // has not stored yet, records the share, stores it and writes the
        // file; the page then takes the record in from storage.
        let unsaved = Vec::new();
        // One act, one record: however many times it is asked for (an
        // engine that stops after storing the record is asked again), this
        // id is recorded once.
        let share_id = crate::plan::ids::item_id()?;
        let made_ms = now_ms();
        let ask = MakeShare {
            plan: id.clone(),
            unsaved,
            parts,
            with_whom,
            passphrase,
            device: actor.as_str().to_owned(),
            sender_name: me.name.clone(),
            sender_role: me.role,
            share_id,
            made_ms,
        };
        match self.engine_link()?.make_share(ask).await {
            Some(Reply::Shared { text }) => {
                if self.viewing(id) {
                    self.read_again(id).await;
                }
                Ok(text)
            }
            // Refused, or no engine could run: nothing was recorded or
            // made, and the person is told so (the form keeps what they
            // chose).
            other => Err(AppError::not_done(other)),
        }
    }

    /// Add a copy from a share file. `into`: the plan the person is adding
    /// it to, if they started from a plan (a copy of another plan is
    /// refused). Every check happens before anything is stored, so a bad
    /// file leaves every stored plan as it was.
    ///
    /// The engine worker does the work (`web/engine/copies.rs`) and stores
    /// the result; the page then takes in what it stored, as it does
    /// another tab's save. When no engine can run, nothing is added and the
    /// person is told (`AppError::NoEngine`).
    /// A share file's header, read by the engine worker (its checksum and
    /// shape checked), or why the file cannot be added.
    pub async fn peek(&self, text: String) -> Result<ShareHeader, AppError> {
        match self.engine_link()?.peek(text).await {
            Some(Reply::Peeked(header)) => Ok(header),
            other => Err(AppError::not_done(other)),
        }
    }

    /// A keep-in-step link as a QR code (SVG), drawn by the engine worker;
    /// none when no engine runs or the link is too long for one.
    pub async fn qr_code(&self, link: String) -> Option<String> {
        match self.engine_link().ok()?.qr(link).await {
            Some(Reply::Qr(svg)) => Some(svg),
            _ => None,
        }
    }

    pub async fn import(
        &self,
        text: String,
        passphrase: Option<String>,
        into: Option<PlanId>,
    ) -> Result<Imported, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let link = self.engine_link()?;
        let copy = Copy {
            text,
            passphrase,
            into,
            device: actor.as_str().to_owned(),
            me: self.me(),
        };
        match link.add_copy(copy).await {
            Some(Reply::Added(added)) => self.copy_added(added).await,
            other => Err(AppError::not_done(other)),
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
                if self.viewing(&id) {
                    self.read_again(&id).await;
                }
                Imported::Merged(id, report)
            }
        })
    }
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
