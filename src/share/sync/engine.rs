//! Keeping in step as one state machine, without I/O (quinn-proto's
//! shape: the machine decides, a thin driver moves bytes and time).
//!
//! Inputs: the socket opened or closed ([`Engine::connected`],
//! [`Engine::disconnected`]), a frame from the relay
//! ([`Engine::handle_frame`]), a change made on this device
//! ([`Engine::local_change`]), a plan merged and saved
//! ([`Engine::saved`]), the clock ([`Engine::tick`]) and what people decide
//! (start, join, allow, refuse, remove, change, stop). Outputs: frames to
//! send ([`Engine::poll_transmit`]) and events ([`Engine::poll_event`]):
//! bundles waiting to be merged into a plan (the driver calls
//! [`Engine::take_in`] with the plan, saves it, then [`Engine::saved`]),
//! a keep to store, problems to say.
//!
//! The browser (`web/app/live/`) and the tests' simulated devices drive
//! this same code.
//! Over 400 lines because the state machine's inputs, outputs and the
//! decisions between them are one piece to read.

use std::collections::{BTreeMap, VecDeque};

use super::docid::DocumentId;
use super::entry::Member;
use super::hub::{Event as HubEvent, Hub, HubError};
use super::identity::{DeviceId, DeviceKey};
use super::keep::{Arrived, Keep, KeepError, Standing};
use super::link::Link;
use super::take_in::{first_copy, take_in, TakeError};
use crate::doc::conflict::TextConflict;
use crate::doc::PlanDoc;
use crate::plan::{DeviceActor, PlanId, Role, Section};

/// The largest frame read from the relay; larger ones are refused before
/// they are decoded.
pub const MAX_FRAME: usize = super::keep::MAX_SYNC_MESSAGE + 4096;
/// How long a sync round may wait for the relay before it is asked again.
pub const RESEND_AFTER_MS: i64 = 10_000;

/// Which keep an event is about.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Which {
    Plan(PlanId),
    /// A device that asked to join and has no plan yet.
    Joining(DocumentId),
}

/// What the driver must act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    /// The connection is ready.
    Ready,
    /// Bundles for this plan wait to be merged: call [`Engine::take_in`].
    Arrived(PlanId),
    /// A joining device was allowed and the plan has come: call
    /// [`Engine::first_copy`].
    FirstCopy(DocumentId),
    /// The relay has nothing for a joining device yet.
    Unavailable(DocumentId),
    /// A keep changed: store it and show it again.
    Changed(Which),
    /// Something was refused or went wrong (the browser layer says it).
    Problem(Problem),
    /// The connection must be closed and opened again later.
    Reconnect,
}

/// What went wrong, kept with its source.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// The relay's frame broke the protocol.
    Protocol(HubError),
    /// A frame over the size limit.
    TooLarge,
    /// The relay reported an error (its own words are not shown).
    Relay,
    /// A sync message for a plan not on this device.
    NotOurs,
    Keep(Which, KeepError),
    /// A bundle over a plan's limits, or one saying what only the other
    /// side may say: refused whole.
    Refused(PlanId, RefusedWhy),
}

/// Why a bundle was refused whole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RefusedWhy {
    NotTheirs,
    OverLimit(crate::plan::limits::Limit),
    Unreadable,
}

/// What a merge did, for the driver to save and show.
#[derive(Debug, Default)]
pub struct Taken {
    pub arrived: Vec<Arrived>,
    pub new_changes: usize,
    pub text_conflicts: Vec<TextConflict>,
    /// Which allowed device brought the changes of each of the plan's
    /// devices (the device id in the changes' actors, the name the carer
    /// allowed), so history can say which device a change was made on.
    pub authors: Vec<(String, String)>,
}

