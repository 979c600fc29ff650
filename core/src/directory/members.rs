//! One organization's memberships by user id, in the snapshot.
//!
//! Most organizations have a few members. A persistent hash map allocates a full node for its
//! first entry (about 5.7 KB per membership at one member per org, measured at 100,000 orgs),
//! so a directory of many small orgs spent most of its memory, and a decision most of its
//! cache misses, on nearly empty nodes. Up to [`FEW`] members are kept in one shared slice and
//! found by a scan; beyond that, in a persistent map. Both are cheap to clone (a reference
//! count), as every part of a snapshot must be.

use crate::directory::snapshot::{Id, IdMap, MembershipEntry};
use std::sync::Arc;

/// The most members kept in a slice. Past it the org moves to a map; it moves back at half,
/// so an org at the edge does not convert on every change.
const FEW: usize = 16;

/// An organization's memberships by user id.
#[derive(Debug, Clone)]
pub(crate) enum Members {
    /// Up to [`FEW`], in insertion order.
    Few(Arc<[MembershipEntry]>),
    /// More than [`FEW`] (or not yet back down to half of it).
    Many(IdMap<Id, MembershipEntry>),
}

impl Default for Members {
    fn default() -> Self {
        Members::Few(Arc::from([]))
    }
}

impl Members {
    /// The membership of `user_id`.
    pub(crate) fn get(&self, user_id: &str) -> Option<&MembershipEntry> {
        match self {
            Members::Few(entries) => entries.iter().find(|e| e.user_id == user_id),
            Members::Many(map) => map.get(user_id),
        }
    }

    /// Adds `entry`, or replaces the membership of the same user.
    pub(crate) fn insert(&mut self, entry: MembershipEntry) {
        match self {
            Members::Few(entries) => {
                let at = entries.iter().position(|e| e.user_id == entry.user_id);
                if at.is_none() && entries.len() == FEW {
                    let mut map: IdMap<Id, MembershipEntry> = entries
                        .iter()
                        .map(|e| (Id::clone(&e.user_id), e.clone()))
                        .collect();
                    map.insert(Id::clone(&entry.user_id), entry);
                    *self = Members::Many(map);
                    return;
                }
                let mut next = entries.to_vec();
                match at.and_then(|i| next.get_mut(i)) {
                    Some(slot) => *slot = entry,
                    None => next.push(entry),
                }
                *entries = next.into();
            }
            Members::Many(map) => {
                map.insert(Id::clone(&entry.user_id), entry);
            }
        }
    }

    /// Removes the membership of `user_id`, returning it.
    pub(crate) fn remove(&mut self, user_id: &str) -> Option<MembershipEntry> {
        match self {
            Members::Few(entries) => {
                let at = entries.iter().position(|e| e.user_id == user_id)?;
                let mut next = entries.to_vec();
                let removed = next.remove(at);
                *entries = next.into();
                Some(removed)
            }
            Members::Many(map) => {
                let removed = map.remove(user_id)?;
                if map.len() <= FEW / 2 {
                    *self = Members::Few(map.values().cloned().collect());
                }
                Some(removed)
            }
        }
    }

    /// Every membership, in no particular order.
    pub(crate) fn values(&self) -> Box<dyn Iterator<Item = &MembershipEntry> + '_> {
        match self {
            Members::Few(entries) => Box::new(entries.iter()),
            Members::Many(map) => Box::new(map.values()),
        }
    }

    /// How many memberships there are.
    #[cfg(test)]
    fn len(&self) -> usize {
        match self {
            Members::Few(entries) => entries.len(),
            Members::Many(map) => map.len(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::directory::records::MembershipStatus;

    fn entry(user: usize, status: MembershipStatus) -> MembershipEntry {
        MembershipEntry {
            user_id: Id::from(format!("u{user}")),
            org_id: Id::from("org"),
            roles: smallvec::smallvec![Id::from("member")],
            status,
            joined_at: None,
            authenticated_via: None,
        }
    }

    fn statuses(members: &Members, n: usize) -> Vec<Option<MembershipStatus>> {
        (0..n)
            .map(|u| members.get(&format!("u{u}")).map(|e| e.status))
            .collect()
    }

    #[test]
    fn the_map_takes_over_past_few_and_gives_back_at_half() {
        let mut members = Members::default();
        for u in 0..FEW {
            members.insert(entry(u, MembershipStatus::Active));
        }
        assert!(matches!(members, Members::Few(_)));
        members.insert(entry(FEW, MembershipStatus::Active));
        assert!(matches!(members, Members::Many(_)));
        assert_eq!(members.len(), FEW + 1);
        // FEW + 1 members: FEW / 2 removals leave FEW / 2 + 1, still a map; one more, a slice.
        for u in 0..FEW / 2 {
            assert!(members.remove(&format!("u{u}")).is_some());
            assert!(matches!(members, Members::Many(_)), "after removing u{u}");
        }
        assert!(members.remove(&format!("u{}", FEW / 2)).is_some());
        assert!(matches!(members, Members::Few(_)));
        assert_eq!(members.len(), FEW / 2);
        let expected: Vec<_> = (0..=FEW)
            .map(|u| (u > FEW / 2).then_some(MembershipStatus::Active))
            .collect();
        assert_eq!(statuses(&members, FEW + 1), expected);
    }

    #[test]
    fn insert_replaces_the_same_user_in_both_forms() {
        for n in [3, FEW + 4] {
            let mut members = Members::default();
            for u in 0..n {
                members.insert(entry(u, MembershipStatus::Active));
            }
            members.insert(entry(1, MembershipStatus::Suspended));
            assert_eq!(members.len(), n, "{n} members");
            assert_eq!(members.values().count(), n);
            assert_eq!(
                members.get("u1").map(|e| e.status),
                Some(MembershipStatus::Suspended)
            );
            assert_eq!(members.remove("nobody").map(|e| e.status), None);
        }
    }

    #[test]
    fn a_clone_keeps_its_members_when_the_original_changes() {
        let mut members = Members::default();
        members.insert(entry(0, MembershipStatus::Active));
        let before = members.clone();
        members.insert(entry(0, MembershipStatus::Suspended));
        members.insert(entry(1, MembershipStatus::Active));
        assert_eq!(statuses(&before, 2), [Some(MembershipStatus::Active), None]);
        assert_eq!(
            statuses(&members, 2),
            [
                Some(MembershipStatus::Suspended),
                Some(MembershipStatus::Active)
            ]
        );
    }
}
