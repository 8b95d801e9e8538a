//! What can go wrong, by meaning. Each dialect turns these into its own wire body and status.

use std::fmt;

/// Where a failing input was found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Location {
    Body,
    Path,
    Query,
    Header,
}

impl Location {
    pub fn as_str(self) -> &'static str {
        match self {
            Location::Body => "body",
            Location::Path => "params",
            Location::Query => "query",
            Location::Header => "headers",
        }
    }
}

/// One failing input: which field, where, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FieldError {
    pub field: String,
    pub location: Location,
    pub reason: String,
}

/// Every failing field of one request, collected so they can be reported at once.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct FieldErrors(Vec<FieldError>);

impl FieldErrors {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn body(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.push(field, Location::Body, reason);
    }

    pub fn path(&mut self, field: impl Into<String>, reason: impl Into<String>) {
        self.push(field, Location::Path, reason);
    }

    pub fn push(
        &mut self,
        field: impl Into<String>,
        location: Location,
        reason: impl Into<String>,
    ) {
        self.0.push(FieldError {
            field: field.into(),
            location,
            reason: reason.into(),
        });
    }

    pub fn extend(&mut self, other: FieldErrors) {
        self.0.extend(other.0);
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = &FieldError> {
        self.0.iter()
    }

    /// `Ok(())` when nothing failed, else the whole list as [`DomainError::Invalid`].
    pub fn into_result(self) -> Result<(), DomainError> {
        if self.0.is_empty() {
            Ok(())
        } else {
            Err(DomainError::Invalid(self))
        }
    }

    /// Records the error of a parse and gives back the value when it succeeded.
    pub fn check<T, E: fmt::Display>(&mut self, field: &str, result: Result<T, E>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(reason) => {
                self.body(field, reason.to_string());
                None
            }
        }
    }
}

/// The semantic errors of Roster. One status table maps them; each dialect writes its own body.
#[derive(Debug, thiserror::Error)]
pub enum DomainError {
    #[error("{entity} not found")]
    NotFound { entity: &'static str },
    #[error("{reason}")]
    /// A clash with the directory's state: a taken unique value (naming the field), or an entity
    /// still in use (no field).
    Conflict {
        field: Option<String>,
        reason: String,
    },
    #[error("invalid input")]
    Invalid(FieldErrors),
    #[error("{0}")]
    Unauthenticated(&'static str),
    #[error("{0}")]
    Forbidden(&'static str),
    #[error("the resource has changed (current version {current})")]
    PreconditionFailed { current: i64 },
    #[error("storage unavailable: {0}")]
    Unavailable(String),
    #[error("internal error: {0}")]
    Internal(String),
}

impl DomainError {
    pub fn not_found(entity: &'static str) -> Self {
        Self::NotFound { entity }
    }

    pub fn conflict(field: impl Into<String>, reason: impl Into<String>) -> Self {
        Self::Conflict {
            field: Some(field.into()),
            reason: reason.into(),
        }
    }

    /// The entity cannot change this way while other records depend on it.
    pub fn in_use(reason: impl Into<String>) -> Self {
        Self::Conflict {
            field: None,
            reason: reason.into(),
        }
    }

    /// The same error, with a uniqueness conflict on the domain field `domain` named as the caller
    /// knows it (`name` → `department_name`, `email` → `user_email`, …).
    pub fn naming_conflict(self, domain: &str, wire: &str) -> Self {
        match self {
            Self::Conflict {
                field: Some(field),
                reason,
            } if field == domain => Self::Conflict {
                field: Some(wire.to_owned()),
                reason,
            },
            other => other,
        }
    }

    /// The same error about the item at `index` of a batch: invalid fields are named `[index].field`,
    /// and other messages say which item they concern.
    pub fn at_position(self, index: usize) -> Self {
        match self {
            Self::Invalid(errors) => Self::Invalid(FieldErrors(
                errors
                    .0
                    .into_iter()
                    .map(|error| FieldError {
                        field: format!("[{index}].{}", error.field),
                        ..error
                    })
                    .collect(),
            )),
            Self::Conflict { field, reason } => Self::Conflict {
                field: field.map(|field| format!("[{index}].{field}")),
                reason,
            },
            other => other,
        }
    }

    /// A single invalid field.
    pub fn invalid(field: impl Into<String>, reason: impl Into<String>) -> Self {
        let mut errors = FieldErrors::new();
        errors.body(field, reason);
        Self::Invalid(errors)
    }
}

pub type DomainResult<T> = Result<T, DomainError>;
