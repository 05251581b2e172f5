//! The locks of share files and backups: Argon2id turns a passphrase into an AES-256-GCM
//! key and a check value; an unlocked file carries a SHA-256 checksum.
//! RustCrypto's crates do the work; this file only sets their parameters
//! and bounds what a file may ask for.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use argon2::{Algorithm, Argon2, Params, Version};
use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::plan::ids::hex;

pub const CIPHER: &str = "argon2id-aes-256-gcm";
/// OWASP's recommended Argon2id settings: 19 MiB, 2 passes, 1 lane.
pub(super) const KDF_M: u32 = 19_456;
pub(super) const KDF_T: u32 = 2;
pub(super) const KDF_P: u32 = 1;
/// Limits on settings read from a file, so a hostile file cannot ask for
/// gigabytes of memory or minutes of work.
pub(super) const KDF_MAX_M: u32 = 65_536;
pub(super) const KDF_MAX_T: u32 = 10;
pub(super) const KDF_MAX_P: u32 = 4;

/// Why this device could not make or open a lock (never a wrong passphrase
/// or a changed file: the callers tell those apart). RustCrypto's errors,
/// kept as they came; built without `std`, they are not `Error`s, so they
/// are kept as values rather than sources.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum CryptoError {
    #[error("passphrase key derivation failed: {0}")]
    Kdf(argon2::Error),
    #[error("no random bytes: {0}")]
    Random(#[source] getrandom::Error),
    #[error("key of the wrong length")]
    Key,
    #[error("sealing failed: {0}")]
    Seal(aes_gcm::Error),
    #[error("key derivation settings over the limits")]
    OverLimits,
}

/// One lock's Argon2id settings and salt (a file's `KDF:` and `Salt:`
/// lines): what turning a passphrase into its key needs besides the
/// passphrase. Travels to the engine worker, which derives the key beside
/// the page (`web/engine/`), so it is serde.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Kdf {
    pub m: u32,
    pub t: u32,
    pub p: u32,
    pub salt: Vec<u8>,
}

impl Kdf {
    /// The settings a new lock is made with, and a fresh random salt.
    pub fn fresh() -> Result<Self, CryptoError> {
        Ok(Kdf {
            m: KDF_M,
            t: KDF_T,
            p: KDF_P,
            salt: random::<16>()?.to_vec(),
        })
    }

    /// Within what a file may ask for (memory, passes, lanes, salt).
    pub fn within_limits(&self) -> bool {
        let Kdf { m, t, p, salt } = self;
        *m <= KDF_MAX_M
            && *t <= KDF_MAX_T
            && *p <= KDF_MAX_P
            && *t > 0
            && *p > 0
            && *m >= 8 * p
            && (8..=64).contains(&salt.len())
    }
}

/// What Argon2id made of a passphrase under one [`Kdf`]: the AES-256-GCM
/// key and the check value a file stores. Never printed.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Key {
    pub(super) key: [u8; 32],
    pub(super) check: [u8; 16],
}

impl std::fmt::Debug for Key {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Key(..)")
    }
}

/// The key and the check value for a passphrase: the slow step of every
/// lock (about 19 MiB and two passes; a file may ask for up to 64 MiB and
/// ten), which the browser runs in the engine worker, never on the page.
pub fn derive(passphrase: &str, kdf: &Kdf) -> Result<Key, CryptoError> {
    if !kdf.within_limits() {
        return Err(CryptoError::OverLimits);
    }
    let params = Params::new(kdf.m, kdf.t, kdf.p, Some(48)).map_err(CryptoError::Kdf)?;
    let mut out = [0u8; 48];
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
        .hash_password_into(passphrase.as_bytes(), &kdf.salt, &mut out)
        .map_err(CryptoError::Kdf)?;
    let mut key = [0u8; 32];
    let mut check = [0u8; 16];
    key.copy_from_slice(&out[..32]);
    check.copy_from_slice(&out[32..]);
    Ok(Key { key, check })
}

/// Random bytes for a salt or a nonce.
pub(super) fn random<const N: usize>() -> Result<[u8; N], CryptoError> {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).map_err(CryptoError::Random)?;
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

/// AES-256-GCM: `msg` sealed under `key` and `nonce`, with `aad` authenticated.
pub(super) fn seal(
    key: &[u8; 32],
    nonce: &[u8],
    aad: &[u8],
    msg: &[u8],
) -> Result<Vec<u8>, CryptoError> {
    Aes256Gcm::new_from_slice(key)
        .map_err(|_| CryptoError::Key)?
        .encrypt(Nonce::from_slice(nonce), Payload { msg, aad })
        .map_err(CryptoError::Seal)
}

/// The bytes [`seal`] sealed; `None` if anything (body, `aad`, key) differs.
pub(super) fn unseal(key: &[u8; 32], nonce: &[u8], aad: &[u8], msg: &[u8]) -> Option<Vec<u8>> {
    Aes256Gcm::new_from_slice(key)
        .ok()?
        .decrypt(Nonce::from_slice(nonce), Payload { msg, aad })
        .ok()
}

/// Whether the check value derived from a passphrase is the one stored,
/// compared in constant time.
pub(super) fn same_check(derived: &[u8], stored: &[u8]) -> bool {
    derived.len() == stored.len()
        && derived
            .iter()
            .zip(stored)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

/// A `KDF:` line's settings (`m=19456,t=2,p=1`), within the limits a file
/// may ask for; `None` for anything else.
pub(super) fn kdf_settings(text: &str, salt: Vec<u8>) -> Option<Kdf> {
    let (mut m, mut t, mut p) = (None, None, None);
    for kv in text.split(',') {
        match kv.trim().split_once('=')? {
            ("m", v) => m = v.parse::<u32>().ok(),
            ("t", v) => t = v.parse::<u32>().ok(),
            ("p", v) => p = v.parse::<u32>().ok(),
            _ => return None,
        }
    }
    let kdf = Kdf {
        m: m?,
        t: t?,
        p: p?,
        salt,
    };
    kdf.within_limits().then_some(kdf)
}

/// Bytes as base64 in lines of 64 characters, each ending in a newline.
pub(super) fn base64_lines(bytes: &[u8]) -> String {
    let b64 = B64.encode(bytes);
    let mut out = String::with_capacity(b64.len() + b64.len() / 64 + 1);
    for line in b64.as_bytes().chunks(64) {
        out.push_str(&String::from_utf8_lossy(line));
        out.push('\n');
    }
    out
}
