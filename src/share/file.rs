//! The share file: plain text that any messaging app, email or USB stick can
//! carry, holding the shared parts of a plan.
//!
//! Over 400 lines because writing the one format and reading it strictly
//! belong side by side (with their tests); its locks are in `crypto.rs`.
//!
//! ```text
//! Carer Support Plan: shared plan
//! Open this file in the Carer Support Plan app ("Add a copy you were sent").
//!
//! -----BEGIN CARER SUPPORT PLAN-----
//! Format: 1
//! Plan: 6f1c…(32 hex digits)
//! From: Ann Smith (carer)
//! Sent: 2026-11-23T14:05:09Z
//! Sections: plan, about-you, area-health
//! Encryption: argon2id-aes-256-gcm          (or: none)
//! KDF: m=19456,t=2,p=1                       (encrypted only)
//! Salt: <base64, 16 bytes>                   (encrypted only)
//! Nonce: <base64, 12 bytes>                  (encrypted only)
//! Check: <base64, 16 bytes>                  (encrypted only)
//! Checksum: <hex SHA-256>                    (unencrypted, or encrypted in format 2)
//!
//! <base64 of the body, 64 characters a line>
//! -----END CARER SUPPORT PLAN-----
//! ```
//!
//! The body is a bundle of Automerge documents (`crate::doc::bundle`).
//! Encrypted: Argon2id turns the passphrase and salt into 48 bytes; the
//! first 32 are the AES-256-GCM key, the last 16 are the `Check` value (as
//! WinZip's AES format does), which tells a wrong passphrase apart from a
//! changed file. The header lines from `Format` to `Nonce`, rebuilt in this
//! order and joined by `\n`, are the associated data, so changing the plan
//! id, sender or date makes authentication fail. Unencrypted: `Checksum`
//! is SHA-256 over the same header text, a newline and the body; it catches
//! damage, not deliberate change. Encrypted, format 2 (written since damaged
//! files are told from a wrong passphrase): `Checksum` is SHA-256 over the header text, `\nCheck: …`, a newline
//! and the sealed body, so a damaged `Salt`, `KDF` or `Check` line says
//! "changed or damaged", never "wrong passphrase". Format 1 locked files
//! (without it) are still read.

use base64::engine::general_purpose::STANDARD as B64;
use base64::Engine;
use chrono::{DateTime, SecondsFormat, Utc};
use thiserror::Error;

use super::crypto::{
    base64_lines, checksum, derive, kdf_settings, random, same_check, seal, unseal, CryptoError,
    Kdf, Key, CIPHER,
};

use crate::plan::people::name_and_role;
use crate::plan::PlanId;
use crate::plan::Role;
use crate::plan::Section;

/// The newest format version this app reads, and the one it writes for a
/// locked file. Format 2 adds one line to a locked file, `Checksum`: SHA-256
/// over the header lines from `Format` to `Check` and the sealed body, so
/// a changed or damaged `Salt`, `KDF` or `Check` line (or body) is told
/// apart from a wrong passphrase before the passphrase is tried. An
/// unlocked file is unchanged and still written as format 1.
pub const SHARE_FORMAT: u32 = 2;
/// The format of an unlocked file.
const UNLOCKED_FORMAT: u32 = 1;
/// The largest share file the app will read.
pub const MAX_SHARE_BYTES: usize = 20 * 1024 * 1024;
/// The shortest passphrase the app accepts.
pub const MIN_PASSPHRASE_CHARS: usize = 8;

const BEGIN: &str = "-----BEGIN CARER SUPPORT PLAN-----";
const END: &str = "-----END CARER SUPPORT PLAN-----";
/// Why a share file was not written or read. `web/words/` says each to
/// the person, and what a technical person may need to know.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum ShareError {
    #[error("share file over {MAX_SHARE_BYTES} bytes")]
    TooLarge,
    #[error("not a share file")]
    NotAShareFile,
    #[error("share file cut short")]
    Truncated,
    #[error("share format {found}; this version reads up to {SHARE_FORMAT}")]
    NewerFormat { found: u32 },
    #[error("a section this version does not know")]
    UnknownSection,
    #[error("unknown lock")]
    UnknownLock,
    #[error("header damaged")]
    BadHeader(HeaderFault),
    #[error("passphrase needed")]
    NeedsPassphrase,
    #[error("wrong passphrase")]
    WrongPassphrase,
    #[error("checksum or authentication tag does not match")]
    Tampered,
    #[error("passphrase shorter than {MIN_PASSPHRASE_CHARS} characters")]
    WeakPassphrase,
    #[error("lock failed")]
    Crypto(#[from] CryptoError),
}

