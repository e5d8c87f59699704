//! ActivityPub plumbing that knows no database and no use case: HTTP signatures
//! (`signature`), signing keys (`keys`), which addresses a request may reach
//! (`addresses`) and the HTTP client every outgoing request goes through (`client`).
//!
//! Invariant: every request to another server goes through [`client::Client`], which
//! refuses non-global addresses (unless allowed), caps bodies and follows redirects
//! itself, re-checking and re-signing each hop.

pub mod addresses;
pub mod client;
pub mod keys;
pub mod signature;

pub use client::{Client, ClientConfig, FetchError, Signer};
