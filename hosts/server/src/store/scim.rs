//! SCIM resources in the engine's reference schema (`scim_users`, `scim_user_emails`,
//! `scim_groups`, `scim_group_members`): the columns filters and sorting read, filled from the
//! stored resource, which is kept whole beside them with its version.

use crate::db::{int, json, text, Db, Tx};
use crate::error::ApiResult;
use crate::store::audit::bind_params;
use orgkit::reference_tables::ListStatements;
use orgkit::scim::mapping::GroupRef;
use orgkit::scim::protocol::ResourceKind;
use serde_json::Value;
use sqlx::any::AnyRow;
use sqlx::AnyConnection;

/// A stored resource.
#[derive(Debug, Clone)]
pub struct Stored {
    /// Its id.
    pub id: String,
    /// The resource as the engine produced it.
    pub resource: Value,
    /// Its version (the ETag's value).
    pub version: i64,
    /// Created, in milliseconds since the Unix epoch.
    pub created_ms: i64,
    /// Last modified, in milliseconds since the Unix epoch.
    pub updated_ms: i64,
    /// For a User: the orgkit user it provisions.
    pub user_id: Option<String>,
}

fn table(kind: ResourceKind) -> &'static str {
    match kind {
        ResourceKind::User => "scim_users",
        ResourceKind::Group => "scim_groups",
    }
}

fn columns(db: &Db, kind: ResourceKind) -> String {
    let t = table(kind);
    let user = match kind {
        ResourceKind::User => format!(", {t}.orgkit_user_id"),
        ResourceKind::Group => String::new(),
    };
    format!(
        "{t}.id, {t}.resource, {t}.version, {} AS created_ms, {} AS updated_ms{user}",
        db.ts_millis(&format!("{t}.created_at")),
        db.ts_millis(&format!("{t}.updated_at")),
    )
}

fn stored(row: &AnyRow, kind: ResourceKind) -> ApiResult<Stored> {
    Ok(Stored {
        id: text(row, "id")?,
        resource: json(row, "resource")?,
        version: int(row, "version")?,
        created_ms: int(row, "created_ms")?,
        updated_ms: int(row, "updated_ms")?,
        user_id: match kind {
            ResourceKind::User => Some(text(row, "orgkit_user_id")?),
            ResourceKind::Group => None,
        },
    })
}

/// The resource `id` of `org`.
pub async fn get(
    conn: &mut AnyConnection,
    db: &Db,
    kind: ResourceKind,
    org_id: &str,
    id: &str,
) -> ApiResult<Option<Stored>> {
    let t = table(kind);
    let sql = format!(
        "SELECT {} FROM {t} WHERE {t}.id = $1 AND {t}.org_id = $2",
        columns(db, kind)
    );
    let row = sqlx::query(&sql)
        .bind(id)
        .bind(org_id)
        .fetch_optional(conn)
        .await?;
    row.map(|row| stored(&row, kind)).transpose()
}

/// One page of a list and how many match in all, read with the engine's list statements
/// ([`orgkit::reference_tables::scim_list`]), each resource with its kind (`user_id` is not
/// read).
pub async fn list(
    conn: &mut AnyConnection,
    statements: &ListStatements,
) -> ApiResult<(Vec<(ResourceKind, Stored)>, usize)> {
    let (count, page) = (&statements.count, &statements.page);
    let total = bind_params(sqlx::query(&count.sql), &count.params)
        .fetch_one(&mut *conn)
        .await?;
    let total = usize::try_from(int(&total, "total")?).unwrap_or(0);
    let rows = bind_params(sqlx::query(&page.sql), &page.params)
        .fetch_all(conn)
        .await?;
    let resources = rows
        .iter()
        .map(|row| {
            let kind = match text(row, "kind")?.as_str() {
                "Group" => ResourceKind::Group,
                _ => ResourceKind::User,
            };
            let stored = Stored {
                id: text(row, "id")?,
                resource: json(row, "resource")?,
                version: int(row, "version")?,
                created_ms: int(row, "created_at")? / 1000,
                updated_ms: int(row, "updated_at")? / 1000,
                user_id: None,
            };
            Ok((kind, stored))
        })
        .collect::<ApiResult<Vec<_>>>()?;
    Ok((resources, total))
}

fn str_at<'a>(resource: &'a Value, path: &[&str]) -> Option<&'a str> {
    path.iter()
        .try_fold(resource, |value, key| value.get(key))
        .and_then(Value::as_str)
}

