//! Rookery's core vocabulary: identifiers, validated values and entities.
//!
//! Invariant: no I/O and no knowledge of HTTP, JSON or SQL. A value of a type
//! from this crate is valid by construction; parsing is the only way in.

mod account;
mod domain_block;
mod email;
mod hex;
mod id;
mod id_map;
pub mod limits;
mod media;
pub mod oauth;
mod password;
mod role;
mod scopes;
mod status;
pub mod text;
mod username;
mod validation;

pub use account::{Account, AccountModeration, LocalUser, NewLocalAccount, ProfileField};
pub use domain_block::{DomainBlock, Severity, domain_covers, normalize_domain};
pub use email::Email;
pub use hex::hex;
pub use id::Id;
pub use id_map::{IdHasher, IdHashing, IdMap, IdSet};
pub use media::{Focus, MediaAttachment, MediaKind, PixelSize, Processing};
pub use oauth::{AccessToken, Application, NewApplication};
pub use password::Password;
pub use role::Role;
pub use scopes::{KNOWN_SCOPES, Scopes};
pub use status::{Page, Status, Visibility};
pub use username::{MAX_USERNAME_LENGTH, Username};
pub use validation::{FieldError, ValidationError};

/// Milliseconds since the Unix epoch, the one time unit stored and passed around.
pub type UnixMillis = i64;
