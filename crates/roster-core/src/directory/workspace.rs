//! A user's place among the applications: those they use (as an active application user) and those
//! they own. BlueXP calls them assigned and created working environments.

use std::collections::{BTreeSet, HashMap};

use super::users::update_in;
use super::{record, Directory, Reader, Writer};
use crate::command::{SetChange, UserFieldNames, UserUpdate};
use crate::error::{DomainError, DomainResult, FieldErrors};
use crate::id::{ApplicationId, UserId};
use crate::model::{AppUser, Application, User};
use crate::query::{
    AppFilter, AppQuery, AppUserFilter, AppUserQuery, AppUserScope, Condition, PageRequest,
};
use crate::store::Session;
use crate::values::{AppStatus, UserStatus};

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
        let mut found = self.workspaces(reader, std::slice::from_ref(user)).await?;
        Ok(found.swap_remove(0))
    }

    /// The workspace of each of `users`, in their order. A few statements per
    /// [`USERS_PER_READ`] users, not per user, so listing every user stays cheap.
    pub async fn workspaces(
        &self,
        reader: &Reader<'_>,
        users: &[UserId],
    ) -> DomainResult<Vec<Workspace>> {
        let mut assigned: HashMap<&UserId, Vec<ApplicationId>> = HashMap::new();
        let mut owned: HashMap<UserId, Vec<Application>> = HashMap::new();
        for chunk in users.chunks(USERS_PER_READ) {
            let scope = AppUserScope::Users(chunk.to_vec());
            let active = vec![Condition {
                filter: AppUserFilter::Status(vec![AppStatus::Active]),
                negated: false,
            }];
            for_each_page(
                |page| {
                    let query = AppUserQuery {
                        conditions: active.clone(),
                        page,
                        ..AppUserQuery::default()
                    };
                    let scope = &scope;
                    async move { Ok(self.list_app_users(reader, scope, &query).await?.items) }
                },
                |item| {
                    if let Some(user) = chunk.iter().find(|user| **user == item.app_user.user_id) {
                        assigned.entry(user).or_default().push(item.app_user.app_id);
                    }
                },
            )
            .await?;
            let owners = vec![Condition {
                filter: AppFilter::Owner(chunk.to_vec()),
                negated: false,
            }];
            for_each_page(
                |page| {
                    let query = AppQuery {
                        conditions: owners.clone(),
                        page,
                        ..AppQuery::default()
                    };
                    async move { Ok(self.list_applications(reader, &query).await?.items) }
                },
                |app: Application| {
                    // The filter also matches technical and financial owners; the creator is the owner.
                    if let Some(owner) = app.owner_id.clone() {
                        owned.entry(owner).or_default().push(app);
                    }
                },
            )
            .await?;
        }
        Ok(users
            .iter()
            .map(|user| Workspace {
                assigned: assigned.remove(user).unwrap_or_default(),
                owned: owned.remove(user).unwrap_or_default(),
            })
            .collect())
    }
}

/// How many users one read of [`Directory::workspaces`] covers.
const USERS_PER_READ: usize = 500;

/// Calls `each` with every item of every page that `read_page` returns, until a short page.
async fn for_each_page<T, F, Fut>(mut read_page: F, mut each: impl FnMut(T)) -> DomainResult<()>
where
    F: FnMut(PageRequest) -> Fut,
    Fut: std::future::Future<Output = DomainResult<Vec<T>>>,
{
    for number in 1.. {
        let items = read_page(PageRequest::new(number, PageRequest::MAX_SIZE)).await?;
        let done = items.len() < PageRequest::MAX_SIZE as usize;
        items.into_iter().for_each(&mut each);
        if done {
            break;
        }
    }
    Ok(())
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
        let mut session = self.store.writer().await?;
        change_workspace_in(session.as_mut(), writer, user, grant, revoke, names).await?;
        session.commit().await
    }

    /// Takes the user out of every application and role, and makes them inactive (BlueXP's
    /// "remove user from the Console"): their record stays, their seats are freed. One transaction.
    pub async fn remove_user_access(
        &self,
        writer: &Writer<'_>,
        user: &UserId,
        names: &UserFieldNames,
    ) -> DomainResult<User> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let update = UserUpdate {
            status: Some(UserStatus::Inactive),
            roles: SetChange::Replace(BTreeSet::new()),
            ..UserUpdate::default()
        };
        let removed = update_in(
            session.as_mut(),
            writer,
            user,
            update,
            None,
            names,
            FieldErrors::new(),
        )
        .await?;
        let mut revoke = BTreeSet::new();
        for number in 1.. {
            let query = AppUserQuery {
                conditions: vec![Condition {
                    filter: AppUserFilter::Status(vec![AppStatus::Active]),
                    negated: false,
                }],
                page: PageRequest::new(number, PageRequest::MAX_SIZE),
                ..AppUserQuery::default()
            };
            let scope = AppUserScope::User(user.clone());
            let page = session.list_app_users(tenant, &scope, &query).await?;
            let done = page.items.len() < PageRequest::MAX_SIZE as usize;
            revoke.extend(page.items.into_iter().map(|item| item.app_user.app_id));
            if done {
                break;
            }
        }
        let none = BTreeSet::new();
        change_workspace_in(session.as_mut(), writer, user, &none, &revoke, ("", "")).await?;
        session.commit().await?;
        Ok(removed)
    }
}

/// [`Directory::change_workspace`] inside the caller's transaction.
async fn change_workspace_in(
    session: &mut dyn Session,
    writer: &Writer<'_>,
    user: &UserId,
    grant: &BTreeSet<ApplicationId>,
    revoke: &BTreeSet<ApplicationId>,
    names: (&str, &str),
) -> DomainResult<()> {
    let tenant = &writer.tenant().id;
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
            session,
            writer,
            action,
            &after.entity_id(),
            before.as_ref(),
            Some(&after),
        )
        .await?;
    }
    Ok(())
}
