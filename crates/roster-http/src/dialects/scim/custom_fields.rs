//! A tenant's user custom fields as a SCIM extension schema: one typed attribute per field, so that
//! identity providers map their attributes onto them the way they map any extension attribute
//! (`urn:…:CustomFields:location`). The schema differs per tenant, so `/Schemas` and
//! `/ResourceTypes` publish it to callers that present their key.
//!
//! Types: text → `string`, select → `string` with the options as `canonicalValues`, bool →
//! `boolean`, number → `decimal`. A date field is published `readOnly` as a `string`: SCIM's only
//! temporal type, `dateTime`, is an instant, while a Roster date is a calendar date
//! (`YYYY-MM-DD`); such fields are written through the native API.

use std::collections::HashSet;

use roster_core::command::CustomValueChange;
use roster_core::directory::check_custom_value;
use roster_core::model::CustomField;
use roster_core::values::{FieldEntity, FieldType};
use roster_core::FieldErrors;
use roster_scim::{Attribute, AttributeType, Mutability, Schema};
use serde_json::Value;

use super::schemas::CUSTOM_FIELDS;

/// One user custom field and the SCIM attribute name it is published under.
#[derive(Clone, Debug)]
pub struct CustomAttribute {
    pub name: String,
    pub field: CustomField,
}

impl CustomAttribute {
    /// Whether SCIM clients may write it (every type but date).
    pub fn writable(&self) -> bool {
        self.field.field_type != FieldType::Date
    }

    fn definition(&self) -> Attribute {
        let (r#type, canonical_values) = match self.field.field_type {
            FieldType::Text | FieldType::Date => (AttributeType::String, Vec::new()),
            FieldType::Select => (AttributeType::String, self.field.options.clone()),
            FieldType::Bool => (AttributeType::Boolean, Vec::new()),
            FieldType::Number => (AttributeType::Decimal, Vec::new()),
        };
        let writable = self.writable();
        let mut description = format!(
            "The custom field \"{}\" ({}).",
            self.field.name, self.field.field_type
        );
        if !writable {
            description.push_str(" A calendar date, YYYY-MM-DD; written through the native API.");
        }
        Attribute {
            name: self.name.clone(),
            r#type,
            multi_valued: false,
            description: Some(description),
            required: false,
            case_exact: self.field.field_type == FieldType::Select,
            mutability: if writable {
                Mutability::ReadWrite
            } else {
                Mutability::ReadOnly
            },
            returned: Default::default(),
            uniqueness: Default::default(),
            canonical_values,
            reference_types: Vec::new(),
            sub_attributes: Vec::new(),
        }
    }

    /// The change a SCIM value (absent or null: none) makes to the field; a value that does not
    /// fit the field is an error named after the attribute.
    pub fn change(&self, value: Option<&Value>, errors: &mut FieldErrors) -> CustomValueChange {
        let value = match value {
            None | Some(Value::Null) => None,
            Some(value) => match check_custom_value(&self.field, value) {
                Ok(stored) => Some(stored),
                Err(reason) => {
                    errors.body(self.name.clone(), reason);
                    None
                }
            },
        };
        CustomValueChange {
            field_id: self.field.id.clone(),
            value,
        }
    }
}

/// The tenant's user custom fields (of `fields`, which may hold application fields too), oldest
/// first, each with a distinct attribute name.
pub fn custom_attributes(mut fields: Vec<CustomField>) -> Vec<CustomAttribute> {
    fields.retain(|field| field.entity == FieldEntity::User);
    fields.sort_by(|a, b| a.id.cmp(&b.id));
    let mut taken = HashSet::new();
    fields
        .into_iter()
        .map(|field| {
            let base = attribute_name(&field.name);
            let mut name = base.clone();
            // SCIM names are case-insensitive: "Cost center" and "cost-center" cannot share one.
            for n in 2.. {
                if taken.insert(name.to_lowercase()) {
                    break;
                }
                name = format!("{base}_{n}");
            }
            CustomAttribute { name, field }
        })
        .collect()
}

