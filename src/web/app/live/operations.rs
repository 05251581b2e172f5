//! What people do: a change to a kept-in-step plan is sealed a moment
//! later; the carer starts, changes and stops keeping in step, allows,
//! refuses and removes devices; another device asks to join from a link.
//! Over 400 lines because every operation a person starts on keeping in
//! step (and what a backup carries of it) is here, each short.

use super::*;
use crate::plan::Section;
use crate::share::sync::consent::{self, Consent};
use crate::share::sync::identity::pairing_code;
use crate::share::sync::{DeviceId, Link};
use crate::web::app::AppError;

impl App {
    /// A plan changed on this device: seal it a moment later.
    pub(in crate::web::app) fn live_changed(&self, id: &PlanId) {
        let schedule = self.live(|l| {
            let kept = l.engine.as_ref().is_some_and(|e| e.keep(id).is_some());
            if !kept || l.sealing.contains(id) {
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
                app.seal(&id);
            });
        }
    }

    /// Seal what changed now (the page is being hidden: nothing waits).
    pub(in crate::web::app) fn seal_all_now(&self) {
        let ids: Vec<PlanId> = self
            .live(|l| std::mem::take(&mut l.sealing))
            .unwrap_or_default();
        for id in ids {
            self.seal(&id);
        }
    }

    /// Give the sync core the plan's unsent changes.
    pub(super) fn seal(&self, id: &PlanId) {
        let Some(inner) = self.inner() else { return };
        {
            let Ok(sessions) = inner.sessions.try_borrow() else {
                let app = *self;
                let id = id.clone();
                later(SEAL_AFTER_MS, move || app.seal(&id));
                return;
            };
            let Some(s) = sessions.get(id) else { return };
            let now = now_ms();
            self.engine(|e| e.local_change(id, &s.doc, now));
        }
        self.pump();
    }

    /// Store a keep soon: the keeps changed within a second are written in
    /// one transaction (a caseload taking in many plans writes each once).
    /// Losing the last second to a closed tab costs nothing but bytes: the
    /// bundles are read again and merged again (no change twice).
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

