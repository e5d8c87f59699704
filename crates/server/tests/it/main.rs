//! The one integration-test binary: every test starts a real server on a random port
//! with a fresh database and talks to it over HTTP, as apps and operators do.
//!
//! SQLite by default; set `ROOKERY_TEST_DATABASE_URL=postgres://...` to run the same
//! tests on PostgreSQL, each in a database of its own that is dropped afterwards.

mod account_moderation;
mod actors;
mod admin_cli;
mod blocks;
mod config_docs;
mod conversations;
mod delivery;
mod discovery;
mod domain_blocks;
mod editing;
mod entities;
mod errors;
mod federation;
mod fedify;
mod filters;
mod fixtures;
mod inbox;
mod instance;
mod interactions;
mod invites;
mod lifecycle;
mod media;
mod mutes;
mod oauth;
mod object_storage;
mod profiles;
mod registrations;
mod remote_media;
mod reports;
mod server_policy;
mod statuses;
mod storage;
mod streaming;
mod support;
mod tidy;
mod video;
mod visibility;
mod web_browser;
mod web_client;
mod web_federation;
mod web_moderation;
mod web_pages;
mod web_settings;
