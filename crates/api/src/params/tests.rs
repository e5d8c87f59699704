use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode};
use axum::routing::any;
use serde::{Deserialize, Serialize};
use tower::ServiceExt;

use super::{Params, lenient};

#[derive(Debug, Deserialize, Serialize)]
struct Input {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    media_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    sensitive: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_i64")]
    limit: Option<i64>,
    #[serde(default)]
    source: Option<serde_json::Value>,
}

async fn echo(Params { value, files }: Params<Input>) -> axum::Json<serde_json::Value> {
    let mut json = serde_json::to_value(value).unwrap();
    json["files"] = files.iter().map(|f| format!("{}:{}", f.field, f.bytes.len())).collect();
    axum::Json(json)
}

async fn send(request: Request<Body>) -> (StatusCode, serde_json::Value) {
    let response = Router::new().route("/", any(echo)).oneshot(request).await.unwrap();
    let status = response.status();
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    (status, serde_json::from_slice(&bytes).unwrap())
}

fn post(content_type: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post("/").header("content-type", content_type).body(body.into()).unwrap()
}

#[tokio::test]
async fn query_strings_with_bracket_arrays_and_string_booleans() {
    let request = Request::get("/?media_ids[]=1&media_ids[]=2&sensitive=1&limit=40&source[privacy]=private")
        .body(Body::empty())
        .unwrap();
    let (status, v) = send(request).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["media_ids"], serde_json::json!(["1", "2"]));
    assert_eq!(v["sensitive"], true);
    assert_eq!(v["limit"], 40);
    assert_eq!(v["source"]["privacy"], "private");
}

#[tokio::test]
async fn urlencoded_forms_like_json_bodies() {
    let (_, form) =
        send(post("application/x-www-form-urlencoded", "status=hi%20there&media_ids%5B%5D=7&sensitive=false")).await;
    let (_, json) = send(post("application/json", r#"{"status":"hi there","media_ids":[7],"sensitive":false}"#)).await;
    assert_eq!(form, json);
    assert_eq!(json["media_ids"], serde_json::json!(["7"]));
    assert_eq!(json["sensitive"], false);
}

#[tokio::test]
async fn the_body_wins_over_the_query() {
    let request = Request::post("/?status=query&limit=5")
        .header("content-type", "application/json")
        .body(Body::from(r#"{"status":"body"}"#))
        .unwrap();
    let (_, v) = send(request).await;
    assert_eq!(v["status"], "body");
    assert_eq!(v["limit"], 5);
}

#[tokio::test]
async fn multipart_fields_and_files() {
    let body = "--XYZ\r\nContent-Disposition: form-data; name=\"status\"\r\n\r\nfrom a form\r\n\
                --XYZ\r\nContent-Disposition: form-data; name=\"media_ids[]\"\r\n\r\n9\r\n\
                --XYZ\r\nContent-Disposition: form-data; name=\"avatar\"; filename=\"a.png\"\r\nContent-Type: image/png\r\n\r\nPNGDATA\r\n\
                --XYZ--\r\n";
    let (status, v) = send(post("multipart/form-data; boundary=XYZ", body)).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["status"], "from a form");
    assert_eq!(v["media_ids"], serde_json::json!(["9"]));
    assert_eq!(v["files"], serde_json::json!(["avatar:7"]));
}

#[tokio::test]
async fn malformed_input_gets_mastodon_errors() {
    let (status, v) = send(post("application/json", "{oops")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["error"].as_str().unwrap().contains("parsing request parameters"), "{v}");

    let (status, v) = send(post("application/json", "[1,2]")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");

    let (status, v) = send(Request::get("/?sensitive=maybe").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(v["error"].as_str().unwrap().contains("maybe"), "{v}");

    let (status, _) = send(Request::get("/?limit=ten").body(Body::empty()).unwrap()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn missing_required_parameters_are_400() {
    #[derive(Deserialize)]
    struct Required {
        #[allow(dead_code)]
        client_name: String,
    }
    let router = Router::new().route("/", any(|_: Params<Required>| async { "ok" }));
    let response = router.oneshot(post("application/json", "{}")).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST);
    let bytes = axum::body::to_bytes(response.into_body(), 1 << 20).await.unwrap();
    assert_eq!(
        serde_json::from_slice::<serde_json::Value>(&bytes).unwrap()["error"],
        "param is missing or the value is empty: client_name"
    );
}

#[test]
fn nested_keys() {
    let mut root = serde_json::Map::new();
    for (k, v) in [
        ("fields_attributes[0][name]", "a"),
        ("fields_attributes[0][value]", "b"),
        ("fields_attributes[1][name]", "c"),
        ("broken[", "x"),
        ("types[]", "mention"),
        ("types[]", "follow"),
    ] {
        super::nested::insert_pair(&mut root, k, serde_json::Value::String(v.into()));
    }
    let v = serde_json::Value::Object(root);
    assert_eq!(v["fields_attributes"]["0"]["value"], "b");
    assert_eq!(v["fields_attributes"]["1"]["name"], "c");
    assert_eq!(v["broken["], "x");
    assert_eq!(v["types"], serde_json::json!(["mention", "follow"]));
}
