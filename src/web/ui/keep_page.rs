//! Keeping in step with the key worker (live sync): the carer chooses the
//! sections and checks what is sent, as for a share file, and gets a link
//! for the worker; the plan then says where it stands. The worker opens
//! the link and says yes; the plan joins the caseload.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::{error_summary, framework_of};
use super::share_page::{choose_sections, sending_list, shareable};
use crate::plan::date::ago;
use crate::plan::{PlanId, Role, Section};
use crate::share::sync::Link;
use crate::web::app::{now_ms, use_app, App, Connection, Joining};
use crate::web::platform::share_sheet::{copy_text, has_share_sheet, share_link};
use crate::web::route::{self, Page, Route};

/// The line a kept-in-step plan shows: where it stands with the other person.
pub fn status_text(app: App, id: &PlanId) -> Option<String> {
    let view = app.keep_view(id)?;
    let connection = app.ui.live.with(|s| s.connection);
    let carer = view.me == Role::Carer;
    let other = view.other.clone();
    Some(if view.stopped && !carer {
        format!(
            "{} stopped keeping this plan in step. You keep what you had.",
            other.unwrap_or_else(|| "The carer".into())
        )
    } else if view.stopped {
        "Stopping: the last update is sent when you are online.".into()
    } else if connection != Connection::Connected {
        if carer {
            "Not connected: your changes are kept on this phone and will be sent when you are online.".into()
        } else {
            "Not connected: your changes are kept on this device and will be sent when you are online.".into()
        }
    } else {
        match (other, view.synced_ms) {
            (None, _) => "Your key worker has not connected yet.".into(),
            (Some(o), Some(t)) => format!("Up to date with {o} — {}", ago(now_ms(), t)),
            (Some(o), None) => format!("Sending your changes to {o}…"),
        }
    })
}

/// The status panel on a plan's task list (nothing if it is not kept in step).
pub fn keep_status(app: App, id: &PlanId) -> impl IntoView {
    let id = id.clone();
    move || {
        status_text(app, &id).map(|text| {
            view! {
                <p class="inset" role="status" data-testid="keep-status">
                    <strong>"Kept in step. "</strong>{text}" "
                    <a href=route::href(&id, Page::Keep)>"Keeping in step"</a>
                </p>
            }
        })
    }
}

#[derive(Clone, Copy, PartialEq)]
enum Step {
    Manage,
    Choose,
    Check,
    Link,
    Stop,
}

