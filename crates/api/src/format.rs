//! Date and time in Mastodon's formats.

use domain::UnixMillis;
use time::OffsetDateTime;
use time::macros::format_description;

/// `2026-11-26T11:48:44.123Z`: RFC 3339, UTC, milliseconds, as Mastodon renders times.
pub fn datetime(millis: UnixMillis) -> String {
    let format = format_description!("[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:3]Z");
    to_utc(millis).format(&format).unwrap_or_default()
}

/// `2026-11-26`, for fields Mastodon gives as a date only (`last_status_at`).
pub fn date(millis: UnixMillis) -> String {
    to_utc(millis).format(&format_description!("[year]-[month]-[day]")).unwrap_or_default()
}

/// Midnight UTC of that day, as Mastodon rounds an account's `created_at`.
pub fn midnight(millis: UnixMillis) -> String {
    const DAY: i64 = 86_400_000;
    datetime(millis.div_euclid(DAY) * DAY)
}

fn to_utc(millis: UnixMillis) -> OffsetDateTime {
    OffsetDateTime::from_unix_timestamp_nanos(i128::from(millis) * 1_000_000).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

/// Plain text as HTML paragraphs: blank lines part them, single line breaks stay.
pub fn paragraphs(text: &str) -> String {
    text.split("\n\n")
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| format!("<p>{}</p>", domain::text::escape_html(p).replace('\n', "<br>")))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_like_mastodon() {
        assert_eq!(datetime(1_764_157_724_123), "2025-11-26T11:48:44.123Z");
        assert_eq!(datetime(0), "1970-01-01T00:00:00.000Z");
        assert_eq!(date(1_764_157_724_123), "2025-11-26");
        assert_eq!(midnight(1_764_157_724_123), "2025-11-26T00:00:00.000Z");
    }
}
