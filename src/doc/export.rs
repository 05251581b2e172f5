//! What of a plan leaves the device: the chosen parts (the plan part
//! always, the private part never), whole for a share file or as the
//! changes since some heads for keeping in step.

use automerge::ChangeHash;

use super::bundle;
use super::document::known_to;
use super::PlanDoc;
use crate::plan::Section;

impl PlanDoc {
    fn sent(&self, chosen: &[Section]) -> Vec<Section> {
        self.parts()
            .filter(|p| p.shareable() && (**p == Section::Plan || chosen.contains(p)))
            .cloned()
            .collect()
    }

    /// The chosen parts, each with its whole history: what a share file carries.
    pub fn export(&self, chosen: &[Section]) -> Vec<u8> {
        let mut out = Vec::new();
        for part in self.sent(chosen) {
            if let Some(doc) = self.part_doc(&part) {
                bundle::push(&mut out, &part, &doc.save());
            }
        }
        out
    }

    /// The changes of the chosen parts not covered by `heads`, and those
    /// parts' heads now: what keeping in step sends next.
    pub fn export_after(
        &self,
        heads: &[ChangeHash],
        chosen: &[Section],
    ) -> (Vec<u8>, Vec<ChangeHash>) {
        let mut out = Vec::new();
        let mut now = Vec::new();
        for part in self.sent(chosen) {
            let Some(doc) = self.part_doc(&part) else {
                continue;
            };
            let bytes = doc.save_after(&known_to(doc, heads));
            if !bytes.is_empty() {
                bundle::push(&mut out, &part, &bytes);
            }
            now.extend(doc.get_heads());
        }
        now.sort();
        (out, now)
    }
}

impl PlanDoc {
    /// The heads of each of the chosen parts this copy holds (section id →
    /// heads): what keeping in step tells the other side it has.
    pub fn part_heads(&self, chosen: &[Section]) -> Vec<(Section, Vec<ChangeHash>)> {
        self.sent(chosen)
            .into_iter()
            .filter_map(|p| {
                let heads = self.part_doc(&p)?.get_heads();
                Some((p, heads))
            })
            .collect()
    }

    /// Whether this copy holds every change up to these heads (parts it
    /// does not have count as not held).
    pub fn holds(&self, parts: &[(Section, Vec<ChangeHash>)]) -> bool {
        parts.iter().all(|(part, heads)| match self.part_doc(part) {
            Some(doc) => heads
                .iter()
                .all(|h| doc.get_change_meta_by_hash(h).is_some()),
            None => heads.is_empty(),
        })
    }
}

impl PlanDoc {
    /// Whether everything this copy holds of `part` up to `mine` is
    /// behind (or at) `theirs`: a copy written at `theirs` had it all.
    pub fn written_after(
        &self,
        part: &Section,
        mine: &[ChangeHash],
        theirs: &[ChangeHash],
    ) -> bool {
        let Some(doc) = self.part_doc(part) else {
            return mine.is_empty();
        };
        if theirs
            .iter()
            .any(|h| doc.get_change_meta_by_hash(h).is_none())
        {
            return false;
        }
        let after: std::collections::BTreeSet<ChangeHash> =
            doc.get_changes(theirs).iter().map(|c| c.hash()).collect();
        mine.iter().all(|h| !after.contains(h))
    }
}
