//! One plan kept in step through the relay, on one device (one tab): no
//! sockets here, only what to put on the relay and what was found there.
//!
//! The relay holds one Automerge document per kept-in-step plan, the
//! *sealed document*: maps of entries (`entry.rs`) each put once by the
//! writer that made it. Entries are read from the document's **history**
//! (every put ever made), not from its current state, so a change that
//! deletes or overwrites entries (a relay, or anyone, forging one) hides
//! nothing. Each writer (a device's tab: `d<device>.<random>`) names its
//! entries `<writer>-<number>`, so no two writers ever write the same key.
//!
//! Nothing is lost: a change bundle is *taken* only once its changes are
//! in the plan and the plan is saved (`Keep::taken`, called by the driver
//! after the save). A bundle whose changes cannot be merged yet (what it
//! builds on has not arrived) waits, and is tried again when more arrives.
//! Each device keeps the whole sealed document, so a relay that lost or
//! withheld anything gets it again from any device.
//!
//! Who may write: only devices on the list of devices a carer's device
//! signed (`entry::Roster`) — the link only lets a device ask. Names and
//! roles come from that list, never from inside a bundle.
//! Over 400 lines because one plan's keep is one state read as a whole:
//! its fields, sealing, receiving, opening and taking in bundles.

use std::collections::{BTreeMap, BTreeSet};

use automerge::legacy::{Key, OpType};
use automerge::sync::{self, SyncDoc};
use automerge::transaction::{CommitOptions, Transactable};
use automerge::{Automerge, ChangeHash, ScalarValue, ROOT};

use super::docid::DocumentId;
use super::entry::{self, Entry, EntryError, Member, Request, Ring, Roster};
use super::identity::{DeviceId, DeviceKey};
use super::link::Link;
use super::sealed::{Bundle, Header};
use crate::doc::bundle;
use crate::doc::PlanDoc;
use crate::plan::{PlanId, Role, Section};

/// The largest sync message read from the relay.
pub const MAX_SYNC_MESSAGE: usize = 16 * 1024 * 1024;
/// The most entries one plan's sealed document is read for (a plan typed
/// in for years makes a few thousand bundles).
pub const MAX_ENTRIES: usize = 200_000;

/// Why something was not taken in. The browser layer says it in words;
/// nothing stored changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeepError {
    /// The relay's message is not an Automerge sync message.
    BadMessage,
    /// Entries that did not open: changed, forged, or signed by a device
    /// that is not allowed.
    Refused(usize),
    /// A bundle for another plan.
    OtherPlan,
    /// The device could not make random numbers or a change.
    Local,
    /// This device is not (or no longer) allowed.
    NotAllowed,
}

/// Where this device stands with the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub enum Standing {
    /// Allowed: reads and writes.
    Allowed,
    /// Asked to join; the carer has not answered yet.
    Asking,
    /// The carer refused this device.
    Refused,
    /// The carer removed this device.
    Removed,
    /// A link made before devices had to be allowed: ask for a new one.
    OldLink,
}

/// Heads part by part (section id → heads), as a bundle says them.
pub type PartHeads = Vec<(Section, Vec<ChangeHash>)>;

/// A bundle from another writer, opened and checked, waiting to be merged.
#[derive(Debug, Clone)]
pub struct Arrived {
    pub key: String,
    pub from: Member,
    pub bundle: Bundle,
}

