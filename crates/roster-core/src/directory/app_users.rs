//! Use cases on application users: add a user to an application, list, and the seed's partial
//! update, with the seat accounting that keeps a license from being overbooked.

use std::collections::HashSet;

use super::{record_and_commit, Directory, Reader, Writer};
use crate::command::{AppUserUpdate, NewAppUser};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{ApplicationId, LicenseId, TenantId, UserId};
use crate::model::{AppUser, AppUserDetail, Application, User};
use crate::query::{AppUserQuery, AppUserScope, Page};
use crate::store::Session;

/// How the caller's dialect names the application user fields a directory check can fail on.
#[derive(Clone, Copy, Debug)]
pub struct AppUserFieldNames {
    pub user_email: &'static str,
    pub licenses: &'static str,
}

impl Directory {
    /// Adds the user with this email to the application.
    pub async fn add_app_user(
        &self,
        writer: &Writer<'_>,
        app_id: &ApplicationId,
        new: NewAppUser,
        names: &AppUserFieldNames,
        mut errors: FieldErrors,
    ) -> DomainResult<AppUserDetail> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let app = session
            .application(tenant, app_id, true)
            .await?
            .ok_or(DomainError::not_found("application"))?;
        let user = match session
            .user_id_by_email(tenant, &new.email.normalized())
            .await?
        {
            Some(id) => session.user(tenant, &id, false).await?,
            None => None,
        };
        if user.is_none() {
            errors.body(names.user_email, "no user has this email");
        }
        let wanted = new.rest.licenses.clone().unwrap_or_default();
        let seats =
            check_licenses(session.as_mut(), &app, &[], &wanted, names, &mut errors).await?;
        errors.into_result()?;
        let Some(user) = user else {
            return Err(DomainError::not_found("user"));
        };
        if session
            .app_user(tenant, app_id, &user.id, true)
            .await?
            .is_some()
        {
            return Err(DomainError::conflict(
                names.user_email,
                "this user is already a user of the application",
            ));
        }
        seats?;
        let app_user =
            AppUser::new(tenant.clone(), app_id.clone(), user.id.clone()).apply(new.rest);
        session.insert_app_user(&app_user).await?;
        let entity_id = app_user.entity_id();
        record_and_commit(
            session,
            writer,
            "app_user.create",
            &entity_id,
            None,
            Some(&app_user),
        )
        .await?;
        Ok(detail(app_user, &app, &user))
    }

    pub async fn app_user(
        &self,
        reader: &Reader<'_>,
        app_id: &ApplicationId,
        user_id: &UserId,
    ) -> DomainResult<AppUserDetail> {
        let mut session = self.store.reader().await?;
        let (app, user, app_user) = load(
            session.as_mut(),
            &reader.tenant().id,
            app_id,
            user_id,
            false,
        )
        .await?;
        Ok(detail(app_user, &app, &user))
    }

    /// An application's users, or a user's applications (the scope must exist: else 404), or the
    /// applications of several users (those that exist).
    pub async fn list_app_users(
        &self,
        reader: &Reader<'_>,
        scope: &AppUserScope,
        query: &AppUserQuery,
    ) -> DomainResult<Page<AppUserDetail>> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        let exists = match scope {
            AppUserScope::App(app) => session.application(tenant, app, false).await?.is_some(),
            AppUserScope::User(user) => session.user(tenant, user, false).await?.is_some(),
            AppUserScope::Users(_) => true,
        };
        if !exists {
            return Err(DomainError::not_found(match scope {
                AppUserScope::App(_) => "application",
                AppUserScope::User(_) | AppUserScope::Users(_) => "user",
            }));
        }
        session.list_app_users(tenant, scope, query).await
    }

    /// The seed's partial update: absent fields are untouched; `licenses` replaces the set held.
    /// 404 (application, user or association) before 412 (`if_match`) before 400 (every failing
    /// field at once) before 409 (a license without a free seat). Nothing is written unless all
    /// pass; the licenses are locked while their seats are counted, so concurrent assignments
    /// cannot overbook one.
    pub async fn update_app_user(
        &self,
        writer: &Writer<'_>,
        (app_id, user_id): (&ApplicationId, &UserId),
        update: AppUserUpdate,
        if_match: Option<i64>,
        names: &AppUserFieldNames,
        mut errors: FieldErrors,
    ) -> DomainResult<AppUserDetail> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let (app, user, current) = load(session.as_mut(), tenant, app_id, user_id, true).await?;
        if if_match.is_some_and(|version| version != current.version) {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        let seats = match &update.licenses {
            Some(wanted) => {
                check_licenses(
                    session.as_mut(),
                    &app,
                    &current.licenses,
                    wanted,
                    names,
                    &mut errors,
                )
                .await?
            }
            None => Ok(()),
        };
        errors.into_result()?;
        seats?;
        let mut next = current.apply(update);
        if next == current {
            return Ok(detail(current, &app, &user));
        }
        next.version = current.version + 1;
        next.updated_at = crate::model::now();
        if !session.update_app_user(&next, current.version).await? {
            return Err(DomainError::PreconditionFailed {
                current: current.version,
            });
        }
        let entity_id = next.entity_id();
        record_and_commit(
            session,
            writer,
            "app_user.update",
            &entity_id,
            Some(&current),
            Some(&next),
        )
        .await?;
        Ok(detail(next, &app, &user))
    }
}

