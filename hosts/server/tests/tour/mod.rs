//! Every route once, successfully, on the demo data: each exchange is checked against the
//! OpenAPI document by the test client (`common::contract`), and every route of the document
//! must have been checked so.

use crate::common::{backends, contract::contract, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

/// Sends a request and asserts its status.
async fn expect(
    server: &TestServer,
    status: StatusCode,
    method: &str,
    path: &str,
    token: Option<&str>,
    body: Option<Value>,
) -> Value {
    let (got, _, body) = server.send(method, path, token, &[], body).await;
    assert_eq!(got, status, "{method} {path}: {body}");
    body
}

async fn scim(
    server: &TestServer,
    status: StatusCode,
    method: &str,
    path: &str,
    body: Option<Value>,
) -> Value {
    let (got, _, body) = server.scim(method, path, &[], body).await;
    assert_eq!(got, status, "SCIM {method} {path}: {body}");
    body
}

const OK: StatusCode = StatusCode::OK;
const CREATED: StatusCode = StatusCode::CREATED;
const GONE: StatusCode = StatusCode::NO_CONTENT;

async fn login_session_and_authorization(server: &TestServer) {
    expect(server, OK, "GET", "/healthz", None, None).await;
    expect(
        server,
        OK,
        "POST",
        "/v1/discovery",
        None,
        Some(json!({"email": "alice@acme-demo.com"})),
    )
    .await;
    expect(server, OK, "GET", "/v1/branding?slug=acme", None, None).await;
    let alice = server.token("u_alice", None);
    expect(server, OK, "GET", "/v1/session", Some(&alice), None).await;
    let carol = server.token("u_carol", None);
    expect(
        server,
        OK,
        "POST",
        "/v1/session/switch",
        Some(&carol),
        Some(json!({"org_id": "org_globex"})),
    )
    .await;
    let check = json!({"action": "sso.configure", "resource": {"type": "SsoConnection", "id": "conn_acme_saml"}, "context": {}});
    expect(
        server,
        OK,
        "POST",
        "/v1/authorize",
        Some(&alice),
        Some(check.clone()),
    )
    .await;
    expect(
        server,
        OK,
        "POST",
        "/v1/check",
        Some(&alice),
        Some(check.clone()),
    )
    .await;
    let unknown =
        json!({"action": "no.such.action", "resource": {"type": "Organization", "id": "org_acme"}});
    expect(
        server,
        OK,
        "POST",
        "/v1/authorize/batch",
        Some(&alice),
        Some(json!({"requests": [check, unknown]})),
    )
    .await;
    let resource = json!({"resource": {"type": "Organization", "id": "org_acme"}});
    expect(
        server,
        OK,
        "POST",
        "/v1/allowed-actions",
        Some(&alice),
        Some(resource),
    )
    .await;
}

async fn admin(server: &TestServer) {
    let alice = server.token("u_alice", None);
    let alice = Some(alice.as_str());
    expect(server, OK, "GET", "/v1/admin/org", alice, None).await;

    expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/domains",
        alice,
        Some(json!({"domain": "tour.example", "include_subdomains": true})),
    )
    .await;
    expect(server, OK, "GET", "/v1/admin/domains", alice, None).await;
    expect(
        server,
        OK,
        "POST",
        "/v1/admin/domains/tour.example/verify",
        alice,
        None,
    )
    .await;
    expect(
        server,
        GONE,
        "DELETE",
        "/v1/admin/domains/tour.example",
        alice,
        None,
    )
    .await;

    let connection = json!({"name": "Tour", "protocol": "oidc", "status": "draft", "oidc": {"issuer": "https://idp.tour.example", "client_id": "tour", "scopes": ["openid"]}});
    let created = expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/sso-connections",
        alice,
        Some(connection),
    )
    .await;
    let path = format!(
        "/v1/admin/sso-connections/{}",
        created["id"].as_str().unwrap()
    );
    expect(server, OK, "GET", "/v1/admin/sso-connections", alice, None).await;
    let mut shown = expect(server, OK, "GET", &path, alice, None).await;
    shown["status"] = json!("disabled");
    expect(server, OK, "PUT", &path, alice, Some(shown)).await;
    expect(server, GONE, "DELETE", &path, alice, None).await;

    let minted = expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/scim/tokens",
        alice,
        None,
    )
    .await;
    expect(server, OK, "GET", "/v1/admin/scim/tokens", alice, None).await;
    let path = format!("/v1/admin/scim/tokens/{}", minted["id"].as_str().unwrap());
    expect(server, GONE, "DELETE", &path, alice, None).await;

    expect(
        server,
        OK,
        "PUT",
        "/v1/admin/roles/tourist",
        alice,
        Some(json!({"name": "Tourist", "permissions": ["org.read"]})),
    )
    .await;
    expect(server, OK, "GET", "/v1/admin/roles", alice, None).await;
    expect(
        server,
        GONE,
        "DELETE",
        "/v1/admin/roles/tourist",
        alice,
        None,
    )
    .await;

    expect(server, OK, "GET", "/v1/admin/branding", alice, None).await;
    expect(
        server,
        OK,
        "PUT",
        "/v1/admin/branding",
        alice,
        Some(json!({"primary_color": "#123456", "login_title": "Tour"})),
    )
    .await;

    // Bob is invited into Acme and accepts; a second invitation is revoked.
    let invited = expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/invitations",
        alice,
        Some(json!({"email": "bob@globex-demo.io", "roles": ["member"]})),
    )
    .await;
    let bob = server.token("u_bob", None);
    let accept = format!("/v1/invitations/{}/accept", invited["id"].as_str().unwrap());
    expect(server, OK, "POST", &accept, Some(&bob), None).await;
    let other = expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/invitations",
        alice,
        Some(json!({"email": "tourist@acme-demo.com"})),
    )
    .await;
    expect(server, OK, "GET", "/v1/admin/invitations", alice, None).await;
    let path = format!("/v1/admin/invitations/{}", other["id"].as_str().unwrap());
    expect(server, GONE, "DELETE", &path, alice, None).await;

    expect(server, OK, "GET", "/v1/admin/members", alice, None).await;
    expect(server, OK, "GET", "/v1/admin/members/u_bob", alice, None).await;
    expect(
        server,
        OK,
        "PATCH",
        "/v1/admin/members/u_bob",
        alice,
        Some(json!({"roles": ["viewer"], "status": "active"})),
    )
    .await;
    expect(
        server,
        GONE,
        "DELETE",
        "/v1/admin/members/u_bob",
        alice,
        None,
    )
    .await;

    // A grant lets staff read the log and the members, then is revoked.
    let expires = orgkit_server::clock::now() + 600;
    let grant = json!({"staff_id": "staff_sam", "reason": "tour", "actions": ["audit.read", "users.read"], "expires_at": expires});
    let given = expect(
        server,
        CREATED,
        "POST",
        "/v1/admin/support-grants",
        alice,
        Some(grant),
    )
    .await;
    expect(server, OK, "GET", "/v1/admin/support-grants", alice, None).await;
    let staff = server.staff("staff_sam");
    expect(
        server,
        OK,
        "GET",
        "/v1/support/orgs/org_acme/audit/events?limit=5",
        Some(&staff),
        None,
    )
    .await;
    expect(
        server,
        OK,
        "GET",
        "/v1/support/orgs/org_acme/members",
        Some(&staff),
        None,
    )
    .await;
    let path = format!(
        "/v1/admin/support-grants/{}",
        given["grant"]["id"].as_str().unwrap()
    );
    expect(server, GONE, "DELETE", &path, alice, None).await;

    expect(server, OK, "GET", "/v1/admin/audit/events", alice, None).await;
    for format in ["jsonl", "csv", "cloudevents"] {
        let path = format!("/v1/admin/audit/export?format={format}");
        expect(server, OK, "GET", &path, alice, None).await;
    }
    expect(server, OK, "GET", "/v1/admin/audit/verify", alice, None).await;
    expect(server, OK, "GET", "/admin", None, None).await;
    expect(server, OK, "GET", "/openapi.json", None, None).await;
}

