//! Where media files are kept, by key: under the data directory, or in an
//! S3-compatible bucket that several nodes share. Keys are random, so a file's address
//! cannot be guessed from another's.

use std::path::PathBuf;

use super::s3::{S3Bucket, S3Config};
use crate::{AppError, Result};

/// Where the files go, as configured.
#[derive(Debug, Clone)]
pub enum MediaStorageConfig {
    Local(PathBuf),
    S3(S3Config),
}

/// A stored file to serve: in memory, or on disk, to be read as it is sent (a video
/// may be 99 MB).
#[derive(Debug)]
pub enum StoredFile {
    Bytes(Vec<u8>),
    Disk { path: PathBuf, len: u64 },
}

impl StoredFile {
    pub fn len(&self) -> u64 {
        match self {
            StoredFile::Bytes(bytes) => bytes.len() as u64,
            StoredFile::Disk { len, .. } => *len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// The media files of this server.
#[derive(Debug, Clone)]
pub struct MediaStorage {
    backend: Backend,
}

#[derive(Debug, Clone)]
enum Backend {
    Local(PathBuf),
    S3(S3Bucket),
}

impl MediaStorage {
    pub fn new(config: &MediaStorageConfig) -> Result<Self> {
        Ok(MediaStorage {
            backend: match config {
                MediaStorageConfig::Local(root) => Backend::Local(root.clone()),
                MediaStorageConfig::S3(s3) => Backend::S3(S3Bucket::new(s3)?),
            },
        })
    }

    /// A fresh folder for the files of one picture of kind `kind` (`attachments`):
    /// 128 random bits, spread over two levels of folders.
    pub fn new_folder(kind: &str) -> Result<String> {
        let random = domain::hex(&crate::random_bytes::<16>()?);
        Ok(format!("{kind}/{}/{}/{random}", &random[..2], &random[2..4]))
    }

    /// Writes a file whole: on disk first to a temporary name, then renamed, so a crash
    /// never leaves half a file under the key (an object store's PUT is whole anyway).
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        check_key(key)?;
        let root = match &self.backend {
            Backend::S3(bucket) => return bucket.put(key, bytes).await,
            Backend::Local(root) => root,
        };
        let path = root.join(key);
        let io = |e: std::io::Error| AppError::Internal(format!("storing {}: {e}", path.display()));
        if let Some(parent) = path.parent() {
            tokio::fs::create_dir_all(parent).await.map_err(io)?;
        }
        let partial = path.with_extension("partial");
        tokio::fs::write(&partial, bytes).await.map_err(io)?;
        tokio::fs::rename(&partial, &path).await.map_err(io)?;
        Ok(())
    }

    /// A stored file's bytes; `None` when there is none under the key.
    pub async fn get(&self, key: &str) -> Result<Option<Vec<u8>>> {
        check_key(key)?;
        let root = match &self.backend {
            Backend::S3(bucket) => return bucket.get(key).await,
            Backend::Local(root) => root,
        };
        let path = root.join(key);
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Internal(format!("reading {}: {e}", path.display()))),
        }
    }

    /// A stored file to serve; `None` when there is none under the key. A file on disk
    /// is not read here.
    pub async fn open(&self, key: &str) -> Result<Option<StoredFile>> {
        check_key(key)?;
        let root = match &self.backend {
            Backend::S3(bucket) => return Ok(bucket.get(key).await?.map(StoredFile::Bytes)),
            Backend::Local(root) => root,
        };
        let path = root.join(key);
        match tokio::fs::metadata(&path).await {
            Ok(meta) if meta.is_file() => Ok(Some(StoredFile::Disk { path, len: meta.len() })),
            Ok(_) => Ok(None),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Internal(format!("reading {}: {e}", path.display()))),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        check_key(key)?;
        let root = match &self.backend {
            Backend::S3(bucket) => return bucket.delete(key).await,
            Backend::Local(root) => root,
        };
        let path = root.join(key);
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(AppError::Internal(format!("deleting {}: {e}", path.display())))
            }
            _ => Ok(()),
        }
    }
}

/// Keys come from requests too, so only this server's own shape of key is accepted:
/// lower-case names and digits, no `..`, no absolute paths.
fn check_key(key: &str) -> Result<()> {
    let valid_part = |part: &str| {
        !part.is_empty()
            && !part.starts_with('.')
            && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
    };
    if key.len() > 200 || !key.split('/').all(valid_part) {
        return Err(AppError::NotFound("file"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_stored_under_their_key_and_nothing_else_is_reachable() {
        let root = std::env::temp_dir().join(format!("rookery-media-storage-{}", std::process::id()));
        let storage = MediaStorage::new(&MediaStorageConfig::Local(root.clone())).unwrap();
        let folder = MediaStorage::new_folder("attachments").unwrap();
        assert_eq!(folder.len(), "attachments/".len() + 2 + 1 + 2 + 1 + 32);
        assert_ne!(folder, MediaStorage::new_folder("attachments").unwrap());
        let key = format!("{folder}/original.jpg");
        storage.put(&key, b"bytes").await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap().as_deref(), Some(&b"bytes"[..]));
        for bad in ["../secret", "/etc/passwd", "attachments/../../x", "a//b", "A/b", ".hidden", ""] {
            assert!(storage.get(bad).await.is_err(), "{bad}");
        }
        storage.delete(&key).await.unwrap();
        assert_eq!(storage.get(&key).await.unwrap(), None);
        storage.delete(&key).await.unwrap();
        std::fs::remove_dir_all(root).unwrap();
    }
}
