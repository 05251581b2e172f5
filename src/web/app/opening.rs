//! A plan opened in the engine beside the page's own copy
//! (`Request::Open`): the engine reads it from storage with the page's
//! journal on its own thread, while the page loads its copy, and holds it
//! for the reads that follow on the plan's pages (its sign-off status, its
//! banner, its history), which then start from it. When its answer is in
//! before the page shows the plan and is of the same version, the page
//! shows the engine's values instead of reading its own copy's whole plan
//! again. The first step of the open plan's documents moving into the
//! engine (docs/engine-documents.md).

use wasm_bindgen_futures::spawn_local;

use crate::doc::PlanDoc;
use crate::plan::{Plan, PlanId};
use crate::web::engine::protocol::{Open, Reply};
use crate::web::platform::journal;

use super::App;

impl App {
    /// Ask the engine to open `id` beside the page's own loading.
    pub(super) fn open_beside(&self, id: &PlanId) {
        let (Ok(engine), Some(actor)) = (self.engine_link(), self.actor()) else {
            return;
        };
        let ask = Open {
            plan: id.clone(),
            journal: journal::read(id).unwrap_or_default(),
            device: actor.as_str().to_owned(),
        };
        let app = *self;
        let id = id.clone();
        spawn_local(async move {
            if let Some(Reply::Opened(opened)) = engine.open(ask).await {
                if let Some(i) = app.inner() {
                    *i.opened.borrow_mut() = Some((id, *opened));
                }
            }
        });
    }

    /// The plan to show for `id` now: the engine's values when it opened
    /// the very version the page holds, else `None` (the page reads its own
    /// copy). Taken once; the page's heads are read only when an answer for
    /// `id` is waiting.
    pub(super) fn opened_in_engine(&self, id: &PlanId) -> Option<Plan> {
        let inner = self.inner()?;
        let (of, opened) = inner.opened.try_borrow_mut().ok()?.take()?;
        if of != *id {
            return None;
        }
        let heads = self.read(id, PlanDoc::version_token)?;
        (opened.heads == heads).then_some(opened.plan)
    }
}
