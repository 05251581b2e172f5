//! Knowing that a worker has stopped, whatever stopped it, through the
//! browser's Web Locks: the worker holds a lock named for it for as long as
//! it lives, and the page asks for the same lock, which the browser grants
//! it only once the worker is gone — after an error it did not catch, but
//! also after it closed itself, was stopped for using too much memory, or
//! crashed, none of which tell the page anything. A browser without Web
//! Locks (Safari before 15.4) is told of uncaught errors only, as before.
//!
//! Hand-written over `navigator.locks.request` (two calls): web-sys has
//! `LockManager` only behind its unstable APIs flag.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Function, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen]
extern "C" {
    type LockManager;
    #[wasm_bindgen(method, js_name = request)]
    fn request(this: &LockManager, name: &str, callback: &Function) -> Promise;
}

/// This scope's `navigator.locks` (a page's or a worker's), if it has one.
fn locks() -> Option<LockManager> {
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let locks = Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then(|| locks.unchecked_into())
}

/// In a worker: hold the lock `name` for as long as this worker lives, then
/// run `held` (so whoever learns of it from `held` knows the lock is
/// held). Without Web Locks, or if the browser refuses the lock, `held`
/// runs at once (the page is then told of uncaught errors only).
pub fn hold_for_life(name: &str, held: impl FnOnce() + 'static) {
    let Some(locks) = locks() else {
        return held();
    };
    // Run once, whichever of the two comes.
    let held = Rc::new(Cell::new(Some(held)));
    let run = move || {
        if let Some(held) = held.take() {
            held();
        }
    };
    let granted = {
        let run = run.clone();
        Closure::once_into_js(move |_lock: JsValue| -> Promise {
            run();
            // Never settled: the lock is let go only when the worker ends.
            Promise::new(&mut |_, _| {})
        })
    };
    let asked = locks.request(name, granted.unchecked_ref());
    wasm_bindgen_futures::spawn_local(async move {
        if JsFuture::from(asked).await.is_err() {
            run();
        }
    });
}

/// On the page: run `gone` once the holder of the lock `name` has stopped
/// (see [`hold_for_life`]), however it stopped. Nothing happens without
/// Web Locks, or if the browser refuses the lock.
pub fn when_gone(name: &str, gone: impl FnOnce() + 'static) {
    let Some(locks) = locks() else {
        return;
    };
    let granted = Closure::once_into_js(move |_lock: JsValue| {
        gone();
        // Returning at once lets the lock go again.
    });
    let asked = locks.request(name, granted.unchecked_ref());
    // A refusal is heard (not left as an unhandled rejection) and nothing
    // else happens.
    wasm_bindgen_futures::spawn_local(async move {
        let _ = JsFuture::from(asked).await;
    });
}
