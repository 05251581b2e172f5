//! The words of the plan's documents' errors (`doc/`).

use crate::doc::signoff::SignError;
use crate::doc::DocError;

use super::{what_it_holds, Words};

impl Words for DocError {
    fn words(&self) -> String {
        match self {
            DocError::Unreadable(e) => unreadable(e),
            DocError::MissingChanges => unreadable(&"some of its saved changes are missing"),
            DocError::Load(e) => unreadable(e),
            DocError::NewerSchema { found, supported } => format!("This plan was saved by a newer version of the app (format {found}; this version reads up to {supported}). Update the app to open it."),
            DocError::NotAPlan => "This is not a carer support plan.".into(),
            DocError::WrongShape(e) => wrong_shape(e),
            DocError::Hydrate(e) => wrong_shape(e),
            DocError::DifferentPlan => "These are copies of two different plans, so they cannot be combined.".into(),
            DocError::Field(e) => e.words(),
            DocError::Edit(e) => e.words(),
            DocError::Random(e) => e.words(),
            DocError::OverLimit(limit) => format!(
                "This copy holds {}, so it was not added. Nothing was changed.",
                what_it_holds(*limit)
            ),
            DocError::Change(e) => not_changed(e),
            DocError::Automerge(e) => not_changed(e),
            DocError::Reconcile(e) => not_changed(e),
            DocError::Json(e) => not_changed(e),
        }
    }
}

// Each with the technical reason in brackets, for whoever helps the person.
fn unreadable(e: &dyn std::fmt::Display) -> String {
    format!("The saved plan could not be read. It may be damaged or only partly saved. ({e})")
}

fn wrong_shape(e: &dyn std::fmt::Display) -> String {
    format!("This plan's contents are not in the shape the app expects. ({e})")
}

fn not_changed(e: &dyn std::fmt::Display) -> String {
    format!("The plan could not be changed. ({e})")
}

impl Words for SignError {
    fn words(&self) -> String {
        match self {
            SignError::Rule(e) => e.words(),
            SignError::Doc(e) => e.words(),
        }
    }
}
