//! Structured logs: key=value text for people, one JSON object a line for collectors.

use anyhow::Context;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::layer::SubscriberExt;
use tracing_subscriber::util::SubscriberInitExt;

use crate::config::LogConfig;

pub fn init(config: &LogConfig) -> anyhow::Result<()> {
    let filter: Targets = config
        .filter
        .parse()
        .with_context(|| format!("invalid log filter `{}` (--log, ROOKERY_LOG or `log`)", config.filter))?;
    let registry = tracing_subscriber::registry().with(filter);
    let result = if config.json {
        registry.with(tracing_subscriber::fmt::layer().json().with_current_span(true).with_span_list(false)).try_init()
    } else {
        registry.with(tracing_subscriber::fmt::layer().with_ansi(false)).try_init()
    };
    result.context("a logger is already installed")
}
