//! The test harness: [`TestServer`] and what it needs.

pub mod browser;
mod database;
pub mod fedify;
pub mod ffmpeg;
pub mod mock_peer;
pub mod s3;
mod server;
mod snapshot;

pub use database::TestDatabase;
pub use server::TestServer;
pub use server::rookery_command;
pub use snapshot::assert_json_snapshot;
