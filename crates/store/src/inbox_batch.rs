//! The inbox queue's writes: activities accepted while the writer is busy are stored
//! together (see [`crate::group_commit`]), each sender answered after its own row is
//! committed.

use domain::{Id, UnixMillis};

use crate::db::query;
use crate::group_commit::Outcomes;
use crate::{Result, Store};

/// A received activity waiting to be queued.
#[derive(Debug)]
pub(crate) struct NewInboxActivity {
    id: Id,
    activity_id: String,
    actor_uri: String,
    body: String,
    received_at: UnixMillis,
}

impl Store {
    /// Queues a received activity; false when one with the same id came before.
    pub async fn insert_inbox_activity(
        &self,
        id: Id,
        activity_id: &str,
        actor_uri: &str,
        body: &str,
        now: UnixMillis,
    ) -> Result<bool> {
        let activity = NewInboxActivity {
            id,
            activity_id: activity_id.to_owned(),
            actor_uri: actor_uri.to_owned(),
            body: body.to_owned(),
            received_at: now,
        };
        self.commit_grouped(|queues| &queues.inbox, activity, insert_inbox_activities).await
    }
}

/// Stores activities in one transaction; for each, whether it was new.
async fn insert_inbox_activities(store: Store, activities: Vec<NewInboxActivity>) -> Outcomes<bool> {
    let mut tx = store.begin_write().await?;
    let mut inserted = Vec::with_capacity(activities.len());
    for a in &activities {
        let done = query(
            "INSERT INTO inbox_activities (id, activity_id, actor_uri, body, received_at, next_attempt_at) \
             VALUES ($1, $2, $3, $4, $5, $5) ON CONFLICT DO NOTHING",
        )
        .bind(a.id.as_i64())
        .bind(a.activity_id.as_str())
        .bind(a.actor_uri.as_str())
        .bind(a.body.as_str())
        .bind(a.received_at)
        .execute(&mut tx)
        .await?;
        inserted.push(Ok(done.rows_affected() == 1));
    }
    tx.commit().await?;
    Ok(inserted)
}

#[cfg(test)]
mod tests {
    use domain::Id;

    use crate::test_support::TestStore;

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn activities_sent_at_once_are_each_stored_once_and_told_whether_new() {
        let test = TestStore::new("inbox-batch").await;
        let store = test.store.clone();
        // 200 senders at once, each activity sent twice: one of each pair is new.
        let mut sends = tokio::task::JoinSet::new();
        for n in 0..400i64 {
            let store = store.clone();
            sends.spawn(async move {
                let activity_id = format!("https://remote.example/activities/{}", n % 200);
                let inserted = store.insert_inbox_activity(Id::from_i64(1_000 + n), &activity_id, "a", "{}", 1).await;
                (n % 200, inserted.unwrap())
            });
        }
        let mut new = vec![0; 200];
        while let Some(sent) = sends.join_next().await {
            let (which, inserted) = sent.unwrap();
            new[which as usize] += i32::from(inserted);
        }
        assert!(new.iter().all(|&n| n == 1), "{new:?}");
        let claimed = store.claim_inbox_activities(2, 60_000, 1_000).await.unwrap();
        assert_eq!(claimed.len(), 200);
        test.close().await;
    }
}
