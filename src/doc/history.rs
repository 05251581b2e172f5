//! The plan's history as people read it: who changed what, and when.

use std::collections::BTreeMap;

use super::actor::{device_of, is_genesis_actor};
use super::document::{ChangeInfo, PlanDoc};
use crate::plan::compare::{differences, Difference};
use crate::plan::framework::Framework;
use crate::plan::{Participant, Section};
use automerge::ChangeHash;

#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct HistoryEntry {
    /// Seconds since 1970, as stamped on the change.
    pub time: i64,
    pub message: String,
    /// The participant who made it, if the plan records who that actor is.
    pub who: Option<Participant>,
    /// The device id, or for the app's own format upgrades a readable name.
    pub actor: String,
}

impl HistoryEntry {
    pub fn who_label(&self) -> String {
        match &self.who {
            Some(p) => p.label(),
            None => "Someone on another device".into(),
        }
    }
}

/// Every change of every part, oldest first, leaving out the app's own
/// set-up changes and bookkeeping (a section marked finished). A person's
/// edits of one section in one sitting (no gap over half an hour) are one
/// entry, stamped with the last of them, even when other edits came
/// between (two people typing in one answer at once, or two tabs each in
/// its own answer).
pub fn history(doc: &PlanDoc) -> Vec<HistoryEntry> {
    entries(doc, &doc.changes())
}

/// The entries for some of the plan's changes (say, those since a person
/// last looked), folded as [`history`] folds them.
pub fn entries(doc: &PlanDoc, changes: &[ChangeInfo]) -> Vec<HistoryEntry> {
    let participants = named_participants(doc);
    // Each entry with the section its last change was in.
    let mut out: Vec<(HistoryEntry, &Section)> = Vec::new();
    for change in changes {
        if is_genesis_actor(&change.actor) || is_bookkeeping(change.message.as_deref()) {
            continue;
        }
        let device = device_of(&change.actor);
        let actor_label = device
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(change.actor.to_bytes()).into_owned());
        let message = change
            .message
            .as_deref()
            .unwrap_or("Changed the plan")
            .to_owned();
        // This person's entry for the same edit in this sitting goes on,
        // over what came between: others' edits, and their own typing in
        // another answer (two tabs, each in its own). Anything else they
        // did meanwhile (an action added, a rating) ends the search.
        let typing = message.starts_with("Updated ");
        let mut going_on = None;
        for (i, (e, part)) in out.iter().enumerate().rev() {
            if e.actor != actor_label {
                continue;
            }
            if change.time - e.time > SITTING_SECONDS {
                break;
            }
            let typed = e.message.starts_with("Updated ");
            if e.message == message || (typing && typed && **part == change.part) {
                going_on = Some(i);
                break;
            }
            if !(typing && typed) {
                break;
            }
        }
        if let Some((entry, part)) = going_on.and_then(|i| out.get_mut(i)) {
            entry.time = entry.time.max(change.time);
            *part = &change.part;
            continue;
        }
        out.push((
            HistoryEntry {
                time: change.time,
                message,
                who: device.and_then(|d| participants.get(&d).cloned()),
                actor: actor_label,
            },
            &change.part,
        ));
    }
    // Oldest first by each entry's last change (an entry that went on may
    // now end after those that came between); in the changes' order when
    // the time is the same (a stable sort).
    let mut out: Vec<HistoryEntry> = out.into_iter().map(|(e, _)| e).collect();
    out.sort_by_key(|e| e.time);
    out
}

/// Who each device is. A carer who gave no name in the app's settings is
/// named by the plan's own name for them ("Ann Smith (carer)"), not "The
/// carer".
fn named_participants(doc: &PlanDoc) -> BTreeMap<String, Participant> {
    let Ok(plan) = doc.plan() else {
        return BTreeMap::new();
    };
    let carer_name = plan.carer.name.trim().to_owned();
    let mut out = plan.participants;
    for p in out.values_mut() {
        if p.role == crate::plan::Role::Carer && p.name.trim().is_empty() {
            p.name = carer_name.clone();
        }
    }
    out
}

/// Edits further apart than this are separate sittings in the history.
const SITTING_SECONDS: i64 = 30 * 60;

/// Changes the history leaves out: the app's bookkeeping, not what anyone
/// said.
fn is_bookkeeping(message: Option<&str>) -> bool {
    message == Some(crate::plan::edit::SECTION_PROGRESS)
}

