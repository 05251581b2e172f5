//! Keeping in step with the key worker (live sync): the carer chooses the
//! sections and checks what is sent, as for a share file, and gets a link
//! for the worker; the plan then says where it stands. The worker opens
//! the link and says yes; the plan joins the caseload.
//! Over 400 lines because the carer's pages (choose, check, link, manage
//! with the devices and requests, stop) and the joining device's page are
//! one flow.

use leptos::prelude::*;
use wasm_bindgen_futures::spawn_local;

use super::common::{error_summary, framework_of};
use super::send_sections::{choose_sections, sending_list, shareable};
use crate::plan::date::ago;
use crate::plan::{PlanId, Role, Section};
use crate::share::sync::Standing;
use crate::web::app::{now_ms, use_app, App, Connection, Joining};
use crate::web::platform::share_sheet::{copy_text, has_share_sheet, share_link};
use crate::web::route::{self, Page, Route};

/// The line a kept-in-step plan shows: where it stands with the other
/// person. "Up to date" only when the other side has said it has this
/// device's latest change.
pub fn status_text(app: App, id: &PlanId) -> Option<String> {
    let view = app.keep_view(id)?;
    let carer = view.me == Role::Carer;
    let now = now_ms();
    let connected = app.ui.live.with(|s| s.connection_of(id)) == Connection::Connected;
    Some(match view.standing {
        Standing::Removed => "The carer removed this device from keeping the plan in step. You keep what you had.".into(),
        Standing::Refused => "The carer did not allow this device. You keep what you had.".into(),
        Standing::OldLink => "This plan was kept in step with a link from an older version of the app. Ask the carer for a new link. You keep what you had.".into(),
        Standing::Asking => "Waiting for the carer to allow this device.".into(),
        Standing::Allowed => match (view.stopped, carer, view.other.clone()) {
            (true, false, _) => "The carer stopped keeping this plan in step. You keep what you had.".into(),
            (true, true, _) => "You stopped keeping in step. Nothing new is sent.".into(),
            (false, true, None) if view.relinked => "Keeping in step is safer now: give your key worker the new link below, and allow their device when it asks.".into(),
            (false, true, None) if !view.requests.is_empty() => "A device asks to join: check its code before you allow it.".into(),
            (false, true, None) => "Your key worker has not joined yet.".into(),
            (false, false, None) => "Waiting for the carer.".into(),
            (false, _, Some(o)) => match view.unconfirmed_since {
                Some(t) => format!("{o} has not got your change from {} yet.", ago(now, t)),
                None => match (view.heard_ms, connected) {
                    (Some(h), true) => format!("Up to date with {o} — checked {}.", ago(now, h)),
                    (None, true) => format!("Up to date with {o}."),
                    // Not connected now: only what was true then.
                    (Some(h), false) => format!("Up to date with {o} when last connected ({}).", ago(now, h)),
                    (None, false) => format!("Up to date with {o} when last connected."),
                },
            },
        },
    })
}

/// The second line: this device and the council's service (separate
/// from where the other person stands), as the socket of the plan's own
/// relay shard finds it.
pub fn connection_text(app: App, id: &PlanId) -> Option<&'static str> {
    match app.ui.live.with(|s| s.connection_of(id)) {
        Connection::Offline => Some("This device is offline. Your changes are kept on it and sent when you are online."),
        Connection::Unreachable => Some("Cannot reach your council's sync service. Your changes are kept on this device and sent when it is back."),
        Connection::Connecting => Some("Connecting to your council's sync service…"),
        Connection::Stopped => Some(crate::web::words::live::NOT_RUNNING),
        _ => None,
    }
}

/// A signal that moves every half minute while the screen showing it is
/// up: "checked just now" becomes "checked 1 minute ago" on a screen left
/// open, rather than staying "just now".
fn every_half_minute() -> RwSignal<u32> {
    let tick = RwSignal::new(0u32);
    if let Ok(handle) = set_interval_with_handle(
        move || tick.update(|t| *t = t.wrapping_add(1)),
        std::time::Duration::from_secs(30),
    ) {
        on_cleanup(move || handle.clear());
    }
    tick
}

