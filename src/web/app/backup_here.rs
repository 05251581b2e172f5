//! The page's own backing up, returns and restoring, yielding between
//! plans: what `backup.rs` does when no engine worker can run (no Worker,
//! the engine's module could not be fetched, or it stopped for good).

use crate::doc::PlanDoc;
use crate::plan::PlanId;
use crate::share::backup::{self, Backup, BackupError};
use crate::share::Kdf;

use super::super::platform::events::next_turn;
use super::super::platform::plan_store::{self, OpenError, Tally};
use super::super::platform::settings;
use super::super::platform::tabs::TabMessage;
use super::backup::{BackedUp, Progress, Restored};
use super::{now_ms, App, AppError};

impl App {
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

    /// The returns written on the page's own thread, yielding between plans.
    pub(super) async fn returns_here(
        &self,
        progress: &dyn Fn(Progress),
    ) -> Result<(String, usize), AppError> {
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

    /// A backup made on the page's own thread, yielding between plans: what
    /// [`App::back_up`] does when no engine worker can run.
    pub(super) async fn back_up_here(
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
        self.keeps_for_backup(&mut device_settings, true).await;
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

    /// Restore a backup on the page's own thread, yielding between plans:
    /// what [`App::restore`] does when no engine worker can run.
    pub(super) async fn restore_here(
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
                        compacted: None,
                    });
                }
            }
        }
        if let Some(role) = settings::restore_from(&opened.settings) {
            self.set_role(role);
        }
        let keeps_not_restored = self.restore_keeps(&opened.settings).await;
        settings::set_last_backup(opened.made_ms);
        self.refresh_list();
        Ok(Restored::of(tally, keeps_not_restored))
    }
}