async fn scim_routes(server: &TestServer) {
    const USER: &str = "urn:ietf:params:scim:schemas:core:2.0:User";
    const GROUP: &str = "urn:ietf:params:scim:schemas:core:2.0:Group";
    const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    const PATCH: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
    let user = json!({"schemas": [USER], "userName": "tour@acme-demo.com", "externalId": "t-1",
        "name": {"givenName": "Tour", "familyName": "Ist"},
        "emails": [{"value": "tour@acme-demo.com", "type": "work", "primary": true}], "active": true});
    let created = scim(server, CREATED, "POST", "/Users", Some(user.clone())).await;
    let path = format!("/Users/{}", created["id"].as_str().unwrap());
    scim(
        server,
        OK,
        "GET",
        "/Users?filter=userName%20sw%20%22tour%22",
        None,
    )
    .await;
    let search = json!({"schemas": [SEARCH], "filter": "userName sw \"tour\"", "count": 5});
    scim(server, OK, "POST", "/Users/.search", Some(search.clone())).await;
    scim(server, OK, "GET", &path, None).await;
    let (status, _, _) = server
        .scim("GET", &path, &[("if-none-match", "W/\"1\"")], None)
        .await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    let mut replaced = user;
    replaced["displayName"] = json!("Tour Ist");
    scim(server, OK, "PUT", &path, Some(replaced)).await;
    let patch = json!({"schemas": [PATCH], "Operations": [{"op": "replace", "path": "active", "value": false}]});
    scim(server, OK, "PATCH", &path, Some(patch)).await;

    let group = json!({"schemas": [GROUP], "displayName": "Tour group", "members": [{"value": created["id"]}]});
    let made = scim(server, CREATED, "POST", "/Groups", Some(group.clone())).await;
    let group_path = format!("/Groups/{}", made["id"].as_str().unwrap());
    scim(server, OK, "GET", "/Groups", None).await;
    let by_name = json!({"schemas": [SEARCH], "filter": "displayName sw \"Tour\""});
    scim(server, OK, "POST", "/Groups/.search", Some(by_name)).await;
    scim(server, OK, "GET", &group_path, None).await;
    let mut renamed = group;
    renamed["displayName"] = json!("Tour group 2");
    scim(server, OK, "PUT", &group_path, Some(renamed)).await;
    let patch = json!({"schemas": [PATCH], "Operations": [{"op": "add", "path": "members", "value": [{"value": created["id"]}]}]});
    scim(server, OK, "PATCH", &group_path, Some(patch)).await;
    let both = json!({"schemas": [SEARCH], "filter": "userName sw \"tour\" or displayName sw \"Tour\"", "sortBy": "displayName"});
    scim(server, OK, "POST", "/.search", Some(both)).await;
    scim(server, GONE, "DELETE", &group_path, None).await;
    scim(server, GONE, "DELETE", &path, None).await;

    scim(server, OK, "GET", "/ServiceProviderConfig", None).await;
    scim(server, OK, "GET", "/ResourceTypes", None).await;
    scim(server, OK, "GET", "/ResourceTypes/Group", None).await;
    scim(server, OK, "GET", "/Schemas", None).await;
    scim(
        server,
        OK,
        "GET",
        "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User",
        None,
    )
    .await;
}