/// The status panel on a plan's task list (nothing if it is not kept in
/// step), with any device asking to join.
pub fn keep_status(app: App, id: &PlanId) -> impl IntoView {
    let id = id.clone();
    let tick = every_half_minute();
    move || {
        tick.track();
        let view = app.keep_view(&id);
        let asking = view.as_ref().map(|v| v.requests.len()).unwrap_or(0);
        // What the panel is about, never contradicting the line after it.
        let lead = match view
            .as_ref()
            .map(|v| (v.standing, v.stopped, v.other.is_some()))
        {
            Some((Standing::Allowed, false, true)) => "Kept in step. ",
            // Not yet with anyone.
            Some((Standing::Allowed, false, false) | (Standing::Asking, _, _)) => {
                "Keeping in step. "
            }
            _ => "Not kept in step. ",
        };
        status_text(app, &id).map(|text| {
            view! {
                <div class="inset" data-testid="keep-status">
                    <p role="status"><strong>{lead}</strong><span data-testid="keep-status-text">{text}</span></p>
                    {connection_text(app, &id).map(|c| view! { <p data-testid="keep-connection">{c}</p> })}
                    {(asking > 0).then(|| view! {
                        <p class="notice" data-testid="keep-asking"><strong>{if asking == 1 { "A device asks to keep your plan in step.".to_string() } else { format!("{asking} devices ask to keep your plan in step.") }}</strong></p>
                    })}
                    <p><a class="task-link" href=route::href(&id, Page::Keep)>{if asking > 0 { "Answer the request" } else { "Keeping in step" }}</a></p>
                </div>
            }
        })
    }
}

/// "Sam Patel's laptop asks to keep your plan in step. Does their screen
/// show 482 193?" with Allow and Refuse.
fn requests_panel(app: App, id: PlanId, problem: RwSignal<Option<String>>) -> impl IntoView {
    move || {
        let requests = app.keep_view(&id).map(|v| v.requests).unwrap_or_default();
        let id = id.clone();
        let same_code = |code: &str| requests.iter().filter(|r| r.code == code).count() > 1;
        requests
            .iter()
            .map(|r| {
                let (a, f) = (r.id.clone(), r.id.clone());
                let (ia, ifr) = (id.clone(), id.clone());
                let role = if r.role == Role::Carer { "your own device" } else { "your key worker's device" };
                let clash = same_code(&r.code);
                view! {
                    <div class="panel panel--request" data-testid="keep-request">
                        <h2>{format!("{} asks to keep your plan in step", r.name)}</h2>
                        <p>{format!("It says it is {role}.")}</p>
                        <p class="request-code">"Does their screen show "<strong data-testid="request-code">{r.code.clone()}</strong>"?"</p>
                        {if clash {
                            view! { <p class="error-message" role="alert">"Two devices show this code, so one of them is not who it says. Refuse both and ask your key worker to open the link again."</p> }.into_any()
                        } else {
                            view! {
                                <p>"Only allow it if the code on their screen is the same. Once allowed, it sees the sections you keep in step and can change them."</p>
                                <button type="button" class="button" data-testid="allow-device" on:click=move |_| {
                                    let (ia, a) = (ia.clone(), a.clone());
                                    spawn_local(async move {
                                        if let Err(e) = app.allow_device(&ia, &a).await { problem.set(Some(e.to_string())); }
                                    });
                                }>"Allow"</button>
                            }.into_any()
                        }}
                        " "
                        <button type="button" class="button button--secondary" data-testid="refuse-device" on:click=move |_| {
                            let (ifr, f) = (ifr.clone(), f.clone());
                            spawn_local(async move {
                                if let Err(e) = app.refuse_device(&ifr, &f).await { problem.set(Some(e.to_string())); }
                            });
                        }>"Refuse"</button>
                    </div>
                }
            })
            .collect_view()
    }
}

