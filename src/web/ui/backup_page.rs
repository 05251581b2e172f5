//! "Back up everything on this device" and "Restore from a backup", and the
//! gentle reminder shown on the caseload and the carer's task list when
//! there is no backup newer than four weeks.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::{error_summary, file_field, PassphraseInput};
use crate::plan::date::long_date_of_ms;
use crate::share::backup::{self, BackupError, MAX_BACKUP_BYTES, START_BYTES};
use crate::web::app::{now_ms, use_app, AppError, Progress, Restored};
use crate::web::platform::share_sheet::read_picked_up_to;
use crate::web::platform::{download, settings};
use crate::web::words::Words;

fn plans(n: usize) -> String {
    format!("{n} plan{}", if n == 1 { "" } else { "s" })
}

/// The "Details for a technical person" disclosure under a refusal.
fn details_of(
    problem: RwSignal<Option<String>>,
    details: RwSignal<Option<String>>,
) -> impl IntoView {
    move || {
        details.get().filter(|_| problem.get().is_some()).map(|d| {
            view! {
                <details class="details" data-testid="problem-details">
                    <summary class="details__summary">"Details for a technical person"</summary>
                    <p class="details__text">{d}</p>
                </details>
            }
        })
    }
}

/// A passphrase box with its label and hint.
fn passphrase_field(
    (id, hint_id): (&'static str, &'static str),
    label: &'static str,
    hint: &'static str,
    value: RwSignal<String>,
) -> impl IntoView {
    view! {
        <div class="field">
            <label class="label" for=id>{label}</label>
            <p class="hint" id=hint_id>{hint}</p>
            <PassphraseInput id=id hint_id=hint_id value=value/>
        </div>
    }
}

/// The page's one button, busy while `progress` has something to say, and
/// the progress itself below it (`{what}-start`, `{what}-progress`).
fn start_button(
    what: &'static str,
    idle: &'static str,
    busy: &'static str,
    progress: RwSignal<Option<Progress>>,
    start: impl Fn(leptos::ev::MouseEvent) + 'static,
) -> impl IntoView {
    view! {
        <button type="button" class="button" data-testid=format!("{what}-start") disabled=move || progress.get().is_some() on:click=start>
            {move || if progress.get().is_some() { busy } else { idle }}
        </button>
        {super::common::progress_view(format!("{what}-progress"), progress)}
    }
}

/// The last backup in words, read again after each backup made here.
fn last_backup_text(last: Option<i64>) -> String {
    match last {
        Some(t) => format!("Your last backup was made on {}.", long_date_of_ms(t)),
        None => "There is no backup of this device yet.".to_string(),
    }
}

/// Focus the banner that says what happened (GOV.UK's notification banner:
/// a screen reader hears the news, not the page's title again), once it is
/// on the page.
pub(super) fn focus_banner(test_id: &'static str) {
    super::focus_when_shown(&format!("[data-testid=\"{test_id}\"]"));
}

#[component]
pub fn BackUp() -> impl IntoView {
    let app = use_app();
    let pass = RwSignal::new(String::new());
    let again = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<Progress>);
    let done = RwSignal::new(None::<String>);
    let last = RwSignal::new(settings::last_backup());
    let start = move |_| {
        problem.set(None);
        done.set(None);
        let p = pass.get_untracked();
        // Typed twice: one slip would lock her out of her own backup.
        let said = if p.trim().is_empty() {
            Some("Choose a passphrase to lock the backup with.")
        } else if again.get_untracked().is_empty() {
            Some("Type the passphrase again, to be sure it is the one you meant.")
        } else if again.get_untracked() != p {
            Some("The two passphrases are different. Type the same passphrase in both boxes.")
        } else {
            None
        };
        if let Some(s) = said {
            problem.set(Some(s.into()));
            focus_banner("problem-summary");
            return;
        }
        progress.set(Some(Progress::step("Starting")));
        spawn_local(async move {
            let result = app.back_up(p, move |s| progress.set(Some(s))).await;
            progress.set(None);
            match result {
                Ok(b) => {
                    let day = crate::plan::date::iso_of_ms(now_ms());
                    let name = format!("carer-support-plan-backup-{day}.txt");
                    if download::offer(&name, "text/plain", b.text.as_bytes()) {
                        let mut msg = format!("Your backup of {} is saved as \"{name}\" in your downloads. Move it somewhere safe, away from this device, and keep the passphrase apart from it.", plans(b.plans));
                        if b.unreadable > 0 {
                            msg.push_str(&format!(" {} could not be read on this device, so they are not in the backup.", plans(b.unreadable)));
                        }
                        last.set(settings::last_backup());
                        done.set(Some(msg));
                        focus_banner("backup-done");
                    } else {
                        problem.set(Some(
                            "This browser did not let the app save the file. Please try again."
                                .into(),
                        ));
                        focus_banner("problem-summary");
                    }
                }
                Err(e) => {
                    problem.set(Some(e.to_string()));
                    focus_banner("problem-summary");
                }
            }
        });
    };
    view! {
        <p><a class="back-link" href="#/settings">"Back"</a></p>
        <h1 tabindex="-1">"Back up everything on this device"</h1>
        <p>"This saves every plan on this device in one file, with everything in it, including private notes. Keep the file somewhere safe away from this device. If this device is lost or replaced, or the browser clears its data, you can put everything back with \"Restore from a backup\"."</p>
        <p data-testid="last-backup">{move || last_backup_text(last.get())}</p>
        {error_summary(problem)}
        {move || done.get().map(|d| view! {
            <div class="notice" role="status" tabindex="-1" data-testid="backup-done"><p>{d}</p></div>
        })}
        {passphrase_field(("backup-passphrase", "backup-passphrase-hint"), "Choose a passphrase", "At least 8 characters. Three ordinary words are easy to remember. Write it down: without it, nobody can open the backup, not even you.", pass)}
        {passphrase_field(("backup-passphrase-again", "backup-passphrase-again-hint"), "Type the passphrase again", "The same passphrase, to be sure it is the one you meant.", again)}
        {start_button("backup", "Back up everything", "Backing up…", progress, start)}
        <p><a href="#/restore">"Restore from a backup"</a></p>
    }
}

