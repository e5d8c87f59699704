//! Randomness for secrets, from the operating system's generator via aws-lc.

use crate::AppError;

/// `N` random bytes, fit for tokens and salts.
pub fn random_bytes<const N: usize>() -> Result<[u8; N], AppError> {
    let mut bytes = [0u8; N];
    aws_lc_rs::rand::fill(&mut bytes).map_err(|_| AppError::Internal("the system has no randomness".into()))?;
    Ok(bytes)
}

/// A random 24-character password from an alphabet without look-alike characters.
pub fn random_password() -> Result<String, AppError> {
    const ALPHABET: &[u8] = b"abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    // Rejection sampling keeps every character equally likely.
    let limit = 256 - (256 % ALPHABET.len());
    let mut password = String::with_capacity(24);
    while password.len() < 24 {
        for b in random_bytes::<32>()? {
            if usize::from(b) < limit && password.len() < 24 {
                password.push(char::from(ALPHABET[usize::from(b) % ALPHABET.len()]));
            }
        }
    }
    Ok(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_are_long_distinct_and_pass_the_rules() {
        let a = random_password().unwrap();
        let b = random_password().unwrap();
        assert_eq!(a.len(), 24);
        assert_ne!(a, b);
        assert!(domain::Password::parse(&a).is_ok());
    }
}