/// The devices that keep the plan in step, each removable by the carer.
fn devices_panel(
    app: App,
    id: PlanId,
    carer: bool,
    problem: RwSignal<Option<String>>,
) -> impl IntoView {
    let removing = RwSignal::new(None::<(String, String)>);
    move || {
        let devices = app.keep_view(&id).map(|v| v.devices).unwrap_or_default();
        let now = now_ms();
        let id2 = id.clone();
        view! {
            <h2>"Devices keeping this plan in step"</h2>
            <ul class="device-list" data-testid="keep-devices">
                {devices.into_iter().map(|d| {
                    let role = if d.role == Role::Carer { "Carer" } else { "Key worker" };
                    let seen = if d.this { "this device".to_string() } else {
                        d.last_seen_ms.map(|t| format!("last heard from {}", ago(now, t))).unwrap_or_else(|| "not heard from yet".into())
                    };
                    let rm = (d.id.clone(), d.name.clone());
                    view! {
                        <li data-testid="keep-device">
                            <strong>{d.name.clone()}</strong>{format!(" — {role}, allowed {}, {seen}", ago(now, d.allowed_ms))}
                            {(carer && !d.this).then(|| view! {
                                " "<button type="button" class="link-button" data-testid="remove-device" on:click=move |_| removing.set(Some(rm.clone()))>{format!("Remove {}", d.name)}</button>
                            })}
                        </li>
                    }
                }).collect_view()}
            </ul>
            {move || removing.get().map(|(dev, name)| {
                let id = id2.clone();
                view! {
                    <div class="panel" role="alertdialog" aria-labelledby="remove-title" data-testid="remove-confirm">
                        <h2 id="remove-title">{format!("Remove {name}?")}</h2>
                        <p>"It keeps what it already has, but gets nothing new, and nothing it sends is taken in."</p>
                        <button type="button" class="button button--warning" data-testid="confirm-remove" on:click=move |_| {
                            let (id, dev, name) = (id.clone(), dev.clone(), name.clone());
                            spawn_local(async move {
                                match app.remove_device(&id, &dev).await {
                                    Ok(()) => { removing.set(None); app.ui.notify(&format!("{name} was removed. It gets nothing new.")); }
                                    Err(e) => problem.set(Some(e.to_string())),
                                }
                            });
                        }>"Yes, remove it"</button>
                        " "
                        <button type="button" class="link-button" on:click=move |_| removing.set(None)>"No, keep it"</button>
                    </div>
                }
            })}
        }
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

/// What the keeping-in-step pages remember from one step to the next.
#[derive(Clone, Copy)]
struct Keeping {
    app: App,
    pid: StoredValue<PlanId>,
    held: StoredValue<Vec<Section>>,
    /// Kept in step when the page opened (a stopped keep counts as not).
    kept_now: bool,
    is_worker: bool,
    chosen: RwSignal<Vec<Section>>,
    step: RwSignal<Step>,
    problem: RwSignal<Option<String>>,
    link: RwSignal<Option<String>>,
    copied: RwSignal<Option<String>>,
    /// The carer's choice is being recorded: a second press does nothing.
    sending: RwSignal<bool>,
}

impl Keeping {
    fn new(id: PlanId) -> Self {
        let app = use_app();
        let pid = StoredValue::new(id.clone());
        let held: Vec<Section> = app.parts(&id);
        let held = StoredValue::new(held);
        // A keep the carer stopped counts as not kept: starting again makes a new link.
        let kept_now = app.keep_view(&id).is_some_and(|v| !v.stopped);
        let chosen = RwSignal::new(app.kept_sections(&id));
        let step = RwSignal::new(if kept_now { Step::Manage } else { Step::Choose });
        let problem = RwSignal::new(None::<String>);
        let link = RwSignal::new(None::<String>);
        let copied = RwSignal::new(None::<String>);
        let is_worker = app.is_worker();
        Keeping {
            app,
            pid,
            held,
            kept_now,
            is_worker,
            chosen,
            step,
            problem,
            link,
            copied,
            sending: RwSignal::new(false),
        }
    }

    fn go(self, s: Step) {
        self.problem.set(None);
        self.step.set(s);
        super::focus_heading();
    }
}

#[component]
pub fn KeepPage(id: PlanId) -> impl IntoView {
    let k = Keeping::new(id);
    view! {
        <div data-testid="keep-page">
            {move || {
                if !k.app.live_available() {
                    return not_set_up(k).into_any();
                }
                match k.step.get() {
                    Step::Manage => manage_step(k).into_any(),
                    Step::Choose => choose_step(k).into_any(),
                    Step::Check => check_step(k).into_any(),
                    Step::Link => link_step(k).into_any(),
                    Step::Stop => stop_step(k).into_any(),
                }
            }}
        </div>
    }
}

/// The council has no sync service: say so, and offer a share file.
fn not_set_up(k: Keeping) -> impl IntoView {
    view! {
        <h1 tabindex="-1">"Keeping in step is not set up"</h1>
        <p>"Your council has not set up keeping in step. You can still share your plan as a file."</p>
        <p><a class="button" href=route::href(&k.pid.get_value(), Page::Share)>"Share my plan"</a></p>
    }
}

/// Where a kept plan stands: connection, requests, devices, sections, the
/// link, and the way to stop.
fn manage_step(k: Keeping) -> impl IntoView {
    let Keeping {
        app,
        problem,
        is_worker,
        copied,
        ..
    } = k;
    let ui = app.ui;
    let id = k.pid.get_value();
    let view_ = app.keep_view(&id);
    let tick = every_half_minute();
    let status_id = id.clone();
    let text = move || {
        tick.track();
        status_text(app, &status_id).unwrap_or_default()
    };
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
        {connection_text(app, &id).map(|c| view! { <p data-testid="keep-connection">{c}</p> })}
        {move || ui.live.with(|s| s.problem.clone()).map(|p| view! { <p class="notice notice--warning" data-testid="keep-problem">{p}</p> })}
        {error_summary(problem)}
        {(!is_worker).then(|| requests_panel(app, id.clone(), problem))}
        {devices_panel(app, id.clone(), !is_worker, problem)}
        <h2>"Sections kept in step"</h2>
        <ul data-testid="kept-sections">{fw_titles.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul>
        <p>"Your name, where you live, sign-off and review dates are always included."</p>
        {(!is_worker).then(|| view! {
            <p><button type="button" class="button button--secondary" data-testid="keep-change" on:click=move |_| k.go(Step::Choose)>"Change the sections"</button></p>
            <h2>"The link for your key worker"</h2>
            <p>"Give it to your key worker (or open it on another device of your own). A device that opens it can only ask: you allow it here, after checking the code on its screen."</p>
            <LinkBox url=url.clone() copied=copied problem=problem/>
            <h2>"Stop keeping in step"</h2>
            <p><button type="button" class="button button--warning" data-testid="keep-stop" on:click=move |_| k.go(Step::Stop)>"Stop keeping in step"</button></p>
        })}
        <p><a href=route::href(&id, Page::Tasks)>"Back to the plan"</a></p>
    }
}

/// Which sections the key worker should see.
fn choose_step(k: Keeping) -> AnyView {
    let Keeping {
        problem,
        chosen,
        kept_now,
        ..
    } = k;
    k.app.ui.plan.with(|p| {
        let Some(plan) = p.as_ref() else { return ().into_any() };
        let fw = framework_of(plan);
        let options = k.held.with_value(|h| shareable(plan, fw, h));
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
                    k.go(Step::Check);
                }
            }>"Continue"</button>
            {if kept_now {
                view! { <p><button type="button" class="link-button back-link" on:click=move |_| k.go(Step::Manage)>"Back"</button></p> }.into_any()
            } else {
                view! { <p><a class="back-link" data-testid="keep-back" href=route::href(&k.pid.get_value(), Page::Tasks)>"Back"</a></p> }.into_any()
            }}
        }.into_any()
    })
}

