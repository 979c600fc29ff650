//! Model test of the membership indexes: random batches of changes to orgs, users and
//! memberships, applied one after the other, must leave the directory answering exactly as a
//! plain map of (user, org) → membership does: `membership`, both orderings of the pairs, the
//! count in `stats`, the exported document, and the decision's membership view.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use orgkit::{
    AuthorizeRequest, Change, Directory, DirectoryDoc, LoadOptions, Membership, MembershipStatus,
    Organization, Principal, Resource, User,
};
use proptest::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

const ORGS: usize = 4;
const USERS: usize = 5;
/// Up to this many more users, loaded as members of `o0`: with the ops' own users an org
/// crosses the line where its memberships move from a slice to a map (16), and removals of
/// these users bring it back below half of it.
const CROWD: usize = 20;

fn org(i: usize) -> Organization {
    serde_json::from_value(
        serde_json::json!({"id": format!("o{i}"), "name": "O", "slug": format!("o{i}")}),
    )
    .unwrap()
}

fn user(i: usize) -> User {
    serde_json::from_value(
        serde_json::json!({"id": format!("u{i}"), "email": format!("u{i}@o.test")}),
    )
    .unwrap()
}

#[derive(Debug, Clone)]
enum Op {
    Upsert {
        user: usize,
        org: usize,
        admin: bool,
        suspended: bool,
    },
    Remove {
        user: usize,
        org: usize,
    },
    RemoveOrg(usize),
    AddOrg(usize),
    RemoveUser(usize),
    AddUser(usize),
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..USERS, 0..ORGS, any::<bool>(), any::<bool>())
            .prop_map(|(user, org, admin, suspended)| Op::Upsert { user, org, admin, suspended }),
        3 => (0..USERS + CROWD, 0..ORGS).prop_map(|(user, org)| Op::Remove { user, org }),
        1 => (0..ORGS).prop_map(Op::RemoveOrg),
        1 => (0..ORGS).prop_map(Op::AddOrg),
        1 => (0..USERS).prop_map(Op::RemoveUser),
        1 => (0..USERS).prop_map(Op::AddUser),
    ]
}

/// The model: which orgs and users exist, and the memberships by (user, org).
#[derive(Default)]
struct Model {
    orgs: BTreeSet<usize>,
    users: BTreeSet<usize>,
    members: BTreeMap<(usize, usize), (String, MembershipStatus)>,
}

/// The change that carries out `op`.
fn change_of(op: &Op) -> Change {
    match *op {
        Op::Upsert {
            user,
            org,
            admin,
            suspended,
        } => Change::UpsertMembership {
            membership: Membership {
                user_id: format!("u{user}"),
                org_id: format!("o{org}"),
                roles: vec![if admin { "admin" } else { "member" }.into()],
                status: if suspended {
                    MembershipStatus::Suspended
                } else {
                    MembershipStatus::Active
                },
                joined_at: None,
                authenticated_via: None,
            },
        },
        Op::Remove { user, org } => Change::RemoveMembership {
            user_id: format!("u{user}"),
            org_id: format!("o{org}"),
        },
        Op::RemoveOrg(i) => Change::RemoveOrg {
            org_id: format!("o{i}"),
        },
        Op::AddOrg(i) => Change::UpsertOrg { org: org(i) },
        Op::RemoveUser(i) => Change::RemoveUser {
            user_id: format!("u{i}"),
        },
        Op::AddUser(i) => Change::UpsertUser { user: user(i) },
    }
}

impl Model {
    /// Applies `op` to the model; `false` when the directory must refuse it (the model is then
    /// left as it is, as the directory must be).
    fn apply(&mut self, op: &Op) -> bool {
        match *op {
            Op::Upsert {
                user,
                org,
                admin,
                suspended,
            } => {
                if !self.users.contains(&user) || !self.orgs.contains(&org) {
                    return false;
                }
                let role = if admin { "admin" } else { "member" };
                let status = if suspended {
                    MembershipStatus::Suspended
                } else {
                    MembershipStatus::Active
                };
                self.members.insert((user, org), (role.into(), status));
                true
            }
            Op::Remove { user, org } => self.members.remove(&(user, org)).is_some(),
            Op::RemoveOrg(i) => {
                let known = self.orgs.remove(&i);
                self.members.retain(|(_, o), _| *o != i);
                known
            }
            // Upserting an existing org or user keeps its memberships.
            Op::AddOrg(i) => {
                self.orgs.insert(i);
                true
            }
            Op::RemoveUser(i) => {
                let known = self.users.remove(&i);
                self.members.retain(|(u, _), _| *u != i);
                known
            }
            Op::AddUser(i) => {
                self.users.insert(i);
                true
            }
        }
    }

