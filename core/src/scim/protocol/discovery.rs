//! Discovery documents (RFC 7644 §4): ServiceProviderConfig, ResourceTypes, Schemas. The three
//! schemas are RFC 7643 §8.7.1's definitions without descriptions, embedded as JSON and read
//! once.

use super::{list_response, ResourceKind, ENTERPRISE_USER_SCHEMA, GROUP_SCHEMA, USER_SCHEMA};
use crate::error::{Error, ErrorCode, Result};
use crate::limits::Limits;
use serde::Deserialize;
use serde_json::{json, Value};
use std::sync::OnceLock;

const USER_JSON: &str = include_str!("schemas/user.json");
const GROUP_JSON: &str = include_str!("schemas/group.json");
const ENTERPRISE_USER_JSON: &str = include_str!("schemas/enterprise_user.json");

/// An attribute's `returned` characteristic (RFC 7643 §7).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) enum Returned {
    /// Whatever `attributes` and `excludedAttributes` say.
    Always,
    /// Never, e.g. `password`.
    Never,
    /// Unless excluded, or another attribute is asked for.
    #[default]
    Default,
    /// Only when named in `attributes`.
    Request,
}

/// What projection needs of an attribute definition.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(super) struct AttrDef {
    /// The attribute's name.
    pub(super) name: String,
    /// When it is returned.
    #[serde(default)]
    pub(super) returned: Returned,
    /// A complex attribute's sub-attributes.
    #[serde(default)]
    pub(super) sub_attributes: Vec<AttrDef>,
}

impl AttrDef {
    /// The sub-attribute called `name`, ignoring ASCII case.
    pub(super) fn sub(&self, name: &str) -> Option<&AttrDef> {
        find(&self.sub_attributes, name)
    }
}

/// The attribute called `name` among `defs`, ignoring ASCII case.
pub(super) fn find<'a>(defs: &'a [AttrDef], name: &str) -> Option<&'a AttrDef> {
    defs.iter().find(|def| def.name.eq_ignore_ascii_case(name))
}

/// One schema: its URN, its attributes, its document.
#[derive(Debug)]
pub(super) struct SchemaDef {
    /// The schema URN.
    pub(super) id: &'static str,
    /// Its top-level attributes.
    pub(super) attributes: Vec<AttrDef>,
    /// The schema document, without `schemas` and `meta`.
    document: Value,
}

/// The three schemas.
#[derive(Debug)]
pub(super) struct Catalog {
    user: SchemaDef,
    group: SchemaDef,
    enterprise_user: SchemaDef,
}

impl Catalog {
    /// The core schema of a resource type.
    pub(super) fn core(&self, kind: ResourceKind) -> &SchemaDef {
        match kind {
            ResourceKind::User => &self.user,
            ResourceKind::Group => &self.group,
        }
    }

    /// The extension of `kind` whose URN is `urn` (ignoring ASCII case).
    pub(super) fn extension(&self, kind: ResourceKind, urn: &str) -> Option<&SchemaDef> {
        match kind {
            ResourceKind::User if urn.eq_ignore_ascii_case(ENTERPRISE_USER_SCHEMA) => {
                Some(&self.enterprise_user)
            }
            _ => None,
        }
    }

    fn all(&self) -> [&SchemaDef; 3] {
        [&self.user, &self.group, &self.enterprise_user]
    }
}

fn load(id: &'static str, text: &str) -> std::result::Result<SchemaDef, String> {
    #[derive(Deserialize)]
    struct Raw {
        id: String,
        attributes: Vec<AttrDef>,
    }
    let document: Value = serde_json::from_str(text).map_err(|e| format!("{id}: {e}"))?;
    let raw = Raw::deserialize(&document).map_err(|e| format!("{id}: {e}"))?;
    if raw.id != id {
        return Err(format!("{id}: the embedded document is {}", raw.id));
    }
    Ok(SchemaDef {
        id,
        attributes: raw.attributes,
        document,
    })
}

/// The embedded schemas, read on first use; `internal` if they do not parse (a test makes sure
/// they do).
pub(super) fn catalog() -> Result<&'static Catalog> {
    static CATALOG: OnceLock<std::result::Result<Catalog, String>> = OnceLock::new();
    CATALOG
        .get_or_init(|| {
            Ok(Catalog {
                user: load(USER_SCHEMA, USER_JSON)?,
                group: load(GROUP_SCHEMA, GROUP_JSON)?,
                enterprise_user: load(ENTERPRISE_USER_SCHEMA, ENTERPRISE_USER_JSON)?,
            })
        })
        .as_ref()
        .map_err(|e| Error::new(ErrorCode::Internal, format!("embedded SCIM schema: {e}")))
}

