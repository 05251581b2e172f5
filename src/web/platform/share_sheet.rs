//! Handing a share file to the person: the phone's share sheet
//! (`navigator.share`, looked up at run time since not every browser has
//! it), the clipboard, and reading a file they picked. Each happens only
//! when they press a button.

use js_sys::{Array, Function, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

use crate::share::file::{ShareError, MAX_SHARE_BYTES};
use crate::web::words::Words;

fn navigator() -> Option<web_sys::Navigator> {
    web_sys::window().map(|w| w.navigator())
}

pub fn text_file(name: &str, text: &str) -> Option<web_sys::File> {
    let parts = Array::of1(&JsValue::from_str(text));
    let opts = web_sys::FilePropertyBag::new();
    opts.set_type("text/plain");
    web_sys::File::new_with_str_sequence_and_options(&parts, name, &opts).ok()
}

/// `navigator.canShare({ files })`, looked up at run time (not every
/// browser has it).
pub fn can_share(file: &web_sys::File) -> bool {
    (|| {
        let nav = navigator()?;
        let f: Function = Reflect::get(&nav, &"canShare".into())
            .ok()?
            .dyn_into()
            .ok()?;
        let data = Object::new();
        Reflect::set(&data, &"files".into(), &Array::of1(file)).ok()?;
        f.call1(&nav, &data).ok()?.as_bool()
    })()
    .unwrap_or(false)
}

/// Whether the browser has a share sheet at all (`navigator.share`).
pub fn has_share_sheet() -> bool {
    navigator()
        .is_some_and(|nav| Reflect::get(&nav, &"share".into()).is_ok_and(|f| f.is_function()))
}

/// Open the share sheet with a link (the keep-in-step link).
pub async fn share_link(url: String, title: String) -> Result<(), String> {
    let data = Object::new();
    Reflect::set(&data, &"url".into(), &url.into())
        .and_then(|_| Reflect::set(&data, &"title".into(), &title.into()))
        .map_err(|_| "The share sheet could not open.".to_string())?;
    share(data)
        .await
        .map_err(|_| "The link was not shared. You can try again or copy it.".into())
}

pub async fn share_file(file: web_sys::File, title: String) -> Result<(), String> {
    let data = Object::new();
    Reflect::set(&data, &"files".into(), &Array::of1(&file))
        .and_then(|_| Reflect::set(&data, &"title".into(), &title.into()))
        .map_err(|_| "The share sheet could not open.".to_string())?;
    share(data)
        .await
        .map_err(|_| "The file was not shared. You can try again, download it or copy it.".into())
}

async fn share(data: Object) -> Result<(), String> {
    let nav = navigator().ok_or("no browser")?;
    let f: Function = Reflect::get(&nav, &"share".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("This browser cannot open the share sheet.")?;
    let promise: js_sys::Promise = f
        .call1(&nav, &data)
        .map_err(|_| "The share sheet could not open.".to_string())?
        .dyn_into()
        .map_err(|_| "The share sheet could not open.".to_string())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "not shared".to_string())
}

pub async fn copy_text(text: String) -> Result<(), String> {
    let nav = navigator().ok_or("no browser")?;
    let clipboard = Reflect::get(&nav, &"clipboard".into()).map_err(|_| "no clipboard")?;
    let f: Function = Reflect::get(&clipboard, &"writeText".into())
        .ok()
        .and_then(|f| f.dyn_into().ok())
        .ok_or("This browser cannot copy text for the app.")?;
    let promise: js_sys::Promise = f
        .call1(&clipboard, &text.into())
        .map_err(|_| "The text could not be copied.".to_string())?
        .dyn_into()
        .map_err(|_| "The text could not be copied.".to_string())?;
    JsFuture::from(promise)
        .await
        .map(|_| ())
        .map_err(|_| "The text could not be copied. Try downloading the file instead.".into())
}

/// The text of the first file picked in an `<input type=file>`, refusing
/// files too big to be a share before reading them.
pub async fn read_picked(input: web_sys::HtmlInputElement) -> Result<Option<String>, String> {
    read_picked_up_to(
        input,
        MAX_SHARE_BYTES,
        ShareError::TooLarge.words(),
        Some((64 * 1024, |head| {
            crate::share::file::check_start(head).map_err(|e| e.words())
        })),
    )
    .await
}

/// Checks a file's first bytes (as text): refuses it at once, in words.
pub type LooksRight = fn(&str) -> Result<(), String>;

/// The same for any file of at most `max` bytes (a backup), saying
/// `too_large` for a bigger one. Before the whole file is read, its first
/// `start` bytes are given to `looks_right`, which can refuse it at once
/// (a large file that is not what was asked for is never read whole).
pub async fn read_picked_up_to(
    input: web_sys::HtmlInputElement,
    max: usize,
    too_large: String,
    start: Option<(i32, LooksRight)>,
) -> Result<Option<String>, String> {
    let Some(file) = input.files().and_then(|f| f.get(0)) else {
        return Ok(None);
    };
    if file.size() > max as f64 {
        return Err(too_large);
    }
    if let Some((n, looks_right)) = start.filter(|(n, _)| file.size() > f64::from(*n)) {
        let head = file
            .slice_with_i32_and_i32(0, n)
            .map_err(|_| "The file could not be read. Try choosing it again.".to_string())?;
        let text = JsFuture::from(head.text())
            .await
            .map_err(|_| "The file could not be read. Try choosing it again.".to_string())?;
        looks_right(&text.as_string().unwrap_or_default())?;
    }
    let text = JsFuture::from(file.text())
        .await
        .map_err(|_| "The file could not be read. Try choosing it again.".to_string())?;
    Ok(text.as_string())
}
