//! Helpers and fixtures shared by the native tests. Every test file that
//! needs them says `mod common;`; what one file does not use is allowed to
//! go unused.
#![allow(dead_code, unused_imports)]

pub use carer_plan::core::exchange::{self, Outgoing, Recipient};
pub use carer_plan::core::field::{AreaField, CarerField, FutureField, PersonField, RoleField};
pub use carer_plan::core::history::history;
pub use carer_plan::core::part::Part;
pub use carer_plan::core::persist::{ChunkKey, ChunkKind, ChunkLog, Chunks};
pub use carer_plan::core::plan::{Action, CaredFor, Participant, Role};
pub use carer_plan::core::share::Lock;
pub use carer_plan::core::signoff;
pub use carer_plan::core::takeout;
pub use carer_plan::core::{DeviceActor, DocError, Field, PlanDoc, PlanId};

/// A fixed moment (November 2026) the tests' changes are stamped with.
pub const T0: i64 = 1_795_000_000_000;

/// Scotland's seven wellbeing areas, as its framework file names them.
pub const AREAS: [&str; 7] = [
    "health-wellbeing",
    "relationships",
    "living-environment",
    "employment-training",
    "finances",
    "life-balance",
    "future-planning",
];

/// A new device, in a new session.
pub fn actor() -> DeviceActor {
    DeviceActor::random().unwrap()
}

pub fn carer(name: &str) -> Participant {
    Participant {
        name: name.into(),
        role: Role::Carer,
    }
}

pub fn worker(name: &str) -> Participant {
    Participant {
        name: name.into(),
        role: Role::KeyWorker,
    }
}

/// A carer's plan with answers in most sections: names, a person cared
/// for, the caring role, ratings and words in every area, actions, an
/// emergency contact.
pub fn full_plan(a: &DeviceActor) -> PlanDoc {
    let mut doc = PlanDoc::create(a, carer("Margaret Brown"), "scotland-national", &AREAS, T0).unwrap();
    let mut t = T0;
    let mut set = |doc: &mut PlanDoc, f: Field, v: &str| {
        t += 1;
        doc.set_field(&f, v, t).unwrap();
    };
    set(&mut doc, Field::Carer(CarerField::Name), "Margaret Brown");
    set(&mut doc, Field::Carer(CarerField::PreferredName), "Peggy");
    set(&mut doc, Field::Carer(CarerField::Email), "peggy.brown@example.org");
    set(&mut doc, Field::Carer(CarerField::Address), "Flat 2, 12 Glebe St\nMotherwell ML1 1AB");
    doc.change("Added a person you care for", T0 + 50, |p| {
        p.cared_for.push(CaredFor {
            id: "p-john".into(),
            name: "John".into(),
            relationship: "Husband".into(),
            lives_with_carer: Some(true),
            ..Default::default()
        });
        p.caring_role.hours_per_week = Some(70);
        p.caring_role.how_long = "since 2019".into();
    })
    .unwrap();
    set(&mut doc, Field::Person("p-john".into(), PersonField::Conditions), "Parkinson's; falls at night.");
    set(&mut doc, Field::Role(RoleField::WhatYouDo), "Everything: meals, pills, washing, nights.");
    for (i, ind) in AREAS.iter().enumerate() {
        set(&mut doc, Field::Area((*ind).into(), AreaField::OwnWords), &format!("In my words about {ind} — «quotes» & ünïcode."));
        let level = ["low", "moderate", "substantial", "critical", "none", "low", "moderate"][i];
        doc.change(&format!("Rated {ind}"), T0 + 100 + i as i64, |p| {
            if let Some(a) = p.wellbeing.get_mut(*ind) {
                a.rating = Some(level.into());
            }
        })
        .unwrap();
    }
    doc.change("Added an action", T0 + 200, |p| {
        p.actions.push(Action {
            id: "a-respite".into(),
            what: "Ask about a short break".into(),
            who: "Sam".into(),
            area: Some("life-balance".into()),
            ..Default::default()
        });
        p.actions.push(Action {
            id: "a-benefits".into(),
            what: "Benefits check".into(),
            area: None,
            ..Default::default()
        });
    })
    .unwrap();
    doc
}

/// Lower-case hex SHA-256 of some bytes.
pub fn sha256_hex(bytes: &[u8]) -> String {
    use sha2::Digest;
    sha2::Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Where the plan stands on sign-off, as one line.
pub fn signoff_status_label(doc: &PlanDoc) -> String {
    match signoff::status(doc) {
        signoff::SignStatus::NotSigned => "not signed".into(),
        signoff::SignStatus::Signed(v) => format!(
            "signed by {} and {}, review {:?}",
            v.carer.name, v.worker.name, v.review_due
        ),
        signoff::SignStatus::ChangedSince(v) => format!(
            "changed since signed by {} and {}, review {:?}",
            v.carer.name, v.worker.name, v.review_due
        ),
    }
}
