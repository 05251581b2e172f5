//! What loading a copy's bytes would cost, counted before Automerge loads
//! them: its operations, changes, authors and the bytes its compressed
//! columns inflate to.
//!
//! Automerge has no public way to count a document's operations without
//! loading it all, and loading is linear in them: a 3 KB document can hold
//! 2,000,000 operations (one run-length-encoded column) and take seconds to
//! load. So this reads only the framing of the published binary format
//! (<https://automerge.org/automerge-binary-format-spec/>): chunk headers,
//! column specifications, and the run lengths of each column, inflating
//! compressed columns no further than the budget left. It never interprets
//! a value: Automerge's own loader still decides what the bytes mean, and
//! `incoming.rs` checks the loaded documents with Automerge's API.

use std::io::Read;

use flate2::bufread::DeflateDecoder;

use crate::plan::limits::{Limit, MAX_ACTORS, MAX_CHANGES, MAX_INFLATED_BYTES, MAX_OPS};

const MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];
/// No chunk of the format has more columns than this.
const MAX_COLUMNS: u64 = 64;

/// What the bytes hold, summed over every chunk counted so far.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Cost {
    pub ops: usize,
    pub changes: usize,
    pub actors: usize,
    pub inflated: usize,
}

/// Why counting stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum CostError {
    Over(Limit),
    /// Not Automerge's format (Automerge's loader would refuse it too).
    Damaged,
}

impl Cost {
    fn check(&self) -> Result<(), CostError> {
        let over = |l| Err(CostError::Over(l));
        if self.inflated > MAX_INFLATED_BYTES {
            return over(Limit::Size);
        }
        if self.ops > MAX_OPS {
            return over(Limit::Size);
        }
        if self.changes > MAX_CHANGES {
            return over(Limit::Changes);
        }
        if self.actors > MAX_ACTORS {
            return over(Limit::Actors);
        }
        Ok(())
    }
}

struct Reader<'a>(&'a [u8]);

impl<'a> Reader<'a> {
    fn take(&mut self, n: u64) -> Result<&'a [u8], CostError> {
        let n = usize::try_from(n).map_err(|_| CostError::Damaged)?;
        if n > self.0.len() {
            return Err(CostError::Damaged);
        }
        let (head, rest) = self.0.split_at(n);
        self.0 = rest;
        Ok(head)
    }

    /// An unsigned LEB128 number (at most 64 bits).
    fn uleb(&mut self) -> Result<u64, CostError> {
        let mut out: u64 = 0;
        for i in 0..10 {
            let b = *self.0.first().ok_or(CostError::Damaged)?;
            self.0 = &self.0[1..];
            out |= u64::from(b & 0x7f) << (7 * i);
            if b & 0x80 == 0 {
                return Ok(out);
            }
        }
        Err(CostError::Damaged)
    }

    /// A signed LEB128 number.
    fn sleb(&mut self) -> Result<i64, CostError> {
        let mut out: i64 = 0;
        let mut shift = 0;
        loop {
            let b = *self.0.first().ok_or(CostError::Damaged)?;
            self.0 = &self.0[1..];
            if shift < 64 {
                out |= i64::from(b & 0x7f) << shift;
            }
            shift += 7;
            if b & 0x80 == 0 {
                if shift < 64 && b & 0x40 != 0 {
                    out |= -1_i64 << shift;
                }
                return Ok(out);
            }
            if shift >= 70 {
                return Err(CostError::Damaged);
            }
        }
    }

    fn bytes_value(&mut self) -> Result<(), CostError> {
        let len = self.uleb()?;
        self.take(len).map(|_| ())
    }
}

