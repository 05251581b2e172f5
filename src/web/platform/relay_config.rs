//! The deployment's choice of relay: `relay.json` beside `index.html`,
//! `{"relay": "wss://…"}`, empty when the council has not set one up (see
//! README, "Live sync"). The Content-Security-Policy lets the page connect
//! to that address and no other.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// The relay's address, if the deployment configured one.
pub async fn relay_url() -> Option<String> {
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
    (url.starts_with("wss://")
        || url.starts_with("ws://127.0.0.1:")
        || url.starts_with("ws://localhost:"))
    .then_some(url)
}
