//! What people do: a change to a kept-in-step plan is sealed a moment
//! later; the carer starts, changes and stops keeping in step; the worker
//! joins from a link.

use super::*;

impl App {
    /// A plan changed on this device: seal it a moment later.
    pub(in crate::web::app) fn live_changed(&self, id: &PlanId) {
        let schedule = self.live(|l| {
            if !l.keeps.contains_key(id) || l.sealing.contains(id) {
                return false;
            }
            l.sealing.push(id.clone());
            true
        });
        if schedule == Some(true) {
            let app = *self;
            let id = id.clone();
            later(SEAL_AFTER_MS, move || {
                app.live(|l| l.sealing.retain(|x| *x != id));
                if app.seal(&id) {
                    app.store_keep(&id);
                    app.send_sync(Some(&id));
                }
            });
        }
    }

    /// Seal what changed now (the page is being hidden: nothing waits).
    pub(in crate::web::app) fn seal_all_now(&self) {
        let ids: Vec<PlanId> = self
            .live(|l| std::mem::take(&mut l.sealing))
            .unwrap_or_default();
        for id in ids {
            if self.seal(&id) {
                self.store_keep(&id);
                self.send_sync(Some(&id));
            }
        }
    }

    /// Seal the plan's unsent changes into its keep. Whether there were any.
    pub(super) fn seal(&self, id: &PlanId) -> bool {
        let name = self.my_name_for(id);
        let Some(inner) = self.inner() else {
            return false;
        };
        let Ok(sessions) = inner.sessions.try_borrow() else {
            return false;
        };
        let Some(s) = sessions.get(id) else {
            return false;
        };
        let sealed = self.live(|l| {
            l.keeps
                .get_mut(id)
                .map(|k| k.seal_changes(&s.doc, &name, now_ms()))
        });
        match sealed.flatten() {
            Some(Ok(b)) => b,
            Some(Err(e)) => {
                drop(sessions);
                self.say(e.to_string());
                false
            }
            None => false,
        }
    }

    pub(super) fn my_name_for(&self, id: &PlanId) -> String {
        let me = self.me();
        if !me.name.trim().is_empty() {
            return me.name;
        }
        self.read(id, |d| {
            d.plan()
                .ok()
                .and_then(|p| p.display_name().map(str::to_owned))
        })
        .flatten()
        .unwrap_or_default()
    }

    /// Store a keep soon: the keeps changed within a second are written in
    /// one transaction (a caseload taking in many plans writes each once).
    /// Losing the last second to a closed tab costs nothing but bytes: the
    /// bundles are read again and re-applied (no change twice).
    pub(super) fn store_keep(&self, id: &PlanId) {
        let first = self.live(|l| {
            if !l.unstored.contains(id) {
                l.unstored.push(id.clone());
            }
            l.unstored.len() == 1
        });
        if first == Some(true) {
            let app = *self;
            later(STORE_AFTER_MS, move || app.store_keeps_now());
        }
    }

    /// Store a keep at once (it was made, or its sections or stop changed:
    /// not something to lose to a page closed within the second).
    pub(super) fn store_keep_now(&self, id: &PlanId) {
        self.live(|l| {
            if !l.unstored.contains(id) {
                l.unstored.push(id.clone());
            }
        });
        self.store_keeps_now();
    }

    /// Write every keep waiting to be stored, in one transaction.
    pub(in crate::web::app) fn store_keeps_now(&self) {
        let Ok(db) = self.db() else { return };
        let Some(puts) = self.live(|l| {
            std::mem::take(&mut l.unstored)
                .into_iter()
                .filter_map(|id| l.keeps.get(&id).map(|k| (key(&id), k.save())))
                .collect::<Vec<_>>()
        }) else {
            return;
        };
        if puts.is_empty() {
            return;
        }
        let write = db.write(Write {
            put_chunks: puts,
            ..Default::default()
        });
        let app = *self;
        spawn_local(async move {
            if let Err(e) = write.await {
                app.say(format!("What was kept in step could not be stored: {e}"));
            }
        });
    }

    /// Read the caseload's list again soon (once for many plans taken in).
    pub(in crate::web::app) fn refresh_list_soon(&self) {
        let first = self.live(|l| !std::mem::replace(&mut l.list_due, true));
        if first == Some(true) {
            let app = *self;
            later(LIST_AFTER_MS, move || {
                app.live(|l| l.list_due = false);
                app.refresh_list();
            });
        }
    }

    pub(super) fn forget_keep(&self, id: &PlanId) {
        let Ok(db) = self.db() else { return };
        let write = db.write(Write {
            delete_chunks: vec![key(id)],
            ..Default::default()
        });
        spawn_local(async move {
            // Left behind, it is read at the next start and let go again.
            let _ = write.await;
        });
    }