/// What is wrong with a header that is read strictly.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HeaderFault {
    /// The same line twice (which one would count?).
    Duplicate(&'static str),
    /// A line the format does not have, or one of the other lock's lines.
    Unknown,
}

/// Every header line of formats 1 and 2, in order; the lock's lines last.
const KEYS: [&str; 11] = [
    "Format",
    "Plan",
    "From",
    "Sent",
    "Sections",
    "Encryption",
    "KDF",
    "Salt",
    "Nonce",
    "Check",
    "Checksum",
];
const LOCKED_ONLY: [&str; 4] = ["KDF", "Salt", "Nonce", "Check"];

/// The header's lines: each at most once, each one of [`KEYS`].
fn strict_fields(fields: &[(String, String)]) -> Result<(), ShareError> {
    for (i, (key, _)) in fields.iter().enumerate() {
        let Some(known) = KEYS.iter().find(|k| k.eq_ignore_ascii_case(key)) else {
            return Err(ShareError::BadHeader(HeaderFault::Unknown));
        };
        if fields[..i]
            .iter()
            .any(|(k, _)| k.eq_ignore_ascii_case(known))
        {
            return Err(ShareError::BadHeader(HeaderFault::Duplicate(known)));
        }
    }
    Ok(())
}

/// What the header of a share file says (it crosses the engine worker's
/// protocol: the engine reads a file's header for the page, `Peek`).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct ShareHeader {
    pub format: u32,
    pub plan_id: PlanId,
    /// The sender's name as they gave it (one line, at most 100 characters).
    pub from_name: String,
    pub from_role: Role,
    /// Milliseconds since 1970.
    pub sent_ms: i64,
    /// The parts the file holds (written as their ids).
    pub sections: Vec<Section>,
    pub encrypted: bool,
}

impl ShareHeader {
    /// "Sam Patel (key worker)", or "the key worker" (in running text).
    pub fn from_label(&self) -> String {
        if self.from_name.trim().is_empty() {
            return format!("the {}", self.from_role.noun());
        }
        name_and_role(&self.from_name, self.from_role)
    }
}

/// How a file is locked.
pub enum Lock<'a> {
    Passphrase(&'a str),
    /// A passphrase already turned into its key under these settings
    /// (the browser derives it in the engine worker: [`super::derive`]).
    Key(&'a Kdf, &'a Key),
    /// Sent unencrypted: the carer chose this.
    None,
}

fn clean_name(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .trim()
        .chars()
        .take(100)
        .collect()
}

