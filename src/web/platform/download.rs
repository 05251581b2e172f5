//! Giving the person a file: the only way data leaves the device, and only
//! when they press a button.

use js_sys::{Array, Uint8Array};
use wasm_bindgen::JsCast;
use web_sys::{Blob, BlobPropertyBag, HtmlAnchorElement, Url};

/// Offer `bytes` as a download called `name`. Returns false if the browser refused.
pub fn offer(name: &str, mime: &str, bytes: &[u8]) -> bool {
    (|| -> Option<()> {
        let parts = Array::new();
        parts.push(&Uint8Array::from(bytes));
        let opts = BlobPropertyBag::new();
        opts.set_type(mime);
        let blob = Blob::new_with_u8_array_sequence_and_options(&parts, &opts).ok()?;
        let url = Url::create_object_url_with_blob(&blob).ok()?;
        let document = web_sys::window()?.document()?;
        let a: HtmlAnchorElement = document.create_element("a").ok()?.dyn_into().ok()?;
        a.set_href(&url);
        a.set_download(name);
        a.click();
        let _ = Url::revoke_object_url(&url);
        Some(())
    })()
    .is_some()
}
