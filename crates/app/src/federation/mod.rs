//! ActivityPub: what Rookery says to other servers and how it trusts what they say.
//!
//! Outgoing: `outbox` reacts to events by queueing activities (`documents` shapes
//! them), `delivery` sends the queue. Incoming: `inbox` checks and stores activities,
//! `process` acts on them, `ingest` turns remote posts into posts, `remote` fetches
//! and stores remote actors, `sanitize` cleans their HTML.

pub mod actors;
mod attachments;
pub mod collections;
pub mod delivery;
pub mod documents;
pub mod inbox;
pub mod ingest;
pub(crate) mod outbox;
mod pictures;
mod process;
pub mod remote;
pub mod sanitize;
pub mod signatures;

pub use federation::signature;
