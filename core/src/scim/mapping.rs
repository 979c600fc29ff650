//! Per-organization mapping from what an IdP sends over SCIM to orgkit's user and org roles,
//! declared in the org's `scim.mapping` record (no code).
//!
//! - **Attributes**: each field of [`MappedUser`] reads the first present of its source paths
//!   (`emails[primary eq true].value`, `name.givenName`,
//!   `urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department`). Fields not
//!   listed use [`default_sources`].
//! - **Roles**: [`RoleRule`]s turn group membership (by display name or id) or a role-carrying
//!   attribute (`roles`, an extension attribute, a delimited string) into org role keys.
//!   Customer A's IdP sends groups, customer B's sends roles; both end as org roles. Rules are in
//!   priority order: with [`RoleSelection::All`] every matching rule grants its role, with
//!   [`RoleSelection::First`] only the first that matches. Without a match the `default_role`
//!   applies.
//! - **Status**: `active: false` suspends the membership ([`Deprovision::Suspend`], the default)
//!   or removes it ([`Deprovision::Remove`]), for IdPs that deprovision by deactivating.

use crate::directory::records::{MembershipStatus, Organization, BUILTIN_ROLES};
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::routing::email::normalize_email;
use crate::scim::filter::{select, AttrPath, CoreSchemas};
use crate::scim::patch::{parse_path, PatchPath, PatchTolerance};
use crate::Limits;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;

/// The reason of the error for a SCIM user from whom no source yields an address.
const NO_EMAIL: &str = "no_email";

/// Role rules one mapping may hold.
pub const MAX_ROLE_RULES: usize = 200;
/// Source paths one field may list.
pub const MAX_SOURCES: usize = 8;

/// An organization's SCIM mapping.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScimMapping {
    /// Field (`email`, `given_name`, …) → source paths, first present wins.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, Vec<String>>,
    /// Role rules, highest priority first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub roles: Vec<RoleRule>,
    /// Whether every matching rule grants its role, or only the first.
    #[serde(default)]
    pub role_selection: RoleSelection,
    /// The role key given when no rule matches (none: the membership holds no role).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_role: Option<String>,
    /// What `active: false` does to the membership.
    #[serde(default)]
    pub deprovision: Deprovision,
    /// Which deviations from RFC 7644 PATCH this org's IdP may send (all tolerated by default).
    #[serde(default)]
    pub patch_tolerance: PatchTolerance,
    /// What a User write does when no source yields a usable email address.
    #[serde(default, skip_serializing_if = "MissingEmail::is_default")]
    pub missing_email: MissingEmail,
}

/// What a SCIM User without a usable email address becomes. RFC 7643 requires only
/// `userName`, so an IdP may provision users (service accounts, users whose mail is set up
/// later) that orgkit cannot link to one of its users, whose identity is the address.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MissingEmail {
    /// The write is accepted and the host stores the resource, but it is linked to no orgkit
    /// user: no user, and the membership is removed if there was one (an address taken away
    /// takes the access with it). A later write that brings an address links it.
    #[default]
    Unlinked,
    /// The write is refused (`invalid_value` with reason `no_email`, or `invalid_email`).
    Reject,
}

impl MissingEmail {
    fn is_default(&self) -> bool {
        *self == Self::default()
    }
}

/// One way to earn an org role. Exactly one of `group`, `group_id`, `attribute` is set.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    /// Members of the group with this display name (compared ignoring case) get `role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// Members of the group with this id get `role`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group_id: Option<String>,
    /// A user attribute path (`roles.value`, `urn:…:User:role`) whose values are read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attribute: Option<String>,
    /// With `attribute`: the value (compared ignoring case) that earns the role; without it,
    /// any value earns it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub equals: Option<String>,
    /// With `attribute`: the separator of a delimited string (`"admin;billing"`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub delimiter: Option<String>,
    /// The org role key granted (a built-in template or one of the org's custom roles).
    pub role: String,
}

/// How many matching rules grant roles.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RoleSelection {
    /// Every matching rule grants its role.
    #[default]
    All,
    /// Only the first matching rule (the highest priority) grants its role.
    First,
}

/// What deactivation (`active: false`) does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Deprovision {
    /// The membership is kept, suspended (denied everything); reactivation restores it.
    #[default]
    Suspend,
    /// The membership is removed.
    Remove,
}

/// The fields of orgkit's normalised user that a mapping fills.
pub const FIELDS: [&str; 10] = [
    "email",
    "user_name",
    "external_id",
    "given_name",
    "family_name",
    "display_name",
    "active",
    "department",
    "title",
    "employee_number",
];