fn time_text(ms: i64) -> String {
    DateTime::<Utc>::from_timestamp_millis(ms)
        .unwrap_or_default()
        .to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// The header lines covered by authentication, in their fixed order.
fn signed_header(h: &ShareHeader, kdf: Option<(&Kdf, &[u8])>) -> String {
    let mut lines = vec![
        format!("Format: {}", h.format),
        format!("Plan: {}", h.plan_id),
        format!(
            "From: {} ({})",
            clean_name(&h.from_name),
            h.from_role.noun()
        ),
        format!("Sent: {}", time_text(h.sent_ms)),
        format!(
            "Sections: {}",
            h.sections
                .iter()
                .map(Section::id)
                .collect::<Vec<_>>()
                .join(", ")
        ),
    ];
    match kdf {
        Some((k, nonce)) => {
            lines.push(format!("Encryption: {CIPHER}"));
            lines.push(format!("KDF: m={},t={},p={}", k.m, k.t, k.p));
            lines.push(format!("Salt: {}", B64.encode(&k.salt)));
            lines.push(format!("Nonce: {}", B64.encode(nonce)));
        }
        None => lines.push("Encryption: none".into()),
    }
    lines.join("\n")
}

/// Whether a passphrase is long enough to lock a file with.
pub fn check_passphrase(p: &str) -> Result<(), ShareError> {
    if p.trim().chars().count() < MIN_PASSPHRASE_CHARS {
        return Err(ShareError::WeakPassphrase);
    }
    Ok(())
}

/// Write a share file holding `body` (a bundle of the shared parts).
pub fn write(header: &ShareHeader, body: &[u8], lock: Lock<'_>) -> Result<String, ShareError> {
    let mut header = header.clone();
    header.format = UNLOCKED_FORMAT;
    header.from_name = clean_name(&header.from_name);
    let (head, extra, payload) = match lock {
        Lock::Passphrase(p) => {
            check_passphrase(p)?;
            let kdf = Kdf::fresh().map_err(ShareError::Crypto)?;
            let key = derive(p, &kdf).map_err(ShareError::Crypto)?;
            sealed_with(&mut header, body, &kdf, &key)?
        }
        Lock::Key(kdf, key) => sealed_with(&mut header, body, kdf, key)?,
        Lock::None => {
            header.encrypted = false;
            let head = signed_header(&header, None);
            let sum = checksum(&head, body);
            (head, format!("Checksum: {sum}"), body.to_vec())
        }
    };
    let mut out = String::new();
    out.push_str("Carer Support Plan: shared plan\n");
    out.push_str(
        "Open this file in the Carer Support Plan app (\"Add a copy you were sent\").\n\n",
    );
    out.push_str(BEGIN);
    out.push('\n');
    out.push_str(&head);
    out.push('\n');
    out.push_str(&extra);
    out.push_str("\n\n");
    out.push_str(&base64_lines(&payload));
    out.push_str(END);
    out.push('\n');
    Ok(out)
}

/// The lines and the sealed body of a locked file.
fn sealed_with(
    header: &mut ShareHeader,
    body: &[u8],
    kdf: &Kdf,
    key: &Key,
) -> Result<(String, String, Vec<u8>), ShareError> {
    header.encrypted = true;
    header.format = SHARE_FORMAT;
    let nonce = random::<12>().map_err(ShareError::Crypto)?;
    let head = signed_header(header, Some((kdf, &nonce)));
    let sealed = seal(&key.key, &nonce, head.as_bytes(), body).map_err(ShareError::Crypto)?;
    let check_line = format!("Check: {}", B64.encode(key.check));
    let sum = checksum(&format!("{head}\n{check_line}"), &sealed);
    Ok((head, format!("{check_line}\nChecksum: {sum}"), sealed))
}

/// A share file taken apart, not yet opened.
struct Parsed {
    header: ShareHeader,
    kdf: Option<Kdf>,
    nonce: Vec<u8>,
    check: Vec<u8>,
    checksum: String,
    payload: Vec<u8>,
}

/// The header's fields and the body (base64, its lines joined) between the
/// file's BEGIN and END lines; nothing of them checked yet.
fn fields_and_body(text: &str) -> Result<(Vec<(String, String)>, String), ShareError> {
    if text.len() > MAX_SHARE_BYTES {
        return Err(ShareError::TooLarge);
    }
    let Some(start) = text.find(BEGIN) else {
        return Err(ShareError::NotAShareFile);
    };
    let after = &text[start + BEGIN.len()..];
    let Some(end) = after.find(END) else {
        return Err(ShareError::Truncated);
    };
    let inner = &after[..end];
    let mut fields: Vec<(String, String)> = Vec::new();
    let mut body = String::new();
    let mut in_body = false;
    for line in inner.lines().map(str::trim) {
        if !in_body {
            if line.is_empty() {
                if !fields.is_empty() {
                    in_body = true;
                }
                continue;
            }
            match line.split_once(':') {
                Some((k, v)) => fields.push((k.trim().to_owned(), v.trim().to_owned())),
                None => return Err(ShareError::NotAShareFile),
            }
        } else {
            body.push_str(line);
        }
    }
    Ok((fields, body))
}

fn parse(text: &str) -> Result<Parsed, ShareError> {
    let (fields, body) = fields_and_body(text)?;
    let get = |k: &str| -> Option<&str> {
        fields
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(k))
            .map(|(_, v)| v.as_str())
    };
    let formats = fields
        .iter()
        .filter(|(k, _)| k.eq_ignore_ascii_case("Format"))
        .count();
    if formats > 1 {
        return Err(ShareError::BadHeader(HeaderFault::Duplicate("Format")));
    }
    let format: u32 = get("Format")
        .and_then(|v| v.parse().ok())
        .ok_or(ShareError::NotAShareFile)?;
    if format > SHARE_FORMAT {
        return Err(ShareError::NewerFormat { found: format });
    }
    if format == 0 {
        return Err(ShareError::NotAShareFile);
    }
    strict_fields(&fields)?;
    let bad = || ShareError::Tampered;
    let plan_id = get("Plan").and_then(PlanId::parse).ok_or_else(bad)?;
    let from = get("From").ok_or_else(bad)?;
    let spaced = format!(" {from}");
    let (from_name, from_role) = match spaced.rsplit_once(" (") {
        Some((name, "carer)")) => (name.trim().to_owned(), Role::Carer),
        Some((name, "key worker)")) => (name.trim().to_owned(), Role::KeyWorker),
        _ => return Err(bad()),
    };
    let sent_ms = get("Sent")
        .and_then(|v| DateTime::parse_from_rfc3339(v).ok())
        .map(|d| d.timestamp_millis())
        .ok_or_else(bad)?;
    let sections = get("Sections")
        .ok_or_else(bad)?
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| Section::parse(s).ok_or(ShareError::UnknownSection))
        .collect::<Result<Vec<Section>, ShareError>>()?;
    let encrypted = match get("Encryption") {
        Some(CIPHER) => true,
        Some("none") => false,
        Some(_) => return Err(ShareError::UnknownLock),
        None => return Err(bad()),
    };
    let other_lock = |k: &str| {
        if encrypted {
            // Format 1's locked files have no checksum; format 2's do.
            format < 2 && k.eq_ignore_ascii_case("Checksum")
        } else {
            LOCKED_ONLY.iter().any(|l| l.eq_ignore_ascii_case(k))
        }
    };
    if fields.iter().any(|(k, _)| other_lock(k)) {
        return Err(ShareError::BadHeader(HeaderFault::Unknown));
    }
    let payload = B64
        .decode(body.as_bytes())
        .map_err(|_| ShareError::Truncated)?;
    if payload.is_empty() {
        return Err(ShareError::Truncated);
    }
    let header = ShareHeader {
        format,
        plan_id,
        from_name: clean_name(&from_name),
        from_role,
        sent_ms,
        sections,
        encrypted,
    };
    let (kdf, nonce, check, checksum) = lock_lines(&header, &get, &payload)?;
    Ok(Parsed {
        header,
        kdf,
        nonce,
        check,
        checksum,
        payload,
    })
}

