//! The things a user refers to: departments, custom field definitions and integrations.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::id::{CustomFieldId, DepartmentId, IntegrationId, ObjectId, TenantId};
use crate::values::{FieldEntity, FieldType, Name};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Department {
    pub id: DepartmentId,
    pub tenant_id: TenantId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl Department {
    pub fn new(tenant_id: TenantId, name: &Name) -> Self {
        let now = crate::model::now();
        Self {
            id: DepartmentId::generate(),
            tenant_id,
            name: name.as_str().to_owned(),
            created_at: now,
            updated_at: now,
        }
    }
}

/// A custom field definition: values of users (or applications) must fit its type.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CustomField {
    pub id: CustomFieldId,
    pub tenant_id: TenantId,
    pub name: String,
    pub field_type: FieldType,
    /// The allowed values of a `select` field; empty for other types.
    pub options: Vec<String>,
    pub entity: FieldEntity,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// An integration the organisation has connected (its id is the `org_integration_id`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Integration {
    pub id: IntegrationId,
    pub tenant_id: TenantId,
    /// Which kind of integration, e.g. `okta`.
    pub keyword: String,
    /// The id of the integration in the vendor's catalogue.
    pub integration_id: ObjectId,
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}
