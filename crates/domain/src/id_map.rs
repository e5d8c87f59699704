//! Maps and sets keyed by [`Id`], hashed by one keyed multiply instead of SipHash: a page
//! of posts looks up hundreds of ids, and SipHash was a tenth of its cost. The key is
//! drawn once per process, so which ids collide cannot be chosen from outside.

use std::collections::{HashMap, HashSet};
use std::hash::{BuildHasher, Hasher};
use std::sync::OnceLock;

use crate::Id;

pub type IdMap<V> = HashMap<Id, V, IdHashing>;
pub type IdSet = HashSet<Id, IdHashing>;

/// Builds [`IdHasher`]s with this process's key.
#[derive(Debug, Clone, Copy)]
pub struct IdHashing {
    key: u64,
}

impl Default for IdHashing {
    fn default() -> Self {
        static KEY: OnceLock<u64> = OnceLock::new();
        let key = *KEY.get_or_init(|| std::collections::hash_map::RandomState::new().hash_one(0x726f_6f6b_u64));
        IdHashing { key }
    }
}

impl BuildHasher for IdHashing {
    type Hasher = IdHasher;

    fn build_hasher(&self) -> IdHasher {
        IdHasher { key: self.key, hash: 0 }
    }
}

pub struct IdHasher {
    key: u64,
    hash: u64,
}

/// An odd constant with bits spread evenly (the fractional part of the golden ratio).
const MULTIPLIER: u64 = 0x9e37_79b9_7f4a_7c15;

impl Hasher for IdHasher {
    fn write_u64(&mut self, n: u64) {
        // The full 128-bit product folded: both halves of the hash depend on every bit.
        let product = u128::from(self.hash ^ n ^ self.key) * u128::from(MULTIPLIER);
        self.hash = (product as u64) ^ ((product >> 64) as u64);
    }

    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }

    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn neighbouring_ids_spread_over_buckets() {
        // Ids made in one millisecond differ only in their low bits; hashbrown picks
        // buckets by the low bits of the hash and tags by the top 7.
        let hashing = IdHashing::default();
        let hashes: Vec<u64> = (0..1024).map(|n| hashing.hash_one(Id::from_i64(1 << 20 | n))).collect();
        let buckets: HashSet<u64> = hashes.iter().map(|h| h & 1023).collect();
        let tags: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
        assert!(buckets.len() > 550, "{} buckets of 1024", buckets.len());
        assert_eq!(tags.len(), 128);
    }

    #[test]
    fn maps_find_what_they_hold() {
        let mut map = IdMap::default();
        for n in 0..1000 {
            map.insert(Id::from_i64(n * 65_536), n);
        }
        assert!((0..1000).all(|n| map.get(&Id::from_i64(n * 65_536)) == Some(&n)));
        assert!(!map.contains_key(&Id::from_i64(1)));
    }
}
