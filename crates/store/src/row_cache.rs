//! Posts and accounts kept in memory between requests: a page of posts reads
//! the same rows again and again, and each costs two B-tree searches and a copy of every
//! column. A row is kept with the generation of [`crate::db`]'s change tracking read
//! before it was loaded, and used only while the generation has not moved, that is
//! while no write naming its tables has committed since, here or in another process.
//! On PostgreSQL, other nodes' writes are heard as notifications (`db/pg_changes.rs`).

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use domain::{Account, AccountModeration, Id, IdMap, Role, Status};

use crate::TokenCaller;

/// Rows kept per table; past it the table starts over (a page of posts needs about 40).
const KEPT: usize = 16_384;

/// An account with the role of its local user, as `Store::list_accounts` gives it.
type AccountRow = (Account, Option<Role>);
/// Rows by key, each with the generation it was loaded at.
pub(crate) type Kept<T> = Mutex<IdMap<(u64, T)>>;
/// Rows by a text key (a secret's digest), each with the generation it was loaded at.
pub(crate) type KeptByName<T> = Mutex<HashMap<String, (u64, T)>>;

#[derive(Default)]
pub(crate) struct RowCache {
    // Posts and accounts are handed out shared: a page reads dozens, and copying each
    // out cost more than the rest of the lookup.
    statuses: Kept<Arc<Status>>,
    accounts: Kept<Arc<AccountRow>>,
    /// Who each bearer token (by its SHA-256) stands for.
    pub(crate) callers: KeptByName<TokenCaller>,
    /// What each reader chose not to see, by account.
    pub(crate) filters: Kept<Vec<crate::Filter>>,
    pub(crate) mutes: Kept<Vec<crate::mutes::MuteRow>>,
    /// Blocks both ways (`true`: the account blocks the other), when few.
    pub(crate) blocks: Kept<Option<Vec<(bool, Id)>>>,
    /// Muted threads, when few.
    pub(crate) muted_threads: Kept<Option<Vec<Id>>>,
    /// Each reader's marks (favourites, bookmarks, pins, boosts) on recent posts.
    pub(crate) marks: Kept<Arc<crate::viewer_marks::MarksSince>>,
    /// Applications by id (`None`: there is none).
    pub(crate) applications: Kept<Option<domain::Application>>,
    /// Each web session (by its digest): its account and when it ends.
    pub(crate) web_sessions: KeptByName<(Id, domain::UnixMillis)>,
    /// Each local user with their account (`None`: not a local user).
    pub(crate) local_users: Kept<Option<(Account, domain::LocalUser)>>,
    /// The newest entries of each reader's home feed.
    pub(crate) feeds: Kept<Arc<crate::feed_window::FeedWindow>>,
    /// How many follow requests wait for each account.
    pub(crate) follow_requests: Kept<i64>,
}

impl std::fmt::Debug for RowCache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("RowCache")
    }
}

impl RowCache {
    /// Of `ids`, the posts kept at `generation`, and the ids that must be loaded.
    pub(crate) fn statuses(&self, generation: u64, ids: &[Id]) -> (IdMap<Arc<Status>>, Vec<Id>) {
        found(&self.statuses, generation, ids)
    }

    pub(crate) fn keep_statuses(&self, generation: u64, statuses: &[Arc<Status>]) {
        keep(&self.statuses, generation, statuses.iter().map(|s| (s.id, s.clone())));
    }

    pub(crate) fn accounts(&self, generation: u64, ids: &[Id]) -> (IdMap<Arc<AccountRow>>, Vec<Id>) {
        found(&self.accounts, generation, ids)
    }

    /// Of `ids`, the moderation marks of the accounts kept at `generation`, and the ids
    /// whose accounts must be loaded.
    pub(crate) fn moderation(&self, generation: u64, ids: &[Id]) -> (IdMap<AccountModeration>, Vec<Id>) {
        let map = lock(&self.accounts);
        let mut hits = IdMap::with_capacity_and_hasher(ids.len(), Default::default());
        let mut missing = Vec::new();
        for id in ids {
            match map.get(id) {
                Some((kept_at, row)) if *kept_at == generation => {
                    hits.insert(*id, row.0.moderation);
                }
                _ => missing.push(*id),
            }
        }
        (hits, missing)
    }

    pub(crate) fn keep_accounts(&self, generation: u64, accounts: &[Arc<AccountRow>]) {
        keep(&self.accounts, generation, accounts.iter().map(|a| (a.0.id, a.clone())));
    }
}

/// The value kept for `id` at `generation`, if any.
pub(crate) fn kept<T: Clone>(map: &Kept<T>, generation: u64, id: Id) -> Option<T> {
    lock(map).get(&id).filter(|(kept_at, _)| *kept_at == generation).map(|(_, value)| value.clone())
}

/// The value kept under `name` at `generation`, if any.
pub(crate) fn kept_named<T: Clone>(map: &KeptByName<T>, generation: u64, name: &str) -> Option<T> {
    lock(map).get(name).filter(|(kept_at, _)| *kept_at == generation).map(|(_, value)| value.clone())
}

pub(crate) fn keep_named<T>(map: &KeptByName<T>, generation: u64, name: &str, value: T) {
    keep(map, generation, std::iter::once((name.to_owned(), value)));
}

pub(crate) fn keep_one<T>(map: &Kept<T>, generation: u64, id: Id, value: T) {
    keep(map, generation, std::iter::once((id, value)));
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    // A panic while holding the lock leaves a map that is still whole.
    mutex.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

fn found<T: Clone>(map: &Kept<T>, generation: u64, ids: &[Id]) -> (IdMap<T>, Vec<Id>) {
    let map = lock(map);
    let mut hits = IdMap::with_capacity_and_hasher(ids.len(), Default::default());
    let mut missing = Vec::new();
    for id in ids {
        match map.get(id) {
            Some((kept_at, row)) if *kept_at == generation => {
                hits.insert(*id, row.clone());
            }
            _ => missing.push(*id),
        }
    }
    (hits, missing)
}

fn keep<T, K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
    map: &Mutex<HashMap<K, (u64, T), S>>,
    generation: u64,
    rows: impl Iterator<Item = (K, T)>,
) {
    let mut map = lock(map);
    if map.len() >= KEPT {
        // Rows of past generations go first: they can never be used again.
        map.retain(|_, (kept_at, _)| *kept_at == generation);
        if map.len() >= KEPT {
            map.clear();
        }
    }
    for (id, row) in rows {
        map.insert(id, (generation, row));
    }
}

#[cfg(test)]
#[path = "row_cache_tests.rs"]
mod tests;
