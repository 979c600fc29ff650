//! Incremental directory changes: the wire form of one change and of a batch.

use crate::directory::records::{EmailDomain, Membership, Organization, SsoConnection, User};
use serde::{Deserialize, Serialize};

/// One change to a directory. A batch of changes applies all or nothing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "op", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// Adds an organization or replaces it whole.
    UpsertOrg {
        /// The new record.
        org: Organization,
    },
    /// Removes an organization and its memberships. Refused while it has sub-organizations.
    RemoveOrg {
        /// The organization.
        org_id: String,
    },
    /// Adds or replaces one claimed domain of an organization.
    UpsertDomain {
        /// The organization.
        org_id: String,
        /// The domain record.
        domain: EmailDomain,
    },
    /// Removes one claimed domain. Refused while a connection lists it.
    RemoveDomain {
        /// The organization.
        org_id: String,
        /// The domain, in any spelling.
        domain: String,
    },
    /// Adds or replaces one SSO connection of an organization.
    UpsertConnection {
        /// The organization.
        org_id: String,
        /// The connection record.
        connection: SsoConnection,
    },
    /// Removes one SSO connection.
    RemoveConnection {
        /// The organization.
        org_id: String,
        /// The connection.
        connection_id: String,
    },
    /// Adds or replaces a user.
    UpsertUser {
        /// The new record.
        user: User,
    },
    /// Removes a user and their memberships.
    RemoveUser {
        /// The user.
        user_id: String,
    },
    /// Adds or replaces a membership.
    UpsertMembership {
        /// The new record.
        membership: Membership,
    },
    /// Removes a membership.
    RemoveMembership {
        /// The member.
        user_id: String,
        /// The organization.
        org_id: String,
    },
}

/// A batch of changes, as a document.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ChangeSet {
    /// Must be [`crate::SCHEMA_VERSION`].
    pub schema_version: u32,
    /// The changes, applied in order.
    pub changes: Vec<Change>,
}
