//! For the store's own tests: a fresh SQLite database in a folder of its own, and a
//! local account to own what they write.

use std::path::PathBuf;

use domain::{Email, Id, NewLocalAccount, Role, Status, Username, Visibility};

use crate::{ConnectOptions, Store};

/// A migrated store; the folder is removed by [`TestStore::close`].
pub(crate) struct TestStore {
    pub store: Store,
    dir: PathBuf,
}

impl TestStore {
    pub(crate) async fn new(name: &str) -> TestStore {
        let dir = std::env::temp_dir().join(format!("rookery-{name}-{}", std::process::id()));
        let url = format!("sqlite://{}", dir.join("t.db").display());
        let store = Store::connect(&ConnectOptions { url, max_connections: 2 }).await.unwrap();
        store.migrate().await.unwrap();
        TestStore { store, dir }
    }

    /// Stores the local account `username` with id `account_id`.
    pub(crate) async fn with_account(self, account_id: Id, username: &str) -> TestStore {
        let account = NewLocalAccount {
            account_id,
            user_id: Id::from_i64(account_id.as_i64() + 1),
            username: Username::parse_local(username).unwrap(),
            email: Email::parse(&format!("{username}@example.com")).unwrap(),
            role: Role::User,
            password_hash: String::new(),
            public_key_pem: String::new(),
            private_key_pem: String::new(),
            created_at: 1,
            approved: true,
            reason: None,
        };
        self.store.insert_local_account(&account).await.unwrap();
        self
    }

    /// The database's URL, for a second store on the same file.
    pub(crate) fn url(&self) -> String {
        format!("sqlite://{}", self.dir.join("t.db").display())
    }

    pub(crate) async fn close(self) {
        self.store.close().await;
        std::fs::remove_dir_all(self.dir).unwrap();
    }
}

/// A remote public post with nothing but a paragraph of text.
pub(crate) fn post(id: i64, account_id: Id, uri: &str) -> Status {
    Status {
        id: Id::from_i64(id),
        account_id,
        uri: uri.to_owned(),
        url: None,
        text: String::new(),
        content: "<p>hi</p>".into(),
        spoiler_text: String::new(),
        sensitive: false,
        visibility: Visibility::Public,
        language: None,
        in_reply_to_id: None,
        in_reply_to_account_id: None,
        reblog_of_id: None,
        conversation_id: Id::from_i64(id),
        application_id: None,
        created_at: 1,
        edited_at: None,
        replies_count: 0,
        reblogs_count: 0,
        favourites_count: 0,
        local: false,
        mentions: Vec::new(),
        media: Vec::new(),
        tags: Vec::new(),
    }
}
