use std::fmt;

use crate::ValidationError;

/// A plausible e-mail address, lower-cased (addresses are unique case-insensitively).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Email(String);

impl Email {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(ValidationError::field("email", "ERR_BLANK", "can't be blank"));
        }
        let invalid = || ValidationError::field("email", "ERR_INVALID", "is invalid");
        let (local, host) = trimmed.rsplit_once('@').ok_or_else(invalid)?;
        let host_ok = host.contains('.')
            && !host.starts_with('.')
            && !host.ends_with('.')
            && host.split('.').all(|label| !label.is_empty() && label.chars().all(|c| c.is_alphanumeric() || c == '-'));
        let local_ok = !local.is_empty() && !local.chars().any(|c| c.is_whitespace() || c.is_control() || c == '@');
        if !host_ok || !local_ok || trimmed.len() > 254 {
            return Err(invalid());
        }
        Ok(Self(trimmed.to_lowercase()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalises_case_and_whitespace() {
        assert_eq!(Email::parse("  Alice@Example.ORG ").unwrap().as_str(), "alice@example.org");
    }

    #[test]
    fn rejects_malformed_addresses() {
        for bad in ["", "alice", "alice@", "@example.org", "alice@localhost", "a b@x.org", "a@x..org", "a@-x.org."] {
            assert!(Email::parse(bad).is_err(), "{bad:?}");
        }
    }
}