/// What is sent, what stays and what is no longer kept; then confirm.
fn check_step(k: Keeping) -> AnyView {
    let Keeping {
        app,
        problem,
        chosen,
        kept_now,
        ..
    } = k;
    app.ui.plan.with(|p| {
        let Some(plan) = p.as_ref() else { return ().into_any() };
        let fw = framework_of(plan);
        let all = k.held.with_value(|h| shareable(plan, fw, h));
        let sending: Vec<Section> = all.iter().filter(|p| chosen.with(|c| c.contains(p))).cloned().collect();
        let keeping: Vec<Section> = all.iter().filter(|p| !sending.contains(p)).cloned().collect();
        let before = app.kept_sections(&k.pid.get_value());
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
            <button type="button" class="button" data-testid="confirm-keep" on:click=move |_| confirm_keep(k)>
                {if kept_now { "Confirm the change" } else { "Confirm and make the link" }}
            </button>
            <p><button type="button" class="link-button back-link" on:click=move |_| k.go(Step::Choose)>"Back"</button></p>
        }.into_any()
    })
}

/// Change the sections of a kept plan, or start keeping it and make the link.
fn confirm_keep(k: Keeping) {
    let Keeping {
        app,
        problem,
        sending,
        ..
    } = k;
    if sending.get_untracked() {
        return;
    }
    let id = k.pid.get_value();
    let sections = k.chosen.get_untracked();
    sending.set(true);
    spawn_local(async move {
        if k.kept_now || app.keep_view(&id).is_some_and(|v| !v.stopped) {
            match app.change_keep(&id, sections).await {
                Ok(()) => k.go(Step::Manage),
                Err(e) => problem.set(Some(e.to_string())),
            }
        } else {
            match app.start_keep(&id, sections).await {
                Ok(url) => {
                    k.link.set(Some(url));
                    k.go(Step::Link);
                }
                Err(e) => problem.set(Some(e.to_string())),
            }
        }
        sending.set(false);
    });
}

