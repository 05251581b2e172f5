//! Backing up everything on this device, and restoring a backup: every
//! plan merged in, never overwritten. The format is `share::backup`.
//!
//! A restore checks the whole backup (passphrase, authentication, every
//! plan against the plan's limits) before it writes anything, so a bad
//! backup leaves storage as it was. Then each plan is written in its own
//! IndexedDB transaction (its chunk and its list entry together): a restore
//! cut off half-way leaves each plan either restored or untouched, and
//! restoring again finishes it (a plan that already has everything is not
//! written again).

use crate::doc::PlanDoc;
use crate::plan::PlanId;
use crate::share::backup::{self, Backup, BackupError};
use crate::share::Kdf;

use std::rc::Rc;

use super::super::engine::link::Progress as Hears;
use super::super::engine::protocol::{BackUp, Reply, Restore, Returns, Step, Stored};
use super::super::platform::events::next_turn;
use super::super::platform::plan_store::{self, OpenError, Tally};
use super::super::platform::settings;
use super::super::platform::tabs::TabMessage;
use super::{now_ms, App, AppError};

/// How far long work has got: what is being done in words ("Restoring
/// plan 3 of 50") and, when it is counted, how many of how many.
#[derive(Debug, Clone, PartialEq)]
pub struct Progress {
    pub words: String,
    pub done: usize,
    /// 0 when the step is not counted ("Opening the backup").
    pub total: usize,
}

impl Progress {
    pub fn step(words: &str) -> Progress {
        Progress {
            words: words.to_owned(),
            done: 0,
            total: 0,
        }
    }

    /// "<doing> plan <done> of <total>".
    pub fn plans(doing: &str, done: usize, total: usize) -> Progress {
        Progress {
            words: format!("{doing} plan {done} of {total}"),
            done,
            total,
        }
    }
}

/// A backup made: the file's text and what it holds.
pub struct BackedUp {
    pub text: String,
    pub plans: usize,
    /// Plans whose saved data cannot be read (left out, and left as they are).
    pub unreadable: usize,
}

/// What a restore did.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Restored {
    /// Plans new to this device.
    pub added: usize,
    /// Plans already here, combined with the backup's copy.
    pub merged: usize,
    /// Plans already here with everything the backup had.
    pub unchanged: usize,
    /// Plans already here whose saved data cannot be read: left as they are.
    pub skipped: usize,
    /// Plans kept in step in the backup that this device could not carry
    /// on (it already keeps plans in step as another device): the carer
    /// allows this device from the link instead.
    pub keeps_not_restored: usize,
}

impl Restored {
    fn of(t: Tally, keeps_not_restored: usize) -> Restored {
        Restored {
            added: t.added as usize,
            merged: t.merged as usize,
            unchanged: t.unchanged as usize,
            skipped: t.skipped as usize,
            keeps_not_restored,
        }
    }
}

/// A long job's step in the page's words ("Restoring", then " plan 3 of 50").
fn doing(step: Step) -> &'static str {
    match step {
        Step::Checking => "Checking",
        Step::Restoring => "Restoring",
        Step::BackingUp => "Backing up",
        Step::Reading => "Reading",
    }
}

/// What the engine's link calls with each step: `progress`, in words.
fn hears(progress: Rc<dyn Fn(Progress)>) -> Hears {
    Rc::new(move |step, done: u32, total: u32| {
        progress(Progress::plans(doing(step), done as usize, total as usize))
    })
}

impl App {
    /// The changes of the plans open here that storage does not hold yet,
    /// for work the engine does from storage (a backup, the returns).
    fn unsaved(&self) -> Vec<(PlanId, Vec<u8>)> {
        let Some(inner) = self.inner() else {
            return Vec::new();
        };
        let Ok(sessions) = inner.sessions.try_borrow() else {
            return Vec::new();
        };
        sessions
            .iter()
            .filter_map(|(id, s)| s.log.pending(&s.doc).map(|p| (id.clone(), p.bytes)))
            .collect()
    }

    /// Read every plan on this device in turn (an open one as it is now,
    /// unsaved changes included). Returns how many could not be read (they
    /// are left as they are). `progress` hears "<doing> plan 3 of 50".
    pub(super) async fn visit_plans(
        &self,
        doing: &str,
        progress: &dyn Fn(Progress),
        mut each: impl FnMut(&PlanId, &PlanDoc),
    ) -> Result<usize, AppError> {
        let db = self.db()?;
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let list = plan_store::list(&db).await?;
        let mut unreadable = 0;
        for (i, summary) in list.iter().enumerate() {
            let id = &summary.plan_id;
            if i % 10 == 0 {
                progress(Progress::plans(doing, i + 1, list.len()));
                next_turn().await;
            }
            if self.read(id, |d| each(id, d)).is_some() {
                continue;
            }
            match plan_store::load(&db, id, &actor).await {
                Ok((doc, _)) => each(id, &doc),
                Err(OpenError::NotFound) => {}
                Err(OpenError::Damaged { .. }) => unreadable += 1,
                Err(OpenError::Store(e)) => return Err(e.into()),
            }
        }
        Ok(unreadable)
    }

