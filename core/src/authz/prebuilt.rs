//! Cedar values a decision would otherwise build on every request, built once per load and
//! shared by cloning (a reference count): the `context.membership` record for each membership
//! status and set of built-in roles.

use crate::authz::index::{role_bits, status_index, STATES};
use crate::directory::records::BUILTIN_ROLES;
use cedar_policy_core::ast::Value as CedarValue;
use smol_str::SmolStr;

/// Every possible set of built-in roles, as a bit per role of [`BUILTIN_ROLES`].
const ROLE_SETS: usize = 1 << BUILTIN_ROLES.len();

/// `context.membership` (`status` and `builtin_roles`) for every status and role set.
#[derive(Debug)]
pub(crate) struct MembershipValues {
    /// Indexed by `status_index * ROLE_SETS + role_bits`.
    records: Vec<CedarValue>,
}

impl MembershipValues {
    pub(crate) fn new() -> Self {
        let records = STATES
            .iter()
            .flat_map(|status| (0..ROLE_SETS).map(move |bits| record(status, bits)))
            .collect();
        Self { records }
    }

    /// The record for `status` and `builtin_roles` (names of [`BUILTIN_ROLES`]; an unknown
    /// status counts as `none`, as in the request's shape).
    pub(crate) fn get(&self, status: &str, builtin_roles: &[&str]) -> CedarValue {
        let at =
            usize::from(status_index(status)) * ROLE_SETS + usize::from(role_bits(builtin_roles));
        match self.records.get(at) {
            Some(value) => value.clone(),
            // Unreachable: every status index and role set has its record.
            None => record(status, usize::from(role_bits(builtin_roles))),
        }
    }
}

fn record(status: &str, bits: usize) -> CedarValue {
    let roles = BUILTIN_ROLES
        .iter()
        .enumerate()
        .filter(|(i, _)| bits & (1 << i) != 0)
        .map(|(_, role)| CedarValue::from(*role));
    CedarValue::record(
        [
            (SmolStr::new_static("status"), CedarValue::from(status)),
            (
                SmolStr::new_static("builtin_roles"),
                CedarValue::set(roles, None),
            ),
        ],
        None,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_record_holds_its_status_and_roles() {
        let values = MembershipValues::new();
        for status in STATES {
            for roles in [
                &[][..],
                &["admin"],
                &["viewer", "owner"],
                &BUILTIN_ROLES[..],
            ] {
                let built = CedarValue::record(
                    [
                        (SmolStr::new_static("status"), CedarValue::from(status)),
                        (
                            SmolStr::new_static("builtin_roles"),
                            CedarValue::set(roles.iter().map(|r| CedarValue::from(*r)), None),
                        ),
                    ],
                    None,
                );
                assert_eq!(values.get(status, roles), built, "{status} {roles:?}");
            }
        }
    }
}
