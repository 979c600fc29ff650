//! The OpenAPI 3.1 document, generated from the route list the router is built from, with the
//! request and response bodies of `bodies.json` (one entry per route, and the component schemas
//! they name; the HTTP tests validate every successful exchange against them).

use super::{route, Auth, Route};
use serde_json::{json, Map, Value};
use std::sync::OnceLock;

/// The bodies of every route and the schemas they name, as JSON text.
pub const BODIES: &str = include_str!("bodies.json");

/// `bodies.json`, parsed once (`Null` if it were not JSON; a unit test proves it is).
fn bodies() -> &'static Value {
    static BODIES_JSON: OnceLock<Value> = OnceLock::new();
    BODIES_JSON.get_or_init(|| serde_json::from_str(BODIES).unwrap_or(Value::Null))
}

/// The key of a route in `bodies.json`: `METHOD path`.
pub fn body_key(route: &Route) -> String {
    format!("{} {}", route.method, route.path)
}

/// A reference to the component schema `name`.
fn schema_ref(name: &str) -> Value {
    json!({ "$ref": format!("#/components/schemas/{name}") })
}

/// The media type of a route's JSON bodies.
fn json_media(route: &Route) -> &'static str {
    if route.auth == Auth::ScimToken {
        "application/scim+json"
    } else {
        "application/json"
    }
}

/// The `content` of a body: a schema name is one in the route's JSON media type; an object maps
/// media types to schema names.
fn content(route: &Route, declared: &Value) -> Option<Value> {
    let mut content = Map::new();
    match declared {
        Value::String(name) => {
            content.insert(
                json_media(route).into(),
                json!({"schema": schema_ref(name)}),
            );
        }
        Value::Object(by_media) => {
            for (media, name) in by_media {
                let name = name.as_str()?;
                content.insert(media.clone(), json!({"schema": schema_ref(name)}));
            }
        }
        _ => return None,
    }
    Some(Value::Object(content))
}

fn status_description(status: &str) -> &'static str {
    match status {
        "200" => "Success",
        "201" => "Created",
        "204" => "Done, no body",
        "304" => "Not modified (If-None-Match), no body",
        _ => "Success",
    }
}

/// The success responses `bodies.json` declares for `route`; a generic one if it has no entry
/// (the tests refuse that).
fn responses(route: &Route, declared: Option<&Value>) -> Map<String, Value> {
    let mut out = Map::new();
    let Some(Value::Object(statuses)) = declared.map(|entry| &entry["responses"]) else {
        out.insert(
            "200".into(),
            json!({"description": "Success (no schema declared)"}),
        );
        return out;
    };
    for (status, body) in statuses {
        let mut response = Map::new();
        response.insert("description".into(), json!(status_description(status)));
        if let Some(content) = content(route, body) {
            response.insert("content".into(), content);
        }
        out.insert(status.clone(), Value::Object(response));
    }
    out
}

/// The request body `bodies.json` declares for `route`, in every media type the route takes.
fn request_body(route: &Route, declared: Option<&Value>) -> Option<Value> {
    let name = declared?.get("request")?.as_str()?;
    let mut content = Map::new();
    content.insert(
        json_media(route).into(),
        json!({"schema": schema_ref(name)}),
    );
    if route.auth == Auth::ScimToken {
        // SCIM takes plain JSON too (RFC 7644 §3.1).
        content.insert(
            "application/json".into(),
            json!({"schema": schema_ref(name)}),
        );
    }
    Some(json!({"required": true, "content": content}))
}

/// The document's own route.
pub const ROUTE: Route = route(
    "GET",
    "/openapi.json",
    Auth::None,
    "meta",
    "This OpenAPI document",
);

fn parameters(path: &str) -> Vec<Value> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(|name| json!({"name": name, "in": "path", "required": true, "schema": {"type": "string"}}))
        .collect()
}

fn operation_id(route: &Route) -> String {
    let words: Vec<String> = route
        .path
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    format!("{}_{}", route.method.to_ascii_lowercase(), words.join("_"))
}

fn operation(route: &Route) -> Value {
    let security = match route.auth {
        Auth::None => json!([]),
        Auth::Session => json!([{"session": []}]),
        Auth::Staff => json!([{"staff": []}]),
        Auth::ScimToken => json!([{"scimToken": []}]),
    };
    let error = if route.auth == Auth::ScimToken {
        "ScimError"
    } else {
        "Error"
    };
    let declared = bodies()["routes"].get(body_key(route));
    let mut responses = responses(route, declared);
    responses.insert(
        "default".into(),
        json!({"description": "An error", "content": {json_media(route): {"schema": schema_ref(error)}}}),
    );
    let mut op = json!({
        "operationId": operation_id(route),
        "summary": route.summary,
        "tags": [route.tag],
        "security": security,
        "parameters": parameters(route.path),
        "responses": responses,
    });
    if let (Some(body), Some(map)) = (request_body(route, declared), op.as_object_mut()) {
        map.insert("requestBody".into(), body);
    }
    op
}

/// The document for `routes`.
pub fn document(routes: &[Route]) -> Value {
    let mut paths: Map<String, Value> = Map::new();
    for route in routes {
        let entry = paths
            .entry(route.path.to_string())
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(methods) = entry.as_object_mut() {
            methods.insert(route.method.to_ascii_lowercase(), operation(route));
        }
    }
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "orgkit reference server",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Organizations for B2B identity: discovery, authorization, SCIM 2.0 per org, the org admin API, audit logs and support grants. Every decision is the orgkit engine's.",
        },
        "paths": paths,
        "components": {
            "securitySchemes": {
                "session": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "A session token (EdDSA) of the server's issuer; `X-Orgkit-Org` picks the org when the token names none"},
                "staff": {"type": "http", "scheme": "bearer", "bearerFormat": "JWT", "description": "A platform staff token (issuer `orgkit-server/staff`)"},
                "scimToken": {"type": "http", "scheme": "bearer", "description": "An org's SCIM token"},
            },
            "schemas": bodies()["schemas"],
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_has_its_bodies_and_every_named_schema_exists() {
        let declared = bodies();
        assert!(declared.is_object(), "bodies.json is not JSON");
        let (_, routes) = super::super::routes();
        let schemas = &declared["schemas"];
        let mut keys = Vec::new();
        for route in &routes {
            let key = body_key(route);
            let entry = &declared["routes"][&key];
            let statuses = entry["responses"].as_object();
            assert!(
                statuses.is_some_and(|s| !s.is_empty()),
                "{key} has no responses in bodies.json"
            );
            let names = statuses
                .into_iter()
                .flat_map(|s| s.values())
                .flat_map(|body| match body {
                    Value::Object(by_media) => by_media.values().cloned().collect(),
                    other => vec![other.clone()],
                })
                .chain(entry.get("request").cloned());
            for name in names.filter(|n| !n.is_null()) {
                let name = name.as_str().unwrap_or_default();
                assert!(schemas[name].is_object(), "{key}: no schema `{name}`");
            }
            keys.push(key);
        }
        let listed = declared["routes"]
            .as_object()
            .into_iter()
            .flat_map(|r| r.keys());
        for key in listed {
            assert!(
                keys.contains(key),
                "bodies.json lists {key}, which is no route"
            );
        }
    }
}