/// Key derivation, nonce, check (a locked file) or checksum (an open one).
type LockLines = (Option<Kdf>, Vec<u8>, Vec<u8>, String);

/// What the lock's lines say: for a locked file its key derivation, nonce
/// and check (and, from format 2, its checksum is checked here); for an
/// open one its checksum, checked once the body is read.
fn lock_lines<'a>(
    header: &ShareHeader,
    get: &impl Fn(&str) -> Option<&'a str>,
    payload: &[u8],
) -> Result<LockLines, ShareError> {
    let bad = || ShareError::Tampered;
    let b64 = |k: &str| get(k).and_then(|v| B64.decode(v).ok());
    Ok(if header.encrypted {
        let salt = b64("Salt").ok_or_else(bad)?;
        let kdf = get("KDF")
            .and_then(|k| kdf_settings(k, salt))
            .ok_or_else(bad)?;
        let nonce = b64("Nonce").filter(|n| n.len() == 12).ok_or_else(bad)?;
        let check = b64("Check").filter(|c| c.len() == 16).ok_or_else(bad)?;
        // Format 2: damage to the lock's own lines (or the body) is found
        // here, before any passphrase is asked for or tried, so it is never
        // called a wrong one.
        if header.format >= 2 {
            let sum = get("Checksum").ok_or_else(bad)?.to_ascii_lowercase();
            let head = signed_header(header, Some((&kdf, &nonce)));
            if checksum(&format!("{head}\nCheck: {}", B64.encode(&check)), payload) != sum {
                return Err(bad());
            }
        }
        (Some(kdf), nonce, check, String::new())
    } else {
        let sum = get("Checksum").ok_or_else(bad)?.to_ascii_lowercase();
        (None, Vec::new(), Vec::new(), sum)
    })
}

/// Whether the start of a file can be a share file: checked before a large
/// file is read whole.
pub fn check_start(head: &str) -> Result<(), ShareError> {
    if head.contains(BEGIN) {
        Ok(())
    } else {
        Err(ShareError::NotAShareFile)
    }
}

