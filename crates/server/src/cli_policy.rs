//! The subcommands of `rookery admin` for server policy and moderation.

use clap::Subcommand;
use std::path::PathBuf;

#[derive(Debug, Subcommand)]
pub enum DomainBlockCommand {
    /// Block a domain and its subdomains, or change an existing block.
    Add {
        /// The domain (its subdomains are blocked too).
        #[arg(value_name = "DOMAIN")]
        host: String,
        /// noop, silence (also called limit) or suspend [default: silence].
        #[arg(long)]
        severity: Option<String>,
        #[arg(long)]
        reject_media: bool,
        #[arg(long)]
        reject_reports: bool,
        /// Why, for the public list.
        #[arg(long)]
        public_comment: Option<String>,
        /// Why, for the other admins.
        #[arg(long)]
        private_comment: Option<String>,
        /// Show the domain partly starred out in the public list.
        #[arg(long)]
        obfuscate: bool,
    },
    /// Lift the block of a domain.
    Remove {
        #[arg(value_name = "DOMAIN")]
        host: String,
    },
    List,
    /// Import a blocklist in Mastodon's CSV format (or one domain per line).
    Import {
        file: PathBuf,
    },
    /// Print every block in Mastodon's CSV format.
    Export,
}

#[derive(Debug, Subcommand)]
pub enum DomainAllowCommand {
    Add {
        #[arg(value_name = "DOMAIN")]
        host: String,
    },
    Remove {
        #[arg(value_name = "DOMAIN")]
        host: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum InviteCommand {
    /// Make an invite link and print it.
    Create {
        /// How many sign-ups it lets in [default: no limit].
        #[arg(long)]
        max_uses: Option<i64>,
        /// Seconds until it expires [default: never].
        #[arg(long)]
        expires_in: Option<i64>,
    },
    List,
    /// Stop an invite link from letting anyone else in.
    Revoke {
        code: String,
    },
}

#[derive(Debug, Subcommand)]
pub enum RuleCommand {
    /// Add a rule after the others.
    Add {
        text: String,
        /// A longer explanation.
        #[arg(long, default_value = "")]
        hint: String,
    },
    /// Remove a rule by its id (as `rule list` shows it).
    Remove {
        id: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum EmailDomainBlockCommand {
    Add {
        #[arg(value_name = "DOMAIN")]
        host: String,
    },
    Remove {
        #[arg(value_name = "DOMAIN")]
        host: String,
    },
    List,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// Open reports, or with --resolved the resolved ones, newest first.
    List {
        #[arg(long)]
        resolved: bool,
    },
    /// Mark a report resolved.
    Resolve { id: String },
    /// Open a resolved report again.
    Reopen { id: String },
}
