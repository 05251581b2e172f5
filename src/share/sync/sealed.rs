//! A sealed bundle: what one device puts on the relay in one go.
//!
//! The plaintext is a small CBOR map — who sent it, which plan, the
//! sections the carer consents to, whether keeping in step has stopped,
//! the plan's heads after these changes, and the changes themselves (a
//! `doc::bundle` of the chosen parts' Automerge changes). It is sealed with
//! AES-256-GCM under the link's key, which the relay never sees:
//!
//! `0x01 | nonce (12 bytes) | ciphertext and tag`
//!
//! with the relay document's id as associated data, so a bundle moved to
//! another document (or a changed one) does not open.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use automerge::ChangeHash;
use minicbor::data::Type;
use minicbor::Decoder;

use super::cbor;
use super::docid::DocumentId;
use crate::plan::{Coded, PlanId, Role, Section};

const SEAL_VERSION: u8 = 1;
const AAD_PREFIX: &[u8] = b"carer-support-plan keep-in-step 1\n";
/// The largest sealed bundle opened (a whole plan is far smaller).
pub const MAX_SEALED: usize = 8 * 1024 * 1024;

/// What a bundle says besides its changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Header {
    pub plan_id: PlanId,
    pub from_name: String,
    pub from_role: Role,
    /// The sections the carer has chosen to keep in step, as the carer
    /// last set them; a worker's bundle repeats what it knows. Written as
    /// their ids.
    pub sections: Vec<Section>,
    /// The carer has stopped keeping in step: nothing more will come.
    pub stopped: bool,
    /// The plan's heads once these changes are applied.
    pub heads: Vec<ChangeHash>,
    /// The same, part by part (section → heads; written with the
    /// section's id): what the sender holds of each part it sends, so the
    /// other side knows when it has it all. Empty in bundles of the first
    /// format.
    pub parts: Vec<(Section, Vec<ChangeHash>)>,
}

/// An opened bundle.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub header: Header,
    /// A `doc::bundle` of Automerge changes (may be empty).
    pub changes: Vec<u8>,
}

/// Why a bundle did not open. None of these says anything of the content.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SealError {
    /// Not sealed by this app, or of a later version.
    Unknown,
    /// Changed, moved from another document, or sealed with another key.
    DoesNotOpen,
    /// Opened, but its inside is not a bundle.
    Malformed,
    /// Opened, but it names a section this version does not know: sealed
    /// by a newer version of the app.
    UnknownSection,
    /// Could not get random bytes for a nonce.
    Random,
}

/// Seal a bundle for the document `doc` with `key`.
pub fn seal(bundle: &Bundle, doc: &DocumentId, key: &[u8; 32]) -> Result<Vec<u8>, SealError> {
    let mut nonce = [0u8; 12];
    getrandom::fill(&mut nonce).map_err(|_| SealError::Random)?;
    let plain = encode(bundle);
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| SealError::Unknown)?;
    let aad = aad(doc);
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: &plain,
                aad: &aad,
            },
        )
        .map_err(|_| SealError::Unknown)?;
    let mut out = Vec::with_capacity(1 + 12 + sealed.len());
    out.push(SEAL_VERSION);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// Open a bundle found in the document `doc`.
pub fn open(sealed: &[u8], doc: &DocumentId, key: &[u8; 32]) -> Result<Bundle, SealError> {
    decode(&unseal(sealed, doc, key)?)
}

/// The plaintext of a sealed bundle, once its key and document are checked.
fn unseal(sealed: &[u8], doc: &DocumentId, key: &[u8; 32]) -> Result<Vec<u8>, SealError> {
    if sealed.len() > MAX_SEALED || sealed.len() < 1 + 12 + 16 || sealed[0] != SEAL_VERSION {
        return Err(SealError::Unknown);
    }
    let cipher = Aes256Gcm::new_from_slice(key).map_err(|_| SealError::Unknown)?;
    let aad = aad(doc);
    cipher
        .decrypt(
            Nonce::from_slice(&sealed[1..13]),
            Payload {
                msg: &sealed[13..],
                aad: &aad,
            },
        )
        .map_err(|_| SealError::DoesNotOpen)
}

