//! Filters: Mastodon's v2 endpoints (filters with their keywords and posts) and v1's
//! one-phrase view of them, for older apps.

use app::App;
use app::filters::{self, FilterInput, KeywordInput, V1Input};
use axum::extract::{Path, State};
use axum::routing::get;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use super::entities::filter::{FilterEntity, FilterKeywordEntity, FilterStatusEntity, V1FilterEntity};
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v2/filters", get(list).post(create))
        .route("/api/v2/filters/{id}", get(show).put(update).delete(delete))
        .route("/api/v2/filters/{id}/keywords", get(keywords).post(add_keyword))
        .route("/api/v2/filters/keywords/{id}", get(show_keyword).put(update_keyword).delete(delete_keyword))
        .route("/api/v2/filters/{id}/statuses", get(statuses).post(add_status))
        .route("/api/v2/filters/statuses/{id}", get(show_status).delete(delete_status))
        .route("/api/v1/filters", get(list_v1).post(create_v1))
        .route("/api/v1/filters/{id}", get(show_v1).put(update_v1).delete(delete_v1))
}

type Result<T> = std::result::Result<Json<T>, ApiError>;

#[derive(Debug, Deserialize, Default)]
struct FilterParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    title: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string_list")]
    context: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    filter_action: Option<String>,
    /// Seconds; empty means never.
    #[serde(default)]
    expires_in: Option<Value>,
    /// `[{keyword, whole_word, id, _destroy}]`, or a form's indexed object of them.
    #[serde(default)]
    keywords_attributes: Option<Value>,
}

/// `expires_in` as given: a number of seconds, or empty (or null) for never.
fn expires_in(value: Option<Value>) -> std::result::Result<Option<Option<i64>>, ApiError> {
    match value {
        None => Ok(None),
        Some(Value::Null) => Ok(Some(None)),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Some(None)),
        Some(Value::String(s)) => s.trim().parse().map(|n| Some(Some(n))).map_err(|_| invalid("expires_in")),
        Some(Value::Number(n)) => n.as_i64().map(|n| Some(Some(n))).ok_or_else(|| invalid("expires_in")),
        Some(_) => Err(invalid("expires_in")),
    }
}

fn invalid(field: &'static str) -> ApiError {
    ApiError::from(app::AppError::Validation(domain::ValidationError::field(field, "ERR_INVALID", "is invalid")))
}

fn flag(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) => Some(matches!(s.to_ascii_lowercase().as_str(), "1" | "true" | "on" | "yes" | "t")),
        Value::Number(n) => Some(n.as_i64() != Some(0)),
        _ => None,
    }
}

fn keyword_changes(value: Option<Value>) -> std::result::Result<Vec<KeywordInput>, ApiError> {
    let items: Vec<Value> = match value {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(Value::Object(indexed)) => indexed.into_iter().map(|(_, v)| v).collect(),
        Some(_) => return Err(invalid("keywords_attributes")),
    };
    items
        .iter()
        .map(|item| {
            if !item.is_object() {
                return Err(invalid("keywords_attributes"));
            }
            let id = match &item["id"] {
                Value::Null => None,
                Value::String(s) => Some(parse_id(s)?),
                Value::Number(n) => Some(parse_id(&n.to_string())?),
                _ => return Err(invalid("keywords_attributes")),
            };
            Ok(KeywordInput {
                id,
                keyword: item["keyword"].as_str().map(str::to_owned),
                whole_word: flag(&item["whole_word"]),
                destroy: flag(&item["_destroy"]).unwrap_or(false),
            })
        })
        .collect()
}

impl FilterParams {
    fn input(self) -> std::result::Result<FilterInput, ApiError> {
        Ok(FilterInput {
            title: self.title,
            context: self.context,
            action: self.filter_action,
            expires_in: expires_in(self.expires_in)?,
            keywords: keyword_changes(self.keywords_attributes)?,
        })
    }
}

async fn list(State(app): State<App>, auth: Auth) -> Result<Vec<FilterEntity>> {
    let (reader, _) = auth.user_with("read:filters")?;
    Ok(Json(filters::list_filters(&app, reader).await?.iter().map(FilterEntity::from).collect()))
}

async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<FilterEntity> {
    let (reader, _) = auth.user_with("read:filters")?;
    Ok(Json(FilterEntity::from(&filters::get_filter(&app, reader, parse_id(&id)?).await?)))
}

async fn create(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<FilterParams>,
) -> Result<FilterEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    Ok(Json(FilterEntity::from(&filters::create_filter(&app, reader, p.input()?).await?)))
}

async fn update(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<FilterParams>,
) -> Result<FilterEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    Ok(Json(FilterEntity::from(&filters::update_filter(&app, reader, parse_id(&id)?, p.input()?).await?)))
}

async fn delete(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Value> {
    let (reader, _) = auth.user_with("write:filters")?;
    filters::delete_filter(&app, reader, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Deserialize, Default)]
struct KeywordParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    keyword: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    whole_word: Option<bool>,
}

