//! The demo directory: three orgs, their users, domains and connections, seeded into an empty
//! database through the same write path as every change (so it is audited), and the example
//! requests printed at start.

use crate::error::ApiResult;
use crate::events::change_audit;
use crate::keys::{STAFF_ISSUER, USER_ISSUER};
use crate::state::AppState;
use crate::write::Write;
use crate::{clock, ids};
use orgkit::audit::Actor;
use orgkit::{Change, ChangeSet};
use serde_json::{json, Value};

/// The demo's records, as a change set (the SCIM token's hash is filled in).
fn demo_changes(scim_sha256: &str) -> serde_json::Result<Vec<Change>> {
    let changes = json!({"schema_version": 1, "changes": [
        {"op": "upsert_org", "org": {
            "id": "org_acme", "name": "Acme Corp", "slug": "acme",
            "domains": [{"domain": "acme-demo.com", "verification": "verified", "include_subdomains": true}],
            "sso_connections": [{"id": "conn_acme_saml", "name": "Acme Okta", "protocol": "saml", "status": "active",
                "saml": {"idp_entity_id": "http://www.okta.com/exk-acme", "sso_url": "https://acme-demo.okta.example/app/sso/saml"}}],
            "require_sso": true,
            "scim": {"enabled": true, "tokens": [{"id": "st_demo", "sha256": scim_sha256}],
                "mapping": {"roles": [{"group": "Acme Admins", "role": "admin"}], "default_role": "member"}},
            "branding": {"logo_url": "https://acme-demo.com/logo.svg", "primary_color": "#c8102e",
                "login_title": "Sign in to Acme", "login_button_text": "Continue with Okta"},
            "roles": [{"key": "billing-admin", "name": "Billing admin", "permissions": ["org.read", "users.read"]}],
            "feature_flags": {"audit_export": true, "seats": 250}
        }},
        {"op": "upsert_org", "org": {
            "id": "org_globex", "name": "Globex", "slug": "globex",
            "domains": [{"domain": "globex-demo.io", "verification": "verified"}],
            "sso_connections": [{"id": "conn_globex_oidc", "name": "Globex Entra ID", "protocol": "oidc", "status": "active",
                "oidc": {"issuer": "https://login.globex-demo.example/v2.0", "client_id": "globex-client", "client_secret_ref": "vault:globex/oidc"}}],
            "branding": {"primary_color": "#1f6feb", "login_title": "Globex sign-in"}
        }},
        {"op": "upsert_org", "org": {
            "id": "org_initech", "name": "Initech", "slug": "initech",
            "domains": [{"domain": "initech-demo.net", "verification": "pending"}]
        }},
        {"op": "upsert_user", "user": {"id": "u_alice", "email": "alice@acme-demo.com", "name": "Alice Admin"}},
        {"op": "upsert_user", "user": {"id": "u_bob", "email": "bob@globex-demo.io", "name": "Bob Builder"}},
        {"op": "upsert_user", "user": {"id": "u_carol", "email": "carol@acme-demo.com", "name": "Carol Consultant"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_alice", "org_id": "org_acme", "roles": ["owner"], "status": "active", "joined_at": "2026-01-05T09:00:00Z"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_bob", "org_id": "org_globex", "roles": ["admin"], "status": "active", "joined_at": "2026-02-11T10:30:00Z"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_carol", "org_id": "org_acme", "roles": ["member"], "status": "active"}},
        {"op": "upsert_membership", "membership": {"user_id": "u_carol", "org_id": "org_globex", "roles": ["viewer"], "status": "active"}}
    ]});
    Ok(serde_json::from_value::<ChangeSet>(changes)?.changes)
}

/// Seeds the demo into an empty directory; returns the demo SCIM token (shown only now), or
/// `None` when the directory already holds records.
pub async fn seed(state: &AppState) -> ApiResult<Option<String>> {
    if state.engine.snapshot().stats().orgs > 0 {
        return Ok(None);
    }
    let minted = crate::call::call(
        &state.engine,
        "scim_mint_token",
        &json!({"random": ids::token_randomness()?}),
    )?;
    let field = |key: &str| {
        minted
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_string()
    };
    let changes = demo_changes(&field("sha256")).map_err(|e| {
        crate::error::ApiError::new(
            orgkit::ErrorCode::Internal,
            format!("the demo directory: {e}"),
        )
    })?;
    let actor = Actor {
        kind: "system".into(),
        id: "demo-seed".into(),
        display: None,
    };
    let mut write = Write::begin(state).await?;
    write
        .apply_audited(&changes, &change_audit(actor, Default::default())?)
        .await?;
    write.commit().await?;
    Ok(Some(field("token")))
}

/// The example requests printed at start.
pub fn examples(state: &AppState, scim_token: Option<&str>) -> ApiResult<String> {
    let url = &state.public_url;
    let now = clock::now();
    let alice = state
        .key
        .mint(USER_ISSUER, "u_alice", None, now, 8 * 3600)?;
    let carol = state
        .key
        .mint(USER_ISSUER, "u_carol", None, now, 8 * 3600)?;
    let staff = state
        .key
        .mint(STAFF_ISSUER, "staff_sam", None, now, 8 * 3600)?;
    let scim = scim_token.map_or_else(
        || "# (the demo SCIM token was printed when the demo was first seeded; mint another with POST /v1/admin/scim/tokens)".to_string(),
        |token| format!("SCIM={token}   # org_acme's SCIM token: shown once"),
    );
    Ok(format!(
        "\
orgkit demo: orgs acme (acme-demo.com, SAML, SCIM), globex (globex-demo.io, OIDC), initech (pending domain)
Admin portal: {url}/admin   OpenAPI: {url}/openapi.json

ALICE={alice}   # owner of org_acme (8 h)
CAROL={carol}   # member of acme and viewer of globex: picks an org
STAFF={staff}   # platform staff
{scim}

curl -s {url}/v1/discovery -H 'content-type: application/json' -d '{{\"email\":\"alice@acme-demo.com\"}}'
curl -s {url}/v1/authorize -H \"authorization: Bearer $ALICE\" -H 'content-type: application/json' \\
  -d '{{\"action\":\"sso.configure\",\"resource\":{{\"type\":\"SsoConnection\",\"id\":\"conn_acme_saml\"}}}}'
curl -s {url}/v1/session -H \"authorization: Bearer $CAROL\" -H 'x-orgkit-org: org_globex'
curl -s {url}/v1/admin/domains -H \"authorization: Bearer $ALICE\"
curl -s -X POST {url}/v1/admin/domains -H \"authorization: Bearer $ALICE\" -H 'content-type: application/json' -d '{{\"domain\":\"acme-labs.example\"}}'
curl -s -X POST {url}/scim/v2/Users -H \"authorization: Bearer $SCIM\" -H 'content-type: application/scim+json' \\
  -d '{{\"schemas\":[\"urn:ietf:params:scim:schemas:core:2.0:User\"],\"userName\":\"dave@acme-demo.com\",\"emails\":[{{\"value\":\"dave@acme-demo.com\",\"primary\":true}}]}}'
curl -s '{url}/scim/v2/Users?filter=userName%20sw%20%22dave%22' -H \"authorization: Bearer $SCIM\"
curl -s '{url}/v1/admin/audit/events?actions=scim.*' -H \"authorization: Bearer $ALICE\"
curl -s -X POST {url}/v1/admin/support-grants -H \"authorization: Bearer $ALICE\" -H 'content-type: application/json' \\
  -d '{{\"staff_id\":\"staff_sam\",\"reason\":\"ticket 4711\",\"actions\":[\"audit.read\",\"users.read\"],\"expires_at\":{expires}}}'
curl -s {url}/v1/support/orgs/org_acme/audit/events -H \"authorization: Bearer $STAFF\"
",
        expires = now + 3600,
    ))
}
