//! A device's own keys for keeping in step: an Ed25519 key that signs
//! everything the device puts on the relay, and an X25519 key other devices
//! use to hand it the plan's keys. Made on first use, kept on the device,
//! never sent anywhere but as public keys.
//!
//! Also the short code both screens show when a device asks to join
//! ("Does their screen show 482 193?") and the sealing of a key for one
//! device (X25519 with a fresh key, HKDF-SHA-256, AES-256-GCM).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use ed25519_dalek::{Signature, Signer, SigningKey, Verifier, VerifyingKey};
use hkdf::Hkdf;
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

use super::docid::DocumentId;

/// A device's public signing key: its identity in a plan's list of devices.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DeviceId(pub [u8; 32]);

impl std::fmt::Debug for DeviceId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "DeviceId({})", self.short())
    }
}

impl DeviceId {
    /// Sixteen hex digits: enough to tell devices apart in keys and logs.
    pub fn short(&self) -> String {
        crate::plan::ids::hex(&self.0[..8])
    }

    /// Whether `sig` is this device's signature of `msg`.
    pub fn verify(&self, msg: &[u8], sig: &[u8; 64]) -> bool {
        let Ok(key) = VerifyingKey::from_bytes(&self.0) else {
            return false;
        };
        key.verify(msg, &Signature::from_bytes(sig)).is_ok()
    }
}

/// This device's secret keys.
#[derive(Clone)]
pub struct DeviceKey {
    sign: SigningKey,
    dh: StaticSecret,
}

impl std::fmt::Debug for DeviceKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the secret, not even in a log.
        write!(f, "DeviceKey({})", self.id().short())
    }
}

/// Why a sealed key did not open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unopened;

impl DeviceKey {
    /// New keys from the system's randomness.
    pub fn generate() -> Result<Self, getrandom::Error> {
        let (mut sign, mut dh) = ([0u8; 32], [0u8; 32]);
        getrandom::fill(&mut sign)?;
        getrandom::fill(&mut dh)?;
        Ok(DeviceKey {
            sign: SigningKey::from_bytes(&sign),
            dh: StaticSecret::from(dh),
        })
    }

    /// The keys as stored on the device (64 bytes: signing seed, X25519 secret).
    pub fn to_bytes(&self) -> [u8; 64] {
        let mut out = [0u8; 64];
        out[..32].copy_from_slice(&self.sign.to_bytes());
        out[32..].copy_from_slice(&self.dh.to_bytes());
        out
    }

    /// How many bytes a device's keys are (`to_bytes`): any bytes of this
    /// length are keys, so the page makes and keeps them as bytes, and
    /// links none of the curves' code.
    pub const LEN: usize = 64;

    pub fn from_bytes(bytes: &[u8]) -> Option<Self> {
        let sign: [u8; 32] = bytes.get(..32)?.try_into().ok()?;
        let dh: [u8; 32] = bytes.get(32..64)?.try_into().ok()?;
        (bytes.len() == 64).then(|| DeviceKey {
            sign: SigningKey::from_bytes(&sign),
            dh: StaticSecret::from(dh),
        })
    }

    pub fn id(&self) -> DeviceId {
        DeviceId(self.sign.verifying_key().to_bytes())
    }

    /// The public key other devices seal keys to.
    pub fn dh_public(&self) -> [u8; 32] {
        PublicKey::from(&self.dh).to_bytes()
    }

    pub fn sign(&self, msg: &[u8]) -> [u8; 64] {
        self.sign.sign(msg).to_bytes()
    }

    /// Open what [`seal_for`] sealed to this device.
    pub fn open_sealed(&self, sealed: &[u8], context: &[u8]) -> Result<Vec<u8>, Unopened> {
        if sealed.len() < 32 + 12 + 16 {
            return Err(Unopened);
        }
        let eph: [u8; 32] = sealed[..32].try_into().map_err(|_| Unopened)?;
        let shared = self.dh.diffie_hellman(&PublicKey::from(eph));
        let cipher = wrap_cipher(shared.as_bytes(), &eph, &self.dh_public(), context)?;
        cipher
            .decrypt(
                Nonce::from_slice(&sealed[32..44]),
                Payload {
                    msg: &sealed[44..],
                    aad: context,
                },
            )
            .map_err(|_| Unopened)
    }
}

