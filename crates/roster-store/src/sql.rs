//! Writing a query once for both databases: `$n` placeholders (which SQLite also understands),
//! arguments collected as they are pushed, and typed reads of result columns.

use std::fmt::Display;

use chrono::{DateTime, SecondsFormat, Utc};
use sqlx::any::AnyRow;
use sqlx::query::Query;
use sqlx::{Any, AnyConnection, Row};

use crate::error::from_sqlx;
use roster_core::{DomainError, DomainResult};

/// One bound value.
#[derive(Clone, Debug)]
pub(crate) enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Bool(bool),
}

impl From<&str> for Arg {
    fn from(value: &str) -> Self {
        Arg::Text(Some(value.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(value: String) -> Self {
        Arg::Text(Some(value))
    }
}
impl From<&String> for Arg {
    fn from(value: &String) -> Self {
        Arg::Text(Some(value.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(value: Option<String>) -> Self {
        Arg::Text(value)
    }
}
impl From<Option<&str>> for Arg {
    fn from(value: Option<&str>) -> Self {
        Arg::Text(value.map(str::to_owned))
    }
}
impl From<i64> for Arg {
    fn from(value: i64) -> Self {
        Arg::Int(Some(value))
    }
}
impl From<Option<i64>> for Arg {
    fn from(value: Option<i64>) -> Self {
        Arg::Int(value)
    }
}
impl From<bool> for Arg {
    fn from(value: bool) -> Self {
        Arg::Bool(value)
    }
}
impl From<DateTime<Utc>> for Arg {
    fn from(value: DateTime<Utc>) -> Self {
        Arg::Text(Some(time_text(value)))
    }
}
impl From<Option<DateTime<Utc>>> for Arg {
    fn from(value: Option<DateTime<Utc>>) -> Self {
        Arg::Text(value.map(time_text))
    }
}

/// Times are stored as fixed-width RFC 3339 text so that text order is time order on both databases.
pub(crate) fn time_text(value: DateTime<Utc>) -> String {
    value.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// A statement being built: text with `$n` placeholders and the arguments they stand for.
#[derive(Debug, Default)]
pub(crate) struct Sql {
    text: String,
    args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &str) -> Self {
        Self {
            text: text.to_owned(),
            args: Vec::new(),
        }
    }

    /// A statement with its arguments, placeholders already written as `$1`, `$2`, ….
    pub fn with(text: &str, args: Vec<Arg>) -> Self {
        Self {
            text: text.to_owned(),
            args,
        }
    }

    pub fn push(&mut self, text: &str) -> &mut Self {
        self.text.push_str(text);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn bind(&mut self, value: impl Into<Arg>) -> &mut Self {
        self.args.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(p1, p2, …)` for the values; `(NULL)` when there are none, which matches nothing.
    pub fn bind_list<T: Into<Arg>>(&mut self, values: impl IntoIterator<Item = T>) -> &mut Self {
        self.push("(");
        let mut first = true;
        for value in values {
            if !first {
                self.push(", ");
            }
            first = false;
            self.bind(value);
        }
        if first {
            self.push("NULL");
        }
        self.push(")")
    }

    fn query(&self) -> Query<'_, Any, sqlx::any::AnyArguments<'_>> {
        let mut query = sqlx::query(&self.text);
        for arg in &self.args {
            query = match arg {
                Arg::Text(text) => query.bind(text.clone()),
                Arg::Int(int) => query.bind(*int),
                Arg::Bool(flag) => query.bind(*flag),
            };
        }
        query
    }

    pub async fn execute(&self, conn: &mut AnyConnection) -> DomainResult<u64> {
        Ok(self
            .query()
            .execute(conn)
            .await
            .map_err(from_sqlx)?
            .rows_affected())
    }

    pub async fn fetch_all(&self, conn: &mut AnyConnection) -> DomainResult<Vec<AnyRow>> {
        self.query().fetch_all(conn).await.map_err(from_sqlx)
    }

    pub async fn fetch_optional(&self, conn: &mut AnyConnection) -> DomainResult<Option<AnyRow>> {
        self.query().fetch_optional(conn).await.map_err(from_sqlx)
    }

    pub async fn fetch_count(&self, conn: &mut AnyConnection) -> DomainResult<u64> {
        let row = self.query().fetch_one(conn).await.map_err(from_sqlx)?;
        count(&row, 0)
    }
}

fn corrupt(column: impl Display, reason: impl Display) -> DomainError {
    DomainError::Internal(format!("stored column {column} is unreadable: {reason}"))
}

/// A column of a type both drivers decode alike (text, integers, options of them).
pub(crate) fn column<'r, T, I>(row: &'r AnyRow, index: I) -> DomainResult<T>
where
    T: sqlx::Decode<'r, Any> + sqlx::Type<Any>,
    I: sqlx::ColumnIndex<AnyRow> + Display + Copy,
{
    row.try_get(index).map_err(|error| corrupt(index, error))
}

/// A `COUNT(*)` column: a 64-bit integer on both databases, never negative.
pub(crate) fn count<I>(row: &AnyRow, index: I) -> DomainResult<u64>
where
    I: sqlx::ColumnIndex<AnyRow> + Display + Copy,
{
    let count: i64 = column(row, index)?;
    Ok(u64::try_from(count).unwrap_or(0))
}

/// A text column parsed into a domain type.
pub(crate) fn parsed<T, E: Display>(
    row: &AnyRow,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> DomainResult<T> {
    let text: String = column(row, name)?;
    parse(&text).map_err(|reason| corrupt(name, reason))
}

/// An optional text column parsed into a domain type.
pub(crate) fn parsed_opt<T, E: Display>(
    row: &AnyRow,
    name: &str,
    parse: impl FnOnce(&str) -> Result<T, E>,
) -> DomainResult<Option<T>> {
    let text: Option<String> = column(row, name)?;
    text.map(|text| parse(&text).map_err(|reason| corrupt(name, reason)))
        .transpose()
}

pub(crate) fn time(row: &AnyRow, name: &str) -> DomainResult<DateTime<Utc>> {
    parsed(row, name, parse_time)
}

pub(crate) fn time_opt(row: &AnyRow, name: &str) -> DomainResult<Option<DateTime<Utc>>> {
    parsed_opt(row, name, parse_time)
}

fn parse_time(text: &str) -> Result<DateTime<Utc>, chrono::ParseError> {
    DateTime::parse_from_rfc3339(text).map(|time| time.with_timezone(&Utc))
}

/// A flag: PostgreSQL has booleans, SQLite stores 0 or 1, and the `Any` driver passes each on as is.
pub(crate) fn flag(row: &AnyRow, name: &str) -> DomainResult<bool> {
    match row.try_get::<bool, _>(name) {
        Ok(value) => Ok(value),
        Err(_) => column::<i64, _>(row, name).map(|value| value != 0),
    }
}

/// A text column holding JSON.
pub(crate) fn json<T: serde::de::DeserializeOwned>(row: &AnyRow, name: &str) -> DomainResult<T> {
    parsed(row, name, |text| serde_json::from_str(text))
}
