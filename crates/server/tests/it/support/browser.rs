//! What a person's browser does on the OAuth pages: follow the authorize URL, fill in
//! the sign-in form, press "Authorize". Cookies and form fields are handled by hand, so
//! the test sees exactly what a browser would get.

use std::collections::HashMap;

use reqwest::StatusCode;
use reqwest::header::{COOKIE, LOCATION, SET_COOKIE};

pub struct Browser {
    http: reqwest::Client,
    base_url: String,
    cookies: HashMap<String, String>,
}

impl Browser {
    pub fn new(base_url: &str) -> Browser {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Browser { http, base_url: base_url.to_owned(), cookies: HashMap::new() }
    }

    fn absolute(&self, url: &str) -> String {
        if url.starts_with('/') { format!("{}{url}", self.base_url) } else { url.to_owned() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    fn keep_cookies(&mut self, response: &reqwest::Response) {
        for value in response.headers().get_all(SET_COOKIE) {
            let text = value.to_str().unwrap();
            let (pair, _) = text.split_once(';').unwrap_or((text, ""));
            let (name, value) = pair.split_once('=').unwrap();
            if value.is_empty() {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_owned(), value.to_owned());
            }
        }
    }

    /// A GET with this browser's cookies, to read as it arrives.
    pub fn request(&self, url: &str) -> reqwest::RequestBuilder {
        self.http.get(self.absolute(url)).header(COOKIE, self.cookie_header())
    }

    pub async fn get(&mut self, url: &str) -> (StatusCode, String, Option<String>) {
        let response = self.http.get(self.absolute(url)).header(COOKIE, self.cookie_header()).send().await.unwrap();
        self.finish(response).await
    }

    pub async fn post_form(&mut self, url: &str, fields: &[(String, String)]) -> (StatusCode, String, Option<String>) {
        let response =
            self.http.post(self.absolute(url)).header(COOKIE, self.cookie_header()).form(fields).send().await.unwrap();
        self.finish(response).await
    }

    pub async fn post_multipart(
        &mut self,
        url: &str,
        form: reqwest::multipart::Form,
    ) -> (StatusCode, String, Option<String>) {
        let response = self
            .http
            .post(self.absolute(url))
            .header(COOKIE, self.cookie_header())
            .multipart(form)
            .send()
            .await
            .unwrap();
        self.finish(response).await
    }

    /// Signs in on the website's sign-in page, as a person would.
    pub async fn sign_in(&mut self, email: &str, password: &str) {
        let (status, page, _) = self.get("/auth/sign_in").await;
        assert_eq!(status, 200, "{page}");
        let mut fields = hidden_fields(&page);
        fields.push(("email".into(), email.into()));
        fields.push(("password".into(), password.into()));
        let (status, body, _) = self.post_form("/auth/sign_in", &fields).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "sign-in failed: {body}");
    }

    /// Presses the button of the form posting to `action` on `page`, with its hidden fields.
    pub async fn press(&mut self, page: &str, action: &str) -> (StatusCode, String, Option<String>) {
        let (status, body, location) = self.post_form(action, &hidden_fields(form(page, action))).await;
        assert_eq!(status, StatusCode::SEE_OTHER, "{action}: {body}");
        (status, body, location)
    }

    async fn finish(&mut self, response: reqwest::Response) -> (StatusCode, String, Option<String>) {
        self.keep_cookies(&response);
        let status = response.status();
        let location = response.headers().get(LOCATION).map(|v| v.to_str().unwrap().to_owned());
        (status, response.text().await.unwrap(), location)
    }

    /// Signs in on the page `authorize_url` shows, approves, and returns where the
    /// server sent the browser (the app's redirect with `code`), or the OOB page.
    pub async fn authorize(&mut self, authorize_url: &str, email: &str, password: &str) -> Authorized {
        let (status, page, _) = self.get(authorize_url).await;
        assert_eq!(status, 200, "{page}");
        if page.contains("action=\"/auth/sign_in\"") {
            let mut fields = hidden_fields(&page);
            fields.push(("email".into(), email.into()));
            fields.push(("password".into(), password.into()));
            let (status, body, location) = self.post_form("/auth/sign_in", &fields).await;
            assert_eq!(status, StatusCode::SEE_OTHER, "sign-in failed: {body}");
            let (status, approval, _) = self.get(&location.unwrap()).await;
            assert_eq!(status, 200);
            return self.approve(&approval).await;
        }
        self.approve(&page).await
    }

    async fn approve(&mut self, page: &str) -> Authorized {
        assert!(page.contains("Authorization required"), "not the approval page: {page}");
        let mut fields = hidden_fields(page);
        fields.push(("decision".into(), "approve".into()));
        let (status, body, location) = self.post_form("/oauth/authorize", &fields).await;
        match location {
            Some(location) => Authorized::Redirect(location),
            None => {
                assert_eq!(status, 200, "{body}");
                let code = body.split("<code id=\"code\">").nth(1).unwrap().split("</code>").next().unwrap();
                Authorized::Code(code.to_owned())
            }
        }
    }
}

pub enum Authorized {
    Redirect(String),
    Code(String),
}

/// The `<form>` on `page` that posts to `action`.
pub fn form<'a>(page: &'a str, action: &str) -> &'a str {
    let start = page.find(&format!("action=\"{action}\"")).unwrap_or_else(|| panic!("no form to {action}: {page}"));
    &page[start..start + page[start..].find("</form>").unwrap()]
}

/// The `<input type="hidden">` fields of a page, unescaped.
pub fn hidden_fields(page: &str) -> Vec<(String, String)> {
    page.split("<input type=\"hidden\" ")
        .skip(1)
        .map(|tag| {
            let attr = |name: &str| {
                let start = tag.find(&format!("{name}=\"")).unwrap() + name.len() + 2;
                unescape(&tag[start..start + tag[start..].find('"').unwrap()])
            };
            (attr("name"), attr("value"))
        })
        .collect()
}

fn unescape(s: &str) -> String {
    s.replace("&quot;", "\"").replace("&#39;", "'").replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
}

/// The value of a query parameter in a URL.
pub fn query_param(url: &str, name: &str) -> Option<String> {
    let query = url.split_once('?')?.1;
    url_pairs(query).into_iter().find(|(k, _)| k == name).map(|(_, v)| v)
}

fn url_pairs(query: &str) -> Vec<(String, String)> {
    query.split('&').filter_map(|kv| kv.split_once('=')).map(|(k, v)| (decode(k), decode(v))).collect()
}

fn decode(s: &str) -> String {
    let bytes = s.replace('+', " ").into_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
            out.push(u8::from_str_radix(hex, 16).unwrap());
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).unwrap()
}
