//! Record-level validation: every rule that needs only the record itself. Each check records
//! problems with their paths and returns the record in canonical form (domains and emails
//! normalised) when the record is sound. Rules across records live in `batch`.

use crate::directory::problems::Problems;
use crate::directory::records::{
    Branding, CustomRole, EmailDomain, Membership, Organization, Protocol, ScimSettings,
    SsoConnection, User,
};
use crate::error::ErrorCode;
use crate::limits::Limits;
use crate::routing::claimable::{is_public_suffix, ConsumerDomains};
use crate::routing::domain::normalize_domain;
use crate::routing::email::normalize_email;
use std::collections::HashSet;

/// What record validation needs besides the record.
pub(crate) struct Rules<'a> {
    pub(crate) limits: &'a Limits,
    pub(crate) consumer: &'a ConsumerDomains,
}

/// The longest id, in bytes.
pub const MAX_ID_BYTES: usize = 128;

fn id_problem(id: &str) -> Option<String> {
    if id.is_empty() || id.len() > MAX_ID_BYTES {
        Some(format!("id must be 1 to {MAX_ID_BYTES} bytes"))
    } else if !id
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b"._:-".contains(&b))
    {
        Some(format!(
            "id `{id}` may hold only letters, digits and `._:-`"
        ))
    } else {
        None
    }
}

/// Checks an id field.
pub(crate) fn check_id(problems: &mut Problems, base: &str, field: &str, id: &str) {
    if let Some(message) = id_problem(id) {
        problems.push(
            base,
            field,
            ErrorCode::InvalidValue,
            Some("invalid_id"),
            message,
        );
    }
}

pub(crate) fn is_key(s: &str, max: usize) -> bool {
    !s.is_empty()
        && s.len() <= max
        && s.bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b"-_.:".contains(&b))
        && s.bytes().next().is_some_and(|b| b.is_ascii_alphanumeric())
}

fn check_text(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    field: &str,
    text: &str,
    required: bool,
) {
    if required && text.trim().is_empty() {
        problems.push(
            base,
            field,
            ErrorCode::InvalidValue,
            Some("empty"),
            format!("`{field}` must not be empty"),
        );
    } else if text.len() > rules.limits.max_text_bytes {
        problems.push(
            base,
            field,
            ErrorCode::LimitExceeded,
            Some("text_too_long"),
            format!(
                "`{field}` is {} bytes; the limit is {}",
                text.len(),
                rules.limits.max_text_bytes
            ),
        );
    } else if text.chars().any(char::is_control) {
        problems.push(
            base,
            field,
            ErrorCode::InvalidValue,
            Some("control_character"),
            format!("`{field}` holds a control character"),
        );
    }
}

fn check_count(problems: &mut Problems, base: &str, field: &str, count: usize, max: usize) -> bool {
    if count > max {
        problems.push(
            base,
            field,
            ErrorCode::LimitExceeded,
            Some("too_many"),
            format!("`{field}` has {count} entries; the limit is {max}"),
        );
        return false;
    }
    true
}

/// Checks an absolute `https://` URL with a host.
fn check_https_url(problems: &mut Problems, rules: &Rules<'_>, base: &str, field: &str, url: &str) {
    check_text(problems, rules, base, field, url, true);
    let host = url
        .strip_prefix("https://")
        .map(|rest| rest.split(['/', '?', '#']).next().unwrap_or_default());
    match host {
        Some(host)
            if !host.is_empty() && !url.chars().any(char::is_whitespace) && !host.contains('@') => {
        }
        _ => problems.push(
            base,
            field,
            ErrorCode::InvalidValue,
            Some("not_https_url"),
            format!("`{field}` must be an absolute https URL with a host and no credentials"),
        ),
    }
}

fn is_hex_color(s: &str) -> bool {
    s.strip_prefix('#')
        .is_some_and(|hex| matches!(hex.len(), 3 | 6) && hex.bytes().all(|b| b.is_ascii_hexdigit()))
}

