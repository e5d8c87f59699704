use std::process::ExitCode;

use clap::Parser;
use server::cli::{Cli, Command};
use server::{ServerConfig, admin, logging};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let config = match ServerConfig::load(&cli.settings) {
        Ok(config) => config,
        Err(e) => return fail(&e),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => return fail(&e.into()),
    };
    let result = runtime.block_on(async {
        match cli.command {
            Command::Serve => {
                logging::init(&config.log)?;
                server::serve(config).await
            }
            Command::Admin { command } => admin::run(config, command).await,
        }
    });
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => fail(&e),
    }
}

fn fail(e: &anyhow::Error) -> ExitCode {
    eprintln!("error: {e:#}");
    ExitCode::FAILURE
}
