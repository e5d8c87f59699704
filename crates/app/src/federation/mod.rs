//! ActivityPub: what Rookery says to other servers and how it trusts what they say.

pub mod actors;
pub mod signature;
