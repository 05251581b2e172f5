//! Tabs of this app on one device tell each other when they have saved, over
//! a BroadcastChannel; the listening tab then merges the new chunks from
//! IndexedDB. Nothing leaves the device: a BroadcastChannel reaches only
//! pages of the same origin in the same browser.
//!
//! A message is postcard bytes (as the engine's protocol) after a byte
//! naming their form, in a `Uint8Array`: the page carries no JSON reader.
//! Earlier releases sent JSON text; a tab of one and a tab of this (an
//! update half taken) pass over each other's messages, and see each
//! other's changes when a plan is opened again, as without a channel.

use serde::{Deserialize, Serialize};

use crate::plan::PlanId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "carer-support-plan";

/// The form of this release's messages: bumped when their shape changes.
const FORM: u8 = 2;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TabMessage {
    /// A plan's chunks or summary changed in storage. `by`: the page whose
    /// save the engine worker wrote for it (`Tabs::id`), which has it
    /// already; none from a page that wrote its own (a page never hears
    /// itself), from the engine's own work, or from earlier versions.
    Saved {
        plan: PlanId,
        by: Option<u32>,
        /// The save was the engine's compaction: the snapshot and the
        /// chunks it replaced.
        compacted: Option<Compacted>,
    },
    /// A plan was deleted from the device.
    Deleted { plan: PlanId },
}

/// A snapshot written in place of exactly the chunks `removed` (the engine
/// worker's compaction, `engine/storage.rs`): it holds the same changes, so
/// a tab that read them all records it without reading it (a long plan's
/// snapshot took a phone's other tab over a second to load, 4× CPU).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Compacted {
    pub key: String,
    pub len: u64,
    pub removed: Vec<String>,
}

pub struct Tabs {
    channel: Option<BroadcastChannel>,
    /// This page's own id on the channel, for the saves the engine writes
    /// for it (see [`TabMessage::Saved`]).
    id: u32,
    /// The message handler, kept as long as the channel listens to it.
    _on_message: Option<Closure<dyn FnMut(MessageEvent)>>,
}

impl Drop for Tabs {
    fn drop(&mut self) {
        if let Some(ch) = &self.channel {
            ch.set_onmessage(None);
        }
    }
}

impl Tabs {
    /// Listen for other tabs. Without BroadcastChannel the app still works;
    /// tabs then see each other's changes when a plan is opened again.
    pub fn listen(on_message: impl Fn(TabMessage) + 'static) -> Tabs {
        let channel = BroadcastChannel::new(CHANNEL).ok();
        let id = (js_sys::Math::random() * f64::from(u32::MAX)) as u32;
        let mut handler = None;
        if let Some(ch) = &channel {
            let cb = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                // A message whose plan is not a plan id does not read.
                let parsed = e
                    .data()
                    .dyn_into::<js_sys::Uint8Array>()
                    .ok()
                    .map(|bytes| bytes.to_vec())
                    .and_then(|bytes| match bytes.split_first() {
                        Some((&FORM, rest)) => postcard::from_bytes::<TabMessage>(rest).ok(),
                        _ => None,
                    });
                match parsed {
                    // Its own save, written by its engine: nothing new here.
                    Some(TabMessage::Saved { by: Some(by), .. }) if by == id => {}
                    Some(msg) => on_message(msg),
                    None => {}
                }
            });
            ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
            handler = Some(cb);
        }
        Tabs {
            channel,
            id,
            _on_message: handler,
        }
    }

    /// This page's id on the channel.
    pub fn id(&self) -> u32 {
        self.id
    }

    pub fn announce(&self, msg: &TabMessage) {
        let Some(ch) = &self.channel else { return };
        let mut bytes = vec![FORM];
        if let Ok(body) = postcard::to_allocvec(msg) {
            bytes.extend_from_slice(&body);
            let _ = ch.post_message(&js_sys::Uint8Array::from(&bytes[..]));
        }
    }
}
