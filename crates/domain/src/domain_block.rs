//! How this server treats another server: Mastodon's domain blocks and their severities.

use crate::{Id, UnixMillis, ValidationError};

/// What a domain block does to federation with the domain, as Mastodon names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum Severity {
    /// Nothing beyond the block's flags (rejecting media or reports).
    Noop,
    /// "Limit": their posts reach only their followers here, never public timelines.
    #[default]
    Silence,
    /// No federation at all.
    Suspend,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Noop => "noop",
            Severity::Silence => "silence",
            Severity::Suspend => "suspend",
        }
    }

    /// Mastodon's names, and "limit", the name its interface shows for silence.
    pub fn parse(input: &str) -> Result<Severity, ValidationError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "noop" | "none" => Ok(Severity::Noop),
            "silence" | "limit" => Ok(Severity::Silence),
            "suspend" => Ok(Severity::Suspend),
            _ => Err(ValidationError::field("severity", "ERR_INCLUSION", "is not included in the list")),
        }
    }
}

/// A domain block: the domain and its subdomains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DomainBlock {
    pub id: Id,
    pub domain: String,
    pub severity: Severity,
    pub reject_media: bool,
    pub reject_reports: bool,
    pub private_comment: String,
    pub public_comment: String,
    /// Whether the public list shows the domain partly starred out.
    pub obfuscate: bool,
    pub created_at: UnixMillis,
    pub updated_at: UnixMillis,
}

impl DomainBlock {
    /// The domain as the public list shows it: with `obfuscate`, the middle starred out
    /// (dots kept) as Mastodon does, so people who know it recognise it.
    pub fn public_domain(&self) -> String {
        if !self.obfuscate {
            return self.domain.clone();
        }
        let length = self.domain.chars().count();
        let visible = length / 4;
        self.domain
            .chars()
            .enumerate()
            .map(|(i, c)| if i > visible && i + visible < length && c != '.' { '*' } else { c })
            .collect()
    }
}

/// A domain as blocks and allows name it: lower-cased, without a trailing dot or
/// surrounding space, a host name (or address) with an optional port.
pub fn normalize_domain(input: &str) -> Result<String, ValidationError> {
    let domain = input.trim().trim_end_matches('.').to_ascii_lowercase();
    let host_like = |c: char| c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ':' | '[' | ']');
    let valid = !domain.is_empty()
        && domain.len() <= 253
        && domain.chars().all(host_like)
        && !domain.starts_with(['.', '-', ':'])
        && !domain.contains("..");
    if valid { Ok(domain) } else { Err(ValidationError::field("domain", "ERR_INVALID", "is not a valid domain")) }
}

/// Whether `host` (an authority, `name[:port]`) is `domain` or one of its subdomains.
pub fn domain_covers(domain: &str, host: &str) -> bool {
    if host == domain {
        return true;
    }
    let name = host.rsplit_once(':').filter(|(_, port)| port.chars().all(|c| c.is_ascii_digit()));
    let name = name.map_or(host, |(name, _)| name);
    name == domain || name.strip_suffix(domain).is_some_and(|rest| rest.ends_with('.'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_domain_covers_itself_its_subdomains_and_any_port() {
        assert!(domain_covers("example.com", "example.com"));
        assert!(domain_covers("example.com", "a.b.example.com"));
        assert!(domain_covers("example.com", "example.com:8443"));
        assert!(domain_covers("127.0.0.1:4000", "127.0.0.1:4000"));
        assert!(!domain_covers("127.0.0.1:4000", "127.0.0.1:4001"));
        assert!(!domain_covers("example.com", "badexample.com"));
        assert!(!domain_covers("example.com", "example.com.evil"));
    }

    #[test]
    fn obfuscation_stars_out_the_middle_as_mastodon_does() {
        let block = |domain: &str| DomainBlock {
            id: Id::from_i64(1),
            domain: domain.into(),
            severity: Severity::Suspend,
            reject_media: false,
            reject_reports: false,
            private_comment: String::new(),
            public_comment: String::new(),
            obfuscate: true,
            created_at: 0,
            updated_at: 0,
        };
        assert_eq!(block("example.com").public_domain(), "exa****.*om");
        assert_eq!(block("a.b").public_domain(), "a.*");
    }

    #[test]
    fn domains_are_normalized_and_checked() {
        assert_eq!(normalize_domain(" Example.COM. ").unwrap(), "example.com");
        assert!(normalize_domain("").is_err());
        assert!(normalize_domain("exa mple.com").is_err());
        assert!(normalize_domain("https://example.com/").is_err());
    }
}
