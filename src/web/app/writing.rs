//! How a prepared save reaches storage, and how a plan's chunks are
//! compacted: by the engine worker when it is running and free (the page's
//! thread only posts the work), else by the page, as before.

use wasm_bindgen_futures::spawn_local;

use crate::plan::PlanId;
use crate::store::ChunkKey;

use super::super::engine::protocol::{Compact, Reply, Store};
use super::super::platform::idb::{Db, StoreError, Write};
use super::super::platform::tabs::{TabMessage, Tabs};
use super::App;

impl App {
    /// This page's id on the tabs' channel (`Tabs::id`), if it listens.
    pub(super) fn tab_id(&self) -> Option<u32> {
        self.inner()
            .and_then(|i| i.tabs.borrow().as_ref().map(Tabs::id))
    }

    /// Write a prepared save, and tell the other tabs. The engine worker
    /// does both when it is running and free, so the page's thread only
    /// posts the save (IndexedDB's transaction and the tabs' message cost it
    /// more than the keystroke's change); otherwise, or when the engine
    /// could not, the page does.
    pub(super) async fn write_save(
        &self,
        db: &Db,
        id: &PlanId,
        write: Write,
    ) -> Result<(), StoreError> {
        let by = self.tab_id();
        if let (Ok(link), Some(by)) = (self.engine_link(), by) {
            let ask = Store {
                plan: id.clone(),
                write: write.clone(),
                by,
            };
            if let Some(Reply::Written) = link.store(ask).await {
                return Ok(());
            }
        }
        db.write(write).await?;
        if let Some(i) = self.inner() {
            if let Some(t) = i.tabs.borrow().as_ref() {
                t.announce(&TabMessage::Saved {
                    plan: id.clone(),
                    by: None,
                    compacted: None,
                });
            }
        }
        Ok(())
    }

    /// The plan's stored increments have outgrown its snapshot: ask the
    /// engine worker to replace them by one snapshot, read from storage, so
    /// the page's thread never saves the whole plan between two keys (a
    /// plan of 20,000 edits takes a phone's page over 100 ms). While the
    /// engine cannot (not running, busy with long work) the page's next save
    /// compacts, as it always did.
    pub(super) fn compact_soon(&self, id: &PlanId) {
        let Ok(link) = self.engine_link() else { return };
        if !link.free() {
            return;
        }
        let by = self.tab_id();
        let (Some(actor), Some(by)) = (self.actor(), by) else {
            return;
        };
        let chunks = self.with_session(id, |s| {
            if s.compacting || s.writing || !s.log.should_compact() {
                return None;
            }
            s.compacting = true;
            Some(s.log.compactable())
        });
        let Ok(Some(chunks)) = chunks else { return };
        let ask = Compact {
            plan: id.clone(),
            chunks: chunks.iter().map(|k| k.as_str().to_owned()).collect(),
            device: actor.as_str().to_owned(),
            by,
        };
        let (app, id) = (*self, id.clone());
        spawn_local(async move {
            let reply = link.compact(ask).await;
            let _ = app.with_session(&id, |s| {
                s.compacting = false;
                match reply {
                    Some(Reply::Compacted { key, len }) => {
                        if let Some(key) = ChunkKey::parse(&key) {
                            s.log.replaced(key, len as usize, &chunks);
                        }
                    }
                    // It could not: the page's next save compacts.
                    Some(_) => s.compact_here = true,
                    // Not now: asked again after a later save.
                    None => {}
                }
            });
        });
    }
}
