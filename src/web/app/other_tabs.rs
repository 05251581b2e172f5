//! What other tabs (and the engine worker) stored of the plans open here:
//! taken into the page's copy when they say so, a compaction recorded
//! without reading its snapshot when this copy had read what it replaced.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use crate::plan::PlanId;
use crate::store::ChunkKey;

use super::super::platform::plan_store;
use super::super::platform::tabs::{Compacted, TabMessage};
use super::{App, Opening, SaveStatus};

impl App {
    /// Another tab saved or deleted a plan.
    pub fn on_tab_message(&self, msg: TabMessage) {
        match msg {
            TabMessage::Saved {
                plan: id,
                compacted,
                ..
            } => {
                // Once for many plans stored together (a caseload catching
                // up after time away: the engine tells a save a plan).
                self.refresh_list_soon();
                if let Some(c) = compacted {
                    self.compacted_elsewhere(&id, &c);
                }
                let opening =
                    matches!(self.ui.opening.get_untracked(), Opening::Loading(ref l) if *l == id);
                if opening {
                    if let Some(i) = self.inner() {
                        *i.stored_while_opening.borrow_mut() = Some(id.clone());
                    }
                }
                if self.viewing(&id) {
                    self.reopen(&id);
                } else if self.read(&id, |_| ()).is_some() {
                    self.merge_from_storage(id);
                }
            }
            TabMessage::Deleted { plan: id } => {
                self.refresh_list();
                if let Some(i) = self.inner() {
                    if let Ok(mut s) = i.sessions.try_borrow_mut() {
                        s.remove(&id);
                    }
                    if let Ok(mut v) = i.views.try_borrow_mut() {
                        v.remove(&id);
                    }
                }
                if self.is_current(&id) {
                    self.ui.plan.set(None);
                    self.ui.opening.set(Opening::NotFound(id));
                }
            }
        }
    }

    /// Another tab's engine replaced chunks of a plan open here by one
    /// snapshot: recorded, not read, when this copy had read them all.
    fn compacted_elsewhere(&self, id: &PlanId, c: &Compacted) {
        let (Some(key), Some(removed)) = (
            ChunkKey::parse(&c.key),
            c.removed
                .iter()
                .map(|k| ChunkKey::parse(k))
                .collect::<Option<Vec<_>>>(),
        ) else {
            return;
        };
        let _ = self.with_session(id, |s| {
            s.log.replaced_if_read(key, c.len as usize, &removed)
        });
    }

    /// Merge the chunks other tabs wrote for an open plan.
    fn merge_from_storage(&self, id: PlanId) {
        let app = *self;
        spawn_local(async move { app.merge_stored(id).await });
    }

    /// The engine worker stored changes to a plan open here: take them in
    /// (read once, drawn once), and save what of ours waits. (The engine
    /// that stored them sends them on, if the plan is kept in step.)
    pub(super) async fn take_in_stored(&self, id: &PlanId) {
        self.merge_stored(id.clone()).await;
        self.save_now(id.clone());
    }

    /// Merge the chunks other tabs (or the engine worker) wrote for an
    /// open plan, and show the plan as it now is.
    pub(super) async fn merge_stored(&self, id: PlanId) {
        // A plan open through the engine is read again there.
        if self.viewing(&id) {
            return self.read_again(&id).await;
        }
        let Ok(db) = self.db() else { return };
        let Ok(log) = self.with_session(&id, |s| s.log.clone()) else {
            return;
        };
        let Ok((chunks, keys)) = plan_store::unseen(&db, &id, &log).await else {
            return;
        };
        // Announced saves this copy has read already (its own engine's
        // answer came first) change nothing and redraw nothing.
        let read_any = !chunks.is_empty();
        let failed = self.with_session(&id, |s| !s.log.take_in(&mut s.doc, chunks, &keys));
        if read_any {
            self.publish(&id);
        }
        if failed.unwrap_or(false) {
            self.set_status(
                &id,
                SaveStatus::NotKept(
                    "A change saved in another tab could not be read. Your own changes are still being kept."
                        .into(),
                ),
            );
        }
    }
}