    /// Store a keep at once (it was made, or its devices or consent changed).
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
            let ids = std::mem::take(&mut l.unstored);
            let Some(e) = l.engine.as_ref() else {
                return Vec::new();
            };
            ids.into_iter()
                .filter_map(|id| e.keep(&id).map(|k| (key(&id), k.save())))
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
            if write.await.is_err() {
                app.say("What was kept in step could not be stored on this device. It will be tried again with the next change; nothing of the plan was lost.".into());
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
            let Some(e) = l.engine.as_ref() else {
                return HashMap::new();
            };
            e.keeps()
                .map(|(id, k)| (id.clone(), view_of(l, id, k, e)))
                .collect::<HashMap<_, _>>()
        });
        if let Some(views) = views {
            self.ui.live.update(|s| s.plans = views);
        }
    }

    /// Show one keep's state (or that it is gone), if it changed.
    pub(super) fn publish_keep(&self, id: &PlanId) {
        let Some(view) = self.live(|l| {
            let e = l.engine.as_ref()?;
            e.keep(id).map(|k| view_of(l, id, k, e))
        }) else {
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

    fn my_device_name(&self, plan: Option<&PlanId>) -> String {
        let me = self.me();
        // A carer's name is in her plan; a worker's is the one he gave.
        let from_plan = plan
            .filter(|_| me.role == Role::Carer)
            .and_then(|id| {
                self.read(id, |d| {
                    d.plan()
                        .ok()
                        .and_then(|p| p.display_name().map(str::to_owned))
                })
            })
            .flatten();
        let who =
            from_plan.or_else(|| (!me.name.trim().is_empty()).then(|| me.name.trim().to_owned()));
        let small = web_sys::window()
            .and_then(|w| w.inner_width().ok())
            .and_then(|v| v.as_f64())
            .is_some_and(|w| w < 700.0);
        let device = if small { "phone" } else { "computer" };
        match who {
            Some(n) => format!("{n}'s {device}"),
            None if me.role == Role::Carer => format!("The carer's {device}"),
            None => format!("The key worker's {device}"),
        }
    }

    /// "Keep in step with my key worker": record the carer's consent, make
    /// the link and the list of devices (this one), and connect. Returns the link.
    pub fn start_keep(&self, id: &PlanId, sections: Vec<Section>) -> Result<String, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let kept = kept(&sections);
        self.with_session(id, |s| {
            consent::record(&mut s.doc, Consent::Start, &kept, &actor, now_ms())
        })??;
        let name = self.my_device_name(Some(id));
        let link = self
            .with_session(id, |s| {
                self.engine(|e| e.start(&s.doc, &kept, &name, now_ms()))
            })?
            .ok_or(AppError::NotReady)?
            .map_err(|_| AppError::NotReady)?;
        self.changed(id, Touched::Plan);
        self.store_keep_now(id);
        self.publish_live();
        self.connect();
        self.pump();
        Ok(link.url(&app_address()))
    }

    /// Change the sections kept in step (recorded as consent).
    pub fn change_keep(&self, id: &PlanId, sections: Vec<Section>) -> Result<(), AppError> {
        self.consent_change(id, sections, false)
    }

    fn consent_change(
        &self,
        id: &PlanId,
        sections: Vec<Section>,
        stop: bool,
    ) -> Result<(), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let kept = kept(&sections);
        let what = if stop { Consent::Stop } else { Consent::Change };
        self.with_session(id, |s| {
            consent::record(&mut s.doc, what, &kept, &actor, now_ms())
        })??;
        let done = self.with_session(id, |s| {
            self.engine(|e| e.set_consent(id, &s.doc, &kept, stop, now_ms()))
        })?;
        if let Some(Err(e)) = done {
            return Err(AppError::Answer(words::keep_words(&e)));
        }
        self.changed(id, Touched::Plan);
        self.store_keep_now(id);
        self.publish_keep(id);
        self.pump();
        Ok(())
    }

    /// "Stop keeping in step": recorded; the list of devices says so (only
    /// a carer's device can); new changes go nowhere; a new start makes a
    /// new link.
    pub fn stop_keep(&self, id: &PlanId) -> Result<(), AppError> {
        let sections = self.kept_sections(id);
        self.consent_change(id, sections, true)?;
        // Once the relay has the last word, let go of the keep.
        let app = *self;
        let id = id.clone();
        later(2_000, move || app.let_go_if_sent(&id, 0));
        Ok(())
    }

    fn let_go_if_sent(&self, id: &PlanId, tries: u32) {
        let sent = self.engine(|e| e.keep(id).is_some_and(|k| k.stopped && k.relay_has_all()));
        if sent == Some(true) || tries > 30 {
            if sent == Some(true) {
                self.engine(|e| e.remove(id));
                self.forget_keep(id);
                self.ui.live.update(|s| {
                    s.plans.remove(id);
                });
                // Its shard's socket closes if no other plan needs it.
                self.connect();
            }
            return;
        }
        let app = *self;
        let id = id.clone();
        later(5_000, move || app.let_go_if_sent(&id, tries + 1));
    }

    /// Another device opened a link and said yes: it asks to join, and
    /// waits for the carer to allow it.
    pub fn join_keep(&self, link: Link) {
        let existing = self.engine(|e| {
            e.keeps()
                .find(|(_, k)| k.doc_id() == &link.doc)
                .map(|(id, _)| id.clone())
        });
        if let Some(Some(id)) = existing {
            self.ui
                .live
                .update(|s| s.joining = Some(Joining::Joined(id)));
            return;
        }
        // A new join: whatever an earlier one ended with is not this one's.
        let shard = self.engine(|e| e.shard_of(&link.doc));
        self.ui.live.update(|s| {
            s.joining = None;
            s.joining_shard = shard;
        });
        let role = self.me().role;
        let name = self.my_device_name(None);
        let doc = link.doc.clone();
        let asked = self.engine(|e| e.join(link, role, &name, now_ms()));
        if !matches!(asked, Some(Ok(()))) {
            self.ui.live.update(|s| {
                s.joining = Some(Joining::Failed(
                    "This device could not ask to join. Try again.".into(),
                ))
            });
            return;
        }
        self.publish_joining(&doc);
        self.connect();
        self.pump();
    }

    /// The carer allows a device that asked.
    pub fn allow_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, |e, id, d| e.allow(id, d, now_ms()))
    }

    pub fn refuse_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, |e, id, d| e.refuse(id, d, now_ms()))
    }

    /// The carer removes a device: it gets nothing new; what it sends is refused.
    pub fn remove_device(&self, id: &PlanId, device: &str) -> Result<(), AppError> {
        self.decide(id, device, |e, id, d| e.remove_device(id, d, now_ms()))
    }

    fn decide(
        &self,
        id: &PlanId,
        device: &str,
        f: impl FnOnce(&mut Engines, &PlanId, &DeviceId) -> Result<(), crate::share::sync::KeepError>,
    ) -> Result<(), AppError> {
        let d = device_id(device).ok_or(AppError::NotReady)?;
        match self.engine(|e| f(e, id, &d)) {
            Some(Ok(())) => {}
            Some(Err(e)) => return Err(AppError::Answer(words::keep_words(&e))),
            None => return Err(AppError::NotReady),
        }
        self.store_keep_now(id);
        self.publish_keep(id);
        self.pump();
        Ok(())
    }

    /// Whether a plan is kept in step (reactive).
    pub fn keep_view(&self, id: &PlanId) -> Option<KeepView> {
        self.ui.live.with(|s| s.plans.get(id).cloned())
    }

    /// Whether this device keeps the plan in step live.
    pub(in crate::web::app) fn is_kept(&self, id: &PlanId) -> bool {
        self.engine(|e| e.keep(id).is_some()).unwrap_or(false)
    }

    /// The sections a plan keeps in step, for screens that check a choice.
    pub fn kept_sections(&self, id: &PlanId) -> Vec<Section> {
        self.keep_view(id).map(|v| v.sections).unwrap_or_default()
    }
}

