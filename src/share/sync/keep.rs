//! One plan kept in step through the relay, on one device: no sockets here,
//! only what to send and what was received (the browser layer moves the
//! bytes; tests use an in-memory relay).
//!
//! The relay holds one Automerge document per kept-in-step plan, the
//! *sealed document*: a map `b` of sealed bundles (see `sealed.rs`), each
//! added once by the device that made it. automerge-repo syncs that
//! document like any other; only the two devices holding the link's key
//! can open what is inside. Each device keeps:
//! * the sealed document itself (so a relay that lost its data gets
//!   everything back from either device),
//! * the Automerge sync state with the relay,
//! * `covered`: the plan heads already on the relay (sent or received), so
//!   a new bundle carries only changes the relay does not have,
//! * `seen`: for each other device, the last of its bundles read. Each
//!   bundle's key in `b` is `<c|w><device>-<sequence>`: a device's bundles
//!   reach the relay in order, so a number per device is all it takes.

use automerge::sync::{self, SyncDoc};
use automerge::transaction::{CommitOptions, Transactable};
use std::collections::{BTreeMap, BTreeSet};

use automerge::{Automerge, ChangeHash, ObjType, ReadDoc, ScalarValue, Value, ROOT};

use super::docid::DocumentId;
use super::link::Link;
use super::sealed::{self, Bundle, Header, SealError};
use crate::doc::bundle;
use crate::doc::PlanDoc;
use crate::plan::{PlanId, Role, Section};

/// The largest sync message read from the relay.
pub const MAX_SYNC_MESSAGE: usize = 16 * 1024 * 1024;
const BUNDLES: &str = "b";

/// Why something the relay sent was not taken in. Shown as a status line;
/// nothing stored changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeepError {
    /// The relay's message is not an Automerge sync message.
    BadMessage(String),
    /// Sealed bundles that did not open (changed, or sealed with another key).
    Refused(usize),
    /// A bundle for another plan.
    OtherPlan,
    /// The device could not make random numbers or a change.
    Local(String),
}

impl std::fmt::Display for KeepError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            KeepError::BadMessage(_) => f.write_str("The sync service sent something that is not part of this plan. It was ignored and nothing was changed."),
            KeepError::Refused(n) => write!(f, "{n} update{} from the sync service could not be opened with this plan's key, so {} ignored. Nothing was changed.", if *n == 1 { "" } else { "s" }, if *n == 1 { "it was" } else { "they were" }),
            KeepError::OtherPlan => f.write_str("The sync service sent an update for a different plan. It was ignored and nothing was changed."),
            KeepError::Local(_) => f.write_str("This device could not prepare your changes for sending. They are kept on this device."),
        }
    }
}

/// Bundles taken in from the other side.
#[derive(Debug, Default)]
pub struct Received {
    pub bundles: Vec<Bundle>,
    /// What was refused on the way, if anything (the rest was taken in).
    pub refused: Option<KeepError>,
}

/// A plan kept in step, on this device.
pub struct Keep {
    pub(super) link: Link,
    /// Which side this device is.
    pub me: Role,
    /// Known from the start for the carer; from the first bundle for the worker.
    pub plan_id: Option<PlanId>,
    /// The sections the carer keeps in step (ids); the plan part always goes too.
    pub sections: Vec<String>,
    pub(super) sent_sections: Vec<String>,
    pub(super) sealed: Automerge,
    pub(super) relay: sync::State,
    /// The sealed document's heads when its bundles were last read.
    pub(super) read: Vec<ChangeHash>,
    pub(super) covered: Vec<ChangeHash>,
    /// This device's name in bundle keys (random) and its next bundle's number.
    pub(super) device: String,
    pub(super) seq: u64,
    /// The last bundle read from each other device.
    pub(super) seen: BTreeMap<String, u64>,
    /// Keys that did not open, so each is reported once (not kept).
    pub(super) refused_keys: BTreeSet<String>,
    /// The other person, once a bundle of theirs has been read.
    pub other: Option<(String, Role)>,
    /// The carer has stopped keeping in step (seen by the worker), or this
    /// device stopped it (the carer).
    pub stopped: bool,
    /// The carer's last bundle, saying she stopped, is sealed: nothing more.
    pub(super) stop_sent: bool,
}

impl Keep {
    /// The carer starts keeping a plan in step.
    pub fn start(link: Link, plan_id: PlanId, sections: Vec<String>) -> Keep {
        Keep::new(link, Role::Carer, Some(plan_id), sections)
    }

    /// The worker joins from the carer's link.
    pub fn join(link: Link) -> Keep {
        Keep::new(link, Role::KeyWorker, None, Vec::new())
    }

