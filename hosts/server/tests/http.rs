//! The server over real HTTP, on SQLite and (with `ORGKIT_TEST_POSTGRES_URL`) PostgreSQL:
//! discovery, authorization, sessions, the admin API with its audit trail, SCIM, audit reads,
//! support grants, and the OpenAPI document against the router; every successful exchange is
//! checked against the document's schemas, and `tour` checks every route so.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
mod tour;

use common::{backends, check_invariants, TestServer};
use reqwest::StatusCode;
use serde_json::{json, Value};

fn actions(events: &Value) -> Vec<String> {
    events["events"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["action"].as_str().unwrap().to_string())
        .collect()
}

#[tokio::test]
async fn discovery_routes_by_verified_domain_with_branding() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let (status, body) = server
            .post(
                "/v1/discovery",
                None,
                json!({"email": "Alice@ACME-demo.com"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{}: {body}", backend.name());
        assert_eq!(body["route"]["decision"], "sso");
        assert_eq!(body["route"]["connection"]["id"], "conn_acme_saml");
        assert_eq!(
            body["branding"]["branding"]["login_title"],
            "Sign in to Acme"
        );
        let (_, body) = server
            .post(
                "/v1/discovery",
                None,
                json!({"email": "x@initech-demo.net"}),
            )
            .await;
        assert_eq!(
            body["route"]["decision"], "default_login",
            "pending domains never route"
        );
        let (status, body) = server
            .post("/v1/discovery", None, json!({"email": "not an email"}))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["error"]["code"], "invalid_email");
        let (status, _, body) = server
            .send("GET", "/v1/branding?slug=globex", None, &[], None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["branding"]["primary_color"], "#1f6feb");
        server.stop().await;
    }
}

#[tokio::test]
async fn authorization_uses_the_session_for_principal_and_org() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let alice = server.token("u_alice", None);
        let ask = |action: &str, kind: &str, id: &str| json!({"action": action, "resource": {"type": kind, "id": id}});
        let (status, body) = server
            .post(
                "/v1/authorize",
                Some(&alice),
                ask("sso.configure", "SsoConnection", "conn_acme_saml"),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["decision"], "allow");
        // Another org's connection: the engine's org boundary.
        let (_, body) = server
            .post(
                "/v1/authorize",
                Some(&alice),
                ask("sso.configure", "SsoConnection", "conn_globex_oidc"),
            )
            .await;
        assert_eq!(body["decision"], "deny");
        // The same questions through /v1/check: the same decisions and policies, no event.
        for (connection, decision) in [("conn_acme_saml", "allow"), ("conn_globex_oidc", "deny")] {
            let question = ask("sso.configure", "SsoConnection", connection);
            let (_, authorized) = server
                .post("/v1/authorize", Some(&alice), question.clone())
                .await;
            let (status, checked) = server.post("/v1/check", Some(&alice), question).await;
            assert_eq!(status, StatusCode::OK, "{checked}");
            assert_eq!(checked["decision"], decision);
            assert_eq!(checked["policies"], authorized["policies"]);
            assert_eq!(checked.as_object().unwrap().len(), 3, "{checked}");
        }
        // The session and the host decide these; a body naming one is refused as the API's
        // JSON error, with the field as its path (not axum's plain-text answer).
        for (field, value) in [
            ("principal", json!({"user": "u_bob"})),
            ("active_org", json!("org_globex")),
            ("now", json!(0)),
            ("grant", json!({})),
        ] {
            let mut question = ask("org.read", "Organization", "org_acme");
            question[field] = value;
            for route in ["/v1/check", "/v1/authorize"] {
                let (status, body) = server.post(route, Some(&alice), question.clone()).await;
                assert_eq!(status, StatusCode::BAD_REQUEST, "{route} {body}");
                assert_eq!(body["error"]["code"], "invalid_input", "{route}");
                assert_eq!(body["error"]["path"], field, "{route}");
            }
        }
        let (status, body) = server
            .post("/v1/check", Some(&alice), json!("not an object"))
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_input");
        let plain = [("content-type", "text/plain")];
        let (status, _, body) = server
            .send("POST", "/v1/check", Some(&alice), &plain, None)
            .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        assert_eq!(body["error"]["code"], "unsupported_media_type");
        let carol = server.token("u_carol", None);
        let (status, body) = server
            .post(
                "/v1/authorize",
                Some(&carol),
                ask("org.read", "Organization", "org_acme"),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "{body}");
        assert_eq!(body["error"]["reason"], "organization_selection_required");
        assert_eq!(body["error"]["candidates"].as_array().unwrap().len(), 2);
        let (_, _, body) = server
            .send(
                "POST",
                "/v1/authorize/batch",
                Some(&carol),
                &[("x-orgkit-org", "org_globex")],
                Some(json!({"requests": [
                    {"action": "branding.read", "resource": {"type": "Organization", "id": "org_globex"}},
                    {"action": "sso.configure", "resource": {"type": "Organization", "id": "org_globex"}},
                    {"action": "no.such.action", "resource": {"type": "Organization", "id": "org_globex"}}
                ]})),
            )
            .await;
        assert_eq!(body[0]["ok"]["decision"], "allow", "{body}");
        assert_eq!(body[1]["ok"]["decision"], "deny");
        assert_eq!(body[2]["error"]["code"], "unknown_action");
        let (_, body) = server
            .post(
                "/v1/allowed-actions",
                Some(&alice),
                json!({"resource": {"type": "Organization", "id": "org_acme"}}),
            )
            .await;
        assert!(
            body["actions"]
                .as_array()
                .unwrap()
                .contains(&json!("roles.manage")),
            "{body}"
        );
        let (status, body) = server
            .post(
                "/v1/authorize",
                Some("not.a.token"),
                ask("org.read", "Organization", "org_acme"),
            )
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["error"]["code"], "invalid_token");
        server.stop().await;
    }
}

