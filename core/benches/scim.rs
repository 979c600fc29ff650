//! SCIM benchmarks (issue #4): the three things an IdP makes a SCIM endpoint do most, on
//! realistic payloads read from `benches/data/scim/*.json` (the files the Python peer harness
//! `benches/peers/scim2_models_bench.py` reads too):
//!
//! - `create_user/parse_and_map`: `POST /Users` from the body's bytes: [`parse_request`] (route,
//!   headers, JSON parse of the body), then [`CompiledMapping::map_user`] with the org's mapping
//!   as a loaded directory keeps it (paths parsed once), for an org whose mapping has group and
//!   attribute role rules (an Okta/Entra-like User with name, emails, roles and the enterprise
//!   extension). `create_user/parse_request` is the first half alone.
//! - `patch_3_ops/{group,user}`: `PATCH /Groups/{id}` (replace `displayName`, add a member,
//!   remove a member by filter, on a group of 10 members) and `PATCH /Users/{id}` (replace
//!   `active`, add a work email, replace the enterprise `department`): [`parse_request`] from
//!   the body's bytes, then [`apply_patch`] with the default tolerances.
//! - `filter/{parse,parse_and_match,match}`: a compound filter with a value path and a
//!   `dateTime` comparison, parsed, and evaluated against a stored User.
//!
//! Every case is checked once for the expected outcome before it is timed. Criterion measures
//! the mean per operation; after it, a percentile pass times 20,000 single operations per case
//! and prints p50 and p99 (all cases, whatever the filter).
//!
//! Run: `cargo bench -p orgkit --bench scim` (filter with a regex: `-- '^filter/'`). The
//! side-by-side comparison with `scim2-models` is `core/benches/peers/run_scim_comparison.sh`.
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use criterion::{criterion_group, criterion_main, Criterion};
use orgkit::scim::filter::{self, CoreSchemas, Filter};
use orgkit::scim::mapping::{CompiledMapping, GroupRef};
use orgkit::scim::patch::{apply_patch, PatchTolerance};
use orgkit::scim::protocol::{parse_request, Operation, RequestHeaders};
use orgkit::{Limits, Organization};
use serde_json::Value;
use std::hint::black_box;
use std::time::{Duration, Instant};

const PERCENTILE_ROUNDS: usize = 20_000;
/// The request paths of the two PATCHes (the ids of `group.json` and `user.json`).
const GROUP_PATH: &str = "/Groups/e9e30dba-f08f-4109-8486-d5c6a331660a";
const USER_PATH: &str = "/Users/2819c223-7f76-453a-919d-413861904646";

