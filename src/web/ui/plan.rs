//! A plan's pages: what shows while it opens or if it cannot be opened, the
//! task list, "where do you live", and deleting the plan.

use leptos::prelude::*;

use super::status::SaveIndicator;
use super::{actions, exchange, review, sections, summary, worker};
use crate::core::date::long_date;
use crate::core::framework::Framework;
use crate::core::part::Part;
use crate::core::plan::Plan;
use crate::core::section::{Section, Status};
use crate::core::PlanId;
use crate::web::download;
use crate::web::route::{self, Page};
use crate::web::session;
use crate::web::state::{self, Opening};

/// The plan's framework, or Scotland's if the plan names one this app lacks.
pub fn framework_of(plan: &Plan) -> &'static Framework {
    Framework::for_plan(&plan.framework)
}

pub fn back_to_plan(id: &PlanId) -> impl IntoView {
    view! { <p><a class="back-link" href=route::href(id, Page::Tasks)>"Back to your plan"</a></p> }
}

#[component]
pub fn PlanRoute(id: PlanId, page: Page) -> impl IntoView {
    let ui = state::ui();
    let id = StoredValue::new(id);
    let page = StoredValue::new(page);
    move || match ui.opening.get() {
        Opening::Ready(open) if open == id.get_value() => page_view(open, page.get_value()),
        Opening::Damaged { id: bad, message } => {
            view! { <Damaged id=bad message=message/> }.into_any()
        }
        Opening::NotFound(_) => view! {
            <h1 tabindex="-1">"This plan is not on this device"</h1>
            <p>"It may have been deleted, or it was made in another browser."</p>
            <p><a href="#/">"Go to your plans"</a></p>
        }
        .into_any(),
        Opening::Failed(why) => view! {
            <h1 tabindex="-1">"This plan cannot be opened right now"</h1>
            <p>{why}</p>
            <p><a href="#/">"Go to your plans"</a></p>
        }
        .into_any(),
        _ => view! { <p class="loading" role="status">"Opening your plan…"</p> }.into_any(),
    }
}

fn page_view(id: PlanId, page: Page) -> AnyView {
    let body = match page {
        Page::Tasks => view! { <Tasks id=id.clone()/> }.into_any(),
        Page::Where => view! { <Where id=id.clone()/> }.into_any(),
        Page::Delete => view! { <Delete id=id.clone()/> }.into_any(),
        Page::Summary => view! { <summary::Summary id=id.clone()/> }.into_any(),
        Page::Actions => view! { <actions::Actions id=id.clone()/> }.into_any(),
        Page::Action(a) => view! { <actions::ActionPage id=id.clone() action=a/> }.into_any(),
        Page::Share => view! { <exchange::SharePage id=id.clone()/> }.into_any(),
        Page::Import => view! { <exchange::ImportPage into=Some(id.clone())/> }.into_any(),
        Page::History => view! { <review::History id=id.clone()/> }.into_any(),
        Page::Changes => view! { <review::Changes id=id.clone()/> }.into_any(),
        Page::Conflicts => view! { <review::Conflicts id=id.clone()/> }.into_any(),
        Page::SignOff => view! { <worker::SignOff id=id.clone()/> }.into_any(),
        Page::Signed => view! { <worker::SignedVersionPage id=id.clone()/> }.into_any(),
        Page::Notes => view! { <worker::Notes id=id.clone()/> }.into_any(),
        Page::Data => view! { <worker::Data id=id.clone()/> }.into_any(),
        other => sections::section_page(&id, other),
    };
    view! {
        {body}
        <SaveIndicator id=id.clone()/>
    }
    .into_any()
}

