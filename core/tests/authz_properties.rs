//! Property tests of authorization:
//! - slicing never changes a decision: evaluating the global set plus the active org's slice
//!   gives the same decision as one policy set holding every organization's policies (and the
//!   same determining policies whenever the resource is in the active org);
//! - isolation: no principal without a membership or a grant in org B is ever allowed an
//!   action on a resource of org B.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use orgkit::{
    AuthorizeRequest, CustomRole, Decision, Directory, DirectoryDoc, LoadOptions, Membership,
    MembershipStatus, OrgPolicy, Organization, Principal, Resource, SupportGrant, User,
};
use proptest::prelude::*;

const ACTIONS: [&str; 8] = [
    "org.read",
    "users.read",
    "users.invite",
    "users.suspend",
    "sso.configure",
    "audit.read",
    "roles.manage",
    "org.switch",
];
const ROLE_KEYS: [&str; 3] = ["admin", "ops", "reader"];
const NOW: i64 = 1_800_000_000;

#[derive(Debug, Clone)]
struct OrgSpec {
    roles: Vec<(usize, Vec<usize>)>,
    policies: Vec<(u8, usize, usize)>,
}

#[derive(Debug, Clone)]
struct World {
    orgs: Vec<OrgSpec>,
    users: usize,
    memberships: Vec<(usize, usize, u8, Vec<usize>)>,
}

fn org_spec() -> impl Strategy<Value = OrgSpec> {
    (
        prop::collection::vec(
            (
                0..ROLE_KEYS.len(),
                prop::collection::vec(0..ACTIONS.len(), 0..4),
            ),
            0..3,
        ),
        prop::collection::vec((0u8..5, 0..ACTIONS.len(), 0usize..4), 0..3),
    )
        .prop_map(|(roles, policies)| OrgSpec { roles, policies })
}

fn world() -> impl Strategy<Value = World> {
    (prop::collection::vec(org_spec(), 2..5), 1usize..5).prop_flat_map(|(orgs, users)| {
        let n = orgs.len();
        prop::collection::vec(
            (
                0..users,
                0..n,
                0u8..3,
                prop::collection::vec(0usize..7, 0..3),
            ),
            0..8,
        )
        .prop_map(move |memberships| World {
            orgs: orgs.clone(),
            users,
            memberships,
        })
    })
}

fn org_id(i: usize) -> String {
    format!("o{i}")
}

/// An admin-written policy from a small family, always scoped to its org.
fn policy_text(kind: u8, action: usize, target: usize, org: &str) -> String {
    let scope = format!("resource in Orgkit::Organization::\"{org}\"");
    let action = ACTIONS[action];
    match kind {
        0 => format!("forbid (principal, action == Orgkit::Action::\"{action}\", {scope});"),
        1 => format!("permit (principal, action == Orgkit::Action::\"{action}\", {scope}) when {{ context.membership.status == \"active\" }};"),
        2 => format!("permit (principal == Orgkit::User::\"u{target}\", action, {scope});"),
        3 => format!("permit (principal, action, {scope});"),
        _ => format!("permit (principal in Orgkit::Role::\"{org}/{}\", action == Orgkit::Action::\"{action}\", {scope});", ROLE_KEYS[target % ROLE_KEYS.len()]),
    }
}

fn build(world: &World) -> Directory {
    let orgs = world
        .orgs
        .iter()
        .enumerate()
        .map(|(i, spec)| {
            let id = org_id(i);
            let mut roles: Vec<CustomRole> = Vec::new();
            for (key, permissions) in &spec.roles {
                if roles.iter().any(|r| r.key == ROLE_KEYS[*key]) {
                    continue;
                }
                let mut permissions: Vec<String> = permissions
                    .iter()
                    .map(|a| ACTIONS[*a].to_string())
                    .collect();
                permissions.dedup();
                roles.push(CustomRole {
                    key: ROLE_KEYS[*key].into(),
                    name: None,
                    permissions,
                });
            }
            let policies = spec
                .policies
                .iter()
                .enumerate()
                .map(|(n, (kind, action, target))| OrgPolicy {
                    id: format!("p{n}"),
                    cedar: policy_text(*kind, *action, *target, &id),
                })
                .collect();
            Organization {
                id: id.clone(),
                name: id.clone(),
                slug: id,
                status: Default::default(),
                domains: vec![],
                sso_connections: vec![],
                require_sso: false,
                scim: None,
                branding: None,
                roles,
                feature_flags: Default::default(),
                parent_id: None,
                policies,
                audit: None,
            }
        })
        .collect::<Vec<_>>();
    let users = (0..world.users)
        .map(|u| User {
            id: format!("u{u}"),
            email: format!("u{u}@example.com"),
            name: None,
        })
        .collect();
    let mut memberships: Vec<Membership> = Vec::new();
    for (user, org, status, roles) in &world.memberships {
        if memberships
            .iter()
            .any(|m| m.user_id == format!("u{user}") && m.org_id == org_id(*org))
        {
            continue;
        }
        let offered: Vec<String> = ["owner", "admin", "member", "viewer"]
            .iter()
            .map(|r| r.to_string())
            .chain(orgs[*org].roles.iter().map(|r| r.key.clone()))
            .collect();
        let mut held: Vec<String> = roles
            .iter()
            .map(|r| offered[r % offered.len()].clone())
            .collect();
        held.sort();
        held.dedup();
        memberships.push(Membership {
            user_id: format!("u{user}"),
            org_id: org_id(*org),
            roles: held,
            status: [
                MembershipStatus::Active,
                MembershipStatus::Invited,
                MembershipStatus::Suspended,
            ][*status as usize],
            joined_at: None,
            authenticated_via: None,
        });
    }
    let doc = DirectoryDoc {
        schema_version: 1,
        orgs,
        users,
        memberships,
    };
    Directory::load(&doc, &LoadOptions::default()).expect("generated directories are valid")
}