    fn new(link: Link, me: Role, plan_id: Option<PlanId>, sections: Vec<String>) -> Keep {
        let mut device = [0u8; 4];
        // Without randomness two devices could share a name; sealing (which
        // needs it too) then reports the problem.
        let _ = getrandom::fill(&mut device);
        let role = if me == Role::Carer { "c" } else { "w" };
        Keep {
            device: format!("{role}{}", crate::plan::ids::hex(&device)),
            seq: 1,
            seen: BTreeMap::new(),
            refused_keys: BTreeSet::new(),
            link,
            me,
            plan_id,
            sections,
            sent_sections: Vec::new(),
            sealed: Automerge::new(),
            relay: sync::State::new(),
            read: Vec::new(),
            covered: Vec::new(),
            other: None,
            stopped: false,
            stop_sent: false,
        }
    }

    pub fn link(&self) -> &Link {
        &self.link
    }

    pub fn doc_id(&self) -> &DocumentId {
        &self.link.doc
    }

    /// Whether anything has been put on or read from the relay yet.
    pub fn is_empty(&self) -> bool {
        self.sealed.get_heads().is_empty()
    }

    /// The parts this device sends: the plan part and the chosen sections.
    pub fn parts(&self) -> Vec<Section> {
        let mut parts = vec![Section::Plan];
        parts.extend(
            self.sections
                .iter()
                .filter_map(|s| Section::parse(s))
                .filter(Section::shareable),
        );
        parts.sort();
        parts.dedup();
        parts
    }

    /// Seal the changes of the chosen parts that the relay does not have
    /// yet (and a changed choice of sections, or the stop) as one bundle.
    /// Returns whether there was anything to seal.
    /// `now_ms` numbers the bundle: never less than the last number plus
    /// one, so a device that lost its last stored state (a tab closed
    /// within the second) still never reuses a number the other side has
    /// read (its next bundle then carries the lost one's changes too).
    pub fn seal_changes(
        &mut self,
        plan: &PlanDoc,
        from_name: &str,
        now_ms: i64,
    ) -> Result<bool, KeepError> {
        let Some(plan_id) = self.plan_id.clone() else {
            return Ok(false);
        };
        if *plan.plan_id() != plan_id {
            return Err(KeepError::OtherPlan);
        }
        let parts = self.parts();
        let (changes, heads) = plan.export_after(&self.covered, &parts);
        // A changed choice of sections goes at once; and the worker's first
        // bundle (even with no changes) tells the carer who has joined.
        let consent_changed = self.sent_sections != self.sections;
        let stopping = self.stopped && self.me == Role::Carer;
        if self.stop_sent || (changes.is_empty() && !consent_changed && !stopping) {
            return Ok(false);
        }
        let bundle = Bundle {
            header: Header {
                plan_id,
                from_name: from_name.to_owned(),
                from_role: self.me,
                sections: self.sections.clone(),
                stopped: self.stopped && self.me == Role::Carer,
                heads: heads.clone(),
            },
            changes,
        };
        let sealed = sealed::seal(&bundle, &self.link.doc, &self.link.key)
            .map_err(|e| KeepError::Local(format!("{e:?}")))?;
        let number = self.seq.max(u64::try_from(now_ms).unwrap_or(0));
        let name = format!("{}-{number:013}", self.device);
        let up_to_date = self.read == self.sealed.get_heads();
        self.sealed
            .transact_with(
                // No time and no message: the relay learns nothing from them.
                |_| CommitOptions::default().with_time(0),
                |tx| {
                    let map = match tx.get(ROOT, BUNDLES)? {
                        Some((Value::Object(ObjType::Map), id)) => id,
                        _ => tx.put_object(ROOT, BUNDLES, ObjType::Map)?,
                    };
                    tx.put(&map, name.as_str(), ScalarValue::Bytes(sealed))
                },
            )
            .map_err(|f| KeepError::Local(f.error.to_string()))?;
        if up_to_date {
            self.read = self.sealed.get_heads();
        }
        // Everything received was applied before sealing, so the chosen
        // parts' heads now cover it too.
        self.covered = heads;
        self.sent_sections = self.sections.clone();
        self.stop_sent = stopping;
        self.seq = number + 1;
        Ok(true)
    }

    /// The next sync message for the relay, if there is one to send.
    pub fn sync_message(&mut self) -> Option<Vec<u8>> {
        self.sealed
            .generate_sync_message(&mut self.relay)
            .map(|m| m.encode())
    }

    /// A new connection: what the relay knew is kept, what was in flight is
    /// forgotten (Automerge's advice for a reconnect).
    pub fn reconnected(&mut self) {
        self.relay = sync::State::decode(&self.relay.encode()).unwrap_or_default();
    }

