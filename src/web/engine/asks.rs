//! The page's requests of the engine worker, one call each: what to ask
//! and what becomes of the answer (`None`: the page does the work itself).
//! How they are sent, answered and asked again is `link.rs`.

use super::link::{worked, EngineLink, Outcome, Progress};
use super::protocol::{
    BackUp, Change, Compact, Copy, MakeShare, Open, Read, Reply, Request, Restore, Returns, Store,
};
use crate::share::{CryptoError, Kdf, Key};
use crate::web::platform::events::next_turn;

impl EngineLink {
    /// A passphrase's key under a lock's settings, derived by the engine
    /// (or, when no engine can run, here after a turn for the page).
    pub async fn derive_key(&self, passphrase: &str, kdf: &Kdf) -> Result<Key, CryptoError> {
        let request = Request::DeriveKey {
            passphrase: passphrase.to_owned(),
            kdf: kdf.clone(),
        };
        match self.ask(request).await {
            Outcome::Answered(Reply::Key(key)) => Ok(key),
            // The engine says why in its own words (a technical detail);
            // the page knows only that the engine could not.
            Outcome::Answered(_) => Err(CryptoError::Engine),
            Outcome::OnThePage => {
                next_turn().await;
                crate::share::derive(passphrase, kdf)
            }
        }
    }

    /// Add a copy someone sent, in the engine. `None`: no engine can run
    /// (or it could not start on this device), so the page adds it itself.
    pub async fn add_copy(&self, copy: Copy) -> Option<Reply> {
        worked(self.ask(Request::AddCopy(copy)).await)
    }

    /// Make a share file in the engine. `None`: the page makes it itself.
    pub async fn make_share(&self, ask: MakeShare) -> Option<Reply> {
        worked(self.ask(Request::MakeShare(ask)).await)
    }

    /// Back up every plan in the engine; `progress` hears how far it has
    /// got. `None`: the page backs them up itself.
    pub async fn back_up(&self, ask: BackUp, progress: Progress) -> Option<Reply> {
        worked(self.ask_telling(Request::BackUp(ask), Some(progress)).await)
    }

    /// The returns spreadsheet, written in the engine; `progress` hears how
    /// far it has got. `None`: the page writes it itself.
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

    /// Keeping in step, which only the engine does. `None`: no engine runs.
    pub async fn live(&self, ask: super::protocol::LiveAsk) -> Option<Reply> {
        worked(self.ask(Request::Live(ask)).await)
    }

    /// Restore a backup in the engine; `progress` hears how far it has got.
    /// `None`: the page restores it itself.
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
