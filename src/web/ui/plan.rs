//! A plan's pages: what shows while it opens or if it cannot be opened, the
//! task list, "where do you live", and deleting the plan.

use leptos::prelude::*;

use super::common::framework_of;
use super::status::SaveIndicator;
use super::{
    actions, agreement, conflicts, cycle, distance, import_page, keep_page, review, section_pages,
    share_page, signed, summary, worker,
};
use crate::plan::date::long_date;
use crate::plan::framework::Framework;
use crate::plan::section::Group;
use crate::plan::{Plan, PlanId, Section, Status};
use crate::web::app::{use_app, App, Opening};
use crate::web::platform::download;
use crate::web::route::{self, Page};

#[component]
pub fn PlanRoute(id: PlanId, page: Page) -> impl IntoView {
    let ui = use_app().ui;
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
        Opening::Failed(why) => {
            let app = use_app();
            // Opened again (a new engine started, the module arrived).
            let again = move |_| {
                app.ui.opening.set(Opening::Nothing);
                app.open(id.get_value());
            };
            view! {
                <h1 tabindex="-1">"This plan cannot be opened right now"</h1>
                <p>{why}</p>
                <button type="button" class="button" data-testid="open-again" on:click=again>"Try again"</button>
                <p><a href="#/">"Go to your plans"</a></p>
            }
            .into_any()
        }
        _ => view! { <p class="loading" role="status">"Opening your plan…"</p> }.into_any(),
    }
}

fn page_view(id: PlanId, page: Page) -> AnyView {
    // This page's checks, run when the person presses Continue.
    let checks = super::checks::PageChecks::new();
    provide_context(checks);
    let body = match page {
        Page::Tasks => view! { <Tasks id=id.clone()/> }.into_any(),
        Page::Where => view! { <Where id=id.clone()/> }.into_any(),
        Page::Delete => view! { <Delete id=id.clone()/> }.into_any(),
        Page::Summary => view! { <summary::Summary id=id.clone()/> }.into_any(),
        Page::SummaryOf(s) => view! { <summary::SummaryOf id=id.clone() section=s/> }.into_any(),
        Page::Section(Section::Actions) => view! { <actions::Actions id=id.clone()/> }.into_any(),
        Page::Action(a) => view! { <actions::ActionPage id=id.clone() action=a/> }.into_any(),
        Page::Share => view! { <share_page::SharePage id=id.clone()/> }.into_any(),
        Page::Import => view! { <import_page::ImportPage into=Some(id.clone())/> }.into_any(),
        Page::Keep => view! { <keep_page::KeepPage id=id.clone()/> }.into_any(),
        Page::History => view! { <review::History id=id.clone()/> }.into_any(),
        Page::Changes => view! { <review::Changes id=id.clone()/> }.into_any(),
        Page::Conflicts => view! { <conflicts::Conflicts id=id.clone()/> }.into_any(),
        Page::SignOff => view! { <worker::SignOff id=id.clone()/> }.into_any(),
        Page::Agree => view! { <agreement::AgreePage id=id.clone()/> }.into_any(),
        Page::Signed => view! { <signed::SignedVersionPage id=id.clone()/> }.into_any(),
        Page::StartReview => view! { <cycle::StartReview id=id.clone()/> }.into_any(),
        Page::Notes => view! { <worker::Notes id=id.clone()/> }.into_any(),
        Page::Data => view! { <worker::Data id=id.clone()/> }.into_any(),
        other => section_pages::with_notice(&id, other),
    };
    view! {
        {checks.summary()}
        {body}
        <SaveIndicator id=id.clone()/>
    }
    .into_any()
}

/// Said once, on the task list: in-app links replace the page's history
/// entry (see `route`), so Back cannot bring a plan back after "Exit this
/// page".
const BACK_BUTTON_NOTE: &str = "Use the links on each page to go back. The Back button of your phone or browser leaves the app, so nobody can go back into the plan after \u{201c}Exit this page\u{201d}.";

