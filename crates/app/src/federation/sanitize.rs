//! Other servers' HTML, made safe to show: Mastodon's allow-list of tags and classes,
//! links only to http(s) and opened without a referrer.

use std::collections::HashSet;
use std::sync::OnceLock;

fn cleaner() -> &'static ammonia::Builder<'static> {
    static CLEANER: OnceLock<ammonia::Builder<'static>> = OnceLock::new();
    CLEANER.get_or_init(|| {
        let mut b = ammonia::Builder::empty();
        b.add_tags([
            "p",
            "br",
            "a",
            "span",
            "del",
            "s",
            "pre",
            "code",
            "em",
            "strong",
            "b",
            "i",
            "u",
            "ul",
            "ol",
            "li",
            "blockquote",
            "sub",
            "sup",
        ]);
        b.add_tag_attributes("a", ["href"]);
        b.add_tag_attributes("ol", ["start", "reversed"]);
        b.add_tag_attributes("li", ["value"]);
        b.add_allowed_classes("a", ["h-card", "mention", "hashtag", "u-url"]);
        b.add_allowed_classes("span", ["h-card", "invisible", "ellipsis"]);
        b.url_schemes(HashSet::from(["http", "https"]));
        b.link_rel(Some("nofollow noopener noreferrer"));
        b.clean_content_tags(HashSet::from(["script", "style"]));
        b.strip_comments(true);
        b
    })
}

/// HTML from another server, reduced to what Mastodon keeps.
pub fn html(input: &str) -> String {
    cleaner().clean(input).to_string()
}

/// Text that must carry no markup at all (display names, field names): tags are
/// dropped and what remains is plain text (escaped where it is shown).
pub fn plain(input: &str) -> String {
    let stripped = ammonia::Builder::empty().clean(input).to_string();
    stripped
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_mastodon_markup_and_drops_the_rest() {
        let dirty = r#"<p>Hi <a href="https://a.example/@bob" class="u-url mention evil" onclick="x()">@bob</a><script>alert(1)</script><img src=x onerror=alert(1)></p><iframe src="https://x"></iframe><a href="javascript:alert(1)">j</a>"#;
        let clean = html(dirty);
        assert!(!clean.contains("script") && !clean.contains("onclick") && !clean.contains("img"), "{clean}");
        assert!(!clean.contains("iframe") && !clean.contains("javascript"), "{clean}");
        assert!(clean.contains(r#"class="u-url mention""#), "{clean}");
        assert!(clean.contains(r#"rel="nofollow noopener noreferrer""#), "{clean}");
    }

    #[test]
    fn plain_text_has_no_tags() {
        assert_eq!(plain("<b>Bob</b> & <i>Co</i>"), "Bob & Co");
    }
}
