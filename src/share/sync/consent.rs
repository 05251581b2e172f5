//! Keeping in step is a share: each start, change and stop is recorded in
//! the plan's consent history (`Plan::shares`), in plain words.

use crate::doc::{DocError, PlanDoc};
use crate::plan::ids::item_id;
use crate::plan::{DeviceActor, Section, Share};

/// What the carer did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Consent {
    Start,
    Change,
    Stop,
}

impl Consent {
    fn code(self) -> &'static str {
        match self {
            Consent::Start => "keep-start",
            Consent::Change => "keep-change",
            Consent::Stop => "keep-stop",
        }
    }

    /// The history line.
    pub fn message(self, sections: usize) -> String {
        let n = format!("{sections} section{}", if sections == 1 { "" } else { "s" });
        match self {
            Consent::Start => format!("Started keeping {n} in step with your key worker"),
            Consent::Change => {
                format!("Changed what is kept in step with your key worker: now {n}")
            }
            Consent::Stop => "Stopped keeping in step with your key worker".into(),
        }
    }
}

/// Record it in the plan (saved and sent like any change).
pub fn record(
    doc: &mut PlanDoc,
    what: Consent,
    sections: &[Section],
    by: &DeviceActor,
    now_ms: i64,
) -> Result<(), DocError> {
    let id = format!("{}-{}", what.code(), item_id()?);
    let shown = if what == Consent::Stop {
        0
    } else {
        sections.len()
    };
    let share = Share {
        id,
        by: by.as_str().to_owned(),
        sections: if what == Consent::Stop {
            Vec::new()
        } else {
            sections.iter().map(Section::id).collect()
        },
        with_whom: vec!["key-worker".into()],
        at: now_ms,
    };
    doc.change(&what.message(shown), now_ms, |plan| {
        plan.shares.push(share.clone())
    })?;
    Ok(())
}
