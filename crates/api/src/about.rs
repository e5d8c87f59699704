//! The about page (`/about`, and `/about/more` where the instance actor points): what
//! the server is, who to contact, its rules, and the domains it blocks if it says so;
//! and its terms of service (`/terms`).

use std::fmt::Write;

use app::App;
use axum::Router;
use axum::extract::State;
use axum::response::Html;
use axum::routing::get;

use crate::ApiError;
use crate::oauth::pages::{escape, layout};

pub(crate) fn routes() -> Router<App> {
    Router::new().route("/about", get(about)).route("/about/more", get(about)).route("/terms", get(terms))
}

/// The terms of service, when the server publishes them.
async fn terms(State(app): State<App>) -> Result<Html<String>, ApiError> {
    let instance = &app.config().instance;
    if instance.terms_of_service.trim().is_empty() {
        return Err(ApiError::not_found());
    }
    Ok(layout(&instance.title, "Terms of service", &crate::format::paragraphs(&instance.terms_of_service)))
}

async fn about(State(app): State<App>) -> Result<Html<String>, ApiError> {
    let (info, blocks) = app::instance::about(&app).await?;
    let instance = &app.config().instance;
    let mut body = String::new();
    if !instance.description.is_empty() {
        let _ = write!(body, "<p>{}</p>", escape(&instance.description));
    }
    let _ = write!(
        body,
        "<p>{} people, {} posts, {} other servers known.</p>",
        info.counts.local_users, info.counts.local_statuses, info.counts.known_domains
    );
    body.push_str("<h2>Contact</h2><ul>");
    if let Some((account, _)) = &info.contact_account {
        let _ = write!(body, "<li><a href=\"/@{0}\">@{0}</a></li>", escape(&account.username));
    }
    if !instance.contact_email.is_empty() {
        let _ = write!(body, "<li><a href=\"mailto:{0}\">{0}</a></li>", escape(&instance.contact_email));
    }
    body.push_str("</ul><h2>Rules</h2>");
    if info.rules.is_empty() {
        body.push_str("<p>This server has set no rules.</p>");
    } else {
        body.push_str("<ol>");
        for rule in &info.rules {
            let _ = write!(body, "<li>{}", escape(&rule.text));
            if !rule.hint.is_empty() {
                let _ = write!(body, "<br><small>{}</small>", escape(&rule.hint));
            }
            body.push_str("</li>");
        }
        body.push_str("</ol>");
    }
    if !blocks.is_empty() {
        body.push_str("<h2>Moderated servers</h2><ul>");
        for block in &blocks {
            let what = match block.severity {
                domain::Severity::Suspend => "suspended",
                domain::Severity::Silence => "limited",
                domain::Severity::Noop => "media or reports rejected",
            };
            let _ = write!(body, "<li>{} ({what})", escape(&block.public_domain()));
            if !block.public_comment.is_empty() {
                let _ = write!(body, ": {}", escape(&block.public_comment));
            }
            body.push_str("</li>");
        }
        body.push_str("</ul>");
    }
    if !instance.terms_of_service.trim().is_empty() {
        body.push_str("<p><a href=\"/terms\">Terms of service</a></p>");
    }
    if instance.registrations.open_to_anyone() {
        body.push_str("<p><a href=\"/auth/sign_up\">Sign up</a></p>");
    }
    Ok(layout(&instance.title, &format!("About {}", instance.title), &body))
}
