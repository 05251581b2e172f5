//! Sending a plan and taking in a copy: consent recorded, parts chosen,
//! share files read and merged, and a report of what changed.

use thiserror::Error;

use super::file::{self as share, Lock, ShareError, ShareHeader, SHARE_FORMAT};
use crate::doc::conflict::{text_conflicts, TextConflict};
use crate::doc::{DocError, PlanDoc};
use crate::plan::ids::item_id;
use crate::plan::{DeviceActor, Role, Section, Share};

/// Who a plan is being sent to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Recipient {
    KeyWorker,
    SocialWork,
    Carer,
}

impl Recipient {
    pub fn code(self) -> &'static str {
        match self {
            Recipient::KeyWorker => "key-worker",
            Recipient::SocialWork => "social-work",
            Recipient::Carer => "carer",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Recipient::KeyWorker => "your key worker",
            Recipient::SocialWork => "social work",
            Recipient::Carer => "the carer",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [
            Recipient::KeyWorker,
            Recipient::SocialWork,
            Recipient::Carer,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }
}

/// One share to make.
pub struct Outgoing<'a> {
    pub sender: &'a DeviceActor,
    pub sender_name: &'a str,
    pub sender_role: Role,
    /// The parts chosen (the plan part is always sent, the private part never).
    pub parts: Vec<Section>,
    pub with_whom: Vec<Recipient>,
    pub now_ms: i64,
}