#[derive(Debug, Clone)]
struct Ask {
    staff: bool,
    who: usize,
    active: usize,
    action: usize,
    resource_org: usize,
    member_resource: bool,
    grant: Option<(usize, bool, bool, bool)>,
}

fn ask() -> impl Strategy<Value = Ask> {
    (
        any::<bool>(),
        0usize..5,
        0usize..5,
        0..ACTIONS.len(),
        0usize..5,
        any::<bool>(),
        prop::option::of((0usize..5, any::<bool>(), any::<bool>(), any::<bool>())),
    )
        .prop_map(
            |(staff, who, active, action, resource_org, member_resource, grant)| Ask {
                staff,
                who,
                active,
                action,
                resource_org,
                member_resource,
                grant,
            },
        )
}

fn request(world: &World, ask: &Ask) -> AuthorizeRequest {
    let n = world.orgs.len();
    let resource_org = org_id(ask.resource_org % n);
    let resource = if ask.member_resource {
        Resource {
            kind: "Member".into(),
            id: "u0".into(),
            org: Some(resource_org),
            attrs: None,
        }
    } else {
        Resource {
            kind: "Organization".into(),
            id: resource_org,
            org: None,
            attrs: None,
        }
    };
    let (principal, grant) = if ask.staff {
        let grant = ask
            .grant
            .map(|(org, same_staff, in_scope, live)| SupportGrant {
                id: "g".into(),
                staff_id: if same_staff {
                    format!("s{}", ask.who)
                } else {
                    "s_other".into()
                },
                org_id: org_id(org % n),
                reason: "ticket".into(),
                actions: if in_scope {
                    vec![ACTIONS[ask.action].into()]
                } else {
                    vec!["org.read".into()]
                },
                expires_at: if live { NOW + 10 } else { NOW - 10 },
            });
        (Principal::Staff(format!("s{}", ask.who)), grant)
    } else {
        (Principal::User(format!("u{}", ask.who % world.users)), None)
    };
    AuthorizeRequest {
        principal,
        active_org: org_id(ask.active % n),
        action: ACTIONS[ask.action].into(),
        resource,
        now: NOW,
        context: Default::default(),
        grant,
        event_id: None,
        audit_context: None,
    }
}

fn resource_org(request: &AuthorizeRequest) -> String {
    request
        .resource
        .org
        .clone()
        .unwrap_or_else(|| request.resource.id.clone())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn slicing_never_changes_a_decision_and_check_answers_as_authorize(world in world(), asks in prop::collection::vec(ask(), 1..4)) {
        let dir = build(&world);
        for ask in &asks {
            let request = request(&world, ask);
            let sliced = dir.authorize(&request).unwrap();
            let whole = dir.authorize_unsliced(&request).unwrap();
            prop_assert_eq!(sliced.decision, whole.decision, "{:?}", request);
            if request.grant.is_none() {
                let checked = dir.check(&request.clone().into_check().unwrap()).unwrap();
                prop_assert_eq!(
                    (checked.decision, &checked.policies, &checked.errors),
                    (sliced.decision, &sliced.policies, &sliced.errors),
                    "check answers as authorize: {:?}", request
                );
            }
            if resource_org(&request) == request.active_org {
                prop_assert_eq!(&sliced.policies, &whole.policies);
            } else {
                // Across orgs both deny through the org boundary; the whole set may also name
                // the resource org's own forbids, which slicing rightly never evaluates.
                prop_assert!(sliced.policies.iter().any(|p| p == "orgkit.org_boundary"));
                prop_assert!(sliced.policies.iter().all(|p| whole.policies.contains(p)));
            }
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(10_000))]

    #[test]
    fn nobody_outside_org_b_acts_on_org_b(world in world(), ask in ask()) {
        let dir = build(&world);
        let request = request(&world, &ask);
        let b = resource_org(&request);
        let entitled = match (&request.principal, &request.grant) {
            (Principal::User(user), _) => dir.membership(user, &b).is_some(),
            (Principal::Staff(_), Some(grant)) => grant.org_id == b,
            (Principal::Staff(_), None) => false,
        };
        let decision = dir.authorize(&request).unwrap();
        if !entitled {
            prop_assert_eq!(decision.decision, Decision::Deny, "{:?} got {:?}", request, decision.policies);
        }
    }
}