/// The slug rule: 1–63 of `a-z0-9-`, no hyphen at either end.
pub fn is_valid_slug(slug: &str) -> bool {
    !slug.is_empty()
        && slug.len() <= 63
        && slug
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
        && !slug.starts_with('-')
        && !slug.ends_with('-')
}

/// Validates one claimed domain, returning it with its canonical name.
pub(crate) fn check_domain(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    domain: &EmailDomain,
) -> Option<EmailDomain> {
    let normalized = match normalize_domain(&domain.domain) {
        Ok(n) => n,
        Err(error) => {
            problems.push_error(&crate::error::join_path(base, "domain"), error);
            return None;
        }
    };
    if is_public_suffix(&normalized.domain) {
        problems.push(
            base,
            "domain",
            ErrorCode::PublicSuffix,
            None,
            format!("`{}` is a public suffix; an organization can only claim a domain registered under one", normalized.domain),
        );
        return None;
    }
    if rules.consumer.contains(&normalized.domain) {
        problems.push(
            base,
            "domain",
            ErrorCode::ConsumerDomain,
            None,
            format!(
                "`{}` is a consumer mail domain and can never be claimed by an organization",
                normalized.domain
            ),
        );
        return None;
    }
    Some(EmailDomain {
        domain: normalized.domain,
        ..domain.clone()
    })
}

/// Validates one SSO connection against the org's (canonical) domain names.
pub(crate) fn check_connection(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    connection: &SsoConnection,
    org_domains: &HashSet<&str>,
) -> Option<SsoConnection> {
    let before = problems.count();
    check_id(problems, base, "id", &connection.id);
    if let Some(name) = &connection.name {
        check_text(problems, rules, base, "name", name, true);
    }
    match (connection.protocol, &connection.saml, &connection.oidc) {
        (Protocol::Saml, Some(saml), None) => {
            check_text(
                problems,
                rules,
                base,
                "saml.idp_entity_id",
                &saml.idp_entity_id,
                true,
            );
            check_https_url(problems, rules, base, "saml.sso_url", &saml.sso_url);
            if check_count(
                problems,
                base,
                "saml.signing_certificates",
                saml.signing_certificates.len(),
                rules.limits.max_certificates,
            ) {
                for (i, cert) in saml.signing_certificates.iter().enumerate() {
                    if cert.trim().is_empty() || cert.len() > rules.limits.max_certificate_bytes {
                        problems.push(
                            base,
                            &format!("saml.signing_certificates[{i}]"),
                            ErrorCode::InvalidValue,
                            Some("bad_certificate"),
                            format!(
                                "a certificate must be 1 to {} bytes",
                                rules.limits.max_certificate_bytes
                            ),
                        );
                    }
                }
            }
        }
        (Protocol::Oidc, None, Some(oidc)) => {
            check_https_url(problems, rules, base, "oidc.issuer", &oidc.issuer);
            check_text(
                problems,
                rules,
                base,
                "oidc.client_id",
                &oidc.client_id,
                true,
            );
            if let Some(reference) = &oidc.client_secret_ref {
                check_text(
                    problems,
                    rules,
                    base,
                    "oidc.client_secret_ref",
                    reference,
                    true,
                );
            }
            for (i, scope) in oidc.scopes.iter().enumerate() {
                if scope.is_empty()
                    || scope.len() > 128
                    || !scope.bytes().all(|b| b.is_ascii_graphic())
                {
                    problems.push(
                        base,
                        &format!("oidc.scopes[{i}]"),
                        ErrorCode::InvalidValue,
                        Some("bad_scope"),
                        "a scope is 1 to 128 printable ASCII characters".into(),
                    );
                }
            }
        }
        (protocol, _, _) => {
            let want = match protocol {
                Protocol::Saml => "saml",
                Protocol::Oidc => "oidc",
            };
            problems.push(
                base,
                want,
                ErrorCode::InvalidValue,
                Some("settings_mismatch"),
                format!("a `{want}` connection needs a `{want}` settings block and no other"),
            );
        }
    }
    let mut domains = Vec::with_capacity(connection.domains.len());
    for (i, raw) in connection.domains.iter().enumerate() {
        let path = format!("domains[{i}]");
        match normalize_domain(raw) {
            Ok(d) if org_domains.contains(d.domain.as_str()) => domains.push(d.domain),
            Ok(d) => problems.push(
                base,
                &path,
                ErrorCode::InvalidValue,
                Some("domain_not_claimed"),
                format!("`{}` is not one of the organization's domains", d.domain),
            ),
            Err(error) => problems.push_error(&crate::error::join_path(base, &path), error),
        }
    }
    (problems.count() == before).then(|| SsoConnection {
        domains,
        ..connection.clone()
    })
}