/// Read an opened bundle's plaintext (what [`open`] does after the key
/// check): for the fuzz target, which cannot forge a tag.
pub fn read_plaintext(plain: &[u8]) -> Result<Bundle, SealError> {
    decode(plain)
}

fn aad(doc: &DocumentId) -> Vec<u8> {
    let mut aad = AAD_PREFIX.to_vec();
    aad.extend_from_slice(doc.bytes());
    aad
}

// The header is a map with text keys ("plan", "from", …), and minicbor's
// derive writes maps with number keys only (`#[n(..)]`): written and read
// by hand so that every bundle already on a relay still opens, and bundles
// written now are the same bytes (`tests/fixtures/sync/format-2/`).
pub(super) fn encode(b: &Bundle) -> Vec<u8> {
    let h = &b.header;
    cbor::to_vec(|e| {
        e.map(if h.parts.is_empty() { 7 } else { 8 })?;
        e.str("plan")?.str(h.plan_id.as_str())?;
        e.str("from")?.str(&h.from_name)?;
        e.str("role")?.str(h.from_role.code())?;
        e.str("sections")?.array(h.sections.len() as u64)?;
        for s in &h.sections {
            e.str(&s.id())?;
        }
        e.str("stopped")?.bool(h.stopped)?;
        e.str("heads")?.array(h.heads.len() as u64)?;
        for head in &h.heads {
            e.bytes(head.as_ref())?;
        }
        e.str("changes")?.bytes(&b.changes)?;
        if !h.parts.is_empty() {
            e.str("parts")?.map(h.parts.len() as u64)?;
            for (part, heads) in &h.parts {
                e.str(&part.id())?.array(heads.len() as u64)?;
                for head in heads {
                    e.bytes(head.as_ref())?;
                }
            }
        }
        Ok(())
    })
}

fn decode(plain: &[u8]) -> Result<Bundle, SealError> {
    let mut unknown = false;
    let bundle = read(plain, &mut unknown);
    if unknown {
        return Err(SealError::UnknownSection);
    }
    bundle.ok_or(SealError::Malformed)
}

/// A section named by its id; an id this version does not know is noted
/// in `unknown` (and reading stops).
fn section(id: &str, unknown: &mut bool) -> Option<Section> {
    let s = Section::parse(id);
    *unknown |= s.is_none();
    s
}