/// Count every chunk of one part's bytes into `cost`, stopping at the first
/// limit passed.
pub(crate) fn measure(bytes: &[u8], cost: &mut Cost) -> Result<(), CostError> {
    let mut r = Reader(bytes);
    while !r.0.is_empty() {
        if r.take(4)? != MAGIC {
            return Err(CostError::Damaged);
        }
        r.take(4)?; // checksum: Automerge's loader checks it
        let kind = r.take(1)?[0];
        let len = r.uleb()?;
        let data = r.take(len)?;
        match kind {
            0 => document(data, cost)?,
            1 => change(data, cost)?,
            2 => {
                let inflated = inflate(data, cost)?;
                change(&inflated, cost)?;
            }
            _ => return Err(CostError::Damaged),
        }
        cost.check()?;
    }
    Ok(())
}

fn inflate(data: &[u8], cost: &mut Cost) -> Result<Vec<u8>, CostError> {
    let room = MAX_INFLATED_BYTES.saturating_sub(cost.inflated);
    let mut out = Vec::new();
    DeflateDecoder::new(data)
        .take(room as u64 + 1)
        .read_to_end(&mut out)
        .map_err(|_| CostError::Damaged)?;
    cost.inflated += out.len();
    if out.len() > room {
        return Err(CostError::Over(Limit::Size));
    }
    Ok(out)
}

fn actors(r: &mut Reader<'_>) -> Result<usize, CostError> {
    let n = r.uleb()?;
    if n > MAX_ACTORS as u64 {
        return Err(CostError::Over(Limit::Actors));
    }
    for _ in 0..n {
        r.bytes_value()?;
    }
    Ok(n as usize)
}

fn columns(r: &mut Reader<'_>) -> Result<Vec<(u64, u64)>, CostError> {
    let n = r.uleb()?;
    if n > MAX_COLUMNS {
        return Err(CostError::Damaged);
    }
    (0..n).map(|_| Ok((r.uleb()?, r.uleb()?))).collect()
}

/// The most rows of any of these columns.
fn rows(r: &mut Reader<'_>, cols: &[(u64, u64)], cost: &mut Cost) -> Result<usize, CostError> {
    let mut most = 0;
    for &(spec, len) in cols {
        let raw = r.take(len)?;
        let inflated;
        let data = if spec & 0x08 != 0 {
            inflated = inflate(raw, cost)?;
            &inflated[..]
        } else {
            cost.inflated += raw.len();
            raw
        };
        cost.check()?;
        most = most.max(column_rows(spec & 0x07, data)?);
        if most > MAX_OPS {
            return Err(CostError::Over(Limit::Size));
        }
    }
    Ok(most)
}

/// How many rows one column holds, from its run lengths.
fn column_rows(kind: u64, data: &[u8]) -> Result<usize, CostError> {
    let mut r = Reader(data);
    let mut rows: u64 = 0;
    let limit = MAX_OPS as u64 + 1;
    match kind {
        // Boolean: alternating run lengths.
        4 => {
            while !r.0.is_empty() {
                rows = rows.saturating_add(r.uleb()?);
                if rows > limit {
                    break;
                }
            }
        }
        // Raw values: counted by the metadata column beside them.
        7 => {}
        // Run-length encoded: group counts, actors, integers, deltas, strings,
        // value metadata.
        _ => {
            while !r.0.is_empty() && rows <= limit {
                let n = r.sleb()?;
                let value = |r: &mut Reader<'_>| -> Result<(), CostError> {
                    if kind == 5 {
                        r.bytes_value()
                    } else {
                        r.sleb().map(|_| ())
                    }
                };
                if n > 0 {
                    value(&mut r)?;
                    rows = rows.saturating_add(n as u64);
                } else if n < 0 {
                    let n = n.unsigned_abs();
                    for _ in 0..n.min(limit) {
                        value(&mut r)?;
                    }
                    rows = rows.saturating_add(n);
                } else {
                    rows = rows.saturating_add(r.uleb()?);
                }
            }
        }
    }
    Ok(usize::try_from(rows.min(limit)).unwrap_or(usize::MAX))
}