#[tokio::test]
async fn org_switch_signs_a_bound_token_and_audits_it() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let carol = server.token("u_carol", None);
        let (status, body) = server
            .post(
                "/v1/session/switch",
                Some(&carol),
                json!({"org_id": "org_globex"}),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let bound = body["token"].as_str().unwrap().to_string();
        let session = server.get_ok("/v1/session", &bound).await;
        assert_eq!(session["org_id"], "org_globex");
        assert_eq!(session["membership"]["roles"], json!(["viewer"]));
        let (status, _, body) = server
            .send(
                "GET",
                "/v1/session",
                Some(&bound),
                &[("x-orgkit-org", "org_acme")],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["reason"], "org_mismatch");
        let bob = server.token("u_bob", None);
        let log = server
            .get_ok("/v1/admin/audit/events?actions=session.*", &bob)
            .await;
        assert_eq!(actions(&log), ["session.org_switched"]);
        server.stop().await;
    }
}

#[tokio::test]
async fn domains_are_verified_by_their_dns_txt_challenge() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let alice = server.token("u_alice", None);
        let (status, claimed) = server
            .post(
                "/v1/admin/domains",
                Some(&alice),
                json!({"domain": "Acme-Labs.example"}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{claimed}");
        assert_eq!(claimed["domain"], "acme-labs.example");
        assert_eq!(claimed["verification"], "pending");
        let name = claimed["challenge"]["name"].as_str().unwrap().to_string();
        let value = claimed["challenge"]["value"].as_str().unwrap().to_string();
        assert_eq!(name, "_orgkit-challenge.acme-labs.example");
        let (status, _) = server
            .post(
                "/v1/admin/domains",
                Some(&alice),
                json!({"domain": "acme-labs.example"}),
            )
            .await;
        assert_eq!(status, StatusCode::CONFLICT);
        // No record yet: the check fails.
        let (_, _, body) = server
            .send(
                "POST",
                "/v1/admin/domains/acme-labs.example/verify",
                Some(&alice),
                &[],
                None,
            )
            .await;
        assert_eq!(body["verification"], "failed", "{body}");
        server.dns.publish(&name, "some other text");
        server.dns.publish(&name, &value);
        let (status, _, body) = server
            .send(
                "POST",
                "/v1/admin/domains/acme-labs.example/verify",
                Some(&alice),
                &[],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["verification"], "verified");
        let (_, route) = server
            .post(
                "/v1/discovery",
                None,
                json!({"email": "x@acme-labs.example"}),
            )
            .await;
        assert_eq!(
            route["route"]["org"]["id"], "org_acme",
            "a verified domain routes: {route}"
        );
        // Consumer domains are refused by the engine.
        let (status, body) = server
            .post(
                "/v1/admin/domains",
                Some(&alice),
                json!({"domain": "gmail.com"}),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["error"]["code"], "invalid_change");
        // Bob admins Globex only: Acme's domains are out of reach, his own are not.
        let bob = server.token("u_bob", None);
        let status = server
            .status("DELETE", "/v1/admin/domains/acme-labs.example", Some(&bob))
            .await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        let status = server
            .status(
                "DELETE",
                "/v1/admin/domains/acme-labs.example",
                Some(&alice),
            )
            .await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let log = server
            .get_ok("/v1/admin/audit/events?actions=org.domain.*", &alice)
            .await;
        assert_eq!(
            actions(&log),
            [
                "org.domain.added",
                "org.domain.updated",
                "org.domain.updated",
                "org.domain.removed"
            ]
        );
        check_invariants(&server.state).await;
        server.stop().await;
    }
}

