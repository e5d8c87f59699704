//! Mastodon's Account entity.

use app::Config;
use domain::{Account, LocalUser, Role};
use serde::Serialize;
use serde_json::Value;

use crate::assets::{MISSING_AVATAR_PATH, MISSING_HEADER_PATH};
use crate::format;

#[derive(Debug, Serialize)]
pub(crate) struct AccountEntity {
    pub(crate) id: String,
    pub(crate) username: String,
    pub(crate) acct: String,
    pub(crate) display_name: String,
    pub(crate) locked: bool,
    pub(crate) bot: bool,
    pub(crate) discoverable: bool,
    pub(crate) indexable: bool,
    pub(crate) group: bool,
    pub(crate) created_at: String,
    pub(crate) note: String,
    pub(crate) url: String,
    pub(crate) uri: String,
    pub(crate) avatar: String,
    pub(crate) avatar_static: String,
    pub(crate) header: String,
    pub(crate) header_static: String,
    pub(crate) followers_count: i64,
    pub(crate) following_count: i64,
    pub(crate) statuses_count: i64,
    pub(crate) last_status_at: Option<String>,
    pub(crate) hide_collections: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) noindex: Option<bool>,
    /// Sent only when true, as Mastodon does.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) suspended: bool,
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub(crate) limited: bool,
    pub(crate) emojis: Vec<Value>,
    pub(crate) roles: Vec<RoleEntity>,
    pub(crate) fields: Vec<FieldEntity>,
    /// Only on the signed-in user's own account (CredentialAccount).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) source: Option<SourceEntity>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) role: Option<CredentialRoleEntity>,
}

/// A profile field as shown, its value as HTML.
#[derive(Debug, Serialize)]
pub(crate) struct FieldEntity {
    pub(crate) name: String,
    pub(crate) value: String,
    pub(crate) verified_at: Option<String>,
}

/// A role shown on a profile. Mastodon lists only highlighted roles; all of ours are.
#[derive(Debug, Serialize)]
pub(crate) struct RoleEntity {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) color: String,
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
    /// The name pages show: the display name, or the username when there is none.
    pub(crate) fn shown_name(&self) -> &str {
        if self.display_name.is_empty() { &self.username } else { &self.display_name }
    }

    /// `role` is the local user's role, when the account is local.
    pub(crate) fn new(config: &Config, account: &Account, role: Option<Role>) -> Self {
        let base = config.base_url();
        let (url, uri) = match &account.domain {
            None => (format!("{base}/@{}", account.username), format!("{base}/users/{}", account.username)),
            Some(domain) => {
                let uri = account.uri.clone().unwrap_or_else(|| format!("https://{domain}/users/{}", account.username));
                (account.url.clone().unwrap_or_else(|| uri.clone()), uri)
            }
        };
        let stored = |file: &Option<String>, missing: &str| match file {
            Some(key) => super::media::file_url(config, key),
            None => format!("{base}{missing}"),
        };
        let avatar = stored(&account.avatar_file, MISSING_AVATAR_PATH);
        let header = stored(&account.header_file, MISSING_HEADER_PATH);
        AccountEntity {
            id: account.id.to_string(),
            username: account.username.clone(),
            acct: account.acct(),
            display_name: account.display_name.clone(),
            locked: account.locked,
            bot: account.bot,
            discoverable: account.discoverable,
            indexable: account.indexable,
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
            hide_collections: account.hide_collections,
            noindex: account.is_local().then_some(false),
            suspended: account.moderation.suspended_at.is_some(),
            limited: account.moderation.silenced_at.is_some(),
            emojis: Vec::new(),
            roles: role.and_then(RoleEntity::shown).into_iter().collect(),
            fields: account
                .fields
                .iter()
                .map(|f| FieldEntity { name: f.name.clone(), value: f.value_html.clone(), verified_at: None })
                .collect(),
            source: None,
            role: None,
        }
    }
}

/// The signed-in user's own account: the Account plus `source` (the raw profile and
/// posting defaults) and `role`.
#[derive(Debug, Serialize)]
#[serde(transparent)]
pub(crate) struct CredentialAccountEntity(AccountEntity);

/// The raw profile and the posting defaults.
#[derive(Debug, Serialize)]
pub(crate) struct SourceEntity {
    privacy: &'static str,
    sensitive: bool,
    language: Option<String>,
    note: String,
    /// The values as typed, not as HTML.
    fields: Vec<FieldEntity>,
    follow_requests_count: i64,
    hide_collections: bool,
    discoverable: bool,
    indexable: bool,
    attribution_domains: [(); 0],
    quote_policy: &'static str,
}

/// The user's own role, with Mastodon's permission bits.
#[derive(Debug, Serialize)]
pub(crate) struct CredentialRoleEntity {
    id: &'static str,
    name: &'static str,
    permissions: &'static str,
    color: &'static str,
    highlighted: bool,
}

impl CredentialAccountEntity {
    pub(crate) fn new(config: &Config, account: &Account, user: &LocalUser, follow_requests_count: i64) -> Self {
        let (id, name, permissions, highlighted) = match user.role {
            Role::User => ("-99", "", "65536", false),
            // Mastodon's moderator: dashboard, audit log, reports, users, taxonomies.
            Role::Moderator => ("1", "Moderator", "1308", true),
            Role::Admin => ("2", "Admin", "1", true),
        };
        let mut entity = AccountEntity::new(config, account, Some(user.role));
        entity.source = Some(SourceEntity {
            privacy: user.default_visibility.as_str(),
            sensitive: user.default_sensitive,
            language: user.default_language.clone(),
            note: account.note_source.clone(),
            fields: account
                .fields
                .iter()
                .map(|f| FieldEntity { name: f.name.clone(), value: f.value.clone(), verified_at: None })
                .collect(),
            follow_requests_count,
            hide_collections: account.hide_collections,
            discoverable: account.discoverable,
            indexable: account.indexable,
            attribution_domains: [],
            quote_policy: "public",
        });
        entity.role = Some(CredentialRoleEntity { id, name, permissions, color: "", highlighted });
        Self(entity)
    }
}

/// A page of accounts, each with the id it is paged on, and its `Link` header.
pub(crate) fn page(
    config: &Config,
    uri: &axum::http::Uri,
    rows: &[(domain::Id, Account, Option<Role>)],
) -> (axum::http::HeaderMap, axum::Json<Vec<AccountEntity>>) {
    let links =
        crate::pagination::link_header(&config.base_url(), uri, rows.first().map(|r| r.0), rows.last().map(|r| r.0));
    (links, axum::Json(rows.iter().map(|(_, a, role)| AccountEntity::new(config, a, *role)).collect()))
}