    /// The caseload's returns: a CSV of every plan on this device
    /// (`share::returns`), and how many plans could not be read. The engine
    /// worker reads the plans and writes it; when no engine can run, the
    /// page does, in slices.
    pub async fn returns_csv(
        &self,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<(String, usize), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ask = Returns {
            device: actor.as_str().to_owned(),
            unsaved: self.unsaved(),
        };
        let progress: Rc<dyn Fn(Progress)> = Rc::new(progress);
        match self
            .engine_link()?
            .returns(ask, hears(progress.clone()))
            .await
        {
            Some(Reply::Returns { text, unreadable }) => Ok((text, unreadable as usize)),
            Some(Reply::Refused { message, details }) => {
                Err(AppError::Refused { message, details })
            }
            _ => self.returns_here(&*progress).await,
        }
    }

    /// The returns written on the page's own thread, yielding between plans.
    async fn returns_here(&self, progress: &dyn Fn(Progress)) -> Result<(String, usize), AppError> {
        let mut plans = Vec::new();
        let unreadable = self
            .visit_plans("Reading", progress, |_, doc| {
                if let Ok(p) = doc.plan() {
                    plans.push(p);
                }
            })
            .await?;
        progress(Progress::step("Writing the spreadsheet"));
        next_turn().await;
        let text = crate::share::returns::csv(&plans)?;
        Ok((text, unreadable))
    }

