//! Login-screen branding: each field resolved along the chain org → parent orgs → the app's
//! default (`LoadOptions.branding`), found by an email address (its domain's org, as routing
//! decides), a slug or an SSO connection. Validation (https URLs, hex colours, bounded texts,
//! allow-listed custom CSS) happens when records load; see [`css`].

pub mod css;

use crate::directory::records::Branding;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use crate::routing::decision::OrgRef;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// How to find the org whose branding a login screen shows (exactly one).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BrandingLookup {
    /// The address typed on the login screen: its domain's org, as routing decides.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// An org slug (`/login/acme`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub slug: Option<String>,
    /// An SSO connection id (IdP-initiated or a connection-specific login URL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub connection_id: Option<String>,
}

/// The branding to show, field by field, and where each field came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ResolvedBranding {
    /// The org found, if any (none: the app's default applies throughout).
    pub org: Option<OrgRef>,
    /// The merged branding.
    pub branding: Branding,
    /// Field name → the id of the org that set it, or `default`.
    pub sources: BTreeMap<&'static str, String>,
}

impl Directory {
    /// The branding for a login screen; see the module docs for the chain.
    pub fn resolve_branding(&self, lookup: &BrandingLookup) -> Result<ResolvedBranding> {
        let org = match (&lookup.email, &lookup.slug, &lookup.connection_id) {
            (Some(email), None, None) => {
                self.route(email)?.org.and_then(|found| self.org(&found.id))
            }
            (None, Some(slug), None) => Some(self.org_by_slug(slug).ok_or_else(|| {
                Error::new(
                    ErrorCode::UnknownOrg,
                    format!("no organization has slug `{slug}`"),
                )
                .at("slug")
            })?),
            (None, None, Some(connection)) => {
                let id = self.connection_org(connection).ok_or_else(|| {
                    Error::new(
                        ErrorCode::UnknownConnection,
                        format!("no SSO connection has id `{connection}`"),
                    )
                    .at("connection_id")
                })?;
                self.org(id)
            }
            _ => {
                return Err(Error::new(
                    ErrorCode::InvalidInput,
                    "give exactly one of `email`, `slug` or `connection_id`",
                ))
            }
        };
        let mut chain: Vec<(&str, &Branding)> = Vec::new();
        let mut next = org;
        let mut depth = 0;
        while let Some(current) = next {
            if let Some(branding) = &current.branding {
                chain.push((current.id.as_str(), branding));
            }
            depth += 1;
            next = match &current.parent_id {
                Some(parent) if depth <= self.limits.max_org_depth => self.org(parent),
                _ => None,
            };
        }
        if let Some(default) = &self.branding_default {
            chain.push(("default", default));
        }
        let (branding, sources) = merge(&chain);
        Ok(ResolvedBranding {
            org: org.map(OrgRef::from),
            branding,
            sources,
        })
    }
}

/// Each field from the first link of the chain that sets it.
fn merge(chain: &[(&str, &Branding)]) -> (Branding, BTreeMap<&'static str, String>) {
    let mut sources = BTreeMap::new();
    let mut pick = |name: &'static str, get: fn(&Branding) -> &Option<String>| {
        chain.iter().find_map(|(source, b)| {
            get(b).as_ref().map(|value| {
                sources.insert(name, (*source).to_string());
                value.clone()
            })
        })
    };
    let branding = Branding {
        logo_url: pick("logo_url", |b| &b.logo_url),
        primary_color: pick("primary_color", |b| &b.primary_color),
        secondary_color: pick("secondary_color", |b| &b.secondary_color),
        login_title: pick("login_title", |b| &b.login_title),
        login_subtitle: pick("login_subtitle", |b| &b.login_subtitle),
        login_button_text: pick("login_button_text", |b| &b.login_button_text),
        custom_css: pick("custom_css", |b| &b.custom_css),
    };
    (branding, sources)
}
