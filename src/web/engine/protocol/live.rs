//! The messages of keeping in step live (protocol 13): the engine runs the
//! sync core's driver (`engine/live/`: the sockets, the timers, sealing and
//! taking in bundles, the keeps in IndexedDB); the page asks for what people
//! decide ([`LiveAsk`]) and shows what the engine tells it ([`LiveEvent`],
//! sent without being asked, in `FromEngine::Event`).

use serde::{Deserialize, Serialize};

use crate::doc::conflict::TextConflict;
use crate::plan::{Participant, PlanId, Role, Section};
use crate::share::shard::RelayAddress;
use crate::share::sync::{CatchUp, Standing};

/// What the page asks of keeping in step.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LiveAsk {
    /// Start keeping in step on this device (at start, and again to every
    /// engine that takes over from one that stopped).
    Start(LiveStart),
    /// The carer starts, changes or stops keeping a plan in step: her
    /// consent is recorded in the plan, then the keep follows it.
    Consent(ConsentAsk),
    /// Another device opened a link and said yes: it asks to join.
    Join {
        /// The link, as opened.
        link: String,
        /// Who is joining (recorded in the plan once it arrives).
        me: Participant,
        /// This device's name on the list ("Sam's computer").
        name: String,
    },
    /// The carer allows, refuses or removes a device (its id, hex).
    Decide {
        plan: PlanId,
        device: String,
        decision: Decision,
    },
    /// Back online, or the page shown again: every socket tries now.
    Reconnect,
    /// The page is being hidden or closed: seal and store everything now.
    Flush,
    /// After a backup is restored: carry on keeping its plans in step.
    Restore {
        /// The backup's device keys (base64), if it has them.
        sync_key: Option<String>,
        /// Each plan's keep (base64 of `Keep::save`).
        keeps: Vec<(PlanId, String)>,
    },
    /// The page's browser went offline (`false`: every socket is dropped
    /// and says so, and none is tried until it is back) or came back online
    /// (`true`: every socket tries now). The page hears this even when its
    /// worker does not.
    Network(bool),
}

/// What keeping in step needs to start.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LiveStart {
    /// This device's keys for keeping in step (`DeviceKey::to_bytes`): they
    /// live in the page's localStorage.
    pub device_key: Vec<u8>,
    /// The deployment's relay (`relay.json`), if it has one.
    pub relay: Option<RelayAddress>,
    /// The app's own address, for links.
    pub address: String,
    /// This device's id (see [`super::Copy::device`]).
    pub device: String,
}

/// The carer's choice of what is kept in step, recorded in her plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConsentAsk {
    pub plan: PlanId,
    pub what: ConsentWhat,
    pub sections: Vec<Section>,
    /// The plan's changes the page has not stored yet (as
    /// [`super::Change::unsaved`]).
    pub unsaved: Vec<u8>,
    pub at_ms: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConsentWhat {
    /// Start, with this device's name on the list ("Ann's phone").
    Start {
        name: String,
    },
    Change,
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Decision {
    Allow,
    Refuse,
    Remove,
}

/// The engine's answer to a [`LiveAsk`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LiveAnswer {
    Done,
    /// Keeping in step started: the link to give.
    Link(String),
    /// Not done, in the words the person reads (`web/words/live.rs`).
    Refused(String),
    /// Keeping in step has not started in this engine (no relay, no keys).
    NotStarted,
    /// A backup's keeps: how many plans this device does not keep (the
    /// carer allows it from the link), and the backup's device keys when
    /// they became this device's (the page stores them).
    Restored {
        not_restored: u32,
        device_key: Option<Vec<u8>>,
    },
}

/// What the engine tells the page of keeping in step, unasked.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum LiveEvent {
    /// Whether the deployment has a relay (told once keeping in step starts).
    Configured(bool),
    /// Shard `k`'s socket, or `None` when it is closed (no plan needs it).
    Socket(u32, Option<Connection>),
    /// How far the caseload has caught up.
    CatchUp(Option<CatchUp>),
    /// One keep, or that it is gone.
    Keep(PlanId, Option<Box<KeepView>>),
    /// Every keep.
    Keeps(Vec<(PlanId, KeepView)>),
    /// The last thing refused from the relay, in plain words.
    Problem(String),
    /// A device's join in progress, and the shard of its link.
    Joining(Option<Joining>, Option<u32>),
    /// The relay was seen to hold everything of this device's for the plan
    /// (the page notes when, in localStorage).
    Synced(PlanId, i64),
    /// No engine keeps in step for this page any more (told by the page's
    /// own end of the link, never by an engine).
    Stopped,
    /// Changes from the relay were stored in the plan: which device brought
    /// whose changes, and long answers both sides changed (the page notes
    /// them, in localStorage).
    Taken {
        plan: PlanId,
        authors: Vec<(String, String)>,
        text_conflicts: Vec<TextConflict>,
    },
}

/// A connection, as the screens say it: the deployment's relay (whether
/// there is one) and each shard's socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Connection {
    /// No relay configured by the deployment.
    #[default]
    NotSetUp,
    /// Nothing kept in step (on this shard): no socket.
    Idle,
    Connecting,
    Connected,
    /// The browser is offline: retrying when it is back.
    Offline,
    /// Online, but the council's service cannot be reached: retrying.
    Unreachable,
    /// No engine runs keeping in step on this page any more (none could
    /// start, or too many stopped): until the page is loaded again.
    Stopped,
}

/// A device on a plan's list, as the carer's screen shows it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DeviceView {
    /// The device's id (hex), to remove it.
    pub id: String,
    pub name: String,
    pub role: Role,
    pub allowed_ms: i64,
    pub last_seen_ms: Option<i64>,
    /// This device.
    pub this: bool,
}

/// A device asking to join.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RequestView {
    pub id: String,
    pub name: String,
    pub role: Role,
    /// The six digits the asking device shows.
    pub code: String,
}

/// One kept-in-step plan, as the screens show it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeepView {
    pub me: Role,
    /// The relay shard whose socket carries this plan (0 for one relay).
    pub shard: u32,
    /// The other side's devices' names (from the list the carer allowed).
    pub other: Option<String>,
    /// When the relay was last seen to hold everything of this device's
    /// (the page fills it from localStorage when the engine has not seen it).
    pub synced_ms: Option<i64>,
    /// This device's oldest change the other side has not confirmed.
    pub unconfirmed_since: Option<i64>,
    /// When the other side last said what it has.
    pub heard_ms: Option<i64>,
    /// The sections the carer keeps in step (those this version knows).
    pub sections: Vec<Section>,
    pub stopped: bool,
    pub standing: Standing,
    /// The link (the carer's own, to give again).
    pub link: String,
    pub devices: Vec<DeviceView>,
    pub requests: Vec<RequestView>,
    /// Carried on from before devices had to be allowed: give the new link.
    pub relinked: bool,
}

impl KeepView {
    /// Whether `section` is out of what is kept in step now, on a plan that
    /// is kept in step with this device (not stopped, this device allowed).
    pub fn not_kept(&self, section: &Section) -> bool {
        self.standing == Standing::Allowed && !self.stopped && !self.sections.contains(section)
    }
}

/// A device's join in progress (before the plan has arrived).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Joining {
    /// Asked; waiting for the carer to allow this device. Its code.
    Asking(String),
    /// The relay does not have the plan: the carer's phone has not sent it.
    NotThereYet(String),
    Refused,
    OldLink,
    Joined(PlanId),
    Failed(String),
}
