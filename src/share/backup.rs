//! A backup of everything on a device: every plan, whole (private notes
//! included, since the file stays with its owner), and the settings that
//! matter, in one passphrase-locked text file.
//!
//! Over 400 lines because writing the format and reading it strictly
//! belong side by side (with their tests); its locks are in `crypto.rs`,
//! shared with the share file.
//!
//! ```text
//! Carer Support Plan: backup of everything on a device
//! Keep this file safe. To put it back, open the Carer Support Plan app and choose "Restore from a backup".
//!
//! -----BEGIN CARER SUPPORT PLAN BACKUP-----
//! Format: 1
//! Made: 2026-11-23T14:05:09Z
//! Plans: 50
//! Encryption: argon2id-aes-256-gcm
//! KDF: m=19456,t=2,p=1
//! Salt: <base64, 16 bytes>
//! Nonce: <base64, 12 bytes>
//! Check: <base64, 16 bytes>
//! Checksum: <hex SHA-256>                  (format 2)
//!
//! <base64 of the sealed body, 64 characters a line>
//! -----END CARER SUPPORT PLAN BACKUP-----
//! ```
//!
//! Always locked: Argon2id and AES-256-GCM exactly as a share file
//! (`file.rs`): the lines from `Format` to `Nonce`, in this order joined by
//! `\n`, are the associated data; `Check` tells a wrong passphrase from a
//! changed file. The body, once opened, is a sequence of records
//! `tag (1 byte) | length (4 bytes, big-endian) | data`: first one `S`
//! record (the settings, JSON: [`DeviceSettings`]), then one `P` record per
//! plan (32 hex digits of the plan id, then the plan saved whole by
//! Automerge: `PlanDoc::save`). The header's `Plans` count must match.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use thiserror::Error;

use super::crypto::{
    base64_lines, checksum, derive, kdf_settings, random, same_check, seal, unseal, CryptoError,
    Kdf, Key, CIPHER,
};
use super::file::MIN_PASSPHRASE_CHARS;
use crate::doc::conflict::TextConflict;
use crate::doc::{DocError, PlanDoc};
use crate::plan::{DeviceActor, PlanId};

/// The backup format this app writes and the newest it reads. Format 2
/// adds `Checksum` after `Check`: SHA-256 over the header lines from
/// `Format` to `Check` and the sealed body, so a changed or damaged `Salt`,
/// `KDF` or `Check` line (or body) is told apart from a wrong passphrase
/// before the passphrase is tried. Format 1 backups are still read.
pub const BACKUP_FORMAT: u32 = 2;
/// The largest backup the app will read (a caseload of a few thousand plans).
pub const MAX_BACKUP_BYTES: usize = 256 * 1024 * 1024;

/// How much of a file is read first, to refuse at once a large file that
/// is not a backup (its opening lines are within the first few hundred bytes).
pub const START_BYTES: usize = 64 * 1024;

const BEGIN: &str = "-----BEGIN CARER SUPPORT PLAN BACKUP-----";
const END: &str = "-----END CARER SUPPORT PLAN BACKUP-----";
const SHARE_BEGIN: &str = "-----BEGIN CARER SUPPORT PLAN-----";
const KEYS: [&str; 9] = [
    "Format",
    "Made",
    "Plans",
    "Encryption",
    "KDF",
    "Salt",
    "Nonce",
    "Check",
    "Checksum",
];

/// Why a backup was not made or not restored. `web/words/` says each to
/// the person: what is wrong, that nothing was changed, and what to do.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum BackupError {
    #[error("not a backup")]
    NotABackup,
    #[error("a share file, not a backup")]
    IsAShareFile,
    #[error("backup over {MAX_BACKUP_BYTES} bytes")]
    TooLarge,
    #[error("backup cut short")]
    Truncated,
    #[error("backup format {found}; this version reads format {BACKUP_FORMAT}")]
    NewerFormat { found: u32 },
    #[error("unknown backup format")]
    UnknownFormat,
    #[error("passphrase needed")]
    NeedsPassphrase,
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("authentication tag or plan count does not match")]
    Tampered,
    #[error("a plan in the backup unreadable: {0}")]
    DamagedPlan(String),
    #[error("passphrase shorter than {MIN_PASSPHRASE_CHARS} characters")]
    WeakPassphrase,
    #[error("lock failed")]
    Crypto(#[from] CryptoError),
    #[error("settings not written: {0}")]
    Settings(String),
}