#[component]
fn Tasks(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let pid = StoredValue::new(id.clone());
    let list = move || {
        let id = pid.get_value();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let name = plan.display_name().map(str::to_owned);
            let review = plan.review.next_due.map(long_date);
            let groups: Vec<(&str, Vec<Section>)> = {
                let all = Section::all(fw);
                let first: Vec<Section> = all.iter().filter(|s| matches!(s, Section::AboutYou | Section::People | Section::CaringRole)).cloned().collect();
                let areas: Vec<Section> = all.iter().filter(|s| matches!(s, Section::Area(_))).cloned().collect();
                let last: Vec<Section> = all.iter().filter(|s| matches!(s, Section::Eligibility | Section::Emergency | Section::Future)).cloned().collect();
                vec![("You and the people you care for", first), ("How caring affects your life", areas), ("Planning ahead", last)]
            };
            let done = Section::all(fw).iter().filter(|s| matches!(s.status(plan), Status::Completed | Status::Skipped)).count();
            let total = Section::all(fw).len();
            let worker = crate::web::settings::is_worker();
            let held: Vec<Part> = session::with_doc(&id, |d| d.parts().cloned().collect()).unwrap_or_default();
            let unseen = review::unseen_changes(&id);
            let conflicts = review::conflict_count(&id);
            let notes = plan.notes_for_carer.as_str().trim().to_owned();
            view! {
                {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
                <h1 tabindex="-1">{match name { Some(n) => format!("{n}'s support plan"), None => "Your support plan".to_string() }}</h1>
                {if worker {
                    view! { <p>"The sections the carer shared with you. Sections they have not shared are not on this device."</p> }.into_any()
                } else {
                    view! { <p>"Fill in the sections in any order. Everything is optional, and you can stop and come back at any time: your answers are kept on this device."</p> }.into_any()
                }}
                {(conflicts > 0).then(|| view! {
                    <div class="notice notice--warning" role="status" data-testid="conflict-banner">
                        <p><strong>{format!("{conflicts} answer{} changed by both of you at the same time.", if conflicts == 1 { " was" } else { "s were" })}</strong></p>
                        <p><a href=route::href(&id, Page::Conflicts)>"Choose which to keep"</a></p>
                    </div>
                })}
                {(!unseen.is_empty()).then(|| view! {
                    <div class="notice" role="status" data-testid="changes-banner">
                        <p>{format!("{} changed {} section{} since you last looked.", unseen[0].who, unseen.len(), if unseen.len() == 1 { "" } else { "s" })}</p>
                        <p><a href=route::href(&id, Page::Changes)>"See what changed"</a></p>
                    </div>
                })}
                {(!worker && !notes.is_empty()).then(|| view! {
                    <div class="panel" data-testid="notes-for-carer"><h2>"Notes from your key worker"</h2><p class="pre">{notes.clone()}</p></div>
                })}
                {worker::status_line(&id)}
                {(!worker && done > 0 && crate::web::settings::copy_reminder_due(state::now_ms())).then(|| view! {
                    <p class="inset" data-testid="copy-reminder">"Keep a copy of your plan somewhere safe now and then, in case this browser clears its data. "
                        <a href=route::href(&id, Page::Data)>"Download my data"</a></p>
                })}
                {review.map(|r| view! { <p class="review-due" data-testid="review-due"><strong>"Next review: "</strong>{r}</p> })}
                <p class="where">"Where you live: " <strong>{fw.name.clone()}</strong> " " <a href=route::href(&id, Page::Where)>"Change"<span class="visually-hidden">" where you live"</span></a></p>
                <p data-testid="progress">{format!("You have finished {done} of {total} sections.")}</p>
                {groups.into_iter().map(|(title, sections)| view! {
                    <h2>{title}</h2>
                    <ul class="task-list">
                        {sections.into_iter().map(|s| {
                            let status = s.status(plan);
                            let page = match &s {
                                Section::AboutYou => Page::AboutYou,
                                Section::People => Page::People,
                                Section::CaringRole => Page::Role,
                                Section::Area(a) => Page::Area(a.clone()),
                                Section::Eligibility => Page::Eligibility,
                                Section::Emergency => Page::Emergency,
                                Section::Future => Page::Future,
                            };
                            let status_id = format!("status-{}", s.id());
                            let shared = held.iter().any(|p| p.id() == s.id());
                            if !shared {
                                return view! {
                                    <li class="task task--absent">
                                        <span class="task-name">{s.title(fw)}</span>
                                        <span class="tag tag--skipped">"Not shared with you"</span>
                                    </li>
                                }.into_any();
                            }
                            let tag = match status {
                                Status::Completed => "tag tag--done",
                                Status::InProgress => "tag tag--progress",
                                Status::Skipped => "tag tag--skipped",
                                Status::NotStarted => "tag tag--todo",
                            };
                            view! {
                                <li class="task">
                                    <a class="task-link" href=route::href(&id, page) aria-describedby=status_id.clone()>{s.title(fw)}</a>
                                    <span class=tag id=status_id>{status.label()}</span>
                                </li>
                            }.into_any()
                        }).collect_view()}
                    </ul>
                }).collect_view()}
                <h2>"Your plan"</h2>
                <ul class="task-list">
                    <li class="task"><a class="task-link" href=route::href(&id, Page::Actions)>"Actions"</a>
                        <span class="tag tag--todo">{format!("{} agreed", plan.actions.len())}</span></li>
                    <li class="task"><a class="task-link" href=route::href(&id, Page::Summary)>"Check your answers and print"</a></li>
                    {worker.then(|| view! {
                        <li class="task"><a class="task-link" href=route::href(&id, Page::Notes)>"Notes for the carer, and your private notes"</a></li>
                        <li class="task"><a class="task-link" href=route::href(&id, Page::SignOff)>"Sign off the plan"</a></li>
                    })}
                </ul>
                <h2>"Sharing"</h2>
                <ul class="task-list">
                    <li class="task"><a class="task-link" href=route::href(&id, Page::Share) data-testid="share-link">{if worker { "Send the plan back to the carer" } else { "Share my plan" }}</a></li>
                    <li class="task"><a class="task-link" href=route::href(&id, Page::Import) data-testid="import-link">"Add a copy you were sent"</a></li>
                    <li class="task"><a class="task-link" href=route::href(&id, Page::History)>"History of this plan"</a></li>
                    <li class="task"><a class="task-link" href=route::href(&id, Page::Data)>"Download my data"</a></li>
                </ul>
                <p class="delete-link"><a href=route::href(&id, Page::Delete)>"Delete this plan"</a></p>
                <p><a class="back-link" href="#/">"All plans on this device"</a></p>
            }.into_any()
        })
    };
    view! { <div>{list}</div> }
}

