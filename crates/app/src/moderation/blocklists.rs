//! Blocklists in Mastodon's CSV format, so admins can share them between servers:
//! `#domain,#severity,#reject_media,#reject_reports,#public_comment,#obfuscate`.

use domain::{DomainBlock, Role, ValidationError, normalize_domain};

use super::Moderator;
use super::domain_blocks::{DomainBlockInput, block_domain, list_domain_blocks};
use super::policy;
use crate::{App, Result};

const HEADER: [&str; 6] = ["#domain", "#severity", "#reject_media", "#reject_reports", "#public_comment", "#obfuscate"];

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Imported {
    pub added: Vec<String>,
    /// Domains already covered by a block at least as strict.
    pub skipped: Vec<String>,
}

/// Every block as Mastodon exports them (private comments stay private).
pub async fn export_csv(app: &App, by: Moderator<'_>) -> Result<String> {
    let mut out = HEADER.join(",");
    out.push('\n');
    for block in list_domain_blocks(app, by).await? {
        let DomainBlock { domain, severity, reject_media, reject_reports, public_comment, obfuscate, .. } = block;
        let fields = [
            domain,
            severity.as_str().to_owned(),
            flag(reject_media),
            flag(reject_reports),
            public_comment,
            flag(obfuscate),
        ];
        out.push_str(&fields.iter().map(|f| quote(f)).collect::<Vec<_>>().join(","));
        out.push('\n');
    }
    Ok(out)
}

/// Imports a blocklist: the whole file is read and checked first, so a bad line changes
/// nothing; then each domain not yet blocked as strictly is blocked. A file of bare
/// domains, one per line, blocks each with Mastodon's default severity (limit).
pub async fn import_csv(app: &App, by: Moderator<'_>, text: &str) -> Result<Imported> {
    by.require(Role::Admin)?;
    let rows = parse(text.trim_start_matches('\u{feff}'))?;
    let (columns, rows) = match rows.first() {
        Some(first) if first.first().is_some_and(|c| c.trim_start_matches('#') == "domain") => {
            (first.iter().map(|c| c.trim_start_matches('#').to_owned()).collect::<Vec<_>>(), &rows[1..])
        }
        _ => (vec!["domain".to_owned()], &rows[..]),
    };
    let mut wanted = Vec::new();
    for (line, row) in rows.iter().enumerate() {
        let get = |name: &str| columns.iter().position(|c| c == name).and_then(|i| row.get(i)).map(|v| v.trim());
        let bad = |what: &str| {
            let entry = line + 1;
            ValidationError::field("file", "ERR_INVALID", format!("has an invalid {what} in entry {entry}"))
        };
        let domain = normalize_domain(get("domain").unwrap_or_default()).map_err(|_| bad("domain"))?;
        let boolean = |name: &str| match get(name) {
            None | Some("") => Ok(None),
            Some(v) if v.eq_ignore_ascii_case("true") => Ok(Some(true)),
            Some(v) if v.eq_ignore_ascii_case("false") => Ok(Some(false)),
            Some(_) => Err(bad(name)),
        };
        let severity = get("severity").filter(|s| !s.is_empty()).map(str::to_owned);
        if let Some(s) = &severity {
            domain::Severity::parse(s).map_err(|_| bad("severity"))?;
        }
        let input = DomainBlockInput {
            severity,
            reject_media: boolean("reject_media")?,
            reject_reports: boolean("reject_reports")?,
            private_comment: None,
            public_comment: get("public_comment").map(str::to_owned),
            obfuscate: boolean("obfuscate")?,
        };
        wanted.push((domain, input));
    }
    let mut imported = Imported::default();
    for (domain, input) in wanted {
        let severity = input.severity.as_deref().map_or(Ok(domain::Severity::Silence), domain::Severity::parse)?;
        let covered = policy::current(app)
            .await?
            .block_for(&domain)
            .is_some_and(|b| b.domain == domain || b.severity >= severity);
        if covered || domain == app.config().domain.to_ascii_lowercase() {
            imported.skipped.push(domain);
            continue;
        }
        block_domain(app, by, &domain, input).await?;
        imported.added.push(domain);
    }
    Ok(imported)
}

fn flag(value: bool) -> String {
    value.to_string()
}

fn quote(field: &str) -> String {
    if field.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", field.replace('"', "\"\""))
    } else {
        field.to_owned()
    }
}

/// RFC 4180 records: fields split on commas, quoted fields may hold commas, quotes
/// (doubled) and line breaks. Blank lines are skipped.
fn parse(text: &str) -> Result<Vec<Vec<String>>> {
    let mut rows = Vec::new();
    let (mut row, mut field) = (Vec::new(), String::new());
    let (mut quoted, mut chars) = (false, text.chars().peekable());
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\r') => {}
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                if row.iter().any(|f| !f.trim().is_empty()) {
                    rows.push(std::mem::take(&mut row));
                }
                row.clear();
            }
            (false, c) => field.push(c),
        }
    }
    if quoted {
        return Err(ValidationError::field("file", "ERR_INVALID", "has a quote that is never closed").into());
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push(row);
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_fields_keep_commas_quotes_and_line_breaks() {
        let rows =
            parse("#domain,#public_comment\na.example,\"spam, \"\"lots\"\"\nand more\"\n\nb.example,\n").unwrap();
        assert_eq!(
            rows,
            vec![
                vec!["#domain".to_owned(), "#public_comment".to_owned()],
                vec!["a.example".to_owned(), "spam, \"lots\"\nand more".to_owned()],
                vec!["b.example".to_owned(), String::new()],
            ]
        );
        assert!(parse("a,\"b").is_err());
        assert_eq!(quote("x, \"y\""), "\"x, \"\"y\"\"\"");
    }
}
