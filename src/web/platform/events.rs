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

/// Give the page a turn: resolves on the next task, after the browser has
/// handled input and painted. Long work yields with this between its steps
/// so "Exit this page" answers while it runs.
pub async fn next_turn() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let done = Closure::once_into_js(move || {
            let _ = resolve.call0(&JsValue::NULL);
        });
        match web_sys::window() {
            Some(w) => {
                if w.set_timeout_with_callback_and_timeout_and_arguments_0(done.unchecked_ref(), 0)
                    .is_err()
                {
                    let _ = done
                        .unchecked_ref::<js_sys::Function>()
                        .call0(&JsValue::NULL);
                }
            }
            None => {
                let _ = done
                    .unchecked_ref::<js_sys::Function>()
                    .call0(&JsValue::NULL);
            }
        }
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}
