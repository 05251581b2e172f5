//! Where two versions of a text differ, and the one edit a person makes in a
//! text box: a [`Splice`] (where, how much removed, what put there), which
//! is how every typed answer is changed.

/// How many items `old` and `new` share at the start, and then at the end
/// (never overlapping): what lies between is the stretch that changed.
pub fn common_ends<T: PartialEq>(old: &[T], new: &[T]) -> (usize, usize) {
    let prefix = old.iter().zip(new).take_while(|(a, b)| a == b).count();
    let max_suffix = old.len().min(new.len()) - prefix;
    let suffix = old
        .iter()
        .rev()
        .zip(new.iter().rev())
        .take(max_suffix)
        .take_while(|(a, b)| a == b)
        .count();
    (prefix, suffix)
}

/// Where position `pos` of `old` is in `new`, through the two texts'
/// common beginning and end: unmoved before the stretch that changed,
/// moved by the change after it, and at the end of the new stretch when
/// it was inside the old one.
pub fn moved_through<T: PartialEq>(old: &[T], new: &[T], pos: usize) -> usize {
    let (prefix, suffix) = common_ends(old, new);
    let pos = pos.min(old.len());
    if pos <= prefix {
        pos
    } else if pos >= old.len() - suffix {
        pos + new.len() - old.len()
    } else {
        new.len() - suffix
    }
}

/// One edit of a text: at `at` (characters from the start), `delete`
/// characters removed and `insert` put in their place. A key typed is a
/// splice of one character; Backspace deletes one; a paste over a
/// selection does both.
#[derive(Debug, Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
pub struct Splice {
    pub at: usize,
    pub delete: usize,
    pub insert: String,
}

impl Splice {
    /// The edit that turned `before` (what the box showed just before the
    /// person's input) into `after` (what it shows now). `caret` is where
    /// the caret is after the input (the end of the selection, in UTF-16
    /// units as the browser counts them): among repeated letters it says
    /// where the edit was made, so "aa" with the caret between them after
    /// typing "a" at the start is an insertion at 0, not at 1. `None` when
    /// the box did not change.
    pub fn typed(before: &str, after: &str, caret: Option<u32>) -> Option<Splice> {
        // Compared as bytes, with no copy of either text (a key in a long
        // answer costs the page two passes over it, not four allocations):
        // equal characters are equal bytes, and every cut is moved to a
        // character's start, so the splice is the same as comparing
        // characters.
        if before == after {
            return None;
        }
        let (old, new) = (before.as_bytes(), after.as_bytes());
        let mut prefix = common_prefix(before, after, old.len().min(new.len()));
        let max_suffix = old.len().min(new.len()) - prefix;
        let mut suffix = common_suffix(before, after, max_suffix);
        if let Some(caret) = caret {
            // What was typed ends at the caret: the text after it is the
            // text that was after the edit before (when the caret agrees).
            let tail = &after[byte_at_utf16(after, caret as usize)..];
            if before.ends_with(tail) {
                suffix = tail.len();
                prefix = common_prefix(before, after, old.len().min(new.len()) - suffix);
            }
        }
        let (old_end, new_end) = (old.len() - suffix, new.len() - suffix);
        Some(Splice {
            at: before[..prefix].chars().count(),
            delete: before[prefix..old_end].chars().count(),
            insert: after[prefix..new_end].to_owned(),
        })
    }

    /// `text` with this edit made (positions past the end are clamped).
    pub fn apply(&self, text: &str) -> String {
        let chars: Vec<char> = text.chars().collect();
        let at = self.at.min(chars.len());
        let end = (at + self.delete).min(chars.len());
        chars[..at]
            .iter()
            .copied()
            .chain(self.insert.chars())
            .chain(chars[end..].iter().copied())
            .collect()
    }

    /// How many characters the text has after this edit, if it had `len`.
    pub fn len_after(&self, len: usize) -> usize {
        let at = self.at.min(len);
        let deleted = self.delete.min(len - at);
        len - deleted + self.insert.chars().count()
    }
}

/// The length in bytes of the longest run of whole characters `a` and `b`
/// both start with, at most `limit` bytes.
fn common_prefix(a: &str, b: &str, limit: usize) -> usize {
    let same = a.as_bytes()[..limit]
        .iter()
        .zip(&b.as_bytes()[..limit])
        .take_while(|(x, y)| x == y)
        .count();
    // Back to the start of a character (the same place in both: the bytes
    // before it are the same).
    (0..=same)
        .rev()
        .find(|&i| a.is_char_boundary(i))
        .unwrap_or(0)
}

/// The length in bytes of the longest run of whole characters `a` and `b`
/// both end with, at most `limit` bytes.
fn common_suffix(a: &str, b: &str, limit: usize) -> usize {
    let same = a.as_bytes()[a.len() - limit..]
        .iter()
        .rev()
        .zip(b.as_bytes()[b.len() - limit..].iter().rev())
        .take_while(|(x, y)| x == y)
        .count();
    (0..=same)
        .rev()
        .find(|&i| a.is_char_boundary(a.len() - i))
        .unwrap_or(0)
}

