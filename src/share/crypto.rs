//! The share file's locks: Argon2id turns a passphrase into an AES-256-GCM
//! key and a check value; an unlocked file carries a SHA-256 checksum.
//! RustCrypto's crates do the work; this file only sets their parameters
//! and bounds what a file may ask for.

use argon2::{Algorithm, Argon2, Params, Version};
use sha2::{Digest, Sha256};

use crate::plan::ids::hex;

pub(super) const CIPHER: &str = "argon2id-aes-256-gcm";
/// OWASP's recommended Argon2id settings: 19 MiB, 2 passes, 1 lane.
pub(super) const KDF_M: u32 = 19_456;
pub(super) const KDF_T: u32 = 2;
pub(super) const KDF_P: u32 = 1;
/// Limits on settings read from a file, so a hostile file cannot ask for
/// gigabytes of memory or minutes of work.
pub(super) const KDF_MAX_M: u32 = 65_536;
pub(super) const KDF_MAX_T: u32 = 10;
pub(super) const KDF_MAX_P: u32 = 4;

pub(super) struct Kdf {
    pub m: u32,
    pub t: u32,
    pub p: u32,
    pub salt: Vec<u8>,
}

/// The key and the check value for a passphrase.
pub(super) fn derive(passphrase: &str, kdf: &Kdf) -> Result<([u8; 32], [u8; 16]), String> {
    let params = Params::new(kdf.m, kdf.t, kdf.p, Some(48)).map_err(|e| e.to_string())?;
    let mut out = [0u8; 48];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &kdf.salt, &mut out)
        .map_err(|e| e.to_string())?;
    let mut key = [0u8; 32];
    let mut check = [0u8; 16];
    key.copy_from_slice(&out[..32]);
    check.copy_from_slice(&out[32..]);
    Ok((key, check))
}

/// Random bytes for a salt or a nonce.
pub(super) fn random<const N: usize>() -> Result<[u8; N], String> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(|e| e.to_string())?;
    Ok(b)
}

/// SHA-256 over the header text, a newline and the body, in hex.
pub(super) fn checksum(head: &str, body: &[u8]) -> String {
    let mut h = Sha256::new();
    h.update(head.as_bytes());
    h.update(b"\n");
    h.update(body);
    hex(&h.finalize())
}