/// A plan kept in step, on this device.
pub struct Keep {
    pub(super) link: Link,
    /// Which side this device is.
    pub me: Role,
    pub(super) device: DeviceId,
    /// Known from the start for the carer; from the first list for others.
    pub plan_id: Option<PlanId>,
    /// The sections the carer keeps in step (ids); the plan part always goes too.
    pub sections: Vec<String>,
    pub(super) sealed: Automerge,
    pub(super) relay: sync::State,
    /// The sealed document's heads up to which entries were collected.
    pub(super) scanned: Vec<ChangeHash>,
    /// Entries collected and not yet done with (bundles not yet merged,
    /// lists and requests), by key.
    pub(super) waiting: BTreeMap<String, Vec<u8>>,
    /// Bundles merged and saved (never taken again).
    pub(super) taken: BTreeSet<String>,
    /// Every list of devices seen, by key (lists are few and small).
    pub(super) lists: BTreeMap<String, Vec<u8>>,
    /// The plan heads already sealed by this writer or taken in.
    pub(super) covered: Vec<ChangeHash>,
    /// What storage held of the plan (its chunks' names, opaque here) when
    /// it was last read and sealed: a chunk not among them holds changes
    /// that may not be sealed (see [`Keep::may_have_unsealed`]). `None`:
    /// not known (a keep of an earlier release).
    pub(super) covered_chunks: Option<BTreeSet<String>>,
    /// This tab's name in entry keys, and its next number.
    pub(super) writer: String,
    pub(super) seq: u64,
    /// The epoch keys this device holds.
    pub(super) ring: Ring,
    /// The current list of devices, once this device can read one.
    pub roster: Option<Roster>,
    /// Devices asking to join (for a carer's device to answer).
    pub requests: BTreeMap<DeviceId, Request>,
    /// What each other device last said it has, part by part, and when.
    pub(super) their_heads: BTreeMap<DeviceId, (PartHeads, i64)>,
    /// When this device's oldest change the other side has not confirmed
    /// was made.
    pub unconfirmed_since: Option<i64>,
    /// Something was taken in that the other side should hear was.
    pub(super) ack_due: bool,
    /// The carer has stopped keeping in step.
    pub stopped: bool,
    /// The carer refused this device's request (read again from the
    /// document's history whenever the keep is read).
    pub(super) refused_note: bool,
    /// A link from before devices had to be allowed (the worker's side).
    pub old_link: bool,
    /// The carer's keep was carried on from before devices had to be
    /// allowed: her key worker needs the new link.
    pub relinked: bool,
    /// The whole chosen plan is to be sealed again as soon as the plan is
    /// open (a keep carried on from the first format). Not kept.
    pub seal_due: bool,
    /// A carer's device wrote a newer list this device cannot open: it is
    /// not on it (removed).
    pub(super) locked_out: bool,
    /// Entries that did not open, each reported once (not kept).
    pub(super) refused_keys: BTreeSet<String>,
    /// Opened bundles waiting for what they build on (not kept).
    pub(super) opened: BTreeMap<String, Arrived>,
    /// Bundles whose signature was checked, waiting for a list or key that
    /// lets this device open them (not kept).
    pub(super) checked: BTreeMap<String, (DeviceId, u32, Vec<u8>)>,
    /// Every device that asked, as it asked (not kept).
    pub(super) asked: BTreeMap<DeviceId, Request>,
    /// The lists changed since they were last read (not kept).
    pub(super) lists_dirty: bool,
}

fn random_writer(device: &DeviceId) -> String {
    let mut tab = [0u8; 4];
    // Without randomness two tabs could share a name; sealing (which
    // needs it too) then reports the problem.
    let _ = getrandom::fill(&mut tab);
    format!("d{}.{}", device.short(), crate::plan::ids::hex(&tab))
}

