//! Where bundles go in a plan's sealed document: on one of a fixed set of
//! shelves (maps of the root) the carer's device makes when it starts
//! keeping the plan in step, so the root does not grow with every bundle.
//!
//! Why: the relay (automerge-repo) keeps each document as a JavaScript
//! object and copies every object on a change's path when it takes the
//! change in. With every bundle a key of the root, each change copied a
//! root that grows with the plan's whole history (about 0.4 µs a key: 0.2
//! ms a change at 500 bundles, 2 ms at 5,000). On 64 shelves a change
//! copies a root of about 64 keys and a shelf of a 64th of the bundles
//! (BENCHMARKS.md, "Relay CPU per change (#23, item 4)").
//!
//! Safe to mix with every earlier document: readers take entries from the
//! document's history whatever map they were put in (`Keep::collect_entries`),
//! and a document made before shelves (none at its root) keeps its bundles
//! at the root. Only one device ever makes a document's shelves, in its
//! first change, before anyone else can write a bundle (a device writes
//! only once it is on a list of devices, which comes later in the same
//! device's history): two devices never make the same shelf, so no shelf
//! is hidden by another (which would hide what is put in it from the relay).

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value, ROOT};

/// How many shelves a new sealed document has.
pub const SHELVES: u32 = 64;

fn name(i: u32) -> String {
    format!("s{i:02}")
}

/// Make the shelves (in the transaction of a document's first change).
pub fn make(tx: &mut Transaction<'_>) -> Result<(), automerge::AutomergeError> {
    for i in 0..SHELVES {
        tx.put_object(ROOT, name(i), ObjType::Map)?;
    }
    Ok(())
}

/// The map the bundle `seq` of `writer` goes in: a shelf chosen from both
/// (a writer's bundles go round the shelves), or the root of a document
/// without shelves.
pub fn for_bundle(doc: &Automerge, writer: &str, seq: u64) -> ObjId {
    let spread = writer
        .bytes()
        .fold(0u32, |h, b| h.wrapping_mul(31).wrapping_add(u32::from(b)));
    let shelf = name(((u64::from(spread) + seq) % u64::from(SHELVES)) as u32);
    match doc.get(ROOT, shelf.as_str()) {
        Ok(Some((Value::Object(ObjType::Map), id))) => id,
        _ => ROOT,
    }
}
