//! Small settings kept in localStorage, as JSON (`local.rs`): this
//! device's id, who uses it, and per plan what this person last saw and
//! which conflicts wait for them. Plans themselves live in IndexedDB.

use wasm_bindgen::JsValue;

use super::local::{self, delete, get_i64, get_string, put_i64, put_string};
use crate::doc::conflict::TextConflict;
use crate::plan::{Coded, DeviceActor, Field, PlanId, Role, Version};

const DEVICE_KEY: &str = "csp.device-id";
const NAME_KEY: &str = "csp.my-name";
const ROLE_KEY: &str = "csp.role";
const LAST_PLAN_KEY: &str = "csp.last-plan";

/// This device's actor for this session (see [`DeviceActor`]): the stored
/// device id, or a new one stored now. If localStorage is refused the id
/// lasts only for this visit; `None` only if the browser has no randomness.
pub fn device_actor() -> Option<DeviceActor> {
    if let Some(stored) = get_string(DEVICE_KEY) {
        if let Some(actor) = DeviceActor::for_device(&stored) {
            return Some(actor);
        }
    }
    let fresh = DeviceActor::random().ok()?;
    // If localStorage refuses, the id lasts only for this visit.
    put_string(DEVICE_KEY, fresh.as_str());
    Some(fresh)
}

/// The name this device's user gave (key workers; "" if none).
pub fn my_name() -> String {
    get_string(NAME_KEY).unwrap_or_default()
}

pub fn set_my_name(name: &str) {
    put_string(NAME_KEY, name);
}

/// The plan that was open last, to name it in "Carry on with your plan".
pub fn last_plan() -> Option<PlanId> {
    PlanId::parse(&get_string(LAST_PLAN_KEY)?)
}

pub fn set_last_plan(id: Option<&PlanId>) {
    match id {
        Some(id) => put_string(LAST_PLAN_KEY, id.as_str()),
        None => delete(LAST_PLAN_KEY),
    }
}

/// Who uses this device, once they have said (`None` until then). Read
/// once at start: the app's `role` signal is the source the screens use.
pub fn role() -> Option<Role> {
    get_string(ROLE_KEY).and_then(|c| Role::from_code(&c))
}

pub fn set_role(role: Role) {
    put_string(ROLE_KEY, role.code());
}

/// The start of the keys of what a person has seen of each plan.
pub const SEEN_PREFIX: &str = "csp.seen.";

fn seen_key(id: &PlanId) -> String {
    format!("{SEEN_PREFIX}{id}")
}

fn conflicts_key(id: &PlanId) -> String {
    format!("csp.conflicts.{id}")
}

/// The plan's heads when this person last looked at what changed, as hex
/// (`Version::to_hex`); anything else stored there is left out.
pub fn seen(id: &PlanId) -> Vec<String> {
    local::get(&seen_key(id))
        .and_then(|v| local::strings(&v))
        .unwrap_or_default()
        .into_iter()
        .filter(|h| Version::is_hex_head(h))
        .collect()
}

pub fn set_seen(id: &PlanId, heads: &[String]) {
    let heads = heads
        .iter()
        .filter(|h| Version::is_hex_head(h))
        .map(String::as_str);
    local::put(&seen_key(id), &local::string_list(heads));
}

/// Long answers both sides changed, waiting for the person to choose.
pub fn text_conflicts(id: &PlanId) -> Vec<TextConflict> {
    let read = |v: JsValue| -> Option<Vec<TextConflict>> {
        let list: js_sys::Array = wasm_bindgen::JsCast::dyn_into(v).ok()?;
        list.iter().map(|c| conflict_from(&c)).collect()
    };
    local::get(&conflicts_key(id))
        .and_then(read)
        .unwrap_or_default()
}

pub fn set_text_conflicts(id: &PlanId, list: &[TextConflict]) {
    if list.is_empty() {
        delete(&conflicts_key(id));
    } else {
        let list: js_sys::Array = list.iter().map(conflict_json).collect();
        local::put(&conflicts_key(id), &list);
    }
}

