//! The HTML of the sign-in and authorization pages. Small and dependency-free; the web
//! interface will bring templates. Every interpolated value goes through `escape`.

use std::fmt::Write as _;

use app::oauth::AuthorizationRequest;
use axum::response::Html;

pub(crate) fn escape(text: &str) -> String {
    domain::text::escape_html(text)
}

pub(crate) fn layout(site: &str, title: &str, body: &str) -> Html<String> {
    Html(format!(
        "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <meta name=\"color-scheme\" content=\"light dark\"><meta name=\"referrer\" content=\"no-referrer\">\
         <title>{title} - {site}</title><link rel=\"stylesheet\" href=\"{stylesheet}\"></head>\
         <body><main id=\"main\" class=\"narrow auth\"><h1>{title}</h1>{body}</main>\
         <footer class=\"bottom\"><a href=\"/\">{site}</a></footer></body></html>",
        title = escape(title),
        site = escape(site),
        stylesheet = *crate::web::STYLESHEET_PATH,
    ))
}

fn hidden(out: &mut String, name: &str, value: &str) {
    let _ = write!(out, "<input type=\"hidden\" name=\"{}\" value=\"{}\">", escape(name), escape(value));
}

pub(super) fn sign_in(site: &str, return_to: &str, csrf: &str, email: &str, error: Option<&str>) -> Html<String> {
    let mut body = String::new();
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", escape(error));
    }
    body.push_str("<form method=\"post\" action=\"/auth/sign_in\">");
    hidden(&mut body, "authenticity_token", csrf);
    hidden(&mut body, "return_to", return_to);
    let _ = write!(
        body,
        "<label for=\"email\">E-mail address</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"username\" required value=\"{}\">\
         <label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"current-password\" required>\
         <button type=\"submit\">Sign in</button></form>",
        escape(email)
    );
    layout(site, "Sign in", &body)
}

pub(super) fn sign_up(
    site: &str,
    csrf: &str,
    (username, email): (&str, &str),
    ask_reason: bool,
    invite_code: Option<&str>,
    error: Option<&str>,
) -> Html<String> {
    let mut body = String::new();
    if let Some(error) = error {
        let _ = write!(body, "<p class=\"error\" role=\"alert\">{}</p>", escape(error));
    }
    body.push_str("<form method=\"post\" action=\"/auth/sign_up\">");
    hidden(&mut body, "authenticity_token", csrf);
    if let Some(code) = invite_code {
        hidden(&mut body, "invite_code", code);
    }
    let _ = write!(
        body,
        "<label for=\"username\">Username</label>\
         <input id=\"username\" name=\"username\" required maxlength=\"30\" pattern=\"[A-Za-z0-9_]+\" value=\"{}\">\
         <label for=\"email\">E-mail address</label>\
         <input id=\"email\" name=\"email\" type=\"email\" autocomplete=\"email\" required value=\"{}\">\
         <label for=\"password\">Password</label>\
         <input id=\"password\" name=\"password\" type=\"password\" autocomplete=\"new-password\" required minlength=\"8\">",
        escape(username),
        escape(email)
    );
    if ask_reason {
        body.push_str("<label for=\"reason\">Why do you want to join?</label><textarea id=\"reason\" name=\"reason\" rows=\"3\"></textarea>");
    }
    body.push_str(
        "<label><input type=\"checkbox\" name=\"agreement\" value=\"1\" required> I agree to the server rules and terms</label>\
         <button type=\"submit\">Sign up</button></form>",
    );
    layout(site, "Sign up", &body)
}

pub(super) fn authorize(site: &str, request: &AuthorizationRequest, acct: &str, csrf: &str) -> Html<String> {
    let app = &request.application;
    let mut body = format!(
        "<p><strong>{}</strong> would like to use your account <strong>@{}</strong>.</p>\
         <p>It asks for these permissions:</p><ul>",
        escape(&app.name),
        escape(acct)
    );
    for scope in request.scopes.iter() {
        let _ = write!(body, "<li><code class=\"scope\">{}</code></li>", escape(scope));
    }
    body.push_str("</ul><form method=\"post\" action=\"/oauth/authorize\">");
    hidden(&mut body, "authenticity_token", csrf);
    hidden(&mut body, "client_id", &app.client_id);
    hidden(&mut body, "redirect_uri", &request.redirect_uri);
    hidden(&mut body, "response_type", "code");
    hidden(&mut body, "scope", &request.scopes.to_string());
    if let Some(state) = &request.state {
        hidden(&mut body, "state", state);
    }
    if let Some(challenge) = &request.code_challenge {
        hidden(&mut body, "code_challenge", challenge);
        hidden(&mut body, "code_challenge_method", "S256");
    }
    body.push_str(
        "<button type=\"submit\" name=\"decision\" value=\"approve\">Authorize</button> \
         <button type=\"submit\" name=\"decision\" value=\"deny\" class=\"secondary\">Deny</button></form>",
    );
    layout(site, "Authorization required", &body)
}

pub(super) fn show_code(site: &str, app_name: &str, code: &str) -> Html<String> {
    let body = format!(
        "<p>Copy this authorization code and paste it into <strong>{}</strong>:</p><code id=\"code\">{}</code>",
        escape(app_name),
        escape(code)
    );
    layout(site, "Authorization code", &body)
}

pub(super) fn message(site: &str, title: &str, text: &str) -> Html<String> {
    layout(site, title, &format!("<p>{}</p>", escape(text)))
}

/// After a sign-up that needs no approval: the account is ready, and where to sign in.
pub(super) fn welcome(site: &str, username: &str) -> Html<String> {
    let body = format!(
        "<p>Your account @{} is ready. Sign in here or from any Mastodon app.</p>\
         <p><a class=\"button\" href=\"/auth/sign_in\">Sign in</a></p>",
        escape(username)
    );
    layout(site, "Welcome", &body)
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_everything_that_could_break_out() {
        assert_eq!(
            super::escape("<a href=\"x\" onclick='y'>&</a>"),
            "&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;"
        );
    }
}
