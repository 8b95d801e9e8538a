//! The RFC 7643 §7 schema document as served at `/Schemas`, deserialised with the §2.2 defaults.

use serde::{Deserialize, Serialize};

/// One schema: the core schema of a resource type, or an extension of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schema {
    /// The schema URN, e.g. `urn:ietf:params:scim:schemas:core:2.0:User`.
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
}

impl Schema {
    /// The top-level attribute called `name`, compared case-insensitively as RFC 7643 §2.1 asks.
    pub fn attribute(&self, name: &str) -> Option<&Attribute> {
        find_named(&self.attributes, name)
    }
}

/// One attribute definition; absent characteristics take the RFC 7643 §2.2 defaults.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Attribute {
    pub name: String,
    #[serde(default)]
    pub r#type: AttributeType,
    #[serde(default)]
    pub multi_valued: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub case_exact: bool,
    #[serde(default)]
    pub mutability: Mutability,
    #[serde(default)]
    pub returned: Returned,
    #[serde(default)]
    pub uniqueness: Uniqueness,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub canonical_values: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub reference_types: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub sub_attributes: Vec<Attribute>,
}

impl Attribute {
    /// The sub-attribute called `name`, case-insensitively.
    pub fn sub_attribute(&self, name: &str) -> Option<&Attribute> {
        find_named(&self.sub_attributes, name)
    }

    pub fn is_complex(&self) -> bool {
        self.r#type == AttributeType::Complex
    }

    /// Whether values are strings compared as text (so `co`, `sw` and `ew` apply).
    pub fn is_textual(&self) -> bool {
        matches!(
            self.r#type,
            AttributeType::String | AttributeType::Reference | AttributeType::Binary
        )
    }
}

fn find_named<'a>(attributes: &'a [Attribute], name: &str) -> Option<&'a Attribute> {
    attributes
        .iter()
        .find(|a| a.name.eq_ignore_ascii_case(name))
}

/// RFC 7643 §2.3 data types.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum AttributeType {
    #[default]
    String,
    Boolean,
    Decimal,
    Integer,
    DateTime,
    Binary,
    Reference,
    Complex,
}

impl AttributeType {
    /// The type's name as schema documents spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::String => "string",
            Self::Boolean => "boolean",
            Self::Decimal => "decimal",
            Self::Integer => "integer",
            Self::DateTime => "dateTime",
            Self::Binary => "binary",
            Self::Reference => "reference",
            Self::Complex => "complex",
        }
    }
}

/// RFC 7643 §7 `mutability`: who may write the attribute, and when.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Mutability {
    /// Only the service provider sets it; clients' writes are refused (or ignored when echoed).
    ReadOnly,
    #[default]
    ReadWrite,
    /// Settable when the attribute (or the multi-valued record) is created, never changed after.
    Immutable,
    /// Accepted on writes, never returned (e.g. `password`).
    WriteOnly,
}

/// RFC 7643 §7 `returned`: when the attribute appears in responses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Returned {
    /// Always, even when `attributes` does not name it or `excludedAttributes` does.
    Always,
    /// Never (e.g. `password`).
    Never,
    /// Unless excluded, or unless `attributes` is given and does not name it.
    #[default]
    Default,
    /// Only when `attributes` names it.
    Request,
}

/// RFC 7643 §7 `uniqueness`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Uniqueness {
    #[default]
    None,
    Server,
    Global,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn attribute_defaults_follow_rfc7643_section_2_2() {
        let attribute: Attribute = serde_json::from_value(json!({"name": "nickName"}))
            .expect("a bare attribute deserialises");
        assert_eq!(attribute.r#type, AttributeType::String);
        assert!(!attribute.multi_valued);
        assert!(!attribute.required);
        assert!(!attribute.case_exact);
        assert_eq!(attribute.mutability, Mutability::ReadWrite);
        assert_eq!(attribute.returned, Returned::Default);
        assert_eq!(attribute.uniqueness, Uniqueness::None);
        assert!(attribute.canonical_values.is_empty());
        assert!(attribute.sub_attributes.is_empty());
    }

    #[test]
    fn attribute_reads_camel_case_characteristics() {
        let attribute: Attribute = serde_json::from_value(json!({
            "name": "emails", "type": "complex", "multiValued": true, "caseExact": true,
            "mutability": "writeOnly", "returned": "request", "uniqueness": "global",
            "canonicalValues": ["work"], "referenceTypes": ["external"],
            "subAttributes": [{"name": "value", "type": "dateTime"}]
        }))
        .expect("a full attribute deserialises");
        assert_eq!(attribute.r#type, AttributeType::Complex);
        assert!(attribute.multi_valued && attribute.case_exact);
        assert_eq!(attribute.mutability, Mutability::WriteOnly);
        assert_eq!(attribute.returned, Returned::Request);
        assert_eq!(attribute.uniqueness, Uniqueness::Global);
        assert_eq!(attribute.canonical_values, ["work"]);
        assert_eq!(attribute.reference_types, ["external"]);
        let value = attribute
            .sub_attribute("VALUE")
            .expect("sub-attribute found");
        assert_eq!(value.r#type, AttributeType::DateTime);
    }

    #[test]
    fn schema_ignores_meta_and_schemas_members() {
        let schema: Schema = serde_json::from_value(json!({
            "id": "urn:x", "schemas": ["urn:ietf:params:scim:schemas:core:2.0:Schema"],
            "meta": {"resourceType": "Schema"}, "attributes": [{"name": "a"}]
        }))
        .expect("schema deserialises");
        assert!(schema.attribute("A").is_some());
        assert_eq!(schema.name, None);
    }
}