    /// Whether the relay has everything this device has.
    pub fn relay_has_all(&self) -> bool {
        self.relay.their_heads.as_ref() == Some(&self.sealed.get_heads())
    }

    /// Take in one sync message from the relay and open the bundles it
    /// brought from the other side. Our own bundles coming back and
    /// bundles already read are passed over.
    pub fn receive(&mut self, data: &[u8]) -> Result<Received, KeepError> {
        if data.len() > MAX_SYNC_MESSAGE {
            return Err(KeepError::BadMessage("too large".into()));
        }
        let message =
            sync::Message::decode(data).map_err(|e| KeepError::BadMessage(e.to_string()))?;
        // On a fork first: a message Automerge refuses changes nothing.
        let mut staged = self.sealed.fork();
        let mut state = self.relay.clone();
        staged
            .receive_sync_message(&mut state, message)
            .map_err(|e| KeepError::BadMessage(e.to_string()))?;
        self.sealed = staged;
        self.relay = state;
        Ok(self.read_new())
    }

    fn read_new(&mut self) -> Received {
        let heads = self.sealed.get_heads();
        let mut out = Received::default();
        if heads == self.read {
            return out;
        }
        let Some(map) = bundle_map(&self.sealed) else {
            self.read = heads;
            return out;
        };
        let mut refused = 0;
        let mut other_plan = false;
        // The bundles not read yet, each device's in order.
        let mut new: Vec<(String, u64, String)> = self
            .sealed
            .keys(&map)
            .filter_map(|key| {
                let (device, n) = key.rsplit_once('-')?;
                let n: u64 = n.parse().ok()?;
                let fresh = device != self.device
                    && n > self.seen.get(device).copied().unwrap_or(0)
                    && !self.refused_keys.contains(&key);
                fresh.then(|| (device.to_owned(), n, key.clone()))
            })
            .collect();
        new.sort();
        for (device, n, key) in new {
            let bytes = match self.sealed.get(&map, key.as_str()) {
                Ok(Some((Value::Scalar(v), _))) => match v.as_ref() {
                    ScalarValue::Bytes(b) => Some(b.clone()),
                    _ => None,
                },
                _ => None,
            };
            let opened = bytes.map(|b| sealed::open(&b, &self.link.doc, &self.link.key));
            match opened {
                Some(Ok(b)) if b.header.from_role == self.me => {}
                Some(Ok(b)) => match self.accept(b) {
                    Some(b) => out.bundles.push(b),
                    None => other_plan = true,
                },
                Some(Err(SealError::Random)) => continue,
                Some(Err(_)) | None => {
                    refused += 1;
                    self.refused_keys.insert(key);
                    continue;
                }
            }
            // Only what opened moves a device on: a relay cannot make the
            // app skip a device's later bundles by inventing a key.
            self.seen.insert(device, n);
        }
        self.read = heads;
        out.refused = if other_plan {
            Some(KeepError::OtherPlan)
        } else if refused > 0 {
            Some(KeepError::Refused(refused))
        } else {
            None
        };
        out
    }

    /// Check a bundle from the other side against this link: the right
    /// plan, and (for the carer) only the sections she keeps in step.
    fn accept(&mut self, mut b: Bundle) -> Option<Bundle> {
        match &self.plan_id {
            Some(id) if *id != b.header.plan_id => return None,
            Some(_) => {}
            None => self.plan_id = Some(b.header.plan_id.clone()),
        }
        if self.me == Role::KeyWorker {
            self.sections = b.header.sections.clone();
            self.stopped |= b.header.stopped;
        }
        let allowed = self.parts();
        let mut kept = Vec::new();
        if let Ok(pieces) = bundle::split(&b.changes) {
            for (part, bytes) in pieces {
                let ok = match self.me {
                    // The worker takes what the carer chose to send.
                    Role::KeyWorker => part.shareable(),
                    Role::Carer => allowed.contains(&part),
                };
                if ok {
                    bundle::push(&mut kept, &part, &bytes);
                }
            }
        } else if !b.changes.is_empty() {
            return None;
        }
        b.changes = kept;
        self.covered = merge_heads(&self.covered, &b.header.heads);
        self.other = Some((b.header.from_name.clone(), b.header.from_role));
        Some(b)
    }
}

fn bundle_map(doc: &Automerge) -> Option<automerge::ObjId> {
    match doc.get(ROOT, BUNDLES) {
        Ok(Some((Value::Object(ObjType::Map), id))) => Some(id),
        _ => None,
    }
}

fn merge_heads(a: &[ChangeHash], b: &[ChangeHash]) -> Vec<ChangeHash> {
    let mut out: Vec<ChangeHash> = a.iter().chain(b).copied().collect();
    out.sort();
    out.dedup();
    out
}