fn check_scim(problems: &mut Problems, rules: &Rules<'_>, base: &str, scim: &ScimSettings) {
    if !check_count(
        problems,
        base,
        "tokens",
        scim.tokens.len(),
        rules.limits.max_scim_tokens,
    ) {
        return;
    }
    let mut ids = HashSet::new();
    let mut hashes = HashSet::new();
    for (i, token) in scim.tokens.iter().enumerate() {
        if !hashes.insert(token.sha256.as_str()) {
            problems.push(
                base,
                &format!("tokens[{i}].sha256"),
                ErrorCode::Conflict,
                Some("duplicate_token"),
                "the same SCIM token is listed twice".into(),
            );
        }
        let path = format!("tokens[{i}]");
        check_id(
            problems,
            &crate::error::join_path(base, &path),
            "id",
            &token.id,
        );
        if !ids.insert(token.id.as_str()) {
            problems.push(
                base,
                &format!("{path}.id"),
                ErrorCode::Conflict,
                Some("duplicate_id"),
                format!("token id `{}` appears twice", token.id),
            );
        }
        if token.sha256.len() != 64
            || !token
                .sha256
                .bytes()
                .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        {
            problems.push(
                base,
                &format!("{path}.sha256"),
                ErrorCode::InvalidValue,
                Some("not_sha256_hex"),
                "a SCIM token is stored as its SHA-256 hash: 64 lowercase hex characters, never the token".into(),
            );
        }
    }
    if let Some(profile) = &scim.profile {
        if !is_key(profile, 64) {
            problems.push(
                base,
                "profile",
                ErrorCode::InvalidValue,
                Some("invalid_key"),
                "a profile name is lowercase letters, digits and `-_.:`".into(),
            );
        }
    }
}

/// Checks a branding record; when sound, returns it with its custom CSS in canonical form.
pub(crate) fn check_branding(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    branding: &Branding,
) -> Option<Branding> {
    let before = problems.count();
    if let Some(url) = &branding.logo_url {
        check_https_url(problems, rules, base, "logo_url", url);
    }
    for (field, color) in [
        ("primary_color", &branding.primary_color),
        ("secondary_color", &branding.secondary_color),
    ] {
        if let Some(color) = color {
            if !is_hex_color(color) {
                problems.push(
                    base,
                    field,
                    ErrorCode::InvalidValue,
                    Some("not_hex_color"),
                    format!("`{field}` must be `#rgb` or `#rrggbb`"),
                );
            }
        }
    }
    for (field, text) in [
        ("login_title", &branding.login_title),
        ("login_subtitle", &branding.login_subtitle),
        ("login_button_text", &branding.login_button_text),
    ] {
        if let Some(text) = text {
            check_text(problems, rules, base, field, text, true);
        }
    }
    let custom_css = match &branding.custom_css {
        Some(css) => match crate::branding::css::sanitize(css, rules.limits.max_css_bytes) {
            Ok(canonical) => Some(canonical),
            Err(e) => {
                problems.push_error(base, e);
                None
            }
        },
        None => None,
    };
    (problems.count() == before).then(|| Branding {
        custom_css,
        ..branding.clone()
    })
}

