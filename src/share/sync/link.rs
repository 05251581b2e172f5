//! The link a carer gives her key worker: the relay document's id and the
//! key, after `#` (browsers never send what follows `#` to any server):
//!
//! `https://plan.council.example/#/keep/<document id>/<key, base64url>`

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::docid::DocumentId;

/// What the link carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Link {
    pub doc: DocumentId,
    pub key: [u8; 32],
}

impl std::fmt::Debug for Link {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Never the key, not even in a log.
        write!(f, "Link({})", self.doc)
    }
}

/// Why a link was not read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkError {
    /// Cut short or changed while being copied.
    Damaged,
}

impl std::fmt::Display for LinkError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("This link is not complete. It may have been cut short when it was copied. Ask the carer to send it again. Nothing was added.")
    }
}

impl Link {
    pub fn new() -> Result<Self, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(Link {
            doc: DocumentId::random()?,
            key,
        })
    }

    /// The part after `#`, starting `/keep/`.
    pub fn fragment(&self) -> String {
        format!("/keep/{}/{}", self.doc, URL_SAFE_NO_PAD.encode(self.key))
    }

    /// The whole link, given the app's address (without any `#`).
    pub fn url(&self, app: &str) -> String {
        let app = app.split('#').next().unwrap_or(app);
        format!("{app}#{}", self.fragment())
    }

    /// Read a link: a whole address, or what follows `#`, or the two
    /// parts after `/keep/`. Spaces and line breaks an email or a message
    /// added are ignored.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
        let after = text
            .rsplit_once("keep/")
            .map(|(_, a)| a)
            .ok_or(LinkError::Damaged)?;
        let (doc, key) = after.split_once('/').ok_or(LinkError::Damaged)?;
        let doc = DocumentId::parse(doc).ok_or(LinkError::Damaged)?;
        let key = URL_SAFE_NO_PAD
            .decode(key)
            .map_err(|_| LinkError::Damaged)?;
        let key: [u8; 32] = key.try_into().map_err(|_| LinkError::Damaged)?;
        Ok(Link { doc, key })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_reads_back_whole_or_in_part_and_a_cut_one_is_refused() {
        let link = Link::new().unwrap();
        let url = link.url("https://plan.example/#/plans");
        assert!(url.starts_with("https://plan.example/#/keep/"));
        assert_eq!(Link::parse(&url), Ok(link.clone()));
        assert_eq!(Link::parse(&link.fragment()), Ok(link.clone()));
        let wrapped = format!("{}\n {}", &url[..30], &url[30..]);
        assert_eq!(Link::parse(&wrapped), Ok(link.clone()));
        assert_eq!(Link::parse(&url[..url.len() - 3]), Err(LinkError::Damaged));
        assert_eq!(
            Link::parse("https://plan.example/"),
            Err(LinkError::Damaged)
        );
        assert!(!format!("{link:?}").contains(&URL_SAFE_NO_PAD.encode(link.key)));
    }
}