/// The extension schema of these attributes; `None` when there are none (nothing to publish).
pub fn custom_fields_schema(attributes: &[CustomAttribute]) -> Option<Schema> {
    if attributes.is_empty() {
        return None;
    }
    Some(Schema {
        id: CUSTOM_FIELDS.to_owned(),
        name: Some("RosterCustomFields".to_owned()),
        description: Some(
            "The tenant's user custom fields, one attribute each (named after the field, in \
             lower camel case)."
                .to_owned(),
        ),
        attributes: attributes.iter().map(CustomAttribute::definition).collect(),
    })
}

/// A field name as a SCIM attribute name (RFC 7643 §2.1: a letter, then letters, digits, `-` or
/// `_`): its words in lower camel case ("Start date" → `startDate`, "VPN access" → `vpnAccess`,
/// "Access VPN" → `accessVpn`),
/// prefixed with `field` when it would not start with a letter.
pub fn attribute_name(field_name: &str) -> String {
    let mut name = String::new();
    let words = field_name
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|word| !word.is_empty());
    for word in words {
        let mut chars = word.chars();
        let Some(first) = chars.next() else { continue };
        if name.is_empty() {
            if word.chars().all(|c| !c.is_ascii_lowercase()) {
                name.push_str(&word.to_ascii_lowercase());
            } else {
                name.push(first.to_ascii_lowercase());
                name.push_str(chars.as_str());
            }
        } else if word.chars().all(|c| !c.is_ascii_lowercase()) {
            // "COST CENTER" → costCenter, like "Cost center".
            name.push(first.to_ascii_uppercase());
            name.push_str(&chars.as_str().to_ascii_lowercase());
        } else {
            name.push(first.to_ascii_uppercase());
            name.push_str(chars.as_str());
        }
    }
    if name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name
    } else {
        let mut chars = name.chars();
        let rest: String = chars
            .next()
            .map(|c| c.to_ascii_uppercase())
            .into_iter()
            .chain(chars)
            .collect();
        format!("field{rest}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::id::{CustomFieldId, TenantId};

    fn field(name: &str, field_type: FieldType) -> CustomField {
        CustomField {
            id: CustomFieldId::generate(),
            tenant_id: TenantId::generate(),
            name: name.to_owned(),
            field_type,
            options: Vec::new(),
            entity: FieldEntity::User,
            created_at: chrono::Utc::now(),
            updated_at: chrono::Utc::now(),
        }
    }

    #[test]
    fn custom_field_names_become_lower_camel_case_attribute_names() {
        assert_eq!(attribute_name("Location"), "location");
        assert_eq!(attribute_name("Start date"), "startDate");
        assert_eq!(attribute_name("VPN access"), "vpnAccess");
        assert_eq!(attribute_name("employeeID"), "employeeID");
        assert_eq!(attribute_name("T-shirt size (EU)"), "tShirtSizeEu");
        assert_eq!(attribute_name("2FA enabled"), "field2faEnabled");
        assert_eq!(attribute_name("Access VPN"), "accessVpn");
        assert_eq!(attribute_name("Größe"), "grE");
        assert_eq!(attribute_name("日本"), "field");
    }

    #[test]
    fn custom_attribute_names_are_distinct_regardless_of_case() {
        let fields = vec![
            field("Cost center", FieldType::Text),
            field("cost-center", FieldType::Text),
            field("COST CENTER", FieldType::Text),
        ];
        let names: Vec<String> = custom_attributes(fields)
            .into_iter()
            .map(|attribute| attribute.name)
            .collect();
        assert_eq!(names, ["costCenter", "costCenter_2", "costCenter_3"]);
    }

    #[test]
    fn date_custom_fields_are_read_only_and_others_typed() {
        let mut select = field("Location", FieldType::Select);
        select.options = vec!["Berlin".into(), "Pune".into()];
        let attributes = custom_attributes(vec![
            select,
            field("Remote", FieldType::Bool),
            field("Start date", FieldType::Date),
            field("Seats", FieldType::Number),
        ]);
        let schema = custom_fields_schema(&attributes).expect("a schema");
        let by_name = |name: &str| schema.attribute(name).expect(name).clone();
        assert_eq!(by_name("location").canonical_values, ["Berlin", "Pune"]);
        assert_eq!(by_name("remote").r#type, AttributeType::Boolean);
        assert_eq!(by_name("seats").r#type, AttributeType::Decimal);
        assert_eq!(by_name("startDate").mutability, Mutability::ReadOnly);
        assert!(custom_fields_schema(&[]).is_none());
    }
}
