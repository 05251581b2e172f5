//! A part's document read as it is, or as it was at older heads without
//! rebuilding it.
//!
//! `Automerge::fork_at` replays every change up to the heads into a new
//! document: on a plan with 20,000 edits that is 100–200 ms natively for
//! each version read, and the sign-off screens read several. Automerge can
//! answer every read "as at heads" from the document it has (`get_at`,
//! `map_range_at`, `text_at`…, its own API); [`At`] gives autosurgeon's
//! hydration those reads, so a part is read at a version in the time it
//! takes to read it now. Every read of a part document goes through [`At`]
//! (`heads: None` for the document as it is), so the plan's hydration is
//! compiled once for it, not once for each way of reading.

use std::ops::RangeBounds;

use automerge::{self as am, AutomergeError, ChangeHash, ObjId, ReadDoc as _, Value};

/// `doc` as it is, or as it was at `heads` (hashes this document holds),
/// for reading.
pub(crate) struct At<'a> {
    doc: &'a am::Automerge,
    heads: Option<&'a [ChangeHash]>,
}

impl<'a> At<'a> {
    /// The document as it is.
    pub(crate) fn now(doc: &'a am::Automerge) -> Self {
        At { doc, heads: None }
    }

    /// The document as it was at `heads`.
    pub(crate) fn then(doc: &'a am::Automerge, heads: &'a [ChangeHash]) -> Self {
        At {
            doc,
            heads: Some(heads),
        }
    }
}

impl autosurgeon::ReadDoc for At<'_> {
    type Parents<'b>
        = am::Parents<'b>
    where
        Self: 'b;

    fn get_heads(&self) -> Vec<ChangeHash> {
        match self.heads {
            Some(h) => h.to_vec(),
            None => self.doc.get_heads(),
        }
    }

    fn get<P: Into<am::Prop>>(
        &self,
        obj: &ObjId,
        prop: P,
    ) -> Result<Option<(Value<'_>, ObjId)>, AutomergeError> {
        match self.heads {
            Some(h) => self.doc.get_at(obj, prop, h),
            None => am::ReadDoc::get(self.doc, obj, prop),
        }
    }

    fn object_type<O: AsRef<ObjId>>(&self, obj: O) -> Option<am::ObjType> {
        am::ReadDoc::object_type(self.doc, obj).ok()
    }

    fn map_range<'b, O: AsRef<ObjId>, R: RangeBounds<String> + 'b>(
        &'b self,
        obj: O,
        range: R,
    ) -> am::iter::MapRange<'b> {
        match self.heads {
            Some(h) => self.doc.map_range_at(obj, range, h),
            None => am::ReadDoc::map_range(self.doc, obj, range),
        }
    }

    fn list_range<O: AsRef<ObjId>, R: RangeBounds<usize>>(
        &self,
        obj: O,
        range: R,
    ) -> am::iter::ListRange<'_> {
        match self.heads {
            Some(h) => self.doc.list_range_at(obj, range, h),
            None => am::ReadDoc::list_range(self.doc, obj, range),
        }
    }

    fn length<O: AsRef<ObjId>>(&self, obj: O) -> usize {
        match self.heads {
            Some(h) => self.doc.length_at(obj, h),
            None => am::ReadDoc::length(self.doc, obj),
        }
    }

    fn text<O: AsRef<ObjId>>(&self, obj: O) -> Result<String, AutomergeError> {
        match self.heads {
            Some(h) => self.doc.text_at(obj, h),
            None => am::ReadDoc::text(self.doc, obj),
        }
    }

    fn parents<O: AsRef<ObjId>>(&self, obj: O) -> Result<Self::Parents<'_>, AutomergeError> {
        match self.heads {
            Some(h) => self.doc.parents_at(obj, h),
            None => am::ReadDoc::parents(self.doc, obj),
        }
    }

    fn is_empty(&self) -> bool {
        match self.heads {
            Some(h) => self.doc.keys_at(am::ROOT, h).count() == 0,
            None => am::ReadDoc::keys(self.doc, am::ROOT).count() == 0,
        }
    }
}
