//! ActivityPub plumbing that knows no database and no use case: HTTP signatures
//! (`signature` for draft-cavage, `rfc9421`), signing keys (`keys`), which addresses a request may reach
//! (`addresses`) and the HTTP client every outgoing request goes through (`client`).
//!
//! Invariant: every request to another server goes through [`client::Client`], which
//! refuses non-global addresses (unless allowed), caps bodies and follows redirects
//! itself, re-checking and re-signing each hop.

pub mod addresses;
pub mod client;
pub mod keys;
pub mod rfc9421;
pub mod signature;
mod structured;

pub use client::{Client, ClientConfig, FetchError, Signer};
