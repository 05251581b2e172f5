//! Small settings kept in localStorage through gloo-storage: this device's
//! id, and who uses it. Plans themselves live in IndexedDB.

use gloo_storage::{LocalStorage, Storage};

use crate::core::plan::{Participant, Role};
use crate::core::DeviceActor;

const DEVICE_KEY: &str = "csp.device-id";
const NAME_KEY: &str = "csp.my-name";
const ROLE_KEY: &str = "csp.role";
const LAST_PLAN_KEY: &str = "csp.last-plan";

/// This device's actor for this session (see [`DeviceActor`]): the stored
/// device id, or a new one stored now. If localStorage is refused the id
/// lasts only for this visit; `None` only if the browser has no randomness.
pub fn device_actor() -> Option<DeviceActor> {
    if let Ok(stored) = LocalStorage::get::<String>(DEVICE_KEY) {
        if let Some(actor) = DeviceActor::for_device(&stored) {
            return Some(actor);
        }
    }
    let fresh = DeviceActor::random().ok()?;
    let _ = LocalStorage::set(DEVICE_KEY, fresh.as_str());
    Some(fresh)
}

/// Who this device's user is, as recorded in the plans they edit.
pub fn me() -> Participant {
    let name = LocalStorage::get::<String>(NAME_KEY).unwrap_or_default();
    let role = match LocalStorage::get::<String>(ROLE_KEY).as_deref() {
        Ok("key-worker") => Role::KeyWorker,
        _ => Role::Carer,
    };
    Participant { name, role }
}

pub fn set_my_name(name: &str) {
    let _ = LocalStorage::set(NAME_KEY, name);
}

/// The plan that was open last, to name it in "Carry on with your plan".
pub fn last_plan() -> Option<String> {
    LocalStorage::get::<String>(LAST_PLAN_KEY).ok()
}

pub fn set_last_plan(id: Option<&str>) {
    match id {
        Some(id) => {
            let _ = LocalStorage::set(LAST_PLAN_KEY, id);
        }
        None => LocalStorage::delete(LAST_PLAN_KEY),
    }
}
