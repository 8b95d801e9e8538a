//! A user's place among the applications: those they use (as an active application user) and those
//! they own. BlueXP calls them assigned and created working environments.

use super::{Directory, Reader};
use crate::error::DomainResult;
use crate::id::{ApplicationId, UserId};
use crate::model::Application;
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
