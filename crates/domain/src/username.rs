use std::fmt;

use crate::ValidationError;

pub const MAX_USERNAME_LENGTH: usize = 30;

/// Names no one may register: they look official or collide with the server's own actor.
const RESERVED: &[&str] = &[
    "admin",
    "administrator",
    "help",
    "mod",
    "moderator",
    "postmaster",
    "root",
    "support",
    "webmaster",
    "abuse",
    "security",
    "staff",
    "system",
    "instance",
    "actor",
];

/// A local username as Mastodon accepts it: ASCII letters, digits and `_`, at most 30
/// characters, not reserved. Case is kept for display; uniqueness ignores it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Username(String);

impl Username {
    pub fn parse_local(input: &str) -> Result<Self, ValidationError> {
        let err = |code, description: &str| Err(ValidationError::field("username", code, description));
        if input.is_empty() {
            return err("ERR_BLANK", "can't be blank");
        }
        if !input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
            return err("ERR_INVALID", "must contain only letters, numbers and underscores");
        }
        if input.len() > MAX_USERNAME_LENGTH {
            return err("ERR_TOO_LONG", "is too long (maximum is 30 characters)");
        }
        if RESERVED.iter().any(|r| r.eq_ignore_ascii_case(input)) {
            return err("ERR_RESERVED", "is reserved");
        }
        Ok(Self(input.to_owned()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Username {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn code(input: &str) -> &'static str {
        Username::parse_local(input).unwrap_err().errors[0].code
    }

    #[test]
    fn accepts_mastodon_usernames_and_keeps_case() {
        for ok in ["alice", "Alice_99", "_", "a".repeat(30).as_str()] {
            assert_eq!(Username::parse_local(ok).unwrap().as_str(), ok);
        }
    }

    #[test]
    fn rejects_what_mastodon_rejects() {
        assert_eq!(code(""), "ERR_BLANK");
        assert_eq!(code("a".repeat(31).as_str()), "ERR_TOO_LONG");
        for bad in ["al ice", "al-ice", "al.ice", "élise", "alice@x", "ali\u{0}"] {
            assert_eq!(code(bad), "ERR_INVALID", "{bad:?}");
        }
        assert_eq!(code("Admin"), "ERR_RESERVED");
        assert_eq!(code("root"), "ERR_RESERVED");
    }
}
