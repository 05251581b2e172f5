//! IndexedDB, promise-wrapped: the plans' chunks and the list of plans.
//!
//! Two object stores in one database:
//! * `chunks`: key = chunk key (see `core::persist`), value = Uint8Array;
//! * `plans`: key = plan id, value = the plan's summary as a JSON string.
//!
//! Every transaction issues all its requests at once and then awaits only
//! its completion, so it never goes inactive between awaits.

use js_sys::{Array, Promise, Uint8Array};
use std::rc::Rc;
use thiserror::Error;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use web_sys::{
    IdbDatabase, IdbKeyRange, IdbObjectStore, IdbRequest, IdbTransaction, IdbTransactionMode,
};

const DB_NAME: &str = "carer-support-plan";
const DB_VERSION: u32 = 1;
pub const CHUNKS: &str = "chunks";
pub const PLANS: &str = "plans";

#[derive(Debug, Clone, Error, PartialEq)]
pub enum StoreError {
    /// The browser's own words (kept for a technical person, never shown).
    #[error("This browser is not letting the app keep anything on this device. Private browsing can do this.")]
    Unavailable(String),
    #[error("This device's storage is full, so your latest changes are not kept yet.")]
    Full,
    #[error("Saving on this device failed. The app will try again.")]
    Failed(String),
}

fn describe(v: &JsValue) -> String {
    if let Some(e) = v.dyn_ref::<web_sys::DomException>() {
        return format!("{}: {}", e.name(), e.message());
    }
    if let Some(e) = v.dyn_ref::<js_sys::Error>() {
        return String::from(e.message());
    }
    v.as_string().unwrap_or_else(|| "unknown error".into())
}

fn failed(v: JsValue) -> StoreError {
    let is_quota = v
        .dyn_ref::<web_sys::DomException>()
        .is_some_and(|e| e.name() == "QuotaExceededError");
    if is_quota {
        StoreError::Full
    } else {
        StoreError::Failed(describe(&v))
    }
}

