//! The `rookery` binary as a library: configuration, wiring, the admin CLI and the
//! HTTP listener. Tests start servers through [`start`] exactly as `rookery serve` does.

pub mod admin;
mod admin_policy;
pub mod cli;
mod cli_policy;
pub mod config;
pub mod logging;
mod serve;

pub use config::ServerConfig;
pub use serve::{RunningServer, serve, start};
