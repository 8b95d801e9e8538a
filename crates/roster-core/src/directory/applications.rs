//! Use cases on applications: create, read, list, update and delete.

use super::custom_values::check_custom_values;
use super::{record_and_commit, Directory, Reader, Writer};
use crate::command::{ApplicationUpdate, NewApplication};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{ApplicationId, TenantId};
use crate::model::Application;
use crate::patch::Patch;
use crate::query::{AppQuery, Page};
use crate::store::Session;
use crate::values::FieldEntity;

/// How the caller's dialect names the application fields a directory check can fail on.
#[derive(Clone, Copy, Debug)]
pub struct AppFieldNames {
    pub name: &'static str,
    pub owner: &'static str,
    pub technical_owner: &'static str,
    pub financial_owner: &'static str,
    pub custom_fields: &'static str,
}

impl Directory {
    pub async fn create_application(
        &self,
        writer: &Writer<'_>,
        new: NewApplication,
        names: &AppFieldNames,
        mut errors: FieldErrors,
    ) -> DomainResult<Application> {
        let mut session = self.store.writer().await?;
        let blank = Application::new(writer.tenant().id.clone(), new.name);
        let mut rest = new.rest;
        check_references(
            session.as_mut(),
            &blank.tenant_id,
            &mut rest,
            names,
            &mut errors,
        )
        .await?;
        errors.into_result()?;
        check_name_free(session.as_mut(), &blank, names).await?;
        let app = blank.apply(rest);
        session
            .insert_application(&app)
            .await
            .map_err(|error| error.naming_conflict("name", names.name))?;
        record_and_commit(
            session,
            writer,
            "application.create",
            app.id.as_str(),
            None,
            Some(&app),
        )
        .await?;
        Ok(app)
    }

    pub async fn application(
        &self,
        reader: &Reader<'_>,
        id: &ApplicationId,
    ) -> DomainResult<Application> {
        let mut session = self.store.reader().await?;
        session
            .application(&reader.tenant().id, id, false)
            .await?
            .ok_or(DomainError::not_found("application"))
    }

    pub async fn list_applications(
        &self,
        reader: &Reader<'_>,
        query: &AppQuery,
    ) -> DomainResult<Page<Application>> {
        let mut session = self.store.reader().await?;
        session.list_applications(&reader.tenant().id, query).await
    }

    /// Applies a partial update; nothing is written unless every field is valid.
    pub async fn update_application(
        &self,
        writer: &Writer<'_>,
        id: &ApplicationId,
        mut update: ApplicationUpdate,
        if_match: Option<i64>,
        names: &AppFieldNames,
        mut errors: FieldErrors,
    ) -> DomainResult<Application> {
        let mut session = self.store.writer().await?;
        let current = session
            .application(&writer.tenant().id, id, true)
            .await?
            .ok_or(DomainError::not_found("application"))?;
        if if_match.is_some_and(|version| version != current.version) {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        check_references(
            session.as_mut(),
            &current.tenant_id,
            &mut update,
            names,
            &mut errors,
        )
        .await?;
        errors.into_result()?;
        let mut next = current.apply(update);
        if next.name != current.name {
            check_name_free(session.as_mut(), &next, names).await?;
        }
        if next == current {
            return Ok(current);
        }
        next.version = current.version + 1;
        next.updated_at = crate::model::now();
        let written = session.update_application(&next, current.version).await;
        if !written.map_err(|error| error.naming_conflict("name", names.name))? {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        record_and_commit(
            session,
            writer,
            "application.update",
            id.as_str(),
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(next)
    }

    /// Deletes the application, its licenses and its application users.
    pub async fn delete_application(
        &self,
        writer: &Writer<'_>,
        id: &ApplicationId,
    ) -> DomainResult<()> {
        let mut session = self.store.writer().await?;
        let tenant = &writer.tenant().id;
        let app = session
            .application(tenant, id, true)
            .await?
            .ok_or(DomainError::not_found("application"))?;
        session.delete_application(tenant, id).await?;
        record_and_commit(
            session,
            writer,
            "application.delete",
            id.as_str(),
            Some(&app),
            None,
        )
        .await
    }
}

/// Owners exist in the tenant; custom values fit application fields. Failures go into `errors`.
async fn check_references(
    session: &mut dyn Session,
    tenant: &TenantId,
    update: &mut ApplicationUpdate,
    names: &AppFieldNames,
    errors: &mut FieldErrors,
) -> DomainResult<()> {
    let owners = [
        (&update.owner, names.owner),
        (&update.technical_owner, names.technical_owner),
        (&update.financial_owner, names.financial_owner),
    ];
    for (owner, field) in owners {
        if let Patch::Set(user) = owner {
            if session.user(tenant, user, false).await?.is_none() {
                errors.body(field, "no user with this id exists");
            }
        }
    }
    check_custom_values(
        session,
        tenant,
        FieldEntity::Application,
        &mut update.custom_values,
        names.custom_fields,
        errors,
    )
    .await
}

/// Application names are unique per tenant regardless of case: a clash is a conflict (409).
async fn check_name_free(
    session: &mut dyn Session,
    app: &Application,
    names: &AppFieldNames,
) -> DomainResult<()> {
    match session
        .application_id_by_name(&app.tenant_id, app.name.as_str())
        .await?
    {
        Some(other) if other != app.id => Err(DomainError::conflict(
            names.name,
            "another application already has this name",
        )),
        _ => Ok(()),
    }
}