    fn check(&self, dir: &Directory) {
        assert_eq!(dir.stats().memberships, self.members.len());
        for u in 0..USERS + CROWD {
            for o in 0..ORGS {
                let (uid, oid) = (format!("u{u}"), format!("o{o}"));
                let held = dir.membership(&uid, &oid);
                let expected = self.members.get(&(u, o));
                assert_eq!(
                    held.map(|m| (m.roles().collect::<Vec<_>>(), m.status())),
                    expected.map(|(role, status)| (vec![role.as_str()], *status)),
                    "{uid} in {oid}"
                );
                if !self.users.contains(&u) || !self.orgs.contains(&o) {
                    continue;
                }
                // The decision reads the same membership.
                let request = AuthorizeRequest {
                    principal: Principal::User(uid.clone()),
                    active_org: oid.clone(),
                    action: "org.read".into(),
                    resource: Resource {
                        kind: "Organization".into(),
                        id: oid.clone(),
                        org: None,
                        attrs: None,
                    },
                    now: 1,
                    context: Default::default(),
                    grant: None,
                    event_id: None,
                    audit_context: None,
                };
                let view = dir.authorize(&request).unwrap().membership;
                let status = match expected {
                    None => "none",
                    Some((_, MembershipStatus::Active)) => "active",
                    Some((_, MembershipStatus::Suspended)) => "suspended",
                    Some((_, MembershipStatus::Invited)) => "invited",
                };
                assert_eq!(view.status, status, "{uid} in {oid}");
            }
            let mut orgs: Vec<String> = self
                .members
                .keys()
                .filter(|(x, _)| *x == u)
                .map(|(_, o)| format!("o{o}"))
                .collect();
            orgs.sort();
            assert_eq!(dir.user_org_ids(&format!("u{u}")), orgs);
        }
        for o in 0..ORGS {
            // Ids sort as text: u10 before u2.
            let mut users: Vec<String> = self
                .members
                .keys()
                .filter(|(_, x)| *x == o)
                .map(|(u, _)| format!("u{u}"))
                .collect();
            users.sort();
            assert_eq!(dir.org_member_ids(&format!("o{o}")), users);
        }
        let exported: Vec<(String, String)> = dir
            .to_doc()
            .memberships
            .into_iter()
            .map(|m| (m.user_id, m.org_id))
            .collect();
        let mut expected: Vec<(String, String)> = self
            .members
            .keys()
            .map(|(u, o)| (format!("u{u}"), format!("o{o}")))
            .collect();
        expected.sort();
        assert_eq!(exported, expected);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn memberships_follow_the_model(
        crowd in 0..=CROWD,
        batches in prop::collection::vec(prop::collection::vec(op(), 1..6), 1..12),
    ) {
        let mut model = Model::default();
        let crowded = USERS..USERS + crowd;
        model.orgs.extend(0..ORGS - 1);
        model.users.extend((0..USERS - 1).chain(crowded.clone()));
        for u in crowded.clone() {
            model.members.insert((u, 0), ("member".into(), MembershipStatus::Active));
        }
        let doc = DirectoryDoc {
            schema_version: 1,
            orgs: (0..ORGS - 1).map(org).collect(),
            users: (0..USERS - 1).chain(crowded.clone()).map(user).collect(),
            memberships: crowded
                .map(|u| change_of(&Op::Upsert { user: u, org: 0, admin: false, suspended: false }))
                .map(|change| match change {
                    Change::UpsertMembership { membership } => membership,
                    _ => unreachable!("an upsert op is a membership upsert"),
                })
                .collect(),
        };
        let mut dir = Directory::load(&doc, &LoadOptions::default()).unwrap();
        for batch in &batches {
            // Each op is its own batch when the model accepts it; a refused one changes nothing.
            for op in batch {
                let before = dir.stats();
                if model.apply(op) {
                    dir = dir.apply(&[change_of(op)]).unwrap();
                } else {
                    prop_assert!(dir.apply(&[change_of(op)]).is_err(), "{op:?} must be refused");
                    prop_assert_eq!(dir.stats().memberships, before.memberships);
                }
            }
            model.check(&dir);
        }
    }
}
