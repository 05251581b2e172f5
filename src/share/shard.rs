//! Which relay shard holds a kept-in-step document.
//!
//! A council's relay can run as several shards (docs/relay-at-scale.md),
//! each one automerge-repo relay with a standby, behind one address:
//! shard `k` answers at `<base>/s/<k>`. Every document lives on exactly one
//! shard, chosen from its id by [`shard_of`]; the relay refuses documents of
//! other shards, so the app must open the socket of the right shard.
//!
//! The function is fixed forever (changing it would move documents):
//!
//! * `key` = FNV-1a 64-bit over the document id's 16 bytes;
//! * the shard = jump consistent hash (Lamping & Veach, 2014) of `key`
//!   into `shards` buckets.
//!
//! Jump hash moves as few documents as possible when shards are added: from
//! `N` to `N + 1` shards, about `1/(N + 1)` of the documents move, all of
//! them to the new shard `N`, none between old shards. The relay computes
//! the same function (`relay/lib/shard.mjs`); both are checked against the
//! same table, `tests/fixtures/shard_of.txt`.

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0000_0100_0000_01b3;
const JUMP_MUL: u64 = 2_862_933_555_777_941_757;

/// The shard (`0 ≤ k < shards`) of the document whose id is these 16 bytes
/// (`DocumentId::bytes`). `shards` of 0 or 1 means one relay: always 0.
pub fn shard_of(doc_id_bytes: &[u8; 16], shards: u32) -> u32 {
    if shards <= 1 {
        return 0;
    }
    let mut key = doc_id_bytes.iter().fold(FNV_OFFSET, |h, &b| {
        (h ^ u64::from(b)).wrapping_mul(FNV_PRIME)
    });
    let mut b: i64 = -1;
    let mut j: i64 = 0;
    while j < i64::from(shards) {
        b = j;
        key = key.wrapping_mul(JUMP_MUL).wrapping_add(1);
        // In doubles, exactly as the reference code (and relay/lib/shard.mjs).
        j = ((b + 1) as f64 * ((1u64 << 31) as f64 / ((key >> 33) + 1) as f64)) as i64;
    }
    b as u32
}

/// Where the app opens its sockets: what `relay.json` says.
///
/// * `{"relay": "wss://relay.example"}` (before shards): one relay, one
///   socket at exactly that address, for every document ([`Self::single`]).
/// * `{"relay": "wss://relay.example", "shards": N}`: a base URL; the
///   document with id bytes `d` lives on shard `k = shard_of(d, N)`, at
///   `wss://relay.example/s/<k>` ([`Self::sharded`]). A device opens one
///   socket per shard it needs (a key worker's caseload spans shards) and
///   sends each document's frames on its shard's socket only: another
///   shard answers `doc-unavailable` for it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct RelayAddress {
    base: String,
    shards: Option<u32>,
}

impl RelayAddress {
    /// One relay at `url` (a `relay.json` without `shards`).
    pub fn single(url: &str) -> Self {
        RelayAddress {
            base: url.to_owned(),
            shards: None,
        }
    }

    /// `shards` shards under `base` (at least 1; the trailing `/` of
    /// `base` is optional).
    pub fn sharded(base: &str, shards: u32) -> Self {
        RelayAddress {
            base: base.trim_end_matches('/').to_owned(),
            shards: Some(shards.max(1)),
        }
    }

    /// The address as `relay.json` gives it.
    pub fn base(&self) -> &str {
        &self.base
    }

    /// How many shards (1 for a single relay).
    pub fn shard_count(&self) -> u32 {
        self.shards.unwrap_or(1)
    }

    /// The shard of a document (always 0 for a single relay).
    pub fn shard_of(&self, doc_id_bytes: &[u8; 16]) -> u32 {
        self.shards.map_or(0, |n| shard_of(doc_id_bytes, n))
    }

    /// The socket URL of shard `k`.
    pub fn shard_url(&self, k: u32) -> String {
        match self.shards {
            None => self.base.clone(),
            Some(_) => format!("{}/s/{k}", self.base),
        }
    }

    /// The socket URL for a document.
    pub fn socket_url(&self, doc_id_bytes: &[u8; 16]) -> String {
        self.shard_url(self.shard_of(doc_id_bytes))
    }
}

#[cfg(test)]
mod tests {
    use super::{shard_of, RelayAddress};

    #[test]
    fn a_single_relay_is_one_socket_at_its_address() {
        let relay = RelayAddress::single("wss://relay.example/sync");
        assert_eq!(relay.shard_count(), 1);
        assert_eq!(relay.socket_url(&[3; 16]), "wss://relay.example/sync");
        assert_eq!(relay.socket_url(&[200; 16]), "wss://relay.example/sync");
    }

    #[test]
    fn a_sharded_relay_gives_each_document_its_shards_socket() {
        let relay = RelayAddress::sharded("wss://relay.example/", 4);
        // From tests/fixtures/shard_of.txt: all-zero bytes are on shard 3 of 4.
        assert_eq!(relay.socket_url(&[0; 16]), "wss://relay.example/s/3");
        assert_eq!(relay.shard_url(0), "wss://relay.example/s/0");
        assert_eq!(
            RelayAddress::sharded("ws://127.0.0.1:9000", 0).shard_count(),
            1
        );
        assert_eq!(
            RelayAddress::sharded("ws://127.0.0.1:9000", 1).socket_url(&[0; 16]),
            "ws://127.0.0.1:9000/s/0"
        );
    }

    /// The table the relay's Node implementation wrote; the cluster test
    /// checks that Node still computes every line of it.
    #[test]
    fn matches_the_relay_for_fixed_ids() {
        let table = include_str!("../../tests/fixtures/shard_of.txt");
        let mut checked = 0;
        for line in table
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
        {
            let mut parts = line.split(' ');
            let hex = parts.next().unwrap();
            let shards: u32 = parts.next().unwrap().parse().unwrap();
            let want: u32 = parts.next().unwrap().parse().unwrap();
            let mut id = [0u8; 16];
            for (i, byte) in id.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[2 * i..2 * i + 2], 16).unwrap();
            }
            assert_eq!(shard_of(&id, shards), want, "{line}");
            checked += 1;
        }
        assert_eq!(checked, 252);
    }

    #[test]
    fn one_shard_or_none_is_shard_zero() {
        assert_eq!(shard_of(&[9; 16], 0), 0);
        assert_eq!(shard_of(&[9; 16], 1), 0);
    }

    #[test]
    fn adding_a_shard_moves_documents_only_to_the_new_one() {
        for i in 0u8..=255 {
            let id = [
                i,
                i.wrapping_mul(31),
                7,
                i ^ 0x5a,
                1,
                2,
                3,
                4,
                5,
                6,
                7,
                8,
                9,
                10,
                11,
                i,
            ];
            for n in 1..12 {
                let before = shard_of(&id, n);
                let after = shard_of(&id, n + 1);
                assert!(
                    after == before || after == n,
                    "{id:?}: {before} -> {after} of {}",
                    n + 1
                );
            }
        }
    }
}
