//! Pages are addressed by the URL's hash (`#/plan/ID/about-you`), so the app
//! works from any static file server and offline, and reloading a page
//! reopens it.
//!
//! Moving between pages *replaces* the history entry instead of adding one:
//! the whole app is one entry in the browser's history, so after "Exit this
//! page" the Back button cannot bring the plan back on screen. Every page has
//! its own "Back" link instead.

use crate::core::PlanId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    /// Who uses this device; the key worker's name.
    Settings,
    /// Add a copy someone sent (any plan: a key worker's new carer).
    Import,
    Plan(PlanId, Page),
    NotFound,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Page {
    Tasks,
    Where,
    AboutYou,
    AboutYouMore,
    People,
    Person(String),
    Role,
    RoleDays,
    Area(String),
    AreaMore(String),
    Actions,
    Action(String),
    Emergency,
    Contact(String),
    Risk(String),
    Future,
    Eligibility,
    Summary,
    Delete,
    Share,
    /// Add a copy of this plan someone sent.
    Import,
    History,
    /// What others changed since this person last looked.
    Changes,
    Conflicts,
    SignOff,
    /// The last signed-off version, as it was signed.
    Signed,
    /// The key worker's notes for the carer and private notes.
    Notes,
    /// "Download my data".
    Data,
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
            ["about-you"] => Page::AboutYou,
            ["about-you", "more"] => Page::AboutYouMore,
            ["people"] => Page::People,
            ["people", id] => Page::Person(item_id(id)?),
            ["caring-role"] => Page::Role,
            ["caring-role", "days"] => Page::RoleDays,
            ["area", id] => Page::Area(item_id(id)?),
            ["area", id, "more"] => Page::AreaMore(item_id(id)?),
            ["actions"] => Page::Actions,
            ["actions", id] => Page::Action(item_id(id)?),
            ["emergency"] => Page::Emergency,
            ["emergency", "contact", id] => Page::Contact(item_id(id)?),
            ["emergency", "risk", id] => Page::Risk(item_id(id)?),
            ["future"] => Page::Future,
            ["council"] => Page::Eligibility,
            ["summary"] => Page::Summary,
            ["delete"] => Page::Delete,
            ["share"] => Page::Share,
            ["import"] => Page::Import,
            ["history"] => Page::History,
            ["changes"] => Page::Changes,
            ["conflicts"] => Page::Conflicts,
            ["sign-off"] => Page::SignOff,
            ["signed"] => Page::Signed,
            ["notes"] => Page::Notes,
            ["data"] => Page::Data,
            _ => return None,
        })
    }

    fn path(&self) -> String {
        match self {
            Page::Tasks => String::new(),
            Page::Where => "/where".into(),
            Page::AboutYou => "/about-you".into(),
            Page::AboutYouMore => "/about-you/more".into(),
            Page::People => "/people".into(),
            Page::Person(id) => format!("/people/{id}"),
            Page::Role => "/caring-role".into(),
            Page::RoleDays => "/caring-role/days".into(),
            Page::Area(id) => format!("/area/{id}"),
            Page::AreaMore(id) => format!("/area/{id}/more"),
            Page::Actions => "/actions".into(),
            Page::Action(id) => format!("/actions/{id}"),
            Page::Emergency => "/emergency".into(),
            Page::Contact(id) => format!("/emergency/contact/{id}"),
            Page::Risk(id) => format!("/emergency/risk/{id}"),
            Page::Future => "/future".into(),
            Page::Eligibility => "/council".into(),
            Page::Summary => "/summary".into(),
            Page::Delete => "/delete".into(),
            Page::Share => "/share".into(),
            Page::Import => "/import".into(),
            Page::History => "/history".into(),
            Page::Changes => "/changes".into(),
            Page::Conflicts => "/conflicts".into(),
            Page::SignOff => "/sign-off".into(),
            Page::Signed => "/signed".into(),
            Page::Notes => "/notes".into(),
            Page::Data => "/data".into(),
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
        let _ = w.location().replace(href);
    }
}
