//! Pages are addressed by the URL's hash (`#/plan/ID/about-you`), so the app
//! works from any static file server and offline, and reloading a page
//! reopens it.
//!
//! Moving between pages *replaces* the history entry instead of adding one:
//! the whole app is one entry in the browser's history, so after "Exit this
//! page" the Back button cannot bring the plan back on screen. Every page has
//! its own "Back" link instead.

use crate::plan::{PlanId, Section};

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Who uses this device; the key worker's name.
    Settings,
    /// Add a copy someone sent (any plan: a key worker's new carer).
    Import,
    /// Back up everything on this device.
    Backup,
    /// Restore from a backup.
    Restore,
    Plan(PlanId, Page),
    /// A carer's link to keep her plan in step, opened by the key worker:
    /// its part after `#`, whole in shape (the engine makes its check when
    /// the device asks to join).
    Keep(String),
    /// A keep-in-step link that was cut short or changed.
    KeepDamaged,
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Tasks,
    Where,
    /// A section's first page; its address comes from the table of
    /// sections (`crate::plan::section`).
    Section(Section),
    AboutYouMore,
    Person(String),
    /// "Are you sure you want to remove …?"
    RemovePerson(String),
    RoleDays,
    AreaMore(String),
    Action(String),
    Contact(String),
    Risk(String),
    Summary,
    /// "Check your answers" for one section; its address ends with the
    /// section's own (`summary/emergency`).
    SummaryOf(Section),
    Delete,
    Share,
    /// Add a copy of this plan someone sent.
    Import,
    History,
    /// What others changed since this person last looked.
    Changes,
    Conflicts,
    SignOff,
    /// The carer's "Do you agree with your plan?"
    Agree,
    /// The last signed-off version, as it was signed.
    Signed,
    /// "Start a review": a new round on the same plan.
    StartReview,
    /// The key worker's notes for the carer and private notes.
    Notes,
    /// "Download my data".
    Data,
    /// Keeping in step with the key worker (live sync).
    Keep,
}

fn item_id(s: &str) -> Option<String> {
    (!s.is_empty() && s.len() <= 64 && s.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-'))
        .then(|| s.to_owned())
}

impl Page {
    fn parse(parts: &[&str]) -> Option<Page> {
        Some(match parts {
            [] => Page::Tasks,
            ["where"] => Page::Where,
            ["about-you", "more"] => Page::AboutYouMore,
            ["people", id] => Page::Person(item_id(id)?),
            ["people", id, "remove"] => Page::RemovePerson(item_id(id)?),
            ["caring-role", "days"] => Page::RoleDays,
            ["area", id, "more"] => Page::AreaMore(item_id(id)?),
            ["actions", id] => Page::Action(item_id(id)?),
            ["emergency", "contact", id] => Page::Contact(item_id(id)?),
            ["emergency", "risk", id] => Page::Risk(item_id(id)?),
            section @ ([_] | ["area", _]) if Section::from_path(section).is_some() => {
                Page::Section(Section::from_path(section)?)
            }
            ["summary"] => Page::Summary,
            ["summary", section @ ..] => Page::SummaryOf(Section::from_path(section)?),
            ["delete"] => Page::Delete,
            ["share"] => Page::Share,
            ["import"] => Page::Import,
            ["history"] => Page::History,
            ["changes"] => Page::Changes,
            ["conflicts"] => Page::Conflicts,
            ["sign-off"] => Page::SignOff,
            ["agree"] => Page::Agree,
            ["signed"] => Page::Signed,
            ["review"] => Page::StartReview,
            ["notes"] => Page::Notes,
            ["data"] => Page::Data,
            ["keep"] => Page::Keep,
            _ => return None,
        })
    }

    fn path(&self) -> String {
        match self {
            Page::Tasks => String::new(),
            Page::Where => "/where".into(),
            Page::Section(s) => format!("/{}", s.path()),
            Page::AboutYouMore => "/about-you/more".into(),
            Page::Person(id) => format!("/people/{id}"),
            Page::RemovePerson(id) => format!("/people/{id}/remove"),
            Page::RoleDays => "/caring-role/days".into(),
            Page::AreaMore(id) => format!("/area/{id}/more"),
            Page::Action(id) => format!("/actions/{id}"),
            Page::Contact(id) => format!("/emergency/contact/{id}"),
            Page::Risk(id) => format!("/emergency/risk/{id}"),
            Page::Summary => "/summary".into(),
            Page::SummaryOf(s) => format!("/summary/{}", s.path()),
            Page::Delete => "/delete".into(),
            Page::Share => "/share".into(),
            Page::Import => "/import".into(),
            Page::History => "/history".into(),
            Page::Changes => "/changes".into(),
            Page::Conflicts => "/conflicts".into(),
            Page::SignOff => "/sign-off".into(),
            Page::Agree => "/agree".into(),
            Page::Signed => "/signed".into(),
            Page::StartReview => "/review".into(),
            Page::Notes => "/notes".into(),
            Page::Data => "/data".into(),
            Page::Keep => "/keep".into(),
        }
    }
}

impl Route {
    /// `None` for a hash that is not a page (such as the skip link's
    /// `#main-content`): the current page stays.
    pub fn parse(hash: &str) -> Option<Route> {
        let path = hash.strip_prefix('#').unwrap_or(hash);
        if path.is_empty() || path == "/" {
            return Some(Route::Home);
        }
        let path = path.strip_prefix('/')?;
        let parts: Vec<&str> = path.split('/').filter(|s| !s.is_empty()).collect();
        Some(match parts.as_slice() {
            ["settings"] => Route::Settings,
            ["import"] => Route::Import,
            ["keep", ..] => match crate::share::sync::fragment_of(path) {
                Ok(fragment) => Route::Keep(fragment),
                Err(_) => Route::KeepDamaged,
            },
            ["backup"] => Route::Backup,
            ["restore"] => Route::Restore,
            ["plan", id, rest @ ..] => match (PlanId::parse(id), Page::parse(rest)) {
                (Some(id), Some(page)) => Route::Plan(id, page),
                _ => Route::NotFound,
            },
            _ => Route::NotFound,
        })
    }

    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".into(),
            Route::Settings => "#/settings".into(),
            Route::Import => "#/import".into(),
            Route::Keep(fragment) => format!("#{fragment}"),
            Route::KeepDamaged => "#/keep".into(),
            Route::Backup => "#/backup".into(),
            Route::Restore => "#/restore".into(),
            Route::Plan(id, page) => format!("#/plan/{id}{}", page.path()),
        }
    }

    /// The plan this page shows, if any.
    pub fn plan(&self) -> Option<&PlanId> {
        match self {
            Route::Plan(id, _) => Some(id),
            _ => None,
        }
    }
}

impl Page {
    /// A wellbeing area's first page.
    pub fn area(indicator: impl Into<String>) -> Page {
        Page::Section(Section::Area(indicator.into()))
    }
}

pub fn href(id: &PlanId, page: Page) -> String {
    Route::Plan(id.clone(), page).href()
}

/// The current page, from `location.hash`.
pub fn current() -> Route {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| Route::parse(&h))
        .unwrap_or(Route::Home)
}

/// Go to a page, replacing the current history entry.
pub fn go(route: &Route) {
    go_href(&route.href());
}

pub fn go_href(href: &str) {
    if let Some(w) = web_sys::window() {
        // A refused navigation leaves the person on the page they were on.
        let _ = w.location().replace(href);
    }
}
