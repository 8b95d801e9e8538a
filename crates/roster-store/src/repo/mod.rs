//! The core's repositories, implemented once in portable SQL for [`crate::session::SqlSession`].

mod access;
mod app_users;
mod applications;
mod audit;
mod catalog;
mod cloud;
mod custom_values;
mod licenses;
mod links;
mod optimization;
mod tenants;
mod users;

use roster_core::query::{Condition, PageRequest, Sort, Window};

use crate::sql::Sql;

/// At most this many keys go into one statement, well within both databases' parameter limits.
const MAX_KEYS: usize = 500;

/// `INSERT INTO table (columns) VALUES ($1, …)`: the arguments in the order of the columns.
fn insert_statement(table: &str, columns: &[&str]) -> String {
    let placeholders: Vec<String> = (1..=columns.len()).map(|n| format!("${n}")).collect();
    format!(
        "INSERT INTO {table} ({}) VALUES ({})",
        columns.join(", "),
        placeholders.join(", ")
    )
}

/// `UPDATE table SET …` of every column after the first `key` ones (the identity, which never
/// changes), where those match and the version is the argument after the columns'.
fn versioned_update_statement(table: &str, columns: &[&str], key: usize) -> String {
    let assignments: Vec<String> = columns
        .iter()
        .enumerate()
        .skip(key)
        .map(|(index, column)| format!("{column} = ${}", index + 1))
        .collect();
    let identity: Vec<String> = columns[..key]
        .iter()
        .enumerate()
        .map(|(index, column)| format!("{column} = ${}", index + 1))
        .collect();
    format!(
        "UPDATE {table} SET {} WHERE {} AND version = ${}",
        assignments.join(", "),
        identity.join(" AND "),
        columns.len() + 1
    )
}

/// Appends `LIMIT … OFFSET …` for a page.
fn paginate(sql: &mut Sql, page: PageRequest) {
    // Built field by field: `Window::from` would cap a page that was built bigger on purpose.
    let window = Window {
        offset: page.offset(),
        limit: page.size,
    };
    push_window(sql, window);
}

/// Appends `LIMIT … OFFSET …` for a window.
fn push_window(sql: &mut Sql, window: Window) {
    sql.push(" LIMIT ").bind(i64::from(window.limit));
    sql.push(" OFFSET ")
        .bind(i64::try_from(window.offset).unwrap_or(i64::MAX));
}

/// Appends ` AND <condition>` for each condition, the filter written by `push_filter`. A negated
/// condition also matches rows whose column is empty (NULL), as a person asking for "not in
/// department X" expects.
fn push_conditions<F>(sql: &mut Sql, conditions: &[Condition<F>], push_filter: fn(&mut Sql, &F)) {
    for condition in conditions {
        sql.push(if condition.negated {
            " AND NOT COALESCE(("
        } else {
            " AND ("
        });
        push_filter(sql, &condition.filter);
        sql.push(if condition.negated { "), FALSE)" } else { ")" });
    }
}

/// Appends ` ORDER BY` the requested keys, then `tiebreak` (unique), so that pages never overlap.
fn push_order<K: Copy>(
    sql: &mut Sql,
    sorts: &[Sort<K>],
    column: fn(K) -> &'static str,
    tiebreak: &str,
) {
    sql.push(" ORDER BY ");
    for sort in sorts {
        sql.push(column(sort.key))
            .push(if sort.descending { " DESC, " } else { " ASC, " });
    }
    sql.push(tiebreak);
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

/// Appends `(1 = 0 OR column LIKE … OR …)`: any column contains any of the terms.
fn push_search(sql: &mut Sql, columns: &[&str], terms: &[String]) {
    sql.push("1 = 0");
    for term in terms {
        let pattern = like_pattern(term);
        for column in columns {
            sql.push(" OR ")
                .push(column)
                .push(" LIKE ")
                .bind(pattern.clone())
                .push(" ESCAPE '\\'");
        }
    }
}