fn read(plain: &[u8], unknown: &mut bool) -> Option<Bundle> {
    let mut d = Decoder::new(plain);
    let n = d.map().ok()??;
    if n > 32 {
        return None;
    }
    let (mut plan, mut from, mut role, mut stopped) = (None, None, None, None);
    let (mut sections, mut heads, mut changes) = (None, None, None);
    let mut parts = Vec::new();
    for _ in 0..n {
        match d.str().ok()? {
            "plan" => plan = PlanId::parse(d.str().ok()?),
            "from" => from = Some(d.str().ok()?.chars().take(200).collect::<String>()),
            "role" => role = Some(Role::from_code(d.str().ok()?)?),
            "sections" => {
                let k = d.array().ok()??;
                if k > 256 {
                    return None;
                }
                let mut v = Vec::new();
                for _ in 0..k {
                    v.push(section(d.str().ok()?, unknown)?);
                }
                sections = Some(v);
            }
            "stopped" => stopped = Some(d.bool().ok()?),
            "heads" => {
                let k = d.array().ok()??;
                if k > 4096 {
                    return None;
                }
                let mut v = Vec::new();
                for _ in 0..k {
                    v.push(ChangeHash::try_from(d.bytes().ok()?).ok()?);
                }
                heads = Some(v);
            }
            "changes" => changes = Some(d.bytes().ok()?.to_vec()),
            "parts" => {
                let k = d.map().ok()??;
                if k > 256 {
                    return None;
                }
                for _ in 0..k {
                    let part = section(d.str().ok()?, unknown)?;
                    let n = d.array().ok()??;
                    if n > 4096 {
                        return None;
                    }
                    let mut v = Vec::new();
                    for _ in 0..n {
                        v.push(ChangeHash::try_from(d.bytes().ok()?).ok()?);
                    }
                    parts.push((part, v));
                }
            }
            _ => {
                if d.datatype().ok()? == Type::Break {
                    return None;
                }
                d.skip().ok()?;
            }
        }
    }
    if d.position() != plain.len() {
        return None;
    }
    Some(Bundle {
        header: Header {
            plan_id: plan?,
            from_name: from?,
            from_role: role?,
            sections: sections?,
            stopped: stopped?,
            heads: heads?,
            parts,
        },
        changes: changes?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bundle() -> Bundle {
        Bundle {
            header: Header {
                plan_id: PlanId::parse(&"ab".repeat(16)).unwrap(),
                from_name: "Ann".into(),
                from_role: Role::Carer,
                sections: vec![Section::AboutYou],
                stopped: false,
                heads: vec![ChangeHash([3; 32])],
                parts: vec![(Section::AboutYou, vec![ChangeHash([3; 32])])],
            },
            changes: b"CSPB".to_vec(),
        }
    }

    #[test]
    fn a_sealed_bundle_opens_only_with_its_key_and_in_its_document() {
        let doc = DocumentId::from_bytes([1; 16]);
        let key = [9u8; 32];
        let sealed = seal(&bundle(), &doc, &key).unwrap();
        assert_eq!(open(&sealed, &doc, &key), Ok(bundle()));
        assert_eq!(open(&sealed, &doc, &[8u8; 32]), Err(SealError::DoesNotOpen));
        let other = DocumentId::from_bytes([2; 16]);
        assert_eq!(open(&sealed, &other, &key), Err(SealError::DoesNotOpen));
        for i in [0, 5, 20, sealed.len() - 1] {
            let mut t = sealed.clone();
            t[i] ^= 1;
            assert!(
                open(&t, &doc, &key).is_err(),
                "byte {i} changed and it still opened"
            );
        }
        assert_eq!(open(&sealed[..20], &doc, &key), Err(SealError::Unknown));
        // The plaintext does not show through.
        assert!(!sealed.windows(3).any(|w| w == b"Ann"));
    }

    /// Bundles sealed by format 2 (`tests/sync.rs` writes them): what they
    /// hold is written again to the very same bytes.
    #[test]
    fn headers_of_format_2_are_written_to_the_same_bytes() {
        let doc = DocumentId::from_bytes([1; 16]);
        for sealed in [
            &include_bytes!("../../../tests/fixtures/sync/format-2/bundle.sealed")[..],
            &include_bytes!("../../../tests/fixtures/sync/format-2/bundle-no-parts.sealed")[..],
        ] {
            let plain = unseal(sealed, &doc, &[9; 32]).unwrap();
            let bundle = decode(&plain).unwrap();
            assert!(encode(&bundle) == plain);
        }
    }

    /// A section this version does not know, in the sections or the parts
    /// (a newer version's bundle): a typed error, not a panic nor a bundle
    /// read in part.
    #[test]
    fn a_section_this_version_does_not_know_is_its_own_error() {
        let plain = encode(&bundle());
        assert_eq!(decode(&plain), Ok(bundle()));
        let at: Vec<usize> = (0..plain.len())
            .filter(|&i| plain[i..].starts_with(b"about-you"))
            .collect();
        assert_eq!(at.len(), 2, "in the sections and in the parts");
        for i in at {
            let mut newer = plain.clone();
            newer[i..i + 9].copy_from_slice(b"about-yox");
            assert_eq!(decode(&newer), Err(SealError::UnknownSection));
            let doc = DocumentId::from_bytes([1; 16]);
            let sealed = seal_plain(&newer, &doc, &[9; 32]);
            assert_eq!(
                open(&sealed, &doc, &[9; 32]),
                Err(SealError::UnknownSection)
            );
        }
        assert_eq!(decode(&plain[..plain.len() - 1]), Err(SealError::Malformed));
    }

    /// Seal a plaintext as [`seal`] does (to test what a newer version
    /// could put inside).
    fn seal_plain(plain: &[u8], doc: &DocumentId, key: &[u8; 32]) -> Vec<u8> {
        let nonce = [5u8; 12];
        let cipher = Aes256Gcm::new_from_slice(key).unwrap();
        let aad = aad(doc);
        let sealed = cipher
            .encrypt(
                Nonce::from_slice(&nonce),
                Payload {
                    msg: plain,
                    aad: &aad,
                },
            )
            .unwrap();
        [&[SEAL_VERSION][..], &nonce, &sealed].concat()
    }
}
