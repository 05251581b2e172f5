//! The one message protocol between the page and the engine worker.
//!
//! Every message is `postcard` bytes (serde) in a `Uint8Array`, moved, not
//! copied: the protocol's [`VERSION`] as a varint, then a [`ToEngine`] or a
//! [`FromEngine`]. The engine says [`FromEngine::Ready`] with its version
//! once it listens; a page and an engine of different versions (an update
//! half installed) never exchange anything else: the page says the work
//! cannot be done now, as when no engine can start (`link.rs`). Adding a request or a reply is a new variant
//! at the end and a new [`VERSION`].
//!
//! | page sends (`Request`) | engine answers (`Reply`) |
//! |---|---|
//! | `AddCopy(copy)`: read a share file, check it against every limit, and merge it into the plan as stored on this device (or store it as a new plan) | `Added(added)`, or `Refused { message, details }` in the words the page would have used |
//! | `MakeShare(share)`: record the share in the plan (the carer's consent) and write the share file of the chosen parts, locked with a passphrase if one was chosen | `Shared { text }`, or `Refused { .. }` |
//! | `Restore(restore)`: open a backup, check every plan in it, then merge each into this device's storage, saying how far it has got (`FromEngine::Progress`) | `Restored(stored)`, or `Refused { .. }` |
//! | `Store(store)`: write a save the page prepared (a keystroke's change and the plan's list entry) in one transaction, then tell the other tabs | `Written`, or `Failed(detail)`; asked by no page since it holds no copy of a plan (the in-browser tests ask it of storage) |
//! | `BackUp(back_up)`: read every plan stored on this device (with the changes the page has not stored yet), lock them with the device's settings under a passphrase, saying how far it has got | `BackedUp { text, plans, unreadable }`, or `Refused { .. }` |
//! | `Returns(returns)`: read every plan stored on this device and write the caseload's returns spreadsheet, saying how far it has got | `Returns { text, unreadable }`, or `Refused { .. }` |
//! | `Compact(compact)`: replace a plan's stored chunks, read from storage, by one snapshot of them, then tell the other tabs | `Compacted { key, len }`, or `Failed(detail)`; asked by no page since it holds no copy of a plan (the engine compacts what it stores itself; the in-browser tests ask it) |
//! | `Read(read)`: read what a screen shows of a plan beyond its answers — its history, what others changed since the person last looked, "Download my data", the choices to settle — from the plan as stored with the page's unsaved changes | `Read(readout)`, or `Failed(detail)` (the screen says it cannot be read now) |
//! | `Change(change)`: make a named change (an edit, signing off, keeping one of two choices, an answer made a whole text) in the plan the engine holds, after those asked before it, store it, and tell the other tabs | `Changed(chunk)`: the stored chunk (key and bytes), or `None` when nothing changed; `Made(made)` for a sign-off or a choice kept (with the plan's values after it); or `Failed(detail)` (the change is taken back, and she is told) |
//! | `Live(ask)`: keeping in step (`live.rs`): start it with this device's keys, record the carer's consent and start, change or stop a keep, join from a link, allow, refuse or remove a device, connect again now, seal and store everything now, carry on a backup's keeps | `Live(answer)`: done, the link, or refused in the person's words; the engine tells what changes as it happens (`FromEngine::Live`) |
//! | `Open(open)`: open a plan for the screens — read it as stored with the page's journal, make again what the page journaled of its boxes and named changes, record who uses the device, store that (the tabs told), and keep the plan for the requests that follow; asked again to read what another tab or live sync stored since | `Opened(opened)`: the plan's values, the sections this copy holds and its heads; `NotOpened(NotFound)` or `NotOpened(Damaged { message, raw })` (the page says so, from this answer alone); or `Failed(detail)` (the plan's page says it cannot be opened now, with "Try again") |
//! | `Type(key)`: make a key typed in an answer's box, placed by the box's own text (the engine keeps what each box shows), store it and tell the other tabs | `Typed(typed)`: the chunk, the plan's version after it and, when the key was placed through words the box had not shown, the answer's text; `Refused { .. }` for a key the answer's limit refuses; `Failed(detail)` for a box the engine does not know (it stopped since: the page gives the box anew) |
//! | `Create(create)`: start a new plan with the id the page gave it, store it (the tabs told) and keep it | `Opened(opened)`, or `Failed(detail)` (the plan's page says it cannot be made now, with "Try again") |
//! | `Peek(text)`: read a share file's header without opening it, its shape and (unless it is locked) its checksum checked — the import page's first step, before it asks for a passphrase | `Peeked(header)`, or `Refused { message, details }` in the words the page would have used (protocol 20: the page links no SHA-256 or base64 for it) |
//! | `Qr(link)`: draw a keep-in-step link as a QR code, for the key worker to scan from the carer's screen | `Qr(svg)`, or `Failed(detail)` for text too long for a QR code (the page then shows the link without one) (protocol 20: the page links no QR code) |