fn device_id(hex: &str) -> Option<DeviceId> {
    let bytes = crate::plan::ids::from_hex(hex)?;
    Some(DeviceId(bytes.try_into().ok()?))
}

/// The sections a carer's choice keeps in step: those that may be shared,
/// but the plan part (always sent), once each, in the order of their ids
/// (the order the list of devices and the consent record write them).
fn kept(sections: &[Section]) -> Vec<Section> {
    let mut kept: Vec<Section> = sections
        .iter()
        .filter(|s| s.shareable() && **s != Section::Plan)
        .cloned()
        .collect();
    kept.sort_by_key(Section::id);
    kept.dedup();
    kept
}

/// What the screens show of one keep.
fn view_of(l: &Live, id: &PlanId, k: &Keep, e: &Engines) -> KeepView {
    let me = e.device().id();
    let others: Vec<String> = k.others().map(|m| m.name.clone()).collect();
    KeepView {
        me: k.me,
        shard: e.shard_of(k.doc_id()),
        other: (!others.is_empty()).then(|| others.join(" and ")),
        synced_ms: l
            .synced
            .get(id)
            .copied()
            .or_else(|| settings::keep_synced(id)),
        unconfirmed_since: k.unconfirmed_since,
        heard_ms: k.heard_from_other_ms(),
        sections: k.chosen(),
        stopped: k.stopped,
        standing: k.standing(),
        link: if k.me == Role::Carer {
            k.link().url(&app_address())
        } else {
            String::new()
        },
        devices: k
            .members()
            .iter()
            .map(|m| DeviceView {
                id: crate::plan::ids::hex(&m.device.0),
                name: m.name.clone(),
                role: m.role,
                allowed_ms: m.allowed_at,
                last_seen_ms: k.heard_from(&m.device),
                this: m.device == me,
            })
            .collect(),
        requests: k
            .requests
            .values()
            .map(|r| RequestView {
                id: crate::plan::ids::hex(&r.device.0),
                name: r.name.clone(),
                role: r.role,
                code: pairing_code(k.doc_id(), &r.device),
            })
            .collect(),
        relinked: k.relinked,
    }
}

impl App {
    /// What a backup carries of keeping in step: this device's keys and
    /// each plan's keep.
    pub(in crate::web::app) fn keeps_for_backup(
        &self,
        s: &mut crate::share::backup::DeviceSettings,
    ) {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        self.engine(|e| {
            s.sync_key = Some(b64.encode(e.device().to_bytes()));
            for (id, k) in e.keeps() {
                s.keeps.insert(id.clone(), b64.encode(k.save()));
            }
        });
    }

    /// After a restore: carry on keeping the backup's plans in step. On a
    /// device that keeps nothing in step yet (a new phone), the backup's
    /// keys become this device's, so it keeps its place on every list;
    /// otherwise plans this device does not keep are counted, and the carer
    /// is told to allow this device from the link. Returns that count.
    pub(in crate::web::app) fn restore_keeps(
        &self,
        s: &crate::share::backup::DeviceSettings,
    ) -> usize {
        use base64::Engine as _;
        let b64 = base64::engine::general_purpose::STANDARD;
        let theirs = s
            .sync_key
            .as_deref()
            .and_then(|k| b64.decode(k).ok())
            .and_then(|b| crate::share::sync::DeviceKey::from_bytes(&b));
        let Some(theirs) = theirs else { return 0 };
        let fresh = self
            .engine(|e| e.keeps().next().is_none() && e.joining().next().is_none())
            .unwrap_or(false);
        let same = self
            .engine(|e| e.device().id() == theirs.id())
            .unwrap_or(false);
        if fresh && !same {
            settings::set_sync_device_key(&theirs);
            self.engine(|e| e.set_device(theirs.clone()));
        } else if !same {
            return s.keeps.len();
        }
        let now = now_ms();
        let mut restored = Vec::new();
        for (id, bytes) in &s.keeps {
            let Ok(bytes) = b64.decode(bytes) else {
                continue;
            };
            let known = self.engine(|e| e.keep(id).is_some()).unwrap_or(true);
            if known {
                continue;
            }
            if let Some(k) = Keep::restore(&bytes, &theirs, now) {
                self.engine(|e| e.insert(id.clone(), k));
                restored.push(id.clone());
            }
        }
        for id in &restored {
            self.store_keep_now(id);
        }
        self.publish_live();
        self.connect();
        self.pump();
        0
    }
}
