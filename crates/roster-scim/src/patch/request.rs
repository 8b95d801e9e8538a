//! The PatchOp request body (RFC 7644 §3.5.2), read leniently where real clients differ from
//! the RFC's spelling and strictly where its structure matters.

use std::fmt;

use serde_json::Value;

use crate::error::ScimError;
use crate::path::PatchPath;
use crate::resource::{get, Object};

/// The schema URN a PatchOp body must declare.
pub const PATCH_OP_SCHEMA: &str = "urn:ietf:params:scim:api:messages:2.0:PatchOp";

/// A PATCH body: one or more operations, applied in order by [`super::apply`].
#[derive(Debug, Clone, PartialEq)]
pub struct PatchRequest {
    pub operations: Vec<PatchOperation>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PatchOperation {
    pub op: PatchOpKind,
    /// `None` targets the resource itself (not allowed for `remove`).
    pub path: Option<PatchPath>,
    /// As sent; `null` stays `Some(Value::Null)`, which clears the target.
    pub value: Option<Value>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum PatchOpKind {
    Add,
    Replace,
    Remove,
}

impl PatchOpKind {
    /// Case-insensitive: the RFC writes `add`, Microsoft Entra ID sends `Add`.
    pub fn parse(text: &str) -> Option<Self> {
        [Self::Add, Self::Replace, Self::Remove]
            .into_iter()
            .find(|kind| kind.as_str().eq_ignore_ascii_case(text))
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Add => "add",
            Self::Replace => "replace",
            Self::Remove => "remove",
        }
    }
}

impl fmt::Display for PatchOpKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl PatchRequest {
    /// Reads a PatchOp body. Its `schemas` must list [`PATCH_OP_SCHEMA`] and `Operations` must
    /// be a non-empty array of objects with a known `op` (else `invalidSyntax`); paths must parse
    /// (else `invalidPath`). Member names are matched case-insensitively, as SCIM names are.
    pub fn from_json(body: &Value) -> Result<Self, ScimError> {
        let body = body
            .as_object()
            .ok_or_else(|| ScimError::invalid_syntax("a PATCH body must be a JSON object"))?;
        let declares_patch_op =
            get(body, "schemas")
                .and_then(Value::as_array)
                .is_some_and(|schemas| {
                    schemas.iter().any(|s| {
                        s.as_str()
                            .is_some_and(|s| s.eq_ignore_ascii_case(PATCH_OP_SCHEMA))
                    })
                });
        if !declares_patch_op {
            return Err(ScimError::invalid_syntax(format!(
                "`schemas` must contain \"{PATCH_OP_SCHEMA}\""
            )));
        }
        let operations = get(body, "Operations")
            .and_then(Value::as_array)
            .filter(|operations| !operations.is_empty())
            .ok_or_else(|| ScimError::invalid_syntax("`Operations` must be a non-empty array"))?;
        let operations = operations
            .iter()
            .enumerate()
            .map(|(index, operation)| {
                PatchOperation::from_json(operation).map_err(|error| ScimError {
                    detail: format!("Operations[{index}]: {}", error.detail),
                    ..error
                })
            })
            .collect::<Result<_, _>>()?;
        Ok(Self { operations })
    }

    /// Reads a PatchOp body from bytes; bytes that are not JSON are `invalidSyntax`.
    pub fn from_slice(body: &[u8]) -> Result<Self, ScimError> {
        let body: Value = serde_json::from_slice(body)
            .map_err(|e| ScimError::invalid_syntax(format!("the body is not valid JSON: {e}")))?;
        Self::from_json(&body)
    }
}

impl PatchOperation {
    fn from_json(operation: &Value) -> Result<Self, ScimError> {
        let operation: &Object = operation
            .as_object()
            .ok_or_else(|| ScimError::invalid_syntax("an operation must be a JSON object"))?;
        let op = get(operation, "op")
            .and_then(Value::as_str)
            .and_then(PatchOpKind::parse)
            .ok_or_else(|| {
                ScimError::invalid_syntax("`op` must be \"add\", \"replace\" or \"remove\"")
            })?;
        let path = match get(operation, "path") {
            None | Some(Value::Null) => None,
            Some(Value::String(path)) => Some(PatchPath::parse(path)?),
            Some(other) => {
                return Err(ScimError::invalid_path(format!(
                    "`path` must be a string, not {other}"
                )))
            }
        };
        let value = get(operation, "value").cloned();
        Ok(Self { op, path, value })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::ScimType;
    use serde_json::json;

    fn request(operations: Value) -> Result<PatchRequest, ScimError> {
        PatchRequest::from_json(&json!({"schemas": [PATCH_OP_SCHEMA], "Operations": operations}))
    }

    #[test]
    fn patch_request_reads_operations() {
        let parsed = request(json!([
            {"op": "add", "path": "members", "value": [{"value": "1"}]},
            {"op": "remove", "path": "members[value eq \"2\"]"}
        ]))
        .expect("parses");
        assert_eq!(parsed.operations.len(), 2);
        assert_eq!(parsed.operations[0].op, PatchOpKind::Add);
        assert_eq!(parsed.operations[0].value, Some(json!([{"value": "1"}])));
        assert!(parsed.operations[1]
            .path
            .as_ref()
            .is_some_and(|p| p.value_filter.is_some()));
    }

    #[test]
    fn patch_op_names_are_case_insensitive() {
        let parsed = request(json!([
            {"op": "Add", "value": {}}, {"op": "Replace", "value": {}},
            {"op": "REMOVE", "path": "title"}
        ]))
        .expect("Entra-style op names parse");
        let kinds: Vec<_> = parsed.operations.iter().map(|o| o.op).collect();
        assert_eq!(
            kinds,
            [PatchOpKind::Add, PatchOpKind::Replace, PatchOpKind::Remove]
        );
    }

    #[test]
    fn patch_request_requires_patch_op_schema() {
        let error = PatchRequest::from_json(&json!({
            "schemas": ["urn:ietf:params:scim:schemas:core:2.0:User"],
            "Operations": [{"op": "add", "value": {}}]
        }))
        .expect_err("wrong schema");
        assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
        let missing = PatchRequest::from_json(&json!({"Operations": [{"op": "add"}]}));
        assert!(missing.is_err());
    }

    #[test]
    fn patch_request_requires_non_empty_operations() {
        for operations in [json!([]), json!({"op": "add"}), json!(null)] {
            let error = request(operations).expect_err("no operations");
            assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
        }
    }

    #[test]
    fn patch_request_rejects_unknown_op() {
        let error = request(json!([{"op": "merge", "value": {}}])).expect_err("unknown op");
        assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
        assert!(error.detail.starts_with("Operations[0]"));
    }

    #[test]
    fn patch_request_rejects_malformed_path() {
        let error = request(json!([{"op": "remove", "path": "emails[type eq]"}])).expect_err("bad");
        assert_eq!(error.scim_type, Some(ScimType::InvalidPath));
    }

    #[test]
    fn patch_request_from_slice_rejects_invalid_json() {
        let error = PatchRequest::from_slice(b"{not json").expect_err("not JSON");
        assert_eq!(error.scim_type, Some(ScimType::InvalidSyntax));
    }
}