use serde::{Deserialize, Serialize};

mod plans;
pub use plans::{Change, Chunk, Create, Journaled, Made, Named, NotOpened, Open, Opened, SignOff};

mod reads;
pub use reads::{Read, Reading, Readout, SignedRead};

mod typing;
pub use typing::{Type, Typed};

pub mod live;
pub use live::{LiveAnswer, LiveAsk, LiveEvent};

use crate::plan::{Participant, PlanId, Role, Section};
use crate::share::backup::DeviceSettings;
use crate::share::exchange::{MergeReport, Recipient};
use crate::share::file::ShareHeader;
use crate::web::platform::idb::Write;
use crate::web::platform::plan_store::Tally;

/// Bumped whenever a message's shape changes.
pub const VERSION: u32 = 20;

/// Work the page asks of the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Request {
    /// Add a copy someone sent (`App::import`): the whole of the work that
    /// can take long — opening, counting, loading, checking and merging —
    /// done here, the result stored in IndexedDB and other tabs told.
    AddCopy(Copy),
    /// Restore a backup into this device's storage (`App::restore`).
    Restore(Restore),
    /// Send a plan as a share file (`App::make_share`).
    MakeShare(MakeShare),
    /// Write a save the page prepared (`App::save_now`): IndexedDB's
    /// transaction and the other tabs' message cost the page's thread more
    /// than the change itself did.
    Store(Store),
    /// Replace a plan's stored chunks by one snapshot of them: the page asks
    /// once its increments have outgrown the snapshot, instead of saving the
    /// whole plan on its own thread between two keys.
    Compact(Compact),
    /// Back up every plan on this device (`App::back_up`).
    BackUp(BackUp),
    /// The caseload's returns spreadsheet (`App::returns_csv`).
    Returns(Returns),
    /// Read a plan's history or versions for a screen (`App::read_later`):
    /// work that grows with everything ever typed in the plan.
    Read(Read),
    /// Open a plan for the screens (`App::open`): the engine reads it, with
    /// the page's journal, keeps it for the reads that follow, and answers
    /// with what the screens show.
    Open(Open),
    /// Make a named change (a choice, the carer's agreement, a sign-off) in
    /// the plan the engine holds (`App::edit`, `App::sign_off`).
    Change(Change),
    /// Keeping in step live (`live.rs`): the engine drives it.
    Live(LiveAsk),
    /// A key typed in an answer's box (`typing.rs`).
    Type(Type),
    /// Start a new plan (`App::create`): made, stored and told to the tabs.
    Create(Create),
    /// Read a share file's header for the page (`App::peek`), checked as
    /// far as it can be without the passphrase: the page then asks for the
    /// passphrase only when the file is whole.
    Peek(String),
    /// Draw a keep-in-step link as a QR code (`App::qr_code`).
    Qr(String),
}

impl Request {
    /// Asked for by the person just now (a plan opened or started, a
    /// screen's read, a choice, long work): after no engine could start, a
    /// new one is tried for it. A key typed is not: what the box shows is
    /// kept in the journal and settled once an engine runs again.
    pub fn tries_anew(&self) -> bool {
        self.is_long()
            || matches!(
                self,
                Request::Open(_)
                    | Request::Create(_)
                    | Request::Read(_)
                    | Request::Change(_)
                    | Request::Peek(_)
            )
    }

