//! A user's place among the applications: those they use (as an active application user) and those
//! they own. BlueXP calls them assigned and created working environments.

use std::collections::BTreeSet;

use super::{record, Directory, Reader, Writer};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{ApplicationId, UserId};
use crate::model::{AppUser, Application};
use crate::query::{
    AppFilter, AppQuery, AppUserFilter, AppUserQuery, AppUserScope, Condition, PageRequest,
};
use crate::values::AppStatus;

/// The applications a user uses and owns.
#[derive(Clone, Debug, PartialEq)]
pub struct Workspace {
    /// Applications where the user is an active application user, by application name.
    pub assigned: Vec<ApplicationId>,
    /// Applications whose owner is the user, by name.
    pub owned: Vec<Application>,
}

impl Directory {
    pub async fn workspace(&self, reader: &Reader<'_>, user: &UserId) -> DomainResult<Workspace> {
        let mut assigned = Vec::new();
        for page in 1.. {
            let query = AppUserQuery {
                conditions: vec![Condition {
                    filter: AppUserFilter::Status(vec![AppStatus::Active]),
                    negated: false,
                }],
                page: PageRequest::new(page, PageRequest::MAX_SIZE),
                ..AppUserQuery::default()
            };
            let scope = AppUserScope::User(user.clone());
            let listed = self.list_app_users(reader, &scope, &query).await?;
            let done = listed.items.len() < PageRequest::MAX_SIZE as usize;
            assigned.extend(listed.items.into_iter().map(|item| item.app_user.app_id));
            if done {
                break;
            }
        }
        let mut owned = Vec::new();
        for page in 1.. {
            let query = AppQuery {
                conditions: vec![Condition {
                    filter: AppFilter::Owner(vec![user.clone()]),
                    negated: false,
                }],
                page: PageRequest::new(page, PageRequest::MAX_SIZE),
                ..AppQuery::default()
            };
            let listed = self.list_applications(reader, &query).await?;
            let done = listed.items.len() < PageRequest::MAX_SIZE as usize;
            // The filter also matches technical and financial owners; the creator is the owner.
            owned.extend(
                listed
                    .items
                    .into_iter()
                    .filter(|app| app.owner_id.as_ref() == Some(user)),
            );
            if done {
                break;
            }
        }
        Ok(Workspace { assigned, owned })
    }
}

impl Directory {
    /// Gives the user access to the applications of `grant` (making them an active application
    /// user: a new one, or an inactive one again) and takes it from those of `revoke` (an active
    /// application user becomes inactive and frees their licenses, as a reclaim does, so that no
    /// seat is held unseen). One transaction; every unknown application is named before anything
    /// is written.
    pub async fn change_workspace(
        &self,
        writer: &Writer<'_>,
        user: &UserId,
        grant: &BTreeSet<ApplicationId>,
        revoke: &BTreeSet<ApplicationId>,
        names: (&str, &str),
    ) -> DomainResult<()> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        session
            .user(tenant, user, true)
            .await?
            .ok_or(DomainError::not_found("user"))?;
        let mut errors = FieldErrors::new();
        for (ids, field) in [(grant, names.0), (revoke, names.1)] {
            let mut missing = Vec::new();
            for id in ids {
                if session.application(tenant, id, false).await?.is_none() {
                    missing.push(id.to_string());
                }
            }
            if !missing.is_empty() {
                let reason = format!(
                    "no application with these ids exists: {}",
                    missing.join(", ")
                );
                errors.body(field, reason);
            }
        }
        if let Some(both) = grant.intersection(revoke).next() {
            errors.body(names.1, format!("{both} is also being granted"));
        }
        errors.into_result()?;
        for (app, active) in grant
            .iter()
            .map(|app| (app, true))
            .chain(revoke.iter().map(|app| (app, false)))
        {
            let current = session.app_user(tenant, app, user, true).await?;
            let (before, mut after) = match current {
                None if active => (
                    None,
                    AppUser::new(tenant.clone(), app.clone(), user.clone()),
                ),
                None => continue,
                Some(current) => {
                    let mut next = current.clone();
                    next.status = if active {
                        AppStatus::Active
                    } else {
                        AppStatus::Inactive
                    };
                    if !active {
                        next.licenses.clear();
                    }
                    if next == current {
                        continue;
                    }
                    (Some(current), next)
                }
            };
            match &before {
                None => session.insert_app_user(&after).await?,
                Some(current) => {
                    after.version = current.version + 1;
                    after.updated_at = crate::model::now();
                    if !session.update_app_user(&after, current.version).await? {
                        return Err(DomainError::PreconditionFailed {
                            current: current.version,
                        });
                    }
                }
            }
            let action = if before.is_none() {
                "app_user.create"
            } else {
                "app_user.update"
            };
            record(
                session.as_mut(),
                writer,
                action,
                &after.entity_id(),
                before.as_ref(),
                Some(&after),
            )
            .await?;
        }
        session.commit().await
    }
}
