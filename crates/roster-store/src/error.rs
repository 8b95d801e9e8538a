//! The storage edge: database errors become domain errors here, and nowhere else.

use roster_core::DomainError;

/// Unique violations become conflicts naming the domain field; lost connections and exhausted pools
/// are "unavailable"; anything else is internal (logged once by the HTTP edge, never shown).
pub(crate) fn from_sqlx(error: sqlx::Error) -> DomainError {
    match &error {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            let field = conflict_field(&format!(
                "{} {}",
                db.constraint().unwrap_or(""),
                db.message()
            ));
            DomainError::conflict(field, "another record already has this value")
        }
        sqlx::Error::Database(db) if db.is_foreign_key_violation() => DomainError::in_use(
            "a record this change refers to was removed or is still referred to",
        ),
        sqlx::Error::PoolTimedOut
        | sqlx::Error::PoolClosed
        | sqlx::Error::Io(_)
        | sqlx::Error::WorkerCrashed => DomainError::Unavailable(error.to_string()),
        sqlx::Error::Database(db) if is_busy(db.code().as_deref()) => {
            DomainError::Unavailable(error.to_string())
        }
        _ => DomainError::Internal(error.to_string()),
    }
}

/// SQLite's "database is locked" (5) and "busy snapshot" (517), and PostgreSQL's serialization
/// failure and deadlock: the request may be retried.
fn is_busy(code: Option<&str>) -> bool {
    matches!(code, Some("5" | "517" | "40001" | "40P01"))
}

/// Which field a unique constraint protects. PostgreSQL names the constraint; SQLite names the
/// columns ("UNIQUE constraint failed: users.tenant_id, users.email_lower").
fn conflict_field(detail: &str) -> &'static str {
    if detail.contains("login_name") {
        "login_name"
    } else if detail.contains("email") {
        "email"
    } else if detail.contains("slug") {
        "slug"
    } else if detail.contains("name") {
        "name"
    } else {
        "id"
    }
}

#[cfg(test)]
mod tests {
    use super::conflict_field;

    #[test]
    fn group_and_role_name_clashes_name_the_name_field() {
        // PostgreSQL names the constraint; SQLite names its columns.
        for detail in [
            "user_groups_name_unique duplicate key value violates unique constraint",
            "roles_name_unique duplicate key value violates unique constraint",
            "UNIQUE constraint failed: user_groups.tenant_id, user_groups.name_lower",
            "UNIQUE constraint failed: roles.tenant_id, roles.name_lower",
        ] {
            assert_eq!(conflict_field(detail), "name", "{detail}");
        }
    }
}
