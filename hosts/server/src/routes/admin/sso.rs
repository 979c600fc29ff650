//! SSO connections of the org. The org record's version is their `ETag`.

use super::{commit_change, org_of, org_version, with_etag, Expect};
use crate::body::Body;
use crate::caller::{org_resource, resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use orgkit::{Change, ErrorCode, SsoConnection};
use serde_json::{json, Value};

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(
            route(
                "GET",
                "/v1/admin/sso-connections",
                Auth::Session,
                "admin",
                "The org's SSO connections (sso.read)",
            ),
            list,
        )
        .add(
            route(
                "POST",
                "/v1/admin/sso-connections",
                Auth::Session,
                "admin",
                "Add a SAML or OIDC connection; `id` is assigned when absent (sso.configure)",
            ),
            create,
        )
        .add(
            route(
                "GET",
                "/v1/admin/sso-connections/{id}",
                Auth::Session,
                "admin",
                "One connection, with the org's ETag (sso.read)",
            ),
            get,
        )
        .add(
            route(
                "PUT",
                "/v1/admin/sso-connections/{id}",
                Auth::Session,
                "admin",
                "Replace a connection (If-Match; sso.configure)",
            ),
            replace,
        )
        .add(
            route(
                "DELETE",
                "/v1/admin/sso-connections/{id}",
                Auth::Session,
                "admin",
                "Remove a connection (If-Match; sso.configure)",
            ),
            remove,
        )
}

fn find(state: &AppState, caller: &Caller, id: &str) -> ApiResult<SsoConnection> {
    let dir = state.engine.snapshot();
    org_of(&dir, caller)?
        .sso_connections
        .iter()
        .find(|c| c.id == id)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::UnknownConnection,
                format!("no connection `{id}` in this org"),
            )
        })
}

fn parse(mut body: Value, id: &str) -> ApiResult<SsoConnection> {
    if let Some(object) = body.as_object_mut() {
        object.insert("id".into(), Value::String(id.into()));
    }
    serde_json::from_value(body).map_err(|e| {
        ApiError::new(
            ErrorCode::InvalidInput,
            format!("not an SSO connection: {e}"),
        )
    })
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Response> {
    caller
        .authorize(&state, "sso.read", org_resource(caller.org()))
        .await?;
    let dir = state.engine.snapshot();
    let body = json!({ "sso_connections": org_of(&dir, &caller)?.sso_connections });
    Ok(with_etag(
        Json(body),
        org_version(&state, caller.org()).await?,
    ))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<Value>,
) -> ApiResult<Response> {
    caller
        .authorize(&state, "sso.configure", org_resource(caller.org()))
        .await?;
    let id = match body.get("id").and_then(Value::as_str) {
        Some(id) => id.to_string(),
        None => ids::new_id("conn_")?,
    };
    let connection = parse(body, &id)?;
    commit_change(&state, &caller, None, |dir| {
        if dir.connection_org(&id).is_some() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("connection `{id}` exists"),
            ));
        }
        Ok(vec![Change::UpsertConnection {
            org_id: caller.org().into(),
            connection: connection.clone(),
        }])
    })
    .await?;
    let version = org_version(&state, caller.org()).await?;
    Ok(with_etag(
        (StatusCode::CREATED, Json(json!(connection))),
        version,
    ))
}

async fn get(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<Response> {
    caller
        .authorize(
            &state,
            "sso.read",
            resource("SsoConnection", &id, caller.org()),
        )
        .await?;
    let connection = find(&state, &caller, &id)?;
    Ok(with_etag(
        Json(json!(connection)),
        org_version(&state, caller.org()).await?,
    ))
}

/// Authorises `sso.configure` on connection `id` of the caller's org, then commits `change`
/// against the org's `If-Match`.
async fn configure(
    state: &AppState,
    caller: &Caller,
    id: &str,
    headers: &HeaderMap,
    change: Change,
) -> ApiResult<()> {
    let connection = resource("SsoConnection", id, caller.org());
    caller.authorize(state, "sso.configure", connection).await?;
    find(state, caller, id)?;
    commit_change(state, caller, Some(Expect::org(caller, headers)), |_| {
        Ok(vec![change])
    })
    .await
}

async fn replace(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
    Body(body): Body<Value>,
) -> ApiResult<Response> {
    let connection = parse(body, &id)?;
    let change = Change::UpsertConnection {
        org_id: caller.org().into(),
        connection: connection.clone(),
    };
    configure(&state, &caller, &id, &headers, change).await?;
    Ok(with_etag(
        Json(json!(connection)),
        org_version(&state, caller.org()).await?,
    ))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let change = Change::RemoveConnection {
        org_id: caller.org().into(),
        connection_id: id.clone(),
    };
    configure(&state, &caller, &id, &headers, change).await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}
