//! A post's plain text as Mastodon's HTML: paragraphs, line breaks, and links, mentions
//! and hashtags as Mastodon marks them up. Everything else is escaped, so the result is
//! safe by construction.

use domain::text::{Segment, segments};

/// A mention that resolved to an account: what to link to.
pub struct ResolvedMention {
    pub username: String,
    pub url: String,
}

/// Renders `text`; `resolve(username, domain)` finds mentioned accounts.
pub fn render(text: &str, base_url: &str, resolve: impl Fn(&str, Option<&str>) -> Option<ResolvedMention>) -> String {
    let normalized = text.replace("\r\n", "\n");
    let mut html = String::new();
    for paragraph in normalized.split("\n\n").map(|p| p.trim_matches('\n')).filter(|p| !p.is_empty()) {
        html.push_str("<p>");
        for (i, line) in paragraph.split('\n').enumerate() {
            if i > 0 {
                html.push_str("<br />");
            }
            render_line(&mut html, line, base_url, &resolve);
        }
        html.push_str("</p>");
    }
    html
}

/// One line of text with links made clickable (profile field values).
pub fn render_inline(text: &str, base_url: &str) -> String {
    let mut html = String::new();
    render_line(&mut html, text.lines().next().unwrap_or(""), base_url, &|_, _| None);
    html
}

fn render_line(
    html: &mut String,
    line: &str,
    base_url: &str,
    resolve: &impl Fn(&str, Option<&str>) -> Option<ResolvedMention>,
) {
    for segment in segments(line) {
        match segment {
            Segment::Text(t) => html.push_str(&escape(t)),
            Segment::Link(url) => link(html, url),
            Segment::Mention { text, username, domain } => match resolve(username, domain) {
                Some(m) => html.push_str(&format!(
                    "<span class=\"h-card\" translate=\"no\"><a href=\"{}\" class=\"u-url mention\">@<span>{}</span></a></span>",
                    escape(&m.url),
                    escape(&m.username)
                )),
                None => html.push_str(&escape(text)),
            },
            Segment::Hashtag { name, .. } => html.push_str(&format!(
                "<a href=\"{base_url}/tags/{}\" class=\"mention hashtag\" rel=\"tag\">#<span>{}</span></a>",
                escape(&name.to_lowercase()),
                escape(name)
            )),
        }
    }
}

/// Mastodon hides the scheme and shortens long links to 30 characters with an ellipsis.
fn link(html: &mut String, url: &str) {
    let (scheme, rest) = url.split_once("://").map_or(("", url), |(s, r)| (s, r));
    let prefix = if scheme.is_empty() { String::new() } else { format!("{scheme}://") };
    let (www, rest) = match rest.strip_prefix("www.") {
        Some(r) => ("www.", r),
        None => ("", rest),
    };
    let visible: String = rest.chars().take(30).collect();
    let hidden: String = rest.chars().skip(30).collect();
    let class = if hidden.is_empty() { "" } else { "ellipsis" };
    html.push_str(&format!(
        "<a href=\"{}\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">{}{}</span><span class=\"{class}\">{}</span><span class=\"invisible\">{}</span></a>",
        escape(url),
        escape(&prefix),
        www,
        escape(&visible),
        escape(&hidden)
    ));
}

pub fn escape(text: &str) -> String {
    domain::text::escape_html(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn render_simple(text: &str) -> String {
        render(text, "https://r.example", |u, d| {
            (u == "alice" && d.is_none())
                .then(|| ResolvedMention { username: "alice".into(), url: "https://r.example/@alice".into() })
        })
    }

    #[test]
    fn paragraphs_breaks_and_escaping() {
        assert_eq!(render_simple("a <b>\nc\n\nd & e"), "<p>a &lt;b&gt;<br />c</p><p>d &amp; e</p>");
    }

    #[test]
    fn mentions_hashtags_and_links_as_mastodon_marks_them() {
        let html = render_simple("@alice @nobody #Rust https://example.org/x");
        assert_eq!(
            html,
            "<p><span class=\"h-card\" translate=\"no\"><a href=\"https://r.example/@alice\" class=\"u-url mention\">@<span>alice</span></a></span> \
             @nobody <a href=\"https://r.example/tags/rust\" class=\"mention hashtag\" rel=\"tag\">#<span>Rust</span></a> \
             <a href=\"https://example.org/x\" target=\"_blank\" rel=\"nofollow noopener\" translate=\"no\"><span class=\"invisible\">https://</span><span class=\"\">example.org/x</span><span class=\"invisible\"></span></a></p>"
        );
        let long = render_simple("https://www.example.org/a/very/long/path/that/goes/on");
        assert!(long.contains("<span class=\"invisible\">https://www.</span><span class=\"ellipsis\">example.org/a/very/long/path/t</span><span class=\"invisible\">hat/goes/on</span>"), "{long}");
    }
}
