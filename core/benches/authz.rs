//! Authorization benchmark: orgkit `authorize` against plain `cedar-policy` evaluating one
//! policy set that holds every organization's template links (the approach published peers
//! take), on the same scenario:
//! N orgs; two role templates (admin, member) linked per org; each user holds one role in one
//! org; 4-entity requests (user → role → org, resource in an org); 10% of requests cross orgs.
//!
//! Criterion measures the mean per decision (`authz/{orgkit,cedar_all_links}/{N}`); after it,
//! a percentile pass times 20,000 single orgkit decisions per size (and as many of the peer's,
//! but 300 at 100,000 orgs) and prints p50 and p99.
//! Run: `cargo bench -p orgkit --bench authz`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use cedar_policy::{
    Authorizer, Context, Entities, Entity, EntityUid, PolicyId, PolicySet, Request, SlotId,
    Template,
};
use criterion::{criterion_group, criterion_main, Criterion};
use orgkit::{
    AuthorizeRequest, Directory, DirectoryDoc, LoadOptions, Membership, MembershipStatus,
    Organization, Principal, Resource, User,
};
use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::str::FromStr;
use std::time::{Duration, Instant};

const SIZES: [usize; 3] = [10, 1_000, 100_000];
const REQUESTS: usize = 1_000;
const ACTIONS: [&str; 2] = ["users.read", "sso.configure"];

/// Request `k`: user `k % n`, in their own org, on a member resource of their org, or (every
/// tenth request) of the next org.
fn plan(n: usize, k: usize) -> (usize, usize, &'static str) {
    let user = (k * 7919) % n;
    let resource_org = if k % 10 == 0 { (user + 1) % n } else { user };
    (user, resource_org, ACTIONS[k % 2])
}

fn role(user: usize) -> &'static str {
    if user % 2 == 0 {
        "admin"
    } else {
        "member"
    }
}

fn orgkit_world(n: usize) -> (Directory, Vec<AuthorizeRequest>) {
    let orgs = (0..n)
        .map(|i| Organization {
            id: format!("org{i}"),
            name: format!("Org {i}"),
            slug: format!("org{i}"),
            status: Default::default(),
            domains: vec![],
            sso_connections: vec![],
            require_sso: false,
            scim: None,
            branding: None,
            roles: vec![],
            feature_flags: Default::default(),
            parent_id: None,
            policies: vec![],
            audit: None,
        })
        .collect();
    let users = (0..n)
        .map(|i| User {
            id: format!("u{i}"),
            email: format!("u{i}@org{i}.test"),
            name: None,
        })
        .collect();
    let memberships = (0..n)
        .map(|i| Membership {
            user_id: format!("u{i}"),
            org_id: format!("org{i}"),
            roles: vec![role(i).into()],
            status: MembershipStatus::Active,
            joined_at: None,
            authenticated_via: None,
        })
        .collect();
    let doc = DirectoryDoc {
        schema_version: 1,
        orgs,
        users,
        memberships,
    };
    let dir = Directory::load(&doc, &LoadOptions::default()).unwrap();
    let requests = (0..REQUESTS)
        .map(|k| {
            let (user, org, action) = plan(n, k);
            AuthorizeRequest {
                principal: Principal::User(format!("u{user}")),
                active_org: format!("org{user}"),
                action: action.into(),
                resource: Resource {
                    kind: "Member".into(),
                    id: format!("m{k}"),
                    org: Some(format!("org{org}")),
                    attrs: None,
                },
                now: 1_800_000_000,
                context: Default::default(),
                grant: None,
                event_id: Some(format!("ev{k}")),
                audit_context: None,
            }
        })
        .collect();
    (dir, requests)
}

const PEER_TEMPLATES: &str = r#"
@id("admin") permit (principal in ?principal, action in [Action::"users.read", Action::"sso.configure"], resource in ?resource);
@id("member") permit (principal in ?principal, action in [Action::"users.read"], resource in ?resource);
"#;

fn uid(ty: &str, id: &str) -> EntityUid {
    EntityUid::from_str(&format!("{ty}::\"{id}\"")).unwrap()
}

