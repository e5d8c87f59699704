//! RSS 2.0 feeds of an account's public posts (`/@name.rss`) and of a hashtag's
//! (`/tags/name.rss`), as Mastodon offers them to feed readers.

use std::fmt::Write as _;

use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use domain::text::escape_html as escape;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc2822;

use super::posts::PostView;

pub(crate) struct Channel<'a> {
    pub title: &'a str,
    pub description: &'a str,
    pub link: &'a str,
    pub image: Option<&'a str>,
}

pub(crate) fn feed(channel: &Channel<'_>, posts: &[PostView]) -> Response {
    let mut xml = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<rss version=\"2.0\" xmlns:media=\"http://search.yahoo.com/mrss/\"><channel>",
    );
    let _ = write!(
        xml,
        "<title>{}</title><description>{}</description><link>{}</link><generator>Rookery</generator>",
        escape(channel.title),
        escape(channel.description),
        escape(channel.link)
    );
    if let Some(image) = channel.image {
        let _ = write!(
            xml,
            "<image><url>{}</url><title>{}</title><link>{}</link></image>",
            escape(image),
            escape(channel.title),
            escape(channel.link)
        );
    }
    for entry in posts.iter().filter(|e| e.boosted_by.is_none()) {
        item(&mut xml, entry);
    }
    xml.push_str("</channel></rss>\n");
    let mut response = xml.into_response();
    let headers = response.headers_mut();
    headers.insert(header::CONTENT_TYPE, HeaderValue::from_static("application/rss+xml; charset=utf-8"));
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("public, max-age=60"));
    response
}

fn item(xml: &mut String, entry: &PostView) {
    let post = &entry.post;
    let link = post.url.as_deref().unwrap_or(&post.uri);
    let _ = write!(xml, "<item><guid isPermaLink=\"true\">{0}</guid><link>{0}</link>", escape(link));
    if let Some(date) = rfc2822(&post.created_at) {
        let _ = write!(xml, "<pubDate>{date}</pubDate>");
    }
    let body = if post.spoiler_text.is_empty() {
        post.content.clone()
    } else {
        format!("<p>{}</p>{}", escape(&post.spoiler_text), post.content)
    };
    let _ = write!(xml, "<description>{}</description>", escape(&body));
    for media in &entry.media {
        let _ = write!(
            xml,
            "<media:content url=\"{}\" medium=\"{}\"><media:rating scheme=\"urn:simple\">{}</media:rating>\
             <media:description type=\"plain\">{}</media:description></media:content>",
            escape(&media.url),
            if media.kind == "gifv" { "video" } else { media.kind },
            if post.sensitive { "adult" } else { "nonadult" },
            escape(&media.description)
        );
    }
    for tag in &post.tags {
        let _ = write!(xml, "<category>{}</category>", escape(&tag.name));
    }
    xml.push_str("</item>");
}

fn rfc2822(rfc3339: &str) -> Option<String> {
    let parsed = OffsetDateTime::parse(rfc3339, &time::format_description::well_known::Rfc3339).ok()?;
    parsed.format(&Rfc2822).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_as_rss_writes_them() {
        assert_eq!(rfc2822("2026-12-03T08:00:00.000Z").as_deref(), Some("Thu, 03 Dec 2026 08:00:00 +0000"));
    }
}