    /// Back up every plan on this device, with the settings that matter.
    /// `progress` hears "Backing up plan 3 of 50". The engine worker reads
    /// the plans and locks the backup; when no engine can run, the page
    /// does, in slices.
    pub async fn back_up(
        &self,
        passphrase: String,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<BackedUp, AppError> {
        backup::check_passphrase(&passphrase)?;
        let actor = self.actor().ok_or(AppError::NotReady)?;
        // The settings are the page's (localStorage, live sync): those of
        // every plan listed go with the backup.
        let ids: Vec<PlanId> = plan_store::list(&self.db()?)
            .await?
            .into_iter()
            .map(|s| s.plan_id)
            .collect();
        let mut device_settings = settings::for_backup(&ids);
        self.keeps_for_backup(&mut device_settings);
        let made_ms = now_ms();
        let ask = BackUp {
            passphrase: passphrase.clone(),
            device: actor.as_str().to_owned(),
            unsaved: self.unsaved(),
            settings: serde_json::to_string(&device_settings)
                .map_err(|e| BackupError::Settings(e.to_string()))?,
            made_ms,
        };
        let progress: Rc<dyn Fn(Progress)> = Rc::new(progress);
        match self
            .engine_link()?
            .back_up(ask, hears(progress.clone()))
            .await
        {
            Some(Reply::BackedUp {
                text,
                plans,
                unreadable,
            }) => {
                settings::set_last_backup(made_ms);
                Ok(BackedUp {
                    text,
                    plans: plans as usize,
                    unreadable: unreadable as usize,
                })
            }
            Some(Reply::Refused { message, details }) => {
                Err(AppError::Refused { message, details })
            }
            _ => self.back_up_here(passphrase, &*progress).await,
        }
    }

    /// A backup made on the page's own thread, yielding between plans: what
    /// [`App::back_up`] does when no engine worker can run.
    async fn back_up_here(
        &self,
        passphrase: String,
        progress: &dyn Fn(Progress),
    ) -> Result<BackedUp, AppError> {
        let mut plans = Vec::new();
        let unreadable = self
            .visit_plans("Backing up", progress, |id, doc| {
                plans.push((id.clone(), doc.save()))
            })
            .await?;
        progress(Progress::step("Locking the backup with your passphrase"));
        next_turn().await;
        let ids: Vec<PlanId> = plans.iter().map(|(id, _)| id.clone()).collect();
        let made_ms = now_ms();
        let count = plans.len();
        let mut device_settings = settings::for_backup(&ids);
        self.keeps_for_backup(&mut device_settings);
        // The key is derived by the engine worker, beside the page.
        let kdf = Kdf::fresh().map_err(BackupError::Crypto)?;
        let key = self
            .derive_key(&passphrase, &kdf)
            .await
            .map_err(BackupError::Crypto)?;
        let text = backup::write_locked(
            &Backup {
                made_ms,
                settings: device_settings,
                plans,
            },
            &kdf,
            &key,
        )?;
        settings::set_last_backup(made_ms);
        Ok(BackedUp {
            text,
            plans: count,
            unreadable,
        })
    }

    /// Restore a backup: every plan merged into this device. The engine
    /// worker does the work (`web/engine/backups.rs`) and stores the plans;
    /// the page shows how far it has got, takes the plans it has open in
    /// from storage, and applies the device's settings. When no engine can
    /// run, the page restores it itself.
    pub async fn restore(
        &self,
        text: String,
        passphrase: String,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<Restored, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ask = Restore {
            text: text.clone(),
            passphrase: passphrase.clone(),
            device: actor.as_str().to_owned(),
        };
        let progress = Rc::new(progress);
        let told = progress.clone();
        progress(Progress::step("Opening the backup"));
        match self.engine_link()?.restore(ask, hears(told)).await {
            Some(Reply::Restored(stored)) => Ok(self.restored(stored).await),
            Some(Reply::Refused { message, details }) => {
                Err(AppError::Refused { message, details })
            }
            _ => self.restore_here(text, passphrase, &*progress).await,
        }
    }

    /// What the engine restored is in storage: take it into the plans open
    /// here, apply the backup's settings, and list the plans.
    async fn restored(&self, stored: Stored) -> Restored {
        for id in &stored.changed {
            if self.read(id, |_| ()).is_some() {
                self.take_in_stored(id).await;
            }
        }
        let device = stored.device_settings();
        if let Some(role) = settings::restore_from(&device) {
            self.set_role(role);
        }
        let keeps_not_restored = self.restore_keeps(&device);
        settings::set_last_backup(stored.made_ms);
        self.refresh_list();
        Restored::of(stored.tally, keeps_not_restored)
    }

    /// Restore a backup on the page's own thread, yielding between plans:
    /// what [`App::restore`] does when no engine worker can run.
    async fn restore_here(
        &self,
        text: String,
        passphrase: String,
        progress: &dyn Fn(Progress),
    ) -> Result<Restored, AppError> {
        let db = self.db()?;
        let actor = self.actor().ok_or(AppError::NotReady)?;
        progress(Progress::step("Opening the backup"));
        next_turn().await;
        let sealed = backup::peek(&text)?;
        drop(text);
        if passphrase.is_empty() {
            return Err(BackupError::NeedsPassphrase.into());
        }
        let key = self
            .derive_key(&passphrase, sealed.lock())
            .await
            .map_err(BackupError::Crypto)?;
        let opened = sealed.open(&key)?;
        let total = opened.plans.len();
        let mut docs = Vec::with_capacity(total);
        for (i, (id, bytes)) in opened.plans.iter().enumerate() {
            if i % 10 == 0 {
                progress(Progress::plans("Checking", i + 1, total));
                next_turn().await;
            }
            docs.push(backup::check_plan(id, bytes, &actor)?);
        }
        // Everything is checked: from here, each plan is written on its own.
        let mut tally = Tally::default();
        for (i, theirs) in docs.into_iter().enumerate() {
            progress(Progress::plans("Restoring", i + 1, total));
            next_turn().await;
            let id = theirs.plan_id().clone();
            if self.read(&id, |_| ()).is_some() {
                // Open in this tab: merged there and saved like any change.
                let mut theirs = theirs;
                let before = self.read(&id, |d| d.heads()).unwrap_or_default();
                let after = self.with_session(&id, |s| s.doc.merge(&mut theirs))??;
                if after == before {
                    tally.unchanged += 1;
                } else {
                    tally.merged += 1;
                    self.changed(&id, super::Touched::Plan);
                }
                continue;
            }
            let restoring = plan_store::restore_plan::<AppError>(
                &db,
                &actor,
                theirs,
                now_ms(),
                self.next_nonce(),
            )
            .await?;
            if !tally.count(restoring) {
                continue;
            }
            if let Some(i) = self.inner() {
                if let Some(t) = i.tabs.borrow().as_ref() {
                    t.announce(&TabMessage::Saved {
                        plan: id.clone(),
                        by: None,
                    });
                }
            }
        }
        if let Some(role) = settings::restore_from(&opened.settings) {
            self.set_role(role);
        }
        let keeps_not_restored = self.restore_keeps(&opened.settings);
        settings::set_last_backup(opened.made_ms);
        self.refresh_list();
        Ok(Restored::of(tally, keeps_not_restored))
    }
}
