//! Criterion benchmarks of the directory: load, route, incremental change, email normalisation.
//!
//! Every benchmark id is `group/name`; the filter is a regex, so anchor it to pick a group:
//! `cargo bench -p orgkit --bench directory -- '^route/'` (or `'^load/10k'`, `'^change/'`,
//! `'^normalize/'`; unanchored `load` also matches `change/full_reload_10k_orgs`).
//! Each data set is built lazily, only when a benchmark that needs it is selected.
//! Data come from `support/synthetic.rs` (shared with `examples/directory_memory.rs`).
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "support/synthetic.rs"]
mod synthetic;

use criterion::{criterion_group, criterion_main, BatchSize, Criterion, SamplingMode};
use orgkit::{normalize_email, Change, DecisionKind, Directory, DirectoryDoc, LoadOptions};
use std::cell::OnceCell;
use std::hint::black_box;
use std::time::Duration;
use synthetic::Spec;

/// The large directory: 100k orgs, 300k domains, 1M memberships (500k users). One load takes
/// seconds, so its group runs 10 flat samples in about 90 s.
const LARGE: Spec = Spec {
    orgs: 100_000,
    memberships: 1_000_000,
};
/// A tenth of it: 10k orgs, 30k domains, 100k memberships.
const SMALL: Spec = Spec {
    orgs: 10_000,
    memberships: 100_000,
};

fn load(doc: &DirectoryDoc) -> Directory {
    Directory::load(doc, &LoadOptions::default()).expect("synthetic directory loads")
}

fn bench_load(c: &mut Criterion) {
    let mut group = c.benchmark_group("load");
    let options = LoadOptions::default();

    let large: OnceCell<DirectoryDoc> = OnceCell::new();
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(90));
    group.bench_function("100k_orgs_300k_domains_1M_memberships", |b| {
        let doc = large.get_or_init(|| synthetic::doc(LARGE));
        b.iter_batched(
            || doc,
            |doc| Directory::load(doc, &options).unwrap(),
            BatchSize::LargeInput,
        );
    });
    drop(large);

    let small: OnceCell<DirectoryDoc> = OnceCell::new();
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("10k_orgs", |b| {
        let doc = small.get_or_init(|| synthetic::doc(SMALL));
        b.iter_batched(
            || doc,
            |doc| Directory::load(doc, &options).unwrap(),
            BatchSize::LargeInput,
        );
    });
    group.finish();
}

/// One routing case: name, address, expected decision.
struct RouteCase {
    name: &'static str,
    email: String,
    expect: DecisionKind,
}

/// The same three address shapes for every size: the domains are zero-padded, so only the
/// digits differ.
fn route_cases(orgs: usize) -> [RouteCase; 3] {
    let middle = orgs / 2;
    [
        // Exact match on a claimed domain without include_subdomains.
        RouteCase {
            name: "hit",
            email: format!("Alice.Smith@{}", synthetic::domain(middle, 1)),
            expect: DecisionKind::Sso,
        },
        // Parent match through include_subdomains (one miss on the way up).
        RouteCase {
            name: "subdomain",
            email: format!("Alice.Smith@eu.{}", synthetic::domain(middle, 0)),
            expect: DecisionKind::Sso,
        },
        // No claim at any level.
        RouteCase {
            name: "miss",
            email: format!(
                "Alice.Smith@{}",
                synthetic::domain(synthetic::ABSENT_ORG, 1)
            ),
            expect: DecisionKind::DefaultLogin,
        },
    ]
}

fn bench_route(c: &mut Criterion) {
    let mut group = c.benchmark_group("route");
    for (label, domains) in [
        ("10_domains", 10),
        ("10k_domains", 10_000),
        ("1M_domains", 1_000_000),
    ] {
        let orgs = Spec::orgs_for_domains(domains);
        let dir: OnceCell<Directory> = OnceCell::new();
        let build = || {
            let dir = load(&synthetic::doc(Spec::orgs_only(orgs)));
            for case in route_cases(orgs) {
                assert_eq!(
                    dir.route(&case.email).unwrap().decision,
                    case.expect,
                    "{label}/{}",
                    case.name
                );
            }
            dir
        };
        for case in route_cases(orgs) {
            group.bench_function(format!("{label}/{}", case.name), |b| {
                let dir = dir.get_or_init(build);
                b.iter(|| dir.route(black_box(&case.email)).unwrap());
            });
        }
        // Only the index walk, without normalising the address.
        let hit = route_cases(orgs).into_iter().next().unwrap();
        group.bench_function(format!("{label}/hit_lookup_only"), |b| {
            let dir = dir.get_or_init(build);
            let email = normalize_email(&hit.email).unwrap();
            b.iter(|| dir.route_normalized(black_box(&email)));
        });
    }
    group.finish();
}

fn bench_change(c: &mut Criterion) {
    let mut group = c.benchmark_group("change");
    let base: OnceCell<Directory> = OnceCell::new();
    let build = || load(&synthetic::doc(LARGE));
    let middle = LARGE.orgs / 2;
    let cases: [(&str, Vec<Change>); 3] = [
        (
            "100k_orgs/upsert_membership",
            vec![synthetic::new_membership_change(LARGE, 12_345)],
        ),
        (
            "100k_orgs/upsert_domain",
            vec![synthetic::new_domain_change(middle)],
        ),
        (
            "100k_orgs/upsert_org",
            vec![synthetic::replace_org_change(middle)],
        ),
    ];
    for (name, changes) in &cases {
        group.bench_function(*name, |b| {
            let base = base.get_or_init(build);
            // The new snapshot is dropped outside the timing (it shares most of `base`).
            b.iter_batched(
                || (),
                |()| base.apply(black_box(changes)).unwrap(),
                BatchSize::LargeInput,
            );
        });
    }
    drop(base);

    // Context: what a full reload of a directory a tenth the size costs.
    let small: OnceCell<DirectoryDoc> = OnceCell::new();
    group
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat)
        .measurement_time(Duration::from_secs(10));
    group.bench_function("full_reload_10k_orgs", |b| {
        let doc = small.get_or_init(|| synthetic::doc(SMALL));
        b.iter_batched(|| doc, load, BatchSize::LargeInput);
    });
    group.finish();
}

fn bench_normalize(c: &mut Criterion) {
    let mut group = c.benchmark_group("normalize");
    let cases = [
        ("email/ascii", "  Alice.Smith+Tag@Example.COM "),
        ("email/ascii_quoted", "\"alice smith\"@example.com"),
        ("email/idn_domain", "jörg@Bücher.example.de"),
        ("email/idn_punycode", "jörg@xn--bcher-kva.example.de"),
        ("email/idn_cjk", "用户@例子.广告"),
    ];
    for (name, input) in cases {
        normalize_email(input).unwrap();
        group.bench_function(name, |b| {
            b.iter(|| normalize_email(black_box(input)).unwrap())
        });
    }
    group.finish();
}

criterion_group!(
    benches,
    bench_load,
    bench_route,
    bench_change,
    bench_normalize
);
criterion_main!(benches);
