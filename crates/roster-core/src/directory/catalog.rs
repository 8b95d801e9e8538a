//! Use cases on what users refer to: departments, custom field definitions and integrations.
//! Uniqueness clashes are reported on the domain field `name`; dialects rename it for the wire.

use super::{record_and_commit, Directory, Reader, Writer};
use crate::command::{CustomFieldUpdate, DepartmentUpdate, IntegrationUpdate};
use crate::error::{DomainError, DomainResult};
use crate::id::{CustomFieldId, DepartmentId, IntegrationId, ObjectId};
use crate::model::{CustomField, Department, Integration};
use crate::query::{Page, PageRequest};
use crate::values::{FieldEntity, FieldType, Name};

/// Only select fields have options, and a select field needs at least one; options are distinct.
pub fn check_field_options(field_type: FieldType, options: &[String]) -> Result<(), String> {
    match field_type {
        FieldType::Select if options.is_empty() => {
            Err("a select field needs at least one option".into())
        }
        FieldType::Select => {
            let mut seen = std::collections::HashSet::new();
            match options
                .iter()
                .find(|option| option.trim().is_empty() || !seen.insert(*option))
            {
                Some(bad) if bad.trim().is_empty() => Err("options must not be empty".into()),
                Some(bad) => Err(format!("the option {bad:?} is given more than once")),
                None => Ok(()),
            }
        }
        _ if options.is_empty() => Ok(()),
        other => Err(format!(
            "only select fields have options, this field's type is {other}"
        )),
    }
}

impl Directory {
    pub async fn create_department(
        &self,
        writer: &Writer<'_>,
        name: Name,
    ) -> DomainResult<Department> {
        let department = Department::new(writer.tenant().id.clone(), &name);
        let mut session = self.store.writer().await?;
        session.insert_department(&department).await?;
        record_and_commit(
            session,
            writer,
            "department.create",
            department.id.as_str(),
            None,
            Some(&department),
        )
        .await?;
        Ok(department)
    }

    pub async fn department(
        &self,
        reader: &Reader<'_>,
        id: &DepartmentId,
    ) -> DomainResult<Department> {
        let mut session = self.store.reader().await?;
        session
            .department(&reader.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("department"))
    }

    pub async fn list_departments(
        &self,
        reader: &Reader<'_>,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Department>> {
        let mut session = self.store.reader().await?;
        session
            .list_departments(&reader.tenant().id, search, page)
            .await
    }

    pub async fn update_department(
        &self,
        writer: &Writer<'_>,
        id: &DepartmentId,
        update: DepartmentUpdate,
    ) -> DomainResult<Department> {
        let mut session = self.store.writer().await?;
        let current = session
            .department(&writer.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("department"))?;
        let mut next = current.clone();
        if let Some(name) = update.name {
            next.name = name.as_str().to_owned();
        }
        if next == current {
            return Ok(current);
        }
        next.updated_at = crate::model::now();
        session.update_department(&next).await?;
        record_and_commit(
            session,
            writer,
            "department.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(next)
    }

    /// Refused while users are in the department: moving them is a decision for a person.
    pub async fn delete_department(
        &self,
        writer: &Writer<'_>,
        id: &DepartmentId,
    ) -> DomainResult<()> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let department = session
            .department(tenant, id)
            .await?
            .ok_or(DomainError::not_found("department"))?;
        let members = session.count_users_in_department(tenant, id).await?;
        if members > 0 {
            return Err(DomainError::in_use(format!(
                "the department still has {members} user(s); move them first"
            )));
        }
        session.delete_department(tenant, id).await?;
        record_and_commit(
            session,
            writer,
            "department.delete",
            id.as_str(),
            Some(&department),
            None,
        )
        .await
    }

    pub async fn create_custom_field(
        &self,
        writer: &Writer<'_>,
        name: Name,
        field_type: FieldType,
        options: Vec<String>,
        entity: FieldEntity,
    ) -> DomainResult<CustomField> {
        check_field_options(field_type, &options)
            .map_err(|reason| DomainError::invalid("field_options", reason))?;
        let now = crate::model::now();
        let field = CustomField {
            id: CustomFieldId::generate(),
            tenant_id: writer.tenant().id.clone(),
            name: name.as_str().to_owned(),
            field_type,
            options,
            entity,
            created_at: now,
            updated_at: now,
        };
        let mut session = self.store.writer().await?;
        session.insert_custom_field(&field).await?;
        record_and_commit(
            session,
            writer,
            "custom_field.create",
            field.id.as_str(),
            None,
            Some(&field),
        )
        .await?;
        Ok(field)
    }