/// Why a copy was not added. `web/words/` says in plain words what is
/// wrong with the file, that nothing was added and what to do, and keeps
/// the technical detail apart; neither ever holds text taken from the file.
#[derive(Debug, Error)]
pub enum ImportError {
    #[error("share file refused")]
    Share(#[from] ShareError),
    #[error("plan in the file refused")]
    Plan(#[source] DocError),
    #[error("a copy of a different plan")]
    DifferentPlan,
}

impl From<DocError> for ImportError {
    fn from(e: DocError) -> Self {
        match e {
            DocError::DifferentPlan => ImportError::DifferentPlan,
            // A header that names one plan over the body of another.
            other => ImportError::Plan(other),
        }
    }
}

/// Record the share in the plan (the carer's consent: what, with whom,
/// when), then write the share file holding exactly the chosen parts.
pub fn share(doc: &mut PlanDoc, out: &Outgoing<'_>, lock: Lock<'_>) -> Result<String, ImportError> {
    let id = item_id().map_err(DocError::from)?;
    share_as(doc, out, &id, lock)
}

/// [`share`], with the record's id chosen where the person pressed "Create
/// file": asked again for the same act (the engine that made it stopped
/// after storing the record and before answering), the plan keeps its one
/// record and only the file is written again.
pub fn share_as(
    doc: &mut PlanDoc,
    out: &Outgoing<'_>,
    share_id: &str,
    lock: Lock<'_>,
) -> Result<String, ImportError> {
    let mut parts: Vec<Section> = out
        .parts
        .iter()
        .filter(|p| p.shareable() && doc.has_part(p))
        .cloned()
        .collect();
    if !parts.contains(&Section::Plan) {
        parts.insert(0, Section::Plan);
    }
    parts.sort();
    parts.dedup();
    let sections: Vec<String> = parts.iter().map(Section::id).collect();
    let whom: Vec<String> = out.with_whom.iter().map(|r| r.code().to_owned()).collect();
    let shown = parts.len() - 1;
    let message = format!(
        "Shared {} section{} with {}",
        shown,
        if shown == 1 { "" } else { "s" },
        out.with_whom
            .iter()
            .map(|r| r.label())
            .collect::<Vec<_>>()
            .join(" and ")
    );
    let device = out.sender.as_str().to_owned();
    let recorded = doc.plan()?.shares.iter().any(|s| s.id == share_id);
    if !recorded {
        doc.change(&message, out.now_ms, |plan| {
            plan.shares.push(Share {
                id: share_id.to_owned(),
                by: device.clone(),
                sections: sections.clone(),
                with_whom: whom.clone(),
                at: out.now_ms,
            });
        })?;
    }
    let header = ShareHeader {
        format: SHARE_FORMAT,
        plan_id: doc.plan_id().clone(),
        from_name: out.sender_name.to_owned(),
        from_role: out.sender_role,
        sent_ms: out.now_ms,
        sections: parts.clone(),
        encrypted: false,
    };
    Ok(share::write(&header, &doc.export(&parts), lock)?)
}

/// Open a share file and load the plan it carries, checked against every
/// limit of the plan (`crate::plan::limits`) before anything else is done
/// with it. Nothing is stored.
pub fn read(
    text: &str,
    passphrase: Option<&str>,
    actor: &DeviceActor,
) -> Result<(ShareHeader, PlanDoc), ImportError> {
    let (header, body) = open(text, passphrase)?;
    Ok((header.clone(), load(&header, &body, actor)?))
}

/// The first step of [`read`]: open and authenticate the file.
pub fn open(text: &str, passphrase: Option<&str>) -> Result<(ShareHeader, Vec<u8>), ImportError> {
    Ok(share::open(text, passphrase)?)
}

/// The second step of [`read`]: check the opened body against the plan's
/// limits, load it, and check it is what the header says.
pub fn load(
    header: &ShareHeader,
    body: &[u8],
    actor: &DeviceActor,
) -> Result<PlanDoc, ImportError> {
    matches_header(header, PlanDoc::load_incoming(body, actor)?)
}

/// The last step of reading a copy (after `doc::Incoming` has loaded it,
/// perhaps a part at a time): it holds what the header says, no more.
pub fn matches_header(header: &ShareHeader, doc: PlanDoc) -> Result<PlanDoc, ImportError> {
    if *doc.plan_id() != header.plan_id {
        return Err(ShareError::Tampered.into());
    }
    let mut held: Vec<Section> = doc.parts().cloned().collect();
    let mut said = header.sections.clone();
    held.sort();
    said.sort();
    if held != said || doc.has_part(&Section::Private) {
        return Err(ShareError::Tampered.into());
    }
    Ok(doc)
}

/// What adding a copy did.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct MergeReport {
    /// Changes the copy brought that this device did not have.
    pub new_changes: usize,
    /// The parts those changes were in.
    pub parts: Vec<Section>,
    /// Long answers both sides changed, to be shown.
    pub text_conflicts: Vec<TextConflict>,
}

/// Add a copy of the same plan to this one: both sides' edits kept. A copy
/// with nothing new changes nothing (not even the record of the import).
pub fn merge_in(
    mine: &mut PlanDoc,
    theirs: PlanDoc,
    from: &ShareHeader,
    importer: &DeviceActor,
    now_ms: i64,
) -> Result<MergeReport, ImportError> {
    let report = merge_changes(mine, theirs)?;
    if report.new_changes > 0 {
        record_import(mine, from, importer, now_ms)?;
    }
    Ok(report)
}

/// Merge a copy of the same plan into this one, both sides' edits kept,
/// recording nothing: what [`merge_in`] and live sync share.
pub fn merge_changes(mine: &mut PlanDoc, theirs: PlanDoc) -> Result<MergeReport, ImportError> {
    merge_looking(mine, theirs, true)
}

/// Merge a copy that was written on top of everything this one holds (a
/// live update from a device that had all of ours): nothing can conflict,
/// so no comparison is made. Both sides' edits kept, nothing recorded.
pub fn merge_fast_forward(mine: &mut PlanDoc, theirs: PlanDoc) -> Result<MergeReport, ImportError> {
    merge_looking(mine, theirs, false)
}

fn merge_looking(
    mine: &mut PlanDoc,
    mut theirs: PlanDoc,
    look_for_conflicts: bool,
) -> Result<MergeReport, ImportError> {
    if mine.plan_id() != theirs.plan_id() {
        return Err(ImportError::DifferentPlan);
    }
    let before = mine.heads();
    let conflicts = if look_for_conflicts {
        text_conflicts(mine, &theirs)?
    } else {
        Vec::new()
    };
    mine.merge(&mut theirs)?;
    let new = mine.changes_since(&before);
    if new.is_empty() {
        return Ok(MergeReport {
            new_changes: 0,
            parts: Vec::new(),
            text_conflicts: Vec::new(),
        });
    }
    let mut parts: Vec<Section> = new.iter().map(|c| c.part.clone()).collect();
    parts.sort();
    parts.dedup();
    Ok(MergeReport {
        new_changes: new.len(),
        parts,
        text_conflicts: conflicts,
    })
}

/// The first copy of a plan on this device: it is kept as it came, plus the
/// record of the import.
pub fn adopt(
    mut theirs: PlanDoc,
    from: &ShareHeader,
    importer: &DeviceActor,
    now_ms: i64,
) -> Result<PlanDoc, ImportError> {
    record_import(&mut theirs, from, importer, now_ms)?;
    Ok(theirs)
}

fn record_import(
    doc: &mut PlanDoc,
    from: &ShareHeader,
    importer: &DeviceActor,
    now_ms: i64,
) -> Result<(), ImportError> {
    let message = format!("Added a copy from {}", from.from_label());
    let device = importer.as_str().to_owned();
    doc.change(&message, now_ms, |plan| {
        plan.imports.insert(device.clone(), now_ms);
    })?;
    Ok(())
}
