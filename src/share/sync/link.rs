//! The link a carer gives her key worker: the relay document's id and the
//! key, after `#` (browsers never send what follows `#` to any server):
//!
//! `https://plan.council.example/#/keep/<document id>/<key, base64url>`

use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;

use super::docid::DocumentId;
use super::identity::DeviceId;

/// What the link carries.
#[derive(Clone, PartialEq, Eq)]
pub struct Link {
    pub doc: DocumentId,
    /// Lets a device read and write join requests, nothing more.
    pub key: [u8; 32],
    /// The carer's device that decides who is in (links made before
    /// devices had to be allowed have none).
    pub root: Option<DeviceId>,
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

impl Link {
    pub fn new() -> Result<Self, getrandom::Error> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key)?;
        Ok(Link {
            doc: DocumentId::random()?,
            key,
            root: None,
        })
    }

    /// The part after `#`, starting `/keep/`:
    /// `/keep/<document id>/<key>/<carer's device>` (base64url).
    pub fn fragment(&self) -> String {
        fragment(&self.doc.to_string(), &self.key, self.root.as_ref())
    }

    /// The whole link, given the app's address (without any `#`).
    pub fn url(&self, app: &str) -> String {
        url_of(&self.fragment(), app)
    }

    /// Read a link: a whole address, or what follows `#`, or the two
    /// parts after `/keep/`. Spaces and line breaks an email or a message
    /// added are ignored.
    pub fn parse(text: &str) -> Result<Self, LinkError> {
        let (doc, key, root) = pieces(text)?;
        let doc = DocumentId::parse(&doc).ok_or(LinkError::Damaged)?;
        Ok(Link { doc, key, root })
    }
}

/// The link as a QR code (SVG, 220 pixels or more a side), for the key
/// worker to scan from the carer's screen; none for text too long for one.
/// Drawn by the engine worker (`Request::Qr`), so the page module carries
/// no QR code (issue #21).
pub fn qr_svg(url: &str) -> Option<String> {
    use qrcode::render::svg;
    let code = qrcode::QrCode::with_error_correction_level(url, qrcode::EcLevel::M).ok()?;
    Some(
        code.render::<svg::Color<'_>>()
            .min_dimensions(220, 220)
            .dark_color(svg::Color("#0b0c0c"))
            .light_color(svg::Color("#ffffff"))
            .build(),
    )
}

/// A whole link, given its part after `#` and the app's address.
pub fn url_of(fragment: &str, app: &str) -> String {
    let app = app.split('#').next().unwrap_or(app);
    format!("{app}#{fragment}")
}

/// A link's part after `#` (`/keep/…`), read as [`Link::parse`] reads it,
/// but for its document id's check: that needs SHA-256, which the page
/// module does not carry (issue #21). The engine reads the whole link,
/// check and all, when the device asks to join.
pub fn fragment_of(text: &str) -> Result<String, LinkError> {
    let (doc, key, root) = pieces(text)?;
    if !DocumentId::well_formed(&doc) {
        return Err(LinkError::Damaged);
    }
    Ok(fragment(&doc, &key, root.as_ref()))
}

/// `/keep/<document id>/<key>/<carer's device>`, the last two base64url.
fn fragment(doc: &str, key: &[u8; 32], root: Option<&DeviceId>) -> String {
    let mut f = format!("/keep/{doc}/{}", URL_SAFE_NO_PAD.encode(key));
    if let Some(root) = root {
        f.push('/');
        f.push_str(&URL_SAFE_NO_PAD.encode(root.0));
    }
    f
}

/// The document id (as written), the key and the carer's device.
fn pieces(text: &str) -> Result<(String, [u8; 32], Option<DeviceId>), LinkError> {
    let text: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let after = text
        .rsplit_once("keep/")
        .map(|(_, a)| a)
        .ok_or(LinkError::Damaged)?;
    let mut pieces = after.split('/');
    let doc = pieces.next().ok_or(LinkError::Damaged)?;
    let key = pieces.next().ok_or(LinkError::Damaged)?;
    let root = pieces.next();
    if pieces.next().is_some() {
        return Err(LinkError::Damaged);
    }
    let bytes32 = |s: &str| -> Result<[u8; 32], LinkError> {
        let b = URL_SAFE_NO_PAD.decode(s).map_err(|_| LinkError::Damaged)?;
        b.try_into().map_err(|_| LinkError::Damaged)
    };
    let key = bytes32(key)?;
    let root = root.map(bytes32).transpose()?.map(DeviceId);
    Ok((doc.to_owned(), key, root))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_drawn_as_a_qr_code_and_text_too_long_for_one_is_not() {
        let url = Link::new().unwrap().url("https://plan.example/#/plans");
        let svg = qr_svg(&url).unwrap();
        assert!(svg.starts_with("<?xml") && svg.contains("<svg") && svg.contains("#0b0c0c"));
        assert!(qr_svg(&"x".repeat(5000)).is_none());
    }

    #[test]
    fn a_link_reads_back_whole_or_in_part_and_a_cut_one_is_refused() {
        let mut link = Link::new().unwrap();
        link.root = Some(DeviceId([4; 32]));
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
        // A link from before devices had to be allowed still reads.
        let old = format!(
            "https://plan.example/#/keep/{}/{}",
            link.doc,
            URL_SAFE_NO_PAD.encode(link.key)
        );
        assert_eq!(Link::parse(&old).unwrap().root, None);
        // Its part after `#` read without the id's check: the same.
        assert_eq!(fragment_of(&url), Ok(link.fragment()));
        assert_eq!(fragment_of(&wrapped), Ok(link.fragment()));
        assert_eq!(fragment_of(&url[..url.len() - 3]), Err(LinkError::Damaged));
        // A letter of the id changed: whole in shape, refused by its check.
        let doc = link.doc.to_string();
        let swap = if doc.ends_with('2') { '3' } else { '2' };
        let changed = format!(
            "https://plan.example/#/keep/{}{swap}/{}",
            &doc[..doc.len() - 1],
            URL_SAFE_NO_PAD.encode(link.key)
        );
        assert!(fragment_of(&changed).is_ok());
        assert_eq!(Link::parse(&changed), Err(LinkError::Damaged));
    }
}
