//! The org's SCIM bearer tokens: minted by the engine from OS randomness, shown once, stored
//! as hashes in the org record; two at once while rotating.

use super::{edit_org, org_of};
use crate::caller::{resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::ids;
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use orgkit::{ErrorCode, ScimSettings, ScimToken};
use serde_json::{json, Value};

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(route("GET", "/v1/admin/scim/tokens", Auth::Session, "admin", "The org's SCIM token ids and whether SCIM is on (scim.read)"), list)
        .add(route("POST", "/v1/admin/scim/tokens", Auth::Session, "admin", "Mint a SCIM token (switches SCIM on); the token is in this response only (scim.configure)"), mint)
        .add(route("DELETE", "/v1/admin/scim/tokens/{id}", Auth::Session, "admin", "Revoke a SCIM token (scim.configure)"), revoke)
}

fn directory(caller: &Caller) -> orgkit::Resource {
    resource(
        "ScimDirectory",
        &format!("{}/scim", caller.org()),
        caller.org(),
    )
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller
        .authorize(&state, "scim.read", directory(&caller))
        .await?;
    let dir = state.engine.snapshot();
    let scim = org_of(&dir, &caller)?.scim.as_ref();
    let tokens: Vec<&str> = scim
        .iter()
        .flat_map(|s| s.tokens.iter().map(|t| t.id.as_str()))
        .collect();
    Ok(Json(json!({
        "enabled": scim.is_some_and(|s| s.enabled),
        "tokens": tokens.iter().map(|id| json!({"id": id})).collect::<Vec<_>>(),
        "base_url": format!("{}{}", state.public_url, crate::routes::scim::BASE),
    })))
}

async fn mint(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<(StatusCode, Json<Value>)> {
    caller
        .authorize(&state, "scim.configure", directory(&caller))
        .await?;
    let minted = crate::call::call(
        &state.engine,
        "scim_mint_token",
        &json!({"random": ids::token_randomness()?}),
    )?;
    let sha256 = minted
        .get("sha256")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_string();
    let id = ids::new_id("st_")?;
    edit_org(&state, &caller, None, |org| {
        let scim = org.scim.get_or_insert_with(|| ScimSettings {
            enabled: true,
            tokens: Vec::new(),
            profile: None,
            mapping: None,
        });
        scim.enabled = true;
        scim.tokens.push(ScimToken {
            id: id.clone(),
            sha256: sha256.clone(),
        });
        Ok(())
    })
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": id,
            "token": minted.get("token"),
            "base_url": format!("{}{}", state.public_url, crate::routes::scim::BASE),
            "note": "the token is shown once: store it in the identity provider now",
        })),
    ))
}

async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<String>,
) -> ApiResult<StatusCode> {
    caller
        .authorize(&state, "scim.configure", directory(&caller))
        .await?;
    edit_org(&state, &caller, None, |org| {
        let tokens = org.scim.as_mut().map(|s| &mut s.tokens);
        let Some(tokens) = tokens.filter(|t| t.iter().any(|t| t.id == id)) else {
            return Err(ApiError::new(
                ErrorCode::NotFound,
                format!("no SCIM token `{id}`"),
            ));
        };
        tokens.retain(|t| t.id != id);
        Ok(())
    })
    .await?;
    Ok(StatusCode::NO_CONTENT)
}
