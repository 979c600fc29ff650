//! Claimed domains: claimed `pending` with a DNS TXT challenge, verified when the server finds
//! the challenge's value at `_orgkit-challenge.<domain>`.

use super::{change, commit_change, org_of};
use crate::body::Body;
use crate::caller::{org_resource, resource, Caller};
use crate::error::{ApiError, ApiResult};
use crate::routes::{route, Auth, Routes};
use crate::state::AppState;
use crate::{db, ids};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use orgkit::{normalize_domain, Change, EmailDomain, ErrorCode, Verification};
use serde::Deserialize;
use serde_json::{json, Value};

/// A domain to claim.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Claim {
    /// The domain, in any spelling.
    pub domain: String,
    /// Whether subdomains match too.
    #[serde(default)]
    pub include_subdomains: bool,
}

/// Adds the routes.
pub fn add(routes: Routes) -> Routes {
    routes
        .add(route("GET", "/v1/admin/domains", Auth::Session, "admin", "The org's domains, with the DNS TXT challenge of each (org.read)"), list)
        .add(route("POST", "/v1/admin/domains", Auth::Session, "admin", "Claim a domain {domain, include_subdomains?}: pending, with its TXT challenge (domains.manage)"), claim)
        .add(route("POST", "/v1/admin/domains/{domain}/verify", Auth::Session, "admin", "Check the TXT challenge: verified, or failed (domains.manage)"), verify)
        .add(route("DELETE", "/v1/admin/domains/{domain}", Auth::Session, "admin", "Remove a domain (domains.manage)"), remove)
}

/// The DNS name the challenge is published at.
fn challenge_name(domain: &str) -> String {
    format!("_orgkit-challenge.{domain}")
}

async fn challenge(state: &AppState, org: &str, domain: &str) -> ApiResult<Option<String>> {
    let row = sqlx::query("SELECT value FROM domain_challenges WHERE org_id = $1 AND domain = $2")
        .bind(org)
        .bind(domain)
        .fetch_optional(state.db.pool())
        .await?;
    row.map(|row| db::text(&row, "value")).transpose()
}

async fn describe(state: &AppState, org: &str, domain: &EmailDomain) -> ApiResult<Value> {
    let value = challenge(state, org, &domain.domain).await?;
    Ok(json!({
        "domain": domain.domain,
        "verification": domain.verification,
        "include_subdomains": domain.include_subdomains,
        "challenge": value.map(|value| json!({"type": "TXT", "name": challenge_name(&domain.domain), "value": value})),
    }))
}

async fn list(State(state): State<AppState>, caller: Caller) -> ApiResult<Json<Value>> {
    caller
        .authorize(&state, "org.read", org_resource(caller.org()))
        .await?;
    let dir = state.engine.snapshot();
    let mut out = Vec::new();
    for domain in &org_of(&dir, &caller)?.domains {
        out.push(describe(&state, caller.org(), domain).await?);
    }
    Ok(Json(json!({ "domains": out })))
}

fn find(dir: &orgkit::Directory, caller: &Caller, domain: &str) -> ApiResult<EmailDomain> {
    let canonical = normalize_domain(domain)?.domain;
    org_of(dir, caller)?
        .domains
        .iter()
        .find(|d| d.domain == canonical)
        .cloned()
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                format!("`{canonical}` is not claimed by this org"),
            )
        })
}

async fn claim(
    State(state): State<AppState>,
    caller: Caller,
    Body(body): Body<Claim>,
) -> ApiResult<(StatusCode, Json<Value>)> {
    let domain = normalize_domain(&body.domain)?.domain;
    caller
        .authorize(
            &state,
            "domains.manage",
            resource("Domain", &domain, caller.org()),
        )
        .await?;
    let record = EmailDomain {
        domain: domain.clone(),
        verification: Verification::Pending,
        include_subdomains: body.include_subdomains,
    };
    let mut write = change(&state, &caller, None, |dir| {
        if find(dir, &caller, &domain).is_ok() {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                format!("`{domain}` is already claimed by this org: verify or remove it"),
            ));
        }
        Ok(vec![Change::UpsertDomain {
            org_id: caller.org().into(),
            domain: record.clone(),
        }])
    })
    .await?;
    let value = format!(
        "orgkit-verification={}",
        ids::hex(&ids::random_bytes::<16>()?)
    );
    sqlx::query(
        "INSERT INTO domain_challenges (org_id, domain, value, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (org_id, domain) DO UPDATE SET value = excluded.value, created_at = excluded.created_at",
    )
    .bind(caller.org())
    .bind(&domain)
    .bind(&value)
    .bind(crate::clock::now())
    .execute(&mut **write.tx())
    .await?;
    write.commit().await?;
    Ok((
        StatusCode::CREATED,
        Json(describe(&state, caller.org(), &record).await?),
    ))
}

async fn verify(
    State(state): State<AppState>,
    caller: Caller,
    Path(domain): Path<String>,
) -> ApiResult<Json<Value>> {
    let domain = find(&state.engine.snapshot(), &caller, &domain)?;
    caller
        .authorize(
            &state,
            "domains.manage",
            resource("Domain", &domain.domain, caller.org()),
        )
        .await?;
    let expected = challenge(&state, caller.org(), &domain.domain)
        .await?
        .ok_or_else(|| {
            ApiError::new(
                ErrorCode::NotFound,
                "the domain has no challenge: claim it again",
            )
        })?;
    let found = state
        .dns
        .txt(&challenge_name(&domain.domain))
        .await
        .map_err(|e| {
            ApiError::from(
                orgkit::Error::new(ErrorCode::Internal, format!("the DNS lookup failed: {e}"))
                    .because("dns_lookup_failed"),
            )
        })?;
    let verification = if found.iter().any(|txt| txt.trim() == expected) {
        Verification::Verified
    } else {
        Verification::Failed
    };
    let record = EmailDomain {
        verification,
        ..domain
    };
    commit_change(&state, &caller, None, |_| {
        Ok(vec![Change::UpsertDomain {
            org_id: caller.org().into(),
            domain: record.clone(),
        }])
    })
    .await?;
    Ok(Json(describe(&state, caller.org(), &record).await?))
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(domain): Path<String>,
) -> ApiResult<StatusCode> {
    let domain = find(&state.engine.snapshot(), &caller, &domain)?.domain;
    caller
        .authorize(
            &state,
            "domains.manage",
            resource("Domain", &domain, caller.org()),
        )
        .await?;
    let mut write = change(&state, &caller, None, |_| {
        Ok(vec![Change::RemoveDomain {
            org_id: caller.org().into(),
            domain: domain.clone(),
        }])
    })
    .await?;
    sqlx::query("DELETE FROM domain_challenges WHERE org_id = $1 AND domain = $2")
        .bind(caller.org())
        .bind(&domain)
        .execute(&mut **write.tx())
        .await?;
    write.commit().await?;
    Ok(StatusCode::NO_CONTENT)
}
