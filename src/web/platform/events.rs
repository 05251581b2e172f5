//! Listening to the browser's events for the life of the page.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// Call `f` on every `event` of `target`, for as long as the page lives
/// (the app's own listeners: the window, the document, the service worker).
pub fn listen(target: &web_sys::EventTarget, event: &str, f: impl FnMut(web_sys::Event) + 'static) {
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    if target
        .add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
        .is_ok()
    {
        // The listener lives as long as the page: the closure must too.
        cb.forget();
    }
}
