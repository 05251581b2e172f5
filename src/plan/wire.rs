//! serde mappings of the plan's values where a type of autosurgeon's has
//! none: how the engine worker sends a plan to the page
//! (`web/engine/protocol.rs`, postcard). The plan's stored form is its
//! Automerge documents (autosurgeon's derives), never these.

/// An answer kept as Automerge text ([`autosurgeon::Text`]): sent as its
/// string, and read back as a new text of that string.
pub(crate) mod text {
    use autosurgeon::Text;
    use serde::{Deserialize, Deserializer, Serializer};

    pub(crate) fn serialize<S: Serializer>(t: &Text, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(t.as_str())
    }

    pub(crate) fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Text, D::Error> {
        Ok(Text::with_value(String::deserialize(d)?))
    }
}