#[component]
pub fn KeepPage(id: PlanId) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let pid = StoredValue::new(id.clone());
    let held: Vec<Section> = app
        .read(&id, |d| d.parts().cloned().collect())
        .unwrap_or_default();
    let held = StoredValue::new(held);
    let kept_now = app.keep_view(&id).is_some();
    let chosen = RwSignal::new(app.kept_sections(&id));
    let step = RwSignal::new(if kept_now { Step::Manage } else { Step::Choose });
    let problem = RwSignal::new(None::<String>);
    let link = RwSignal::new(None::<String>);
    let copied = RwSignal::new(None::<String>);
    let go = move |s: Step| {
        problem.set(None);
        step.set(s);
        super::focus_heading();
    };
    let is_worker = app.is_worker();

    let not_set_up = move || {
        view! {
            <h1 tabindex="-1">"Keeping in step is not set up"</h1>
            <p>"Your council has not set up keeping in step. You can still share your plan as a file."</p>
            <p><a class="button" href=route::href(&pid.get_value(), Page::Share)>"Share my plan"</a></p>
        }
    };

    let manage = move || {
        let id = pid.get_value();
        let view_ = app.keep_view(&id);
        let text = status_text(app, &id).unwrap_or_default();
        let fw_titles = ui
            .plan
            .with(|p| {
                p.as_ref().map(|plan| {
                    let fw = framework_of(plan);
                    app.kept_sections(&id)
                        .iter()
                        .map(|s| s.title(fw))
                        .collect::<Vec<_>>()
                })
            })
            .unwrap_or_default();
        let url = view_.as_ref().map(|v| v.link.clone()).unwrap_or_default();
        view! {
            <p class="caption">"Keeping in step"</p>
            <h1 tabindex="-1">{if is_worker { "This plan is kept in step with the carer" } else { "Your plan is kept in step with your key worker" }}</h1>
            <p role="status" data-testid="keep-status-line">{text}</p>
            {move || ui.live.with(|s| s.problem.clone()).map(|p| view! { <p class="notice notice--warning" data-testid="keep-problem">{p}</p> })}
            <h2>"Sections kept in step"</h2>
            <ul data-testid="kept-sections">{fw_titles.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
            <p>"Your name, where you live, sign-off and review dates are always included."</p>
            {(!is_worker).then(|| view! {
                <p><button type="button" class="button button--secondary" data-testid="keep-change" on:click=move |_| go(Step::Choose)>"Change the sections"</button></p>
                <h2>"The link for your key worker"</h2>
                <p>"If your key worker has not opened it yet, give it to them again."</p>
                <LinkBox url=url.clone() copied=copied problem=problem/>
                <h2>"Stop keeping in step"</h2>
                <p><button type="button" class="button button--warning" data-testid="keep-stop" on:click=move |_| go(Step::Stop)>"Stop keeping in step"</button></p>
            })}
            <p><a href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
        }
    };

    let choose = move || {
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let options = held.with_value(|h| shareable(plan, fw, h));
            view! {
                {choose_sections(
                    "Keep in step with my key worker",
                    "Which sections should your key worker see?",
                    "Your key worker will see the sections you tick, and your changes to them as you make them, whenever you are both online. Their notes, ratings and sign-off come back to you the same way. Sections you do not tick stay on this device.",
                    problem, fw, options, chosen,
                )}
                <button type="button" class="button" on:click=move |_| {
                    if chosen.with(Vec::is_empty) {
                        problem.set(Some("Choose at least one section to keep in step.".into()));
                    } else {
                        go(Step::Check);
                    }
                }>"Continue"</button>
                {kept_now.then(|| view! { <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Manage)>"Back"</button></p> })}
            }.into_any()
        })
    };

    let check = move || {
        ui.plan.with(|p| {
            let Some(plan) = p.as_ref() else { return ().into_any() };
            let fw = framework_of(plan);
            let all = held.with_value(|h| shareable(plan, fw, h));
            let sending: Vec<Section> = all.iter().filter(|p| chosen.with(|c| c.contains(p))).cloned().collect();
            let keeping: Vec<Section> = all.iter().filter(|p| !sending.contains(p)).cloned().collect();
            let before = app.kept_sections(&pid.get_value());
            let dropped: Vec<String> = before.iter().filter(|s| !sending.contains(s)).map(|s| s.title(fw)).collect();
            view! {
                <p class="caption">"Keep in step with my key worker"</p>
                <h1 tabindex="-1">"Check what you are sending"</h1>
                {error_summary(problem)}
                <dl class="summary-list">
                    <div class="summary-row"><dt>"Sending to"</dt><dd data-testid="check-to">"your key worker, kept in step whenever you are both online"</dd></div>
                    <div class="summary-row"><dt>"Who can read it"</dt><dd>"Only your key worker. It passes through your council's sync service locked, so the service cannot read it."</dd></div>
                </dl>
                {sending_list(plan, fw, &sending, &keeping)}
                {(!dropped.is_empty()).then(|| view! {
                    <div class="notice notice--warning" data-testid="keep-dropped">
                        <p>{format!("You are no longer keeping {} in step. Your key worker keeps what was already sent; nothing new from {} will be sent.", dropped.join(", "), if dropped.len() == 1 { "it" } else { "them" })}</p>
                    </div>
                })}
                <p>"When you confirm, your choice is recorded in your plan (what, with whom and when)."</p>
                <button type="button" class="button" data-testid="confirm-keep" on:click=move |_| {
                    let id = pid.get_value();
                    let sections = chosen.get_untracked();
                    if kept_now || app.keep_view(&id).is_some() {
                        match app.change_keep(&id, sections) {
                            Ok(()) => go(Step::Manage),
                            Err(e) => problem.set(Some(e.to_string())),
                        }
                    } else {
                        match app.start_keep(&id, sections) {
                            Ok(url) => { link.set(Some(url)); go(Step::Link); }
                            Err(e) => problem.set(Some(e.to_string())),
                        }
                    }
                }>{if kept_now { "Confirm the change" } else { "Confirm and make the link" }}</button>
                <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Choose)>"Back"</button></p>
            }.into_any()
        })
    };

    let give = move || {
        let url = link.get().unwrap_or_default();
        view! {
            <div class="panel" role="status"><h1 tabindex="-1">"Your link is ready"</h1></div>
            <p>"Give this link to your key worker. When they open it, your plan joins their caseload and stays in step with yours."</p>
            <p>"If you are together, let them type it or scan it from your screen. Otherwise send it in a message. Anyone with the link can see the sections you chose, so only give it to your key worker."</p>
            <LinkBox url=url copied=copied problem=problem/>
            <p><a class="button button--secondary" href=route::href(&pid.get_value(), Page::Tasks)>"Back to the plan"</a></p>
        }
    };

    let stop = move || {
        view! {
            <p class="caption">"Keeping in step"</p>
            <h1 tabindex="-1">"Are you sure you want to stop keeping in step?"</h1>
            {error_summary(problem)}
            <p>"Your key worker keeps what was already sent. Nothing new will be sent either way, and the link will not open anything new."</p>
            <p>"You can start again later: you will get a new link."</p>
            <button type="button" class="button button--warning" data-testid="confirm-stop" on:click=move |_| {
                let id = pid.get_value();
                match app.stop_keep(&id) {
                    Ok(()) => {
                        ui.notify("You have stopped keeping your plan in step. Your key worker keeps what was already sent.");
                        route::go(&Route::Plan(id, Page::Tasks));
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
            }>"Yes, stop keeping in step"</button>
            <p><button type="button" class="link-button back-link" on:click=move |_| go(Step::Manage)>"No, go back"</button></p>
        }
    };

    view! {
        <div data-testid="keep-page">
            {move || {
                if !app.live_available() {
                    return not_set_up().into_any();
                }
                match step.get() {
                    Step::Manage => manage().into_any(),
                    Step::Choose => choose().into_any(),
                    Step::Check => check().into_any(),
                    Step::Link => give().into_any(),
                    Step::Stop => stop().into_any(),
                }
            }}
        </div>
    }
}

/// The link as a QR code (SVG), for the worker to scan from the carer's screen.
fn qr_svg(url: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(svg::Color("#0b0c0c"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// The link, to scan, share, read out, select or copy.
#[component]
fn LinkBox(
    url: String,
    copied: RwSignal<Option<String>>,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let u = url.clone();
    let s = url.clone();
    let qr = qr_svg(&url);
    view! {
        {qr.map(|svg| view! {
            <div class="qr" role="img" aria-label="QR code of the link, for your key worker to scan" data-testid="keep-qr" inner_html=svg></div>
        })}
        {has_share_sheet().then(|| view! {
            <button type="button" class="button button--secondary" data-testid="share-keep-link" on:click=move |_| {
                let t = s.clone();
                spawn_local(async move {
                    match share_link(t, "My carer support plan".into()).await {
                        Ok(()) => copied.set(Some("Shared.".into())),
                        Err(e) => problem.set(Some(e)),
                    }
                });
            }>"Share the link"</button>
        })}
        <div class="field">
            <label class="label" for="keep-link">"Link for your key worker"</label>
            <textarea class="textarea link-text" id="keep-link" rows="3" readonly=true data-testid="keep-link" prop:value=url.clone()></textarea>
        </div>
        {move || copied.get().map(|c| view! { <p class="notice" role="status">{c}</p> })}
        <button type="button" class="button" data-testid="copy-keep-link" on:click=move |_| {
            let t = u.clone();
            spawn_local(async move {
                match copy_text(t).await {
                    Ok(()) => copied.set(Some("Copied. Paste it into a message to your key worker.".into())),
                    Err(e) => problem.set(Some(e)),
                }
            });
        }>"Copy the link"</button>
    }
}

/// The worker opened a carer's link.
#[component]
pub fn JoinPage(link: Link) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let link = StoredValue::new(link);
    let asked = RwSignal::new(false);
    view! {
        <div data-testid="join-page">
            {move || {
                if !app.live_available() {
                    return view! {
                        <h1 tabindex="-1">"Keeping in step is not set up here"</h1>
                        <p>"This app has no sync service set up, so this link cannot be opened. Ask the carer to share the plan as a file instead."</p>
                    }.into_any();
                }
                match (asked.get(), ui.live.with(|s| s.joining.clone())) {
                    (false, _) => view! {
                        <p class="caption">"Keep in step"</p>
                        <h1 tabindex="-1">"Add this plan to your caseload?"</h1>
                        <p>"A carer has asked you to keep their plan in step with them. The sections they chose will come to this device, and your changes to them will go back, whenever you are both online."</p>
                        <p>"Your private notes are never sent."</p>
                        <button type="button" class="button" data-testid="join-keep" on:click=move |_| {
                            asked.set(true);
                            app.join_keep(link.get_value());
                        }>"Add the plan and keep it in step"</button>
                        <p><a href="#/">"Not now"</a></p>
                    }.into_any(),
                    (true, Some(Joining::Joined(id))) => view! {
                        <div class="panel" role="status"><h1 tabindex="-1">"The plan is on your caseload"</h1></div>
                        <p>"It stays in step with the carer whenever you are both online."</p>
                        <p><a class="button" data-testid="open-joined" href=route::href(&id, Page::Tasks)>"Open the plan"</a></p>
                    }.into_any(),
                    (true, Some(Joining::Failed(e))) => view! {
                        <h1 tabindex="-1">"The plan could not be added"</h1>
                        <p class="error-message" role="alert">{e}</p>
                    }.into_any(),
                    (true, Some(Joining::NotThereYet)) => view! {
                        <h1 tabindex="-1">"Waiting for the carer's plan"</h1>
                        <p role="status">"The carer's phone has not sent the plan yet, or the link is no longer in use. Keep this page open, or ask the carer to open the app while online. If they stopped keeping in step, ask them for a new link."</p>
                    }.into_any(),
                    (true, _) => view! {
                        <h1 tabindex="-1">"Getting the plan…"</h1>
                        <p role="status">{move || match ui.live.with(|s| s.connection) {
                            Connection::Connected => "Connected. Waiting for the plan.",
                            _ => "Connecting to the sync service…",
                        }}</p>
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// "Kept in step · synced 2 minutes ago", for a plan kept in step live.
pub fn caseload_line(plan_id: &str) -> impl IntoView {
    let app = crate::web::app::use_app();
    let id = PlanId::parse(plan_id);
    move || {
        let view = id
            .as_ref()
            .and_then(|id| app.ui.live.with(|s| s.plans.get(id).cloned()))?;
        let when = if view.stopped {
            "stopped by the carer".to_string()
        } else {
            match view.synced_ms {
                Some(t) => format!(
                    "synced {}",
                    crate::plan::date::ago(crate::web::app::now_ms(), t)
                ),
                None => "not synced since this page opened".into(),
            }
        };
        Some(
            view! { <span class="caseload-keep" data-testid="caseload-keep">{format!("Kept in step · {when}")}</span> },
        )
    }
}
