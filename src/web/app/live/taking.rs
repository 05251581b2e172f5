//! Taking in what came from the relay: the sync core merges bundles into a
//! plan (opened from storage first if it is not open); the plan is saved
//! like any change; only once that save has finished are the bundles
//! reported taken (`Engine::saved`), so a tab closed half-way takes them
//! again next time. The first copy of a plan a device was allowed to join.

use super::*;
use crate::store::ChunkLog;
use crate::web::app::{AppError, Session};
use crate::web::platform::plan_store::OpenError;

impl App {
    /// Bundles wait for a plan: merge them (reading the plan first if it
    /// is not open).
    pub(super) fn take_in_live(&self, id: PlanId) {
        if self.read(&id, |_| ()).is_none() {
            let first = self.live(|l| {
                if l.opening.contains(&id) {
                    return false;
                }
                l.opening.push(id.clone());
                true
            });
            if first != Some(true) {
                return;
            }
            let app = *self;
            spawn_local(async move {
                let Ok(db) = app.db() else { return };
                let opened = app.load_session(&db, &id).await;
                app.live(|l| l.opening.retain(|x| *x != id));
                match opened {
                    Ok(()) => app.take_in_live(id),
                    Err(_) => app.say(
                        "A plan kept in step could not be opened on this device, so its updates wait. Nothing was lost."
                            .into(),
                    ),
                }
            });
            return;
        }
        let Some(inner) = self.inner() else { return };
        let taken = {
            let Ok(mut sessions) = inner.sessions.try_borrow_mut() else {
                // Busy: try again in a moment (nothing is lost meanwhile).
                let app = *self;
                later(50, move || app.take_in_live(id));
                return;
            };
            let Some(s) = sessions.get_mut(&id) else {
                return;
            };
            let Some(taken) = self.engine(|e| e.take_in(&id, &mut s.doc)) else {
                return;
            };
            taken
        };
        if taken.arrived.is_empty() {
            self.pump();
            return;
        }
        if !taken.text_conflicts.is_empty() {
            super::super::sharing::note_text_conflicts(&id, &taken.text_conflicts);
        }
        settings::note_device_names(&id, &taken.authors);
        let new = taken.new_changes > 0;
        self.live(|l| l.unsaved.entry(id.clone()).or_default().push(taken));
        if new {
            self.changed(&id, Touched::Plan);
            self.refresh_list_soon();
        } else {
            self.plan_saved(&id);
        }
        self.pump();
    }

    /// A plan's save finished with nothing left unsaved: what was merged
    /// into it is taken, and the other side hears so.
    pub(in crate::web::app) fn plan_saved(&self, id: &PlanId) {
        let waiting = self
            .live(|l| l.unsaved.remove(id))
            .flatten()
            .unwrap_or_default();
        if waiting.is_empty() {
            return;
        }
        let saved = self.with_session(id, |s| {
            if !s.log.is_saved(&s.doc) {
                return false;
            }
            let now = now_ms();
            self.engine(|e| {
                for t in &waiting {
                    e.saved(id, t, &s.doc, now);
                }
            });
            true
        });
        if !matches!(saved, Ok(true)) {
            // Not all on the device yet: wait for the next save.
            self.live(|l| l.unsaved.entry(id.clone()).or_default().extend(waiting));
            return;
        }
        self.pump();
    }

    pub(super) fn other_name(&self, id: &PlanId) -> String {
        self.engine(|e| {
            e.keep(id).and_then(|k| {
                let names: Vec<String> = k.others().map(|m| m.name.clone()).collect();
                (!names.is_empty()).then(|| names.join(" and "))
            })
        })
        .flatten()
        .unwrap_or_else(|| "the other person".into())
    }

    /// A joining device was allowed and the plan has come: it joins the
    /// caseload (or merges with a copy already here, from a file).
    pub(super) fn first_copy_arrived(&self, doc: DocumentId) {
        let Some(actor) = self.actor() else { return };
        let stopped = self
            .engine(|e| e.joining_keep(&doc).is_some_and(|k| k.stopped))
            .unwrap_or(false);
        if stopped {
            self.ui
                .live
                .update(|s| s.joining = Some(Joining::Failed(STOPPED_LINK.into())));
            return;
        }
        let made = self.engine(|e| e.first_copy(&doc, &actor));
        let (id, plan, taken) = match made {
            Some(Ok(x)) => x,
            Some(Err(e)) => {
                let words = words::take_words(&e);
                self.ui
                    .live
                    .update(|s| s.joining = Some(Joining::Failed(words)));
                return;
            }
            None => return,
        };
        let app = *self;
        spawn_local(async move {
            let Ok(db) = app.db() else { return };
            let fail = |e: String| app.ui.live.update(|s| s.joining = Some(Joining::Failed(e)));
            match app.load_session(&db, &id).await {
                Ok(()) => {
                    let merged = app.with_session(&id, |s| {
                        let mut theirs = plan;
                        s.doc.merge(&mut theirs)
                    });
                    if !matches!(merged, Ok(Ok(_))) {
                        return fail(AppError::Busy.to_string());
                    }
                }
                Err(OpenError::NotFound) => {
                    let inserted = app.inner().and_then(|i| {
                        i.sessions.try_borrow_mut().ok().map(|mut s| {
                            s.insert(id.clone(), Session::new(plan, ChunkLog::empty()));
                        })
                    });
                    if inserted.is_none() {
                        return fail(AppError::Busy.to_string());
                    }
                    app.record_me(&id);
                }
                Err(OpenError::Damaged { .. }) => {
                    return fail(AppError::StoredCopyDamaged.to_string())
                }
                Err(OpenError::Store(e)) => return fail(AppError::from(e).to_string()),
            }
            app.live(|l| l.unsaved.entry(id.clone()).or_default().push(taken));
            app.store_keep_now(&id);
            // Shown at once on any screen that has the plan open, and saved.
            app.changed(&id, Touched::Plan);
            app.refresh_list();
            app.ui
                .live
                .update(|s| s.joining = Some(Joining::Joined(id.clone())));
            app.publish_keep(&id);
            app.pump();
        });
    }
}

/// What a worker sees opening a link the carer has stopped.
pub(super) const STOPPED_LINK: &str = "The carer has stopped keeping this plan in step, so this link no longer opens it. Nothing was added. Ask the carer for a new link if you need one.";