#[component]
fn Tasks(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    // Read beside the page: what others changed walks the plan's history.
    let unseen = review::unseen_later(app, &id);
    // And the choices given two values at once, which walks every part.
    let choices = super::conflicts::choices_later(&id);
    // And whether it changed since it was signed: every change since.
    let sign = worker::sign_status_later(&id);
    let list = move || {
        let id = pid.get_value();
        let worker = app.is_worker();
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let name = plan.display_name().map(str::to_owned);
            // The key worker reads about the carer, by name.
            let who = name.clone().unwrap_or_else(|| "The carer".into());
            // Within a sentence.
            let whose = name.clone().unwrap_or_else(|| "the carer".into());
            let review = plan.review.next_due.map(long_date);
            let with_status = Section::all(fw);
            let done = with_status.iter().filter(|s| matches!(s.status(plan), Status::Completed | Status::Skipped)).count();
            let total = with_status.len();
            let held: Vec<Section> = app.parts(&id);
            // The key worker's sections the carer no longer keeps in step:
            // he keeps what came, and nothing new comes.
            let not_kept: Vec<Section> = app
                .keep_view(&id)
                .filter(|_| worker)
                .map(|v| held.iter().filter(|s| v.not_kept(s)).cloned().collect())
                .unwrap_or_default();
            view! {
                {move || ui.notice.get().map(|n| view! { <div class="notice" role="status" data-testid="notice">{n}</div> })}
                <h1 tabindex="-1">{match name { Some(n) => format!("{n}'s support plan"), None => "Your support plan".to_string() }}</h1>
                {if worker {
                    view! { <p>"The sections the carer shared with you. Sections they have not shared are not on this device."</p> }.into_any()
                } else {
                    view! { <p>"Fill in the sections in any order. Everything is optional, and you can stop and come back at any time: your answers are kept on this device."</p> }.into_any()
                }}
                <p class="hint" data-testid="back-button-note">{BACK_BUTTON_NOTE}{if worker { " The answers are kept." } else { " Your answers are kept." }}</p>
                {super::banners::banners(&id, plan, worker, unseen, choices)}
                {worker::status_line(app, &id, sign)}
                {keep_page::keep_status(app, &id)}
                {(!worker && done > 0).then(|| view! { <super::backup_page::BackupReminder/> })}
                {review.map(|r| view! { <p class="review-due" data-testid="review-due"><strong>"Next review: "</strong>{r}</p> })}
                <cycle::ReviewPanel id=id.clone()/>
                <p class="where">{if worker { format!("Where {whose} lives: ") } else { "Where you live: ".to_string() }} <strong>{fw.name.clone()}</strong> " " <a href=route::href(&id, Page::Where)>"Change"<span class="visually-hidden">{if worker { format!(" where {whose} lives") } else { " where you live".to_string() }}</span></a></p>
                <p data-testid="progress">{if worker { format!("{who} has finished {done} of {total} sections.") } else { format!("You have finished {done} of {total} sections.") }}</p>
                <div class="task-columns"><div>
                {section_groups(&id, plan, &held, &not_kept, worker)}
                </div><div>
                {plan_and_sharing(app, &id, plan, held.contains(&Section::Actions), worker)}
                </div></div>
                {worker.then(|| view! { <distance::DistanceTravelled id=id.clone()/> })}
                <p class="delete-link"><a href=route::href(&id, Page::Delete)>"Delete this plan"</a></p>
                <p><a class="back-link" href="#/">"All plans on this device"</a></p>
            }.into_any()
        })
    };
    view! { <div>{list}</div> }
}

