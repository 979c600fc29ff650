//! Property tests: normalisation is idempotent, and routing never names an organization that
//! does not hold a verified claim covering the email's domain.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::panic
)]

use orgkit::{
    normalize_domain, normalize_email, ConnectionStatus, DecisionKind, Directory, DirectoryDoc,
    EmailDomain, LoadOptions, OrgStatus, Organization, Protocol, SamlSettings, SsoConnection,
    Verification,
};
use proptest::prelude::*;

fn label() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z0-9]{1,10}",
        "[A-Za-z0-9][A-Za-z0-9-]{0,8}[A-Za-z0-9]",
        Just("bücher".to_string()),
        Just("STRASSE".to_string()),
        Just("straße".to_string()),
        Just("例え".to_string()),
        Just("xn--bcher-kva".to_string()),
        Just("münchen".to_string()),
        "[a-zé]{1,6}",
    ]
}

fn domain() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(label(), 1..4),
        prop_oneof![Just("com"), Just("de"), Just("IO"), Just("jp")],
        any::<bool>(),
    )
        .prop_map(|(labels, tld, dot)| {
            format!("{}.{tld}{}", labels.join("."), if dot { "." } else { "" })
        })
}

fn local() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-zA-Z0-9.+_'-]{1,20}",
        "\"[a-zA-Z0-9 @.\\\\\"]{0,12}\"",
        "[a-zäöüÄÖÜ]{1,8}",
        "[ -~]{1,12}",
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn email_normalisation_is_idempotent(local in local(), domain in domain(), pad in "[ \t]{0,2}") {
        let input = format!("{pad}{local}@{domain}{pad}");
        if let Ok(once) = normalize_email(&input) {
            let twice = normalize_email(&once.email).expect("a canonical address normalises");
            prop_assert_eq!(&twice, &once);
            prop_assert!(once.email.len() <= 254);
            prop_assert_eq!(once.email, format!("{}@{}", once.local, once.domain));
        }
    }

    #[test]
    fn domain_normalisation_is_idempotent(domain in domain()) {
        if let Ok(once) = normalize_domain(&domain) {
            prop_assert_eq!(normalize_domain(&once.domain).expect("canonical"), once.clone());
            prop_assert_eq!(normalize_domain(&once.unicode).expect("unicode form"), once);
        }
    }

    #[test]
    fn arbitrary_text_never_panics(input in "\\PC{0,80}") {
        let _ = normalize_email(&input);
        let _ = normalize_domain(&input);
    }
}

/// A small pool of domains with parent/child relations, so claims overlap.
const POOL: [&str; 8] = [
    "acme.com",
    "eu.acme.com",
    "x.eu.acme.com",
    "globex.io",
    "labs.globex.io",
    "b.de",
    "a.b.de",
    "c.a.b.de",
];

#[derive(Debug, Clone)]
struct Claim {
    domain: usize,
    verification: Verification,
    subdomains: bool,
}

fn claim() -> impl Strategy<Value = Claim> {
    (
        0..POOL.len(),
        prop_oneof![
            Just(Verification::Verified),
            Just(Verification::Pending),
            Just(Verification::Failed)
        ],
        any::<bool>(),
    )
        .prop_map(|(domain, verification, subdomains)| Claim {
            domain,
            verification,
            subdomains,
        })
}

fn connection_status() -> impl Strategy<Value = ConnectionStatus> {
    prop_oneof![
        Just(ConnectionStatus::Active),
        Just(ConnectionStatus::Draft),
        Just(ConnectionStatus::Disabled)
    ]
}

fn org_spec() -> impl Strategy<Value = (Vec<Claim>, Vec<ConnectionStatus>, bool, bool)> {
    (
        prop::collection::vec(claim(), 0..4),
        prop::collection::vec(connection_status(), 0..3),
        any::<bool>(),
        any::<bool>(),
    )
}

