/// A storage failure the layers above can act on.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// A unique constraint refused the write; carries the index that refused it.
    #[error("conflicts with an existing row ({0})")]
    Conflict(String),
    #[error("not found")]
    NotFound,
    #[error("stored data is malformed: {0}")]
    Corrupt(String),
    #[error("unsupported database URL `{0}` (expected sqlite://PATH or postgres://...)")]
    UnsupportedUrl(String),
    #[error(transparent)]
    Database(Box<dyn std::error::Error + Send + Sync>),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match &e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(db) if db.is_unique_violation() => {
                StoreError::Conflict(db.constraint().map_or_else(|| db.message().to_owned(), str::to_owned))
            }
            _ => StoreError::Database(Box::new(e)),
        }
    }
}