fn restored_text(r: &Restored) -> String {
    let mut parts = Vec::new();
    if r.added > 0 {
        parts.push(format!("{} added to this device", plans(r.added)));
    }
    if r.merged > 0 {
        parts.push(format!(
            "{} combined with the copy already here (nothing on this device was lost)",
            plans(r.merged)
        ));
    }
    if r.unchanged > 0 {
        parts.push(format!("{} already up to date", plans(r.unchanged)));
    }
    let mut text = if parts.is_empty() {
        "The backup had no plans in it.".to_string()
    } else {
        format!("Restored: {}.", parts.join("; "))
    };
    if r.skipped > 0 {
        text.push_str(&format!(
            " {} already on this device could not be read, so they were left as they are.",
            plans(r.skipped)
        ));
    }
    if r.keeps_not_restored > 0 {
        text.push_str(&format!(
            " {} kept in step on the device you backed up. This device already keeps other plans in step, so it cannot take that device's place: open each plan's link here and allow this device from your other device.",
            plans(r.keeps_not_restored)
        ));
    }
    text
}

#[component]
pub fn Restore() -> impl IntoView {
    let app = use_app();
    let pass = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let details = RwSignal::new(None::<String>);
    let progress = RwSignal::new(None::<Progress>);
    let done = RwSignal::new(None::<String>);
    let file_input = NodeRef::<leptos::html::Input>::new();
    let start = move |_| {
        problem.set(None);
        details.set(None);
        done.set(None);
        let picked = file_input.get_untracked();
        let p = pass.get_untracked();
        progress.set(Some(Progress::step("Reading the file")));
        spawn_local(async move {
            let text = match picked {
                Some(input) => {
                    read_picked_up_to(
                        input,
                        MAX_BACKUP_BYTES,
                        BackupError::TooLarge.words(),
                        Some((START_BYTES as i32, |head| {
                            backup::check_start(head).map_err(|e| e.words())
                        })),
                    )
                    .await
                }
                None => Ok(None),
            };
            let result = match text {
                Err(e) => Err(e),
                Ok(None) => Err("Choose the backup file.".to_string()),
                Ok(Some(_)) if p.is_empty() => Err(BackupError::NeedsPassphrase.words()),
                Ok(Some(t)) => app
                    .restore(t, p, move |s| progress.set(Some(s)))
                    .await
                    .map_err(|e: AppError| {
                        details.set(e.details());
                        e.to_string()
                    }),
            };
            progress.set(None);
            match result {
                Ok(r) => {
                    done.set(Some(restored_text(&r)));
                    focus_banner("restore-done");
                }
                Err(e) => {
                    problem.set(Some(e));
                    focus_banner("problem-summary");
                }
            }
        });
    };
    view! {
        <p><a class="back-link" href="#/settings">"Back"</a></p>
        <h1 tabindex="-1">"Restore from a backup"</h1>
        <p>"Puts back every plan from a backup made with \"Back up everything on this device\", on this device or a new one. A plan that is already here is combined with the backup's copy: nothing on this device is overwritten or lost."</p>
        {error_summary(problem)}
        {details_of(problem, details)}
        {move || done.get().map(|d| view! {
            <div class="notice" role="status" tabindex="-1" data-testid="restore-done"><p>{d}</p><p><a href="#/">"Go to your plans"</a></p></div>
        })}
        {file_field("restore-file", "Choose the backup file", "Its name starts with carer-support-plan-backup and ends in .txt.", file_input)}
        {passphrase_field(("restore-passphrase", "restore-passphrase-hint"), "Passphrase", "The passphrase you chose when you made the backup.", pass)}
        {start_button("restore", "Restore", "Restoring…", progress, start)}
    }
}

/// The gentle reminder: no backup newer than four weeks. "Not now" rests
/// it for four weeks.
#[component]
pub fn BackupReminder() -> impl IntoView {
    let shown = RwSignal::new(settings::backup_reminder_due(now_ms()));
    move || {
        shown.get().then(|| view! {
            <div class="inset" data-testid="backup-reminder">
                <p>"It is a good idea to back up this device now and then, so nothing is lost if it is replaced or the browser clears its data."</p>
                <p class="reminder-actions">
                    <a href="#/backup">"Back up everything on this device"</a>
                    " "
                    <button type="button" class="link-button" data-testid="backup-reminder-later"
                        on:click=move |_| { settings::snooze_backup_reminder(now_ms()); shown.set(false); }>
                        "Not now"<span class="visually-hidden">" (remind me in four weeks)"</span>
                    </button>
                </p>
            </div>
        })
    }
}