/// "Your link is ready": the link to give, and who has asked or joined.
fn link_step(k: Keeping) -> impl IntoView {
    let Keeping {
        app,
        pid,
        problem,
        copied,
        ..
    } = k;
    let url = k.link.get().unwrap_or_default();
    view! {
        <div class="panel" role="status"><h1 tabindex="-1">"Your link is ready"</h1></div>
        // A request made while she waits here shows here (she is
        // often beside her key worker as he opens the link), and so
        // does the device once she has allowed it.
        <div aria-live="polite">
            {requests_panel(app, pid.get_value(), problem)}
            {move || {
                let joined: Vec<String> = app
                    .keep_view(&pid.get_value())
                    .map(|v| v.devices.into_iter().filter(|d| !d.this).map(|d| d.name).collect())
                    .unwrap_or_default();
                (!joined.is_empty()).then(|| view! {
                    <div class="notice" data-testid="keep-joined">
                        <p>{format!("{} now keeps your plan in step.", joined.join(" and "))}</p>
                    </div>
                })
            }}
        </div>
        <p>"Give this link to your key worker. When they open it, their device asks to keep your plan in step, and shows a code of six numbers."</p>
        <p>"Your plan then shows the same request with a code. Allow it only if the codes are the same. Nobody sees your plan just by having the link."</p>
        <LinkBox url=url copied=copied problem=problem/>
        <p><a class="button button--secondary" href=route::href(&pid.get_value(), Page::Tasks)>"Back to the plan"</a></p>
    }
}