/// The sources a field reads when the mapping does not list its own.
pub fn default_sources(field: &str) -> Vec<String> {
    let sources: &[&str] = match field {
        "email" => &[
            "emails[primary eq true].value",
            "emails[type eq \"work\"].value",
            "emails.value",
            "userName",
        ],
        "user_name" => &["userName"],
        "external_id" => &["externalId"],
        "given_name" => &["name.givenName"],
        "family_name" => &["name.familyName"],
        "display_name" => &["displayName", "name.formatted"],
        "active" => &["active"],
        "department" => &["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:department"],
        "title" => &["title"],
        "employee_number" => {
            &["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User:employeeNumber"]
        }
        _ => &[],
    };
    sources.iter().map(|s| (*s).to_string()).collect()
}

/// A parsed source path: PATCH path syntax (`attr`, `attr.sub`, `urn:…:attr`,
/// `attr[filter]`, `attr[filter].sub`).
#[derive(Debug, Clone, PartialEq)]
struct SourcePath(PatchPath);

fn bad_path(text: &str, why: &str) -> Error {
    Error::new(
        ErrorCode::InvalidValue,
        format!("`{text}` is not an attribute path: {why}"),
    )
    .because("invalid_path")
}

impl SourcePath {
    fn parse(text: &str) -> Result<Self> {
        parse_path(text, &Limits::default())
            .map(Self)
            .map_err(|e| bad_path(text, &e.message))
    }

    /// The scalar values at this path, as strings (booleans and numbers in JSON form).
    fn values(&self, resource: &Value) -> Vec<String> {
        let PatchPath { attr, filter } = &self.0;
        let found = match filter {
            // `attr[filter].sub`: the filter picks elements of `attr`, then `sub` is read.
            Some(filter) => select(
                resource,
                &AttrPath {
                    sub_attr: None,
                    ..attr.clone()
                },
                Some(filter),
                attr.sub_attr.as_deref(),
                &CoreSchemas,
            ),
            None => select(resource, attr, None, None, &CoreSchemas),
        };
        let mut out = Vec::new();
        for value in found {
            let items = match value {
                Value::Array(items) => items.iter().collect::<Vec<_>>(),
                other => vec![other],
            };
            for item in items {
                match item {
                    Value::String(s) if !s.is_empty() => out.push(s.clone()),
                    Value::Bool(b) => out.push(b.to_string()),
                    Value::Number(n) => out.push(n.to_string()),
                    // A complex value stands for its `value` sub-attribute, as in filters.
                    Value::Object(members) => {
                        if let Some(Value::String(s)) = members
                            .iter()
                            .find(|(k, _)| k.eq_ignore_ascii_case("value"))
                            .map(|(_, v)| v)
                        {
                            out.push(s.clone());
                        }
                    }
                    _ => {}
                }
            }
        }
        out
    }
}

/// A group the user is a member of, as the host's SCIM store knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GroupRef {
    /// The group's SCIM id.
    pub id: String,
    /// The group's display name.
    pub display_name: String,
}

/// orgkit's normalised user, and the membership the mapping derives, from one SCIM User.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MappedUser {
    /// The canonical email address.
    pub email: String,
    /// The other fields that had a value (`user_name`, `given_name`, …), as strings.
    pub fields: BTreeMap<String, String>,
    /// Whether the IdP holds the user active.
    pub active: bool,
    /// The membership status that follows (`active` or `suspended`); `None` when the
    /// membership is to be removed (deprovisioned with [`Deprovision::Remove`]).
    pub status: Option<MembershipStatus>,
    /// The org role keys the rules grant, in rule order, without repeats.
    pub roles: Vec<String>,
    /// The indexes of the rules that matched (for explaining a decision).
    pub matched_rules: Vec<usize>,
}

/// The role keys an organization defines or inherits from the built-in templates.
fn role_exists(org: &Organization, key: &str) -> bool {
    BUILTIN_ROLES.contains(&key) || org.roles.iter().any(|r| r.key == key)
}

