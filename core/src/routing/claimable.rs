//! Which domains an organization may never claim: consumer mail domains and public suffixes.
//!
//! Both lists are embedded in the crate (see `core/data/`, each with a script that refreshes it).
//! Hosts extend the consumer list with their own domains when they load a directory.

use std::collections::HashSet;
use std::sync::{Arc, OnceLock};

static CONSUMER_LIST: &str = include_str!("../../data/consumer_domains.txt");
static PUBLIC_SUFFIX_LIST: &str = include_str!("../../data/public_suffixes.txt");

fn data_lines(text: &'static str) -> impl Iterator<Item = &'static str> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty() && !line.starts_with('#'))
}

fn builtin_consumer() -> &'static HashSet<&'static str> {
    static SET: OnceLock<HashSet<&'static str>> = OnceLock::new();
    SET.get_or_init(|| data_lines(CONSUMER_LIST).collect())
}

/// The number of consumer mail domains embedded in this build.
pub fn builtin_consumer_domain_count() -> usize {
    builtin_consumer().len()
}

/// The parsed public suffix rules (ICANN section): plain, wildcard (`*.x`) and exception (`!x`).
struct PublicSuffixRules {
    plain: HashSet<&'static str>,
    wildcard_parents: HashSet<&'static str>,
    exceptions: HashSet<&'static str>,
}

fn public_suffix_rules() -> &'static PublicSuffixRules {
    static RULES: OnceLock<PublicSuffixRules> = OnceLock::new();
    RULES.get_or_init(|| {
        let mut rules = PublicSuffixRules {
            plain: HashSet::new(),
            wildcard_parents: HashSet::new(),
            exceptions: HashSet::new(),
        };
        for line in data_lines(PUBLIC_SUFFIX_LIST) {
            if let Some(name) = line.strip_prefix('!') {
                rules.exceptions.insert(name);
            } else if let Some(parent) = line.strip_prefix("*.") {
                rules.wildcard_parents.insert(parent);
            } else {
                rules.plain.insert(line);
            }
        }
        rules
    })
}

/// The domains under `domain`'s registrable part, from itself up to its top-level domain:
/// `a.b.example.com` yields `a.b.example.com`, `b.example.com`, `example.com`, `com`.
pub(crate) fn self_and_parents(domain: &str) -> impl Iterator<Item = &str> {
    std::iter::successors(Some(domain), |d| {
        d.split_once('.').map(|(_, parent)| parent)
    })
}

/// True when `domain` (canonical ASCII) is itself a public suffix such as `com` or `co.uk`.
pub fn is_public_suffix(domain: &str) -> bool {
    let rules = public_suffix_rules();
    if rules.exceptions.contains(domain) {
        return false;
    }
    if rules.plain.contains(domain) || !domain.contains('.') {
        return true;
    }
    domain
        .split_once('.')
        .is_some_and(|(_, parent)| rules.wildcard_parents.contains(parent))
}

/// The consumer mail domains in force for a directory: the embedded list plus the host's own.
#[derive(Debug, Clone, Default)]
pub struct ConsumerDomains {
    extra: Arc<HashSet<String>>,
}

impl ConsumerDomains {
    /// The embedded list extended with `extra` (canonical ASCII domains).
    pub fn with_extra(extra: impl IntoIterator<Item = String>) -> Self {
        Self {
            extra: Arc::new(extra.into_iter().collect()),
        }
    }

    /// True when `domain` (canonical ASCII) or one of its parents is a consumer mail domain:
    /// `gmail.com` and `eu.gmail.com` both are.
    pub fn contains(&self, domain: &str) -> bool {
        let builtin = builtin_consumer();
        self_and_parents(domain).any(|d| builtin.contains(d) || self.extra.contains(d))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_consumer_list_is_large_and_has_the_majors() {
        assert!(builtin_consumer_domain_count() >= 3000);
        let list = ConsumerDomains::default();
        for d in [
            "gmail.com",
            "outlook.com",
            "yahoo.com",
            "icloud.com",
            "proton.me",
            "qq.com",
        ] {
            assert!(list.contains(d), "{d}");
        }
        assert!(list.contains("mail.gmail.com"));
        assert!(!list.contains("acme.com"));
        assert!(!list.contains("gmail.com.evil.com"));
    }

    #[test]
    fn hosts_extend_the_consumer_list() {
        let list = ConsumerDomains::with_extra(["mail.internal-isp.net".to_string()]);
        assert!(list.contains("mail.internal-isp.net"));
        assert!(!ConsumerDomains::default().contains("mail.internal-isp.net"));
    }

    #[test]
    fn public_suffixes_follow_the_list_rules() {
        assert!(is_public_suffix("com"));
        assert!(is_public_suffix("co.uk"));
        assert!(is_public_suffix("anything.ck"));
        assert!(!is_public_suffix("www.ck"));
        assert!(!is_public_suffix("acme.com"));
        assert!(!is_public_suffix("acme.co.uk"));
    }

    #[test]
    fn parents_walk_up_to_the_tld() {
        let all: Vec<_> = self_and_parents("a.b.com").collect();
        assert_eq!(all, ["a.b.com", "b.com", "com"]);
    }
}
