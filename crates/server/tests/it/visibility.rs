//! Nobody sees a post they may not see, through any endpoint: a matrix of viewers
//! (author, follower, mentioned, stranger, anonymous) × visibilities × endpoints.

use std::collections::HashMap;

use serde_json::{Value, json};

use crate::oauth::user_token;
use crate::support::TestServer;

async fn get(server: &TestServer, path: &str, token: Option<&str>) -> Value {
    let mut request = server.http.get(server.url(path));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body: Value = response.json().await.unwrap();
    if status == 404 { json!([]) } else { body }
}

fn ids(v: &Value) -> Vec<String> {
    match v {
        Value::Array(items) => items.iter().map(|s| s["id"].as_str().unwrap().to_owned()).collect(),
        Value::Object(_) => vec![v["id"].as_str().unwrap().to_owned()],
        _ => vec![],
    }
}

#[tokio::test]
async fn each_viewer_sees_exactly_what_mastodon_shows_them() {
    let server = TestServer::start().await;
    let mut tokens = HashMap::new();
    let mut ids_of = HashMap::new();
    for name in ["author", "follower", "mentioned", "stranger"] {
        let email = format!("{name}@example.org");
        let password = server.create_account(name, &email, "user");
        let token = user_token(&server, &email, &password, "read write follow").await;
        let me = get(&server, "/api/v1/accounts/verify_credentials", Some(&token)).await;
        ids_of.insert(name, me["id"].as_str().unwrap().to_owned());
        tokens.insert(name, token);
    }
    let follow = server.http.post(server.url(&format!("/api/v1/accounts/{}/follow", ids_of["author"])));
    assert_eq!(follow.bearer_auth(&tokens["follower"]).send().await.unwrap().status(), 200);

    let mut posts = HashMap::new();
    for visibility in ["public", "unlisted", "private", "direct"] {
        let response = server
            .http
            .post(server.url("/api/v1/statuses"))
            .bearer_auth(&tokens["author"])
            .json(&json!({ "status": format!("{visibility} post for @mentioned"), "visibility": visibility }))
            .send()
            .await
            .unwrap();
        let post: Value = response.json().await.unwrap();
        posts.insert(visibility, post["id"].as_str().unwrap().to_owned());
    }
    // The author boosts their own private post: the boost must be no more visible.
    let boost = server
        .http
        .post(server.url(&format!("/api/v1/statuses/{}/reblog", posts["private"])))
        .bearer_auth(&tokens["author"])
        .send()
        .await
        .unwrap();
    let boost: Value = boost.json().await.unwrap();
    assert_eq!(boost["visibility"], "private");
    posts.insert("boost of private", boost["id"].as_str().unwrap().to_owned());

    // Who may see each post at all.
    let may_see = |viewer: &str, visibility: &str| match visibility {
        "public" | "unlisted" => true,
        "private" => matches!(viewer, "author" | "follower" | "mentioned"),
        // The boost mentions nobody, so only the author and followers see it.
        "boost of private" => matches!(viewer, "author" | "follower"),
        _ => matches!(viewer, "author" | "mentioned"),
    };
    // What each endpoint lists, given it may be seen.
    let in_home = |viewer: &str, visibility: &str| match viewer {
        "author" => true,
        "follower" => visibility != "direct",
        _ => false,
    };
    let on_public = |visibility: &str| visibility == "public";

    let author_id = ids_of["author"].clone();
    for viewer in ["author", "follower", "mentioned", "stranger", "anonymous"] {
        let token = tokens.get(viewer).map(String::as_str);
        let profile = ids(&get(&server, &format!("/api/v1/accounts/{author_id}/statuses"), token).await);
        let public = ids(&get(&server, "/api/v1/timelines/public", token).await);
        let query: Vec<String> = posts.values().map(|id| format!("id[]={id}")).collect();
        let many = ids(&get(&server, &format!("/api/v1/statuses?{}", query.join("&")), token).await);
        let home = match token {
            Some(t) => ids(&get(&server, "/api/v1/timelines/home", Some(t)).await),
            None => Vec::new(),
        };
        for (visibility, id) in &posts {
            let visible = may_see(viewer, visibility);
            let single = ids(&get(&server, &format!("/api/v1/statuses/{id}"), token).await);
            let case = format!("{viewer} × {visibility}");
            assert_eq!(single.contains(id), visible, "GET /statuses/:id, {case}");
            assert_eq!(many.contains(id), visible, "GET /statuses?id[], {case}");
            assert_eq!(profile.contains(id), visible, "GET /accounts/:id/statuses, {case}");
            assert_eq!(public.contains(id), on_public(visibility), "GET /timelines/public, {case}");
            assert_eq!(home.contains(id), visible && in_home(viewer, visibility), "GET /timelines/home, {case}");
        }
    }
}
