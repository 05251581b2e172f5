//! Tabs of this app on one device tell each other when they have saved, over
//! a BroadcastChannel; the listening tab then merges the new chunks from
//! IndexedDB. Nothing leaves the device: a BroadcastChannel reaches only
//! pages of the same origin in the same browser.

use serde::{Deserialize, Serialize};

use crate::plan::PlanId;
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "carer-support-plan";

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "kebab-case")]
pub enum TabMessage {
    /// A plan's chunks or summary changed in storage.
    Saved { plan: PlanId },
    /// A plan was deleted from the device.
    Deleted { plan: PlanId },
}

pub struct Tabs {
    channel: Option<BroadcastChannel>,
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
        let mut handler = None;
        if let Some(ch) = &channel {
            let cb = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                // A message whose plan is not a plan id does not read.
                let parsed = e
                    .data()
                    .as_string()
                    .and_then(|s| serde_json::from_str::<TabMessage>(&s).ok());
                if let Some(msg) = parsed {
                    on_message(msg);
                }
            });
            ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
            handler = Some(cb);
        }
        Tabs {
            channel,
            _on_message: handler,
        }
    }

    pub fn announce(&self, msg: &TabMessage) {
        if let (Some(ch), Ok(json)) = (&self.channel, serde_json::to_string(msg)) {
            let _ = ch.post_message(&JsValue::from_str(&json));
        }
    }
}
