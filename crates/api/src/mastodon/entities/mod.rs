//! Mastodon's JSON entities, built from domain values. Field order and presence follow
//! Mastodon's serializers; ids are strings; nothing that Mastodon always sends is left out.

pub(crate) mod account;
pub(crate) mod filter;
pub(crate) mod instance;
pub(crate) mod media;
pub(crate) mod moderation;
pub(crate) mod notification;
pub(crate) mod relationship;
pub(crate) mod rendered;
pub(crate) mod report;
pub(crate) mod status;
