//! Pages are addressed by the URL's hash (`#/plan/ID/about-you`), so the app
//! works from any static file server and offline, and reloading a page
//! reopens it.

use crate::core::PlanId;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Route {
    Home,
    AboutYou(PlanId),
    NotFound,
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
            ["plan", id, "about-you"] | ["plan", id] => match PlanId::parse(id) {
                Some(id) => Route::AboutYou(id),
                None => Route::NotFound,
            },
            _ => Route::NotFound,
        })
    }

    pub fn href(&self) -> String {
        match self {
            Route::Home | Route::NotFound => "#/".into(),
            Route::AboutYou(id) => format!("#/plan/{id}/about-you"),
        }
    }

    /// The plan this page shows, if any.
    pub fn plan(&self) -> Option<&PlanId> {
        match self {
            Route::AboutYou(id) => Some(id),
            _ => None,
        }
    }
}

/// The current page, from `location.hash`.
pub fn current() -> Route {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .and_then(|h| Route::parse(&h))
        .unwrap_or(Route::Home)
}

pub fn go(route: &Route) {
    if let Some(w) = web_sys::window() {
        let _ = w.location().set_hash(&route.href());
    }
}
