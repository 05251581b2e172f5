//! The plan's history as people read it: who changed what, and when.

use std::collections::BTreeMap;

use super::document::PlanDoc;
use super::ids::device_of;
use super::plan::{Participant, Role};

#[derive(Debug, Clone, PartialEq)]
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
            Some(p) if !p.name.trim().is_empty() => format!("{} ({})", p.name, p.role.label()),
            Some(p) => match p.role {
                Role::Carer => "The carer".into(),
                Role::KeyWorker => "The key worker".into(),
            },
            None if self.actor.starts_with("migrate-") => "The app".into(),
            None => "Someone on another device".into(),
        }
    }
}

/// Every change in causal order, oldest first. Consecutive changes with the
/// same author and message (one per keystroke while typing) are folded into
/// one entry, stamped with the last of them.
pub fn history(doc: &PlanDoc) -> Vec<HistoryEntry> {
    let participants: BTreeMap<String, Participant> =
        doc.plan().map(|p| p.participants).unwrap_or_default();
    let mut out: Vec<HistoryEntry> = Vec::new();
    for meta in doc.automerge().get_changes_meta(&[]) {
        let device = device_of(&meta.actor);
        let actor_label = device
            .clone()
            .unwrap_or_else(|| String::from_utf8_lossy(meta.actor.to_bytes()).into_owned());
        let message = meta
            .message
            .as_deref()
            .unwrap_or("Changed the plan")
            .to_owned();
        if let Some(last) = out.last_mut() {
            if last.actor == actor_label && last.message == message {
                last.time = meta.timestamp;
                continue;
            }
        }
        out.push(HistoryEntry {
            time: meta.timestamp,
            message,
            who: device.and_then(|d| participants.get(&d).cloned()),
            actor: actor_label,
        });
    }
    out
}
