//! The settings use cases read. Loaded once by the binary and passed down; nothing
//! here reads the environment.

use std::fmt;
use std::str::FromStr;

#[derive(Debug, Clone)]
pub struct Config {
    /// The public host, possibly with a port: `social.example`, `127.0.0.12:8080`.
    pub domain: String,
    pub protocol: Protocol,
    /// Whether outgoing requests may reach loopback and private networks.
    pub allow_private_addresses: bool,
    /// Whether ActivityPub documents are served only to signed requests (Mastodon's
    /// secure mode); the instance actor and a minimal actor stay public.
    pub authorized_fetch: bool,
    /// Mastodon's limited federation mode: federate only with allowed domains (which
    /// implies authorized fetch).
    pub limited_federation: bool,
    /// Where uploaded and cached files are kept.
    pub media_storage: crate::media::MediaStorageConfig,
    /// The ffmpeg and ffprobe programs that video, audio and animated GIFs need (a name
    /// looked up on `PATH`, or a path); without them those uploads are refused.
    pub ffmpeg: std::path::PathBuf,
    pub ffprobe: std::path::PathBuf,
    /// The room other servers' cached pictures may take, in bytes; beyond it the least
    /// recently shown are evicted (and fetched again when next shown).
    pub remote_media_cache_bytes: u64,
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed.
    pub trusted_proxies: Vec<std::net::IpAddr>,
    /// API requests allowed per token (or client address) per five minutes; 0 turns
    /// rate limiting off.
    pub requests_per_five_minutes: u32,
    /// How many password hashes may be computed at once (19 MiB each).
    pub password_hash_concurrency: usize,
    pub instance: InstanceConfig,
}

impl Config {
    /// `https://social.example`, without a trailing slash.
    pub fn base_url(&self) -> String {
        format!("{}://{}", self.protocol, self.domain)
    }

    /// The Websocket base for the streaming API.
    pub fn streaming_url(&self) -> String {
        let scheme = match self.protocol {
            Protocol::Https => "wss",
            Protocol::Http => "ws",
        };
        format!("{scheme}://{}", self.domain)
    }
}

/// What the server says about itself.
#[derive(Debug, Clone, Default)]
pub struct InstanceConfig {
    pub title: String,
    pub description: String,
    pub contact_email: String,
    /// A local account shown as the contact, if any.
    pub contact_username: Option<String>,
    pub registrations: RegistrationMode,
    /// ISO 639 codes of the community's languages.
    pub languages: Vec<String>,
    /// Where the running code is published, as the AGPL asks.
    pub source_url: String,
    /// Who may read the list of blocked domains.
    pub show_domain_blocks: Audience,
    /// The terms of service as plain text (paragraphs split by blank lines), and when
    /// they were last changed; empty when the server publishes none.
    pub terms_of_service: String,
    pub terms_updated_at: i64,
}

/// Who may read something the server chooses to publish.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Audience {
    /// Nobody (Mastodon's default for its list of blocked domains).
    #[default]
    Nobody,
    /// Signed-in users.
    Users,
    /// Anyone.
    All,
}

impl FromStr for Audience {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "disabled" => Ok(Audience::Nobody),
            "users" => Ok(Audience::Users),
            "all" => Ok(Audience::All),
            other => Err(format!("`{other}` is not an audience (expected disabled, users or all)")),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Protocol {
    #[default]
    Https,
    Http,
}

impl fmt::Display for Protocol {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Protocol::Https => "https",
            Protocol::Http => "http",
        })
    }
}

impl FromStr for Protocol {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "https" => Ok(Protocol::Https),
            "http" => Ok(Protocol::Http),
            other => Err(format!("`{other}` is not a protocol (expected https or http)")),
        }
    }
}

/// Who may sign up: anyone, anyone once approved, only people with an invite link, or
/// only people the admins create. An invite also lets its holder skip approval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RegistrationMode {
    Open,
    Approval,
    Invite,
    #[default]
    Closed,
}

impl RegistrationMode {
    /// Whether anyone may sign up (at once or once approved), without an invite.
    pub fn open_to_anyone(self) -> bool {
        matches!(self, RegistrationMode::Open | RegistrationMode::Approval)
    }
}

impl FromStr for RegistrationMode {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "open" => Ok(RegistrationMode::Open),
            "approval" => Ok(RegistrationMode::Approval),
            "invite" => Ok(RegistrationMode::Invite),
            "closed" => Ok(RegistrationMode::Closed),
            other => Err(format!("`{other}` is not a registration mode (expected open, approval, invite or closed)")),
        }
    }
}
