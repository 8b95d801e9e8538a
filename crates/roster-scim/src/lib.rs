//! SCIM 2.0 protocol machinery (RFC 7643 schemas, RFC 7644 protocol) over plain JSON.
//!
//! This crate knows nothing about Roster's directory. It works on SCIM resources as
//! [`serde_json::Value`]s described by RFC 7643 schema documents ([`ResourceSchema`]), and gives a
//! SCIM front end the protocol rules it would otherwise re-derive from the RFCs:
//!
//! - [`filter`]: parse `filter=` expressions and evaluate them against a resource;
//! - [`patch`]: read a PatchOp body and apply its operations to a resource, all or nothing;
//! - [`projection`]: honour `attributes` / `excludedAttributes` and each attribute's `returned`;
//! - [`sort`]: order resources by `sortBy` / `sortOrder`;
//! - [`path`]: the attribute paths the above share;
//! - [`error`]: the SCIM error and its RFC 7644 §3.12 body.
//!
//! Mapping resources to and from a domain model, storage and HTTP stay with the caller.
//!
//! ```
//! use roster_scim::{filter, patch, PatchRequest, ResourceSchema, Schema};
//! use serde_json::json;
//!
//! let core: Schema = serde_json::from_value(json!({
//!     "id": "urn:ietf:params:scim:schemas:core:2.0:User",
//!     "attributes": [{"name": "userName"}, {"name": "active", "type": "boolean"}]
//! }))?;
//! let schema = ResourceSchema::new(core, Vec::new());
//! let mut user = json!({"id": "1", "userName": "bjensen", "active": true});
//!
//! assert!(filter::parse(r#"userName eq "BJensen""#)?.matches(&user, &schema)?);
//!
//! let request = PatchRequest::from_json(&json!({
//!     "schemas": ["urn:ietf:params:scim:api:messages:2.0:PatchOp"],
//!     "Operations": [{"op": "Replace", "path": "active", "value": "False"}]
//! }))?;
//! patch::apply(&mut user, &request.operations, &schema)?;
//! assert_eq!(user["active"], false);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod compare;
pub mod error;
pub mod filter;
pub mod patch;
pub mod path;
pub mod projection;
mod resource;
pub mod schema;
pub mod sort;
mod syntax;
#[cfg(test)]
mod test_schemas;

pub use error::{ScimError, ScimType};
pub use filter::{CompareOp, Filter};
pub use patch::{PatchOpKind, PatchOperation, PatchRequest};
pub use path::{AttrPath, PatchPath};
pub use schema::{
    Attribute, AttributeType, Mutability, Resolved, ResourceSchema, Returned, Schema, Uniqueness,
};
pub use sort::SortOrder;
