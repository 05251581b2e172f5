//! "Add a copy you were sent": pick the file or paste its text, give the
//! passphrase, add it. Every check happens before anything is stored.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::error_summary;
use crate::plan::date::long_date_of_ms;
use crate::plan::PlanId;
use crate::share::file::{self as share, ShareHeader, MAX_SHARE_BYTES};
use crate::web::app::{use_app, App, Imported};
use crate::web::platform::share_sheet::read_picked;
use crate::web::route::{self, Page, Route};
use crate::web::words::Words;

fn header_text(h: &ShareHeader) -> String {
    format!(
        "From {}, sent on {}.",
        h.from_label(),
        long_date_of_ms(h.sent_ms)
    )
}

/// What the page holds while a copy is being added.
#[derive(Clone, Copy)]
struct Importing {
    app: App,
    pasted: RwSignal<String>,
    /// The share file's text, once its header has been read.
    text: RwSignal<Option<String>>,
    header: RwSignal<Option<ShareHeader>>,
    pass: RwSignal<String>,
    problem: RwSignal<Option<String>>,
    /// The technical detail of a refusal, shown only in a disclosure.
    details: RwSignal<Option<String>>,
    done: RwSignal<Option<String>>,
    busy: RwSignal<bool>,
    file_input: NodeRef<leptos::html::Input>,
    into: StoredValue<Option<PlanId>>,
}

impl Importing {
    fn new(into: Option<PlanId>) -> Self {
        Importing {
            app: use_app(),
            pasted: RwSignal::new(String::new()),
            text: RwSignal::new(None),
            header: RwSignal::new(None),
            pass: RwSignal::new(String::new()),
            problem: RwSignal::new(None),
            details: RwSignal::new(None),
            done: RwSignal::new(None),
            busy: RwSignal::new(false),
            file_input: NodeRef::new(),
            into: StoredValue::new(into),
        }
    }

    /// Read a share file's header (the engine worker checks it), or say
    /// why it cannot be added.
    async fn take(self, t: String) {
        let Importing {
            app,
            text,
            header,
            problem,
            details,
            done,
            ..
        } = self;
        done.set(None);
        match app.peek(t.clone()).await {
            Ok(h) => {
                header.set(Some(h));
                text.set(Some(t));
                problem.set(None);
            }
            Err(e) => {
                // Set only if a header was shown: setting it again would
                // draw the file field anew, and the file chosen would be
                // lost (to choose again once an engine runs).
                if header.with_untracked(Option::is_some) {
                    header.set(None);
                }
                text.set(None);
                details.set(e.details());
                problem.set(Some(e.to_string()));
            }
        }
    }

    /// "Continue": the picked file, else the pasted text.
    fn read(self) {
        let Importing {
            problem,
            details,
            busy,
            ..
        } = self;
        // A second press while the file is read and checked does nothing.
        if busy.get_untracked() {
            return;
        }
        busy.set(true);
        problem.set(None);
        details.set(None);
        let picked = self.file_input.get_untracked();
        let typed = self.pasted.get_untracked();
        spawn_local(async move {
            let from_file = match picked {
                Some(input) => read_picked(input).await,
                None => Ok(None),
            };
            match from_file {
                Err(e) => problem.set(Some(e)),
                Ok(Some(t)) => self.take(t).await,
                Ok(None) if typed.len() > MAX_SHARE_BYTES => {
                    problem.set(Some(share::ShareError::TooLarge.words()))
                }
                Ok(None) if !typed.trim().is_empty() => self.take(typed).await,
                Ok(None) => problem.set(Some(
                    "Choose the file you were sent, or paste its text.".into(),
                )),
            }
            busy.set(false);
        });
    }