/// The settings that matter on a device: who uses it and, per plan, what
/// this person last saw and which conflicts wait for them. Every field is
/// written, empty or not: the engine's protocol carries these as postcard,
/// which reads back only what was written (backups made before had no
/// `sync_key` or `keeps` when empty, and read as before).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DeviceSettings {
    /// "carer" or "key-worker" (`Role::code`), if they have said.
    #[serde(default)]
    pub role: Option<String>,
    #[serde(default)]
    pub name: String,
    /// Per plan id: the heads (hex) the person last looked at.
    #[serde(default)]
    pub seen: BTreeMap<PlanId, Vec<String>>,
    /// Per plan id: long answers both sides changed, waiting for a choice.
    #[serde(default)]
    pub conflicts: BTreeMap<PlanId, Vec<TextConflict>>,
    /// This device's keys for keeping in step (base64), so a restored
    /// device keeps its place on its plans' lists of devices. Absent in
    /// backups made before devices had to be allowed.
    #[serde(default)]
    pub sync_key: Option<String>,
    /// Per plan id: what keeping it in step holds on this device (base64 of
    /// `share::sync::Keep::save`).
    #[serde(default)]
    pub keeps: BTreeMap<PlanId, String>,
}

/// What a backup holds, as written or as opened (plans not yet checked).
#[derive(Debug, Clone, PartialEq)]
pub struct Backup {
    pub made_ms: i64,
    pub settings: DeviceSettings,
    /// Each plan saved whole (`PlanDoc::save`).
    pub plans: Vec<(PlanId, Vec<u8>)>,
}

fn time_text(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

fn signed_header(format: u32, made_ms: i64, plans: usize, kdf: &Kdf, nonce: &[u8]) -> String {
    [
        format!("Format: {format}"),
        format!("Made: {}", time_text(made_ms)),
        format!("Plans: {plans}"),
        format!("Encryption: {CIPHER}"),
        format!("KDF: m={},t={},p={}", kdf.m, kdf.t, kdf.p),
        format!("Salt: {}", B64.encode(&kdf.salt)),
        format!("Nonce: {}", B64.encode(nonce)),
    ]
    .join("\n")
}

fn record(out: &mut Vec<u8>, tag: u8, parts: &[&[u8]]) {
    let len: usize = parts.iter().map(|p| p.len()).sum();
    out.push(tag);
    out.extend_from_slice(&u32::try_from(len).unwrap_or(u32::MAX).to_be_bytes());
    for p in parts {
        out.extend_from_slice(p);
    }
}

/// Whether a passphrase is long enough to lock a backup with.
pub fn check_passphrase(passphrase: &str) -> Result<(), BackupError> {
    if passphrase.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(BackupError::WeakPassphrase);
    }
    Ok(())
}

/// Write a backup locked with `passphrase`. The key is derived here; the
/// browser derives it beside the page and calls [`write_locked`].
pub fn write(backup: &Backup, passphrase: &str) -> Result<String, BackupError> {
    check_passphrase(passphrase)?;
    let kdf = Kdf::fresh().map_err(BackupError::Crypto)?;
    let key = derive(passphrase, &kdf).map_err(BackupError::Crypto)?;
    write_locked(backup, &kdf, &key)
}

/// Write a backup locked with a passphrase's key under `kdf` (made with
/// [`Kdf::fresh`]).
pub fn write_locked(backup: &Backup, kdf: &Kdf, key: &Key) -> Result<String, BackupError> {
    let mut body = Vec::new();
    let settings =
        serde_json::to_vec(&backup.settings).map_err(|e| BackupError::Settings(e.to_string()))?;
    record(&mut body, b'S', &[&settings]);
    for (id, bytes) in &backup.plans {
        record(&mut body, b'P', &[id.as_str().as_bytes(), bytes]);
    }
    let nonce = random::<12>().map_err(BackupError::Crypto)?;
    let check = key.check;
    let head = signed_header(
        BACKUP_FORMAT,
        backup.made_ms,
        backup.plans.len(),
        kdf,
        &nonce,
    );
    let sealed = seal(&key.key, &nonce, head.as_bytes(), &body).map_err(BackupError::Crypto)?;
    drop(body);
    let mut out = String::with_capacity(sealed.len() * 4 / 3 + 1024);
    out.push_str("Carer Support Plan: backup of everything on a device\n");
    out.push_str("Keep this file safe. To put it back, open the Carer Support Plan app and choose \"Restore from a backup\".\n\n");
    out.push_str(BEGIN);
    out.push('\n');
    out.push_str(&head);
    let with_check = format!("{head}\nCheck: {}", B64.encode(check));
    out.push_str(&format!(
        "\nCheck: {}\nChecksum: {}\n\n",
        B64.encode(check),
        checksum(&with_check, &sealed)
    ));
    out.push_str(&base64_lines(&sealed));
    out.push_str(END);
    out.push('\n');
    Ok(out)
}

