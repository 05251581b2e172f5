//! Listening to the browser's events for the life of the page.

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;

/// A listener on a browser event; removed when dropped (nothing leaked).
pub struct Listener {
    target: web_sys::EventTarget,
    event: String,
    cb: Closure<dyn FnMut(web_sys::Event)>,
}

impl Drop for Listener {
    fn drop(&mut self) {
        let _ = self
            .target
            .remove_event_listener_with_callback(&self.event, self.cb.as_ref().unchecked_ref());
    }
}

/// Call `f` on every `event` of `target` for as long as the returned
/// listener is kept (the app keeps its own in its context: `App::keep`).
#[must_use]
pub fn listen(
    target: &web_sys::EventTarget,
    event: &str,
    f: impl FnMut(web_sys::Event) + 'static,
) -> Option<Listener> {
    let cb = Closure::<dyn FnMut(web_sys::Event)>::new(f);
    target
        .add_event_listener_with_callback(event, cb.as_ref().unchecked_ref())
        .ok()?;
    Some(Listener {
        target: target.clone(),
        event: event.to_owned(),
        cb,
    })
}

/// Give the page a turn: resolves on the next task, after the browser has
/// handled input and painted. Long work yields with this between its steps
/// so "Exit this page" answers while it runs.
pub async fn next_turn() {
    sleep_ms(0).await;
}

/// Resolve after `ms` milliseconds (a task of its own), or at once in a
/// browser that refuses a timer.
pub async fn sleep_ms(ms: i32) {
    let wait = std::time::Duration::from_millis(ms.max(0) as u64);
    // A timeout (Leptos' `set_timeout_with_handle`).
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let at_once = resolve.clone();
        let later = move || {
            let _ = resolve.call0(&JsValue::NULL);
        };
        if leptos::prelude::set_timeout_with_handle(later, wait).is_err() {
            // A browser that refuses a timer: carry on at once.
            let _ = at_once.call0(&JsValue::NULL);
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
