//! WebFinger, host-meta and NodeInfo (2.0 and 2.1), as Mastodon serves them.

use app::App;
use app::discovery::WebfingerSubject;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::ApiError;

pub(crate) fn routes() -> Router<App> {
    Router::new()
        .route("/.well-known/webfinger", get(webfinger))
        .route("/.well-known/host-meta", get(host_meta))
        .route("/.well-known/nodeinfo", get(nodeinfo_links))
        .route("/nodeinfo/2.0", get(nodeinfo_20))
        .route("/nodeinfo/2.1", get(nodeinfo_21))
}

#[derive(Deserialize)]
struct WebfingerParams {
    resource: Option<String>,
}

async fn webfinger(State(app): State<App>, Query(params): Query<WebfingerParams>) -> Result<Response, ApiError> {
    // A missing resource is refused by the same rule as a malformed one.
    let subject = app::discovery::webfinger(&app, &params.resource.unwrap_or_default()).await?;
    let config = app.config();
    let base = config.base_url();
    let (username, profile, actor) = match subject {
        WebfingerSubject::Account(account) => (
            account.username.clone(),
            format!("{base}/@{}", account.username),
            format!("{base}/users/{}", account.username),
        ),
        WebfingerSubject::InstanceActor => {
            (config.domain.clone(), format!("{base}/about/more?instance_actor=true"), format!("{base}/actor"))
        }
    };
    let document = json!({
        "subject": format!("acct:{username}@{}", config.domain),
        "aliases": [profile, actor],
        "links": [
            { "rel": "http://webfinger.net/rel/profile-page", "type": "text/html", "href": profile },
            { "rel": "self", "type": "application/activity+json", "href": actor },
            { "rel": "http://ostatus.org/schema/1.0/subscribe", "template": format!("{base}/authorize_interaction?uri={{uri}}") },
        ],
    });
    Ok(typed_json("application/jrd+json; charset=utf-8", &document))
}

/// The XRD that points older software to WebFinger.
async fn host_meta(State(app): State<App>) -> Response {
    let base = app.config().base_url();
    let body = format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <XRD xmlns=\"http://docs.oasis-open.org/ns/xri/xrd-1.0\">\n  \
         <Link rel=\"lrdd\" template=\"{}/.well-known/webfinger?resource={{uri}}\"/>\n</XRD>\n",
        escape_xml(&base)
    );
    ([(CONTENT_TYPE, "application/xrd+xml; charset=utf-8")], body).into_response()
}

async fn nodeinfo_links(State(app): State<App>) -> Response {
    let base = app.config().base_url();
    let document = json!({
        "links": [
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.0", "href": format!("{base}/nodeinfo/2.0") },
            { "rel": "http://nodeinfo.diaspora.software/ns/schema/2.1", "href": format!("{base}/nodeinfo/2.1") },
        ]
    });
    typed_json("application/json; charset=utf-8", &document)
}

async fn nodeinfo_20(State(app): State<App>) -> Result<Response, ApiError> {
    nodeinfo(&app, "2.0").await
}

async fn nodeinfo_21(State(app): State<App>) -> Result<Response, ApiError> {
    nodeinfo(&app, "2.1").await
}

async fn nodeinfo(app: &App, version: &str) -> Result<Response, ApiError> {
    let info = app::discovery::node_info(app).await?;
    let mut software = json!({ "name": "rookery", "version": env!("CARGO_PKG_VERSION") });
    let source_url = &app.config().instance.source_url;
    if version == "2.1" && !source_url.is_empty() {
        // 2.1 adds where the code lives (2.0 allows no other keys here).
        software["repository"] = Value::from(source_url.as_str());
        software["homepage"] = Value::from(source_url.as_str());
    }
    let document = json!({
        "version": version,
        "software": software,
        "protocols": ["activitypub"],
        "services": { "outbound": [], "inbound": [] },
        "usage": {
            "users": {
                "total": info.users_total,
                "activeMonth": info.active_month,
                "activeHalfyear": info.active_halfyear,
            },
            "localPosts": info.local_posts,
        },
        "openRegistrations": info.open_registrations,
        "metadata": { "nodeName": info.name, "nodeDescription": info.description },
    });
    let content_type =
        format!("application/json; profile=\"http://nodeinfo.diaspora.software/ns/schema/{version}#\"; charset=utf-8");
    Ok(typed_json(&content_type, &document))
}

fn typed_json(content_type: &str, document: &Value) -> Response {
    let content_type = axum::http::HeaderValue::from_str(content_type)
        .unwrap_or(axum::http::HeaderValue::from_static("application/json"));
    ([(CONTENT_TYPE, content_type)], document.to_string()).into_response()
}

fn escape_xml(text: &str) -> String {
    text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}
