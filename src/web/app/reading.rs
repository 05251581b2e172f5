//! Reading what a screen shows of an open plan beyond its answers — its
//! history, what others changed since the person last looked, "Download my
//! data" — beside the page: the engine worker reads it from storage with
//! the changes the page has not stored yet (`engine/reads.rs`), so walking
//! a long plan's history never holds up the page. When no engine can run,
//! the page reads it itself, the same way.

use leptos::prelude::*;

use crate::plan::PlanId;
use crate::web::engine::protocol::{Read, Reading, Readout, Reply};
use crate::web::engine::reads::readout;

use super::{App, AppError};

impl App {
    /// Read `what` of an open plan, as the person sees it now.
    pub async fn read_later(&self, id: &PlanId, what: Reading) -> Result<Readout, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let unsaved = self.unsaved_of(id)?;
        let ask = Read {
            plan: id.clone(),
            unsaved,
            device: actor.as_str().to_owned(),
            what: what.clone(),
        };
        if let Some(Reply::Read(out)) = self.engine_link()?.read(ask).await {
            return Ok(out);
        }
        // No engine, or it could not read the plan as stored (not stored
        // yet): the page reads it, and says why if it cannot.
        if self.viewing(id) {
            return Err(AppError::NoEngine);
        }
        Ok(self.with_session(id, |s| readout(&s.doc, &what))??)
    }

    /// The sections this copy of an open plan holds (a key worker's copy
    /// holds those the carer shared), with those a change in flight adds;
    /// none when it is not open. Reactive for the plan on screen.
    pub fn parts(&self, id: &PlanId) -> Vec<crate::plan::Section> {
        if self.is_current(id) {
            return self.ui.parts.get();
        }
        self.read(id, |d| d.parts().cloned().collect())
            .unwrap_or_default()
    }

    /// "I have seen these": the open plan as it is now is what the person
    /// has seen ("What changed" starts from here next time).
    pub fn mark_seen(&self, id: &PlanId) {
        let heads = match self.view_heads(id) {
            Some(version) => Some(crate::doc::heads_of(&version)),
            None => self.read(id, |d| d.heads()),
        };
        if let Some(heads) = heads {
            super::super::platform::settings::set_seen(id, &heads);
        }
    }
}
