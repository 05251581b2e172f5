//! Taking in what came from the relay: merging bundles into plans (opening
//! them from storage if they are not open), the worker's first copy, and
//! storing each keep after a round.

use super::*;

/// What a worker sees opening a link the carer has stopped.
pub(super) const STOPPED_LINK: &str = "The carer has stopped keeping this plan in step, so this link no longer opens it. Nothing was added. Ask the carer for a new link if you need one.";

impl App {
    /// After a round with the relay: reply, store the keep, update the screens.
    pub(super) fn after_sync(&self, id: &PlanId) {
        self.send_sync(Some(id));
        let done = self.live(|l| {
            let keep = l.keeps.get(id)?;
            if keep.relay_has_all() {
                l.synced.insert(id.clone(), now_ms());
                settings::set_keep_synced(id, now_ms());
            }
            Some(keep.stopped && keep.me == Role::Carer && keep.relay_has_all())
        });
        if done == Some(Some(true)) {
            // The last bundle, saying it stopped, is on the relay: let go.
            self.live(|l| l.keeps.remove(id));
            self.forget_keep(id);
        } else {
            self.store_keep(id);
        }
        self.publish_keep(id);
    }

    pub(super) fn take_in_live(&self, id: PlanId, bundles: Vec<Bundle>) {
        if self.read(&id, |_| ()).is_some() {
            let result = self.with_session(&id, |s| take_in(&mut s.doc, &bundles));
            match result {
                Ok(Ok(report)) => {
                    if report.new_changes > 0 {
                        super::super::sharing::note_text_conflicts(&id, &report.text_conflicts);
                        self.changed(&id, Touched::Plan);
                        self.refresh_list_soon();
                    }
                }
                Ok(Err(e)) => self.say(format!(
                    "An update from {} could not be added: {e}",
                    self.other_name(&id)
                )),
                Err(_) => {}
            }
            self.after_sync(&id);
            return;
        }
        // Not open: read it from storage first.
        let app = *self;
        spawn_local(async move {
            let Ok(db) = app.db() else { return };
            match app.load_session(&db, &id).await {
                Ok(()) => app.take_in_live(id, bundles),
                Err(_) => app.say(
                    "A plan kept in step could not be opened on this device, so its updates wait."
                        .into(),
                ),
            }
        });
    }

    pub(super) fn other_name(&self, id: &PlanId) -> String {
        self.live(|l| l.keeps.get(id).and_then(|k| k.other.clone()).map(|o| o.0))
            .flatten()
            .unwrap_or_else(|| "the other person".into())
    }

    /// The worker's first bundles: the plan joins the caseload (or merges
    /// with a copy already here, from a file).
    pub(super) fn join_arrived(&self, bundles: Vec<Bundle>) {
        let Some(actor) = self.actor() else { return };
        let Some(Some(id)) = self.live(|l| l.joining.as_ref().and_then(|k| k.plan_id.clone()))
        else {
            return;
        };
        // A link the carer has stopped opens nothing, not even what was
        // kept in step before (the relay still holds it, sealed).
        if self.live(|l| l.joining.as_ref().is_some_and(|k| k.stopped)) == Some(true) {
            self.live(|l| l.joining = None);
            self.ui
                .live
                .update(|s| s.joining = Some(Joining::Failed(STOPPED_LINK.into())));
            return;
        }
        let app = *self;
        spawn_local(async move {
            let Ok(db) = app.db() else { return };
            let fail = |e: String| app.ui.live.update(|s| s.joining = Some(Joining::Failed(e)));
            match app.load_session(&db, &id).await {
                Ok(()) => {
                    if let Ok(Err(e)) = app.with_session(&id, |s| take_in(&mut s.doc, &bundles)) {
                        return fail(e.to_string());
                    }
                }
                Err(OpenError::NotFound) => match first_copy(&bundles, &actor) {
                    Ok(doc) => {
                        let inserted = app.inner().and_then(|i| {
                            i.sessions.try_borrow_mut().ok().map(|mut s| {
                                s.insert(id.clone(), Session::new(doc, ChunkLog::empty()));
                            })
                        });
                        if inserted.is_none() {
                            return fail(AppError::Busy.to_string());
                        }
                        app.record_me(&id);
                    }
                    Err(e) => return fail(e.to_string()),
                },
                Err(OpenError::Damaged { .. }) => {
                    return fail(AppError::StoredCopyDamaged.to_string())
                }
                Err(OpenError::Store(e)) => return fail(AppError::from(e).to_string()),
            }
            app.live(|l| {
                if let Some(k) = l.joining.take() {
                    l.keeps.insert(id.clone(), k);
                }
            });
            app.store_keep_now(&id);
            app.save_now(id.clone());
            app.refresh_list();
            app.ui
                .live
                .update(|s| s.joining = Some(Joining::Joined(id.clone())));
            // Say who has joined (the carer's screen names the worker).
            app.seal(&id);
            app.after_sync(&id);
        });
    }
}
