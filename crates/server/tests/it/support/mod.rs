//! The test harness: [`TestServer`] and what it needs.

pub mod browser;
mod database;
mod server;

pub use database::TestDatabase;
pub use server::TestServer;
pub use server::rookery_command;
