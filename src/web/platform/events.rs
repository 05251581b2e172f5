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