/// Keeping in step for every plan on this device (one tab).
pub struct Engine {
    device: DeviceKey,
    peer_base: String,
    connections: u32,
    hub: Hub,
    ready: bool,
    keeps: BTreeMap<PlanId, Keep>,
    joining: Vec<Keep>,
    /// Plan devices whose name has been told in a [`Taken`].
    named: std::collections::BTreeSet<(PlanId, String)>,
    transmit: VecDeque<Vec<u8>>,
    events: VecDeque<Event>,
    /// When each keep last sent something the relay has not answered.
    waiting_since: BTreeMap<DocumentId, i64>,
    /// When the connection was last made ready.
    ready_at: i64,
    /// Documents the relay has answered about since the connection was made
    /// (for "catching up": [`Engine::catch_up`]).
    answered: std::collections::BTreeSet<DocumentId>,
}

/// How far a connection has caught up: of the plans kept in step (not
/// stopped), how many the relay has answered about since it was made.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct CatchUp {
    pub checked: usize,
    pub of: usize,
}

/// How long a change may wait for the other side's acknowledgement, on a
/// connection that has been up as long, before the connection is made
/// again (a message the relay dropped is then sent again).
pub const ACK_WAIT_MS: i64 = 60_000;

impl Engine {
    /// `peer_id`: this tab's id for the relay (random for each page load).
    pub fn new(device: DeviceKey, peer_id: String) -> Engine {
        Engine {
            device,
            hub: Hub::new(peer_id.clone()),
            peer_base: peer_id,
            connections: 0,
            ready_at: 0,
            answered: Default::default(),
            ready: false,
            keeps: BTreeMap::new(),
            joining: Vec::new(),
            named: Default::default(),
            transmit: VecDeque::new(),
            events: VecDeque::new(),
            waiting_since: BTreeMap::new(),
        }
    }

    pub fn device(&self) -> &DeviceKey {
        &self.device
    }

    /// Use other keys for this device (a restored backup's), only while
    /// nothing is kept in step here.
    pub fn set_device(&mut self, device: DeviceKey) {
        if self.keeps.is_empty() && self.joining.is_empty() {
            self.device = device;
        }
    }

    pub fn keep(&self, id: &PlanId) -> Option<&Keep> {
        self.keeps.get(id)
    }

    pub fn keeps(&self) -> impl Iterator<Item = (&PlanId, &Keep)> {
        self.keeps.iter()
    }

    pub fn joining(&self) -> impl Iterator<Item = &Keep> {
        self.joining.iter()
    }

    pub fn joining_keep(&self, doc: &DocumentId) -> Option<&Keep> {
        self.joining.iter().find(|k| k.doc_id() == doc)
    }

    /// Whether a socket is wanted.
    pub fn wants_connection(&self) -> bool {
        !self.keeps.is_empty() || !self.joining.is_empty()
    }

    pub fn is_ready(&self) -> bool {
        self.ready
    }

