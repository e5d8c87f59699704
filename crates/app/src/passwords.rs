//! Argon2id password hashes, with a bound on how many are computed at once: each one
//! takes 19 MiB and tens of milliseconds, so unbounded logins could exhaust memory.

use std::sync::Arc;

use argon2::Argon2;
use argon2::password_hash::{PasswordHasher as _, PasswordVerifier as _};
use domain::Password;
use tokio::sync::{OnceCell, Semaphore};

use crate::AppError;

/// Longest a hash waits for its turn.
const MAX_WAIT: std::time::Duration = std::time::Duration::from_secs(10);

#[derive(Debug, Clone)]
pub struct PasswordHasher {
    permits: Arc<Semaphore>,
    /// A hash of a random password, to verify against when there is no user.
    decoy: Arc<OnceCell<String>>,
}

impl PasswordHasher {
    pub fn new(concurrency: usize) -> Self {
        Self { permits: Arc::new(Semaphore::new(concurrency.max(1))), decoy: Arc::new(OnceCell::new()) }
    }

    /// A PHC string (`$argon2id$v=19$m=19456,t=2,p=1$...`) with a fresh random salt.
    pub async fn hash(&self, password: &Password) -> Result<String, AppError> {
        let password = password.expose().to_owned();
        self.run(move || {
            let mut salt = [0u8; 16];
            aws_lc_rs::rand::fill(&mut salt).map_err(|_| AppError::Internal("no randomness".into()))?;
            Argon2::default()
                .hash_password_with_salt(password.as_bytes(), &salt)
                .map(|h| h.to_string())
                .map_err(|e| AppError::Internal(format!("hashing failed: {e}")))
        })
        .await
    }

    /// Whether `candidate` matches `hash`. A malformed stored hash never matches.
    pub async fn verify(&self, hash: &str, candidate: &str) -> Result<bool, AppError> {
        let (hash, candidate) = (hash.to_owned(), candidate.to_owned());
        self.run(move || Ok(Argon2::default().verify_password(candidate.as_bytes(), hash.as_str()).is_ok())).await
    }

    /// Makes the decoy hash now, so the first sign-in with an unknown e-mail takes no
    /// longer than any other.
    pub async fn prepare(&self) -> Result<(), AppError> {
        self.decoy().await.map(|_| ())
    }

    async fn decoy(&self) -> Result<&String, AppError> {
        self.decoy
            .get_or_try_init(|| async {
                let random = crate::random_password()?;
                self.hash(&Password::parse(&random)?).await
            })
            .await
    }

    /// Like [`Self::verify`], but with no hash (unknown user) it verifies against a decoy,
    /// so the answer takes as long either way, and is `false`.
    pub async fn verify_or_waste(&self, hash: Option<&str>, candidate: &str) -> Result<bool, AppError> {
        match hash {
            Some(hash) => self.verify(hash, candidate).await,
            None => {
                let decoy = self.decoy().await?.clone();
                self.verify(&decoy, candidate).await.map(|_| false)
            }
        }
    }

    /// Runs other costly CPU work (key generation) under the same bound.
    pub(crate) async fn run_bounded<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        self.run(work).await
    }

    async fn run<T: Send + 'static>(
        &self,
        work: impl FnOnce() -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        // Waiting is bounded too: under a flood of sign-ins, refuse rather than queue forever.
        let _permit = tokio::time::timeout(MAX_WAIT, self.permits.acquire())
            .await
            .map_err(|_| AppError::Unavailable("too many sign-ins at once, try again shortly"))?
            .map_err(|e| AppError::Internal(e.to_string()))?;
        tokio::task::spawn_blocking(work).await.map_err(|e| AppError::Internal(e.to_string()))?
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn hashes_verify_and_differ_per_salt() {
        let hasher = PasswordHasher::new(2);
        let pw = Password::parse("correct horse battery").unwrap();
        let a = hasher.hash(&pw).await.unwrap();
        let b = hasher.hash(&pw).await.unwrap();
        assert!(a.starts_with("$argon2id$"));
        assert_ne!(a, b);
        assert!(hasher.verify(&a, "correct horse battery").await.unwrap());
        assert!(!hasher.verify(&a, "wrong horse battery").await.unwrap());
        assert!(!hasher.verify("not a hash", "correct horse battery").await.unwrap());
        assert!(hasher.verify_or_waste(Some(&a), "correct horse battery").await.unwrap());
        assert!(!hasher.verify_or_waste(None, "correct horse battery").await.unwrap());
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn never_runs_more_hashes_at_once_than_allowed() {
        use std::sync::atomic::{AtomicUsize, Ordering};
        let hasher = PasswordHasher::new(2);
        let running = Arc::new(AtomicUsize::new(0));
        let peak = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (hasher, running, peak) = (hasher.clone(), running.clone(), peak.clone());
                tokio::spawn(async move {
                    hasher
                        .run(move || {
                            let now = running.fetch_add(1, Ordering::SeqCst) + 1;
                            peak.fetch_max(now, Ordering::SeqCst);
                            std::thread::sleep(std::time::Duration::from_millis(20));
                            running.fetch_sub(1, Ordering::SeqCst);
                            Ok(())
                        })
                        .await
                })
            })
            .collect();
        for t in tasks {
            t.await.unwrap().unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 2, "eight hashes ran two at a time");
    }
}
