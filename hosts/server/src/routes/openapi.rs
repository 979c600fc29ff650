//! The OpenAPI 3.1 document, generated from the route list the router is built from.

use super::{route, Auth, Route};
use serde_json::{json, Map, Value};

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
    let mut op = json!({
        "operationId": operation_id(route),
        "summary": route.summary,
        "tags": [route.tag],
        "security": security,
        "parameters": parameters(route.path),
        "responses": {
            "200": {"description": "Success (201 for a creation, 204 when there is no body)"},
            "default": {"description": "An error", "content": {"application/json": {"schema": {"$ref": format!("#/components/schemas/{error}")}}}},
        },
    });
    if matches!(route.method, "POST" | "PUT" | "PATCH") {
        if let Some(map) = op.as_object_mut() {
            map.insert(
                "requestBody".into(),
                json!({"required": false, "content": {"application/json": {"schema": {"type": "object"}}}}),
            );
        }
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
            "schemas": {
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "properties": {"error": {"type": "object", "required": ["code", "message"], "properties": {
                        "code": {"type": "string"}, "message": {"type": "string"}, "path": {"type": "string"},
                        "reason": {"type": "string"}, "problems": {"type": "array"},
                    }}},
                },
                "ScimError": {
                    "type": "object",
                    "required": ["schemas", "status"],
                    "properties": {"schemas": {"type": "array"}, "status": {"type": "string"}, "scimType": {"type": "string"}, "detail": {"type": "string"}},
                },
            },
        },
    })
}
