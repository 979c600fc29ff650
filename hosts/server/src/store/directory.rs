//! The directory's table: one row per org (with its domains and connections), user and
//! membership, each the engine's canonical JSON record with a version that is its ETag. At
//! start the rows become a directory document the engine loads; after a change the engine's
//! next snapshot says what each touched record became.

use crate::db::{int, json, Db, Tx};
use crate::error::ApiResult;
use orgkit::{Change, Directory, DirectoryDoc, LoadOptions, Membership, Organization, User};
use sqlx::AnyConnection;
use std::collections::BTreeSet;

/// A record kind of the directory table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// An organization, with its domains and SSO connections.
    Org,
    /// A user.
    User,
    /// A membership.
    Membership,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Self::Org => "org",
            Self::User => "user",
            Self::Membership => "membership",
        }
    }
}

/// The key of a membership row.
pub fn membership_key(user_id: &str, org_id: &str) -> String {
    format!("{user_id}\t{org_id}")
}

/// Loads every stored record into a directory.
pub async fn load(db: &Db, options: &LoadOptions) -> ApiResult<Directory> {
    let rows = sqlx::query("SELECT kind, record FROM directory_records ORDER BY kind, key")
        .fetch_all(db.pool())
        .await?;
    let mut doc = DirectoryDoc {
        schema_version: orgkit::SCHEMA_VERSION,
        orgs: Vec::new(),
        users: Vec::new(),
        memberships: Vec::new(),
    };
    for row in &rows {
        match crate::db::text(row, "kind")?.as_str() {
            "org" => doc.orgs.push(json::<Organization>(row, "record")?),
            "user" => doc.users.push(json::<User>(row, "record")?),
            _ => doc.memberships.push(json::<Membership>(row, "record")?),
        }
    }
    Ok(Directory::load(&doc, options)?)
}

/// The version (ETag) of a stored record.
pub async fn version(conn: &mut AnyConnection, kind: Kind, key: &str) -> ApiResult<Option<i64>> {
    let row = sqlx::query("SELECT version FROM directory_records WHERE kind = $1 AND key = $2")
        .bind(kind.name())
        .bind(key)
        .fetch_optional(conn)
        .await?;
    row.map(|row| int(&row, "version")).transpose()
}

/// Writes what `changes` did: each record they touch as it is in `next` (or deleted when
/// gone), and the memberships a removed org or user took with it.
pub async fn persist(tx: &mut Tx, next: &Directory, changes: &[Change]) -> ApiResult<()> {
    let mut touched: BTreeSet<(Kind, String, String)> = BTreeSet::new();
    for change in changes {
        match change {
            Change::UpsertOrg { org } => {
                touched.insert((Kind::Org, org.id.clone(), String::new()));
            }
            Change::RemoveOrg { org_id } => {
                cascade(tx, "org_id", org_id).await?;
                touched.insert((Kind::Org, org_id.clone(), String::new()));
            }
            Change::UpsertDomain { org_id, .. }
            | Change::RemoveDomain { org_id, .. }
            | Change::UpsertConnection { org_id, .. }
            | Change::RemoveConnection { org_id, .. } => {
                touched.insert((Kind::Org, org_id.clone(), String::new()));
            }
            Change::UpsertUser { user } => {
                touched.insert((Kind::User, user.id.clone(), String::new()));
            }
            Change::RemoveUser { user_id } => {
                cascade(tx, "user_id", user_id).await?;
                touched.insert((Kind::User, user_id.clone(), String::new()));
            }
            Change::UpsertMembership { membership } => {
                touched.insert((
                    Kind::Membership,
                    membership.user_id.clone(),
                    membership.org_id.clone(),
                ));
            }
            Change::RemoveMembership { user_id, org_id } => {
                touched.insert((Kind::Membership, user_id.clone(), org_id.clone()));
            }
        }
    }
    for (kind, id, org) in touched {
        let (key, org_id, user_id, email, record) = match kind {
            Kind::Org => (
                id.clone(),
                Some(id.clone()),
                None,
                None,
                next.org(&id).map(serde_json::to_string),
            ),
            Kind::User => (
                id.clone(),
                None,
                Some(id.clone()),
                next.user(&id).map(|u| u.email.clone()),
                next.user(&id).map(serde_json::to_string),
            ),
            Kind::Membership => (
                membership_key(&id, &org),
                Some(org.clone()),
                Some(id.clone()),
                None,
                next.membership(&id, &org)
                    .map(|m| serde_json::to_string(&m.to_record())),
            ),
        };
        match record {
            Some(record) => {
                let record = record.map_err(|e| {
                    crate::error::ApiError::new(orgkit::ErrorCode::Internal, e.to_string())
                })?;
                sqlx::query(
                    "INSERT INTO directory_records (kind, key, org_id, user_id, email, record, version) \
                     VALUES ($1, $2, $3, $4, $5, $6, 1) ON CONFLICT (kind, key) DO UPDATE \
                     SET record = excluded.record, email = excluded.email, \
                     version = directory_records.version + 1",
                )
                .bind(kind.name())
                .bind(&key)
                .bind(org_id)
                .bind(user_id)
                .bind(email)
                .bind(record)
                .execute(&mut **tx)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM directory_records WHERE kind = $1 AND key = $2")
                    .bind(kind.name())
                    .bind(&key)
                    .execute(&mut **tx)
                    .await?;
            }
        }
    }
    Ok(())
}

/// Deletes the memberships of a removed org (`column` `org_id`) or user (`user_id`).
async fn cascade(tx: &mut Tx, column: &str, id: &str) -> ApiResult<()> {
    let sql = format!("DELETE FROM directory_records WHERE kind = 'membership' AND {column} = $1");
    sqlx::query(&sql).bind(id).execute(&mut **tx).await?;
    Ok(())
}

/// The id of the user with this canonical email, if any.
pub async fn user_by_email(conn: &mut AnyConnection, email: &str) -> ApiResult<Option<String>> {
    let row = sqlx::query(
        "SELECT key FROM directory_records WHERE kind = 'user' AND email = $1 ORDER BY key LIMIT 1",
    )
    .bind(email)
    .fetch_optional(conn)
    .await?;
    row.map(|row| crate::db::text(&row, "key")).transpose()
}
