//! Who made a change: Automerge actors of this app's devices, and the
//! app's own actors for each part's first change.

use automerge::ActorId;

use crate::plan::ids::hex;
use crate::plan::DeviceActor;

/// The Automerge actor of a device's session (see [`DeviceActor`]).
pub fn actor_id(a: &DeviceActor) -> ActorId {
    ActorId::from(a.actor_bytes())
}

/// The device id inside an Automerge actor written by [`actor_id`].
pub fn device_of(actor: &ActorId) -> Option<String> {
    let bytes = actor.to_bytes();
    (bytes.len() == 20).then(|| hex(&bytes[..16]))
}

/// The actor of a part's first change: the same on every device.
pub(crate) fn genesis_actor(part_id: &str, plan_id: &str) -> ActorId {
    ActorId::from(format!("genesis-{part_id}-{plan_id}").into_bytes())
}

/// Whether an actor is one of the app's own (a part's first change), not a person.
pub fn is_genesis_actor(actor: &ActorId) -> bool {
    actor.to_bytes().starts_with(b"genesis-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_of_one_device_are_distinct_actors_of_that_device() {
        let d = DeviceActor::random().unwrap();
        let other_tab = d.new_session().unwrap();
        assert_ne!(actor_id(&d), actor_id(&other_tab));
        assert_eq!(device_of(&actor_id(&d)).as_deref(), Some(d.as_str()));
        assert_eq!(
            device_of(&actor_id(&other_tab)).as_deref(),
            Some(d.as_str())
        );
        assert!(DeviceActor::for_device("nope").is_none());
        assert!(is_genesis_actor(&genesis_actor("plan", "x")));
    }
}
