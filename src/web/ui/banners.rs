//! What needs the person's attention at the top of a plan's task list:
//! answers changed by both at once, changes others made since they last
//! looked (read beside the page: `review::unseen_later`), a plan to agree,
//! notes from the key worker.

use leptos::prelude::*;

use super::conflicts;
use crate::doc::history::Unseen;
use crate::plan::{Plan, PlanId};
use crate::web::route::{self, Page};

/// What needs the person's attention first: answers changed by both at
/// once, changes since they last looked, a plan to agree, notes for them.
pub fn banners(
    id: &PlanId,
    plan: &Plan,
    worker: bool,
    unseen: ReadSignal<Option<Unseen>>,
    choices: conflicts::Choices,
) -> impl IntoView {
    let changes_href = route::href(id, Page::Changes);
    let changed = move || {
        unseen.with(|u| {
            let u = u.as_ref()?;
            let sections = &u.sections;
            let (first, _) = sections.first()?;
            // All of it is new here, not "changed".
            if u.first_copy {
                return Some(format!(
                    "This plan came from {}. It is new on this device.",
                    first.who
                ));
            }
            Some(format!(
                "{} changed {} section{} since you last looked.",
                first.who,
                sections.len(),
                if sections.len() == 1 { "" } else { "s" }
            ))
        })
    };
    let pid = id.clone();
    let conflicts = move || conflicts::conflict_count(&pid, choices);
    let notes = plan.notes_for_carer.as_str().trim().to_owned();
    view! {
        {let href = route::href(id, Page::Conflicts);
        move || { let conflicts = conflicts(); (conflicts > 0).then(|| view! {
            <div class="notice notice--warning" role="status" data-testid="conflict-banner">
                <p><strong>{format!("{conflicts} answer{} changed by both of you at the same time.", if conflicts == 1 { " was" } else { "s were" })}</strong></p>
                <p><a href=href.clone()>"Choose which to keep"</a></p>
            </div>
        })}}
        {move || changed().map(|words| view! {
            <div class="notice" role="status" data-testid="changes-banner">
                <p>{words}</p>
                <p><a href=changes_href.clone()>"See what changed"</a></p>
            </div>
        })}
        {(!worker && matches!(crate::plan::review::agreement(plan), crate::plan::review::Agreement::Asked { .. })).then(|| view! {
            <div class="notice" role="status" data-testid="agree-banner">
                <p><strong>"Your key worker has marked your plan ready for you to agree."</strong></p>
                <p><a href=route::href(id, Page::Agree)>"Read what they added and say if you agree"</a></p>
            </div>
        })}
        {(!worker && !notes.is_empty()).then(|| view! {
            <div class="panel" data-testid="notes-for-carer"><h2>"Notes from your key worker"</h2><p class="pre">{notes.clone()}</p></div>
        })}
    }
}
