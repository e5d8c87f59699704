use std::fmt;

use crate::ValidationError;

/// Mastodon's bounds: at least 8 characters, at most 72 (bcrypt's historical limit).
const MIN_CHARS: usize = 8;
const MAX_CHARS: usize = 72;

/// A new password that meets the length rules. Never printed.
#[derive(Clone)]
pub struct Password(String);

impl Password {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let chars = input.chars().count();
        if chars == 0 {
            return Err(ValidationError::field("password", "ERR_BLANK", "can't be blank"));
        }
        if chars < MIN_CHARS {
            return Err(ValidationError::field("password", "ERR_TOO_SHORT", "is too short (minimum is 8 characters)"));
        }
        if chars > MAX_CHARS {
            return Err(ValidationError::field("password", "ERR_TOO_LONG", "is too long (maximum is 72 characters)"));
        }
        Ok(Self(input.to_owned()))
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Password {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Password(***)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enforces_length_in_characters() {
        assert_eq!(Password::parse("").unwrap_err().errors[0].code, "ERR_BLANK");
        assert_eq!(Password::parse("short").unwrap_err().errors[0].code, "ERR_TOO_SHORT");
        assert!(Password::parse("éééééééé").is_ok());
        assert_eq!(Password::parse(&"x".repeat(73)).unwrap_err().errors[0].code, "ERR_TOO_LONG");
        assert_eq!(format!("{:?}", Password::parse("secret-secret").unwrap()), "Password(***)");
    }
}
