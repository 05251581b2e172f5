//! Tabs of this app on one device tell each other when they have saved, over
//! a BroadcastChannel; the listening tab then merges the new chunks from
//! IndexedDB. Nothing leaves the device: a BroadcastChannel reaches only
//! pages of the same origin in the same browser.

use js_sys::{Object, Reflect, JSON};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{BroadcastChannel, MessageEvent};

const CHANNEL: &str = "carer-support-plan";

/// What one tab tells the others, sent as the JSON text
/// `{"kind":"saved","plan":"<id>"}` (or `"deleted"`), which tabs of earlier
/// releases also send and read. The browser's own `JSON` writes and reads
/// it: serde's code for a tagged enum would add to the download (BENCHMARKS.md,
/// "Build trims").
#[derive(Debug, Clone, PartialEq)]
pub enum TabMessage {
    /// A plan's chunks or summary changed in storage.
    Saved { plan: String },
    /// A plan was deleted from the device.
    Deleted { plan: String },
}

pub struct Tabs {
    channel: Option<BroadcastChannel>,
}

impl Tabs {
    /// Listen for other tabs. Without BroadcastChannel the app still works;
    /// tabs then see each other's changes when a plan is opened again.
    pub fn listen(on_message: impl Fn(TabMessage) + 'static) -> Tabs {
        let channel = BroadcastChannel::new(CHANNEL).ok();
        if let Some(ch) = &channel {
            let cb = Closure::<dyn FnMut(MessageEvent)>::new(move |e: MessageEvent| {
                let parsed = e.data().as_string().and_then(|s| TabMessage::read(&s));
                if let Some(msg) = parsed {
                    on_message(msg);
                }
            });
            ch.set_onmessage(Some(cb.as_ref().unchecked_ref()));
            cb.forget();
        }
        Tabs { channel }
    }

    pub fn announce(&self, msg: &TabMessage) {
        if let (Some(ch), Some(json)) = (&self.channel, msg.write()) {
            let _ = ch.post_message(&JsValue::from_str(&json));
        }
    }
}

impl TabMessage {
    fn write(&self) -> Option<String> {
        let (kind, plan) = match self {
            TabMessage::Saved { plan } => ("saved", plan),
            TabMessage::Deleted { plan } => ("deleted", plan),
        };
        let o = Object::new();
        Reflect::set(&o, &"kind".into(), &kind.into()).ok()?;
        Reflect::set(&o, &"plan".into(), &plan.into()).ok()?;
        JSON::stringify(&o).ok()?.as_string()
    }

    /// The message a JSON text is, if it is one (anything else is ignored).
    fn read(json: &str) -> Option<TabMessage> {
        let o = JSON::parse(json).ok().filter(JsValue::is_object)?;
        let field = |name: &str| Reflect::get(&o, &name.into()).ok()?.as_string();
        let plan = field("plan")?;
        match field("kind")?.as_str() {
            "saved" => Some(TabMessage::Saved { plan }),
            "deleted" => Some(TabMessage::Deleted { plan }),
            _ => None,
        }
    }
}