fn check_roles(problems: &mut Problems, rules: &Rules<'_>, base: &str, roles: &[CustomRole]) {
    if !check_count(
        problems,
        base,
        "roles",
        roles.len(),
        rules.limits.max_roles_per_org,
    ) {
        return;
    }
    let mut keys = HashSet::new();
    for (i, role) in roles.iter().enumerate() {
        let path = crate::error::join_path(base, &format!("roles[{i}]"));
        if !is_key(&role.key, 64) {
            problems.push(
                &path,
                "key",
                ErrorCode::InvalidValue,
                Some("invalid_key"),
                format!(
                    "role key `{}` must be 1 to 64 of lowercase letters, digits and `-_.:`",
                    role.key
                ),
            );
        } else if !keys.insert(role.key.as_str()) {
            problems.push(
                &path,
                "key",
                ErrorCode::Conflict,
                Some("duplicate_role"),
                format!("role `{}` is defined twice", role.key),
            );
        }
        if let Some(name) = &role.name {
            check_text(problems, rules, &path, "name", name, true);
        }
        if check_count(
            problems,
            &path,
            "permissions",
            role.permissions.len(),
            rules.limits.max_permissions_per_role,
        ) {
            for (j, permission) in role.permissions.iter().enumerate() {
                if permission.is_empty()
                    || permission.len() > 128
                    || !permission.bytes().all(|b| b.is_ascii_graphic())
                {
                    problems.push(
                        &path,
                        &format!("permissions[{j}]"),
                        ErrorCode::InvalidValue,
                        Some("bad_permission"),
                        "a permission is 1 to 128 printable ASCII characters".into(),
                    );
                }
            }
        }
    }
}

