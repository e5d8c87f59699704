//! OAuth scopes as Mastodon defines them, and which granted scope covers which.

use std::collections::BTreeSet;
use std::fmt;

use crate::ValidationError;

/// Every scope Mastodon accepts.
pub const KNOWN_SCOPES: &[&str] = &[
    "read",
    "read:accounts",
    "read:blocks",
    "read:bookmarks",
    "read:favourites",
    "read:filters",
    "read:follows",
    "read:lists",
    "read:mutes",
    "read:notifications",
    "read:search",
    "read:statuses",
    "write",
    "write:accounts",
    "write:blocks",
    "write:bookmarks",
    "write:conversations",
    "write:favourites",
    "write:filters",
    "write:follows",
    "write:lists",
    "write:media",
    "write:mutes",
    "write:notifications",
    "write:reports",
    "write:statuses",
    "follow",
    "push",
    "profile",
    "admin:read",
    "admin:read:accounts",
    "admin:read:reports",
    "admin:read:domain_allows",
    "admin:read:domain_blocks",
    "admin:read:ip_blocks",
    "admin:read:email_domain_blocks",
    "admin:read:canonical_email_blocks",
    "admin:write",
    "admin:write:accounts",
    "admin:write:reports",
    "admin:write:domain_allows",
    "admin:write:domain_blocks",
    "admin:write:ip_blocks",
    "admin:write:email_domain_blocks",
    "admin:write:canonical_email_blocks",
];

/// What the legacy `follow` scope grants.
const FOLLOW_IMPLIES: &[&str] =
    &["read:follows", "write:follows", "read:blocks", "write:blocks", "read:mutes", "write:mutes"];

/// A set of known scopes. Kept sorted, so its text form is stable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Scopes(BTreeSet<String>);

impl Scopes {
    /// Scopes separated by spaces or `+`, as apps send them. Empty input means `read`,
    /// Mastodon's default. Unknown scopes are an error naming them.
    pub fn parse(input: &str) -> Result<Scopes, ValidationError> {
        let words: BTreeSet<String> =
            input.split([' ', '+', '\n', '\t', ',']).filter(|w| !w.is_empty()).map(str::to_owned).collect();
        if words.is_empty() {
            return Ok(Scopes(BTreeSet::from(["read".to_owned()])));
        }
        let unknown: Vec<&str> = words.iter().map(String::as_str).filter(|w| !KNOWN_SCOPES.contains(w)).collect();
        if !unknown.is_empty() {
            return Err(ValidationError::field(
                "scopes",
                "ERR_INVALID",
                format!("are invalid: {}", unknown.join(", ")),
            ));
        }
        Ok(Scopes(words))
    }

    /// Whether a token with these scopes may do what `required` guards.
    pub fn allows(&self, required: &str) -> bool {
        self.0.iter().any(|granted| covers(granted, required))
    }

    /// Whether every scope of `other` is among these (registration checks a request).
    pub fn includes_all(&self, other: &Scopes) -> bool {
        other.0.iter().all(|s| self.0.contains(s))
    }

    pub fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

fn covers(granted: &str, required: &str) -> bool {
    granted == required
        || required.strip_prefix(granted).is_some_and(|rest| rest.starts_with(':'))
        || (granted == "follow" && FOLLOW_IMPLIES.contains(&required))
}

impl fmt::Display for Scopes {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for s in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(s)?;
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_what_apps_send() {
        assert_eq!(Scopes::parse("read write follow push").unwrap().to_string(), "follow push read write");
        assert_eq!(Scopes::parse("read+write").unwrap().to_string(), "read write");
        assert_eq!(Scopes::parse("").unwrap().to_string(), "read");
        let err = Scopes::parse("read launch:missiles").unwrap_err();
        assert!(err.to_string().contains("launch:missiles"));
    }

    #[test]
    fn broad_scopes_cover_granular_ones() {
        let s = Scopes::parse("read write:statuses follow").unwrap();
        assert!(s.allows("read:accounts"));
        assert!(s.allows("write:statuses"));
        assert!(!s.allows("write:accounts"));
        assert!(s.allows("write:follows"), "legacy follow");
        assert!(!s.allows("write"), "a granular scope does not cover the broad one");
        assert!(!s.allows("read_anything"));
        assert!(!Scopes::parse("admin:read").unwrap().allows("admin:write:accounts"));
        assert!(Scopes::parse("admin:read").unwrap().allows("admin:read:accounts"));
    }

    #[test]
    fn requests_must_stay_within_registration() {
        let registered = Scopes::parse("read write").unwrap();
        assert!(registered.includes_all(&Scopes::parse("read").unwrap()));
        assert!(!registered.includes_all(&Scopes::parse("read push").unwrap()));
    }
}