    /// Work that takes long (locks, share files, backups): a save or a key
    /// does not wait behind it when it can be helped.
    pub fn is_long(&self) -> bool {
        matches!(
            self,
            Request::AddCopy(_)
                | Request::MakeShare(_)
                | Request::BackUp(_)
                | Request::Restore(_)
                | Request::Returns(_)
        )
    }
}

/// A backup to make of every plan on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BackUp {
    pub passphrase: String,
    /// This device's id (see [`Copy::device`]).
    pub device: String,
    /// The changes of the plans open on the page not stored yet (Automerge's
    /// saved form), so the backup holds everything the person sees.
    pub unsaved: Vec<(PlanId, Vec<u8>)>,
    /// The device's settings that go in the backup (they live in the
    /// page's localStorage and its live sync), typed: the page carries no
    /// JSON writer or reader for them.
    pub settings: DeviceSettings,
    pub made_ms: i64,
}

/// The returns spreadsheet to write of every plan on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Returns {
    /// This device's id (see [`Copy::device`]).
    pub device: String,
    /// As [`BackUp::unsaved`].
    pub unsaved: Vec<(PlanId, Vec<u8>)>,
}

/// Chunks of a plan to replace by one snapshot of them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compact {
    pub plan: PlanId,
    /// Exactly the chunks the page's log holds (a chunk another tab has
    /// just written, not yet merged there, is left alone).
    pub chunks: Vec<String>,
    /// This device's id (see [`Copy::device`]).
    pub device: String,
    /// The asking page (see [`Store::by`]).
    pub by: u32,
}

/// A save of an open plan, ready to write: the page keeps the chunk log
/// and records the write when it is answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Store {
    pub plan: PlanId,
    pub write: Write,
    /// The asking page's id on the tabs' channel (`Tabs::id`): the other
    /// tabs are told of the save, that page is not.
    pub by: u32,
}

/// A share file to make of a plan on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MakeShare {
    pub plan: PlanId,
    /// The plan's changes the page has not stored yet (Automerge's saved
    /// form; empty when everything is stored), so the file holds everything
    /// the person sees.
    pub unsaved: Vec<u8>,
    pub parts: Vec<Section>,
    pub with_whom: Vec<Recipient>,
    pub passphrase: Option<String>,
    /// This device's id (see [`Copy::device`]).
    pub device: String,
    pub sender_name: String,
    pub sender_role: Role,
    /// The share's record, made where the person pressed "Create file": an
    /// engine asked again for the same act (its predecessor stopped after
    /// storing the record) finds it and records nothing more.
    pub share_id: String,
    /// When they pressed it (ms since 1970): the record's and the file's time.
    pub made_ms: i64,
}

/// A backup to restore on this device.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Restore {
    /// The backup file's text.
    pub text: String,
    pub passphrase: String,
    /// This device's id (see [`Copy::device`]).
    pub device: String,
}

/// What a restore stored. The device's settings in the backup are the
/// page's to apply (they live in the page's localStorage).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Stored {
    /// How many plans were added, merged, had nothing new, or were skipped
    /// (their copy here cannot be read, and is left as it is).
    pub tally: Tally,
    /// Plans written (added or merged), for the page to take into those it
    /// has open.
    pub changed: Vec<PlanId>,
    /// The device's settings in the backup, as the backup holds them.
    pub settings: DeviceSettings,
    pub made_ms: i64,
}

/// A step of long work, for the page's progress bar (its words are the
/// page's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Step {
    /// Checking plan `done` of `total` against the plan's limits.
    Checking,
    /// Storing plan `done` of `total`.
    Restoring,
    /// Putting plan `done` of `total` in a backup.
    BackingUp,
    /// Reading plan `done` of `total` (for the returns).
    Reading,
}

/// A share file to add, and who is adding it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Copy {
    /// The file's text, as picked or pasted.
    pub text: String,
    pub passphrase: Option<String>,
    /// The plan the person started from, if they did (a copy of another
    /// plan is refused).
    pub into: Option<PlanId>,
    /// This device's id: the engine makes its own session of it, so its
    /// changes are never mistaken for the page's.
    pub device: String,
    /// Who is adding it, recorded in a plan new to this device.
    pub me: Participant,
}