/// Validates an organization record, returning it in canonical form when sound.
pub(crate) fn check_org(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    org: &Organization,
) -> Option<Organization> {
    let before = problems.count();
    check_id(problems, base, "id", &org.id);
    check_text(problems, rules, base, "name", &org.name, true);
    if !is_valid_slug(&org.slug) {
        problems.push(
            base,
            "slug",
            ErrorCode::InvalidValue,
            Some("invalid_slug"),
            format!(
                "slug `{}` must be 1 to 63 of `a-z0-9-` with no hyphen at either end",
                org.slug
            ),
        );
    }
    if let Some(parent) = &org.parent_id {
        check_id(problems, base, "parent_id", parent);
        if parent == &org.id {
            problems.push(
                base,
                "parent_id",
                ErrorCode::InvalidValue,
                Some("parent_cycle"),
                "an organization cannot be its own parent".into(),
            );
        }
    }
    let mut domains = Vec::with_capacity(org.domains.len());
    if check_count(
        problems,
        base,
        "domains",
        org.domains.len(),
        rules.limits.max_domains_per_org,
    ) {
        let mut seen = HashSet::new();
        for (i, domain) in org.domains.iter().enumerate() {
            let path = crate::error::join_path(base, &format!("domains[{i}]"));
            if let Some(d) = check_domain(problems, rules, &path, domain) {
                if seen.insert(d.domain.clone()) {
                    domains.push(d);
                } else {
                    problems.push(
                        &path,
                        "domain",
                        ErrorCode::Conflict,
                        Some("duplicate_domain"),
                        format!("`{}` is listed twice", d.domain),
                    );
                }
            }
        }
    }
    let names: HashSet<&str> = domains.iter().map(|d| d.domain.as_str()).collect();
    let mut connections = Vec::with_capacity(org.sso_connections.len());
    if check_count(
        problems,
        base,
        "sso_connections",
        org.sso_connections.len(),
        rules.limits.max_connections_per_org,
    ) {
        let mut ids = HashSet::new();
        for (i, connection) in org.sso_connections.iter().enumerate() {
            let path = crate::error::join_path(base, &format!("sso_connections[{i}]"));
            if !ids.insert(connection.id.as_str()) {
                problems.push(
                    &path,
                    "id",
                    ErrorCode::Conflict,
                    Some("duplicate_id"),
                    format!("connection `{}` is listed twice", connection.id),
                );
            }
            if let Some(c) = check_connection(problems, rules, &path, connection, &names) {
                connections.push(c);
            }
        }
    }
    if let Some(scim) = &org.scim {
        let at = crate::error::join_path(base, "scim");
        check_scim(problems, rules, &at, scim);
        if let Some(mapping) = &scim.mapping {
            let at = crate::error::join_path(&at, "mapping");
            for (path, error) in crate::scim::mapping::check(mapping, org) {
                problems.push_error(&crate::error::join_path(&at, &path), error);
            }
        }
    }
    if let Some(audit) = &org.audit {
        let at = crate::error::join_path(base, "audit");
        for (path, error) in audit.problems() {
            problems.push_error(&crate::error::join_path(&at, &path), error);
        }
    }
    let branding = org.branding.as_ref().and_then(|branding| {
        check_branding(
            problems,
            rules,
            &crate::error::join_path(base, "branding"),
            branding,
        )
    });
    check_roles(problems, rules, base, &org.roles);
    if check_count(
        problems,
        base,
        "feature_flags",
        org.feature_flags.len(),
        rules.limits.max_flags_per_org,
    ) {
        for (key, value) in &org.feature_flags {
            let path = format!("feature_flags.{key}");
            if !is_key(key, 64) {
                problems.push(
                    base,
                    &path,
                    ErrorCode::InvalidValue,
                    Some("invalid_key"),
                    format!(
                        "flag key `{key}` must be 1 to 64 of lowercase letters, digits and `-_.:`"
                    ),
                );
            }
            if let crate::directory::records::FlagValue::Text(text) = value {
                check_text(problems, rules, base, &path, text, false);
            }
        }
    }
    check_org_policies(problems, rules, base, org);
    (problems.count() == before).then(|| Organization {
        domains,
        sso_connections: connections,
        branding: branding.map(Box::new),
        ..org.clone()
    })
}

/// The admin-written policies: ids, count and size (Cedar checks the text itself).
fn check_org_policies(problems: &mut Problems, rules: &Rules<'_>, base: &str, org: &Organization) {
    if !check_count(
        problems,
        base,
        "policies",
        org.policies.len(),
        rules.limits.max_policies_per_org,
    ) {
        return;
    }
    let mut ids = HashSet::new();
    for (i, policy) in org.policies.iter().enumerate() {
        let path = crate::error::join_path(base, &format!("policies[{i}]"));
        if !is_key(&policy.id, 64) {
            let message = format!(
                "policy id `{}` must be 1 to 64 of lowercase letters, digits and `-_.:`",
                policy.id
            );
            problems.push(
                &path,
                "id",
                ErrorCode::InvalidValue,
                Some("invalid_key"),
                message,
            );
        } else if !ids.insert(policy.id.as_str()) {
            let message = format!("policy `{}` is listed twice", policy.id);
            problems.push(
                &path,
                "id",
                ErrorCode::Conflict,
                Some("duplicate_id"),
                message,
            );
        }
        if policy.cedar.len() > rules.limits.max_policy_bytes {
            let message = format!(
                "a policy is at most {} bytes",
                rules.limits.max_policy_bytes
            );
            problems.push(
                &path,
                "cedar",
                ErrorCode::LimitExceeded,
                Some("text_too_long"),
                message,
            );
        }
    }
}