#[tokio::test]
async fn every_route_answers_as_the_openapi_document_says() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        login_session_and_authorization(&server).await;
        admin(&server).await;
        scim_routes(&server).await;
        let checked = server.checked.lock().unwrap().clone();
        let missing: Vec<String> = contract()
            .routes()
            .into_iter()
            .filter(|route| !checked.contains(route))
            .collect();
        assert!(
            missing.is_empty(),
            "{}: routes never checked: {missing:?}",
            backend.name()
        );
        server.stop().await;
    }
}

#[test]
fn every_route_declares_its_success_bodies() {
    let document = contract().document();
    for route in contract().routes() {
        let (method, path) = route.split_once(' ').unwrap();
        let responses = contract().operation(method, path)["responses"]
            .as_object()
            .unwrap();
        let success: Vec<(&String, &Value)> = responses
            .iter()
            .filter(|(status, _)| status.starts_with('2'))
            .collect();
        assert!(!success.is_empty(), "{route}: no success response");
        for (status, response) in success {
            match response.get("content") {
                None => assert_eq!(status, "204", "{route}: {status} without a body"),
                Some(content) => {
                    for (media, body) in content.as_object().unwrap() {
                        let reference = body["schema"]["$ref"].as_str().unwrap_or_else(|| {
                            panic!("{route} {status} {media}: not a component schema")
                        });
                        let name = reference.trim_start_matches("#/components/schemas/");
                        let schema = &document["components"]["schemas"][name];
                        assert!(schema.is_object(), "{route}: no schema {name}");
                        assert_ne!(
                            schema,
                            &json!({"type": "object"}),
                            "{route} {status}: a generic schema"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn the_contract_refuses_what_breaks_the_document() {
    let refused = |method: &str, path: &str, request: Option<Value>, status: u16, body: &str| {
        let request = request.map(|r| ("application/json", r));
        std::panic::catch_unwind(|| {
            contract().check(
                method,
                path,
                request.as_ref().map(|(m, r)| (*m, r)),
                status,
                Some("application/json"),
                body,
            )
        })
        .is_err()
    };
    let health = r#"{"status":"ok","directory":{"version":1,"orgs":1,"domains":1,"connections":0,"users":0,"memberships":0,"quarantined_orgs":0}}"#;
    assert!(!refused("GET", "/healthz", None, 200, health));
    assert!(
        refused("GET", "/healthz?x=1", None, 200, r#"{"status":"ok"}"#),
        "a field missing"
    );
    assert!(
        refused("GET", "/healthz", None, 201, health),
        "an undeclared status"
    );
    assert!(
        refused("DELETE", "/v1/admin/roles/x", None, 204, "{}"),
        "a body where none is declared"
    );
    let discovery = Some(json!({"email": "a@b.example", "extra": 1}));
    assert!(
        refused("POST", "/v1/discovery", discovery, 200, "{}"),
        "a request field unknown"
    );
    let member = r#"{"user_id":"u","email":null,"name":null,"roles":[],"status":"gone","joined_at":null,"authenticated_via":null}"#;
    assert!(
        refused("GET", "/v1/admin/members/u", None, 200, member),
        "a value outside its enum"
    );
    // Errors are checked against the error schema, not the success ones.
    let error = r#"{"error":{"code":"internal","message":"oops"}}"#;
    assert!(!refused("GET", "/healthz", None, 500, error));
    assert!(
        refused("GET", "/healthz", None, 500, r#"{"code":"internal"}"#),
        "not an error body"
    );
}
