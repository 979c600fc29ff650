//! Feature flags and entitlements: the app's defaults (`LoadOptions.feature_flags`) overlaid by
//! each org's own values. The effective set goes into session tokens, and the flags that are on
//! reach policies as `context.flags`.

use crate::directory::records::FlagValue;
use crate::directory::Directory;
use crate::error::{Error, ErrorCode, Result};
use std::collections::BTreeMap;

/// The effective flags of an org: `defaults` with the org's own values on top.
pub(crate) fn effective(
    defaults: &BTreeMap<String, FlagValue>,
    org: &BTreeMap<String, FlagValue>,
) -> BTreeMap<String, FlagValue> {
    let mut flags = defaults.clone();
    flags.extend(org.iter().map(|(k, v)| (k.clone(), v.clone())));
    flags
}

impl Directory {
    /// The effective feature flags and entitlements of an org, defaults applied.
    pub fn feature_flags(&self, org_id: &str) -> Result<BTreeMap<String, FlagValue>> {
        let org = self.org(org_id).ok_or_else(|| {
            Error::new(ErrorCode::UnknownOrg, format!("no organization `{org_id}`")).at("org_id")
        })?;
        Ok(effective(&self.flag_defaults, &org.feature_flags))
    }
}