/// Validates a user record, returning it with its canonical email when sound.
pub(crate) fn check_user(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    user: &User,
) -> Option<User> {
    let before = problems.count();
    check_id(problems, base, "id", &user.id);
    if let Some(name) = &user.name {
        check_text(problems, rules, base, "name", name, true);
    }
    let email = match normalize_email(&user.email) {
        Ok(e) => Some(e.email),
        Err(error) => {
            problems.push_error(&crate::error::join_path(base, "email"), error);
            None
        }
    };
    match email {
        Some(email) if problems.count() == before => Some(User {
            email,
            ..user.clone()
        }),
        _ => None,
    }
}

/// True for an RFC 3339 date-time such as `2026-11-28T07:00:00Z` or `…+01:00`.
pub fn is_rfc3339(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |range: std::ops::Range<usize>| {
        b.get(range)
            .is_some_and(|d| d.iter().all(u8::is_ascii_digit))
    };
    let at = |i: usize, c: u8| b.get(i) == Some(&c);
    if !(digits(0..4)
        && at(4, b'-')
        && digits(5..7)
        && at(7, b'-')
        && digits(8..10)
        && (at(10, b'T') || at(10, b't')))
        || !(digits(11..13) && at(13, b':') && digits(14..16) && at(16, b':') && digits(17..19))
    {
        return false;
    }
    let two = |i: usize| match b.get(i..i + 2) {
        Some([tens, ones]) => u32::from(tens - b'0') * 10 + u32::from(ones - b'0'),
        _ => 99,
    };
    if !(1..=12).contains(&two(5))
        || !(1..=31).contains(&two(8))
        || two(11) > 23
        || two(14) > 59
        || two(17) > 60
    {
        return false;
    }
    let mut rest = b.get(19..).unwrap_or_default();
    if let Some((b'.', fraction)) = rest.split_first() {
        let n = fraction.iter().take_while(|d| d.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = fraction.get(n..).unwrap_or_default();
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit()),
        _ => false,
    }
}

/// Validates the fields of a membership that need no other record.
pub(crate) fn check_membership_fields(
    problems: &mut Problems,
    rules: &Rules<'_>,
    base: &str,
    membership: &Membership,
) {
    check_id(problems, base, "user_id", &membership.user_id);
    check_id(problems, base, "org_id", &membership.org_id);
    check_count(
        problems,
        base,
        "roles",
        membership.roles.len(),
        rules.limits.max_roles_per_membership,
    );
    let mut seen = HashSet::new();
    for (i, role) in membership.roles.iter().enumerate() {
        if !seen.insert(role.as_str()) {
            problems.push(
                base,
                &format!("roles[{i}]"),
                ErrorCode::Conflict,
                Some("duplicate_role"),
                format!("role `{role}` is listed twice"),
            );
        }
    }
    if let Some(joined_at) = &membership.joined_at {
        if !is_rfc3339(joined_at) {
            problems.push(
                base,
                "joined_at",
                ErrorCode::InvalidValue,
                Some("not_rfc3339"),
                "`joined_at` must be an RFC 3339 date-time".into(),
            );
        }
    }
    if let Some(connection) = &membership.authenticated_via {
        check_id(problems, base, "authenticated_via", connection);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339() {
        assert!(is_rfc3339("2026-11-28T07:00:00Z"));
        assert!(is_rfc3339("2026-11-28T07:00:00.123+01:00"));
        assert!(!is_rfc3339("2026-13-28T07:00:00Z"));
        assert!(!is_rfc3339("2026-11-28 07:00:00"));
        assert!(!is_rfc3339("2026-11-28T07:00:00"));
        assert!(!is_rfc3339(""));
    }

    #[test]
    fn slugs_and_colors() {
        assert!(is_valid_slug("acme-eu"));
        assert!(!is_valid_slug("Acme"));
        assert!(!is_valid_slug("-acme"));
        assert!(is_hex_color("#fff"));
        assert!(is_hex_color("#A0b1C2"));
        assert!(!is_hex_color("red"));
        assert!(!is_hex_color("#ff"));
    }
}