/// A backup taken apart, not yet opened.
pub struct Sealed {
    format: u32,
    pub made_ms: i64,
    pub plans: usize,
    kdf: Kdf,
    nonce: Vec<u8>,
    check: Vec<u8>,
    payload: Vec<u8>,
}

/// Whether the start of a file (its first [`START_BYTES`]) can be a backup:
/// checked before a large file is read whole.
pub fn check_start(head: &str) -> Result<(), BackupError> {
    if head.contains(BEGIN) {
        Ok(())
    } else if head.contains(SHARE_BEGIN) {
        Err(BackupError::IsAShareFile)
    } else {
        Err(BackupError::NotABackup)
    }
}

/// Read a backup's header strictly: when it was made and how many plans it
/// holds, without the passphrase.
pub fn peek(text: &str) -> Result<Sealed, BackupError> {
    if text.len() > MAX_BACKUP_BYTES {
        return Err(BackupError::TooLarge);
    }
    let Some(start) = text.find(BEGIN) else {
        return Err(if text.contains(SHARE_BEGIN) {
            BackupError::IsAShareFile
        } else {
            BackupError::NotABackup
        });
    };
    let inner = &text[start + BEGIN.len()..];
    let Some(end) = inner.find(END) else {
        return Err(BackupError::Truncated);
    };
    let mut lines = inner[..end]
        .lines()
        .map(str::trim)
        .skip_while(|l| l.is_empty());
    let mut fields: Vec<(&str, &str)> = Vec::new();
    for line in lines.by_ref() {
        if line.is_empty() {
            break;
        }
        let (k, v) = line.split_once(':').ok_or(BackupError::Tampered)?;
        fields.push((k.trim(), v.trim()));
    }
    let body: String = lines.collect();
    // The format is read first, so a newer file says so rather than "changed".
    let format = fields
        .iter()
        .find(|(k, _)| *k == "Format")
        .and_then(|(_, v)| v.parse::<u32>().ok())
        .ok_or(BackupError::NotABackup)?;
    if format > BACKUP_FORMAT {
        return Err(BackupError::NewerFormat { found: format });
    }
    if format == 0 {
        return Err(BackupError::UnknownFormat);
    }
    // Exactly the format's lines, once each, in order (format 1 has no
    // Checksum).
    let keys: Vec<&str> = fields.iter().map(|(k, _)| *k).collect();
    let want = if format == 1 { &KEYS[..8] } else { &KEYS[..] };
    if keys != want {
        return Err(BackupError::Tampered);
    }
    let get = |i: usize| fields[i].1;
    if get(3) != CIPHER {
        return Err(BackupError::Tampered);
    }
    let made_ms = DateTime::parse_from_rfc3339(get(1))
        .map(|d| d.timestamp_millis())
        .map_err(|_| BackupError::Tampered)?;
    let plans: usize = get(2).parse().map_err(|_| BackupError::Tampered)?;
    let b64 = |i: usize| B64.decode(get(i)).map_err(|_| BackupError::Tampered);
    let kdf = kdf_settings(get(4), b64(5)?).ok_or(BackupError::Tampered)?;
    let nonce = b64(6)
        .ok()
        .filter(|n| n.len() == 12)
        .ok_or(BackupError::Tampered)?;
    let check = b64(7)
        .ok()
        .filter(|c| c.len() == 16)
        .ok_or(BackupError::Tampered)?;
    let payload = B64
        .decode(body.as_bytes())
        .map_err(|_| BackupError::Truncated)?;
    // The body holds at least the settings record and the tag.
    if payload.len() < 16 + 5 {
        return Err(BackupError::Truncated);
    }
    // Damage to the lock's own lines (or the body) is found before the
    // passphrase is tried, so it is never called a wrong one.
    if format >= 2 {
        let head = signed_header(format, made_ms, plans, &kdf, &nonce);
        let with_check = format!("{head}\nCheck: {}", B64.encode(&check));
        if checksum(&with_check, &payload) != get(8).to_ascii_lowercase() {
            return Err(BackupError::Tampered);
        }
    }
    Ok(Sealed {
        format,
        made_ms,
        plans,
        kdf,
        nonce,
        check,
        payload,
    })
}

/// Open a backup: authenticate it and take out its settings and plans'
/// bytes. The plans are checked by [`check`]. The key is derived here; the
/// browser derives it beside the page and calls [`Sealed::open`].
pub fn open(text: &str, passphrase: &str) -> Result<Backup, BackupError> {
    let sealed = peek(text)?;
    if passphrase.is_empty() {
        return Err(BackupError::NeedsPassphrase);
    }
    let key = derive(passphrase, sealed.lock()).map_err(BackupError::Crypto)?;
    sealed.open(&key)
}

