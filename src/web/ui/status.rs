//! Quiet "Saved on this device", plain messages when storage fails, and a
//! caseload catching up with the council's service after time offline.

use leptos::prelude::*;

use crate::plan::PlanId;
use crate::web::app::{use_app, App, Progress, SaveStatus};
use crate::web::platform::download;

/// Offer the open plan as a file, so nothing typed is lost if storage fails.
fn download_copy(app: App, id: &PlanId) {
    let id = id.clone();
    wasm_bindgen_futures::spawn_local(async move {
        if let Some(bytes) = app.document_bytes(&id).await {
            download::offer(
                &format!("carer-plan-{id}.automerge"),
                "application/octet-stream",
                &bytes,
            );
        }
    });
}

/// "Saved on this device" and the other one-line states: what the line
/// says, its class and its test id; `None` for the warning that storage is
/// failing (a box with its own button).
fn save_line(
    save: &SaveStatus,
    storage_broken: bool,
) -> Option<(&'static str, &'static str, &'static str)> {
    Some(match save {
        SaveStatus::Saved => ("saved", "save-status", "Saved on this device"),
        SaveStatus::Saving => ("saved", "save-status", "Saving…"),
        SaveStatus::NotSaved => (
            "saved saved--not",
            "save-status",
            "Your last change is not saved: see the message by the answer",
        ),
        // Storage cannot be opened at all: the page's one banner says so.
        SaveStatus::NotKept(_) if storage_broken => (
            "saved saved--not",
            "save-problem",
            "Not kept on this device: see the message at the top of the page",
        ),
        SaveStatus::NotKept(_) => return None,
    })
}

/// Every key typed moves the line from "Saved" to "Saving…" and back: only
/// its words (and class) change in place, so a key costs no new elements;
/// the line is swapped for the warning box, and back, only when saving
/// starts or stops failing.
#[component]
pub fn SaveIndicator(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let id = StoredValue::new(id);
    let line = Memo::new(move |_| {
        ui.save
            .with(|s| save_line(s, ui.storage_problem.with(Option::is_some)))
    });
    let boxed = Memo::new(move |_| line.with(Option::is_none));
    let why = move || match ui.save.get() {
        SaveStatus::NotKept(why) => why,
        _ => String::new(),
    };
    let part = move |f: fn((&'static str, &'static str, &'static str)) -> &'static str| {
        move || line.get().map(f).unwrap_or_default()
    };
    view! {
        <div class="save-status" role="status" aria-live="polite"
            aria-busy=move || ui.saving.get().then_some("true")>
            {move || if boxed.get() {
                view! {
                    <div class="warning-box" data-testid="save-problem">
                        <h2 class="warning-title">"Your changes are not being kept on this device"</h2>
                        <p>{why}</p>
                        <p>"What you typed is still here, and the app keeps trying to save it. Do not close this page. To be safe, download a copy now."</p>
                        <button type="button" class="button button--secondary"
                            on:click=move |_| download_copy(app, &id.get_value())>
                            "Download a copy"
                        </button>
                    </div>
                }.into_any()
            } else {
                view! {
                    <p class=part(|l| l.0) data-testid=part(|l| l.1)>{part(|l| l.2)}</p>
                }.into_any()
            }}
        </div>
    }
}

/// Storage could not be opened at all: the page's one banner about it
/// (the save status beside a plan then only says "Not kept").
#[component]
pub fn StorageProblem() -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    move || {
        ui.storage_problem.get().map(|why| {
            let open = ui.route.get().plan().cloned();
            view! {
                <div class="warning-box" role="alert" data-testid="storage-problem">
                    <h2 class="warning-title">"Plans cannot be kept on this device"</h2>
                    <p>{why}</p>
                    <p>"You can still fill in a plan, but it will be lost when you close this page. Use “Download a copy” to keep it, or open the app in a normal (not private) browser window."</p>
                    {open.map(|id| view! {
                        <button type="button" class="button button--secondary"
                            on:click=move |_| download_copy(app, &id)>
                            "Download a copy"
                        </button>
                    })}
                </div>
            }
        })
    }
}

/// On the caseload, while the plans kept in step are checked with the
/// council's service after the laptop was offline (or the page was
/// opened): how many of them so far, with a bar. The page stays usable;
/// the line goes when every plan has been checked.
#[component]
pub fn CatchingUp() -> impl IntoView {
    let live = use_app().ui.live;
    let progress = Signal::derive(move || {
        let c = live.with(|s| s.catch_up)?;
        (c.of >= 2 && c.checked < c.of).then(|| Progress {
            words: format!(
                "Catching up with the council's service: {} of {} plans kept in step checked",
                c.checked, c.of
            ),
            done: c.checked,
            total: c.of,
        })
    });
    super::common::progress_view("catching-up".into(), progress)
}