/// A promise settled by a request's success or error event.
fn request(req: &IdbRequest) -> JsFuture {
    let req = req.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let r = req.clone();
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call1(&JsValue::NULL, &r.result().unwrap_or(JsValue::UNDEFINED));
        });
        let r = req.clone();
        let err = Closure::once_into_js(move |_: web_sys::Event| {
            let e = r
                .error()
                .ok()
                .flatten()
                .map(JsValue::from)
                .unwrap_or(JsValue::NULL);
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        req.set_onsuccess(Some(ok.unchecked_ref()));
        req.set_onerror(Some(err.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// A promise settled when a transaction commits, or fails with its error.
///
/// Only `complete` and `abort` settle it: each fires at most once, and
/// exactly one of them fires. A transaction's `error` event is not used: it
/// fires once for every request that fails (an aborted transaction fails
/// each of its pending requests), so a one-shot handler on it would be
/// called again after it was dropped; a failed request aborts the
/// transaction anyway, and its error is then the transaction's `error`.
fn done(tx: &IdbTransaction) -> JsFuture {
    let tx = tx.clone();
    let promise = Promise::new(&mut |resolve, reject| {
        let ok = Closure::once_into_js(move |_: web_sys::Event| {
            let _ = resolve.call0(&JsValue::NULL);
        });
        let t = tx.clone();
        let abort = Closure::once_into_js(move |_: web_sys::Event| {
            let e = t
                .error()
                .map(JsValue::from)
                .unwrap_or_else(|| JsValue::from_str("the save was cancelled"));
            let _ = reject.call1(&JsValue::NULL, &e);
        });
        tx.set_oncomplete(Some(ok.unchecked_ref()));
        tx.set_onabort(Some(abort.unchecked_ref()));
    });
    JsFuture::from(promise)
}

/// The open database.
#[derive(Clone, Debug)]
// The second field is held, not read: it keeps the handler alive.
pub struct Db(
    IdbDatabase,
    #[expect(dead_code, reason = "held to keep the handler")] Rc<OnVersionChange>,
);

/// The database's "another tab is upgrading" handler, kept as long as any
/// handle to the database is, and taken off when the last one goes.
struct OnVersionChange {
    db: IdbDatabase,
    _cb: Closure<dyn FnMut()>,
}

impl std::fmt::Debug for OnVersionChange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("OnVersionChange")
    }
}

impl Drop for OnVersionChange {
    fn drop(&mut self) {
        self.db.set_onversionchange(None);
    }
}

/// One atomic write: chunks to add, chunks to delete, summaries to set or
/// remove. Made on the page and written there or, whole, by the engine
/// worker (`engine::protocol::Store`).
#[derive(Default, Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Write {
    pub put_chunks: Vec<(String, Vec<u8>)>,
    pub delete_chunks: Vec<String>,
    pub delete_chunk_range: Option<(String, String)>,
    pub put_plans: Vec<(String, String)>,
    pub delete_plans: Vec<String>,
}

/// IndexedDB of this page or of the engine worker (a worker has no window;
/// its global scope holds the same factory, on the same origin's data).
fn factory() -> Result<web_sys::IdbFactory, StoreError> {
    let found = match web_sys::window() {
        Some(window) => window.indexed_db(),
        None => js_sys::global()
            .dyn_into::<web_sys::WorkerGlobalScope>()
            .map_err(|_| StoreError::Unavailable("neither a window nor a worker".into()))?
            .indexed_db(),
    };
    found
        .map_err(|e| StoreError::Unavailable(describe(&e)))?
        .ok_or_else(|| StoreError::Unavailable("IndexedDB is missing".into()))
}

impl Db {
    pub async fn open() -> Result<Db, StoreError> {
        Self::open_named(DB_NAME).await
    }

    /// Open (creating if need be) a database of this app's shape; tests use their own names.
    pub async fn open_named(name: &str) -> Result<Db, StoreError> {
        let factory = factory()?;
        let open = factory
            .open_with_u32(name, DB_VERSION)
            .map_err(|e| StoreError::Unavailable(describe(&e)))?;
        let upgrade = Closure::<dyn FnMut(web_sys::IdbVersionChangeEvent)>::new(
            move |e: web_sys::IdbVersionChangeEvent| {
                let db = e
                    .target()
                    .and_then(|t| t.dyn_into::<IdbRequest>().ok())
                    .and_then(|r| r.result().ok())
                    .and_then(|r| r.dyn_into::<IdbDatabase>().ok());
                if let Some(db) = db {
                    let names = db.object_store_names();
                    for store in [CHUNKS, PLANS] {
                        if !names.contains(store) {
                            let _ = db.create_object_store(store);
                        }
                    }
                }
            },
        );
        open.set_onupgradeneeded(Some(upgrade.as_ref().unchecked_ref()));
        let result = request(&open).await;
        drop(upgrade);
        let db = result
            .map_err(|e| StoreError::Unavailable(describe(&e)))?
            .dyn_into::<IdbDatabase>()
            .map_err(|_| StoreError::Unavailable("not a database".into()))?;
        // Another tab upgrading the database asks us to let go.
        let d = db.clone();
        let on_change = Closure::<dyn FnMut()>::new(move || d.close());
        db.set_onversionchange(Some(on_change.as_ref().unchecked_ref()));
        let kept = Rc::new(OnVersionChange {
            db: db.clone(),
            _cb: on_change,
        });
        Ok(Db(db, kept))
    }

    fn tx(&self, stores: &[&str], mode: IdbTransactionMode) -> Result<IdbTransaction, StoreError> {
        let names = Array::new();
        for s in stores {
            names.push(&JsValue::from_str(s));
        }
        self.0
            .transaction_with_str_sequence_and_mode(&names, mode)
            .map_err(failed)
    }

    fn store(tx: &IdbTransaction, name: &str) -> Result<IdbObjectStore, StoreError> {
        tx.object_store(name).map_err(failed)
    }

    fn range(lower: &str, upper: &str) -> Result<IdbKeyRange, StoreError> {
        IdbKeyRange::bound_with_lower_open_and_upper_open(
            &JsValue::from_str(lower),
            &JsValue::from_str(upper),
            false,
            true,
        )
        .map_err(failed)
    }

    /// Every chunk whose key is in `[lower, upper)`, with its bytes.
    pub async fn chunks_in(
        &self,
        lower: &str,
        upper: &str,
    ) -> Result<Vec<(String, Vec<u8>)>, StoreError> {
        let tx = self.tx(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let store = Self::store(&tx, CHUNKS)?;
        let range = Self::range(lower, upper)?;
        let keys = store.get_all_keys_with_key(&range).map_err(failed)?;
        let values = store.get_all_with_key(&range).map_err(failed)?;
        let keys = request(&keys).await.map_err(failed)?;
        let values = request(&values).await.map_err(failed)?;
        let keys: Array = keys.unchecked_into();
        let values: Array = values.unchecked_into();
        let mut out = Vec::with_capacity(keys.length() as usize);
        for (k, v) in keys.iter().zip(values.iter()) {
            // Anything that is not a string key with bytes was not written by
            // this app: pass it over rather than fail every plan.
            if let (Some(k), Some(v)) = (k.as_string(), v.dyn_ref::<Uint8Array>()) {
                out.push((k, v.to_vec()));
            }
        }
        Ok(out)
    }

    /// The keys of the chunks in `[lower, upper)`.
    pub async fn chunk_keys_in(&self, lower: &str, upper: &str) -> Result<Vec<String>, StoreError> {
        let tx = self.tx(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let store = Self::store(&tx, CHUNKS)?;
        let keys = store
            .get_all_keys_with_key(&Self::range(lower, upper)?.into())
            .map_err(failed)?;
        let keys: Array = request(&keys).await.map_err(failed)?.unchecked_into();
        Ok(keys.iter().filter_map(|k| k.as_string()).collect())
    }

    /// One chunk's bytes, if it is there.
    pub async fn chunk(&self, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.tx(&[CHUNKS], IdbTransactionMode::Readonly)?;
        let store = Self::store(&tx, CHUNKS)?;
        let req = store.get(&JsValue::from_str(key)).map_err(failed)?;
        let v = request(&req).await.map_err(failed)?;
        Ok(v.dyn_ref::<Uint8Array>().map(|a| a.to_vec()))
    }

    /// Every value of the `plans` store that is a string.
    pub async fn plan_summaries(&self) -> Result<Vec<String>, StoreError> {
        let tx = self.tx(&[PLANS], IdbTransactionMode::Readonly)?;
        let store = Self::store(&tx, PLANS)?;
        let req = store.get_all().map_err(failed)?;
        let all: Array = request(&req).await.map_err(failed)?.unchecked_into();
        Ok(all.iter().filter_map(|v| v.as_string()).collect())
    }

    /// Apply a [`Write`] in one transaction: all of it or none of it.
    ///
    /// The requests are issued when this is called, not when the future is
    /// first polled, so a save started while the page is being hidden or
    /// closed is already with the browser when the handler returns.
    pub fn write(&self, w: Write) -> impl std::future::Future<Output = Result<(), StoreError>> {
        let issued = self.issue_write(w);
        async move {
            match issued {
                Ok(tx) => done(&tx).await.map(|_| ()).map_err(failed),
                Err(e) => Err(e),
            }
        }
    }

    fn issue_write(&self, w: Write) -> Result<IdbTransaction, StoreError> {
        let tx = self.tx(&[CHUNKS, PLANS], IdbTransactionMode::Readwrite)?;
        let chunks = Self::store(&tx, CHUNKS)?;
        let plans = Self::store(&tx, PLANS)?;
        let issue = || -> Result<(), JsValue> {
            if let Some((lo, hi)) = &w.delete_chunk_range {
                chunks.delete(
                    &Self::range(lo, hi)
                        .map_err(|e| JsValue::from_str(&e.to_string()))?
                        .into(),
                )?;
            }
            for k in &w.delete_chunks {
                chunks.delete(&JsValue::from_str(k))?;
            }
            for (k, bytes) in &w.put_chunks {
                chunks.put_with_key(&Uint8Array::from(bytes.as_slice()), &JsValue::from_str(k))?;
            }
            for k in &w.delete_plans {
                plans.delete(&JsValue::from_str(k))?;
            }
            for (k, json) in &w.put_plans {
                plans.put_with_key(&JsValue::from_str(json), &JsValue::from_str(k))?;
            }
            Ok(())
        };
        if let Err(e) = issue() {
            let _ = tx.abort();
            return Err(failed(e));
        }
        Ok(tx)
    }
}