/// A text conflict as serde's JSON of it (`{"field": …, "mine": …,
/// "theirs": …, "merged": …}`), as every release has kept it.
fn conflict_json(c: &TextConflict) -> JsValue {
    let (variant, item, answer) = c.field.tagged();
    let field = match (item, answer) {
        (None, None) => JsValue::from_str(variant),
        (None, Some(a)) => local::object([(variant, JsValue::from_str(a))]),
        (Some(i), a) => local::object([(variant, local::string_list([i, a.unwrap_or("")]))]),
    };
    local::object([
        ("field", field),
        ("mine", JsValue::from_str(&c.mine)),
        ("theirs", JsValue::from_str(&c.theirs)),
        ("merged", JsValue::from_str(&c.merged)),
    ])
}

fn conflict_from(v: &JsValue) -> Option<TextConflict> {
    let text = |name: &str| local::field(v, name).as_string();
    let field = local::field(v, "field");
    let field = match field.as_string() {
        Some(unit) => Field::from_tagged(&unit, None, None)?,
        None => {
            let [(variant, inner)]: [(String, JsValue); 1] =
                local::fields(&field)?.try_into().ok()?;
            match (inner.as_string(), local::strings(&inner).as_deref()) {
                (Some(answer), _) => Field::from_tagged(&variant, None, Some(&answer))?,
                (None, Some([item, answer])) => {
                    Field::from_tagged(&variant, Some(item), Some(answer))?
                }
                _ => return None,
            }
        }
    };
    Some(TextConflict {
        field,
        mine: text("mine")?,
        theirs: text("theirs")?,
        merged: text("merged")?,
    })
}

fn devices_key(id: &PlanId) -> String {
    format!("csp.devices.{id}")
}

/// The names of the devices changes of a plan were made on, by the device
/// id in their actors, as the carer allowed them ("Sam Patel's laptop").
pub fn device_names(id: &PlanId) -> std::collections::BTreeMap<String, String> {
    local::get_map(&devices_key(id)).unwrap_or_default()
}

/// Note which allowed device brought a plan device's changes; the first
/// name noted for a device stays.
pub fn note_device_names(id: &PlanId, names: &[(String, String)]) {
    if names.is_empty() {
        return;
    }
    let mut known = device_names(id);
    let before = known.len();
    for (device, name) in names {
        known.entry(device.clone()).or_insert_with(|| name.clone());
    }
    if known.len() != before {
        let fields = known
            .iter()
            .map(|(k, v)| (k.as_str(), JsValue::from_str(v)));
        local::put(&devices_key(id), &local::object(fields));
    }
}

/// Forget everything kept about one plan (when it is deleted).
pub fn forget_plan(id: &PlanId) {
    delete(&seen_key(id));
    delete(&conflicts_key(id));
    delete(&devices_key(id));
}

const LAST_COPY_KEY: &str = "csp.last-copy";

/// When the person last downloaded or shared a copy (milliseconds), if ever.
pub fn last_copy() -> Option<i64> {
    get_i64(LAST_COPY_KEY)
}

pub fn set_last_copy(now_ms: i64) {
    put_i64(LAST_COPY_KEY, now_ms);
}

fn synced_key(id: &PlanId) -> String {
    format!("csp.synced.{id}")
}

/// When a plan kept in step was last up to date with the relay.
pub fn keep_synced(id: &PlanId) -> Option<i64> {
    get_i64(&synced_key(id))
}

pub fn set_keep_synced(id: &PlanId, now_ms: i64) {
    put_i64(&synced_key(id), now_ms);
}

/// Whether to remind the person to keep a copy: never kept one, or not for
/// four weeks (browsers may clear a site's data; Safari after seven days
/// without a visit unless the app is installed).
pub fn copy_reminder_due(now_ms: i64) -> bool {
    last_copy().is_none_or(|t| now_ms - t > FOUR_WEEKS_MS)
}

const LAST_BACKUP_KEY: &str = "csp.last-backup";
const BACKUP_SNOOZE_KEY: &str = "csp.backup-reminder-snoozed";
const FOUR_WEEKS_MS: i64 = 28 * 24 * 3600 * 1000;