fn wrap_cipher(
    shared: &[u8; 32],
    eph: &[u8; 32],
    to: &[u8; 32],
    context: &[u8],
) -> Result<Aes256Gcm, Unopened> {
    // An all-zero shared secret means a low-order public key: refuse.
    if shared.iter().all(|b| *b == 0) {
        return Err(Unopened);
    }
    let mut info = b"carer-support-plan key for one device 1\n".to_vec();
    info.extend_from_slice(eph);
    info.extend_from_slice(to);
    let hk = Hkdf::<Sha256>::new(Some(context), shared);
    let mut key = [0u8; 32];
    hk.expand(&info, &mut key).map_err(|_| Unopened)?;
    Aes256Gcm::new_from_slice(&key).map_err(|_| Unopened)
}

/// Seal `secret` so that only the device whose X25519 public key is `to`
/// opens it: `ephemeral public key (32) | nonce (12) | ciphertext and tag`.
pub fn seal_for(to: &[u8; 32], secret: &[u8], context: &[u8]) -> Result<Vec<u8>, Unopened> {
    let (mut eph_seed, mut nonce) = ([0u8; 32], [0u8; 12]);
    getrandom::fill(&mut eph_seed).map_err(|_| Unopened)?;
    getrandom::fill(&mut nonce).map_err(|_| Unopened)?;
    let eph_secret = StaticSecret::from(eph_seed);
    let eph = PublicKey::from(&eph_secret).to_bytes();
    let shared = eph_secret.diffie_hellman(&PublicKey::from(*to));
    let cipher = wrap_cipher(shared.as_bytes(), &eph, to, context)?;
    let sealed = cipher
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: secret,
                aad: context,
            },
        )
        .map_err(|_| Unopened)?;
    let mut out = Vec::with_capacity(32 + 12 + sealed.len());
    out.extend_from_slice(&eph);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Ok(out)
}

/// The six digits both screens show for a device asking to join a plan
/// (from the relay document and the device's key, so a device cannot show
/// one code and send another), written "482 193".
pub fn pairing_code(doc: &DocumentId, device: &DeviceId) -> String {
    let mut h = Sha256::new();
    h.update(b"carer-support-plan pairing code 1\n");
    h.update(doc.bytes());
    h.update(device.0);
    let d = h.finalize();
    let n = u32::from_be_bytes([d[0], d[1], d[2], d[3]]) % 1_000_000;
    format!("{:03} {:03}", n / 1000, n % 1000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_sign_seal_and_round_trip_and_nothing_else_opens_them() {
        let a = DeviceKey::generate().unwrap();
        let b = DeviceKey::generate().unwrap();
        let sig = a.sign(b"hello");
        assert!(a.id().verify(b"hello", &sig));
        assert!(!a.id().verify(b"hellp", &sig));
        assert!(!b.id().verify(b"hello", &sig));
        let back = DeviceKey::from_bytes(&a.to_bytes()).unwrap();
        assert_eq!(back.id(), a.id());
        assert_eq!(back.dh_public(), a.dh_public());

        let sealed = seal_for(&b.dh_public(), b"the key", b"ctx").unwrap();
        assert_eq!(b.open_sealed(&sealed, b"ctx").unwrap(), b"the key");
        assert_eq!(a.open_sealed(&sealed, b"ctx"), Err(Unopened));
        assert_eq!(b.open_sealed(&sealed, b"other"), Err(Unopened));
        let mut t = sealed.clone();
        t[50] ^= 1;
        assert_eq!(b.open_sealed(&t, b"ctx"), Err(Unopened));
        // A low-order point as the sender's key is refused, not used.
        let mut zero = sealed.clone();
        zero[..32].fill(0);
        assert_eq!(b.open_sealed(&zero, b"ctx"), Err(Unopened));

        let doc = DocumentId::from_bytes([7; 16]);
        let code = pairing_code(&doc, &a.id());
        assert_eq!(code.len(), 7);
        assert_eq!(code, pairing_code(&doc, &a.id()));
        assert_ne!(
            code,
            pairing_code(&DocumentId::from_bytes([8; 16]), &a.id())
        );
    }
}
