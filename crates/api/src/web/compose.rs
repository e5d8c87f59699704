//! Writing posts from the website: the compose form and what it posts to, which goes
//! through the same use cases as `POST /api/v2/media` and `POST /api/v1/statuses`.

use app::App;
use axum::Router;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use domain::LocalUser;
use serde::Deserialize;

use super::{Visitor, WebError, actions};
use crate::mastodon::entities::status::StatusEntity;
use crate::params::{Params, lenient};

const VISIBILITIES: [(&str, &str); 4] = [
    ("public", "Public"),
    ("unlisted", "Quiet public: not on public timelines"),
    ("private", "Followers only"),
    ("direct", "Only the people mentioned"),
];

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/web/statuses", post(create))
        .layer(axum::extract::DefaultBodyLimit::max(domain::limits::VIDEO_SIZE_LIMIT as usize + 1024 * 1024))
}

/// The compose form's settings.
pub(crate) struct Compose {
    pub idempotency_key: String,
    pub in_reply_to_id: Option<String>,
    pub prefill: String,
    pub visibility: &'static str,
    pub visibilities: [(&'static str, &'static str); 4],
    pub max_characters: u32,
}

impl Compose {
    /// A new post, or a reply to `reply_to` that mentions its author and the people it
    /// mentions, as visible as the post answered at most.
    pub(crate) fn new(user: &LocalUser, me: &str, reply_to: Option<&StatusEntity>) -> Result<Self, WebError> {
        let mut visibility = user.default_visibility.as_str();
        let mut prefill = String::new();
        if let Some(post) = reply_to {
            let rank = |v: &str| VISIBILITIES.iter().position(|(value, _)| *value == v).unwrap_or(0);
            if rank(post.visibility) > rank(visibility) {
                visibility = post.visibility;
            }
            let mut accts = vec![post.account.acct.as_str()];
            accts.extend(post.mentions.iter().map(|m| m.acct.as_str()));
            accts.dedup();
            for acct in accts.into_iter().filter(|a| *a != me) {
                prefill.push_str(&format!("@{acct} "));
            }
        }
        Ok(Compose {
            idempotency_key: app::oauth::new_form_token()?,
            in_reply_to_id: reply_to.map(|p| p.id.clone()),
            prefill,
            visibility,
            visibilities: VISIBILITIES,
            max_characters: domain::limits::MAX_STATUS_CHARACTERS,
        })
    }
}

#[derive(Debug, Deserialize)]
struct ComposeForm {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    authenticity_token: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    return_to: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    spoiler_text: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    visibility: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    sensitive: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    in_reply_to_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    description: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    idempotency_key: Option<String>,
}

async fn create(
    State(app): State<App>,
    visitor: Visitor,
    headers: axum::http::HeaderMap,
    Params { value: form, files }: Params<ComposeForm>,
) -> Result<Response, WebError> {
    let (account, _) = visitor.signed_in()?;
    actions::check_form(&headers, form.authenticity_token.as_deref())?;
    let mut media_ids = Vec::new();
    // A file input left empty still sends an empty part.
    if let Some(file) = files.into_iter().find(|f| f.field == "file" && !f.bytes.is_empty()) {
        let upload = app::media::NewUpload { bytes: file.bytes.to_vec(), description: form.description, focus: None };
        media_ids.push(app::media::upload(&app, account.id, upload, true).await?.id.to_string());
    }
    let input = app::statuses::PostStatus {
        text: form.status.unwrap_or_default(),
        spoiler_text: form.spoiler_text.unwrap_or_default(),
        sensitive: form.sensitive,
        visibility: form.visibility,
        in_reply_to_id: form.in_reply_to_id,
        language: None,
        media_ids,
        idempotency_key: form.idempotency_key,
    };
    app::statuses::post_status(&app, account, None, input).await?;
    Ok(Redirect::to(actions::back(form.return_to.as_deref(), None)).into_response())
}