/// The sections to fill in, group by group, each with its status (or "Not
/// shared with you" for a section this copy does not hold, and "Not kept in
/// step" for one the carer no longer keeps in step with him).
fn section_groups(
    id: &PlanId,
    plan: &Plan,
    held: &[Section],
    not_kept: &[Section],
    worker: bool,
) -> impl IntoView {
    let fw = framework_of(plan);
    let listed = Section::on_task_list(fw);
    let groups: Vec<(Group, Vec<Section>)> = [Group::You, Group::Areas, Group::Ahead]
        .into_iter()
        .map(|g| {
            (
                g,
                listed.iter().filter(|s| s.group() == g).cloned().collect(),
            )
        })
        .collect();
    groups.into_iter().map(|(group, sections)| view! {
        <h2>{group.title_for(worker)}</h2>
        <ul class="task-list">
            {sections.into_iter().map(|s| {
                let status = s.status(plan);
                let status_id = format!("status-{}", s.id());
                if !held.contains(&s) {
                    return view! {
                        <li class="task task--absent" data-section=s.id()>
                            <span class="task-name">{s.title_for(fw, worker)}</span>
                            <span class="tag tag--skipped">"Not shared with you"</span>
                        </li>
                    }.into_any();
                }
                let (tag, label) = match status {
                    _ if not_kept.contains(&s) => ("tag tag--skipped", "Not kept in step"),
                    Status::Completed => ("tag tag--done", status.label()),
                    Status::InProgress => ("tag tag--progress", status.label()),
                    Status::Skipped => ("tag tag--skipped", status.label()),
                    Status::NotStarted => ("tag tag--todo", status.label()),
                };
                view! {
                    <li class="task" data-section=s.id()>
                        <a class="task-link" href=route::href(id, Page::Section(s.clone())) aria-describedby=status_id.clone()>{s.title_for(fw, worker)}</a>
                        <span class=tag id=status_id>{label}</span>
                    </li>
                }.into_any()
            }).collect_view()}
        </ul>
    }).collect_view()
}

/// "Your plan" (actions, the whole plan, notes, sign-off) and "Sharing".
fn plan_and_sharing(
    app: App,
    id: &PlanId,
    plan: &Plan,
    actions_shared: bool,
    worker: bool,
) -> impl IntoView {
    let fw = framework_of(plan);
    view! {
        <h2>{Group::YourPlan.title_for(worker)}</h2>
        <ul class="task-list">
            <li class="task" data-section="actions"><a class="task-link" href=route::href(id, Page::Section(Section::Actions))>{Section::Actions.title(fw)}</a>
                <span class="tag tag--todo">{if actions_shared { format!("{} agreed", plan.actions.len()) } else { format!("{} agreed in shared areas", plan.actions.len()) }}</span></li>
            <li class="task"><a class="task-link" href=route::href(id, Page::Summary)>{if worker { "Check the answers and print" } else { "Check your answers and print" }}</a></li>
            {worker.then(|| view! {
                <li class="task"><a class="task-link" href=route::href(id, Page::Notes)>"Notes for the carer, and your private notes"</a></li>
                <li class="task"><a class="task-link" href=route::href(id, Page::SignOff)>"Sign off the plan"</a></li>
            })}
        </ul>
        <h2>"Sharing"</h2>
        <ul class="task-list">
            <li class="task"><a class="task-link" href=route::href(id, Page::Share) data-testid="share-link">{if worker { "Send the plan back to the carer" } else { "Share my plan" }}</a></li>
            {(!worker && app.live_available()).then(|| view! {
                <li class="task"><a class="task-link" href=route::href(id, Page::Keep) data-testid="keep-link">{if app.keep_view(id).is_some_and(|v| !v.stopped) { "Keeping in step with my key worker" } else { "Keep in step with my key worker" }}</a></li>
            })}
            <li class="task"><a class="task-link" href=route::href(id, Page::Import) data-testid="import-link">"Add a copy you were sent"</a></li>
            <li class="task"><a class="task-link" href=route::href(id, Page::History)>"History of this plan"</a></li>
            <li class="task"><a class="task-link" href=route::href(id, Page::Data)>{if worker { "Download this plan's data" } else { "Download my data" }}</a></li>
        </ul>
    }
}

/// The answer "I'm not sure" to "Where do you live?".
const NOT_SURE: &str = "not-sure";

