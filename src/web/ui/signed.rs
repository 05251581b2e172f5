//! "The signed version": the last signed-off version exactly as it was
//! signed, read beside the page (`Reading::Signed`: the plan read at the
//! signed heads, which grows with the plan's history).

use leptos::prelude::*;

use super::common::framework_of;
use super::later::read_later;
use crate::plan::date::long_date_of_ms;
use crate::plan::framework::Framework;
use crate::plan::PlanId;
use crate::web::app::use_app;
use crate::web::engine::protocol::{Reading, Readout, SignedRead};
use crate::web::route::{self, Page};

/// The last signed-off version exactly as it was signed: every answer of
/// every section it covered, in the same words as "Check your answers",
/// read from the document at the signed heads.
#[component]
pub fn SignedVersionPage(id: PlanId) -> impl IntoView {
    let app = use_app();
    // Read beside the page: the plan as it was signed is read at older heads.
    let read = read_later(id.clone(), Reading::Signed, |r| match r {
        Readout::Signed(s) => Some(s),
        _ => None,
    });
    let content = move || {
        let Some(read) = read.get() else {
            return view! { <p class="hint" role="status" data-testid="signed-reading">"Reading the signed version…"</p> }.into_any();
        };
        let Some(SignedRead {
            version: v,
            sections,
        }) = read
        else {
            return view! { <p>"This plan has not been signed off yet."</p> }.into_any();
        };
        let fw = app
            .ui
            .plan
            .with_untracked(|p| p.as_ref().map(framework_of))
            .unwrap_or_else(|| Framework::for_plan(""));
        let worker = app.is_worker();
        view! {
            <p data-testid="signed-by">{format!("Signed off on {}: agreed by {} and signed by {}.", long_date_of_ms(v.worker.at), v.carer.name, v.worker.name)}</p>
            {sections.into_iter().map(|(section, rows)| view! {
                <h2>{section.title_for(fw, worker)}</h2>
                <dl class="summary-list">
                    {rows.into_iter().map(|(q, a)| view! { <div class="summary-row"><dt>{q}</dt><dd class="pre">{a}</dd></div> }).collect_view()}
                </dl>
            }).collect_view()}
        }.into_any()
    };
    view! {
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        <h1 tabindex="-1">"The signed version"</h1>
        {content}
    }
}
