//! A post's plain text as Mastodon reads it: links, @mentions and #hashtags among the
//! words, and its length as Mastodon counts it (every link is 23 characters, a remote
//! mention counts only `@user`).

use crate::limits::CHARACTERS_RESERVED_PER_URL;

/// One piece of a post's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Segment<'a> {
    Text(&'a str),
    Link(&'a str),
    /// `@user` (domain `None`) or `@user@domain`.
    Mention {
        text: &'a str,
        username: &'a str,
        domain: Option<&'a str>,
    },
    /// The tag without `#`.
    Hashtag {
        text: &'a str,
        name: &'a str,
    },
}

/// Splits text into segments, in order; joining their texts gives the input back.
pub fn segments(input: &str) -> Vec<Segment<'_>> {
    let mut out = Vec::new();
    let mut plain_start = 0;
    let mut i = 0;
    let bytes = input.as_bytes();
    while i < input.len() {
        let boundary = i == 0 || !is_word_char(input[..i].chars().next_back().unwrap_or(' '));
        let found = if !boundary {
            None
        } else if let Some(len) = link_at(&input[i..]) {
            Some((len, Segment::Link(&input[i..i + len])))
        } else if bytes[i] == b'@' {
            mention_at(&input[i..])
                .map(|(len, username, domain)| (len, Segment::Mention { text: &input[i..i + len], username, domain }))
        } else if bytes[i] == b'#' && !input[..i].ends_with('&') {
            hashtag_at(&input[i..])
                .map(|len| (len, Segment::Hashtag { text: &input[i..i + len], name: &input[i + 1..i + len] }))
        } else {
            None
        };
        match found {
            Some((len, segment)) => {
                if plain_start < i {
                    out.push(Segment::Text(&input[plain_start..i]));
                }
                out.push(segment);
                i += len;
                plain_start = i;
            }
            None => i += input[i..].chars().next().map_or(1, char::len_utf8),
        }
    }
    if plain_start < input.len() {
        out.push(Segment::Text(&input[plain_start..]));
    }
    out
}

/// The length Mastodon checks against its 500-character limit.
pub fn counted_length(input: &str) -> usize {
    segments(input)
        .iter()
        .map(|s| match s {
            Segment::Text(t) | Segment::Hashtag { text: t, .. } => t.chars().count(),
            Segment::Link(_) => CHARACTERS_RESERVED_PER_URL as usize,
            Segment::Mention { username, .. } => 1 + username.chars().count(),
        })
        .sum()
}

/// Text made safe to put in HTML, in an element or an attribute value.
pub fn escape_html(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

/// An http(s) URL starting here, without trailing punctuation (unless a bracket closes
/// one opened inside the URL, as in Wikipedia links).
fn link_at(s: &str) -> Option<usize> {
    let rest = s.strip_prefix("https://").or_else(|| s.strip_prefix("http://"))?;
    let scheme_len = s.len() - rest.len();
    let mut end = rest.find(|c: char| c.is_whitespace() || matches!(c, '<' | '>' | '"')).unwrap_or(rest.len());
    while let Some(last) = rest[..end].chars().next_back() {
        let trim = match last {
            '.' | ',' | ';' | ':' | '!' | '?' | '\'' | '*' => true,
            ')' => rest[..end].matches('(').count() < rest[..end].matches(')').count(),
            ']' => rest[..end].matches('[').count() < rest[..end].matches(']').count(),
            _ => false,
        };
        if !trim {
            break;
        }
        end -= last.len_utf8();
    }
    let host_len = rest[..end].find(['/', '?', '#']).unwrap_or(end);
    let host = &rest[..host_len];
    let host_ok =
        !host.is_empty() && host.chars().all(|c| c.is_alphanumeric() || matches!(c, '.' | '-' | ':' | '[' | ']'));
    host_ok.then_some(scheme_len + end)
}

/// `@user` or `@user@domain`: (length, username, domain).
fn mention_at(s: &str) -> Option<(usize, &str, Option<&str>)> {
    let rest = &s[1..];
    let user_len = username_len(rest)?;
    let username = &rest[..user_len];
    let after = &rest[user_len..];
    if let Some(domain_part) = after.strip_prefix('@') {
        let domain_len = domain_part
            .find(|c: char| !(c.is_alphanumeric() || matches!(c, '.' | '-' | ':')))
            .unwrap_or(domain_part.len());
        let domain = domain_part[..domain_len].trim_end_matches(['.', ':', '-']);
        if domain.contains('.') || domain.contains(':') || domain == "localhost" {
            return Some((1 + user_len + 1 + domain.len(), username, Some(domain)));
        }
    }
    Some((1 + user_len, username, None))
}

/// Mastodon's `[a-z0-9_]+([.-]+[a-z0-9_]+)*`, case-insensitive.
fn username_len(s: &str) -> Option<usize> {
    let word = |s: &str| s.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_')).unwrap_or(s.len());
    let mut len = word(s);
    if len == 0 {
        return None;
    }
    loop {
        let seps = s[len..].find(|c: char| c != '.' && c != '-').unwrap_or(s.len() - len);
        if seps == 0 {
            break;
        }
        let next = word(&s[len + seps..]);
        if next == 0 {
            break;
        }
        len += seps + next;
    }
    Some(len)
}

/// `#tag`: letters, digits and `_`, not only digits.
fn hashtag_at(s: &str) -> Option<usize> {
    let rest = &s[1..];
    let len = rest.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(rest.len());
    let name = &rest[..len];
    (len > 0 && !name.chars().all(|c| c.is_ascii_digit()) && name.chars().count() <= 100).then_some(1 + len)
}

#[cfg(test)]
mod tests {
    use super::Segment::*;
    use super::*;

    #[test]
    fn finds_links_mentions_and_hashtags() {
        let s = segments("Hi @alice and @bob@remote.example, see https://example.org/a_(b). #Rust2026 #123");
        assert_eq!(
            s,
            vec![
                Text("Hi "),
                Mention { text: "@alice", username: "alice", domain: None },
                Text(" and "),
                Mention { text: "@bob@remote.example", username: "bob", domain: Some("remote.example") },
                Text(", see "),
                Link("https://example.org/a_(b)"),
                Text(". "),
                Hashtag { text: "#Rust2026", name: "Rust2026" },
                Text(" #123"),
            ]
        );
    }

    #[test]
    fn ignores_lookalikes() {
        assert_eq!(segments("mail me@example.org"), vec![Text("mail me@example.org")]);
        assert_eq!(segments("a&#35;b c#d"), vec![Text("a&#35;b c#d")]);
        assert_eq!(segments("ftp://x.example"), vec![Text("ftp://x.example")]);
        assert_eq!(segments("https://"), vec![Text("https://")]);
    }

    #[test]
    fn joining_segments_gives_the_input_back() {
        let input = "a @b.c-d@e.f: (https://x.example/?q=1), #é_1!";
        let joined: String = segments(input)
            .iter()
            .map(|s| match s {
                Text(t) | Link(t) | Mention { text: t, .. } | Hashtag { text: t, .. } => *t,
            })
            .collect();
        assert_eq!(joined, input);
    }

    #[test]
    fn counts_like_mastodon() {
        assert_eq!(counted_length("hello"), 5);
        assert_eq!(counted_length(&format!("see https://example.org/{}", "x".repeat(200))), 4 + 23);
        assert_eq!(counted_length("@bob@a-very-long-remote-domain.example hi"), 4 + 3);
        assert_eq!(counted_length("ééé"), 3);
    }
}
