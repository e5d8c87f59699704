//! `rookery admin ...`: the operator's commands, through the same use cases as the API.

use app::App;
use app::accounts::{self, CreateLocalAccount};
use domain::Role;

use crate::ServerConfig;
use crate::cli::{AccountCommand, AdminCommand, MediaCommand};
use crate::serve::open_store;

pub async fn run(config: ServerConfig, command: AdminCommand) -> anyhow::Result<()> {
    let store = open_store(&config).await?;
    let app = App::new(config.app.clone(), store);
    let result = match command {
        AdminCommand::Account { command } => account(&app, command).await,
        AdminCommand::Media { command } => media(&app, command).await,
        AdminCommand::DomainBlock { command } => crate::admin_policy::domain_block(&app, command).await,
        AdminCommand::EmailDomainBlock { command } => crate::admin_policy::email_domain_block(&app, command).await,
        AdminCommand::Report { command } => crate::admin_policy::report(&app, command).await,
        AdminCommand::DomainAllow { command } => crate::admin_policy::domain_allow(&app, command).await,
        AdminCommand::Rule { command } => crate::admin_policy::rule(&app, command).await,
        AdminCommand::Log { limit } => crate::admin_policy::log(&app, limit).await,
        AdminCommand::Invite { command } => crate::admin_policy::invite(&app, command).await,
        AdminCommand::DeleteStatus { id } => crate::admin_policy::delete_status(&app, &id).await,
    };
    app.store().close().await;
    result
}

async fn account(app: &App, command: AccountCommand) -> anyhow::Result<()> {
    match command {
        AccountCommand::Create { username, email, password, password_stdin, role } => {
            let role = parse_role(&role)?;
            let (password, generated) = password_or_random(password, password_stdin)?;
            let input =
                CreateLocalAccount { username, email, password: password.clone(), role, approved: true, reason: None };
            let (account, user) = accounts::create_local_account(app, input).await.map_err(explain)?;
            println!("created {} ({}, {}) with id {}", account.username, user.email, user.role, account.id);
            if generated {
                println!("password: {password}");
            }
        }
        AccountCommand::List => {
            println!("{:<20} {:<30} {:<32} {:<10} {:<9} created", "id", "username", "email", "role", "approved");
            for (account, user) in accounts::list_local_users(app).await.map_err(explain)? {
                println!(
                    "{:<20} {:<30} {:<32} {:<10} {:<9} {}",
                    account.id.to_string(),
                    account.username,
                    user.email.as_str(),
                    user.role.as_str(),
                    if user.approved { "yes" } else { "no" },
                    api::format::datetime(account.created_at)
                );
            }
        }
        AccountCommand::SetPassword { username, password, password_stdin } => {
            let (password, generated) = password_or_random(password, password_stdin)?;
            accounts::set_password(app, &username, &password).await.map_err(explain)?;
            println!("password of {username} changed");
            if generated {
                println!("password: {password}");
            }
        }
        AccountCommand::Approve { username } => {
            app::registrations::approve(app, &username).await.map_err(explain)?;
            println!("{username} is approved and can sign in");
        }
        AccountCommand::Moderate { account, action } => {
            crate::admin_policy::moderate(app, &account, &action).await?;
            println!("{account}: {action} done");
        }
        AccountCommand::SetRole { username, role } => {
            let role = parse_role(&role)?;
            accounts::set_role(app, &username, role).await.map_err(explain)?;
            println!("{username} is now {role}");
        }
    }
    Ok(())
}

async fn media(app: &App, command: MediaCommand) -> anyhow::Result<()> {
    let budget = app.config().remote_media_cache_bytes;
    match command {
        MediaCommand::Usage => {
            let usage = app::media::cache::usage(app).await.map_err(explain)?;
            println!("local uploads:          {:>8} files {:>14} bytes", usage.local_files, usage.local_bytes);
            println!(
                "cached remote pictures: {:>8} files {:>14} bytes (budget {budget})",
                usage.cached_files, usage.cached_bytes
            );
            println!("remote pictures not cached: {}", usage.uncached_files);
        }
        MediaCommand::Prune { all } => {
            let (files, bytes) =
                app::media::cache::evict_to(app, if all { 0 } else { budget }).await.map_err(explain)?;
            println!("evicted {files} cached remote pictures ({bytes} bytes)");
            let (files, bytes) = app::media::purge_unattached(app).await.map_err(explain)?;
            println!("deleted {files} uploads no post took within a day ({bytes} bytes)");
        }
    }
    Ok(())
}

fn parse_role(input: &str) -> anyhow::Result<Role> {
    Ok(input.parse::<Role>()?)
}

/// The given password, one read from standard input, or a fresh random one (and
/// whether it was made here).
fn password_or_random(given: Option<String>, from_stdin: bool) -> anyhow::Result<(String, bool)> {
    if from_stdin {
        let mut line = String::new();
        std::io::stdin().read_line(&mut line)?;
        return Ok((line.trim_end_matches(['\r', '\n']).to_owned(), false));
    }
    match given {
        Some(p) => Ok((p, false)),
        None => Ok((app::random_password()?, true)),
    }
}

pub(crate) fn explain(e: app::AppError) -> anyhow::Error {
    match e {
        app::AppError::NotFound(what) => anyhow::anyhow!("no such {what}"),
        other => anyhow::anyhow!("{other}"),
    }
}
