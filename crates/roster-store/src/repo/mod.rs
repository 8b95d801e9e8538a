//! The core's repositories, implemented once in portable SQL for [`crate::session::SqlSession`].

mod audit;
mod catalog;
mod tenants;
mod users;

use roster_core::query::PageRequest;

use crate::sql::Sql;

/// Appends `LIMIT … OFFSET …` for a page.
fn paginate(sql: &mut Sql, page: PageRequest) {
    sql.push(" LIMIT ").bind(i64::from(page.size));
    sql.push(" OFFSET ")
        .bind(i64::try_from(page.offset()).unwrap_or(i64::MAX));
}

/// `%term%` for LIKE, lowercased, with the wildcards of the term itself escaped (used with
/// `ESCAPE '\'`).
fn like_pattern(term: &str) -> String {
    like_pattern_as_typed(&term.to_lowercase())
}

/// [`like_pattern`] without lowercasing, for `LOWER(column) LIKE LOWER(pattern)`: SQL's `LOWER`
/// may fold only ASCII letters (SQLite; PostgreSQL under the C locale), so a term lowercased by
/// Rust (`Émile` → `émile`) would miss a column SQL lowered (`Émile` → `Émile`).
fn like_pattern_as_typed(term: &str) -> String {
    let escaped = term
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
