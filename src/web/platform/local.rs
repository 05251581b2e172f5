//! localStorage, its values JSON as every release has written them
//! (gloo-storage's form until protocol 19), read and written with the
//! browser's own `JSON`, so the page module carries no JSON code of its
//! own (issue #21: a smaller first download). A value that is missing, is
//! not JSON or is not of the shape asked reads as none, as with
//! gloo-storage; a write localStorage refuses (private browsing, full) is
//! lost, which the callers can live with.

use std::collections::BTreeMap;

use js_sys::{Array, Object, Reflect, JSON};
use wasm_bindgen::{JsCast, JsValue};

/// This page's localStorage, if it may use it.
pub fn local() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok()?
}

/// The value under `key`, as the browser reads its JSON.
pub fn get(key: &str) -> Option<JsValue> {
    let text = local()?.get_item(key).ok()??;
    JSON::parse(&text).ok()
}

/// Keep `value` under `key`, as JSON.
pub fn put(key: &str, value: &JsValue) {
    if let (Some(local), Ok(text)) = (local(), JSON::stringify(value)) {
        let _ = local.set_item(key, &String::from(text));
    }
}

pub fn delete(key: &str) {
    if let Some(local) = local() {
        let _ = local.remove_item(key);
    }
}

pub fn get_string(key: &str) -> Option<String> {
    get(key)?.as_string()
}

pub fn put_string(key: &str, value: &str) {
    put(key, &JsValue::from_str(value));
}

/// A whole number (milliseconds since 1970, as serde wrote an `i64`).
pub fn get_i64(key: &str) -> Option<i64> {
    whole(&get(key)?)
}

pub fn put_i64(key: &str, value: i64) {
    // Every time this app keeps is well inside f64's exact integers.
    put(key, &JsValue::from_f64(value as f64));
}

/// A whole number (none for anything else).
pub fn whole(v: &JsValue) -> Option<i64> {
    let n = v.as_f64()?;
    (n.fract() == 0.0 && n.abs() <= 9_007_199_254_740_991.0).then_some(n as i64)
}

/// A list of strings (none if any item is not one).
pub fn strings(v: &JsValue) -> Option<Vec<String>> {
    v.dyn_ref::<Array>()?
        .iter()
        .map(|s| s.as_string())
        .collect()
}

pub fn string_list<'a>(items: impl IntoIterator<Item = &'a str>) -> JsValue {
    items
        .into_iter()
        .map(JsValue::from_str)
        .collect::<Array>()
        .into()
}

/// A JSON object's own fields (none for anything else, a list included).
pub fn fields(v: &JsValue) -> Option<Vec<(String, JsValue)>> {
    if !v.is_object() || Array::is_array(v) {
        return None;
    }
    Object::entries(v.unchecked_ref())
        .iter()
        .map(|pair| {
            let pair: Array = pair.dyn_into().ok()?;
            Some((pair.get(0).as_string()?, pair.get(1)))
        })
        .collect()
}

/// A map of strings to strings (none if any value is not a string).
pub fn get_map(key: &str) -> Option<BTreeMap<String, String>> {
    fields(&get(key)?)?
        .into_iter()
        .map(|(k, v)| Some((k, v.as_string()?)))
        .collect()
}

/// A JSON object of these fields, in this order.
pub fn object<'a>(entries: impl IntoIterator<Item = (&'a str, JsValue)>) -> JsValue {
    let out = Object::new();
    for (k, v) in entries {
        let _ = Reflect::set(&out, &JsValue::from_str(k), &v);
    }
    out.into()
}

/// One field of a JSON object.
pub fn field(v: &JsValue, name: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(name)).unwrap_or(JsValue::UNDEFINED)
}

/// An optional field as serde reads it (`#[serde(default)]` on an
/// `Option`): missing or `null` is `Some(None)`; a value `read` takes is
/// `Some(Some(…))`; anything else is `None` (the whole entry does not read).
pub fn optional<T>(v: &JsValue, read: impl Fn(&JsValue) -> Option<T>) -> Option<Option<T>> {
    if v.is_undefined() || v.is_null() {
        return Some(None);
    }
    read(v).map(Some)
}

/// Bytes as standard base64 (with padding), written by the browser's own
/// `btoa`, so the page module carries no base64 code (issue #21). The
/// same text the `base64` crate's `STANDARD` engine writes.
pub fn to_base64(bytes: &[u8]) -> Option<String> {
    // `btoa` takes a "binary string": one character per byte, 0 to 255.
    let binary: String = bytes.iter().map(|&b| char::from(b)).collect();
    web_sys::window()?.btoa(&binary).ok()
}

/// Standard base64 read back by the browser's own `atob`: none for text
/// that is not base64.
pub fn from_base64(text: &str) -> Option<Vec<u8>> {
    let binary = web_sys::window()?.atob(text).ok()?;
    binary
        .chars()
        .map(|c| u8::try_from(u32::from(c)).ok())
        .collect()
}