/// The byte offset of UTF-16 offset `units` in `text`, rounded up to a
/// character's start, and the end when past it ([`chars_in`] in bytes).
fn byte_at_utf16(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (i, c) in text.char_indices() {
        if seen >= units {
            return i;
        }
        seen += c.len_utf16();
    }
    text.len()
}

/// How many characters of `text` lie before UTF-16 offset `units` (the
/// browser's selection offsets), clamped to the text.
pub fn chars_in(text: &str, units: usize) -> usize {
    let mut seen = 0;
    for (n, c) in text.chars().enumerate() {
        if seen >= units {
            return n;
        }
        seen += c.len_utf16();
    }
    text.chars().count()
}

/// The UTF-16 offset of character `chars` of `text` (for the browser).
pub fn utf16_at(text: &str, chars: usize) -> usize {
    text.chars().take(chars).map(char::len_utf16).sum()
}

/// The longest stretch of an answer, in characters, compared letter by
/// letter to tell whether two people's edits met; past it, two edits that
/// meet at all are taken to have met (both rewrote much of it).
const COMPARED: usize = 3_000;

/// Whether two people who each changed `base` (one into `a`, the other
/// into `b`, without seeing each other's change) changed the same words:
/// both removed or replaced some of the same letters, one put words where
/// the other removed some, or both put words at the same place. Edits at
/// different places merge cleanly as text and are no conflict; these are
/// what a person must see both versions of.
pub fn edits_collide(base: &str, a: &str, b: &str) -> bool {
    let base: Vec<char> = base.chars().collect();
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let ra = stretch(&base, &a);
    let rb = stretch(&base, &b);
    let (Some(ra), Some(rb)) = (ra, rb) else {
        return false;
    };
    // The stretches each changed (common ends left out) do not meet: no.
    if !meet(ra.0, rb.0) {
        return false;
    }
    if ra.1 > COMPARED || rb.1 > COMPARED {
        return true;
    }
    let ea = edits(&base, &a);
    let eb = edits(&base, &b);
    ea.iter().any(|x| eb.iter().any(|y| meet(*x, *y)))
}

/// The stretch of `base` that `new` changed, and how many letters the
/// change spans on both sides.
fn stretch(base: &[char], new: &[char]) -> Option<((usize, usize), usize)> {
    if base == new {
        return None;
    }
    let (p, s) = common_ends(base, new);
    Some((
        (p, base.len() - s),
        (base.len() - p - s) + (new.len() - p - s),
    ))
}

/// What `new` changed in `base`, as stretches of `base` (`start == end`:
/// words put in at `start`, nothing removed).
fn edits(base: &[char], new: &[char]) -> Vec<(usize, usize)> {
    use similar::{capture_diff_slices, Algorithm, DiffOp};
    let (p, s) = common_ends(base, new);
    let (old, new) = (&base[p..base.len() - s], &new[p..new.len() - s]);
    capture_diff_slices(Algorithm::Myers, old, new)
        .into_iter()
        .filter_map(|op| match op {
            DiffOp::Equal { .. } => None,
            DiffOp::Delete {
                old_index, old_len, ..
            }
            | DiffOp::Replace {
                old_index, old_len, ..
            } => Some((p + old_index, p + old_index + old_len)),
            DiffOp::Insert { old_index, .. } => Some((p + old_index, p + old_index)),
        })
        .collect()
}