#[component]
fn Where(id: PlanId) -> impl IntoView {
    let ui = state::ui();
    let current = Signal::derive(move || ui.plan.with(|p| p.as_ref().map(|p| p.framework.clone())));
    let pid = id.clone();
    let on_pick = Callback::new(move |v: String| {
        if let Some(fw) = Framework::by_id(&v) {
            let _ = session::use_framework(&pid, fw);
        }
    });
    let options = Framework::all()
        .iter()
        .map(|f| super::fields::opt_hint(&f.id, &f.name, &f.description))
        .collect();
    view! {
        <p class="caption">"Getting started"</p>
        <h1 tabindex="-1">"Where do you live?"</h1>
        <p>"Councils use slightly different questions. This lets the plan use the ones where you live. You can change it later and nothing you have written will be lost."</p>
        <super::fields::Choice name="framework".to_string() legend="Where do you live?".to_string()
            options=options current=current on_pick=on_pick/>
        <a class="button" href=route::href(&id, Page::Tasks)>"Continue"</a>
    }
}

#[component]
fn Delete(id: PlanId) -> impl IntoView {
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let confirm = move |_| {
        let id = pid.get_value();
        wasm_bindgen_futures::spawn_local(async move {
            match session::delete(id).await {
                Ok(()) => {
                    state::ui()
                        .notice
                        .set(Some("Your plan has been deleted from this device.".into()));
                    route::go_href("#/");
                }
                Err(e) => problem.set(Some(e)),
            }
        });
    };
    view! {
        <h1 tabindex="-1">"Are you sure you want to delete this plan?"</h1>
        <p>"Everything in this plan will be removed from this device. This cannot be undone."</p>
        <p>"Copies you have already shared with someone else are not affected."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert">{p}</p> })}
        <button type="button" class="button button--warning" on:click=confirm>"Yes, delete this plan"</button>
        <p><a class="back-link" href=route::href(&id, Page::Tasks)>"No, go back to my plan"</a></p>
    }
}

#[component]
fn Damaged(id: PlanId, message: String) -> impl IntoView {
    let id = StoredValue::new(id);
    let download_raw = move |_| {
        let id = id.get_value();
        let raw = state::get().and_then(|s| s.damaged.borrow().get(&id).cloned());
        if let Some(bytes) = raw {
            download::offer(
                &format!("carer-plan-{id}-saved-data.automerge"),
                "application/octet-stream",
                &bytes,
            );
        }
    };
    view! {
        <div data-testid="damaged-plan">
            <h1 tabindex="-1">"This plan cannot be opened"</h1>
            <p>{message}</p>
            <p>"Nothing has been changed or deleted. You can download the saved data to keep it safe, or to give to someone who can help recover it. Your other plans are not affected."</p>
            <button type="button" class="button button--secondary" on:click=download_raw>
                "Download the saved data"
            </button>
            <p><a href="#/">"Go to your plans"</a></p>
        </div>
    }
}