async fn keywords(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Vec<FilterKeywordEntity>> {
    let (reader, _) = auth.user_with("read:filters")?;
    let filter = filters::get_filter(&app, reader, parse_id(&id)?).await?;
    Ok(Json(filter.keywords.iter().map(FilterKeywordEntity::from).collect()))
}

async fn add_keyword(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<KeywordParams>,
) -> Result<FilterKeywordEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    let before = filters::get_filter(&app, reader, parse_id(&id)?).await?;
    let change = KeywordInput {
        keyword: Some(p.keyword.unwrap_or_default()),
        whole_word: p.whole_word,
        ..KeywordInput::default()
    };
    let after = filters::change_keyword(&app, reader, before.id, change).await?;
    let added = after.keywords.iter().find(|k| !before.keywords.iter().any(|b| b.id == k.id));
    added.map(|k| Json(FilterKeywordEntity::from(k))).ok_or_else(ApiError::internal)
}

async fn show_keyword(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<FilterKeywordEntity> {
    let (reader, _) = auth.user_with("read:filters")?;
    let (_, keyword) = filters::get_keyword(&app, reader, parse_id(&id)?).await?;
    Ok(Json(FilterKeywordEntity::from(&keyword)))
}

async fn update_keyword(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<KeywordParams>,
) -> Result<FilterKeywordEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    let id = parse_id(&id)?;
    let (filter, _) = filters::get_keyword(&app, reader, id).await?;
    let change = KeywordInput { id: Some(id), keyword: p.keyword, whole_word: p.whole_word, destroy: false };
    filters::change_keyword(&app, reader, filter.id, change).await?;
    Ok(Json(FilterKeywordEntity::from(&filters::get_keyword(&app, reader, id).await?.1)))
}

async fn delete_keyword(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Value> {
    let (reader, _) = auth.user_with("write:filters")?;
    let id = parse_id(&id)?;
    let (filter, _) = filters::get_keyword(&app, reader, id).await?;
    filters::change_keyword(
        &app,
        reader,
        filter.id,
        KeywordInput { id: Some(id), destroy: true, ..KeywordInput::default() },
    )
    .await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Deserialize, Default)]
struct StatusParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    status_id: Option<String>,
}

async fn statuses(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Vec<FilterStatusEntity>> {
    let (reader, _) = auth.user_with("read:filters")?;
    let filter = filters::get_filter(&app, reader, parse_id(&id)?).await?;
    Ok(Json(filter.statuses.iter().map(FilterStatusEntity::from).collect()))
}

async fn add_status(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<StatusParams>,
) -> Result<FilterStatusEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    let status_id = parse_id(p.status_id.as_deref().unwrap_or_default())?;
    Ok(Json(FilterStatusEntity::from(&filters::add_status(&app, reader, parse_id(&id)?, status_id).await?)))
}

async fn show_status(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<FilterStatusEntity> {
    let (reader, _) = auth.user_with("read:filters")?;
    Ok(Json(FilterStatusEntity::from(&filters::get_filtered_status(&app, reader, parse_id(&id)?).await?.1)))
}

async fn delete_status(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Value> {
    let (reader, _) = auth.user_with("write:filters")?;
    filters::remove_status(&app, reader, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}

#[derive(Debug, Deserialize, Default)]
struct V1Params {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    phrase: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string_list")]
    context: Option<Vec<String>>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    irreversible: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    whole_word: Option<bool>,
    #[serde(default)]
    expires_in: Option<Value>,
}

impl V1Params {
    fn input(self) -> std::result::Result<V1Input, ApiError> {
        Ok(V1Input {
            phrase: self.phrase,
            context: self.context,
            irreversible: self.irreversible,
            whole_word: self.whole_word,
            expires_in: expires_in(self.expires_in)?,
        })
    }
}

async fn list_v1(State(app): State<App>, auth: Auth) -> Result<Vec<V1FilterEntity>> {
    let (reader, _) = auth.user_with("read:filters")?;
    Ok(Json(filters::list_v1(&app, reader).await?.iter().map(|(f, k)| V1FilterEntity::new(f, k)).collect()))
}

async fn show_v1(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<V1FilterEntity> {
    let (reader, _) = auth.user_with("read:filters")?;
    let (filter, keyword) = filters::get_keyword(&app, reader, parse_id(&id)?).await?;
    Ok(Json(V1FilterEntity::new(&filter, &keyword)))
}

async fn create_v1(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<V1Params>,
) -> Result<V1FilterEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    let (filter, keyword) = filters::create_v1(&app, reader, p.input()?).await?;
    Ok(Json(V1FilterEntity::new(&filter, &keyword)))
}

async fn update_v1(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    Params { value: p, .. }: Params<V1Params>,
) -> Result<V1FilterEntity> {
    let (reader, _) = auth.user_with("write:filters")?;
    let (filter, keyword) = filters::update_v1(&app, reader, parse_id(&id)?, p.input()?).await?;
    Ok(Json(V1FilterEntity::new(&filter, &keyword)))
}

async fn delete_v1(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Value> {
    let (reader, _) = auth.user_with("write:filters")?;
    filters::delete_v1(&app, reader, parse_id(&id)?).await?;
    Ok(Json(json!({})))
}