    /// "Add this copy": open it with the passphrase and add it.
    fn add(self) {
        let Importing {
            app,
            problem,
            details,
            done,
            busy,
            ..
        } = self;
        let Some(t) = self.text.get_untracked() else {
            return;
        };
        let needs = self.header.get_untracked().is_some_and(|h| h.encrypted);
        let p = self.pass.get_untracked();
        if needs && p.is_empty() {
            problem.set(Some(share::ShareError::NeedsPassphrase.words()));
            return;
        }
        busy.set(true);
        problem.set(None);
        details.set(None);
        let target = self.into.get_value();
        spawn_local(async move {
            let result = app.import(t, needs.then_some(p), target).await;
            busy.set(false);
            match result {
                Ok(Imported::Created(id)) => {
                    app.ui.notify("The plan was added to this device.");
                    route::go(&Route::Plan(id, Page::Changes));
                }
                Ok(Imported::Merged(id, _)) => {
                    route::go(&Route::Plan(id, Page::Changes));
                }
                Ok(Imported::NothingNew(_)) => {
                    done.set(Some("This copy has nothing new: the plan on this device already has everything in it. Nothing was changed.".into()));
                }
                Err(e) => {
                    details.set(e.details());
                    problem.set(Some(e.to_string()));
                }
            }
        });
    }
}

/// Add a copy someone sent: to this plan (`into`), or any plan.
#[component]
pub fn ImportPage(into: Option<PlanId>) -> impl IntoView {
    // One name for one action: the caseload's button and this page say the same.
    let title = if into.is_none() && use_app().is_worker() {
        "Add a plan you were sent"
    } else {
        "Add a copy you were sent"
    };
    let s = Importing::new(into);
    let Importing {
        problem,
        details,
        done,
        header,
        ..
    } = s;
    let back = match s.into.get_value() {
        Some(id) => route::href(&id, Page::Tasks),
        None => "#/".into(),
    };
    view! {
        <p><a class="back-link" href=back>"Back"</a></p>
        <h1 tabindex="-1">{title}</h1>
        <p>"When someone shares the plan with you, they send a file. Adding it here combines it with the copy on this device: nobody's changes are lost."</p>
        {error_summary(problem)}
        {move || details.get().filter(|_| problem.get().is_some()).map(|d| view! {
            <details class="details" data-testid="problem-details">
                <summary class="details__summary">"Details for a technical person"</summary>
                <p class="details__text">{d}</p>
            </details>
        })}
        {move || done.get().map(|d| view! { <p class="notice" role="status" data-testid="import-done">{d}</p> })}
        {move || match header.get() {
            None => pick(s).into_any(),
            Some(h) => ready(s, &h).into_any(),
        }}
    }
}

/// Choose the file, or paste its text.
fn pick(s: Importing) -> impl IntoView {
    let pasted = s.pasted;
    view! {
        {super::common::file_field("import-file", "Choose the file", "It ends in .txt and was sent by email, a messaging app or on a USB stick.", s.file_input)}
        <div class="field">
            <label class="label" for="import-text">"Or paste the text of the file"</label>
            <textarea class="textarea" id="import-text" rows="6" spellcheck="false"
                prop:value=move || pasted.get() on:input=move |ev| pasted.set(event_target_value(&ev))></textarea>
        </div>
        <button type="button" class="button" data-testid="import-continue" aria-disabled=move || s.busy.get().then_some("true") on:click=move |_| s.read()>
            {move || if s.busy.get() { "Checking the file…" } else { "Continue" }}
        </button>
    }
}

/// Who sent the copy and when, the passphrase if it is locked, and "Add".
fn ready(s: Importing, h: &ShareHeader) -> impl IntoView {
    let Importing {
        header,
        text,
        problem,
        details,
        done,
        busy,
        ..
    } = s;
    view! {
        <div class="panel" data-testid="import-header">
            <p>{header_text(h)}</p>
            <p>{format!("It holds {} section{}.", h.sections.len().saturating_sub(1), if h.sections.len() == 2 { "" } else { "s" })}</p>
        </div>
        {h.encrypted.then(|| view! {
            <div class="field">
                <label class="label" for="import-passphrase">"Passphrase"</label>
                <p class="hint" id="import-passphrase-hint">"The person who sent the file will have told you it."</p>
                <super::common::PassphraseInput id="import-passphrase" hint_id="import-passphrase-hint" value=s.pass/>
            </div>
        })}
        <button type="button" class="button" data-testid="import-add" disabled=move || busy.get() on:click=move |_| s.add()>
            {move || if busy.get() { "Adding…" } else { "Add this copy" }}
        </button>
        <p><button type="button" class="link-button" on:click=move |_| { header.set(None); text.set(None); problem.set(None); details.set(None); done.set(None); }>"Choose a different file"</button></p>
    }
}
