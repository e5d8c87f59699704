//! Finding accounts and hashtags by name.

use domain::{Account, Role};

use crate::{App, Result};

/// Accounts whose username or display name starts with `query` (an `@` and a local
/// domain are ignored).
pub async fn accounts(app: &App, query: &str, limit: u32, offset: u32) -> Result<Vec<(Account, Option<Role>)>> {
    let query = query.trim().trim_start_matches('@');
    let query = match query.split_once('@') {
        Some((user, domain)) if domain.eq_ignore_ascii_case(&app.config().domain) => user,
        _ => query,
    };
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app.store().search_accounts(query, limit, offset).await?)
}

/// Hashtags in use that start with `query` (a leading `#` is ignored).
pub async fn hashtags(app: &App, query: &str, limit: u32) -> Result<Vec<String>> {
    let query = query.trim().trim_start_matches('#');
    if query.is_empty() {
        return Ok(Vec::new());
    }
    Ok(app.store().search_tags(query, limit).await?)
}
