//! Reports: `POST /api/v1/reports` for everyone, `/api/v1/admin/reports` for moderators.

use app::App;
use app::moderation::reports::{self, ReportChange, ReportInput, ReportView};
use axum::extract::{OriginalUri, Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde::Deserialize;

use super::entities::report::{AdminReportEntity, ReportEntity};
use super::entities::status::render;
use super::parse_id;
use crate::ApiError;
use crate::auth::Auth;
use crate::pagination::{PageParams, link_header};
use crate::params::{Params, lenient};

pub(super) fn routes() -> Router<App> {
    Router::new()
        .route("/api/v1/reports", post(file))
        .route("/api/v1/admin/reports", get(list))
        .route("/api/v1/admin/reports/{id}", get(show))
        .route("/api/v1/admin/reports/{id}/assign_to_self", post(|s, a, i| change(s, a, i, ReportChange::AssignToSelf)))
        .route("/api/v1/admin/reports/{id}/unassign", post(|s, a, i| change(s, a, i, ReportChange::Unassign)))
        .route("/api/v1/admin/reports/{id}/resolve", post(|s, a, i| change(s, a, i, ReportChange::Resolve)))
        .route("/api/v1/admin/reports/{id}/reopen", post(|s, a, i| change(s, a, i, ReportChange::Reopen)))
}

#[derive(Debug, Deserialize, Default)]
struct FileParams {
    #[serde(default, deserialize_with = "lenient::opt_string")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    status_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    comment: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    category: Option<String>,
    #[serde(default, deserialize_with = "lenient::string_list")]
    rule_ids: Vec<String>,
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    forward: Option<bool>,
}

async fn file(
    State(app): State<App>,
    auth: Auth,
    Params { value: p, .. }: Params<FileParams>,
) -> Result<Json<ReportEntity>, ApiError> {
    let (reporter, _) = auth.user_with("write:reports")?;
    let account_id = parse_id(p.account_id.as_deref().unwrap_or_default())?;
    let ids = |raw: &[String]| raw.iter().map(|s| parse_id(s)).collect::<Result<Vec<_>, _>>();
    let input = ReportInput {
        account_id,
        status_ids: ids(&p.status_ids)?,
        comment: p.comment.unwrap_or_default(),
        category: p.category,
        rule_ids: ids(&p.rule_ids).map_err(|_| {
            ApiError::new(
                StatusCode::UNPROCESSABLE_ENTITY,
                "Validation failed: Rule ids names a rule that does not exist",
            )
        })?,
        forward: p.forward.unwrap_or(false),
    };
    let (report, target) = reports::file_report(&app, reporter, input).await?;
    Ok(Json(ReportEntity::new(app.config(), &report, &target)))
}

#[derive(Debug, Deserialize, Default)]
struct ListParams {
    #[serde(default, deserialize_with = "lenient::opt_bool")]
    resolved: Option<bool>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    account_id: Option<String>,
    #[serde(default, deserialize_with = "lenient::opt_string")]
    target_account_id: Option<String>,
    #[serde(flatten)]
    page: PageParams,
}

async fn list(
    State(app): State<App>,
    auth: Auth,
    OriginalUri(uri): OriginalUri,
    Params { value: p, .. }: Params<ListParams>,
) -> Result<(HeaderMap, Json<Vec<AdminReportEntity>>), ApiError> {
    let by = auth.moderator_with("admin:read:reports")?;
    let id = |s: &Option<String>| s.as_deref().map(parse_id).transpose();
    let filter = store::ReportFilter {
        resolved: p.resolved.unwrap_or(false),
        account_id: id(&p.account_id)?,
        target_account_id: id(&p.target_account_id)?,
    };
    let views = reports::list_reports(&app, by, &filter, &p.page.page(100, 200)).await?;
    let headers = link_header(
        &app.config().base_url(),
        &uri,
        views.first().map(|v| v.report.id),
        views.last().map(|v| v.report.id),
    );
    Ok((headers, Json(entities(&app, &views, by.account_id()).await?)))
}

async fn show(State(app): State<App>, auth: Auth, Path(id): Path<String>) -> Result<Json<AdminReportEntity>, ApiError> {
    let by = auth.moderator_with("admin:read:reports")?;
    let view = reports::get_report(&app, by, parse_id(&id)?).await?;
    Ok(Json(entities(&app, &[view], by.account_id()).await?.remove(0)))
}

async fn change(
    State(app): State<App>,
    auth: Auth,
    Path(id): Path<String>,
    what: ReportChange,
) -> Result<Json<AdminReportEntity>, ApiError> {
    let by = auth.moderator_with("admin:write:reports")?;
    let view = reports::change_report(&app, by, parse_id(&id)?, what).await?;
    Ok(Json(entities(&app, &[view], by.account_id()).await?.remove(0)))
}

async fn entities(
    app: &App,
    views: &[ReportView],
    viewer: Option<domain::Id>,
) -> Result<Vec<AdminReportEntity>, ApiError> {
    let mut out = Vec::with_capacity(views.len());
    for view in views {
        let statuses = render(app, &view.statuses, viewer).await?;
        out.push(AdminReportEntity::new(app.config(), view, statuses));
    }
    Ok(out)
}