/// Stores a new resource, or (`existing`) a new version of a stored one, with its columns.
#[allow(clippy::too_many_arguments)]
pub async fn put(
    tx: &mut Tx,
    db: &Db,
    kind: ResourceKind,
    org_id: &str,
    id: &str,
    resource: &Value,
    now_micros: i64,
    user_id: Option<&str>,
    existing: bool,
) -> ApiResult<()> {
    let body = resource.to_string();
    match kind {
        ResourceKind::User => {
            let active = resource
                .get("active")
                .and_then(Value::as_bool)
                .unwrap_or(true);
            let values = (
                str_at(resource, &["userName"]),
                str_at(resource, &["externalId"]),
                str_at(resource, &["displayName"]),
                str_at(resource, &["name", "givenName"]),
                str_at(resource, &["name", "familyName"]),
            );
            let sql = if existing {
                format!(
                    "UPDATE scim_users SET user_name = $1, external_id = $2, display_name = $3, \
                     given_name = $4, family_name = $5, active = $6, updated_at = {}, resource = $8, \
                     version = version + 1 WHERE id = $9 AND org_id = $10 AND orgkit_user_id = $11",
                    db.ts_param(7)
                )
            } else {
                format!(
                    "INSERT INTO scim_users (user_name, external_id, display_name, given_name, \
                     family_name, active, created_at, updated_at, resource, version, id, org_id, \
                     orgkit_user_id) VALUES ($1, $2, $3, $4, $5, $6, {0}, {0}, $8, 1, $9, $10, $11)",
                    db.ts_param(7)
                )
            };
            sqlx::query(&sql)
                .bind(values.0)
                .bind(values.1)
                .bind(values.2)
                .bind(values.3)
                .bind(values.4)
                .bind(active)
                .bind(now_micros)
                .bind(&body)
                .bind(id)
                .bind(org_id)
                .bind(user_id.unwrap_or_default())
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM scim_user_emails WHERE user_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            let emails = resource.get("emails").and_then(Value::as_array);
            for email in emails.into_iter().flatten() {
                sqlx::query(
                    "INSERT INTO scim_user_emails (user_id, value, type, primary_flag) \
                     VALUES ($1, $2, $3, $4)",
                )
                .bind(id)
                .bind(str_at(email, &["value"]))
                .bind(str_at(email, &["type"]))
                .bind(
                    email
                        .get("primary")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                )
                .execute(&mut **tx)
                .await?;
            }
        }
        ResourceKind::Group => {
            let sql = if existing {
                format!(
                    "UPDATE scim_groups SET display_name = $1, external_id = $2, updated_at = {}, \
                     resource = $4, version = version + 1 WHERE id = $5 AND org_id = $6",
                    db.ts_param(3)
                )
            } else {
                format!(
                    "INSERT INTO scim_groups (display_name, external_id, created_at, updated_at, \
                     resource, version, id, org_id) VALUES ($1, $2, {0}, {0}, $4, 1, $5, $6)",
                    db.ts_param(3)
                )
            };
            sqlx::query(&sql)
                .bind(str_at(resource, &["displayName"]))
                .bind(str_at(resource, &["externalId"]))
                .bind(now_micros)
                .bind(&body)
                .bind(id)
                .bind(org_id)
                .execute(&mut **tx)
                .await?;
            sqlx::query("DELETE FROM scim_group_members WHERE group_id = $1")
                .bind(id)
                .execute(&mut **tx)
                .await?;
            let members = resource.get("members").and_then(Value::as_array);
            for member in members.into_iter().flatten() {
                sqlx::query(
                    "INSERT INTO scim_group_members (group_id, member_id, member_type) \
                     VALUES ($1, $2, $3)",
                )
                .bind(id)
                .bind(str_at(member, &["value"]))
                .bind(str_at(member, &["type"]))
                .execute(&mut **tx)
                .await?;
            }
        }
    }
    Ok(())
}

/// Deletes a resource and its child rows (and a deleted user's group memberships).
pub async fn delete(tx: &mut Tx, kind: ResourceKind, org_id: &str, id: &str) -> ApiResult<()> {
    let children: &[&str] = match kind {
        ResourceKind::User => &[
            "DELETE FROM scim_user_emails WHERE user_id = $1",
            "DELETE FROM scim_group_members WHERE member_id = $1",
        ],
        ResourceKind::Group => &["DELETE FROM scim_group_members WHERE group_id = $1"],
    };
    for sql in children {
        sqlx::query(sql).bind(id).execute(&mut **tx).await?;
    }
    let sql = format!("DELETE FROM {} WHERE id = $1 AND org_id = $2", table(kind));
    sqlx::query(&sql)
        .bind(id)
        .bind(org_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// The groups a user is a member of, for the org's group → role rules.
pub async fn groups_of(conn: &mut AnyConnection, user: &str) -> ApiResult<Vec<GroupRef>> {
    let rows = sqlx::query(
        "SELECT g.id AS id, COALESCE(g.display_name, '') AS display_name FROM scim_group_members m \
         JOIN scim_groups g ON g.id = m.group_id WHERE m.member_id = $1 ORDER BY g.id",
    )
    .bind(user)
    .fetch_all(conn)
    .await?;
    rows.iter()
        .map(|row| {
            Ok(GroupRef {
                id: text(row, "id")?,
                display_name: text(row, "display_name")?,
            })
        })
        .collect()
}

/// The member ids of a group.
pub async fn members_of(conn: &mut AnyConnection, group: &str) -> ApiResult<Vec<String>> {
    let rows = sqlx::query("SELECT member_id FROM scim_group_members WHERE group_id = $1")
        .bind(group)
        .fetch_all(conn)
        .await?;
    rows.iter().map(|row| text(row, "member_id")).collect()
}
