//! The question pages of the sections, each under a notice when the carer
//! does not keep its section in step with the key worker reading it, or
//! when a device asks the carer to keep her plan in step.

use leptos::prelude::*;

use super::{planning, sections};
use crate::plan::{PlanId, Section};
use crate::web::app::use_app;
use crate::web::route::{self, Page};

/// A section's question page, with the notices above it if it has any.
pub(super) fn with_notice(id: &PlanId, page: Page) -> AnyView {
    let notice = section_of(&page).map(|s| not_kept_notice(id, s));
    view! { {asking_notice(id)} {notice} {section_page(id, page)} }.into_any()
}

/// On the carer's pages while a device asks to keep her plan in step: her
/// key worker is often beside her, waiting, while she writes.
fn asking_notice(id: &PlanId) -> impl IntoView {
    let app = use_app();
    let id = id.clone();
    let href = route::href(&id, Page::Keep);
    view! {
        <div role="status">
            {move || {
                let asking = app.keep_view(&id).map_or(0, |v| v.requests.len());
                (!app.is_worker() && asking > 0).then(|| view! {
                    <div class="notice" data-testid="asking-notice">
                        <p><strong>{if asking == 1 { "A device asks to keep your plan in step.".to_string() } else { format!("{asking} devices ask to keep your plan in step.") }}</strong></p>
                        <p><a href=href.clone()>"Answer the request"</a></p>
                    </div>
                })
            }}
        </div>
    }
}

/// The section a question page belongs to.
fn section_of(page: &Page) -> Option<Section> {
    Some(match page {
        Page::Section(s) => s.clone(),
        Page::AboutYouMore => Section::AboutYou,
        Page::Person(_) | Page::RemovePerson(_) => Section::People,
        Page::RoleDays => Section::CaringRole,
        Page::AreaMore(a) => Section::Area(a.clone()),
        Page::Contact(_) | Page::Risk(_) => Section::Emergency,
        _ => return None,
    })
}

/// On the key worker's page of a section the carer does not keep in step
/// with him (she took it off, or it came in a file): what he writes here
/// stays on his device.
fn not_kept_notice(id: &PlanId, section: Section) -> impl IntoView {
    let app = use_app();
    let id = id.clone();
    move || {
        let view = app.keep_view(&id)?;
        let not_kept = app.is_worker() && view.not_kept(&section);
        not_kept.then(|| {
            let who = app
                .ui
                .plan
                .with(|p| p.as_ref().and_then(|p| p.display_name().map(str::to_owned)))
                .unwrap_or_else(|| "The carer".into());
            view! {
                <div class="notice notice--warning" data-testid="not-kept-notice">
                    <p><strong>{format!("{who} does not keep this section in step with you.")}</strong>" What you write here stays on this device: it is not sent to them."</p>
                </div>
            }
        })
    }
}

/// The question pages of the sections.
pub(super) fn section_page(id: &PlanId, page: Page) -> AnyView {
    let id = id.clone();
    match page {
        Page::Section(Section::AboutYou) => view! { <sections::AboutYou id=id/> }.into_any(),
        Page::Section(Section::Area(a)) => view! { <sections::Area id=id area=a/> }.into_any(),
        Page::AboutYouMore => view! { <sections::AboutYouMore id=id/> }.into_any(),
        Page::Section(Section::People) => view! { <sections::People id=id/> }.into_any(),
        Page::Person(p) => view! { <sections::Person id=id person=p/> }.into_any(),
        Page::RemovePerson(p) => view! { <sections::RemovePerson id=id person=p/> }.into_any(),
        Page::Section(Section::CaringRole) => view! { <sections::Role id=id/> }.into_any(),
        Page::RoleDays => view! { <sections::RoleDays id=id/> }.into_any(),
        Page::AreaMore(a) => view! { <sections::AreaMore id=id area=a/> }.into_any(),
        Page::Section(Section::Emergency) => view! { <planning::Emergency id=id/> }.into_any(),
        Page::Contact(c) => view! { <planning::ContactPage id=id contact=c/> }.into_any(),
        Page::Risk(r) => view! { <planning::RiskPage id=id risk=r/> }.into_any(),
        Page::Section(Section::Future) => view! { <planning::Future id=id/> }.into_any(),
        Page::Section(Section::Eligibility) => view! { <planning::Council id=id/> }.into_any(),
        _ => view! { <p>"This page does not exist."</p> }.into_any(),
    }
}