/// Every problem of a mapping for `org`, each with its path under the mapping.
pub(crate) fn check(mapping: &ScimMapping, org: &Organization) -> Vec<(String, Error)> {
    let mut problems = Vec::new();
    for (field, sources) in &mapping.attributes {
        let at = format!("attributes.{field}");
        if !FIELDS.contains(&field.as_str()) {
            problems.push((
                at.clone(),
                Error::new(
                    ErrorCode::InvalidValue,
                    format!(
                        "`{field}` is not a mapped field (one of {})",
                        FIELDS.join(", ")
                    ),
                )
                .because("unknown_field"),
            ));
        }
        if sources.is_empty() || sources.len() > MAX_SOURCES {
            problems.push((
                at.clone(),
                Error::new(
                    ErrorCode::LimitExceeded,
                    format!("a field lists 1 to {MAX_SOURCES} source paths"),
                ),
            ));
        }
        for (i, source) in sources.iter().enumerate() {
            if let Err(e) = SourcePath::parse(source) {
                problems.push((format!("{at}[{i}]"), e));
            }
        }
    }
    if mapping.roles.len() > MAX_ROLE_RULES {
        problems.push((
            "roles".into(),
            Error::new(
                ErrorCode::LimitExceeded,
                format!("a mapping holds at most {MAX_ROLE_RULES} role rules"),
            ),
        ));
    }
    for (i, rule) in mapping.roles.iter().enumerate() {
        let at = format!("roles[{i}]");
        let kinds = [
            rule.group.is_some(),
            rule.group_id.is_some(),
            rule.attribute.is_some(),
        ];
        if kinds.iter().filter(|k| **k).count() != 1 {
            problems.push((
                at.clone(),
                Error::new(
                    ErrorCode::InvalidValue,
                    "a role rule names exactly one of `group`, `group_id`, `attribute`",
                )
                .because("ambiguous_rule"),
            ));
        }
        if rule.attribute.is_none() && (rule.equals.is_some() || rule.delimiter.is_some()) {
            problems.push((
                at.clone(),
                Error::new(
                    ErrorCode::InvalidValue,
                    "`equals` and `delimiter` apply to `attribute` rules only",
                )
                .because("ambiguous_rule"),
            ));
        }
        if let Some(attribute) = &rule.attribute {
            if let Err(e) = SourcePath::parse(attribute) {
                problems.push((format!("{at}.attribute"), e));
            }
        }
        if rule
            .delimiter
            .as_ref()
            .is_some_and(|d| d.is_empty() || d.len() > 8)
        {
            problems.push((
                format!("{at}.delimiter"),
                Error::new(ErrorCode::InvalidValue, "a delimiter is 1 to 8 bytes"),
            ));
        }
        if !role_exists(org, &rule.role) {
            problems.push((
                format!("{at}.role"),
                Error::new(
                    ErrorCode::UnknownRole,
                    format!(
                        "`{}` is neither a built-in role nor one of the org's",
                        rule.role
                    ),
                ),
            ));
        }
    }
    if let Some(role) = &mapping.default_role {
        if !role_exists(org, role) {
            problems.push((
                "default_role".into(),
                Error::new(
                    ErrorCode::UnknownRole,
                    format!("`{role}` is neither a built-in role nor one of the org's"),
                ),
            ));
        }
    }
    problems
}

impl RoleRule {
    /// Whether the rule grants its role; `source` is its `attribute`, parsed.
    fn matches(&self, source: Option<&SourcePath>, user: &Value, groups: &[GroupRef]) -> bool {
        if let Some(name) = &self.group {
            return groups
                .iter()
                .any(|g| g.display_name.to_lowercase() == name.to_lowercase());
        }
        if let Some(id) = &self.group_id {
            return groups.iter().any(|g| &g.id == id);
        }
        let Some(source) = source else {
            return false;
        };
        let values = source.values(user);
        let items: Vec<&str> = match &self.delimiter {
            Some(d) if !d.is_empty() => values
                .iter()
                .flat_map(|v| v.split(d.as_str()))
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .collect(),
            _ => values.iter().map(|v| v.trim()).collect(),
        };
        match &self.equals {
            Some(wanted) => items
                .iter()
                .any(|v| v.to_lowercase() == wanted.to_lowercase()),
            None => !items.is_empty(),
        }
    }
}

/// A mapping with its source paths parsed once: the directory keeps one per org with SCIM
/// settings, so mapping a user parses nothing.
#[derive(Debug, Clone)]
pub struct CompiledMapping {
    mapping: ScimMapping,
    /// Each field of [`FIELDS`] with its source paths, first present wins.
    sources: Vec<(&'static str, Vec<SourcePath>)>,
    /// Each role rule's `attribute`, parsed.
    rule_sources: Vec<Option<SourcePath>>,
}

impl CompiledMapping {
    /// Parses `mapping`'s paths. A path that does not parse is left out (a directory refuses
    /// such a mapping at load, so this happens only to mappings built by hand).
    pub fn new(mapping: &ScimMapping) -> Self {
        let sources = FIELDS
            .iter()
            .map(|field| {
                let texts = mapping
                    .attributes
                    .get(*field)
                    .cloned()
                    .unwrap_or_else(|| default_sources(field));
                let paths = texts
                    .iter()
                    .filter_map(|t| SourcePath::parse(t).ok())
                    .collect();
                (*field, paths)
            })
            .collect();
        let rule_sources = mapping
            .roles
            .iter()
            .map(|rule| {
                rule.attribute
                    .as_deref()
                    .and_then(|t| SourcePath::parse(t).ok())
            })
            .collect();
        Self {
            mapping: mapping.clone(),
            sources,
            rule_sources,
        }
    }

