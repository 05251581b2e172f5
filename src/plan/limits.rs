//! How much a plan may hold: the limits typing already applies, and the
//! limits on what only a file can carry. A copy that arrives in a share file
//! is checked against every one of them before anything is merged or stored
//! (`crate::doc::PlanDoc::load_incoming`); what a person types is checked
//! against the same answer limits as they type (`field.rs`).
//!
//! Each limit is far above what a real plan holds, so a plan the app itself
//! made never meets one; a file over any of them was made by something else.

pub use super::field::{LONG_MAX, SHORT_MAX};

/// People cared for in one plan.
pub const MAX_PEOPLE: usize = 50;
/// Actions in one plan (from every area together).
pub const MAX_ACTIONS: usize = 500;
/// Emergency contacts.
pub const MAX_CONTACTS: usize = 100;
/// Risks in the emergency plan.
pub const MAX_RISKS: usize = 100;
/// Wellbeing areas (the frameworks have seven or eight).
pub const MAX_AREAS: usize = 64;
/// Items of any other list (shares, signed versions, their heads) and keys
/// of any map (participants, imports, eligibility answers).
pub const MAX_ITEMS: usize = 5_000;
/// Characters of any plain string that is not a typed answer (a name in
/// Settings, an id, a code).
pub const MAX_STRING_CHARS: usize = 1_000;
/// How deep maps and lists may nest. The plan's own shape is 5 deep.
pub const MAX_DEPTH: usize = 16;
/// Changes in one copy (every part together): a keystroke is one change,
/// so this is years of typing.
pub const MAX_CHANGES: usize = 250_000;
/// Authors in one copy's history (a device in one tab is one author).
pub const MAX_ACTORS: usize = 10_000;
/// Operations in one copy's history (a typed character is one).
pub const MAX_OPS: usize = 500_000;
/// Bytes of one copy's documents once their compressed columns are inflated.
pub const MAX_INFLATED_BYTES: usize = 32 * 1024 * 1024;

/// A list of the plan that a person adds to, and that has a limit
/// ([`MAX_PEOPLE`], [`MAX_ACTIONS`], [`MAX_CONTACTS`], [`MAX_RISKS`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum List {
    People,
    Actions,
    Contacts,
    Risks,
}

impl List {
    /// Its name for a technical person. Not `{:?}`: the browser build
    /// prints no `Debug`.
    pub fn code(self) -> &'static str {
        match self {
            List::People => "people",
            List::Actions => "actions",
            List::Contacts => "contacts",
            List::Risks => "risks",
        }
    }
}

/// Which limit a copy went over (`web/words/` says it in words).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// An answer longer than the app lets anyone type.
    AnswerLength,
    /// A list (people, actions, contacts, risks, others) or map too long.
    ListLength,
    /// More wellbeing areas than any framework has.
    Areas,
    /// Maps or lists nested deeper than a plan's shape.
    Depth,
    /// More changes in its history than years of typing make.
    Changes,
    /// More authors than a plan ever has.
    Actors,
    /// Far more data than a plan holds once it is unpacked.
    Size,
}

impl Limit {
    /// Its name in src/plan/limits.rs, for a technical person. Not `{:?}`:
    /// the browser build prints no `Debug` (`-Zfmt-debug=none`).
    pub fn code(self) -> &'static str {
        match self {
            Limit::AnswerLength => "AnswerLength",
            Limit::ListLength => "ListLength",
            Limit::Areas => "Areas",
            Limit::Depth => "Depth",
            Limit::Changes => "Changes",
            Limit::Actors => "Actors",
            Limit::Size => "Size",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Limit::*;

    #[test]
    fn each_limit_is_named_as_in_the_source() {
        for l in [
            AnswerLength,
            ListLength,
            Areas,
            Depth,
            Changes,
            Actors,
            Size,
        ] {
            assert_eq!(l.code(), format!("{l:?}"));
        }
    }
}