#[tokio::test]
async fn sso_connections_use_etags_and_admin_delegation() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let bob = server.token("u_bob", None);
        let (status, headers, created) = server
            .send(
                "POST",
                "/v1/admin/sso-connections",
                Some(&bob),
                &[],
                Some(json!({"protocol": "saml", "status": "draft",
                    "saml": {"idp_entity_id": "urn:globex:idp", "sso_url": "https://idp.globex-demo.example/sso"}})),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{created}");
        let id = created["id"].as_str().unwrap().to_string();
        let etag = headers["etag"].to_str().unwrap().to_string();
        let path = format!("/v1/admin/sso-connections/{id}");
        let mut update = created.clone();
        update["status"] = json!("active");
        let (status, _, body) = server
            .send(
                "PUT",
                &path,
                Some(&bob),
                &[("if-match", "W/\"1\"")],
                Some(update.clone()),
            )
            .await;
        assert_eq!(
            status,
            StatusCode::PRECONDITION_FAILED,
            "a stale ETag: {body}"
        );
        assert_eq!(body["error"]["code"], "precondition_failed");
        let (status, headers, body) = server
            .send(
                "PUT",
                &path,
                Some(&bob),
                &[("if-match", &etag)],
                Some(update),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_ne!(headers["etag"].to_str().unwrap(), etag);
        // An invalid record is the engine's error, with its path; nothing is stored.
        let (status, _, body) = server
            .send(
                "PUT",
                &path,
                Some(&bob),
                &[],
                Some(json!({"protocol": "oidc", "status": "active"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        // Carol is a viewer in Globex: the engine denies, and the deny is in the log.
        let carol = server.token("u_carol", Some("org_globex"));
        let (status, _, body) = server.send("DELETE", &path, Some(&carol), &[], None).await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["reason"], "denied");
        let status = server.status("DELETE", &path, Some(&bob)).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let log = server
            .get_ok("/v1/admin/audit/events?actions=org.sso_connection.*,authz.decision&outcomes=deny,success", &bob)
            .await;
        assert_eq!(
            actions(&log),
            [
                "org.sso_connection.created",
                "org.sso_connection.updated",
                "authz.decision",
                "org.sso_connection.deleted"
            ]
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn scim_tokens_roles_branding_members_and_invitations() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let alice = server.token("u_alice", None);
        // A minted token works at once and is never shown again.
        let (status, _, minted) = server
            .send("POST", "/v1/admin/scim/tokens", Some(&alice), &[], None)
            .await;
        assert_eq!(status, StatusCode::CREATED);
        let token = minted["token"].as_str().unwrap();
        let status = server.status("GET", "/scim/v2/Users", Some(token)).await;
        assert_eq!(status, StatusCode::OK);
        let listed = server.get_ok("/v1/admin/scim/tokens", &alice).await;
        assert!(!listed.to_string().contains(token));
        let path = format!("/v1/admin/scim/tokens/{}", minted["id"].as_str().unwrap());
        assert_eq!(
            server.status("DELETE", &path, Some(&alice)).await,
            StatusCode::NO_CONTENT
        );
        let status = server.status("GET", "/scim/v2/Users", Some(token)).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "a revoked token");

        let (status, _, body) = server
            .send(
                "PUT",
                "/v1/admin/roles/auditor",
                Some(&alice),
                &[],
                Some(json!({"name": "Auditor", "permissions": ["audit.read", "org.read"]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let (status, headers, _) = server
            .send("GET", "/v1/admin/branding", Some(&alice), &[], None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let etag = headers["etag"].to_str().unwrap().to_string();
        let (status, _, body) = server
            .send(
                "PUT",
                "/v1/admin/branding",
                Some(&alice),
                &[("if-match", &etag)],
                Some(json!({"primary_color": "not a colour"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        let (status, _, body) = server
            .send(
                "PUT",
                "/v1/admin/branding",
                Some(&alice),
                &[("if-match", &etag)],
                Some(json!({"primary_color": "#112233", "login_title": "Acme SSO"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert_eq!(body["branding"]["login_title"], "Acme SSO");

        // Carol gets the custom role; then she is suspended and can do nothing.
        let (status, headers, _) = server
            .send("GET", "/v1/admin/members/u_carol", Some(&alice), &[], None)
            .await;
        assert_eq!(status, StatusCode::OK);
        let etag = headers["etag"].to_str().unwrap().to_string();
        let (status, _, body) = server
            .send(
                "PATCH",
                "/v1/admin/members/u_carol",
                Some(&alice),
                &[("if-match", &etag)],
                Some(json!({"roles": ["auditor"]})),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let carol = server.token("u_carol", Some("org_acme"));
        server
            .get_ok("/v1/admin/audit/events?limit=1", &carol)
            .await;
        let (status, _, _) = server
            .send(
                "PATCH",
                "/v1/admin/members/u_carol",
                Some(&alice),
                &[("if-match", &etag)],
                Some(json!({"status": "suspended"})),
            )
            .await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED);
        let (status, _, _) = server
            .send(
                "PATCH",
                "/v1/admin/members/u_carol",
                Some(&alice),
                &[],
                Some(json!({"status": "suspended"})),
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, body) = server
            .send("GET", "/v1/session", Some(&carol), &[], None)
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        assert_eq!(body["error"]["reason"], "membership_suspended");

        // An invitation: the invitee accepts with their own session, nobody else can.
        let (status, invitation) = server
            .post(
                "/v1/admin/invitations",
                Some(&alice),
                json!({"email": "Bob@Globex-demo.io", "roles": ["member"]}),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{invitation}");
        assert_eq!(
            invitation["user_id"], "u_bob",
            "an existing user is invited by email"
        );
        let accept = format!(
            "/v1/invitations/{}/accept",
            invitation["id"].as_str().unwrap()
        );
        let status = server.status("POST", &accept, Some(&carol)).await;
        assert_eq!(status, StatusCode::FORBIDDEN, "not the invitee");
        let bob = server.token("u_bob", None);
        let (status, _, body) = server.send("POST", &accept, Some(&bob), &[], None).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        let members = server.get_ok("/v1/admin/members", &alice).await;
        let bob_in_acme = members["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["user_id"] == "u_bob")
            .unwrap()
            .clone();
        assert_eq!(bob_in_acme["status"], "active");
        let log = server
            .get_ok(
                "/v1/admin/audit/events?actions=org.member.*,org.invitation.*,org.updated",
                &alice,
            )
            .await;
        assert_eq!(
            actions(&log),
            [
                // The demo seed's two members, then this test's changes.
                "org.member.added",
                "org.member.added",
                "org.updated",
                "org.updated",
                "org.updated",
                "org.updated",
                "org.member.updated",
                "org.member.updated",
                "org.member.added",
                "org.member.updated",
                "org.invitation.accepted",
            ]
        );
        let verdict = server.get_ok("/v1/admin/audit/verify", &alice).await;
        assert_eq!(verdict["valid"], true, "{verdict}");
        server.stop().await;
    }
}

#[tokio::test]
async fn audit_export_and_support_grants() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let alice = server.token("u_alice", None);
        let staff = server.staff("staff_sam");
        let (status, _, body) = server
            .send(
                "GET",
                "/v1/support/orgs/org_acme/audit/events",
                Some(&staff),
                &[],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "no grant yet: {body}");
        let (status, _, body) = server
            .send(
                "GET",
                "/v1/support/orgs/org_acme/audit/events",
                Some(&alice),
                &[],
                None,
            )
            .await;
        assert_eq!(
            status,
            StatusCode::FORBIDDEN,
            "a user token is no staff token: {body}"
        );
        let expires = orgkit_server::clock::now() + 600;
        let (status, grant) = server.post("/v1/admin/support-grants", Some(&alice), json!({"staff_id": "staff_sam", "reason": "ticket 4711", "actions": ["audit.read"], "expires_at": expires})).await;
        assert_eq!(status, StatusCode::CREATED, "{grant}");
        let log = server
            .get_ok(
                "/v1/support/orgs/org_acme/audit/events?actions=support.*",
                &staff,
            )
            .await;
        assert_eq!(actions(&log), ["support.access.granted"]);
        // The grant covers audit.read only; and never another org.
        let status = server
            .status("GET", "/v1/support/orgs/org_acme/members", Some(&staff))
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let status = server
            .status(
                "GET",
                "/v1/support/orgs/org_globex/audit/events",
                Some(&staff),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN);
        let revoke = format!(
            "/v1/admin/support-grants/{}",
            grant["grant"]["id"].as_str().unwrap()
        );
        assert_eq!(
            server.status("DELETE", &revoke, Some(&alice)).await,
            StatusCode::NO_CONTENT
        );
        let status = server
            .status(
                "GET",
                "/v1/support/orgs/org_acme/audit/events",
                Some(&staff),
            )
            .await;
        assert_eq!(status, StatusCode::FORBIDDEN, "a revoked grant");
        // The staff read is in the org's own log, with the staff member as actor.
        let log = server
            .get_ok(
                "/v1/admin/audit/events?actions=audit.log.queried&actors=staff_sam",
                &alice,
            )
            .await;
        assert_eq!(actions(&log), ["audit.log.queried"]);
        for (format, content_type) in [
            ("jsonl", "application/x-ndjson"),
            ("csv", "text/csv"),
            ("cloudevents", "application/cloudevents-batch+json"),
        ] {
            let response = server
                .client
                .get(format!(
                    "{}/v1/admin/audit/export?format={format}&actions=support.*",
                    server.url
                ))
                .bearer_auth(&alice)
                .send()
                .await
                .unwrap();
            assert_eq!(response.status(), StatusCode::OK);
            assert!(response.headers()["content-type"]
                .to_str()
                .unwrap()
                .starts_with(content_type));
            let text = response.text().await.unwrap();
            assert!(text.contains("support.access.revoked"), "{format}: {text}");
        }
        check_invariants(&server.state).await;
        server.stop().await;
    }
}

fn user(name: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
        "userName": name,
        "name": {"givenName": "Dave", "familyName": "Doe"},
        "emails": [{"value": name, "type": "work", "primary": true}],
        "active": true
    })
}

#[tokio::test]
async fn scim_users_and_groups_end_to_end() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let (status, headers, dave) = server
            .scim("POST", "/Users", &[], Some(user("dave@acme-demo.com")))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{dave}");
        let id = dave["id"].as_str().unwrap().to_string();
        assert_eq!(
            headers["location"].to_str().unwrap(),
            format!("{}/scim/v2/Users/{id}", server.url)
        );
        assert_eq!(dave["meta"]["version"], "W/\"1\"");
        let (status, _, body) = server
            .scim("POST", "/Users", &[], Some(user("DAVE@acme-demo.com")))
            .await;
        assert_eq!(
            status,
            StatusCode::CONFLICT,
            "userName is unique per org: {body}"
        );
        assert_eq!(body["scimType"], "uniqueness");
        server
            .scim("POST", "/Users", &[], Some(user("erin@acme-demo.com")))
            .await;

        let (_, _, list) = server
            .scim(
                "GET",
                "/Users?filter=userName%20sw%20%22dave%22&attributes=userName",
                &[],
                None,
            )
            .await;
        assert_eq!(list["totalResults"], 1, "{list}");
        assert!(
            list["Resources"][0].get("emails").is_none(),
            "projected: {list}"
        );
        let (_, _, list) = server.scim("GET", "/Users?filter=emails%20co%20%22acme%22&sortBy=userName&sortOrder=descending&count=1", &[], None).await;
        assert_eq!(list["totalResults"], 2);
        assert_eq!(list["itemsPerPage"], 1);
        assert_eq!(list["Resources"][0]["userName"], "erin@acme-demo.com");
        let (_, _, found) = server
            .scim("POST", "/Users/.search", &[], Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:SearchRequest"], "filter": "name.familyName eq \"doe\"", "startIndex": 2})))
            .await;
        assert_eq!(found["totalResults"], 2, "{found}");
        assert_eq!(found["itemsPerPage"], 1);
        let (status, _, body) = server
            .scim("GET", "/Users?filter=userName%20zz%20%22x%22", &[], None)
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST);
        assert_eq!(body["scimType"], "invalidFilter");

        // The user is an org member, with the mapping's default role.
        let alice = server.token("u_alice", None);
        let members = server.get_ok("/v1/admin/members", &alice).await;
        let member = members["members"]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == "dave@acme-demo.com")
            .unwrap()
            .clone();
        assert_eq!(member["roles"], json!(["member"]));
        let user_id = member["user_id"].as_str().unwrap().to_string();

        // A group named "Acme Admins" makes its members admins (the org's mapping).
        let (status, _, group) = server
            .scim("POST", "/Groups", &[], Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "Acme Admins", "members": [{"value": id}]})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{group}");
        let member = server
            .get_ok(&format!("/v1/admin/members/{user_id}"), &alice)
            .await;
        assert_eq!(member["roles"], json!(["admin"]), "{member}");
        let group_path = format!("/Groups/{}", group["id"].as_str().unwrap());
        let (status, _, _) = server
            .scim("PATCH", &group_path, &[], Some(json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "remove", "path": format!("members[value eq \"{id}\"]")}]})))
            .await;
        assert_eq!(status, StatusCode::OK);
        let member = server
            .get_ok(&format!("/v1/admin/members/{user_id}"), &alice)
            .await;
        assert_eq!(member["roles"], json!(["member"]));

        // ETags: a stale If-Match is refused; If-None-Match answers 304.
        let path = format!("/Users/{id}");
        let patch = json!({"schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], "Operations": [{"op": "replace", "path": "active", "value": false}]});
        let (status, headers, patched) = server
            .scim(
                "PATCH",
                &path,
                &[("if-match", "W/\"1\"")],
                Some(patch.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::OK, "{patched}");
        assert_eq!(headers["etag"], "W/\"2\"");
        let (status, _, body) = server
            .scim("PATCH", &path, &[("if-match", "W/\"1\"")], Some(patch))
            .await;
        assert_eq!(status, StatusCode::PRECONDITION_FAILED, "{body}");
        let (status, _, _) = server
            .scim("GET", &path, &[("if-none-match", "W/\"2\"")], None)
            .await;
        assert_eq!(status, StatusCode::NOT_MODIFIED);
        let member = server
            .get_ok(&format!("/v1/admin/members/{user_id}"), &alice)
            .await;
        assert_eq!(member["status"], "suspended", "active: false suspends");
        let mut replaced = user("dave@acme-demo.com");
        replaced["displayName"] = json!("Dave D.");
        let (status, _, body) = server.scim("PUT", &path, &[], Some(replaced)).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(body["displayName"], "Dave D.");
        let (status, _, _) = server.scim("DELETE", &path, &[], None).await;
        assert_eq!(status, StatusCode::NO_CONTENT);
        let (status, _, body) = server.scim("GET", &path, &[], None).await;
        assert_eq!(status, StatusCode::NOT_FOUND);
        assert_eq!(
            body["schemas"][0],
            "urn:ietf:params:scim:api:messages:2.0:Error"
        );
        let members = server.get_ok("/v1/admin/members", &alice).await;
        assert!(
            !members.to_string().contains(&user_id),
            "deleting the user removes the membership"
        );

        // Another org's token sees none of it.
        let bob = server.token("u_bob", None);
        let (_, _, minted) = server
            .send("POST", "/v1/admin/scim/tokens", Some(&bob), &[], None)
            .await;
        let (_, _, list) = server
            .send(
                "GET",
                "/scim/v2/Users",
                Some(minted["token"].as_str().unwrap()),
                &[],
                None,
            )
            .await;
        assert_eq!(list["totalResults"], 0);

        let log = server
            .get_ok("/v1/admin/audit/events?actions=scim.*", &alice)
            .await;
        assert_eq!(
            actions(&log),
            [
                "scim.user.created",
                "scim.user.created",
                "scim.group.created",
                "scim.group.patched",
                "scim.user.patched",
                "scim.user.replaced",
                "scim.user.deleted"
            ]
        );
        check_invariants(&server.state).await;
        server.stop().await;
    }
}

#[tokio::test]
async fn scim_root_search_lists_users_and_groups_together() {
    const SEARCH: &str = "urn:ietf:params:scim:api:messages:2.0:SearchRequest";
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let mut ids = Vec::new();
        for name in ["root-b@acme-demo.com", "Root-a@acme-demo.com"] {
            let (status, _, created) = server.scim("POST", "/Users", &[], Some(user(name))).await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
            ids.push(created["id"].as_str().unwrap().to_string());
        }
        let (status, _, group) = server
            .scim("POST", "/Groups", &[], Some(json!({"schemas": ["urn:ietf:params:scim:schemas:core:2.0:Group"], "displayName": "root group", "members": [{"value": ids[0]}]})))
            .await;
        assert_eq!(status, StatusCode::CREATED, "{group}");

        let (status, _, found) = server
            .scim("POST", "/.search", &[], Some(json!({"schemas": [SEARCH], "filter": "userName sw \"root\" or displayName sw \"root\"", "sortBy": "displayName"})))
            .await;
        assert_eq!(status, StatusCode::OK, "{found}");
        assert_eq!(found["totalResults"], 3, "{found}");
        let resources = found["Resources"].as_array().unwrap();
        assert_eq!(resources[0]["meta"]["resourceType"], "Group", "{found}");
        assert_eq!(
            resources[0]["meta"]["location"],
            format!(
                "{}/scim/v2/Groups/{}",
                server.url,
                group["id"].as_str().unwrap()
            )
        );
        let users: Vec<&Value> = resources[1..].iter().map(|r| &r["id"]).collect();
        assert_eq!(
            users,
            [&json!(ids[0]), &json!(ids[1])],
            "no displayName: last, in creation order"
        );
        assert!(resources[1..]
            .iter()
            .all(|r| r["meta"]["resourceType"] == "User"));

        let (_, _, users_only) = server
            .scim("POST", "/.search", &[], Some(json!({"schemas": [SEARCH], "filter": "userName sw \"ROOT\"", "sortBy": "userName", "sortOrder": "descending", "count": 1})))
            .await;
        assert_eq!(
            users_only["totalResults"], 2,
            "Groups have no userName: {users_only}"
        );
        assert_eq!(
            users_only["Resources"][0]["userName"],
            "root-b@acme-demo.com"
        );

        let (status, _, body) = server
            .scim(
                "POST",
                "/.search",
                &[],
                Some(json!({"schemas": [SEARCH], "sortBy": "emails"})),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(body["scimType"], "invalidValue");

        // A one-type list sorts by the same rules: userName is compared without case.
        for name in ["Zed-sort@acme-demo.com", "alpha-sort@acme-demo.com"] {
            let (status, _, created) = server.scim("POST", "/Users", &[], Some(user(name))).await;
            assert_eq!(status, StatusCode::CREATED, "{created}");
        }
        let (_, _, sorted) = server
            .scim(
                "GET",
                "/Users?filter=userName%20co%20%22-sort%40%22&sortBy=userName",
                &[],
                None,
            )
            .await;
        let names: Vec<&str> = sorted["Resources"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["userName"].as_str().unwrap())
            .collect();
        assert_eq!(
            names,
            ["alpha-sort@acme-demo.com", "Zed-sort@acme-demo.com"],
            "{sorted}"
        );
        let (_, _, body) = server
            .scim("GET", "/Groups?sortBy=userName", &[], None)
            .await;
        assert_eq!(
            body["scimType"], "invalidValue",
            "Groups have no userName: {body}"
        );
        server.stop().await;
    }
}

#[tokio::test]
async fn scim_discovery_and_protocol_errors() {
    for backend in backends().await {
        let server = TestServer::start(&backend).await;
        let (status, headers, config) = server
            .scim("GET", "/ServiceProviderConfig", &[], None)
            .await;
        assert_eq!(status, StatusCode::OK);
        assert!(headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("application/scim+json"));
        assert_eq!(config["patch"]["supported"], true);
        let (_, _, types) = server.scim("GET", "/ResourceTypes", &[], None).await;
        assert_eq!(types["totalResults"], 2);
        let (status, _, _) = server.scim("GET", "/ResourceTypes/User", &[], None).await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, _) = server
            .scim(
                "GET",
                "/Schemas/urn:ietf:params:scim:schemas:core:2.0:Group",
                &[],
                None,
            )
            .await;
        assert_eq!(status, StatusCode::OK);
        let (status, _, body) = server
            .send("GET", "/scim/v2/Users", Some("wrong"), &[], None)
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
        assert_eq!(body["status"], "401");
        let (status, _, _) = server.scim("GET", "/Me", &[], None).await;
        assert_eq!(status, StatusCode::NOT_IMPLEMENTED);
        let (status, _, body) = server.scim("GET", "/Elsewhere", &[], None).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{body}");
        let (status, _, _) = server.scim("DELETE", "/Users", &[], None).await;
        assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
        let (status, _, body) = server
            .send(
                "POST",
                "/scim/v2/Users",
                Some(&server.scim.clone()),
                &[("content-type", "text/plain")],
                Some(user("x@acme-demo.com")),
            )
            .await;
        assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{body}");
        server.stop().await;
    }
}

#[tokio::test]
async fn the_openapi_document_lists_every_route_of_the_router() {
    let (_, routes) = orgkit_server::routes::routes();
    let backend = common::sqlite();
    let server = TestServer::start(&backend).await;
    let (status, _, document) = server.send("GET", "/openapi.json", None, &[], None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(document["openapi"], "3.1.0");
    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, methods) in document["paths"].as_object().unwrap() {
        for method in methods.as_object().unwrap().keys() {
            documented.push((method.to_uppercase(), path.clone()));
        }
    }
    let mut routed: Vec<(String, String)> = routes
        .iter()
        .map(|r| (r.method.to_string(), r.path.to_string()))
        .collect();
    documented.sort();
    routed.sort();
    assert_eq!(documented, routed);
    // Every route is served: none answers with the router's "no route" 404.
    for (method, path) in &routed {
        let concrete = path
            .replace("{id}", "x")
            .replace("{domain}", "x.example")
            .replace("{key}", "x")
            .replace("{user_id}", "x")
            .replace("{org_id}", "x")
            .replace("{name}", "User");
        let (_, _, body) = server.send(method, &concrete, None, &[], None).await;
        assert!(
            !body.to_string().contains("no route for"),
            "{method} {path}: {body}"
        );
    }
    let (_, _, portal) = server.send("GET", "/admin", None, &[], None).await;
    assert!(portal.as_str().unwrap().contains("/v1/admin/org"));
    server.stop().await;
}
