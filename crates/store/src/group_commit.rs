//! Group commit. SQLite has one writer, and every transaction costs it a commit (on
//! PostgreSQL, a flush of the log): writes that arrive while a commit runs wait
//! together and go into the next transaction. Each caller still hears back only after
//! its own write is committed, with its own outcome.
//!
//! The transaction runs on a task of its own, not in the request that started it, so a
//! request dropped halfway (its client hung up) strands no one else's write.

use std::future::Future;
use std::sync::{Mutex, PoisonError};

use tokio::sync::oneshot;

use crate::inbox_batch::NewInboxActivity;
use crate::statuses::NewStatus;
use crate::{Result, Store, StoreError};

/// The most writes committed in one transaction.
const MAX_PER_COMMIT: usize = 256;

/// What one batch's transaction gives: each write's outcome in order, or an error that
/// undid them all.
pub(crate) type Outcomes<R> = Result<Vec<Result<R>>>;

type Waiter<T, R> = (T, oneshot::Sender<Result<R>>);

/// The writes waiting for the next commit of one kind, and whether a task is committing.
pub(crate) struct GroupCommit<T, R> {
    pending: Mutex<(Vec<Waiter<T, R>>, bool)>,
}

impl<T, R> Default for GroupCommit<T, R> {
    fn default() -> Self {
        GroupCommit { pending: Mutex::new((Vec::new(), false)) }
    }
}

impl<T, R> std::fmt::Debug for GroupCommit<T, R> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("GroupCommit")
    }
}

/// Every kind of write that is group-committed.
#[derive(Debug, Default)]
pub(crate) struct GroupCommits {
    pub(crate) inbox: GroupCommit<NewInboxActivity, bool>,
    pub(crate) statuses: GroupCommit<NewStatus, ()>,
}

impl Store {
    /// Commits `item` with whatever else of its kind waits, through `commit` (which
    /// writes a batch in one transaction), and returns its own outcome.
    pub(crate) async fn commit_grouped<T, R, F, Fut>(
        &self,
        queue: fn(&GroupCommits) -> &GroupCommit<T, R>,
        item: T,
        commit: F,
    ) -> Result<R>
    where
        T: Send + 'static,
        R: Send + 'static,
        F: Fn(Store, Vec<T>) -> Fut + Send + Sync + Copy + 'static,
        Fut: Future<Output = Outcomes<R>> + Send,
    {
        let (sender, receiver) = oneshot::channel();
        let start_committing = {
            let mut pending = queue(&self.group_commits).pending.lock().unwrap_or_else(PoisonError::into_inner);
            pending.0.push((item, sender));
            !std::mem::replace(&mut pending.1, true)
        };
        if start_committing {
            let store = self.clone();
            tokio::spawn(async move { store.commit_until_none_wait(queue, commit).await });
        }
        receiver.await.unwrap_or_else(|_| Err(StoreError::Database("the group commit's writer stopped".into())))
    }

    async fn commit_until_none_wait<T, R, F, Fut>(&self, queue: fn(&GroupCommits) -> &GroupCommit<T, R>, commit: F)
    where
        F: Fn(Store, Vec<T>) -> Fut,
        Fut: Future<Output = Outcomes<R>>,
    {
        loop {
            let batch: Vec<Waiter<T, R>> = {
                let mut pending = queue(&self.group_commits).pending.lock().unwrap_or_else(PoisonError::into_inner);
                if pending.0.is_empty() {
                    pending.1 = false;
                    return;
                }
                let take = pending.0.len().min(MAX_PER_COMMIT);
                pending.0.drain(..take).collect()
            };
            let (items, senders): (Vec<T>, Vec<_>) = batch.into_iter().unzip();
            match commit(self.clone(), items).await {
                Ok(outcomes) => {
                    for (sender, outcome) in senders.into_iter().zip(outcomes) {
                        let _ = sender.send(outcome);
                    }
                }
                Err(e) => {
                    let message = e.to_string();
                    for sender in senders {
                        let _ = sender.send(Err(StoreError::Database(message.clone().into())));
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use domain::Id;

    use crate::StoreError;
    use crate::test_support::TestStore;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn posts_stored_at_once_share_commits_but_each_gets_its_own_outcome() {
        let author = Id::from_i64(7);
        let test = TestStore::new("group-commit").await.with_account(author, "author").await;
        let store = test.store.clone();
        // 300 posts at once, each uri twice under different ids: one of each pair is
        // stored, the other refused, whichever transaction each lands in.
        let mut sends = tokio::task::JoinSet::new();
        for n in 0..300i64 {
            let store = store.clone();
            sends.spawn(async move {
                let status =
                    crate::test_support::post(1_000 + n, author, &format!("https://remote.example/notes/{}", n % 150));
                (n, store.insert_status(&status, &[author], None).await)
            });
        }
        let mut stored = vec![0; 150];
        while let Some(sent) = sends.join_next().await {
            let (n, outcome) = sent.unwrap();
            match outcome {
                Ok(()) => {
                    stored[(n % 150) as usize] += 1;
                    assert!(store.find_status(Id::from_i64(1_000 + n)).await.unwrap().is_some(), "{n} is stored");
                }
                Err(StoreError::Conflict(_)) => {
                    assert!(store.find_status(Id::from_i64(1_000 + n)).await.unwrap().is_none(), "{n} is not");
                }
                Err(e) => panic!("{n}: {e}"),
            }
        }
        assert!(stored.iter().all(|&n| n == 1), "{stored:?}");
        let author_row = store.find_account_by_id(author).await.unwrap().unwrap();
        assert_eq!(author_row.statuses_count, 150, "only stored posts are counted");
        test.close().await;
    }
}
