//! RFC 7643 schemas: the definition documents (§7) and their lookup by attribute path.

mod common;
mod definition;
mod resource_schema;

pub use common::common_attributes;
pub use definition::{Attribute, AttributeType, Mutability, Returned, Schema, Uniqueness};
pub use resource_schema::{Resolved, ResourceSchema};