#[component]
fn Where(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    // Nothing is chosen for the person: until they pick, no option is
    // selected (the plan starts with one so it can be filled in at once).
    let not_sure = RwSignal::new(false);
    let current = Signal::derive(move || {
        if not_sure.get() {
            return Some(NOT_SURE.to_string());
        }
        ui.plan.with(|p| {
            p.as_ref()
                .filter(|p| p.framework_chosen == Some(true))
                .map(|p| p.framework.clone())
        })
    });
    let pid = id.clone();
    let back_id = StoredValue::new(id.clone());
    let problem = RwSignal::new(None::<String>);
    let on_pick = Callback::new(move |v: String| {
        if v == NOT_SURE {
            not_sure.set(true);
            problem.set(None);
            return;
        }
        not_sure.set(false);
        let result = match Framework::by_id(&v) {
            Some(fw) => app.use_framework(&pid, fw),
            None => Err(crate::web::app::AppError::UnknownChoice),
        };
        problem.set(result.err().map(|e| e.to_string()));
    });
    let mut options: Vec<super::fields::Opt> = Framework::all()
        .iter()
        .map(|f| super::fields::opt_hint(&f.id, &f.name, &f.description))
        .collect();
    options.push(super::fields::opt(NOT_SURE, "I'm not sure"));
    let go_on = move |ev: leptos::ev::MouseEvent| {
        if current.get_untracked().is_none() {
            ev.prevent_default();
            problem.set(Some(
                "Choose where you live, or \u{201c}I'm not sure\u{201d}.".into(),
            ));
        }
    };
    view! {
        <p class="caption">"Getting started"</p>
        <h1 tabindex="-1">"Where do you live?"</h1>
        <p>"Councils use slightly different questions. This lets the plan use the ones where you live. You can change it later and nothing you have written will be lost."</p>
        {move || problem.get().map(|p| view! { <p class="error-message" role="alert" data-testid="problem">{p}</p> })}
        <super::fields::Choice name="framework".to_string() legend="Where do you live?".to_string()
            options=options current=current on_pick=on_pick/>
        {move || not_sure.get().then(|| view! {
            <div class="inset" data-testid="where-help">
                <h2>"How to find out"</h2>
                <p>"Your council is named on a council tax bill, or any letter from the council."</p>
                <ul>
                    <li>"North Lanarkshire Council: choose North Lanarkshire."</li>
                    <li>"Any other council in Scotland: choose Scotland."</li>
                    <li>"A council in England: choose England."</li>
                </ul>
                <p>"If you are still not sure, carry on: the plan uses Scotland's questions for now, your key worker can help you choose, and nothing you write is lost when you change it."</p>
            </div>
        })}
        <a class="button" href=route::href(&id, Page::Tasks) on:click=go_on>"Continue"</a>
        // A plan whose place is chosen goes back to its task list; a new
        // plan (this is its first page) back to the list of plans.
        {move || {
            let chosen = ui.plan.with(|p| p.as_ref().is_some_and(|p| p.framework_chosen == Some(true)));
            let (href, words) = if chosen { (route::href(&back_id.get_value(), Page::Tasks), "Back to your plan") } else { ("#/".to_string(), "Back to your plans") };
            view! { <p><a class="back-link" href=href>{words}</a></p> }
        }}
    }
}

#[component]
fn Delete(id: PlanId) -> impl IntoView {
    let app = use_app();
    let problem = RwSignal::new(None::<String>);
    let pid = StoredValue::new(id.clone());
    let confirm = move |_| {
        let id = pid.get_value();
        wasm_bindgen_futures::spawn_local(async move {
            match app.delete(id).await {
                Ok(()) => {
                    app.ui
                        .notify("Your plan has been deleted from this device.");
                    route::go_href("#/");
                }
                Err(e) => problem.set(Some(e.to_string())),
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
    let app = use_app();
    let id = StoredValue::new(id);
    let download_raw = move |_| {
        let id = id.get_value();
        if let Some(bytes) = app.damaged_bytes(&id) {
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
