//! Posts as a page shows them, made from the API's Status entities so that the website
//! and the apps show the same thing: the boost folded into its original, links to this
//! site's pages, and what the viewer may do with each.

use std::sync::Arc;

use app::App;
use domain::{Id, Status};

use super::WebError;
use crate::mastodon::entities::account::AccountEntity;
use crate::mastodon::entities::status::{self, StatusEntity};

pub(crate) struct PostView {
    /// The entry's own id: the boost's, for a boost.
    pub entry_id: String,
    pub post: StatusEntity,
    pub boosted_by: Option<AccountEntity>,
    /// This site's page of the post and of its author.
    pub permalink: String,
    pub author_path: String,
    pub visibility_label: &'static str,
    pub date_text: String,
    pub own: bool,
    pub can_boost: bool,
    /// Titles of the viewer's warning filters that match; the post is shown behind them.
    pub filter_titles: Vec<String>,
    pub media: Vec<MediaView>,
}

pub(crate) struct MediaView {
    pub kind: &'static str,
    pub url: String,
    pub preview_url: String,
    pub description: String,
}

/// The path of an account's page here: `/@name` for local accounts, `/@name@domain` for
/// remote ones.
pub(crate) fn account_path(account: &AccountEntity) -> String {
    format!("/@{}", account.acct)
}

impl PostView {
    pub(crate) fn new(entry: StatusEntity, viewer: Option<Id>) -> Self {
        let entry_id = entry.id.clone();
        let (post, boosted_by) = match entry.reblog {
            Some(original) => (*original, Some(entry.account)),
            None => (entry, None),
        };
        let author_path = account_path(&post.account);
        let own = viewer.is_some_and(|v| v.to_string() == post.account.id);
        let media = post
            .media_attachments
            .iter()
            .map(|m| MediaView {
                kind: m.kind,
                url: m.url.clone().or_else(|| m.remote_url.clone()).unwrap_or_default(),
                preview_url: m.preview_url.clone().or_else(|| m.url.clone()).unwrap_or_default(),
                description: m.description.clone().unwrap_or_default(),
            })
            .collect();
        PostView {
            permalink: format!("{author_path}/{}", post.id),
            author_path,
            visibility_label: visibility_label(post.visibility),
            date_text: post.created_at.get(..10).unwrap_or_default().to_owned(),
            can_boost: matches!(post.visibility, "public" | "unlisted"),
            filter_titles: post.filtered.iter().map(|f| f.filter.title.clone()).collect(),
            own,
            media,
            entry_id,
            post,
            boosted_by,
        }
    }

    /// The start of the post's text, on one line.
    pub(crate) fn excerpt(&self) -> String {
        excerpt(&self.post.content, 80)
    }

    /// Shown under a warning, folded until opened.
    pub(crate) fn folded(&self) -> bool {
        !self.post.spoiler_text.is_empty()
    }
}

fn visibility_label(visibility: &str) -> &'static str {
    match visibility {
        "public" => "Public",
        "unlisted" => "Quiet public",
        "private" => "Followers only",
        _ => "Private mention",
    }
}

/// Loads what the posts need and shows them as the viewer sees them (posts a hide
/// filter hides are already gone).
pub(crate) async fn views(app: &App, statuses: &[Arc<Status>], viewer: Option<Id>) -> Result<Vec<PostView>, WebError> {
    Ok(status::render(app, statuses, viewer).await?.into_iter().map(|e| PostView::new(e, viewer)).collect())
}

/// Links to the pages before and after this one, in Mastodon's paging terms.
pub(crate) struct Pager {
    pub newer: Option<String>,
    pub older: Option<String>,
}

impl Pager {
    /// For a page on `path` whose entries run from `newest` to `oldest` (the ids they are
    /// paged on); `paged` when it is not the newest page.
    pub(crate) fn new(path: &str, bounds: Option<(Id, Id)>, paged: bool) -> Self {
        let separator = if path.contains('?') { '&' } else { '?' };
        match bounds {
            Some((newest, oldest)) => Pager {
                newer: paged.then(|| format!("{path}{separator}min_id={newest}")),
                older: Some(format!("{path}{separator}max_id={oldest}")),
            },
            None => Pager { newer: paged.then(|| path.to_owned()), older: None },
        }
    }

    /// For a page of posts paged on their own ids.
    pub(crate) fn of_posts(path: &str, posts: &[PostView], paged: bool) -> Self {
        let id = |p: Option<&PostView>| p.and_then(|p| p.entry_id.parse::<Id>().ok());
        Pager::new(path, id(posts.first()).zip(id(posts.last())), paged)
    }
}

/// The first `max` characters of a post's text, on one line.
pub(crate) fn excerpt(html: &str, max: usize) -> String {
    let text = plain_text(html).split_whitespace().collect::<Vec<_>>().join(" ");
    match text.char_indices().nth(max) {
        Some((end, _)) => format!("{}…", &text[..end]),
        None => text,
    }
}

/// Plain text of a post's HTML, for descriptions and feeds: tags dropped, entities kept.
pub(crate) fn plain_text(html: &str) -> String {
    let mut text = String::with_capacity(html.len());
    let mut in_tag = false;
    for c in html.replace("</p><p>", "\n\n").replace("<br>", "\n").chars() {
        match c {
            '<' => in_tag = true,
            '>' => in_tag = false,
            c if !in_tag => text.push(c),
            _ => {}
        }
    }
    text.replace("&amp;", "&").replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_text_keeps_words_and_paragraphs() {
        assert_eq!(
            plain_text("<p>Hi <a href=\"x\">@a</a> &amp; you</p><p>next<br>line</p>"),
            "Hi @a & you\n\nnext\nline"
        );
    }
}