/// "Are you sure you want to stop keeping in step?"
fn stop_step(k: Keeping) -> impl IntoView {
    let Keeping {
        app, pid, problem, ..
    } = k;
    view! {
        <p class="caption">"Keeping in step"</p>
        <h1 tabindex="-1">"Are you sure you want to stop keeping in step?"</h1>
        {error_summary(problem)}
        <p>"Your key worker keeps what was already sent. Nothing new will be sent either way, and the link will not open anything new."</p>
        <p>"You can start again later: you will get a new link."</p>
        <button type="button" class="button button--warning" data-testid="confirm-stop" on:click=move |_| {
            if k.sending.get_untracked() {
                return;
            }
            k.sending.set(true);
            let id = pid.get_value();
            spawn_local(async move {
                match app.stop_keep(&id).await {
                    Ok(()) => {
                        app.ui.notify("You have stopped keeping your plan in step. Your key worker keeps what was already sent.");
                        route::go(&Route::Plan(id, Page::Tasks));
                    }
                    Err(e) => problem.set(Some(e.to_string())),
                }
                k.sending.set(false);
            });
        }>"Yes, stop keeping in step"</button>
        <p><button type="button" class="link-button back-link" on:click=move |_| k.go(Step::Manage)>"No, go back"</button></p>
    }
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
    // Drawn by the engine worker; its square is kept while it is drawn, so
    // nothing below it moves. No engine, or a link too long for a QR code:
    // the link is given without one.
    let qr = RwSignal::new(Some(String::new()));
    let app = use_app();
    let link = url.clone();
    spawn_local(async move {
        let svg = app.qr_code(link).await;
        qr.try_set(svg);
    });
    view! {
        {move || qr.get().map(|svg| view! {
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
pub fn JoinPage(link: String) -> impl IntoView {
    let app = use_app();
    let ui = app.ui;
    let link = StoredValue::new(link);
    let asked = RwSignal::new(false);
    view! {
        <div data-testid="join-page">
            {move || {
                // A device that has never used the app says who uses it
                // first: it asks to join as that person, never as a carer's
                // own device by default.
                if ui.role.get().is_none() {
                    return view! {
                        <p class="caption">"Keep in step"</p>
                        <p>"Before this device asks to keep the plan in step, say who uses it. The carer sees it when they decide."</p>
                        <super::device::WhoUsesThisDevice first_time=true stay=true/>
                    }.into_any();
                }
                if !app.live_available() {
                    return view! {
                        <h1 tabindex="-1">"Keeping in step is not set up here"</h1>
                        <p>"This app has no sync service set up, so this link cannot be opened. Ask the carer to share the plan as a file instead."</p>
                    }.into_any();
                }
                match (asked.get(), ui.live.with(|s| s.joining.clone())) {
                    (false, _) => view! {
                        <p class="caption">"Keep in step"</p>
                        <h1 tabindex="-1">"Keep this plan in step?"</h1>
                        <p>"Someone has given you a link to keep their carer support plan in step. This device will ask them to allow it, and show a code for them to check."</p>
                        <p>"Once they allow it, the sections they chose come to this device, and your changes to them go back, whenever you are both online. Private notes are never sent."</p>
                        <button type="button" class="button" data-testid="join-keep" on:click=move |_| {
                            asked.set(true);
                            app.join_keep(&link.get_value());
                        }>"Ask to keep it in step"</button>
                        <p><a class="back-link" href="#/">"Not now"</a></p>
                    }.into_any(),
                    (true, Some(Joining::Joined(id))) => view! {
                        <div class="panel" role="status"><h1 tabindex="-1">"The plan is on this device"</h1></div>
                        <p>"It stays in step whenever you are both online."</p>
                        <p><a class="button" data-testid="open-joined" href=route::href(&id, Page::Tasks)>"Open the plan"</a></p>
                    }.into_any(),
                    (true, Some(Joining::Failed(e))) => view! {
                        <h1 tabindex="-1">"The plan could not be added"</h1>
                        <p class="error-message" role="alert">{e}</p>
                    }.into_any(),
                    (true, Some(Joining::Refused)) => view! {
                        <h1 tabindex="-1">"This device was not allowed"</h1>
                        <p role="alert" data-testid="join-refused">"The carer did not allow this device to keep the plan in step. Nothing was added. If this is a mistake, ask them to give you the link again."</p>
                    }.into_any(),
                    (true, Some(Joining::OldLink)) => view! {
                        <h1 tabindex="-1">"This link is from an older version"</h1>
                        <p role="alert">"Ask the carer for a new link: the app now asks the carer to allow each device. Nothing was added."</p>
                    }.into_any(),
                    (true, Some(Joining::Asking(code) | Joining::NotThereYet(code))) => view! {
                        <h1 tabindex="-1">"Waiting for the carer to allow this device"</h1>
                        <p>"Tell the carer this code. Their app asks them to check it before allowing this device:"</p>
                        <p class="pairing-code" data-testid="join-code">{code}</p>
                        <p role="status">{move || match ui.live.with(|s| s.joining_connection()) {
                            Connection::Connected => "Asked. Keep this page open; the plan comes as soon as the carer allows this device.",
                            Connection::Offline => "This device is offline. It will ask as soon as it is online.",
                            Connection::Unreachable => "Cannot reach your council's sync service. The app keeps trying.",
                            Connection::Stopped => crate::web::words::live::NOT_RUNNING,
                            _ => "Connecting to your council's sync service…",
                        }}</p>
                    }.into_any(),
                    (true, None) => view! {
                        <h1 tabindex="-1">"Asking…"</h1>
                    }.into_any(),
                }
            }}
        </div>
    }
}

/// "Kept in step · up to date, checked 2 minutes ago", for a plan kept in
/// step live ("Not kept in step · …" once the carer stopped it).
pub fn caseload_line(id: &PlanId) -> impl IntoView {
    let app = crate::web::app::use_app();
    let id = id.clone();
    move || {
        let view = app.ui.live.with(|s| s.plans.get(&id).cloned())?;
        let now = crate::web::app::now_ms();
        let connected = app.ui.live.with(|s| s.connection_of(&id)) == Connection::Connected;
        let line = if view.stopped {
            "Not kept in step · stopped by the carer".to_string()
        } else if view.standing != Standing::Allowed {
            "Not kept in step · not allowed on this device".to_string()
        } else {
            let when = match (view.unconfirmed_since, view.heard_ms) {
                (Some(t), _) => format!(
                    "the carer has not got your change from {} yet",
                    crate::plan::date::ago(now, t)
                ),
                (None, Some(t)) if connected => {
                    format!("up to date, checked {}", crate::plan::date::ago(now, t))
                }
                (None, Some(t)) => format!(
                    "up to date when last connected ({})",
                    crate::plan::date::ago(now, t)
                ),
                (None, None) => "waiting for the carer".into(),
            };
            format!("Kept in step · {when}")
        };
        Some(view! { <span class="caseload-keep" data-testid="caseload-keep">{line}</span> })
    }
}
