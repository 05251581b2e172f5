//! Who uses this device: asked once, changeable in settings.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::fields::{coded_opts, Choice};
use crate::plan::date::long_date;
use crate::plan::{Coded, Role};
use crate::web::app::{now_ms, use_app, App};
use crate::web::platform::caret::TextControl;
use crate::web::platform::{service_worker, settings};
use crate::web::route;

/// "Save and continue"'s checks: someone chosen, and a name (at most 100
/// characters) that a key worker must give. The refusal is in the words
/// the screen shows.
fn checked(role: Option<&str>, name: &str) -> Result<Role, &'static str> {
    let chosen = role
        .and_then(Role::from_code)
        .ok_or("Choose who uses this device.")?;
    if chosen == Role::KeyWorker && name.trim().is_empty() {
        return Err("Enter your name. Carers see it on the plans you share and sign.");
    }
    if name.chars().count() > 100 {
        return Err("Your name can be at most 100 characters.");
    }
    Ok(chosen)
}

/// Keep the answer on this device; the home page then shows this role's.
fn keep(app: App, role: Role, name: &str) {
    settings::set_my_name(name.trim());
    app.set_role(role);
}

/// Where the person was in index.html's first question when the app took
/// over, to put them in the same place on the app's screen.
#[derive(Clone, Debug)]
enum Place {
    /// A control, by its id (the same on both) and, in the name, the caret.
    Control(String, Option<(u32, u32)>),
    /// The error summary: "Save and continue" was refused.
    Problem,
}

/// What was chosen and typed in index.html's own first question (on a
/// first visit, while the module downloaded) when the app started: the
/// app's screen starts from it, so nothing is lost or typed twice. If
/// "Save and continue" was pressed there (src/web/first-visit.js marks the
/// form `data-held`), the app saves it at once, with the screen's checks.
#[derive(Clone, Debug)]
pub struct Handed {
    role: Option<String>,
    name: String,
    problem: Option<&'static str>,
    place: Option<Place>,
}

/// The answer handed over, kept for the first-time screen to take once.
#[derive(Clone, Copy)]
struct HandedOver(StoredValue<Option<Handed>>);

impl Handed {
    /// Read index.html's first question, before its page is removed. `None`
    /// if it was not shown (a returning person, or another page's link) and
    /// `held` whether "Save and continue" was pressed.
    pub fn from_page() -> Option<(Handed, bool)> {
        let doc = web_sys::window()?.document()?;
        if doc.document_element()?.class_list().contains("returning") {
            return None;
        }
        let form = doc.get_element_by_id("first-form")?;
        let input = |selector: &str| {
            form.query_selector(selector)
                .ok()
                .flatten()
                .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
        };
        let name_box = TextControl::Line(input("#my-name")?);
        let role = input("input[name=role]:checked").map(|i| i.value());
        let held = form.has_attribute("data-held");
        let place = doc
            .active_element()
            .filter(|a| form.contains(Some(a)) && !a.id().is_empty())
            .map(|a| Place::Control(a.id(), name_box.selection()));
        let handed = Handed {
            role,
            name: name_box.value(),
            problem: None,
            place,
        };
        Some((handed, held))
    }

    /// At start, with the app's context made: an answer held is saved now if
    /// it passes the checks (nothing is left to show: `None`); if not, the
    /// screen shows why, with the focus on the message.
    pub fn take_over(mut self, held: bool, app: App) -> Option<Handed> {
        if held {
            match checked(self.role.as_deref(), &self.name) {
                Ok(role) => {
                    keep(app, role, &self.name);
                    return None;
                }
                Err(problem) => {
                    self.problem = Some(problem);
                    self.place = Some(Place::Problem);
                }
            }
        }
        Some(self)
    }

    /// Give the first-time screen the answer (in the app's context).
    pub fn provide(handed: Option<Handed>) {
        provide_context(HandedOver(StoredValue::new(handed)));
    }

    /// Once the app's screen is drawn: the focus (and caret) where the
    /// person was, in the same task, so a phone's keyboard stays open.
    pub fn put_back_focus(&self) {
        let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
            return;
        };
        let (selector, caret) = match &self.place {
            Some(Place::Control(id, caret)) => (format!("main #{id}"), *caret),
            Some(Place::Problem) => ("main .error-summary".to_owned(), None),
            None => return,
        };
        let Some(el) = doc
            .query_selector(&selector)
            .ok()
            .flatten()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        else {
            return;
        };
        super::focus(&el);
        if let (Some((start, end)), Ok(input)) = (caret, el.dyn_into()) {
            TextControl::Line(input).select(start, end);
        }
    }
}

/// The question itself, used on first start and in settings. `stay`: the
/// answer is kept and the page it was asked on carries on (a link opened on
/// a device that has never used the app), instead of going home.
#[component]
pub fn WhoUsesThisDevice(first_time: bool, #[prop(optional)] stay: bool) -> impl IntoView {
    let app = use_app();
    // On a first visit, what was answered before the app arrived.
    let handed = first_time
        .then(|| {
            use_context::<HandedOver>()?
                .0
                .try_update_value(Option::take)?
        })
        .flatten();
    let (role, name, problem) = match handed {
        Some(h) => (h.role, h.name, h.problem.map(str::to_owned)),
        None => (
            app.ui.role.get_untracked().map(|r| r.code().to_owned()),
            settings::my_name(),
            None,
        ),
    };
    let role = RwSignal::new(role);
    let name = RwSignal::new(name);
    let problem = RwSignal::new(problem);
    let on_pick = Callback::new(move |v: String| {
        role.set(Some(v));
        problem.set(None);
    });
    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let n = name.get_untracked();
        let chosen = match checked(role.get_untracked().as_deref(), &n) {
            Ok(r) => r,
            Err(p) => {
                problem.set(Some(p.into()));
                return;
            }
        };
        keep(app, chosen, &n);
        if stay {
            return;
        }
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
                <div class="error-summary" role="alert" tabindex="-1"><h2 class="error-summary__title">"There is a problem"</h2><p>{p}</p></div>
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
            <button type="submit" class="button" id="save-role" data-testid="save-role">"Save and continue"</button>
        </form>
        {first_time.then(|| view! { <p class="restore-link">"Moving from another phone or computer? " <a href="#/restore" data-testid="first-restore">"Restore from a backup"</a></p> })}
        {(!first_time).then(|| view! { <KeepingSafe/> })}
    }
}

fn megabytes(bytes: f64) -> String {
    // Rounded in whole tenths, so no floating-point formatting code is
    // linked into the page (issue #21).
    let tenths = (bytes / 100_000.0).round() as u64;
    if bytes < 100_000.0 {
        "less than 0.1 MB".into()
    } else if tenths < 100 {
        format!("{}.{} MB", tenths / 10, tenths % 10)
    } else {
        format!("{} MB", (bytes / 1_000_000.0).round() as u64)
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