    pub async fn custom_fields(&self, reader: &Reader<'_>) -> DomainResult<Vec<CustomField>> {
        let mut session = self.store.reader().await?;
        session.custom_fields(&reader.tenant().id).await
    }

    pub async fn custom_field(
        &self,
        reader: &Reader<'_>,
        id: &CustomFieldId,
    ) -> DomainResult<CustomField> {
        let mut session = self.store.reader().await?;
        session
            .custom_field(&reader.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("custom field"))
    }

    /// A field's type and entity are fixed once created: values already stored were checked against them.
    pub async fn update_custom_field(
        &self,
        writer: &Writer<'_>,
        id: &CustomFieldId,
        update: CustomFieldUpdate,
    ) -> DomainResult<CustomField> {
        let mut session = self.store.writer().await?;
        let current = session
            .custom_field(&writer.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("custom field"))?;
        let mut next = current.clone();
        if let Some(name) = update.name {
            next.name = name.as_str().to_owned();
        }
        if let Some(options) = update.options {
            check_field_options(next.field_type, &options)
                .map_err(|reason| DomainError::invalid("field_options", reason))?;
            next.options = options;
        }
        if next == current {
            return Ok(current);
        }
        next.updated_at = crate::model::now();
        session.update_custom_field(&next).await?;
        record_and_commit(
            session,
            writer,
            "custom_field.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(next)
    }

    /// Deleting a definition deletes every value of it.
    pub async fn delete_custom_field(
        &self,
        writer: &Writer<'_>,
        id: &CustomFieldId,
    ) -> DomainResult<()> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let field = session
            .custom_field(tenant, id)
            .await?
            .ok_or(DomainError::not_found("custom field"))?;
        session.delete_custom_field(tenant, id).await?;
        record_and_commit(
            session,
            writer,
            "custom_field.delete",
            id.as_str(),
            Some(&field),
            None,
        )
        .await
    }

    pub async fn create_integration(
        &self,
        writer: &Writer<'_>,
        keyword: Name,
        integration_id: ObjectId,
        name: Name,
    ) -> DomainResult<Integration> {
        let now = crate::model::now();
        let integration = Integration {
            id: IntegrationId::generate(),
            tenant_id: writer.tenant().id.clone(),
            keyword: keyword.as_str().to_owned(),
            integration_id,
            name: name.as_str().to_owned(),
            created_at: now,
            updated_at: now,
        };
        let mut session = self.store.writer().await?;
        session.insert_integration(&integration).await?;
        record_and_commit(
            session,
            writer,
            "integration.create",
            integration.id.as_str(),
            None,
            Some(&integration),
        )
        .await?;
        Ok(integration)
    }

    pub async fn integration(
        &self,
        reader: &Reader<'_>,
        id: &IntegrationId,
    ) -> DomainResult<Integration> {
        let mut session = self.store.reader().await?;
        session
            .integration(&reader.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("integration"))
    }

    pub async fn list_integrations(
        &self,
        reader: &Reader<'_>,
        search: Option<&str>,
        page: PageRequest,
    ) -> DomainResult<Page<Integration>> {
        let mut session = self.store.reader().await?;
        session
            .list_integrations(&reader.tenant().id, search, page)
            .await
    }

    pub async fn update_integration(
        &self,
        writer: &Writer<'_>,
        id: &IntegrationId,
        update: IntegrationUpdate,
    ) -> DomainResult<Integration> {
        let mut session = self.store.writer().await?;
        let current = session
            .integration(&writer.tenant().id, id)
            .await?
            .ok_or(DomainError::not_found("integration"))?;
        let mut next = current.clone();
        if let Some(keyword) = update.keyword {
            next.keyword = keyword.as_str().to_owned();
        }
        if let Some(integration_id) = update.integration_id {
            next.integration_id = integration_id;
        }
        if let Some(name) = update.name {
            next.name = name.as_str().to_owned();
        }
        if next == current {
            return Ok(current);
        }
        next.updated_at = crate::model::now();
        session.update_integration(&next).await?;
        record_and_commit(
            session,
            writer,
            "integration.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(next)
    }

    /// Refused while users name the integration as their primary source.
    pub async fn delete_integration(
        &self,
        writer: &Writer<'_>,
        id: &IntegrationId,
    ) -> DomainResult<()> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let integration = session
            .integration(tenant, id)
            .await?
            .ok_or(DomainError::not_found("integration"))?;
        let users = session.count_users_with_integration(tenant, id).await?;
        if users > 0 {
            return Err(DomainError::in_use(format!(
                "{users} user(s) have this integration as primary source; change them first"
            )));
        }
        session.delete_integration(tenant, id).await?;
        record_and_commit(
            session,
            writer,
            "integration.delete",
            id.as_str(),
            Some(&integration),
            None,
        )
        .await
    }
}