fn meta(resource_type: &str, base_url: &str, path: &str) -> Value {
    json!({
        "resourceType": resource_type,
        "location": format!("{}{path}", base_url.trim_end_matches('/')),
    })
}

/// `GET /ServiceProviderConfig` (RFC 7643 §5): PATCH, filter (`maxResults` is
/// [`max_page_size`](crate::limits::Limits::max_page_size)), sort and ETags supported; bulk
/// and password change not; OAuth bearer tokens. `base_url` is the SCIM base for
/// `meta.location`.
pub fn service_provider_config(limits: &Limits, base_url: &str) -> Value {
    json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"],
        "patch": {"supported": true},
        "bulk": {"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
        "filter": {"supported": true, "maxResults": limits.max_page_size},
        "changePassword": {"supported": false},
        "sort": {"supported": true},
        "etag": {"supported": true},
        "authenticationSchemes": [{
            "type": "oauthbearertoken",
            "name": "OAuth Bearer Token",
            "description": "Authentication with a bearer token in the Authorization header",
            "specUri": "https://www.rfc-editor.org/info/rfc6750",
            "primary": true,
        }],
        "meta": meta("ServiceProviderConfig", base_url, "/ServiceProviderConfig"),
    })
}

fn resource_type_document(kind: ResourceKind, base_url: &str) -> Value {
    let mut document = json!({
        "schemas": ["urn:ietf:params:scim:schemas:core:2.0:ResourceType"],
        "id": kind.name(),
        "name": kind.name(),
        "endpoint": kind.endpoint(),
        "description": match kind {
            ResourceKind::User => "User Account",
            ResourceKind::Group => "Group",
        },
        "schema": kind.schema(),
        "meta": meta("ResourceType", base_url, &format!("/ResourceTypes/{}", kind.name())),
    });
    let extensions: Vec<Value> = kind
        .extensions()
        .iter()
        .map(|urn| json!({"schema": urn, "required": false}))
        .collect();
    if let (false, Some(object)) = (extensions.is_empty(), document.as_object_mut()) {
        object.insert("schemaExtensions".into(), extensions.into());
    }
    document
}

/// `GET /ResourceTypes`: a ListResponse of User (with the enterprise extension) and Group.
pub fn resource_types(base_url: &str) -> Value {
    let all = [ResourceKind::User, ResourceKind::Group];
    let documents = all
        .iter()
        .map(|kind| resource_type_document(*kind, base_url))
        .collect::<Vec<_>>();
    list_response(documents, all.len(), 1)
}

/// `GET /ResourceTypes/{name}` (`User` or `Group`, ignoring ASCII case); `not_found` for
/// another name.
pub fn resource_type(name: &str, base_url: &str) -> Result<Value> {
    [ResourceKind::User, ResourceKind::Group]
        .into_iter()
        .find(|kind| kind.name().eq_ignore_ascii_case(name))
        .map(|kind| resource_type_document(kind, base_url))
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("no resource type `{name}`")))
}

fn schema_document(schema: &SchemaDef, base_url: &str) -> Value {
    let mut document = schema.document.clone();
    if let Some(object) = document.as_object_mut() {
        object.insert(
            "schemas".into(),
            json!(["urn:ietf:params:scim:schemas:core:2.0:Schema"]),
        );
        object.insert(
            "meta".into(),
            meta("Schema", base_url, &format!("/Schemas/{}", schema.id)),
        );
    }
    document
}

/// `GET /Schemas`: a ListResponse of the core User, Group and enterprise User schemas.
pub fn schemas(base_url: &str) -> Result<Value> {
    let documents = catalog()?
        .all()
        .iter()
        .map(|schema| schema_document(schema, base_url))
        .collect::<Vec<_>>();
    let total = documents.len();
    Ok(list_response(documents, total, 1))
}

/// `GET /Schemas/{urn}` (the URN ignoring ASCII case); `not_found` for another URN.
pub fn schema(urn: &str, base_url: &str) -> Result<Value> {
    catalog()?
        .all()
        .into_iter()
        .find(|schema| schema.id.eq_ignore_ascii_case(urn))
        .map(|schema| schema_document(schema, base_url))
        .ok_or_else(|| Error::new(ErrorCode::NotFound, format!("no schema `{urn}`")))
}