/// Whether two edits of the same text meet: removed letters in common,
/// words put inside what the other removed, or words put at one place.
fn meet(x: (usize, usize), y: (usize, usize)) -> bool {
    match (x.0 == x.1, y.0 == y.1) {
        (true, true) => x.0 == y.0,
        (true, false) => y.0 < x.0 && x.0 < y.1,
        (false, true) => x.0 < y.0 && y.0 < x.1,
        (false, false) => x.0 < y.1 && y.0 < x.1,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_changed_stretch_is_found_from_both_ends() {
        let (old, new): (Vec<char>, Vec<char>) = (
            "Hello world".chars().collect(),
            "Hello, world".chars().collect(),
        );
        assert_eq!(common_ends(&old, &new), (5, 6));
        let (old, new): (Vec<char>, Vec<char>) =
            ("aaa".chars().collect(), "aaaa".chars().collect());
        assert_eq!(common_ends(&old, &new), (3, 0));
        assert_eq!(common_ends::<char>(&[], &[]), (0, 0));
    }

    #[test]
    fn a_key_is_placed_where_the_caret_says_among_repeated_letters() {
        // "xa", caret after x, types "a": the new "a" is at 1.
        let s = Splice::typed("xa", "xaa", Some(2)).unwrap();
        assert_eq!((s.at, s.delete, s.insert.as_str()), (1, 0, "a"));
        // Without the caret, the first place the texts differ.
        let s = Splice::typed("xa", "xaa", None).unwrap();
        assert_eq!((s.at, s.delete, s.insert.as_str()), (2, 0, "a"));
        // Backspace between two a's deletes the first.
        let s = Splice::typed("aa", "a", Some(0)).unwrap();
        assert_eq!((s.at, s.delete, s.insert.as_str()), (0, 1, ""));
        let s = Splice::typed("aa", "a", Some(1)).unwrap();
        assert_eq!((s.at, s.delete, s.insert.as_str()), (1, 1, ""));
        // A paste over a selection.
        let s = Splice::typed("one two three", "one 2 three", Some(5)).unwrap();
        assert_eq!((s.at, s.delete, s.insert.as_str()), (4, 3, "2"));
        assert_eq!(s.apply("one two three"), "one 2 three");
        assert_eq!(Splice::typed("same", "same", Some(2)), None);
    }

    /// `Splice::typed` as it was first written, comparing characters: the
    /// byte comparison must find the very same splice.
    fn typed_by_chars(before: &str, after: &str, caret: Option<u32>) -> Option<Splice> {
        let old: Vec<char> = before.chars().collect();
        let new: Vec<char> = after.chars().collect();
        if old == new {
            return None;
        }
        let (mut prefix, mut suffix) = common_ends(&old, &new);
        if let Some(caret) = caret {
            let tail = new.len() - chars_in(after, caret as usize);
            if tail <= old.len() && new[new.len() - tail..] == old[old.len() - tail..] {
                suffix = tail;
                let limit = old.len().min(new.len()) - suffix;
                prefix = old
                    .iter()
                    .zip(&new)
                    .take(limit)
                    .take_while(|(a, b)| a == b)
                    .count();
            }
        }
        Some(Splice {
            at: prefix,
            delete: old.len() - prefix - suffix,
            insert: new[prefix..new.len() - suffix].iter().collect(),
        })
    }

    fn letters() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::strategy::Strategy;
        // Few letters, so repeats (where the caret decides) are common;
        // two- , three- and four-byte characters, and a pair of UTF-16 units.
        proptest::collection::vec(
            proptest::sample::select(vec!['a', 'b', ' ', 'é', '€', '😀', '\n']),
            0..24,
        )
        .prop_map(|c| c.into_iter().collect())
    }

    proptest::proptest! {
        #[test]
        fn a_splice_found_in_bytes_is_the_one_found_in_characters(
            before in letters(),
            at in 0usize..30,
            delete in 0usize..6,
            insert in letters(),
            caret in proptest::option::of(0u32..60),
        ) {
            let put = insert.chars().count();
            let after = Splice { at, delete, insert }.apply(&before);
            proptest::prop_assert_eq!(
                Splice::typed(&before, &after, caret),
                typed_by_chars(&before, &after, caret)
            );
            // And with the caret where it really is after such an edit:
            // after what was put in.
            let real = utf16_at(&after, at.min(before.chars().count()) + put) as u32;
            proptest::prop_assert_eq!(
                Splice::typed(&before, &after, Some(real)),
                typed_by_chars(&before, &after, Some(real))
            );
        }
    }

    #[test]
    fn browser_offsets_count_utf16_units() {
        let t = "a😀b";
        assert_eq!(chars_in(t, 3), 2);
        assert_eq!(utf16_at(t, 2), 3);
        // The caret after an emoji typed between two emoji.
        let s = Splice::typed("😀😀", "😀😀😀", Some(4)).unwrap();
        assert_eq!((s.at, s.insert.as_str()), (1, "😀"));
        assert_eq!(s.len_after(2), 3);
    }

    #[test]
    fn edits_collide_only_where_both_changed_the_same_words() {
        let base = "Mornings are busy. Evenings are calmer.";
        // Each added words at a different place: merged as text.
        assert!(!edits_collide(
            base,
            "Mornings are busy, very. Evenings are calmer.",
            "Mornings are busy. Evenings are calmer, mostly."
        ));
        // Both rewrote the whole answer while apart.
        assert!(edits_collide(
            base,
            "I sleep badly.",
            "Ann reports poor sleep."
        ));
        // Both changed the same word.
        assert!(edits_collide(
            base,
            "Mornings are hard. Evenings are calmer.",
            "Mornings are awful. Evenings are calmer."
        ));
        // One put words inside a word the other removed.
        assert!(edits_collide(
            base,
            "Mornings are . Evenings are calmer.",
            "Mornings are bu-sy. Evenings are calmer."
        ));
        // Both wrote an answer that was empty.
        assert!(edits_collide("", "since 2019", "about four years"));
        // Only one changed it.
        assert!(!edits_collide(base, base, "Mornings."));
        // One removed a word, the other added words just after it.
        assert!(!edits_collide(
            base,
            "Mornings are. Evenings are calmer.",
            "Mornings are busy indeed. Evenings are calmer."
        ));
    }
}
