//! The command line: `rookery serve` and `rookery admin ...`, sharing one set of settings.

use clap::builder::BoolishValueParser;
use clap::{Args, Parser, Subcommand};
use std::path::PathBuf;

pub use crate::cli_policy::{
    DomainAllowCommand, DomainBlockCommand, EmailDomainBlockCommand, InviteCommand, ReportCommand, RuleCommand,
};

#[derive(Debug, Parser)]
#[command(
    name = "rookery",
    version,
    about = "A federated social network server that speaks ActivityPub and the Mastodon client API",
    after_help = "Settings come, highest first, from flags, ROOKERY_* environment variables and the \
                  TOML file given by --config. docs/configuration.md describes every one."
)]
pub struct Cli {
    #[command(flatten)]
    pub settings: SettingsArgs,
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the server until SIGTERM or SIGINT.
    Serve,
    /// Administer the server; safe to run while it is serving.
    Admin {
        #[command(subcommand)]
        command: AdminCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AdminCommand {
    /// Local accounts.
    Account {
        #[command(subcommand)]
        command: AccountCommand,
    },
    /// Uploaded and cached media.
    Media {
        #[command(subcommand)]
        command: MediaCommand,
    },
    /// Blocks of other servers' domains.
    DomainBlock {
        #[command(subcommand)]
        command: DomainBlockCommand,
    },
    /// E-mail domains nobody may sign up with.
    EmailDomainBlock {
        #[command(subcommand)]
        command: EmailDomainBlockCommand,
    },
    /// Reports, as moderators handle them.
    Report {
        #[command(subcommand)]
        command: ReportCommand,
    },
    /// The allowlist that --limited-federation federates with.
    DomainAllow {
        #[command(subcommand)]
        command: DomainAllowCommand,
    },
    /// The server's rules.
    Rule {
        #[command(subcommand)]
        command: RuleCommand,
    },
    /// Remove a post (a local one is deleted on other servers too), by its id.
    DeleteStatus {
        #[arg(long)]
        id: String,
    },
    /// Invite links, for sign-ups in invite mode (and past approval in the others).
    Invite {
        #[command(subcommand)]
        command: InviteCommand,
    },
    /// Show the most recent moderator actions.
    Log {
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
}

#[derive(Debug, Subcommand)]
pub enum MediaCommand {
    /// Show where the media storage's room goes: local uploads, cached remote pictures.
    Usage,
    /// Evict cached remote pictures now, least recently shown first, down to the
    /// budget (--remote-media-cache) or, with --all, all of them; and delete uploads
    /// no post took within a day (the server does that every hour).
    Prune {
        #[arg(long)]
        all: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum AccountCommand {
    /// Create a local account (with its signing keys).
    Create {
        #[arg(long)]
        username: String,
        #[arg(long)]
        email: String,
        /// The password; visible to other users of this machine in `ps`, so prefer
        /// --password-stdin. If neither is given, a random one is made and printed.
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        /// user, moderator or admin.
        #[arg(long, default_value = "user")]
        role: String,
    },
    /// List local accounts.
    List,
    /// Replace an account's password.
    SetPassword {
        #[arg(long)]
        username: String,
        /// The password; prefer --password-stdin. If neither is given, a random one is
        /// made and printed.
        #[arg(long, conflicts_with = "password_stdin")]
        password: Option<String>,
        /// Read the password from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
    },
    /// Let a sign-up that waits for approval sign in.
    Approve {
        #[arg(long)]
        username: String,
    },
    /// Act on an account as a moderator would: suspend, silence, sensitive, disable,
    /// unsuspend, unsilence, unsensitive or enable.
    Moderate {
        /// A local username, or user@domain for a remote account.
        #[arg(long)]
        account: String,
        #[arg(long)]
        action: String,
    },
    /// Change an account's role.
    SetRole {
        #[arg(long)]
        username: String,
        /// user, moderator or admin.
        #[arg(long)]
        role: String,
    },
}

/// Every setting, as a flag and an environment variable. No defaults here: a value
/// left unset falls through to the config file, then to the default in `config.rs`.
#[derive(Debug, Clone, Default, Args)]
pub struct SettingsArgs {
    /// TOML file with settings (keys as in docs/configuration.md).
    #[arg(long, global = true, env = "ROOKERY_CONFIG", value_name = "PATH")]
    pub config: Option<PathBuf>,
    /// Public host, may carry a port [default: localhost:8080].
    #[arg(long, global = true, env = "ROOKERY_DOMAIN", value_name = "HOST")]
    pub domain: Option<String>,
    /// https or http [default: https; http when the domain is localhost or a loopback address].
    #[arg(long, global = true, env = "ROOKERY_PROTOCOL")]
    pub protocol: Option<String>,
    /// Address to listen on [default: 127.0.0.1:8080].
    #[arg(long, global = true, env = "ROOKERY_BIND", value_name = "ADDR")]
    pub bind: Option<String>,
    /// sqlite://PATH or postgres://... [default: sqlite://<data dir>/rookery.db].
    #[arg(long, global = true, env = "ROOKERY_DATABASE_URL", value_name = "URL")]
    pub database_url: Option<String>,
    /// Connections in the database pool [default: 8].
    #[arg(long, global = true, env = "ROOKERY_DATABASE_MAX_CONNECTIONS", value_name = "N")]
    pub database_max_connections: Option<String>,
    /// Folder for the SQLite file, media and other state [default: ./data].
    #[arg(long, global = true, env = "ROOKERY_DATA_DIR", value_name = "PATH")]
    pub data_dir: Option<PathBuf>,
    /// Let outgoing requests reach loopback and private networks; for local tests only [default: false].
    #[arg(long, global = true, env = "ROOKERY_ALLOW_PRIVATE_ADDRESSES", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub allow_private_addresses: Option<bool>,
    /// Answer ActivityPub GETs only when signed by a server we may talk to, as Mastodon's AUTHORIZED_FETCH [default: false].
    #[arg(long, global = true, env = "ROOKERY_AUTHORIZED_FETCH", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub authorized_fetch: Option<bool>,
    /// Federate only with domains on the allowlist (`rookery admin domain-allow`), as Mastodon's LIMITED_FEDERATION_MODE [default: false].
    #[arg(long, global = true, env = "ROOKERY_LIMITED_FEDERATION", value_name = "BOOL",
          num_args = 0..=1, default_missing_value = "true", value_parser = BoolishValueParser::new())]
    pub limited_federation: Option<bool>,
    /// Who may read the list of blocked domains: disabled, users or all [default: disabled].
    #[arg(long, global = true, env = "ROOKERY_SHOW_DOMAIN_BLOCKS", value_name = "WHO")]
    pub show_domain_blocks: Option<String>,
    /// The server's name [default: Rookery].
    #[arg(long, global = true, env = "ROOKERY_TITLE")]
    pub title: Option<String>,
    /// A short description of the server [default: empty].
    #[arg(long, global = true, env = "ROOKERY_DESCRIPTION")]
    pub description: Option<String>,
    /// Address people can write to about the server [default: empty].
    #[arg(long, global = true, env = "ROOKERY_CONTACT_EMAIL", value_name = "EMAIL")]
    pub contact_email: Option<String>,
    /// Local account shown as the contact [default: the oldest admin].
    #[arg(long, global = true, env = "ROOKERY_CONTACT_USERNAME", value_name = "USERNAME")]
    pub contact_username: Option<String>,
    /// open, approval, invite or closed [default: closed].
    #[arg(long, global = true, env = "ROOKERY_REGISTRATIONS", value_name = "MODE")]
    pub registrations: Option<String>,
    /// Comma-separated language codes of the server's community [default: en].
    #[arg(long, global = true, env = "ROOKERY_LANGUAGES", value_name = "CODES")]
    pub languages: Option<String>,
    /// Where this server's source code is published (the AGPL asks you to offer it) [default: empty].
    #[arg(long, global = true, env = "ROOKERY_SOURCE_URL", value_name = "URL")]
    pub source_url: Option<String>,
    /// A plain-text file with the terms of service, published at /terms and in the API [default: none].
    #[arg(long, global = true, env = "ROOKERY_TERMS_OF_SERVICE", value_name = "PATH")]
    pub terms_of_service: Option<PathBuf>,
    /// Log filter: a level, or target=level pairs [default: info].
    #[arg(long, global = true, env = "ROOKERY_LOG", value_name = "FILTER")]
    pub log: Option<String>,
    /// text or json [default: text].
    #[arg(long, global = true, env = "ROOKERY_LOG_FORMAT", value_name = "FORMAT")]
    pub log_format: Option<String>,
    /// Comma-separated addresses of reverse proxies whose X-Forwarded-For is believed [default: 127.0.0.1,::1].
    #[arg(long, global = true, env = "ROOKERY_TRUSTED_PROXIES", value_name = "ADDRS")]
    pub trusted_proxies: Option<String>,
    /// API requests per token (or address) per 5 minutes; 0 turns limits off [default: 300].
    #[arg(long, global = true, env = "ROOKERY_RATE_LIMIT", value_name = "N")]
    pub rate_limit: Option<String>,
    /// Where media files go: local (under the data directory) or s3 [default: local].
    #[arg(long, global = true, env = "ROOKERY_MEDIA_STORAGE", value_name = "KIND")]
    pub media_storage: Option<String>,
    /// The S3-compatible endpoint, like https://s3.eu-central-1.amazonaws.com.
    #[arg(long, global = true, env = "ROOKERY_S3_ENDPOINT", value_name = "URL")]
    pub s3_endpoint: Option<String>,
    /// The bucket media files go in.
    #[arg(long, global = true, env = "ROOKERY_S3_BUCKET", value_name = "NAME")]
    pub s3_bucket: Option<String>,
    /// The bucket's region [default: us-east-1].
    #[arg(long, global = true, env = "ROOKERY_S3_REGION", value_name = "REGION")]
    pub s3_region: Option<String>,
    /// The access key's id.
    #[arg(long, global = true, env = "ROOKERY_S3_ACCESS_KEY_ID", value_name = "ID")]
    pub s3_access_key_id: Option<String>,
    /// The access key's secret; prefer the variable or the file to the flag.
    #[arg(long, global = true, env = "ROOKERY_S3_SECRET_ACCESS_KEY", value_name = "SECRET", hide_env_values = true)]
    pub s3_secret_access_key: Option<String>,
    /// The ffmpeg that video, audio and animated GIFs need [default: ffmpeg on PATH].
    #[arg(long, global = true, env = "ROOKERY_FFMPEG", value_name = "PATH")]
    pub ffmpeg: Option<PathBuf>,
    /// The ffprobe that video, audio and animated GIFs need [default: ffprobe on PATH].
    #[arg(long, global = true, env = "ROOKERY_FFPROBE", value_name = "PATH")]
    pub ffprobe: Option<PathBuf>,
    /// Room for other servers' cached pictures, like 500MB or 2GiB [default: 1GiB].
    #[arg(long, global = true, env = "ROOKERY_REMOTE_MEDIA_CACHE", value_name = "SIZE")]
    pub remote_media_cache: Option<String>,
    /// Password hashes computed at once, 19 MiB each [default: number of CPUs].
    #[arg(long, global = true, env = "ROOKERY_PASSWORD_HASH_CONCURRENCY", value_name = "N")]
    pub password_hash_concurrency: Option<String>,
}
