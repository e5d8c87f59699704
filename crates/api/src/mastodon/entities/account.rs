//! Mastodon's Account entity.

use app::Config;
use domain::{Account, Role};
use serde::Serialize;
use serde_json::Value;

use crate::assets::{MISSING_AVATAR_PATH, MISSING_HEADER_PATH};
use crate::format;

#[derive(Debug, Serialize)]
pub(crate) struct AccountEntity {
    id: String,
    username: String,
    acct: String,
    display_name: String,
    locked: bool,
    bot: bool,
    discoverable: bool,
    indexable: bool,
    group: bool,
    created_at: String,
    note: String,
    url: String,
    uri: String,
    avatar: String,
    avatar_static: String,
    header: String,
    header_static: String,
    followers_count: i64,
    following_count: i64,
    statuses_count: i64,
    last_status_at: Option<String>,
    hide_collections: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    noindex: Option<bool>,
    emojis: Vec<Value>,
    roles: Vec<RoleEntity>,
    fields: Vec<Value>,
}

/// A role shown on a profile. Mastodon lists only highlighted roles; all of ours are.
#[derive(Debug, Serialize)]
pub(crate) struct RoleEntity {
    id: String,
    name: String,
    color: String,
}

impl RoleEntity {
    fn shown(role: Role) -> Option<Self> {
        let id = match role {
            Role::User => return None,
            Role::Moderator => "1",
            Role::Admin => "2",
        };
        Some(Self { id: id.into(), name: role.display_name().into(), color: String::new() })
    }
}

impl AccountEntity {
    /// `role` is the local user's role, when the account is local.
    pub(crate) fn new(config: &Config, account: &Account, role: Option<Role>) -> Self {
        let base = config.base_url();
        let (url, uri) = match &account.domain {
            None => (format!("{base}/@{}", account.username), format!("{base}/users/{}", account.username)),
            // Remote accounts carry their own URLs once federation stores them.
            Some(domain) => (
                format!("https://{domain}/@{}", account.username),
                format!("https://{domain}/users/{}", account.username),
            ),
        };
        let avatar = format!("{base}{MISSING_AVATAR_PATH}");
        let header = format!("{base}{MISSING_HEADER_PATH}");
        AccountEntity {
            id: account.id.to_string(),
            username: account.username.clone(),
            acct: account.acct(),
            display_name: account.display_name.clone(),
            locked: account.locked,
            bot: account.bot,
            discoverable: account.discoverable,
            indexable: false,
            group: false,
            created_at: format::midnight(account.created_at),
            note: account.note.clone(),
            url,
            uri,
            avatar_static: avatar.clone(),
            avatar,
            header_static: header.clone(),
            header,
            followers_count: account.followers_count,
            following_count: account.following_count,
            statuses_count: account.statuses_count,
            last_status_at: account.last_status_at.map(format::date),
            hide_collections: false,
            noindex: account.is_local().then_some(false),
            emojis: Vec::new(),
            roles: role.and_then(RoleEntity::shown).into_iter().collect(),
            fields: Vec::new(),
        }
    }
}
