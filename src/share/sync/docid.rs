//! automerge-repo's document ids: 16 bytes written in base58 with a
//! checksum (bs58check); `automerge:<id>` is the same id as a URL.

/// The id of one document on the relay.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocumentId([u8; 16]);

impl DocumentId {
    /// A new random id (what automerge-repo makes with a UUID v4's bytes).
    pub fn random() -> Result<Self, getrandom::Error> {
        let mut b = [0u8; 16];
        getrandom::fill(&mut b)?;
        Ok(DocumentId(b))
    }

    pub fn from_bytes(b: [u8; 16]) -> Self {
        DocumentId(b)
    }

    pub fn bytes(&self) -> &[u8; 16] {
        &self.0
    }

    /// Read an id as automerge-repo writes it; `None` for anything else.
    pub fn parse(s: &str) -> Option<Self> {
        let s = s.strip_prefix("automerge:").unwrap_or(s);
        if s.is_empty() || s.len() > 40 {
            return None;
        }
        let bytes = bs58::decode(s).with_check(None).into_vec().ok()?;
        Some(DocumentId(bytes.try_into().ok()?))
    }

    /// Whether `s` could be an id: base58 of the right length (the id and
    /// its check), the check itself not made (see `link::fragment_of`).
    pub fn well_formed(s: &str) -> bool {
        let s = s.strip_prefix("automerge:").unwrap_or(s);
        !s.is_empty()
            && s.len() <= 40
            && bs58::decode(s).into_vec().is_ok_and(|b| b.len() == 16 + 4)
    }

    pub fn url(&self) -> String {
        format!("automerge:{self}")
    }
}

impl std::fmt::Display for DocumentId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&bs58::encode(self.0).with_check().into_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_id_reads_back_and_a_damaged_one_does_not() {
        let id = DocumentId::from_bytes([7; 16]);
        let text = id.to_string();
        assert_eq!(DocumentId::parse(&text), Some(id.clone()));
        assert_eq!(DocumentId::parse(&id.url()), Some(id));
        let mut damaged = text.into_bytes();
        damaged[3] = if damaged[3] == b'2' { b'3' } else { b'2' };
        assert_eq!(
            DocumentId::parse(std::str::from_utf8(&damaged).unwrap()),
            None
        );
        assert_eq!(DocumentId::parse(""), None);
        assert_eq!(DocumentId::parse("0OIl"), None);
    }
}
