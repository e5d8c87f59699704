use crate::{Email, Id, Role, UnixMillis, Username};

/// An actor on the network: a local user's public face, or a remote account we know of.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub id: Id,
    pub username: String,
    /// `None` for local accounts.
    pub domain: Option<String>,
    pub display_name: String,
    /// Profile text as HTML (sanitised before it is stored).
    pub note: String,
    pub locked: bool,
    pub bot: bool,
    pub discoverable: bool,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
    pub followers_count: i64,
    pub following_count: i64,
    pub statuses_count: i64,
    pub last_status_at: Option<UnixMillis>,
    /// The profile text as typed, for editing.
    pub note_source: String,
    pub fields: Vec<ProfileField>,
    pub hide_collections: bool,
    pub indexable: bool,
    /// Uploaded images, as paths under the data directory.
    pub avatar_file: Option<String>,
    pub header_file: Option<String>,
    /// A remote actor's ActivityPub id and profile page; `None` for local accounts.
    pub uri: Option<String>,
    pub url: Option<String>,
    /// What moderators did: suspended, silenced ("limited"), media forced sensitive,
    /// sign-in disabled; when.
    pub moderation: AccountModeration,
}

/// When moderators suspended, silenced, sensitized or disabled an account, if they did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AccountModeration {
    pub suspended_at: Option<UnixMillis>,
    pub silenced_at: Option<UnixMillis>,
    pub sensitized_at: Option<UnixMillis>,
    pub disabled_at: Option<UnixMillis>,
}

impl AccountModeration {
    /// Whether a local account's owner may not sign in or use their tokens.
    pub fn locked_out(&self) -> bool {
        self.suspended_at.is_some() || self.disabled_at.is_some()
    }
}

/// A name and value pair on a profile ("Pronouns", "Website").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileField {
    pub name: String,
    /// As typed.
    pub value: String,
    /// As shown: links made clickable, everything escaped.
    pub value_html: String,
}

impl Account {
    pub fn is_local(&self) -> bool {
        self.domain.is_none()
    }

    /// `user` for local accounts, `user@domain` for remote ones, as Mastodon's `acct`.
    pub fn acct(&self) -> String {
        match &self.domain {
            None => self.username.clone(),
            Some(domain) => format!("{}@{domain}", self.username),
        }
    }
}

/// The sign-in side of a local account.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LocalUser {
    pub id: Id,
    pub account_id: Id,
    pub email: Email,
    pub role: Role,
    pub created_at: UnixMillis,
    pub last_active_at: Option<UnixMillis>,
    /// Posting defaults, as Mastodon keeps them per user.
    pub default_visibility: crate::Visibility,
    pub default_sensitive: bool,
    pub default_language: Option<String>,
    /// False while a sign-up waits for a moderator.
    pub approved: bool,
}

/// Everything needed to store a new local account and its user in one step.
#[derive(Clone)]
pub struct NewLocalAccount {
    pub account_id: Id,
    pub user_id: Id,
    pub username: Username,
    pub email: Email,
    pub role: Role,
    pub password_hash: String,
    pub public_key_pem: String,
    pub private_key_pem: String,
    pub created_at: UnixMillis,
    pub approved: bool,
    pub reason: Option<String>,
}

impl std::fmt::Debug for NewLocalAccount {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("NewLocalAccount")
            .field("account_id", &self.account_id)
            .field("username", &self.username)
            .field("email", &self.email)
            .field("role", &self.role)
            .finish_non_exhaustive()
    }
}
