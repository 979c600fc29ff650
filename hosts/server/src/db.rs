//! The database: SQLite (a file, WAL mode) or PostgreSQL, through one sqlx `Any` pool, with the
//! schema's migrations applied on start. Statements use `$1`, `$2`, … placeholders, which both
//! drivers read; the few spots where the two dialects differ go through [`Db`]'s helpers.

use crate::error::ApiResult;
use orgkit::scim::filter::Dialect;
use sqlx::any::{AnyPoolOptions, AnyRow};
use sqlx::{Any, AnyPool, Executor, Row, Transaction};
use std::time::Duration;

/// A transaction on the server's database.
pub type Tx = Transaction<'static, Any>;

/// The database pool and its dialect.
#[derive(Debug, Clone)]
pub struct Db {
    pool: AnyPool,
    dialect: Dialect,
}

/// One schema migration: a version, a name, and `;`-separated statements (after `--` comment
/// lines) whose `{TS}` (a timestamp column) and `{BOOL}` are spelled per dialect. Versions are
/// applied once, in order.
struct Migration {
    version: i64,
    name: &'static str,
    sql: &'static str,
}

const MIGRATIONS: &[Migration] = &[Migration {
    version: 1,
    name: "directory, audit, scim, sessions, admin",
    sql: include_str!("../migrations/0001_initial.sql"),
}];

impl Db {
    /// Connects to `url` (`sqlite://…` or `postgres://…`) and applies pending migrations.
    pub async fn connect(url: &str) -> Result<Self, sqlx::Error> {
        sqlx::any::install_default_drivers();
        let dialect = if url.starts_with("postgres:") || url.starts_with("postgresql:") {
            Dialect::Postgres
        } else {
            Dialect::Sqlite
        };
        let options = AnyPoolOptions::new()
            .max_connections(if dialect == Dialect::Sqlite { 4 } else { 8 })
            .acquire_timeout(Duration::from_secs(10));
        let options = match dialect {
            // WAL: readers never wait for the writer; FULL: a commit is on disk when it returns.
            Dialect::Sqlite => options.after_connect(|conn, _| {
                Box::pin(async move {
                    conn.execute("PRAGMA journal_mode = WAL").await?;
                    conn.execute("PRAGMA synchronous = FULL").await?;
                    conn.execute("PRAGMA busy_timeout = 10000").await?;
                    conn.execute("PRAGMA foreign_keys = ON").await?;
                    Ok(())
                })
            }),
            Dialect::Postgres => options,
        };
        let db = Self {
            pool: options.connect(url).await?,
            dialect,
        };
        db.migrate().await?;
        Ok(db)
    }

    /// The SQL dialect, as the engine's SQL planners take it.
    pub fn dialect(&self) -> Dialect {
        self.dialect
    }

    /// The pool, for reads outside a transaction.
    pub fn pool(&self) -> &AnyPool {
        &self.pool
    }

    /// Starts a transaction.
    pub async fn begin(&self) -> ApiResult<Tx> {
        Ok(self.pool.begin().await?)
    }

    /// Closes every connection (after the last request).
    pub async fn close(&self) {
        self.pool.close().await;
    }

    /// A timestamp parameter given as microseconds since the Unix epoch, as the column's type
    /// takes it: an `INTEGER` in SQLite, a `timestamptz` in PostgreSQL.
    pub fn ts_param(&self, n: usize) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("${n}"),
            Dialect::Postgres => format!("to_timestamp(${n}::bigint / 1000000.0)"),
        }
    }

    /// A timestamp column read as milliseconds since the Unix epoch.
    pub fn ts_millis(&self, column: &str) -> String {
        match self.dialect {
            Dialect::Sqlite => format!("({column} / 1000)"),
            Dialect::Postgres => format!("(extract(epoch from {column}) * 1000)::bigint"),
        }
    }

    async fn migrate(&self) -> Result<(), sqlx::Error> {
        let (ts, boolean) = match self.dialect {
            Dialect::Sqlite => ("INTEGER", "INTEGER"),
            Dialect::Postgres => ("TIMESTAMPTZ", "BOOLEAN"),
        };
        self.pool
            .execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations \
                 (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )
            .await?;
        for migration in MIGRATIONS {
            let mut tx = self.pool.begin().await?;
            let done = sqlx::query("SELECT version FROM schema_migrations WHERE version = $1")
                .bind(migration.version)
                .fetch_optional(&mut *tx)
                .await?;
            if done.is_some() {
                continue;
            }
            let sql: String = migration
                .sql
                .lines()
                .filter(|line| !line.trim_start().starts_with("--"))
                .collect::<Vec<_>>()
                .join("\n")
                .replace("{TS}", ts)
                .replace("{BOOL}", boolean);
            for statement in sql.split(';').map(str::trim).filter(|s| !s.is_empty()) {
                tx.execute(statement).await?;
            }
            sqlx::query(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, $3)",
            )
            .bind(migration.version)
            .bind(migration.name)
            .bind(crate::clock::now())
            .execute(&mut *tx)
            .await?;
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Reads a text column.
pub fn text(row: &AnyRow, column: &str) -> ApiResult<String> {
    Ok(row.try_get::<String, _>(column)?)
}

/// Reads an integer column.
pub fn int(row: &AnyRow, column: &str) -> ApiResult<i64> {
    Ok(row.try_get::<i64, _>(column)?)
}

/// Reads a column holding a JSON document.
pub fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, column: &str) -> ApiResult<T> {
    serde_json::from_str(&text(row, column)?).map_err(|e| {
        crate::error::ApiError::new(
            orgkit::ErrorCode::Internal,
            format!("a stored `{column}` does not decode: {e}"),
        )
    })
}