    /// Show every keep's state.
    pub(super) fn publish_live(&self) {
        let views = self.live(|l| {
            l.keeps
                .iter()
                .map(|(id, k)| (id.clone(), view_of(l, id, k)))
                .collect::<HashMap<_, _>>()
        });
        if let Some(views) = views {
            self.ui.live.update(|s| s.plans = views);
        }
    }

    /// Show one keep's state (or that it is gone), if it changed.
    pub(super) fn publish_keep(&self, id: &PlanId) {
        let Some(view) = self.live(|l| l.keeps.get(id).map(|k| view_of(l, id, k))) else {
            return;
        };
        let same = self
            .ui
            .live
            .with_untracked(|s| s.plans.get(id) == view.as_ref());
        if !same {
            self.ui.live.update(|s| match view {
                Some(v) => {
                    s.plans.insert(id.clone(), v);
                }
                None => {
                    s.plans.remove(id);
                }
            });
        }
    }

    /// "Keep in step with my key worker": record the carer's consent, make
    /// the link, seal the chosen sections and connect. Returns the link.
    pub fn start_keep(&self, id: &PlanId, sections: Vec<Section>) -> Result<String, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ids = section_ids(&sections);
        let link = Link::new().map_err(|_| AppError::NotReady)?;
        self.with_session(id, |s| {
            consent::record(&mut s.doc, Consent::Start, &ids, &actor, now_ms())
        })??;
        let url = link.url(&app_address());
        self.live(|l| {
            l.keeps
                .insert(id.clone(), Keep::start(link, id.clone(), ids))
        });
        self.changed(id, Touched::Plan);
        self.seal(id);
        self.store_keep_now(id);
        self.publish_live();
        self.connect();
        self.send_sync(Some(id));
        Ok(url)
    }

    /// Change the sections kept in step (recorded as consent).
    pub fn change_keep(&self, id: &PlanId, sections: Vec<Section>) -> Result<(), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ids = section_ids(&sections);
        self.with_session(id, |s| {
            consent::record(&mut s.doc, Consent::Change, &ids, &actor, now_ms())
        })??;
        self.live(|l| l.keeps.get_mut(id).map(|k| k.sections = ids));
        self.changed(id, Touched::Plan);
        if self.seal(id) {
            self.store_keep_now(id);
            self.send_sync(Some(id));
        }
        self.publish_live();
        Ok(())
    }

    /// "Stop keeping in step": recorded; a last bundle tells the worker;
    /// the link then opens nothing new (a new start makes a new link).
    pub fn stop_keep(&self, id: &PlanId) -> Result<(), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        self.with_session(id, |s| {
            consent::record(&mut s.doc, Consent::Stop, &[], &actor, now_ms())
        })??;
        self.changed(id, Touched::Plan);
        self.live(|l| l.keeps.get_mut(id).map(|k| k.stopped = true));
        self.seal(id);
        self.store_keep_now(id);
        self.send_sync(Some(id));
        self.after_sync(id);
        Ok(())
    }

    /// The worker opened the carer's link and said yes: connect and wait
    /// for the plan.
    pub fn join_keep(&self, link: Link) {
        let existing = self.live(|l| {
            l.keeps
                .iter()
                .find(|(_, k)| k.link() == &link)
                .map(|(id, _)| id.clone())
        });
        if let Some(Some(id)) = existing {
            self.ui
                .live
                .update(|s| s.joining = Some(Joining::Joined(id)));
            return;
        }
        self.live(|l| l.joining = Some(Keep::join(link)));
        self.ui.live.update(|s| s.joining = Some(Joining::Waiting));
        self.connect();
        self.send_sync(None);
    }

    /// Whether a plan is kept in step (reactive).
    pub fn keep_view(&self, id: &PlanId) -> Option<KeepView> {
        self.ui.live.with(|s| s.plans.get(id).cloned())
    }

    /// The sections a plan keeps in step, for screens that check a choice.
    pub fn kept_sections(&self, id: &PlanId) -> Vec<Section> {
        self.keep_view(id)
            .map(|v| {
                v.sections
                    .iter()
                    .filter_map(|s| Section::parse(s))
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn section_ids(sections: &[Section]) -> Vec<String> {
    let mut ids: Vec<String> = sections
        .iter()
        .filter(|s| s.shareable() && **s != Section::Plan)
        .map(Section::id)
        .collect();
    ids.sort();
    ids.dedup();
    ids
}

/// What the screens show of one keep.
fn view_of(l: &Live, id: &PlanId, k: &Keep) -> KeepView {
    KeepView {
        me: k.me,
        other: k.other.as_ref().map(|o| o.0.clone()),
        synced_ms: l
            .synced
            .get(id)
            .copied()
            .or_else(|| settings::keep_synced(id)),
        sections: k.sections.clone(),
        stopped: k.stopped,
        link: if k.me == Role::Carer {
            k.link().url(&app_address())
        } else {
            String::new()
        },
    }
}