impl Sealed {
    /// The lock's settings: what deriving the passphrase's key needs.
    pub fn lock(&self) -> &Kdf {
        &self.kdf
    }

    /// Open it with the passphrase's key under [`Sealed::lock`].
    pub fn open(self, key: &Key) -> Result<Backup, BackupError> {
        if !same_check(&key.check, &self.check) {
            return Err(BackupError::WrongPassphrase);
        }
        let head = signed_header(
            self.format,
            self.made_ms,
            self.plans,
            &self.kdf,
            &self.nonce,
        );
        let body = unseal(&key.key, &self.nonce, head.as_bytes(), &self.payload)
            .ok_or(BackupError::Tampered)?;
        let backup = records(&body, self.made_ms)?;
        if backup.plans.len() != self.plans {
            return Err(BackupError::Tampered);
        }
        Ok(backup)
    }
}

/// The records of an opened body. Authenticated already, so any fault here
/// means a file made wrongly: refused as damaged.
fn records(mut body: &[u8], made_ms: i64) -> Result<Backup, BackupError> {
    let mut settings = None;
    let mut plans = Vec::new();
    while !body.is_empty() {
        if body.len() < 5 {
            return Err(BackupError::Tampered);
        }
        let tag = body[0];
        let len = u32::from_be_bytes([body[1], body[2], body[3], body[4]]) as usize;
        let data = body.get(5..5 + len).ok_or(BackupError::Tampered)?;
        body = &body[5 + len..];
        match (tag, settings.is_some()) {
            (b'S', false) => {
                settings = Some(serde_json::from_slice(data).map_err(|_| BackupError::Tampered)?)
            }
            (b'P', true) if data.len() > 32 => {
                let id = std::str::from_utf8(&data[..32])
                    .ok()
                    .and_then(PlanId::parse)
                    .ok_or(BackupError::Tampered)?;
                plans.push((id, data[32..].to_vec()));
            }
            _ => return Err(BackupError::Tampered),
        }
    }
    Ok(Backup {
        made_ms,
        settings: settings.ok_or(BackupError::Tampered)?,
        plans,
    })
}

/// Load one plan of an opened backup, checked against every limit of a plan
/// (as a share file's copy is) and against the id it was filed under.
pub fn check_plan(id: &PlanId, bytes: &[u8], actor: &DeviceActor) -> Result<PlanDoc, BackupError> {
    let doc = PlanDoc::load_incoming(bytes, actor).map_err(|e| damaged(id, &e))?;
    if doc.plan_id() != id {
        return Err(damaged(id, &DocError::DifferentPlan));
    }
    Ok(doc)
}

fn damaged(id: &PlanId, e: &DocError) -> BackupError {
    BackupError::DamagedPlan(format!("Plan {}: {e}", &id.as_str()[..8]))
}

/// Every plan of an opened backup, loaded and checked; the first that
/// fails refuses the whole backup, so nothing is stored from a damaged one.
pub fn check(backup: &Backup, actor: &DeviceActor) -> Result<Vec<PlanDoc>, BackupError> {
    backup
        .plans
        .iter()
        .map(|(id, bytes)| check_plan(id, bytes, actor))
        .collect()
}

/// Restore one plan into the copy this device holds, if any: a merge that
/// keeps both sides' edits and never overwrites. Returns the plan to keep.
pub fn merge_into(mine: Option<PlanDoc>, mut theirs: PlanDoc) -> Result<PlanDoc, BackupError> {
    match mine {
        None => Ok(theirs),
        Some(mut mine) => {
            let id = mine.plan_id().clone();
            mine.merge(&mut theirs).map_err(|e| damaged(&id, &e))?;
            Ok(mine)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn empty() -> Backup {
        Backup {
            made_ms: 1_795_000_000_000,
            settings: DeviceSettings {
                role: Some("key-worker".into()),
                name: "Sam".into(),
                ..DeviceSettings::default()
            },
            plans: Vec::new(),
        }
    }

    #[test]
    fn an_empty_device_backs_up_and_reads_back() {
        let text = write(&empty(), "kettle garden Tuesday").unwrap();
        assert_eq!(peek(&text).unwrap().plans, 0);
        assert_eq!(open(&text, "kettle garden Tuesday").unwrap(), empty());
        assert_eq!(
            open(&text, "kettle garden tuesday"),
            Err(BackupError::WrongPassphrase)
        );
        assert_eq!(write(&empty(), "short"), Err(BackupError::WeakPassphrase));
    }
}