    /// Plans whose whole chosen parts must be sealed again as soon as they
    /// are open (the driver opens each and calls [`Engine::local_change`]).
    pub fn seal_due(&self) -> Vec<PlanId> {
        self.keeps
            .iter()
            .filter(|(_, k)| k.seal_due)
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The plans to read and seal when keeping in step starts: those due
    /// ([`Engine::seal_due`]) and those whose chunks in storage (`stored`,
    /// each plan's chunks' names) were not all read when they were last
    /// sealed, which an engine that stopped first, or a page with none,
    /// left unsent.
    pub fn to_seal_at_start(&self, stored: &BTreeMap<PlanId, Vec<String>>) -> Vec<PlanId> {
        self.keeps
            .iter()
            .filter(|(id, k)| k.seal_due || stored.get(*id).is_some_and(|c| k.may_have_unsealed(c)))
            .map(|(id, _)| id.clone())
            .collect()
    }

    /// The plan last given to [`Engine::local_change`] was read from these
    /// chunks (`Keep::read_from`). `true` if the keep should be stored.
    pub fn read_from(&mut self, id: &PlanId, chunks: Vec<String>) -> bool {
        self.keeps.get_mut(id).is_some_and(|k| k.read_from(chunks))
    }

    /// A keep restored from storage.
    pub fn insert(&mut self, id: PlanId, mut keep: Keep) {
        // Read the lists of devices (and anything waiting) again.
        let (ready, _) = keep.arrived(&self.device);
        let any = !ready.is_empty();
        self.keeps.insert(id.clone(), keep);
        if any {
            self.events.push_back(Event::Arrived(id.clone()));
        }
        self.sync(&Which::Plan(id));
    }

    pub fn insert_joining(&mut self, mut keep: Keep) {
        let _ = keep.arrived(&self.device);
        let doc = keep.doc_id().clone();
        self.joining.retain(|k| k.doc_id() != &doc);
        self.joining.push(keep);
        self.sync(&Which::Joining(doc));
    }

    /// Let go of a plan's keep (stopped, or the plan deleted).
    pub fn remove(&mut self, id: &PlanId) -> Option<Keep> {
        self.keeps.remove(id)
    }

    pub fn poll_transmit(&mut self) -> Option<Vec<u8>> {
        self.transmit.pop_front()
    }

    pub fn poll_event(&mut self) -> Option<Event> {
        self.events.pop_front()
    }

    /// The socket opened: say who we are.
    pub fn connected(&mut self) {
        self.ready = false;
        // A new peer id for each connection: the relay starts its sync
        // state with us afresh, so nothing it believes it sent before is
        // skipped.
        self.connections += 1;
        self.answered.clear();
        self.hub = Hub::new(format!("{}-{}", self.peer_base, self.connections));
        let f = self.hub.join();
        self.transmit.push_back(f);
    }

    /// Of the plans kept in step on this connection (not stopped), how many
    /// the relay has answered about since it was made: after days offline,
    /// a caseload catches up one plan at a time. `None` while not ready.
    pub fn catch_up(&self) -> Option<CatchUp> {
        if !self.ready {
            return None;
        }
        let live = self.keeps.values().filter(|k| !k.stopped);
        let (mut checked, mut of) = (0, 0);
        for k in live {
            of += 1;
            checked += usize::from(self.answered.contains(k.doc_id()));
        }
        Some(CatchUp { checked, of })
    }

    /// The socket closed: what was in flight is gone.
    pub fn disconnected(&mut self) {
        self.ready = false;
        self.answered.clear();
        self.transmit.clear();
        self.waiting_since.clear();
    }

    fn keep_mut(&mut self, which: &Which) -> Option<&mut Keep> {
        match which {
            Which::Plan(id) => self.keeps.get_mut(id),
            Which::Joining(doc) => self.joining.iter_mut().find(|k| k.doc_id() == doc),
        }
    }

    /// Send the next sync message of one keep, if the connection is ready.
    fn sync(&mut self, which: &Which) {
        if !self.ready {
            return;
        }
        let hub = &self.hub;
        let Some(keep) = (match which {
            Which::Plan(id) => self.keeps.get_mut(id),
            Which::Joining(doc) => self.joining.iter_mut().find(|k| k.doc_id() == doc),
        }) else {
            return;
        };
        let empty = keep.is_empty();
        let doc = keep.doc_id().clone();
        if let Some(data) = keep.sync_message() {
            if let Some(f) = hub.frame(&doc, data, empty) {
                self.transmit.push_back(f);
            }
        }
        if keep.relay_has_all() {
            self.waiting_since.remove(&doc);
        }
    }

    /// A frame from the relay.
    pub fn handle_frame(&mut self, frame: &[u8], now_ms: i64) {
        if frame.len() > MAX_FRAME {
            self.events.push_back(Event::Problem(Problem::TooLarge));
            self.events.push_back(Event::Reconnect);
            return;
        }
        match self.hub.on_frame(frame) {
            Ok(HubEvent::Ready) => {
                self.ready = true;
                self.ready_at = now_ms;
                self.events.push_back(Event::Ready);
                let all: Vec<Which> = self.all();
                for w in all {
                    if let Some(k) = self.keep_mut(&w) {
                        k.reconnected();
                    }
                    self.sync(&w);
                    if let Some(k) = self.keep_mut(&w) {
                        let doc = k.doc_id().clone();
                        self.waiting_since.insert(doc, now_ms);
                    }
                }
            }
            Ok(HubEvent::Sync { doc, data }) => self.on_sync(&doc, &data),
            Ok(HubEvent::Unavailable(doc)) => {
                if self.joining.iter().any(|k| *k.doc_id() == doc) {
                    self.events.push_back(Event::Unavailable(doc));
                }
            }
            Ok(HubEvent::RelayError(_)) => {
                self.events.push_back(Event::Problem(Problem::Relay));
                self.events.push_back(Event::Reconnect);
            }
            Ok(HubEvent::Ignored) => {}
            Err(e) => {
                self.events.push_back(Event::Problem(Problem::Protocol(e)));
                self.events.push_back(Event::Reconnect);
            }
        }
    }

    fn all(&self) -> Vec<Which> {
        self.keeps
            .keys()
            .map(|id| Which::Plan(id.clone()))
            .chain(
                self.joining
                    .iter()
                    .map(|k| Which::Joining(k.doc_id().clone())),
            )
            .collect()
    }

    fn which(&self, doc: &DocumentId) -> Option<Which> {
        if let Some((id, _)) = self.keeps.iter().find(|(_, k)| k.doc_id() == doc) {
            return Some(Which::Plan(id.clone()));
        }
        self.joining
            .iter()
            .any(|k| k.doc_id() == doc)
            .then(|| Which::Joining(doc.clone()))
    }

    fn on_sync(&mut self, doc: &DocumentId, data: &[u8]) {
        let Some(which) = self.which(doc) else {
            self.events.push_back(Event::Problem(Problem::NotOurs));
            return;
        };
        self.answered.insert(doc.clone());
        let device = self.device.clone();
        let Some(keep) = self.keep_mut(&which) else {
            return;
        };
        let before = keep.looks();
        if let Err(e) = keep.receive(data) {
            self.events
                .push_back(Event::Problem(Problem::Keep(which.clone(), e)));
            return;
        }
        let (ready, problem) = keep.arrived(&device);
        let same = problem.is_none() && ready.is_empty() && keep.looks() == before;
        let standing = keep.standing();
        let has_plan = keep.plan_id.is_some();
        if let Some(p) = problem {
            self.events
                .push_back(Event::Problem(Problem::Keep(which.clone(), p)));
        }
        match &which {
            Which::Plan(id) if !ready.is_empty() => {
                self.events.push_back(Event::Arrived(id.clone()))
            }
            Which::Joining(doc)
                if standing == Standing::Allowed && has_plan && !ready.is_empty() =>
            {
                self.events.push_back(Event::FirstCopy(doc.clone()))
            }
            _ => {}
        }
        if !same {
            self.events.push_back(Event::Changed(which.clone()));
        }
        self.sync(&which);
    }

    /// A change was made to a plan on this device: seal it and send it.
    pub fn local_change(&mut self, id: &PlanId, plan: &PlanDoc, now_ms: i64) {
        let device = self.device.clone();
        let Some(keep) = self.keeps.get_mut(id) else {
            return;
        };
        match keep.seal_changes(plan, &device, now_ms) {
            Ok(true) => {
                let doc = keep.doc_id().clone();
                self.waiting_since.entry(doc).or_insert(now_ms);
                self.events
                    .push_back(Event::Changed(Which::Plan(id.clone())));
                self.sync(&Which::Plan(id.clone()));
            }
            Ok(false) => {}
            Err(e) => self
                .events
                .push_back(Event::Problem(Problem::Keep(Which::Plan(id.clone()), e))),
        }
    }

    /// Merge what waits for this plan into `plan`, bundle by bundle; a
    /// bundle that cannot be merged yet (what it builds on has not come)
    /// waits; one over a limit or saying what its device may not is
    /// refused whole. The driver saves the plan, then calls [`Engine::saved`].
    pub fn take_in(&mut self, id: &PlanId, plan: &mut PlanDoc) -> Taken {
        let device = self.device.clone();
        let mut out = Taken::default();
        let Some(keep) = self.keeps.get_mut(id) else {
            return out;
        };
        let (mut ready, _) = keep.arrived(&device);
        // Bundles of several writers (her two tabs seal the same changes)
        // may each build on another's: what waits is tried again once
        // another was merged, and left for the next time when none was.
        loop {
            let mut waiting = Vec::new();
            let mut merged_any = false;
            for a in ready {
                // Already in the plan (sent twice, or by two tabs): nothing to merge.
                if plan.holds(&a.bundle.header.parts) && !a.bundle.header.parts.is_empty() {
                    out.arrived.push(a);
                    continue;
                }
                let before = plan.heads();
                match take_in(plan, &a.bundle, a.from.role) {
                    Ok(report) => {
                        merged_any |= plan.heads() != before;
                        // Each plan device's name is told once a session (the
                        // driver stores it; most bundles bring no new one).
                        for c in plan.changes_since(&before) {
                            if let Some(d) = crate::doc::actor::device_of(&c.actor) {
                                if self.named.insert((id.clone(), d.clone())) {
                                    out.authors.push((d, a.from.name.clone()));
                                }
                            }
                        }
                        if plan.holds(&a.bundle.header.parts) {
                            out.new_changes += report.new_changes;
                            out.text_conflicts.extend(report.text_conflicts);
                            out.arrived.push(a);
                        }
                    }
                    // What it builds on has not come yet: it waits.
                    Err(TakeError::NotYet) => waiting.push(a),
                    Err(e) => {
                        keep.reject(&a.key);
                        let why = match e {
                            TakeError::NotTheirs => RefusedWhy::NotTheirs,
                            TakeError::Import(crate::share::exchange::ImportError::Plan(
                                crate::doc::DocError::OverLimit(l),
                            )) => RefusedWhy::OverLimit(l),
                            TakeError::Import(_) | TakeError::NotYet => RefusedWhy::Unreadable,
                        };
                        self.events
                            .push_back(Event::Problem(Problem::Refused(id.clone(), why)));
                    }
                }
            }
            if waiting.is_empty() || !merged_any {
                break;
            }
            ready = waiting;
        }
        out
    }

    /// The plan with these bundles merged is saved: they are taken, and an
    /// acknowledgement goes back.
    pub fn saved(&mut self, id: &PlanId, taken: &Taken, plan: &PlanDoc, now_ms: i64) {
        let Some(keep) = self.keeps.get_mut(id) else {
            return;
        };
        keep.taken(&taken.arrived, plan, now_ms);
        self.events
            .push_back(Event::Changed(Which::Plan(id.clone())));
        self.local_change(id, plan, now_ms);
    }

    /// A joining device's first copy: the plan as the bundles hold it,
    /// checked as a file is. The keep becomes the plan's.
    pub fn first_copy(
        &mut self,
        doc: &DocumentId,
        actor: &DeviceActor,
    ) -> Result<(PlanId, PlanDoc, Taken), TakeError> {
        let device = self.device.clone();
        let Some(pos) = self.joining.iter().position(|k| k.doc_id() == doc) else {
            return Err(TakeError::NotTheirs);
        };
        let keep = &mut self.joining[pos];
        let (ready, _) = keep.arrived(&device);
        let bundles: Vec<_> = ready.iter().map(|a| &a.bundle).collect();
        let plan = first_copy(&bundles, actor)?;
        let id = plan.plan_id().clone();
        let keep = self.joining.remove(pos);
        self.keeps.insert(id.clone(), keep);
        let mut taken = Taken::default();
        let mut plan = plan;
        // Anything the first load could not place is merged as usual.
        let rest = self.take_in(&id, &mut plan);
        taken.new_changes = rest.new_changes;
        taken.arrived = ready
            .into_iter()
            .filter(|a| plan.holds(&a.bundle.header.parts))
            .collect();
        Ok((id, plan, taken))
    }

    /// The clock: a sync round the relay has not answered for a while is
    /// asked again (a lost message must not stop keeping in step).
    pub fn tick(&mut self, now_ms: i64) {
        if !self.ready {
            return;
        }
        let stale: Vec<DocumentId> = self
            .waiting_since
            .iter()
            .filter(|(_, t)| now_ms - **t >= RESEND_AFTER_MS)
            .map(|(d, _)| d.clone())
            .collect();
        let mut again = false;
        for doc in stale {
            let Some(which) = self.which(&doc) else {
                self.waiting_since.remove(&doc);
                continue;
            };
            match self.keep_mut(&which) {
                Some(k) if k.relay_has_all() && !k.is_empty() => {
                    self.waiting_since.remove(&doc);
                }
                _ => again = true,
            }
        }
        // The other side has not said it has our change for a minute: a
        // message may have been dropped on the way.
        let unheard = self.keeps.values().any(|k| {
            k.unconfirmed_since
                .is_some_and(|t| now_ms - t >= ACK_WAIT_MS)
                && k.others().next().is_some()
        });
        if again || (unheard && now_ms - self.ready_at >= ACK_WAIT_MS) {
            self.events.push_back(Event::Reconnect);
        }
    }

    /// The carer starts keeping a plan in step. Returns the link.
    pub fn start(
        &mut self,
        plan: &PlanDoc,
        sections: &[Section],
        my_name: &str,
        now_ms: i64,
    ) -> Result<Link, KeepError> {
        let link = Link::new().map_err(|_| KeepError::Local)?;
        self.start_with(link, plan, sections, my_name, now_ms)
    }

    /// The same with a link made beforehand (its document id says which
    /// relay shard, and so which engine, keeps it: `super::shards`).
    pub fn start_with(
        &mut self,
        link: Link,
        plan: &PlanDoc,
        sections: &[Section],
        my_name: &str,
        now_ms: i64,
    ) -> Result<Link, KeepError> {
        let id = plan.plan_id().clone();
        let keep = Keep::start(link, id.clone(), sections, &self.device, my_name, now_ms)?;
        let link = keep.link().clone();
        self.keeps.insert(id.clone(), keep);
        self.local_change(&id, plan, now_ms);
        self.sync(&Which::Plan(id));
        Ok(link)
    }

    /// A device opened a link and said yes: it asks to join.
    pub fn join(
        &mut self,
        link: Link,
        role: Role,
        my_name: &str,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        let keep = Keep::join(link, &self.device, role, my_name, now_ms)?;
        self.insert_joining(keep);
        Ok(())
    }

    fn decide(
        &mut self,
        id: &PlanId,
        f: impl FnOnce(&mut Keep, &DeviceKey) -> Result<(), KeepError>,
    ) -> Result<(), KeepError> {
        let device = self.device.clone();
        let keep = self.keeps.get_mut(id).ok_or(KeepError::NotAllowed)?;
        f(keep, &device)?;
        self.events
            .push_back(Event::Changed(Which::Plan(id.clone())));
        self.sync(&Which::Plan(id.clone()));
        Ok(())
    }

    /// The carer allows a device that asked.
    pub fn allow(&mut self, id: &PlanId, device: &DeviceId, now_ms: i64) -> Result<(), KeepError> {
        self.decide(id, |k, me| k.allow(me, device, now_ms))
    }

    pub fn refuse(&mut self, id: &PlanId, device: &DeviceId, now_ms: i64) -> Result<(), KeepError> {
        self.decide(id, |k, me| k.refuse(me, device, now_ms))
    }

    /// The carer removes a device: it gets nothing new.
    pub fn remove_device(
        &mut self,
        id: &PlanId,
        device: &DeviceId,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        self.decide(id, |k, me| k.remove(me, device, now_ms))
    }

    /// The carer changes the sections kept in step, or stops (`stopped`).
    pub fn set_consent(
        &mut self,
        id: &PlanId,
        plan: &PlanDoc,
        sections: &[Section],
        stopped: bool,
        now_ms: i64,
    ) -> Result<(), KeepError> {
        // What was written before the change goes first, under the old choice.
        self.local_change(id, plan, now_ms);
        self.decide(id, |k, me| k.set_consent(me, sections, stopped, now_ms))?;
        self.local_change(id, plan, now_ms);
        Ok(())
    }

    /// The devices allowed for a plan.
    pub fn members(&self, id: &PlanId) -> Vec<Member> {
        self.keeps
            .get(id)
            .map(|k| k.members().to_vec())
            .unwrap_or_default()
    }
}
