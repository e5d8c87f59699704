//! Where media files are kept: under the data directory, by key. Keys are random, so a
//! file's address cannot be guessed from another's.

use std::path::{Path, PathBuf};

use crate::{AppError, Result};

/// The media files of this server.
#[derive(Debug, Clone)]
pub struct MediaStorage {
    root: PathBuf,
}

impl MediaStorage {
    pub fn local(root: &Path) -> Self {
        MediaStorage { root: root.to_path_buf() }
    }

    /// A fresh key for a file of kind `kind` (`attachments`), named `name` (`original.jpg`):
    /// a random folder of 128 bits, so each upload's files share one.
    pub fn new_folder(kind: &str) -> Result<String> {
        let random = domain::hex(&crate::random_bytes::<16>()?);
        Ok(format!("{kind}/{}/{}/{random}", &random[..2], &random[2..4]))
    }

    /// Writes a file whole: first to a temporary name, then renamed, so a crash never
    /// leaves half a file under the key.
    pub async fn put(&self, key: &str, bytes: &[u8]) -> Result<()> {
        let path = self.path(key)?;
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
        let path = self.path(key)?;
        match tokio::fs::read(&path).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(AppError::Internal(format!("reading {}: {e}", path.display()))),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<()> {
        let path = self.path(key)?;
        match tokio::fs::remove_file(&path).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                Err(AppError::Internal(format!("deleting {}: {e}", path.display())))
            }
            _ => Ok(()),
        }
    }

    /// The file of a key. Keys come from requests too, so only this server's own shape
    /// of key is accepted: lower-case names and digits, no `..`, no absolute paths.
    fn path(&self, key: &str) -> Result<PathBuf> {
        let valid_part = |part: &str| {
            !part.is_empty()
                && !part.starts_with('.')
                && part.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.' || b == b'_')
        };
        if key.len() > 200 || !key.split('/').all(valid_part) {
            return Err(AppError::NotFound("file"));
        }
        Ok(self.root.join(key))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn files_are_stored_under_their_key_and_nothing_else_is_reachable() {
        let root = std::env::temp_dir().join(format!("rookery-media-storage-{}", std::process::id()));
        let storage = MediaStorage::local(&root);
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
