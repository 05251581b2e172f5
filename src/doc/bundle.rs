//! The bytes of several part documents in one string: what is saved on the
//! device and what a share file carries.
//!
//! A bundle is a sequence of records, each
//! `"CSPB" | name length (1 byte) | part id | data length (4 bytes, big-endian) | Automerge bytes`.
//! Two bundles one after the other are again a bundle, so saved chunks can be
//! concatenated as they are read. The Automerge bytes of one part may be a
//! whole document, changes, or both.

use std::collections::BTreeMap;

use crate::plan::Section;

const MAGIC: &[u8; 4] = b"CSPB";

/// Why bytes are not a bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BundleError {
    /// The bytes do not start like a bundle at all.
    NotABundle,
    /// A record is cut short or its length is impossible.
    Truncated,
    /// A record names a part this version does not know.
    UnknownPart(String),
}

/// Append one part's bytes as a record.
pub fn push(out: &mut Vec<u8>, part: &Section, bytes: &[u8]) {
    let id = part.id();
    let id = id.as_bytes();
    out.extend_from_slice(MAGIC);
    // Section ids are at most 69 bytes (see `Section::parse`).
    out.push(u8::try_from(id.len()).unwrap_or(u8::MAX));
    out.extend_from_slice(id);
    out.extend_from_slice(&u32::try_from(bytes.len()).unwrap_or(u32::MAX).to_be_bytes());
    out.extend_from_slice(bytes);
}

/// Split a bundle into each part's bytes, concatenated in the order read.
/// Lengths are checked against the input before anything is sliced.
pub fn split(mut bytes: &[u8]) -> Result<BTreeMap<Section, Vec<u8>>, BundleError> {
    if !bytes.starts_with(MAGIC) {
        return Err(BundleError::NotABundle);
    }
    let mut out: BTreeMap<Section, Vec<u8>> = BTreeMap::new();
    while !bytes.is_empty() {
        if bytes.len() < 5 {
            return Err(BundleError::Truncated);
        }
        if &bytes[..4] != MAGIC {
            return Err(BundleError::NotABundle);
        }
        let name_len = usize::from(bytes[4]);
        let rest = &bytes[5..];
        if rest.len() < name_len + 4 {
            return Err(BundleError::Truncated);
        }
        let name = std::str::from_utf8(&rest[..name_len]).map_err(|_| BundleError::NotABundle)?;
        let part = Section::parse(name)
            .ok_or_else(|| BundleError::UnknownPart(name.chars().take(70).collect()))?;
        let mut len = [0u8; 4];
        len.copy_from_slice(&rest[name_len..name_len + 4]);
        let len = usize::try_from(u32::from_be_bytes(len)).map_err(|_| BundleError::Truncated)?;
        let data = &rest[name_len + 4..];
        if data.len() < len {
            return Err(BundleError::Truncated);
        }
        out.entry(part).or_default().extend_from_slice(&data[..len]);
        bytes = &data[len..];
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_round_trip_and_concatenate() {
        let mut a = Vec::new();
        push(&mut a, &Section::Plan, b"one");
        push(&mut a, &Section::Area("health".into()), b"two");
        let mut b = Vec::new();
        push(&mut b, &Section::Plan, b"three");
        a.extend_from_slice(&b);
        let parts = split(&a).unwrap();
        assert_eq!(parts[&Section::Plan], b"onethree");
        assert_eq!(parts[&Section::Area("health".into())], b"two");
    }

    #[test]
    fn damaged_bundles_are_refused() {
        let mut a = Vec::new();
        push(&mut a, &Section::Plan, b"some bytes");
        for cut in 1..a.len() {
            assert!(split(&a[..cut]).is_err(), "cut at {cut}");
        }
        assert_eq!(split(b"hello"), Err(BundleError::NotABundle));
        let mut odd = Vec::new();
        odd.extend_from_slice(b"CSPB\x06secret\x00\x00\x00\x00");
        assert_eq!(split(&odd), Err(BundleError::UnknownPart("secret".into())));
    }
}
