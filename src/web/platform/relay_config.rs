//! The deployment's choice of relay: `relay.json` beside `index.html`,
//! empty when the council has not set one up (see docs/deploy.md, "How a council deploys the relay"):
//!
//! * `{"relay": "wss://…"}`: one relay at that address (the pilot);
//! * `{"relay": "wss://…", "shards": N}`: the relay at council scale
//!   (docs/relay-at-scale.md), a base URL with shard `k` at `…/s/<k>`;
//!   [`crate::share::shard::RelayAddress`] says which socket a document
//!   uses.
//!
//! The Content-Security-Policy lets the page connect to that address (and
//! the paths under it) and no other.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

use crate::share::shard::RelayAddress;

/// The most shards a `relay.json` may name (a typo must not make the app
/// open thousands of sockets).
const MAX_SHARDS: u32 = 256;

/// The relay, if the deployment configured one.
pub async fn relay_address() -> Option<RelayAddress> {
    let window = web_sys::window()?;
    let response = JsFuture::from(window.fetch_with_str("relay.json"))
        .await
        .ok()?;
    let response: web_sys::Response = response.dyn_into().ok()?;
    if !response.ok() {
        return None;
    }
    let json = JsFuture::from(response.json().ok()?).await.ok()?;
    let url = js_sys::Reflect::get(&json, &"relay".into())
        .ok()?
        .as_string()?;
    let url = url.trim().to_owned();
    if !(url.starts_with("wss://")
        || url.starts_with("ws://127.0.0.1:")
        || url.starts_with("ws://localhost:"))
    {
        return None;
    }
    let shards = js_sys::Reflect::get(&json, &"shards".into()).ok()?;
    if shards.is_undefined() || shards.is_null() {
        return Some(RelayAddress::single(&url));
    }
    let n = shards.as_f64()?;
    (n.fract() == 0.0 && n >= 1.0 && n <= f64::from(MAX_SHARDS))
        .then(|| RelayAddress::sharded(&url, n as u32))
}