/// When the newest backup of this device was made (milliseconds), if ever.
pub fn last_backup() -> Option<i64> {
    get_i64(LAST_BACKUP_KEY)
}

/// A backup made at `made_ms` exists (made here, or restored from).
pub fn set_last_backup(made_ms: i64) {
    if last_backup().is_none_or(|t| made_ms > t) {
        put_i64(LAST_BACKUP_KEY, made_ms);
    }
}

/// "Not now": the reminder rests for four weeks.
pub fn snooze_backup_reminder(now_ms: i64) {
    put_i64(BACKUP_SNOOZE_KEY, now_ms);
}

/// Whether to remind, gently, to back up: no backup newer than four weeks,
/// and not put off in the last four weeks.
pub fn backup_reminder_due(now_ms: i64) -> bool {
    let recent = |t: Option<i64>| t.is_some_and(|t| now_ms - t <= FOUR_WEEKS_MS);
    !recent(last_backup()) && !recent(get_i64(BACKUP_SNOOZE_KEY))
}

/// The settings a backup carries, for these plans.
pub fn for_backup(plans: &[PlanId]) -> crate::share::backup::DeviceSettings {
    let mut out = crate::share::backup::DeviceSettings {
        role: role().map(|r| r.code().to_owned()),
        name: my_name(),
        ..Default::default()
    };
    for id in plans {
        let seen = seen(id);
        if !seen.is_empty() {
            out.seen.insert(id.clone(), seen);
        }
        let waiting = text_conflicts(id);
        if !waiting.is_empty() {
            out.conflicts.insert(id.clone(), waiting);
        }
    }
    out
}

/// Take in a backup's settings where this device has none of its own:
/// nothing already set here is replaced.
pub fn restore_from(s: &crate::share::backup::DeviceSettings) -> Option<Role> {
    let mut new_role = None;
    if role().is_none() {
        new_role = s.role.as_deref().and_then(Role::from_code);
    }
    if my_name().trim().is_empty() && !s.name.trim().is_empty() {
        set_my_name(s.name.trim());
    }
    for (id, heads) in &s.seen {
        if seen(id).is_empty() {
            set_seen(id, heads);
        }
    }
    for (id, list) in &s.conflicts {
        let mut waiting = text_conflicts(id);
        for c in list {
            if !waiting.iter().any(|w| w.field == c.field) {
                waiting.push(c.clone());
            }
        }
        set_text_conflicts(id, &waiting);
    }
    new_role
}

const SYNC_KEY: &str = "csp-sync-device-key";

/// This device's keys for keeping in step (see `share::sync::identity`),
/// as bytes: the stored ones, or new ones stored now (random bytes of
/// `DeviceKey::LEN`, any of which are keys; the engine makes the keys from
/// them, so the page links no curve's code). Every tab of the browser reads
/// the same keys, so two tabs are one device. If localStorage is refused
/// the keys last only for this visit (the carer is then asked to allow this
/// device again next time).
pub fn sync_device_key() -> Option<Vec<u8>> {
    if let Some(stored) = get_string(SYNC_KEY) {
        if let Some(k) = super::local::from_base64(&stored)
            .filter(|b| b.len() == crate::share::sync::DeviceKey::LEN)
        {
            return Some(k);
        }
    }
    let mut fresh = vec![0u8; crate::share::sync::DeviceKey::LEN];
    getrandom::fill(&mut fresh).ok()?;
    if let Some(text) = super::local::to_base64(&fresh) {
        put_string(SYNC_KEY, &text);
    }
    Some(fresh)
}

/// Put back keys a backup carried (a restored device keeps its authority
/// over the plans it kept in step): ignored unless they are keys' length.
pub fn set_sync_device_key(key: &[u8]) {
    if key.len() != crate::share::sync::DeviceKey::LEN {
        return;
    }
    if let Some(text) = super::local::to_base64(key) {
        put_string(SYNC_KEY, &text);
    }
}