/// Read a share file's header without opening it: who sent it, when, what
/// it holds and whether it needs a passphrase.
pub fn peek(text: &str) -> Result<ShareHeader, ShareError> {
    Ok(parse(text)?.header)
}

/// Open a share file: its header and body (a bundle of part documents).
/// The passphrase's key is derived here; the browser uses [`Unopened`]
/// instead, so the key is derived beside the page.
pub fn open(text: &str, passphrase: Option<&str>) -> Result<(ShareHeader, Vec<u8>), ShareError> {
    let file = Unopened::read(text)?;
    let key = match (file.lock(), passphrase.filter(|p| !p.is_empty())) {
        (Some(kdf), Some(pass)) => Some(derive(pass, kdf).map_err(ShareError::Crypto)?),
        _ => None,
    };
    file.open(key.as_ref())
}

/// A share file read and checked as far as it can be without the
/// passphrase: its header, and the lock's settings if it is locked.
pub struct Unopened(Parsed);

impl Unopened {
    /// Take the file apart; a damaged or foreign file is refused here.
    pub fn read(text: &str) -> Result<Self, ShareError> {
        Ok(Unopened(parse(text)?))
    }

    /// The lock's settings, if the file is locked with a passphrase.
    pub fn lock(&self) -> Option<&Kdf> {
        self.0.kdf.as_ref()
    }

    /// Open it: `key` is the passphrase's key under [`Unopened::lock`]
    /// (`None` for a file that is not locked, or no passphrase given).
    pub fn open(self, key: Option<&Key>) -> Result<(ShareHeader, Vec<u8>), ShareError> {
        let parsed = self.0;
        match (&parsed.kdf, key) {
            (None, _) => {
                let head = signed_header(&parsed.header, None);
                if checksum(&head, &parsed.payload) != parsed.checksum {
                    return Err(ShareError::Tampered);
                }
                Ok((parsed.header, parsed.payload))
            }
            (Some(_), None) => Err(ShareError::NeedsPassphrase),
            (Some(kdf), Some(key)) => {
                if !same_check(&key.check, &parsed.check) {
                    return Err(ShareError::WrongPassphrase);
                }
                let head = signed_header(&parsed.header, Some((kdf, &parsed.nonce)));
                let body = unseal(&key.key, &parsed.nonce, head.as_bytes(), &parsed.payload)
                    .ok_or(ShareError::Tampered)?;
                Ok((parsed.header, body))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn header() -> ShareHeader {
        ShareHeader {
            format: SHARE_FORMAT,
            plan_id: PlanId::random().unwrap(),
            from_name: "Ann\nSmith".into(),
            from_role: Role::Carer,
            sent_ms: 1_795_000_000_000,
            sections: vec![Section::Plan, Section::Area("health".into())],
            encrypted: false,
        }
    }

    #[test]
    fn a_sender_with_no_name_still_reads() {
        let mut h = header();
        h.from_name = String::new();
        let text = write(&h, b"body", Lock::None).unwrap();
        let back = peek(&text).unwrap();
        assert_eq!(back.from_name, "");
        assert_eq!(back.from_label(), "the carer");
        assert_eq!(open(&text, None).unwrap().1, b"body");
    }

    #[test]
    fn names_are_one_line_and_times_whole_seconds() {
        let text = write(&header(), b"body", Lock::None).unwrap();
        let h = peek(&text).unwrap();
        assert_eq!(h.from_name, "Ann Smith");
        assert_eq!(h.sent_ms, 1_795_000_000_000);
        assert!(text.contains("From: Ann Smith (carer)"));
    }

    /// The Sections line is read into sections and written back to the
    /// same text (it is part of what is authenticated); a section this
    /// version does not know (a newer version's) is its own error.
    #[test]
    fn sections_read_as_sections_and_unknown_ones_say_so() {
        let text = write(&header(), b"body", Lock::None).unwrap();
        assert!(text.contains("\nSections: plan, area-health\n"));
        assert_eq!(peek(&text).unwrap().sections, header().sections);
        for line in [
            "Sections: plan, pets",
            "Sections: plan, area-Health",
            "Sections: plan, area-",
        ] {
            let newer = text.replace("Sections: plan, area-health", line);
            assert_eq!(peek(&newer), Err(ShareError::UnknownSection), "{line}");
            assert_eq!(
                open(&newer, None),
                Err(ShareError::UnknownSection),
                "{line}"
            );
        }
    }
}
