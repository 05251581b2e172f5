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

use crate::plan::PlanId;
use crate::share::backup;
use crate::web::words::Words as _;

use std::rc::Rc;

use super::super::engine::link::Progress as Hears;
use super::super::engine::protocol::{BackUp, Reply, Restore, Returns, Step, Stored};
use super::super::platform::plan_store::{self, Tally};
use super::super::platform::settings;
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
    pub(super) fn of(t: Tally, keeps_not_restored: usize) -> Restored {
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
    /// The caseload's returns: a CSV of every plan on this device
    /// (`share::returns`), and how many plans could not be read. The engine
    /// worker reads the plans and writes it; when no engine can run, the
    /// person is told (`AppError::NoEngine`).
    pub async fn returns_csv(
        &self,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<(String, usize), AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ask = Returns {
            device: actor.as_str().to_owned(),
            unsaved: Vec::new(),
        };
        match self
            .engine_link()?
            .returns(ask, hears(Rc::new(progress)))
            .await
        {
            Some(Reply::Returns { text, unreadable }) => Ok((text, unreadable as usize)),
            other => Err(AppError::not_done(other)),
        }
    }

    /// Back up every plan on this device, with the settings that matter.
    /// `progress` hears "Backing up plan 3 of 50". The engine worker reads
    /// the plans and locks the backup; when no engine can run, the person
    /// is told (`AppError::NoEngine`).
    pub async fn back_up(
        &self,
        passphrase: String,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<BackedUp, AppError> {
        backup::check_passphrase(&passphrase).map_err(|e| AppError::Refused {
            message: e.words(),
            details: None,
        })?;
        let actor = self.actor().ok_or(AppError::NotReady)?;
        // The settings are the page's (localStorage, live sync): those of
        // every plan listed go with the backup.
        let ids: Vec<PlanId> = plan_store::list(&self.db()?)
            .await?
            .into_iter()
            .map(|s| s.plan_id)
            .collect();
        let mut device_settings = settings::for_backup(&ids);
        self.keeps_for_backup(&mut device_settings, false).await;
        let made_ms = now_ms();
        let ask = BackUp {
            passphrase,
            device: actor.as_str().to_owned(),
            unsaved: Vec::new(),
            settings: device_settings,
            made_ms,
        };
        match self
            .engine_link()?
            .back_up(ask, hears(Rc::new(progress)))
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
            other => Err(AppError::not_done(other)),
        }
    }

    /// Restore a backup: every plan merged into this device. The engine
    /// worker does the work (`web/engine/backups.rs`) and stores the plans;
    /// the page shows how far it has got, takes the plans it has open in
    /// from storage, and applies the device's settings. When no engine can
    /// run, nothing is restored and the person is told (`AppError::NoEngine`).
    pub async fn restore(
        &self,
        text: String,
        passphrase: String,
        progress: impl Fn(Progress) + 'static,
    ) -> Result<Restored, AppError> {
        let actor = self.actor().ok_or(AppError::NotReady)?;
        let ask = Restore {
            text,
            passphrase,
            device: actor.as_str().to_owned(),
        };
        progress(Progress::step("Opening the backup"));
        match self
            .engine_link()?
            .restore(ask, hears(Rc::new(progress)))
            .await
        {
            Some(Reply::Restored(stored)) => Ok(self.restored(stored).await),
            other => Err(AppError::not_done(other)),
        }
    }

    /// What the engine restored is in storage: take it into the plans open
    /// here, apply the backup's settings, and list the plans.
    async fn restored(&self, stored: Stored) -> Restored {
        for id in &stored.changed {
            if self.viewing(id) {
                self.read_again(id).await;
            }
        }
        let device = stored.settings;
        if let Some(role) = settings::restore_from(&device) {
            self.set_role(role);
        }
        let keeps_not_restored = self.restore_keeps(&device).await;
        settings::set_last_backup(stored.made_ms);
        self.refresh_list();
        Restored::of(stored.tally, keeps_not_restored)
    }
}