impl Keep {
    /// The carer starts keeping a plan in step: she is the list's first
    /// device, and the link names her device as the one that decides.
    pub fn start(
        link: Link,
        plan_id: PlanId,
        sections: &[Section],
        me: &DeviceKey,
        my_name: &str,
        now_ms: i64,
    ) -> Result<Keep, KeepError> {
        let mut link = link;
        link.root = Some(me.id());
        let ids = sections.iter().map(Section::id).collect();
        let mut k = Keep::new(link, Role::Carer, me.id(), Some(plan_id.clone()), ids);
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|_| KeepError::Local)?;
        k.ring.insert(1, key);
        let roster = Roster {
            epoch: 1,
            plan_id,
            members: vec![Member {
                device: me.id(),
                dh: me.dh_public(),
                name: my_name.to_owned(),
                role: Role::Carer,
                allowed_at: now_ms,
            }],
            removed: Vec::new(),
            refused: Vec::new(),
            sections: k.sections.clone(),
            stopped: false,
            at: now_ms,
        };
        k.put_list(me, roster)?;
        Ok(k)
    }

    /// A device joins from a link (a worker, or the carer's other phone):
    /// it asks, and waits to be allowed.
    pub fn join(
        link: Link,
        me: &DeviceKey,
        role: Role,
        my_name: &str,
        now_ms: i64,
    ) -> Result<Keep, KeepError> {
        let old = link.root.is_none();
        let mut k = Keep::new(link, role, me.id(), None, Vec::new());
        k.old_link = old;
        if !old {
            let req = entry::request(me, &k.link.doc, &k.link.key, my_name, role, now_ms)
                .map_err(|_| KeepError::Local)?;
            let key = format!("r{}", me.id().short());
            k.put(&key, req)?;
        }
        Ok(k)
    }

    pub(super) fn new(
        link: Link,
        me: Role,
        device: DeviceId,
        plan_id: Option<PlanId>,
        sections: Vec<String>,
    ) -> Keep {
        Keep {
            writer: random_writer(&device),
            device,
            seq: 1,
            link,
            me,
            plan_id,
            sections,
            sealed: Automerge::new(),
            relay: sync::State::new(),
            scanned: Vec::new(),
            waiting: BTreeMap::new(),
            taken: BTreeSet::new(),
            lists: BTreeMap::new(),
            covered: Vec::new(),
            covered_chunks: None,
            ring: Ring::new(),
            roster: None,
            requests: BTreeMap::new(),
            their_heads: BTreeMap::new(),
            unconfirmed_since: None,
            ack_due: false,
            stopped: false,
            refused_note: false,
            old_link: false,
            relinked: false,
            seal_due: false,
            locked_out: false,
            refused_keys: BTreeSet::new(),
            opened: BTreeMap::new(),
            checked: BTreeMap::new(),
            asked: BTreeMap::new(),
            lists_dirty: true,
        }
    }

    pub fn link(&self) -> &Link {
        &self.link
    }

    pub fn doc_id(&self) -> &DocumentId {
        &self.link.doc
    }

    pub fn device(&self) -> DeviceId {
        self.device
    }

    /// Whether anything has been put on or read from the relay yet.
    pub fn is_empty(&self) -> bool {
        self.sealed.get_heads().is_empty()
    }

    /// Where this device stands.
    /// Whether the plan, its chunks in storage named `stored`, may hold
    /// changes this keep has not sealed: a chunk it was not read from when
    /// it was last sealed, or not known (a keep of an earlier release). A
    /// save that went unsealed (the engine stopped between the save and
    /// its seal, or the page saved with no engine) is found at the next
    /// start; a compaction also reads the plan once more (nothing new is
    /// sealed then).
    pub fn may_have_unsealed(&self, stored: &[String]) -> bool {
        if self.standing() != Standing::Allowed || self.stopped || self.plan_id.is_none() {
            return false;
        }
        self.covered_chunks
            .as_ref()
            .is_none_or(|c| stored.iter().any(|k| !c.contains(k)))
    }

    /// The plan given to [`Keep::seal_changes`] was read from these chunks
    /// (and nothing else). `true` if that is news.
    pub fn read_from(&mut self, chunks: Vec<String>) -> bool {
        let chunks: BTreeSet<String> = chunks.into_iter().collect();
        if self.covered_chunks.as_ref() == Some(&chunks) {
            return false;
        }
        self.covered_chunks = Some(chunks);
        true
    }

    pub fn standing(&self) -> Standing {
        if self.old_link {
            return Standing::OldLink;
        }
        match &self.roster {
            Some(_) if self.locked_out => Standing::Removed,
            Some(r) if r.member(&self.device).is_some() => Standing::Allowed,
            Some(r) if r.removed.contains(&self.device) => Standing::Removed,
            Some(r) if r.refused.contains(&self.device) => Standing::Refused,
            _ if self.ring.is_empty() && self.refused_note => Standing::Refused,
            _ if self.ring.is_empty() => Standing::Asking,
            // It held keys once and is on no list it can read: put out.
            _ => Standing::Removed,
        }
    }

    /// The devices allowed now (for the carer's list).
    pub fn members(&self) -> &[Member] {
        self.roster.as_ref().map(|r| &r.members[..]).unwrap_or(&[])
    }

    /// The other side's devices: the worker's for a carer, the carer's for a worker.
    pub fn others(&self) -> impl Iterator<Item = &Member> {
        let me = self.me;
        self.members().iter().filter(move |m| m.role != me)
    }

    /// The sections the carer keeps in step that this version knows (the
    /// signed list of devices keeps the ids as the carer's device wrote
    /// them, a newer version's too).
    pub fn chosen(&self) -> Vec<Section> {
        self.sections
            .iter()
            .filter_map(|s| Section::parse(s))
            .collect()
    }

    /// The parts this device sends: the plan part and the chosen sections.
    pub fn parts(&self) -> Vec<Section> {
        let mut parts = vec![Section::Plan];
        parts.extend(self.chosen().into_iter().filter(Section::shareable));
        parts.sort();
        parts.dedup();
        parts
    }

    /// Put an entry in the sealed document (a change with no time and no
    /// message: the relay learns nothing from them).
    ///
    /// Each entry is a key of the document's root, never of a map made
    /// for them: two devices that each made that map before they first met
    /// would make two, and the relay's copy shows only one. A change into
    /// the hidden one shows nothing, and automerge-repo passes a change on
    /// to the other devices only when what the document shows changed, so
    /// a request to join went no further than the relay. A root key is
    /// only ever written by its one writer, so every entry shows.
    pub(super) fn put(&mut self, key: &str, bytes: Vec<u8>) -> Result<(), KeepError> {
        let up_to_date = self.scanned == self.sealed.get_heads();
        self.sealed
            .transact_with(
                |_| CommitOptions::default().with_time(0),
                |tx| tx.put(ROOT, key, ScalarValue::Bytes(bytes.clone())),
            )
            .map_err(|_| KeepError::Local)?;
        if up_to_date {
            self.scanned = self.sealed.get_heads();
        }
        if key.starts_with('a') {
            self.lists.insert(key.to_owned(), bytes);
            self.lists_dirty = true;
        }
        Ok(())
    }

    /// Seal the changes of the chosen parts this writer has not sealed
    /// (and an acknowledgement of what was taken in) as one bundle.
    /// Returns whether there was anything to seal.
    pub fn seal_changes(
        &mut self,
        plan: &PlanDoc,
        me: &DeviceKey,
        now_ms: i64,
    ) -> Result<bool, KeepError> {
        if self.standing() != Standing::Allowed || self.stopped {
            return Ok(false);
        }
        let Some(plan_id) = self.plan_id.clone() else {
            return Ok(false);
        };
        if *plan.plan_id() != plan_id {
            return Err(KeepError::OtherPlan);
        }
        let parts = self.parts();
        let (changes, heads) = plan.export_after(&self.covered, &parts);
        if changes.is_empty() && !self.ack_due {
            return Ok(false);
        }
        let Some((&epoch, key)) = self.ring.iter().next_back() else {
            return Ok(false);
        };
        let bundle = Bundle {
            header: Header {
                plan_id,
                from_name: String::new(),
                from_role: self.me,
                sections: self.chosen(),
                stopped: false,
                heads: heads.clone(),
                parts: plan.part_heads(&parts),
            },
            changes: changes.clone(),
        };
        let bytes = entry::changes(me, &self.link.doc, epoch, key, &bundle)
            .map_err(|_| KeepError::Local)?;
        let name = format!("{}-{:08}", self.writer, self.seq);
        self.put(&name, bytes)?;
        self.taken.insert(name);
        self.covered = heads;
        self.seq += 1;
        self.ack_due = false;
        self.seal_due = false;
        if !changes.is_empty() && self.unconfirmed_since.is_none() {
            self.unconfirmed_since = Some(now_ms);
        }
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

    /// What a person or the store could see change: the document's heads,
    /// whether the relay holds all of it, where this device stands and the
    /// requests waiting. A message that leaves it the same (a relay
    /// repeating itself) changes nothing worth storing or showing.
    pub(super) fn looks(&self) -> (Vec<ChangeHash>, bool, Standing, usize) {
        (
            self.sealed.get_heads(),
            self.relay_has_all(),
            self.standing(),
            self.requests.len(),
        )
    }

    /// Take in one sync message from the relay and collect the entries it
    /// brought. Nothing is merged here: see [`Keep::arrived`].
    pub fn receive(&mut self, data: &[u8]) -> Result<(), KeepError> {
        if data.len() > MAX_SYNC_MESSAGE {
            return Err(KeepError::BadMessage);
        }
        let message = sync::Message::decode(data).map_err(|_| KeepError::BadMessage)?;
        // Automerge checks each change (its hash, its bytes) before
        // applying it; a message it refuses leaves the document as it was.
        self.sealed
            .receive_sync_message(&mut self.relay, message)
            .map_err(|_| KeepError::BadMessage)?;
        self.collect_entries();
        Ok(())
    }

    /// Every entry put since the last look, from the document's history.
    pub(super) fn collect_entries(&mut self) {
        let heads = self.sealed.get_heads();
        if heads == self.scanned {
            return;
        }
        for change in self.sealed.get_changes(&self.scanned) {
            for op in change.decode().operations {
                // Entries are root keys; documents written before that put
                // them in a map of their own, which is read all the same.
                let (OpType::Put(ScalarValue::Bytes(bytes)), Key::Map(key)) = (&op.action, &op.key)
                else {
                    continue;
                };
                let key = key.to_string();
                if key.starts_with(&self.writer) || self.taken.contains(&key) {
                    continue;
                }
                if key.starts_with('a') {
                    self.lists.insert(key.clone(), bytes.clone());
                    self.lists_dirty = true;
                } else if self.waiting.len() < MAX_ENTRIES {
                    self.waiting.insert(key, bytes.clone());
                }
            }
        }
        self.scanned = heads;
    }

    /// Read the lists of devices (which this device may now open), the
    /// requests, and open the bundles waiting: what can be merged now is
    /// returned (not yet taken: see [`Keep::taken`]).
    pub fn arrived(&mut self, me: &DeviceKey) -> (Vec<Arrived>, Option<KeepError>) {
        if self.lists_dirty {
            self.read_lists(me);
            self.lists_dirty = false;
        }
        // First, each new entry's signature, once.
        let mut refused = self.check_waiting();
        self.note_requests();
        // Then what can be opened now.
        let (not_opened, other_plan) = self.open_checked();
        refused += not_opened;
        let mut ready: Vec<Arrived> = self.opened.values().cloned().collect();
        // Each writer's bundles in the order it wrote them.
        ready.sort_by(|a, b| a.key.cmp(&b.key));
        let problem = if other_plan {
            Some(KeepError::OtherPlan)
        } else if refused > 0 {
            Some(KeepError::Refused(refused))
        } else {
            None
        };
        (ready, problem)
    }

    /// Check the signature of each entry waiting, once, and note what it
    /// says: a request, changes to open, "stopped" or "refused". Returns
    /// how many were refused.
    fn check_waiting(&mut self) -> usize {
        let mut refused = 0;
        for (key, bytes) in std::mem::take(&mut self.waiting) {
            if self.refused_keys.contains(&key) || self.taken.contains(&key) {
                continue;
            }
            match entry::read(&bytes, &self.link.doc, &self.link.key, &self.device) {
                Ok(Entry::Request(r)) => {
                    self.asked.insert(r.device, r);
                }
                Ok(Entry::Changes {
                    signer,
                    epoch,
                    body,
                }) => {
                    self.checked.insert(key, (signer, epoch, body));
                }
                Ok(Entry::Stopped { signer }) => {
                    // Only the carer's first device, named in the link, is
                    // believed by a device that cannot read the list.
                    if Some(signer) == self.link.root || self.is_carer_device(&signer) {
                        self.stopped = true;
                    }
                }
                Ok(Entry::Refused { signer, device }) => {
                    // Believed as "stopped" is: from the carer's first
                    // device or one of hers on a list this device can read.
                    if device == self.device
                        && (Some(signer) == self.link.root || self.is_carer_device(&signer))
                    {
                        self.refused_note = true;
                    }
                }
                Ok(Entry::Roster { .. }) => {}
                // An entry of the first format: from a link before devices
                // had to be allowed; never taken (it is not signed).
                Err(EntryError::Unknown) => {
                    self.taken.insert(key);
                }
                Err(_) => {
                    refused += 1;
                    self.refused_keys.insert(key);
                }
            }
        }
        refused
    }

    /// The requests still to answer: from other devices not yet on the
    /// list, refused or removed.
    fn note_requests(&mut self) {
        self.requests = self
            .asked
            .iter()
            .filter(|(d, _)| {
                **d != self.device
                    && !self.roster.as_ref().is_some_and(|ro| {
                        ro.member(d).is_some() || ro.refused.contains(d) || ro.removed.contains(d)
                    })
            })
            .map(|(d, r)| (*d, r.clone()))
            .collect();
    }

    /// Open the checked changes whose writer is on the list and whose key
    /// this device holds. Returns how many were refused, and whether any
    /// was for another plan.
    fn open_checked(&mut self) -> (usize, bool) {
        let (mut refused, mut other_plan) = (0, false);
        let Some(roster) = self.roster.clone() else {
            return (refused, other_plan);
        };
        let keys: Vec<String> = self.checked.keys().cloned().collect();
        for key in keys {
            let (signer, epoch, _) = &self.checked[&key];
            let (signer, epoch) = (*signer, *epoch);
            if roster.removed.contains(&signer) || roster.refused.contains(&signer) {
                // Sent by a device that was put out: never taken.
                self.checked.remove(&key);
                self.refused_keys.insert(key);
                refused += 1;
                continue;
            }
            let Some(from) = roster.member(&signer).cloned() else {
                // Not on the list this device can read (yet): waits.
                continue;
            };
            if !self.ring.contains_key(&epoch) {
                continue;
            }
            let Some((_, _, body)) = self.checked.remove(&key) else {
                continue;
            };
            match entry::open_changes(&self.link.doc, &signer, epoch, &body, &self.ring) {
                Ok(b) if b.header.plan_id != roster.plan_id => {
                    other_plan = true;
                    self.refused_keys.insert(key);
                }
                Ok(b) => {
                    let b = self.filter(b, &from);
                    self.opened.insert(
                        key.clone(),
                        Arrived {
                            key,
                            from,
                            bundle: b,
                        },
                    );
                }
                Err(_) => {
                    refused += 1;
                    self.refused_keys.insert(key);
                }
            }
        }
        (refused, other_plan)
    }

    /// A bundle that was refused whole when merged (over a limit, or
    /// saying what its device may not): never tried again.
    pub fn reject(&mut self, key: &str) {
        self.waiting.remove(key);
        self.checked.remove(key);
        self.opened.remove(key);
        self.refused_keys.insert(key.to_owned());
    }

    /// What of a bundle this device takes: for the carer, only the sections
    /// she keeps in step; for others, what may be shared.
    fn filter(&self, mut b: Bundle, from: &Member) -> Bundle {
        let allowed = self.parts();
        let mut kept = Vec::new();
        if let Ok(pieces) = bundle::split(&b.changes) {
            for (part, bytes) in pieces {
                let ok = match self.me {
                    Role::Carer if from.role != Role::Carer => allowed.contains(&part),
                    _ => part.shareable(),
                };
                if ok {
                    bundle::push(&mut kept, &part, &bytes);
                }
            }
        }
        b.changes = kept;
        b.header.parts.retain(|(s, _)| match self.me {
            Role::Carer if from.role != Role::Carer => allowed.contains(s),
            _ => s.shareable(),
        });
        b
    }

    /// Bundles merged into the plan and saved: never taken again. The
    /// other devices' heads are noted (for the truthful status), and an
    /// acknowledgement is due if any brought changes.
    pub fn taken(&mut self, arrived: &[Arrived], plan: &PlanDoc, now_ms: i64) {
        for a in arrived {
            self.waiting.remove(&a.key);
            self.checked.remove(&a.key);
            self.opened.remove(&a.key);
            self.taken.insert(a.key.clone());
            if a.from.device != self.device {
                self.their_heads
                    .insert(a.from.device, (a.bundle.header.parts.clone(), now_ms));
                if !a.bundle.changes.is_empty() {
                    self.ack_due = true;
                }
            }
            self.covered = merge_heads(&self.covered, &a.bundle.header.heads);
        }
        if self.plan_id.is_none() {
            self.plan_id = Some(plan.plan_id().clone());
        }
        self.check_confirmed(plan);
    }

    /// Whether every change of this device's chosen parts is held by a
    /// device of the other side (it said so in a bundle).
    pub fn confirmed(&self, plan: &PlanDoc) -> bool {
        let parts = self.parts();
        self.others().any(|m| {
            self.their_heads.get(&m.device).is_some_and(|(theirs, _)| {
                let heads: Vec<ChangeHash> = theirs.iter().flat_map(|(_, h)| h.clone()).collect();
                plan.export_after(&heads, &parts).0.is_empty()
            })
        })
    }

    /// When a device last said what it has (for the carer's list).
    pub fn heard_from(&self, device: &DeviceId) -> Option<i64> {
        self.their_heads.get(device).map(|(_, t)| *t)
    }

    /// When the other side last said what it has.
    pub fn heard_from_other_ms(&self) -> Option<i64> {
        self.others()
            .filter_map(|m| self.their_heads.get(&m.device).map(|(_, t)| *t))
            .max()
    }

    pub(super) fn check_confirmed(&mut self, plan: &PlanDoc) {
        if self.unconfirmed_since.is_some() && self.confirmed(plan) {
            self.unconfirmed_since = None;
        }
    }
}

fn merge_heads(a: &[ChangeHash], b: &[ChangeHash]) -> Vec<ChangeHash> {
    let mut out: Vec<ChangeHash> = a.iter().chain(b).copied().collect();
    out.sort();
    out.dedup();
    out
}