/// A section someone else changed since this person last looked.
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct SectionChange {
    pub part: Section,
    pub who: String,
    /// The device it was made on (as [`HistoryEntry::actor`]), if known.
    pub device: Option<String>,
    /// Seconds since 1970 of the latest of those changes.
    pub time: i64,
}

/// What others changed since `seen` (heads as [`PlanDoc::heads`] gave
/// them): which sections, by whom, when; newest first. Changes made on
/// `my_device` are left out.
pub fn changed_since(doc: &PlanDoc, seen: &[ChangeHash], my_device: &str) -> Vec<SectionChange> {
    let changes: Vec<ChangeInfo> = doc
        .changes_since(seen)
        .into_iter()
        .filter(|c| device_of(&c.actor).as_deref() != Some(my_device))
        .collect();
    let participants = named_participants(doc);
    let mut out: Vec<SectionChange> = Vec::new();
    for entry_change in &changes {
        if is_genesis_actor(&entry_change.actor) {
            continue;
        }
        let device = device_of(&entry_change.actor);
        let who = HistoryEntry {
            time: entry_change.time,
            message: String::new(),
            who: device.as_ref().and_then(|d| participants.get(d).cloned()),
            actor: device.clone().unwrap_or_default(),
        }
        .who_label();
        match out
            .iter_mut()
            .find(|s| s.part == entry_change.part && s.who == who && s.device == device)
        {
            Some(s) => s.time = s.time.max(entry_change.time),
            None => out.push(SectionChange {
                part: entry_change.part.clone(),
                who,
                device,
                time: entry_change.time,
            }),
        }
    }
    out.sort_by(|a, b| b.time.cmp(&a.time).then(a.part.cmp(&b.part)));
    out
}

/// What this person has seen of the plan: the heads they last looked at,
/// and every change made on their own device. The plan at these (with
/// `PlanDoc::plan_at`) is the plan as they knew it, others' later edits aside.
/// Their own changes that the heads already cover add nothing, so only the
/// changes since those heads are looked at (not the whole history).
pub fn known_to_me(doc: &PlanDoc, seen: &[ChangeHash], my_device: &str) -> Vec<ChangeHash> {
    let mut out: Vec<ChangeHash> = seen.to_vec();
    out.extend(
        doc.changes_since(seen)
            .into_iter()
            .filter(|c| device_of(&c.actor).as_deref() == Some(my_device))
            .map(|c| c.hash),
    );
    out
}

/// Whether this copy came to this device from someone else and nobody here
/// has written in it yet (adding it and joining it aside).
pub fn is_first_copy(doc: &PlanDoc, seen: &[ChangeHash], my_device: &str) -> bool {
    seen.is_empty()
        && !doc.changes().iter().any(|c| {
            device_of(&c.actor).as_deref() == Some(my_device)
                && !c.message.as_deref().is_some_and(|m| {
                    m.starts_with("Added a copy from") || m.contains(" joined as ")
                })
        })
}

/// What "What changed since you last looked" shows, read in one go (the
/// task list's banner counts its sections).
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize, serde::Deserialize)]
pub struct Unseen {
    /// Each section others changed since, newest first, with its answers
    /// from what they were (the plan as this person knew it) to what they
    /// are. No answers for a first copy.
    pub sections: Vec<(SectionChange, Vec<Difference>)>,
    /// This copy came from someone else and nobody here has written in it:
    /// everything in it is new, not "changed".
    pub first_copy: bool,
}

/// What others changed since `seen` (see [`changed_since`]), whether this
/// is a first copy, and each changed section's answers before and after.
pub fn unseen(doc: &PlanDoc, seen: &[ChangeHash], my_device: &str) -> Unseen {
    let changes = changed_since(doc, seen, my_device);
    if changes.is_empty() {
        return Unseen::default();
    }
    if is_first_copy(doc, seen, my_device) {
        return Unseen {
            sections: changes.into_iter().map(|c| (c, Vec::new())).collect(),
            first_copy: true,
        };
    }
    let now = doc.plan().unwrap_or_default();
    let before = doc
        .plan_at(&known_to_me(doc, seen, my_device))
        .map(|(plan, _)| plan)
        .unwrap_or_default();
    let fw = Framework::for_plan(&now.framework);
    Unseen {
        sections: changes
            .into_iter()
            .map(|c| {
                let diffs = differences(&before, &now, &c.part, fw);
                (c, diffs)
            })
            .collect(),
        first_copy: false,
    }
}
