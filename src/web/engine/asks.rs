//! The page's requests of the engine worker, one call each: what to ask
//! and what becomes of the answer (`None`: no engine did it; the page then
//! saves, changes or reads the open plan itself, and says long work cannot
//! be done just now).
//! How they are sent, answered and asked again is `link.rs`.

use super::link::{EngineLink, Outcome, Progress};
use super::protocol::{
    BackUp, Change, Compact, Copy, MakeShare, Open, Read, Reply, Request, Restore, Returns, Store,
};

impl EngineLink {
    /// Add a copy someone sent, in the engine. `None`: no engine can run
    /// (or it could not start on this device).
    pub async fn add_copy(&self, copy: Copy) -> Option<Reply> {
        worked(self.ask(Request::AddCopy(copy)).await)
    }

    /// Read a share file's header in the engine. `None`: no engine could.
    pub async fn peek(&self, text: String) -> Option<Reply> {
        worked(self.ask(Request::Peek(text)).await)
    }

    /// Draw a link as a QR code in the engine. `None`: no engine could.
    pub async fn qr(&self, link: String) -> Option<Reply> {
        worked(self.ask(Request::Qr(link)).await)
    }

    /// Make a share file in the engine. `None`: no engine could.
    pub async fn make_share(&self, ask: MakeShare) -> Option<Reply> {
        worked(self.ask(Request::MakeShare(ask)).await)
    }

    /// Back up every plan in the engine; `progress` hears how far it has
    /// got. `None`: no engine could.
    pub async fn back_up(&self, ask: BackUp, progress: Progress) -> Option<Reply> {
        worked(self.ask_telling(Request::BackUp(ask), Some(progress)).await)
    }

    /// The returns spreadsheet, written in the engine; `progress` hears how
    /// far it has got. `None`: no engine could.
    pub async fn returns(&self, ask: Returns, progress: Progress) -> Option<Reply> {
        worked(
            self.ask_telling(Request::Returns(ask), Some(progress))
                .await,
        )
    }

    /// Read a plan for a screen in the engine. `None`: the page reads it
    /// itself (no engine, or the engine could not: `Failed` is not passed
    /// on, as the page's own read says why in its words).
    pub async fn read(&self, ask: Read) -> Option<Reply> {
        worked(self.ask(Request::Read(ask)).await)
    }

    /// Open a plan in the engine, which holds it for the reads that follow.
    /// `None`: no engine runs, or it could not read the plan (the page's
    /// own load says why).
    pub async fn open(&self, ask: Open) -> Option<Reply> {
        worked(self.ask(Request::Open(ask)).await)
    }

    /// Make a named change in the engine (the page asks only while it is
    /// free, or when changes it asked for are still in flight, which this
    /// one must follow). `None`: the page makes it itself.
    pub async fn change(&self, ask: Change) -> Option<Reply> {
        worked(self.ask(Request::Change(ask)).await)
    }

    /// Make a key typed in an answer's box in the engine. `None`: no
    /// engine made it (none runs, or one stopped with it in hand: the page
    /// settles the box).
    pub async fn type_key(&self, ask: super::protocol::Type) -> Option<Reply> {
        worked(self.ask(Request::Type(ask)).await)
    }

    /// Start a new plan in the engine. `None`: no engine made it (the page
    /// makes it itself).
    pub async fn create(&self, ask: super::protocol::Create) -> Option<Reply> {
        worked(self.ask(Request::Create(ask)).await)
    }

    /// Keeping in step, which only the engine does. `None`: no engine runs.
    pub async fn live(&self, ask: super::protocol::LiveAsk) -> Option<Reply> {
        worked(self.ask(Request::Live(ask)).await)
    }

    /// Restore a backup in the engine; `progress` hears how far it has got.
    /// `None`: no engine could.
    pub async fn restore(&self, ask: Restore, progress: Progress) -> Option<Reply> {
        worked(
            self.ask_telling(Request::Restore(ask), Some(progress))
                .await,
        )
    }

    /// Write a save the page prepared, in the engine, if the engine is
    /// running and not busy with long work (a passphrase's key, a restore:
    /// a keystroke's save must not wait seconds behind them). `None`: the
    /// page writes it itself — now (the engine was not free), or after the
    /// engine failed to (its reply said why) or stopped for good.
    pub async fn store(&self, ask: Store) -> Option<Reply> {
        if !self.free() {
            return None;
        }
        worked(self.ask(Request::Store(ask)).await)
    }

    /// Compact a plan's stored chunks in the engine, if it is running and
    /// free (as [`Self::store`]). `None`: it was not, or stopped for good
    /// (ask again later, or compact on the page); `Failed`: it could not.
    pub async fn compact(&self, ask: Compact) -> Option<Reply> {
        if !self.free() {
            return None;
        }
        match self.ask(Request::Compact(ask)).await {
            Outcome::Answered(reply) => Some(reply),
            Outcome::OnThePage => None,
        }
    }
}

/// The engine's reply, unless the page must do the work itself (no engine,
/// or the engine could not: a device id it cannot read).
fn worked(outcome: Outcome) -> Option<Reply> {
    match outcome {
        Outcome::Answered(Reply::Failed(_)) | Outcome::OnThePage => None,
        Outcome::Answered(reply) => Some(reply),
    }
}
