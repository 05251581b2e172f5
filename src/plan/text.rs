//! Where two versions of a text differ: the one helper behind a keystroke's
//! splice and a caret kept in place.

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
}