/// The application, the user and their association, or 404 naming the first that is missing.
async fn load(
    session: &mut dyn Session,
    tenant: &TenantId,
    app_id: &ApplicationId,
    user_id: &UserId,
    for_update: bool,
) -> DomainResult<(Application, User, AppUser)> {
    let app = session
        .application(tenant, app_id, false)
        .await?
        .ok_or(DomainError::not_found("application"))?;
    let user = session
        .user(tenant, user_id, false)
        .await?
        .ok_or(DomainError::not_found("user"))?;
    let app_user = session
        .app_user(tenant, app_id, user_id, for_update)
        .await?
        .ok_or(DomainError::not_found("application user"))?;
    Ok((app, user, app_user))
}

/// Checks a new set of licenses for an application user who holds `held`: each must exist in the
/// tenant, belong to `app`, and be listed once (failures go into `errors`, naming the entry). The
/// outer result is storage; the inner one is the seat rule: every license newly taken needs a
/// free seat, else a conflict naming it. The licenses stay locked until the session ends.
async fn check_licenses(
    session: &mut dyn Session,
    app: &Application,
    held: &[LicenseId],
    wanted: &[LicenseId],
    names: &AppUserFieldNames,
    errors: &mut FieldErrors,
) -> DomainResult<DomainResult<()>> {
    let usage = session.license_usage(&app.tenant_id, wanted, true).await?;
    let mut seen = HashSet::new();
    let mut full = Vec::new();
    for (index, id) in wanted.iter().enumerate() {
        let field = format!("{}[{index}]", names.licenses);
        if !seen.insert(id) {
            errors.body(field, "the same license is given more than once");
            continue;
        }
        match usage.iter().find(|usage| &usage.license.id == id) {
            None => errors.body(field, "no license with this id exists"),
            Some(usage) if usage.license.app_id != app.id => {
                errors.body(field, "this license belongs to another application")
            }
            Some(usage) if !held.contains(id) && !usage.license.has_room(usage.seats_used, 1) => {
                full.push((field, usage.license.name.to_string(), usage.seats_used));
            }
            Some(_) => {}
        }
    }
    Ok(match full.first() {
        None => Ok(()),
        Some((field, _, _)) => {
            let reasons: Vec<String> = full
                .iter()
                .map(|(_, name, used)| format!("license {name:?} has no free seat ({used} used)"))
                .collect();
            Err(DomainError::conflict(field.clone(), reasons.join("; ")))
        }
    })
}

fn detail(app_user: AppUser, app: &Application, user: &User) -> AppUserDetail {
    AppUserDetail {
        app_user,
        app_name: app.name.clone(),
        user_name: user.display_name.clone(),
        user_email: user.email.clone(),
        user_status: user.status,
        user_archived: user.archived,
        user_account_type: user.account_type,
        user_designation: user.designation.clone(),
    }
}