fn document(data: &[u8], cost: &mut Cost) -> Result<(), CostError> {
    let mut r = Reader(data);
    cost.actors += actors(&mut r)?;
    let heads = r.uleb()?;
    r.take(heads.checked_mul(32).ok_or(CostError::Damaged)?)?;
    let change_cols = columns(&mut r)?;
    let op_cols = columns(&mut r)?;
    let changes = rows(&mut r, &change_cols, cost)?;
    cost.changes += changes;
    cost.check()?;
    let ops = rows(&mut r, &op_cols, cost)?;
    cost.ops += ops;
    Ok(())
}

fn change(data: &[u8], cost: &mut Cost) -> Result<(), CostError> {
    let mut r = Reader(data);
    let deps = r.uleb()?;
    r.take(deps.checked_mul(32).ok_or(CostError::Damaged)?)?;
    r.bytes_value()?; // actor
    r.uleb()?; // seq
    r.uleb()?; // start op
    r.sleb()?; // time
    r.bytes_value()?; // message
    cost.actors += 1 + actors(&mut r)?;
    let op_cols = columns(&mut r)?;
    cost.changes += 1;
    let ops = rows(&mut r, &op_cols, cost)?;
    cost.ops += ops;
    Ok(())
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;
    use automerge::{ActorId, AutoCommit, ObjType, ReadDoc, ROOT};

    use super::*;

    fn counted(bytes: &[u8]) -> Cost {
        let mut cost = Cost::default();
        measure(bytes, &mut cost).unwrap();
        cost
    }

    /// Typing, lists, maps, deletions and several authors: the count read
    /// from the bytes is Automerge's own once loaded.
    #[test]
    fn the_count_is_automerges_own() {
        let mut d = AutoCommit::new();
        let text = d.put_object(ROOT, "words", ObjType::Text).unwrap();
        for (i, c) in "I look after my mum every day. "
            .repeat(40)
            .chars()
            .enumerate()
        {
            d.splice_text(&text, i, 0, &c.to_string()).unwrap();
            d.commit();
        }
        d.splice_text(&text, 10, 300, "").unwrap();
        let list = d.put_object(ROOT, "items", ObjType::List).unwrap();
        for i in 0..300 {
            d.insert(&list, i, i as i64).unwrap();
        }
        d.commit();
        let saved_at = d.get_heads();
        for n in 0..5u8 {
            d.set_actor(ActorId::from(vec![n; 16]));
            let m = d.put_object(ROOT, format!("m{n}"), ObjType::Map).unwrap();
            d.put(&m, "name", "Ann ".repeat(n as usize * 50)).unwrap();
            d.commit();
        }
        let whole = d.save();
        let loaded = automerge::Automerge::load(&whole).unwrap();
        let stats = loaded.stats();
        let cost = counted(&whole);
        assert_eq!(cost.ops as u64, stats.num_ops);
        assert_eq!(cost.changes as u64, stats.num_changes);
        assert_eq!(cost.actors as u64, stats.num_actors);
        // Changes one by one (what increments hold), compressed or not.
        let after = d.save_after(&saved_at);
        let cost = counted(&after);
        assert_eq!(cost.changes, 5);
        assert_eq!(cost.ops, 10);
        let mut big = AutoCommit::new();
        big.put(ROOT, "long", "x".repeat(10_000)).unwrap();
        big.commit();
        let changes = big.save_after(&[]);
        assert_eq!(counted(&changes).ops, 1);
    }

    #[test]
    fn damaged_bytes_are_not_counted() {
        let mut d = AutoCommit::new();
        d.put(ROOT, "a", 1).unwrap();
        let whole = d.save();
        for cut in 1..whole.len() {
            let mut cost = Cost::default();
            assert!(measure(&whole[..cut], &mut cost).is_err(), "cut at {cut}");
        }
        assert_eq!(
            measure(b"hello", &mut Cost::default()),
            Err(CostError::Damaged)
        );
    }
}
