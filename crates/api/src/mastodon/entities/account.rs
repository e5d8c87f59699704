//! Mastodon's Account entity.

use app::Config;
use domain::{Account, LocalUser, Role};
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

/// The signed-in user's own account: the Account plus `source` (the raw profile and
/// posting defaults) and `role`.
#[derive(Debug, Serialize)]
pub(crate) struct CredentialAccountEntity {
    #[serde(flatten)]
    account: AccountEntity,
    source: Value,
    role: Value,
}

impl CredentialAccountEntity {
    pub(crate) fn new(config: &Config, account: &Account, user: &LocalUser) -> Self {
        let (id, name, permissions, highlighted) = match user.role {
            Role::User => ("-99", "", "65536", false),
            // Mastodon's moderator: dashboard, audit log, reports, users, taxonomies.
            Role::Moderator => ("1", "Moderator", "1308", true),
            Role::Admin => ("2", "Admin", "1", true),
        };
        Self {
            account: AccountEntity::new(config, account, Some(user.role)),
            source: serde_json::json!({
                "privacy": "public",
                "sensitive": false,
                "language": null,
                "note": html_to_text(&account.note),
                "fields": [],
                "follow_requests_count": 0,
                "hide_collections": false,
                "discoverable": account.discoverable,
                "indexable": false,
                "attribution_domains": [],
                "quote_policy": "public",
            }),
            role: serde_json::json!({
                "id": id, "name": name, "permissions": permissions, "color": "", "highlighted": highlighted,
            }),
        }
    }
}

/// The plain text a person typed, from the stored HTML note (tags dropped, entities
/// decoded, paragraphs and line breaks kept as newlines).
fn html_to_text(html: &str) -> String {
    let mut out = String::new();
    let mut rest = html;
    while let Some(start) = rest.find('<') {
        out.push_str(&rest[..start]);
        let Some(end) = rest[start..].find('>') else { break };
        let tag = &rest[start + 1..start + end];
        if tag.starts_with("br") || tag == "/p" && !rest[start + end + 1..].is_empty() {
            out.push('\n');
        }
        rest = &rest[start + end + 1..];
    }
    out.push_str(rest);
    out.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'").replace("&amp;", "&")
}
