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
    if detail.contains("email") {
        "email"
    } else if detail.contains("slug") {
        "slug"
    } else if detail.contains("name") {
        "name"
    } else {
        "id"
    }
}