/// Plain Cedar: every org's two template links in one policy set, every entity in one store.
fn cedar_world(n: usize) -> (PolicySet, Entities, Vec<Request>) {
    let mut set = PolicySet::new();
    for (name, text) in [
        ("admin", PEER_TEMPLATES.lines().nth(1).unwrap()),
        ("member", PEER_TEMPLATES.lines().nth(2).unwrap()),
    ] {
        set.add_template(Template::parse(Some(PolicyId::new(name)), text).unwrap())
            .unwrap();
    }
    let mut entities = Vec::new();
    for i in 0..n {
        let org = uid("Organization", &format!("org{i}"));
        for name in ["admin", "member"] {
            let role_uid = uid("Role", &format!("org{i}/{name}"));
            entities.push(Entity::new_no_attrs(
                role_uid.clone(),
                HashSet::from([org.clone()]),
            ));
            let slots = HashMap::from([
                (SlotId::principal(), role_uid),
                (SlotId::resource(), org.clone()),
            ]);
            set.link(
                PolicyId::new(name),
                PolicyId::new(format!("{name}-org{i}")),
                slots,
            )
            .unwrap();
        }
        entities.push(Entity::new_no_attrs(org, HashSet::new()));
        let user_role = uid("Role", &format!("org{i}/{}", role(i)));
        entities.push(Entity::new_no_attrs(
            uid("User", &format!("u{i}")),
            HashSet::from([user_role]),
        ));
    }
    for k in 0..REQUESTS {
        let (_, org, _) = plan(n, k);
        entities.push(Entity::new_no_attrs(
            uid("Member", &format!("m{k}")),
            HashSet::from([uid("Organization", &format!("org{org}"))]),
        ));
    }
    let entities = Entities::from_entities(entities, None).unwrap();
    let requests = (0..REQUESTS)
        .map(|k| {
            let (user, _, action) = plan(n, k);
            Request::new(
                uid("User", &format!("u{user}")),
                uid("Action", action),
                uid("Member", &format!("m{k}")),
                Context::empty(),
                None,
            )
            .unwrap()
        })
        .collect();
    (set, entities, requests)
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    (at(0.50), at(0.99))
}

fn bench(c: &mut Criterion) {
    let mut report = Vec::new();
    for n in SIZES {
        // Each engine is measured with only its own world in memory: the peer's world at
        // 100,000 orgs (200,000 policies and every entity) would otherwise sit in the heap and
        // caches while orgkit is timed. Both engines' answers are compared in between.
        let checked = if n >= 100_000 { 100 } else { REQUESTS };
        let mut group = c.benchmark_group(format!("authz/{n}"));
        if n >= 100_000 {
            group
                .sample_size(10)
                .measurement_time(Duration::from_secs(20));
        }
        let (dir, requests) = orgkit_world(n);
        let our_answers: Vec<bool> = requests
            .iter()
            .take(checked)
            .map(|r| dir.authorize(r).unwrap().decision == orgkit::Decision::Allow)
            .collect();
        let mut k = 0usize;
        group.bench_function("orgkit", |b| {
            b.iter(|| {
                k = (k + 1) % REQUESTS;
                black_box(dir.authorize(&requests[k]).unwrap())
            })
        });
        // orgkit is timed on 20,000 single decisions at every size; the peer on fewer at the
        // largest, where each of its decisions takes hundreds of milliseconds.
        let rounds = 20_000;
        let peer_rounds = if n >= 100_000 { 300 } else { rounds };
        let ours: Vec<Duration> = (0..rounds)
            .map(|i| {
                let start = Instant::now();
                black_box(dir.authorize(&requests[i % REQUESTS]).unwrap());
                start.elapsed()
            })
            .collect();
        drop((dir, requests));

        let (set, entities, cedar_requests) = cedar_world(n);
        let authorizer = Authorizer::new();
        for (i, (ours, theirs)) in our_answers.iter().zip(&cedar_requests).enumerate() {
            let allowed = authorizer.is_authorized(theirs, &set, &entities).decision()
                == cedar_policy::Decision::Allow;
            assert_eq!(*ours, allowed, "the engines disagree on request {i}");
        }
        group.bench_function("cedar_all_links", |b| {
            b.iter(|| {
                k = (k + 1) % REQUESTS;
                black_box(authorizer.is_authorized(&cedar_requests[k], &set, &entities))
            })
        });
        group.finish();
        let theirs: Vec<Duration> = (0..peer_rounds)
            .map(|i| {
                let start = Instant::now();
                black_box(authorizer.is_authorized(&cedar_requests[i % REQUESTS], &set, &entities));
                start.elapsed()
            })
            .collect();
        report.push((n, percentiles(ours), percentiles(theirs), peer_rounds));
    }
    println!("\npercentiles (single decisions):");
    println!(
        "{:>8} | {:>12} {:>12} | {:>16} {:>16} | {:>9}",
        "N", "orgkit p50", "orgkit p99", "cedar-all p50", "cedar-all p99", "p50 ratio"
    );
    for (n, (o50, o99), (c50, c99), rounds) in report {
        println!(
            "{n:>8} | {o50:>12.2?} {o99:>12.2?} | {c50:>16.2?} {c99:>16.2?} | {:>8.1}x  (20000 / {rounds} samples)",
            c50.as_secs_f64() / o50.as_secs_f64()
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
