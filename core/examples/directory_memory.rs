//! Resident memory of a large directory, and of many snapshots sharing structure.
//!
//! Builds the synthetic directory (100k orgs, 300k domains, 1M memberships by default), loads
//! it, then applies 1,000 single-membership changes one after the other while keeping every
//! snapshot alive. Prints `key: value` lines: RSS (`VmRSS`) and peak RSS (`VmHWM`) from
//! `/proc/self/status` in KiB, wall times in milliseconds. RSS is what the OS sees: memory the
//! allocator freed but kept is still counted, and reused before RSS grows, so small deltas are
//! lower bounds.
//!
//! ```text
//! cargo run --release -p orgkit --example directory_memory
//! cargo run --release -p orgkit --example directory_memory -- 10000 100000   # orgs memberships
//! ```
#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

#[path = "../benches/support/synthetic.rs"]
mod synthetic;

use orgkit::{Directory, LoadOptions};
use std::time::Instant;
use synthetic::Spec;

/// Single-membership changes applied in a chain.
const CHANGES: usize = 1_000;

/// A `Vm…: N kB` field of `/proc/self/status`, in KiB (0 where unavailable).
fn status_kib(field: &str) -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix(field)?.strip_prefix(':'))
        .and_then(|rest| rest.trim().trim_end_matches("kB").trim().parse().ok())
        .unwrap_or(0)
}

fn rss() -> u64 {
    status_kib("VmRSS")
}

fn hwm() -> u64 {
    status_kib("VmHWM")
}

fn ms(start: Instant) -> String {
    format!("{:.1}", start.elapsed().as_secs_f64() * 1e3)
}

fn main() {
    let mut args = std::env::args().skip(1).map(|a| {
        a.replace('_', "")
            .parse::<usize>()
            .expect("counts are integers")
    });
    let spec = Spec {
        orgs: args.next().unwrap_or(100_000),
        memberships: args.next().unwrap_or(1_000_000),
    };
    let users = synthetic::user_count(spec);
    assert!(
        users >= CHANGES,
        "need at least {CHANGES} users for the change chain"
    );

    println!("orgs: {}", spec.orgs);
    println!("domains: {}", spec.orgs * synthetic::DOMAINS_PER_ORG);
    println!("users: {users}");
    println!("memberships: {}", spec.memberships);
    println!("rss_start_kib: {}", rss());

    let start = Instant::now();
    let doc = synthetic::doc(spec);
    println!("generate_doc_ms: {}", ms(start));
    let rss_doc = rss();
    println!("rss_after_doc_kib: {rss_doc}");

    let start = Instant::now();
    let dir = Directory::load(&doc, &LoadOptions::default()).expect("synthetic directory loads");
    println!("load_ms: {}", ms(start));
    let rss_load = rss();
    println!("rss_after_load_kib: {rss_load}");
    println!("hwm_after_load_kib: {}", hwm());
    println!("load_rss_delta_kib: {}", rss_load.saturating_sub(rss_doc));
    let stats = dir.stats();
    assert_eq!(
        (stats.orgs, stats.domains, stats.users, stats.memberships),
        (
            spec.orgs,
            spec.orgs * synthetic::DOMAINS_PER_ORG,
            users,
            spec.memberships
        )
    );

    // The document stays alive until the end: memory it freed could otherwise be reused by
    // the allocator for the snapshots below and hide their cost.
    let rss_base = rss_load;

    // A chain of single-membership changes, every snapshot kept alive.
    let changes: Vec<_> = (0..CHANGES)
        .map(|i| synthetic::new_membership_change(spec, i * (users / CHANGES)))
        .collect();
    let mut snapshots: Vec<Directory> = Vec::with_capacity(CHANGES + 1);
    snapshots.push(dir);
    let start = Instant::now();
    for change in &changes {
        let next = snapshots
            .last()
            .unwrap()
            .apply(std::slice::from_ref(change))
            .expect("change applies");
        snapshots.push(next);
    }
    let elapsed = start.elapsed();
    let rss_changes = rss();
    let last = snapshots.last().unwrap().stats();
    assert_eq!(last.memberships, spec.memberships + CHANGES);
    assert_eq!(last.version, 1 + CHANGES as u64);
    println!("changes: {CHANGES}");
    println!("changes_total_ms: {:.1}", elapsed.as_secs_f64() * 1e3);
    println!(
        "change_mean_us: {:.1}",
        elapsed.as_secs_f64() * 1e6 / CHANGES as f64
    );
    println!("snapshots_alive: {}", snapshots.len());
    println!("rss_after_changes_kib: {rss_changes}");
    let delta = rss_changes.saturating_sub(rss_base);
    println!("changes_rss_delta_kib: {delta}");
    println!(
        "rss_per_extra_snapshot_kib: {:.1}",
        delta as f64 / CHANGES as f64
    );
    println!("hwm_end_kib: {}", hwm());
    drop(doc);
    println!("rss_after_drop_doc_kib: {}", rss());
}
