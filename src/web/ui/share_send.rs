//! "Your share file is ready": the last step of sharing a plan. The person
//! chooses how the file leaves the device: the phone's share sheet (where
//! the browser has one), a download, or the text copied to paste.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::error_summary;
use crate::plan::PlanId;
use crate::web::app::now_ms;
use crate::web::platform::share_sheet::{can_share, copy_text, share_file, text_file};
use crate::web::platform::{download, settings};
use crate::web::route::{self, Page};

/// The ready page: what was done (`sent`) or went wrong (`problem`), a
/// reminder about the passphrase if the file is locked, and the ways to send.
pub(super) fn file_ready(
    id: &PlanId,
    file_name: String,
    text: String,
    locked: bool,
    problem: RwSignal<Option<String>>,
    sent: RwSignal<Option<String>>,
) -> impl IntoView {
    let file = text_file(&file_name, &text);
    let shareable_file = file.as_ref().is_some_and(can_share);
    view! {
        <div class="panel" role="status">
            <h1 tabindex="-1">"Your share file is ready"</h1>
        </div>
        {error_summary(problem)}
        {move || sent.get().map(|s| view! { <p class="notice" role="status" data-testid="sent">{s}</p> })}
        {locked.then(|| view! { <p><strong>"Remember: tell them the passphrase another way, not with the file."</strong></p> })}
        {shareable_file.then(|| share_button(file, problem, sent))}
        {download_button(file_name, text.clone(), shareable_file, problem, sent)}
        {copy_button(text, problem, sent)}
        <p><a href=route::href(id, Page::Tasks)>"Back to the plan"</a></p>
    }
}

/// "Share the file", through the phone's share sheet.
fn share_button(
    file: Option<web_sys::File>,
    problem: RwSignal<Option<String>>,
    sent: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <button type="button" class="button" data-testid="share-sheet" on:click=move |_| {
            if let Some(f) = file.clone() {
                spawn_local(async move {
                    match share_file(f, "Carer support plan".into()).await {
                        Ok(()) => {
                            settings::set_last_copy(now_ms());
                            sent.set(Some("Shared.".into()));
                        }
                        Err(e) => problem.set(Some(e)),
                    }
                });
            }
        }>"Share the file"</button>
    }
}

/// "Download the file": the main button unless the share sheet is offered.
fn download_button(
    file_name: String,
    text: String,
    secondary: bool,
    problem: RwSignal<Option<String>>,
    sent: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <button type="button" class=if secondary { "button button--secondary" } else { "button" } data-testid="download-share" on:click=move |_| {
            if download::offer(&file_name, "text/plain", text.as_bytes()) {
                settings::set_last_copy(now_ms());
                sent.set(Some(format!("Downloaded as {file_name}. Send it by email, a messaging app or a USB stick.")));
            } else {
                problem.set(Some("This browser did not let the app download the file. Try copying the text instead.".into()));
            }
        }>"Download the file"</button>
    }
}

/// "Copy the text", to paste into an email or message.
fn copy_button(
    text: String,
    problem: RwSignal<Option<String>>,
    sent: RwSignal<Option<String>>,
) -> impl IntoView {
    view! {
        <button type="button" class="button button--secondary" data-testid="copy-share" on:click=move |_| {
            let t = text.clone();
            spawn_local(async move {
                match copy_text(t).await {
                    Ok(()) => {
                        settings::set_last_copy(now_ms());
                        sent.set(Some("Copied. Paste it into an email or message.".into()));
                    }
                    Err(e) => problem.set(Some(e)),
                }
            });
        }>"Copy the text"</button>
    }
}

/// The share file's name: the person's name, if any, and today's date.
pub(super) fn file_name(name: &str, today: &str) -> String {
    format!(
        "carer-support-plan-{}{}.txt",
        if name.is_empty() {
            String::new()
        } else {
            format!("{}-", slug(name))
        },
        today
    )
}

fn slug(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    s.split('-')
        .filter(|p| !p.is_empty())
        .collect::<Vec<_>>()
        .join("-")
}
