use std::sync::atomic::{AtomicI64, Ordering};

use domain::Id;

use crate::now_millis;

/// Makes [`Id`]s that grow strictly within this process. The low 16 bits start at a
/// random point each millisecond, so processes sharing a database (the admin CLI beside
/// the server, several nodes) rarely pick the same id, and never a predictable one.
#[derive(Debug)]
pub struct IdGenerator {
    last: AtomicI64,
    /// Counts ids made for past times, from a random start: consecutive ones get
    /// consecutive low bits, so posts of one millisecond (servers that publish whole
    /// seconds send many) never draw alike within this process.
    past: AtomicI64,
}

impl Default for IdGenerator {
    fn default() -> Self {
        Self { last: AtomicI64::new(0), past: AtomicI64::new(i64::from(random_low_bits())) }
    }
}

impl IdGenerator {
    pub fn new() -> Self {
        Self::default()
    }

    /// An id for something made at `millis` in the past (a remote post's publication
    /// time), so timelines ordered by id stay in time order. Only the low bits keep it
    /// apart from others of the same millisecond: distinct within this process for
    /// 32,768 calls in a row, apart by chance from other processes' (whose collisions
    /// the store refuses, and the caller draws again). Now or later means [`Self::next`].
    pub fn at(&self, millis: i64) -> Id {
        if millis >= now_millis() {
            return self.next();
        }
        let low = self.past.fetch_add(1, Ordering::Relaxed) & 0x7fff;
        Id::from_parts(millis.max(0), u16::try_from(low).unwrap_or_default())
    }

    pub fn next(&self) -> Id {
        let candidate = Id::from_parts(now_millis(), random_low_bits()).as_i64();
        let mut last = self.last.load(Ordering::Relaxed);
        loop {
            let next = candidate.max(last + 1);
            match self.last.compare_exchange_weak(last, next, Ordering::Relaxed, Ordering::Relaxed) {
                Ok(_) => return Id::from_i64(next),
                Err(actual) => last = actual,
            }
        }
    }
}

fn random_low_bits() -> u16 {
    let mut random = [0u8; 2];
    // Without randomness, a fixed start still yields unique ids within this process.
    let _ = aws_lc_rs::rand::fill(&mut random);
    u16::from_le_bytes(random) >> 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_strictly_increase_and_carry_the_time() {
        let ids = IdGenerator::new();
        let before = now_millis();
        let mut prev = ids.next();
        for _ in 0..100_000 {
            let id = ids.next();
            assert!(id > prev);
            prev = id;
        }
        assert!(prev.timestamp_millis() >= before);
        assert!(prev.timestamp_millis() <= now_millis() + 2);
    }

    #[test]
    fn ids_of_one_past_millisecond_do_not_repeat() {
        let ids = IdGenerator::new();
        let made: std::collections::HashSet<Id> = (0..32_768).map(|_| ids.at(1_000)).collect();
        assert_eq!(made.len(), 32_768);
        assert!(made.iter().all(|id| id.timestamp_millis() == 1_000));
    }
}
