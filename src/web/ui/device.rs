//! Who uses this device: asked once, changeable in settings.

use leptos::prelude::*;

use super::fields::{coded_opts, Choice};
use crate::plan::date::long_date;
use crate::plan::{Coded, Role};
use crate::web::app::{now_ms, use_app};
use crate::web::platform::{service_worker, settings};
use crate::web::route;

/// The question itself, used on first start and in settings.
#[component]
pub fn WhoUsesThisDevice(first_time: bool) -> impl IntoView {
    let app = use_app();
    let role = RwSignal::new(app.ui.role.get_untracked().map(|r| r.code().to_owned()));
    let name = RwSignal::new(settings::my_name());
    let problem = RwSignal::new(None::<String>);
    let saved = RwSignal::new(false);
    let on_pick = Callback::new(move |v: String| {
        role.set(Some(v));
        problem.set(None);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = match role.get_untracked().as_deref().and_then(Role::from_code) {
            Some(r) => r,
            None => {
                problem.set(Some("Choose who uses this device.".into()));
                return;
            }
        };
        let n = name.get_untracked();
        if chosen == Role::KeyWorker && n.trim().is_empty() {
            problem.set(Some(
                "Enter your name. Carers see it on the plans you share and sign.".into(),
            ));
            return;
        }
        if n.chars().count() > 100 {
            problem.set(Some("Your name can be at most 100 characters.".into()));
            return;
        }
        settings::set_my_name(n.trim());
        app.set_role(chosen);
        saved.set(true);
        app.refresh_list();
        route::go_href("#/");
        app.ui.route.set(route::Route::Home);
    };
    let options = coded_opts(Role::ALL);
    view! {
        {(!first_time).then(|| view! { <p><a class="back-link" href="#/">"Back"</a></p> })}
        <h1 tabindex="-1">{if first_time { "Who uses this device?" } else { "Settings" }}</h1>
        {first_time.then(|| view! { <p>"We ask once, so the app shows the right pages. You can change it later in settings."</p> })}
        <form on:submit=save novalidate>
            {move || problem.get().map(|p| view! {
                <div class="error-summary" role="alert"><h2 class="error-summary__title">"There is a problem"</h2><p>{p}</p></div>
            })}
            <Choice name="role".to_string() legend="Who uses this device?".to_string()
                options=options current=Signal::derive(move || role.get()) on_pick=on_pick/>
            <div class="field">
                <label class="label" for="my-name">"Your name"</label>
                <p class="hint" id="my-name-hint">"Shown to the other person on plans you share, and on sign-off. Carers can leave this blank."</p>
                <input class="input" id="my-name" name="my-name" type="text" autocomplete="name"
                    aria-describedby="my-name-hint" prop:value=move || name.get()
                    on:input=move |ev| name.set(event_target_value(&ev))/>
            </div>
            <button type="submit" class="button" data-testid="save-role">"Save and continue"</button>
        </form>
        {first_time.then(|| view! { <p class="restore-link">"Moving from another phone or computer? " <a href="#/restore" data-testid="first-restore">"Restore from a backup"</a></p> })}
        {(!first_time).then(|| view! { <KeepingSafe/> })}
    }
}

fn megabytes(bytes: f64) -> String {
    let mb = bytes / 1_000_000.0;
    if mb < 0.1 {
        "less than 0.1 MB".into()
    } else if mb < 10.0 {
        format!("{mb:.1} MB")
    } else {
        format!("{mb:.0} MB")
    }
}

/// Whether the browser will keep the data, how much is used, and when a
/// copy was last kept elsewhere.
#[component]
fn KeepingSafe() -> impl IntoView {
    let facts = RwSignal::new(None::<(Option<bool>, Option<f64>, Option<f64>)>);
    wasm_bindgen_futures::spawn_local(async move {
        facts.set(Some(service_worker::storage_facts().await));
    });
    let last = settings::last_copy().and_then(chrono::DateTime::from_timestamp_millis);
    let due = settings::copy_reminder_due(now_ms());
    view! {
        <h2>"Keeping your plans safe"</h2>
        <dl class="summary-list" data-testid="storage-facts">
            <div class="summary-row">
                <dt>"Kept by the browser"</dt>
                <dd data-testid="persistent">{move || match facts.get().and_then(|f| f.0) {
                    Some(true) => "Yes: this browser has agreed not to clear the app's data to save space.".to_string(),
                    Some(false) => "Not promised: the browser may clear the app's data if the device runs short of space. Installing the app (Add to home screen) helps.".to_string(),
                    None => "Checking…".to_string(),
                }}</dd>
            </div>
            <div class="summary-row">
                <dt>"Space used"</dt>
                <dd data-testid="usage">{move || match facts.get() {
                    Some((_, Some(used), Some(quota))) => format!("{} of the {} the browser allows", megabytes(used), megabytes(quota)),
                    Some((_, Some(used), None)) => megabytes(used),
                    Some(_) => "The browser does not say.".to_string(),
                    None => "Checking…".to_string(),
                }}</dd>
            </div>
            <div class="summary-row">
                <dt>"Last copy kept elsewhere"</dt>
                <dd data-testid="last-copy">{match last {
                    Some(d) => format!("You last downloaded or shared a copy on {}.", long_date(d.date_naive())),
                    None => "You have not downloaded or shared a copy from this device yet.".to_string(),
                }}</dd>
            </div>
        </dl>
        {due.then(|| view! {
            <p class="inset" data-testid="copy-reminder">"It is a good idea to keep a copy of your plan somewhere else now and then: browsers can clear a website's data, and Safari does after seven days without a visit unless the app is on your home screen. Open your plan and choose \"Download my data\" or \"Share my plan\"."</p>
        })}
        <h2>"Back up and restore"</h2>
        <p>"Keep everything on this device safe in one file locked with a passphrase, or put a backup back, on this device or a new one (such as a new phone)."</p>
        <p><a class="button button--secondary" href="#/backup" data-testid="go-backup">"Back up everything on this device"</a></p>
        <p><a href="#/restore" data-testid="go-restore">"Restore from a backup"</a></p>
    }
}