fn build(specs: &[(Vec<Claim>, Vec<ConnectionStatus>, bool, bool)]) -> Directory {
    let orgs = specs
        .iter()
        .enumerate()
        .map(|(i, (claims, connections, require_sso, disabled))| {
            let mut domains: Vec<EmailDomain> = Vec::new();
            for c in claims {
                if !domains.iter().any(|d| d.domain == POOL[c.domain]) {
                    domains.push(EmailDomain {
                        domain: POOL[c.domain].into(),
                        verification: c.verification,
                        include_subdomains: c.subdomains,
                    });
                }
            }
            Organization {
                id: format!("o{i}"),
                name: format!("Org {i}"),
                slug: format!("o{i}"),
                status: if *disabled {
                    OrgStatus::Disabled
                } else {
                    OrgStatus::Active
                },
                domains,
                sso_connections: connections
                    .iter()
                    .enumerate()
                    .map(|(j, status)| SsoConnection {
                        id: format!("o{i}c{j}"),
                        name: None,
                        protocol: Protocol::Saml,
                        status: *status,
                        domains: Vec::new(),
                        saml: Some(SamlSettings {
                            idp_entity_id: "idp".into(),
                            sso_url: "https://idp.test/sso".into(),
                            signing_certificates: vec![],
                        }),
                        oidc: None,
                    })
                    .collect(),
                require_sso: *require_sso,
                scim: None,
                branding: None,
                roles: vec![],
                feature_flags: Default::default(),
                parent_id: None,
                policies: vec![],
                audit: None,
            }
        })
        .collect();
    let doc = DirectoryDoc {
        schema_version: 1,
        orgs,
        users: vec![],
        memberships: vec![],
    };
    Directory::load(&doc, &LoadOptions::default()).expect("generated directories are valid")
}

/// Does `org` hold a verified claim on `matched` that covers `domain`?
fn holds(dir: &Directory, org_id: &str, matched: &str, domain: &str) -> bool {
    let Some(org) = dir.org(org_id) else {
        return false;
    };
    let covers = matched == domain || domain.ends_with(&format!(".{matched}"));
    covers
        && org.domains.iter().any(|d| {
            d.domain == matched
                && d.verification == Verification::Verified
                && (matched == domain || d.include_subdomains)
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2_000))]

    #[test]
    fn routing_never_returns_an_org_that_does_not_hold_the_domain(
        specs in prop::collection::vec(org_spec(), 1..7),
        target in 0..POOL.len(),
        prefix in prop_oneof![Just(""), Just("sub."), Just("deep.sub.")],
    ) {
        let dir = build(&specs);
        let domain = format!("{prefix}{}", POOL[target]);
        let decision = dir.route(&format!("user@{domain}")).expect("valid address");
        let matched = decision.matched_domain.clone().unwrap_or_default();
        let named: Vec<&str> = decision.org.iter().map(|o| o.id.as_str()).chain(decision.candidates.iter().map(|o| o.id.as_str())).collect();
        for org in &named {
            prop_assert!(holds(&dir, org, &matched, &domain), "{org} does not hold {domain} via {matched}: {decision:?}");
        }
        match decision.decision {
            DecisionKind::Sso => {
                let org = dir.org(&decision.org.as_ref().expect("sso names an org").id).expect("exists");
                prop_assert_eq!(org.status, OrgStatus::Active);
                let connection = decision.connection.as_ref().expect("sso names a connection");
                prop_assert!(org.sso_connections.iter().any(|c| c.id == connection.id && c.status == ConnectionStatus::Active));
            }
            DecisionKind::OrgPicker => prop_assert!(decision.candidates.len() >= 2),
            DecisionKind::DefaultLogin | DecisionKind::Blocked => prop_assert!(decision.connection.is_none()),
        }
        // Soundness the other way: an active org with a verified exact claim is never ignored.
        let exact_verified_active = dir_has_exact(&dir, &domain);
        if exact_verified_active {
            prop_assert!(!named.is_empty(), "{domain} is verified by an active org but routed nowhere: {decision:?}");
        }
    }
}

fn dir_has_exact(dir: &Directory, domain: &str) -> bool {
    dir.to_doc().orgs.iter().any(|o| {
        o.status == OrgStatus::Active
            && o.domains
                .iter()
                .any(|d| d.domain == domain && d.verification == Verification::Verified)
    })
}
