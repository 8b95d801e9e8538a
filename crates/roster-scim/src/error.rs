//! The SCIM error (HTTP status, optional RFC 7644 `scimType`, detail) and its wire body.

use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

/// The schema URN every SCIM error body declares (RFC 7644 §3.12).
pub const ERROR_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:Error";

/// The `scimType` keywords of RFC 7644 §3.12 (table 9), which say why a request was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScimType {
    InvalidFilter,
    TooMany,
    Uniqueness,
    Mutability,
    InvalidSyntax,
    InvalidPath,
    NoTarget,
    InvalidValue,
    InvalidVers,
    Sensitive,
}

impl ScimType {
    /// The keyword as it appears on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::InvalidFilter => "invalidFilter",
            Self::TooMany => "tooMany",
            Self::Uniqueness => "uniqueness",
            Self::Mutability => "mutability",
            Self::InvalidSyntax => "invalidSyntax",
            Self::InvalidPath => "invalidPath",
            Self::NoTarget => "noTarget",
            Self::InvalidValue => "invalidValue",
            Self::InvalidVers => "invalidVers",
            Self::Sensitive => "sensitive",
        }
    }
}

impl fmt::Display for ScimType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A refused SCIM request, ready to be written as an RFC 7644 §3.12 error body by [`Self::body`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("SCIM {status}{}: {detail}", type_suffix(.scim_type))]
pub struct ScimError {
    /// The HTTP status code.
    pub status: u16,
    /// The RFC keyword refining a 400, 403 or 409; `None` for statuses the RFC gives none.
    pub scim_type: Option<ScimType>,
    /// A human-readable explanation for the client.
    pub detail: String,
}

fn type_suffix(scim_type: &Option<ScimType>) -> String {
    scim_type.map(|t| format!(" {t}")).unwrap_or_default()
}

impl ScimError {
    pub fn new(status: u16, scim_type: Option<ScimType>, detail: impl Into<String>) -> Self {
        Self {
            status,
            scim_type,
            detail: detail.into(),
        }
    }

    fn bad_request(scim_type: ScimType, detail: impl Into<String>) -> Self {
        Self::new(400, Some(scim_type), detail)
    }

    /// The filter is malformed, or compares an attribute in a way its type does not allow.
    pub fn invalid_filter(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidFilter, detail)
    }

    /// The query would return more results than the server is willing to process.
    pub fn too_many(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::TooMany, detail)
    }

    /// A value that must be unique is already taken (409 Conflict).
    pub fn uniqueness(detail: impl Into<String>) -> Self {
        Self::new(409, Some(ScimType::Uniqueness), detail)
    }

    /// The request changes a `readOnly` attribute, or an `immutable` one that is already set.
    pub fn mutability(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::Mutability, detail)
    }

    /// The body does not have the structure its schema requires.
    pub fn invalid_syntax(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidSyntax, detail)
    }

    /// An attribute path is malformed or names no attribute.
    pub fn invalid_path(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidPath, detail)
    }

    /// A PATCH path selects nothing to operate on.
    pub fn no_target(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::NoTarget, detail)
    }

    /// A value is missing or does not fit its attribute's type.
    pub fn invalid_value(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidValue, detail)
    }

    /// The request asks for a SCIM protocol version the server does not speak.
    pub fn invalid_vers(detail: impl Into<String>) -> Self {
        Self::bad_request(ScimType::InvalidVers, detail)
    }

    /// The request carries sensitive data in its URI (403, RFC 7644 §7.5.2).
    pub fn sensitive(detail: impl Into<String>) -> Self {
        Self::new(403, Some(ScimType::Sensitive), detail)
    }

    /// The resource or endpoint does not exist.
    pub fn not_found(detail: impl Into<String>) -> Self {
        Self::new(404, None, detail)
    }

    /// The `If-Match` version no longer matches the resource (RFC 7644 §3.14).
    pub fn precondition_failed(detail: impl Into<String>) -> Self {
        Self::new(412, None, detail)
    }

    /// The RFC 7644 §3.12 JSON body; `status` is a string there, and `scimType` is left out when
    /// there is none.
    pub fn body(&self) -> Value {
        let mut body = json!({
            "schemas": [ERROR_SCHEMA],
            "status": self.status.to_string(),
            "detail": self.detail,
        });
        if let (Some(scim_type), Value::Object(map)) = (self.scim_type, &mut body) {
            map.insert("scimType".to_owned(), Value::from(scim_type.as_str()));
        }
        body
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_body_has_string_status_and_scim_type() {
        let body = ScimError::invalid_filter("bad token").body();
        assert_eq!(
            body,
            json!({
                "schemas": ["urn:ietf:params:scim:api:messages:2.0:Error"],
                "status": "400",
                "scimType": "invalidFilter",
                "detail": "bad token",
            })
        );
    }

    #[test]
    fn error_body_omits_scim_type_when_none() {
        let body = ScimError::not_found("no such user").body();
        assert_eq!(body["status"], "404");
        assert!(body.get("scimType").is_none());
    }

    #[test]
    fn scim_type_serialises_to_rfc_keywords() {
        let all = [
            (ScimType::InvalidFilter, "invalidFilter"),
            (ScimType::TooMany, "tooMany"),
            (ScimType::Uniqueness, "uniqueness"),
            (ScimType::Mutability, "mutability"),
            (ScimType::InvalidSyntax, "invalidSyntax"),
            (ScimType::InvalidPath, "invalidPath"),
            (ScimType::NoTarget, "noTarget"),
            (ScimType::InvalidValue, "invalidValue"),
            (ScimType::InvalidVers, "invalidVers"),
            (ScimType::Sensitive, "sensitive"),
        ];
        for (scim_type, keyword) in all {
            assert_eq!(
                serde_json::to_value(scim_type).ok(),
                Some(Value::from(keyword))
            );
            assert_eq!(scim_type.as_str(), keyword);
        }
    }

    #[test]
    fn constructors_use_rfc_statuses() {
        assert_eq!(ScimError::uniqueness("x").status, 409);
        assert_eq!(ScimError::sensitive("x").status, 403);
        assert_eq!(ScimError::precondition_failed("x").status, 412);
        assert_eq!(
            ScimError::no_target("x").scim_type,
            Some(ScimType::NoTarget)
        );
    }

    #[test]
    fn error_displays_status_type_and_detail() {
        assert_eq!(
            ScimError::mutability("id").to_string(),
            "SCIM 400 mutability: id"
        );
        assert_eq!(ScimError::not_found("gone").to_string(), "SCIM 404: gone");
    }
}