fn data(name: &str) -> Vec<u8> {
    let path = format!("{}/benches/data/scim/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

fn json<T: serde::de::DeserializeOwned>(name: &str) -> T {
    serde_json::from_slice(&data(name)).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// Everything the cases read, loaded once.
struct World {
    mapping: CompiledMapping,
    groups: Vec<GroupRef>,
    create_body: Vec<u8>,
    group: Value,
    patch_group_body: Vec<u8>,
    user: Value,
    patch_user_body: Vec<u8>,
    filter_text: String,
    filter: Filter,
    limits: Limits,
    tolerance: PatchTolerance,
}

impl World {
    fn load() -> Self {
        let limits = Limits::default();
        let filter_doc: Value = json("filter.json");
        let filter_text = filter_doc["filter"].as_str().unwrap().to_string();
        let filter = filter::parse(&filter_text, &limits).unwrap();
        Self {
            mapping: CompiledMapping::of(&json::<Organization>("org.json")),
            groups: json("groups.json"),
            create_body: data("create_user.json"),
            group: json("group.json"),
            patch_group_body: data("patch_group.json"),
            user: json("user.json"),
            patch_user_body: data("patch_user.json"),
            filter_text,
            filter,
            limits,
            tolerance: PatchTolerance::default(),
        }
    }
}

const HEADERS: RequestHeaders<'static> = RequestHeaders {
    content_type: Some("application/scim+json"),
    if_match: None,
    if_none_match: None,
};

fn create_resource(w: &World) -> Value {
    let request = parse_request(
        "POST",
        "/Users",
        None,
        &HEADERS,
        Some(&w.create_body),
        &w.limits,
    )
    .unwrap();
    let Operation::Create { resource, .. } = request.operation else {
        panic!("POST /Users is a create");
    };
    Value::Object(resource)
}

fn create_and_map(w: &World) -> orgkit::scim::mapping::MappedUser {
    w.mapping.map_user(&create_resource(w), &w.groups).unwrap()
}

fn patch(
    w: &World,
    path: &str,
    body: &[u8],
    resource: &Value,
) -> orgkit::scim::patch::PatchOutcome {
    let request = parse_request("PATCH", path, None, &HEADERS, Some(body), &w.limits).unwrap();
    let Operation::Patch { patch, .. } = request.operation else {
        panic!("PATCH on a resource is a patch");
    };
    apply_patch(resource, &Value::Object(patch), &w.tolerance, &w.limits).unwrap()
}

fn patch_group(w: &World) -> orgkit::scim::patch::PatchOutcome {
    patch(w, GROUP_PATH, &w.patch_group_body, &w.group)
}

fn patch_user(w: &World) -> orgkit::scim::patch::PatchOutcome {
    patch(w, USER_PATH, &w.patch_user_body, &w.user)
}

fn parse_and_match(w: &World) -> bool {
    filter::parse(&w.filter_text, &w.limits)
        .unwrap()
        .matches(&w.user, &CoreSchemas)
}

/// Each case's result is what the payloads are meant to produce; a benchmark of a failing
/// path would time the wrong thing.
fn check(w: &World) {
    let mapped = create_and_map(w);
    assert_eq!(mapped.email, "isaac.brock@example.com");
    assert_eq!(mapped.roles, ["billing", "admin"]);
    assert_eq!(mapped.fields["department"], "Finance");

    let group = patch_group(w);
    assert_eq!(group.resource["displayName"], "Platform Engineering");
    assert_eq!(group.resource["members"].as_array().unwrap().len(), 10);
    assert_eq!(
        group.member_changes.added,
        ["7c5e1b2a-0000-4000-8000-000000000011"]
    );
    assert_eq!(
        group.member_changes.removed,
        ["7c5e1b2a-0000-4000-8000-000000000003"]
    );

    let user = patch_user(w);
    assert_eq!(user.resource["active"], false);
    assert_eq!(user.resource["emails"].as_array().unwrap().len(), 3);
    assert_eq!(
        user.resource["urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"]["department"],
        "Platform"
    );

    assert!(parse_and_match(w));
}

type Run<'a> = Box<dyn Fn() + 'a>;

/// `(group, name, operation)`, in the order they run.
fn cases(w: &World) -> Vec<(&'static str, &'static str, Run<'_>)> {
    vec![
        (
            "create_user",
            "parse_and_map",
            Box::new(|| {
                black_box(create_and_map(black_box(w)));
            }),
        ),
        (
            "create_user",
            "parse_request",
            Box::new(|| {
                black_box(create_resource(black_box(w)));
            }),
        ),
        (
            "patch_3_ops",
            "group",
            Box::new(|| {
                black_box(patch_group(black_box(w)));
            }),
        ),
        (
            "patch_3_ops",
            "user",
            Box::new(|| {
                black_box(patch_user(black_box(w)));
            }),
        ),
        (
            "filter",
            "parse",
            Box::new(|| {
                black_box(filter::parse(black_box(&w.filter_text), &w.limits).unwrap());
            }),
        ),
        (
            "filter",
            "parse_and_match",
            Box::new(|| {
                black_box(parse_and_match(black_box(w)));
            }),
        ),
        (
            "filter",
            "match",
            Box::new(|| {
                black_box(w.filter.matches(black_box(&w.user), &CoreSchemas));
            }),
        ),
    ]
}

fn percentiles(mut samples: Vec<Duration>) -> (Duration, Duration) {
    samples.sort();
    let at = |q: f64| samples[((samples.len() as f64 - 1.0) * q) as usize];
    (at(0.50), at(0.99))
}

fn bench(c: &mut Criterion) {
    let world = World::load();
    check(&world);
    let cases = cases(&world);

    let mut groups: Vec<&str> = cases.iter().map(|(group, _, _)| *group).collect();
    groups.dedup();
    for group_name in groups {
        let mut group = c.benchmark_group(group_name);
        for (_, name, run) in cases.iter().filter(|(g, _, _)| *g == group_name) {
            group.bench_function(*name, |b| b.iter(run));
        }
        group.finish();
    }

    println!("\npercentiles (single operations, {PERCENTILE_ROUNDS} samples each):");
    for (group, name, run) in &cases {
        for _ in 0..PERCENTILE_ROUNDS / 20 {
            run();
        }
        let samples: Vec<Duration> = (0..PERCENTILE_ROUNDS)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed()
            })
            .collect();
        let (p50, p99) = percentiles(samples);
        println!(
            "{:<28} p50 {:>9.3} µs   p99 {:>9.3} µs",
            format!("{group}/{name}"),
            p50.as_secs_f64() * 1e6,
            p99.as_secs_f64() * 1e6
        );
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
