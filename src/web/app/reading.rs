//! Reading what a screen shows of an open plan beyond its answers — its
//! history, what others changed since the person last looked, "Download my
//! data" — beside the page: the engine worker reads it from storage with
//! the changes the page has not stored yet (`engine/reads.rs`), so walking
//! a long plan's history never holds up the page. When no engine can run,
//! the screen says it cannot read it now (`AppError::NoEngine`).

use leptos::prelude::*;

use crate::plan::PlanId;
use crate::web::engine::protocol::{Read, Reading, Readout, Reply};

use super::{App, AppError};

impl App {
    /// Read `what` of an open plan, as the person sees it now.
    pub async fn read_later(&self, id: &PlanId, what: Reading) -> Result<Readout, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ask = Read {
            plan: id.clone(),
            unsaved: Vec::new(),
            device: actor.as_str().to_owned(),
            what: what.clone(),
        };
        match self.engine_link()?.read(ask).await {
            Some(Reply::Read(out)) => Ok(out),
            // No engine, or it could not read the plan as stored.
            _ => Err(AppError::NoEngine),
        }
    }

    /// The sections this copy of an open plan holds (a key worker's copy
    /// holds those the carer shared), with those a change in flight adds;
    /// none when it is not the plan on screen. Reactive.
    pub fn parts(&self, id: &PlanId) -> Vec<crate::plan::Section> {
        if self.is_current(id) {
            return self.ui.parts.get();
        }
        Vec::new()
    }

    /// "I have seen these": the open plan as it is now is what the person
    /// has seen ("What changed" starts from here next time).
    pub fn mark_seen(&self, id: &PlanId) {
        if let Some(version) = self.view_heads(id) {
            super::super::platform::settings::set_seen(id, &version.to_hex());
        }
    }
}