/// What adding a copy did (stored, and other tabs told, before it is said).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Added {
    /// The first copy of this plan on the device.
    Created(PlanId),
    Merged(PlanId, MergeReport),
    /// Everything in the copy was here already: nothing changed.
    NothingNew(PlanId),
}

/// The engine's answer to one [`Request`].
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum Reply {
    /// The work could not be done: a technical detail, never shown as it is.
    Failed(String),
    Added(Added),
    /// The copy was not added, and nothing was changed: what the person is
    /// told (`web/words/`, as the page would have said it) and the details
    /// for a technical person.
    Refused {
        message: String,
        details: Option<String>,
    },
    Restored(Stored),
    /// The share file's text; the share's record is stored in the plan.
    Shared {
        text: String,
    },
    /// The save is in IndexedDB, and the other tabs are told.
    Written,
    /// The snapshot's key and length; the chunks it replaces are deleted.
    Compacted {
        key: String,
        len: u64,
    },
    /// The backup file's text, how many plans it holds, and how many could
    /// not be read (left out, and left as they are).
    BackedUp {
        text: String,
        plans: u32,
        unreadable: u32,
    },
    /// The returns spreadsheet (CSV), and how many plans could not be read.
    Returns {
        text: String,
        unreadable: u32,
    },
    Read(Readout),
    Opened(Box<Opened>),
    /// The change is made and stored (the other tabs told), in this chunk;
    /// `None`: it changed nothing (the plan already said so).
    Changed(Option<Chunk>),
    /// A change the page does not show before its answer (a sign-off) is
    /// made and stored, with the plan's values after it.
    Made(Box<Made>),
    Live(LiveAnswer),
    /// A key is made and stored.
    Typed(Typed),
    /// A key or a change was made but could not be stored (the storage
    /// is full, or failed): nothing is kept, in the plan the engine holds
    /// either; the storage's words, for the save line. The page keeps it
    /// on screen and asks again.
    NotStored(String),
    /// The plan asked to open is not here, or cannot be read: what the
    /// screens say of it (the page loads nothing to find out).
    NotOpened(NotOpened),
    /// A share file's header: who sent it, when, what it holds and whether
    /// it is locked (its checksum and shape checked).
    Peeked(ShareHeader),
    /// The link as a QR code (SVG).
    Qr(String),
}

/// A message to the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum ToEngine {
    Ask { id: u32, request: Request },
}

/// A message from the engine.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum FromEngine {
    /// The engine listens (and speaks this version of the protocol).
    Ready {
        version: u32,
    },
    Answer {
        id: u32,
        reply: Reply,
    },
    /// How far the work asked for in request `id` has got (sent as it goes;
    /// the answer follows).
    Progress {
        id: u32,
        step: Step,
        done: u32,
        total: u32,
    },
    /// Adding a copy (request `id`) is about to store this. If the engine
    /// stops before it answers and a new engine, asked again, finds nothing
    /// new, this is what was done (the page keeps it until the answer).
    Storing {
        id: u32,
        added: Added,
    },
    /// Keeping in step changed (told unasked, as it happens).
    Live(LiveEvent),
}

/// Why bytes are not a message of this protocol.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Unreadable {
    /// Another version of the protocol (the found one, if it could be read).
    Version(Option<u32>),
    Malformed,
}

/// A message as bytes: the version, then the message.
pub fn encode<T: Serialize>(message: &T) -> Vec<u8> {
    let mut out = postcard::to_allocvec(&VERSION).unwrap_or_default();
    // Encoding into a growable buffer fails only on a serde error, which
    // these types (no maps with non-string keys, no untagged data) never
    // raise; an empty message is read as malformed on the other side.
    if let Ok(body) = postcard::to_allocvec(message) {
        out.extend_from_slice(&body);
    }
    out
}

/// The message in `bytes`, if it is one of this version.
pub fn decode<T: for<'de> Deserialize<'de>>(bytes: &[u8]) -> Result<T, Unreadable> {
    let (version, rest) =
        postcard::take_from_bytes::<u32>(bytes).map_err(|_| Unreadable::Version(None))?;
    if version != VERSION {
        return Err(Unreadable::Version(Some(version)));
    }
    match postcard::take_from_bytes::<T>(rest) {
        Ok((message, [])) => Ok(message),
        _ => Err(Unreadable::Malformed),
    }
}
