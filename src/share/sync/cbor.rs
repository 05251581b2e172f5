//! Writing CBOR into memory with `minicbor`, where a write cannot fail.

use std::convert::Infallible;

use minicbor::{encode, Encoder};

/// An encoder writing into memory.
pub(crate) type Writer = Encoder<Vec<u8>>;
/// What writing into memory returns: only an `Encode` impl could report an
/// error, and none of this app's does.
pub(crate) type Written = Result<(), encode::Error<Infallible>>;

/// The bytes `write` writes (an error is a bug: checked in debug builds).
pub(crate) fn to_vec(write: impl FnOnce(&mut Writer) -> Written) -> Vec<u8> {
    let mut e = Encoder::new(Vec::new());
    let written = write(&mut e);
    debug_assert!(written.is_ok(), "{written:?}");
    e.into_writer()
}
