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

/// `%term%` for LIKE against a `*_lower` column: lowercased by Rust like the column, with the
/// wildcards of the term itself escaped (used with `ESCAPE '\'`).
fn like_pattern(term: &str) -> String {
    let escaped = term
        .to_lowercase()
        .replace('\\', "\\\\")
        .replace('%', "\\%")
        .replace('_', "\\_");
    format!("%{escaped}%")
}