    /// The compiled mapping of `org` (the defaults when it has none).
    pub fn of(org: &Organization) -> Self {
        match org.scim.as_ref().and_then(|s| s.mapping.as_ref()) {
            Some(mapping) => Self::new(mapping),
            None => Self::new(&ScimMapping::default()),
        }
    }

    /// The PATCH deviations the org's IdP may send.
    pub fn patch_tolerance(&self) -> PatchTolerance {
        self.mapping.patch_tolerance
    }

    /// Whether `error`, from [`map_user`](Self::map_user), leaves the user unlinked instead of
    /// refusing the write: the mapping says [`MissingEmail::Unlinked`] and the address is
    /// missing or does not normalise.
    pub fn unlinks(&self, error: &Error) -> bool {
        self.mapping.missing_email == MissingEmail::Unlinked
            && (error.code == ErrorCode::InvalidEmail || error.reason.as_deref() == Some(NO_EMAIL))
    }

    /// The roles the group rules (by display name or id) give the members of `group`, in
    /// rule order, without repeats.
    pub fn group_roles(&self, group: &GroupRef) -> Vec<String> {
        let mut roles: Vec<String> = Vec::new();
        for rule in &self.mapping.roles {
            let by_group = rule.group.is_some() || rule.group_id.is_some();
            if by_group
                && rule.matches(None, &Value::Null, std::slice::from_ref(group))
                && !roles.contains(&rule.role)
            {
                roles.push(rule.role.clone());
            }
        }
        roles
    }

    /// Maps one SCIM User resource (with the groups it is a member of) to orgkit's user and
    /// membership. Fails with `invalid_value` (reason `no_email`) when no source yields an
    /// address, and with `invalid_email` when the address does not normalise.
    pub fn map_user(&self, user: &Value, groups: &[GroupRef]) -> Result<MappedUser> {
        let mapping = &self.mapping;
        let mut fields = BTreeMap::new();
        for (field, sources) in &self.sources {
            if let Some(value) = sources
                .iter()
                .find_map(|s| s.values(user).into_iter().next())
            {
                fields.insert((*field).to_string(), value);
            }
        }
        let raw_email = fields.remove("email").ok_or_else(|| {
            Error::new(
                ErrorCode::InvalidValue,
                "the SCIM user carries no email address in any mapped source",
            )
            .at("emails")
            .because(NO_EMAIL)
        })?;
        let email = normalize_email(&raw_email)
            .map_err(|e| e.at("emails"))?
            .email;
        let active = match fields.remove("active").as_deref() {
            None => true,
            Some(v) => !v.eq_ignore_ascii_case("false"),
        };
        let mut roles: Vec<String> = Vec::new();
        let mut matched_rules = Vec::new();
        for (i, (rule, source)) in mapping.roles.iter().zip(&self.rule_sources).enumerate() {
            if rule.matches(source.as_ref(), user, groups) {
                matched_rules.push(i);
                if !roles.contains(&rule.role) {
                    roles.push(rule.role.clone());
                }
                if mapping.role_selection == RoleSelection::First {
                    break;
                }
            }
        }
        if roles.is_empty() {
            roles.extend(mapping.default_role.clone());
        }
        let status = match (active, mapping.deprovision) {
            (true, _) => Some(MembershipStatus::Active),
            (false, Deprovision::Suspend) => Some(MembershipStatus::Suspended),
            (false, Deprovision::Remove) => None,
        };
        Ok(MappedUser {
            email,
            fields,
            active,
            status,
            roles,
            matched_rules,
        })
    }
}

/// Maps one SCIM User resource of `org` through its mapping, parsed for this call; see
/// [`CompiledMapping::map_user`]. A loaded directory keeps each org's mapping compiled
/// ([`Directory::scim_mapping`](crate::Directory::scim_mapping)).
pub fn map_user(org: &Organization, user: &Value, groups: &[GroupRef]) -> Result<MappedUser> {
    CompiledMapping::of(org).map_user(user, groups)
}

impl Directory {
    /// The compiled SCIM mapping of an organization (its defaults when it has no SCIM
    /// settings); `unknown_org` when there is no such org.
    pub fn scim_mapping(&self, org_id: &str) -> Result<Arc<CompiledMapping>> {
        if let Some(mapping) = self.scim_mappings.get(org_id) {
            return Ok(Arc::clone(mapping));
        }
        let org = self.org(org_id).ok_or_else(|| {
            Error::new(
                ErrorCode::UnknownOrg,
                format!("no organization has id `{org_id}`"),
            )
            .at("org_id")
        })?;
        Ok(Arc::new(CompiledMapping::of(org)))
    }
}
