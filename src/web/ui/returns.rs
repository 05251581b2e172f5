//! "Returns": the key worker downloads a spreadsheet (CSV) of every plan on
//! the device, one row a plan, for the council's returns. Made a few plans
//! at a time with its progress shown, so the page never freezes.

use leptos::prelude::*;

use crate::plan::date::iso;
use crate::web::app::{today, use_app, Progress};
use crate::web::platform::download;

/// The "Returns" part of the caseload, hidden while `hidden` says so (when
/// there are no plans).
pub(super) fn returns(hidden: impl Fn() -> bool + Send + Sync + 'static) -> impl IntoView {
    let app = use_app();
    let csv_problem = RwSignal::new(None::<String>);
    let csv_progress = RwSignal::new(None::<Progress>);
    let download_csv = move |_| {
        csv_problem.set(None);
        csv_progress.set(Some(Progress::step("Starting")));
        wasm_bindgen_futures::spawn_local(async move {
            let made = app.returns_csv(move |p| csv_progress.set(Some(p))).await;
            csv_progress.set(None);
            match made {
                Ok((text, unreadable)) => {
                    let name = format!("carer-support-plan-returns-{}.csv", iso(today()));
                    if !download::offer(&name, "text/csv", text.as_bytes()) {
                        csv_problem.set(Some(
                            "This browser did not let the app save the file. Please try again."
                                .into(),
                        ));
                    } else if unreadable > 0 {
                        csv_problem.set(Some(format!("{unreadable} plan(s) could not be read on this device, so they are not in the file.")));
                    }
                }
                Err(e) => csv_problem.set(Some(e.to_string())),
            }
        });
    };
    view! {
        <div hidden=hidden>
            <h2>"Returns"</h2>
            <p>"A spreadsheet (CSV) of every plan on this device, one row a plan, for your council's returns. It holds carers' names: keep it as safe as the plans."</p>
            {move || csv_problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
            <p><button type="button" class="button button--secondary" data-testid="download-returns" disabled=move || csv_progress.get().is_some() on:click=download_csv>"Download returns (CSV)"</button></p>
            {super::common::progress_view("returns-progress".into(), csv_progress)}
        </div>
    }
}
