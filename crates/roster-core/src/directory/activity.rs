//! Usage activity: batches of "this user used this application at this time", which move each
//! application user's last use forward (never back).

use std::collections::HashMap;

use serde_json::json;

use super::{Directory, Writer};
use crate::command::{ActivityEvent, ActivityUser};
use crate::error::DomainResult;
use crate::id::{ApplicationId, UserId};
use crate::model::{AuditEvent, FieldChange};

/// The largest batch taken at once.
pub const MAX_ACTIVITY_BATCH: usize = 10_000;

/// What became of one event.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ActivityOutcome {
    /// The last use moved forward to this event's time.
    Recorded,
    /// A later use was already known; nothing changed.
    AlreadyLater,
    UnknownUser,
    UnknownApplication,
    /// The user and the application exist, but the user is not a user of the application.
    NotAnAppUser,
}

impl ActivityOutcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Recorded => "recorded",
            Self::AlreadyLater => "already_later",
            Self::UnknownUser => "unknown_user",
            Self::UnknownApplication => "unknown_application",
            Self::NotAnAppUser => "not_an_app_user",
        }
    }

    pub fn applied(self) -> bool {
        matches!(self, Self::Recorded | Self::AlreadyLater)
    }
}

impl Directory {
    /// Applies a batch in one transaction; each event's outcome is reported in order, and events
    /// naming unknown users or applications do not stop the others. One audit event sums it up.
    pub async fn record_activity(
        &self,
        writer: &Writer<'_>,
        events: Vec<ActivityEvent>,
    ) -> DomainResult<Vec<ActivityOutcome>> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        let mut apps: HashMap<ApplicationId, bool> = HashMap::new();
        let mut emails: HashMap<String, Option<UserId>> = HashMap::new();
        let mut outcomes = Vec::with_capacity(events.len());
        for event in events {
            let app_known = match apps.get(&event.app_id) {
                Some(known) => *known,
                None => {
                    let known = session
                        .application(tenant, &event.app_id, false)
                        .await?
                        .is_some();
                    apps.insert(event.app_id.clone(), known);
                    known
                }
            };
            let user = match event.user {
                ActivityUser::Id(id) => Some(id),
                ActivityUser::Email(email) => {
                    let key = email.normalized();
                    match emails.get(&key) {
                        Some(id) => id.clone(),
                        None => {
                            let id = session.user_id_by_email(tenant, &key).await?;
                            emails.insert(key, id.clone());
                            id
                        }
                    }
                }
            };
            let outcome = match (user, app_known) {
                (None, _) => ActivityOutcome::UnknownUser,
                (Some(user), false) => {
                    if session.user(tenant, &user, false).await?.is_some() {
                        ActivityOutcome::UnknownApplication
                    } else {
                        ActivityOutcome::UnknownUser
                    }
                }
                (Some(user), true) => {
                    match session
                        .record_use(tenant, &event.app_id, &user, event.used_at)
                        .await?
                    {
                        Some(true) => ActivityOutcome::Recorded,
                        Some(false) => ActivityOutcome::AlreadyLater,
                        None if session.user(tenant, &user, false).await?.is_some() => {
                            ActivityOutcome::NotAnAppUser
                        }
                        None => ActivityOutcome::UnknownUser,
                    }
                }
            };
            outcomes.push(outcome);
        }
        let recorded = outcomes
            .iter()
            .filter(|outcome| **outcome == ActivityOutcome::Recorded)
            .count();
        if recorded > 0 {
            let change = FieldChange {
                field: "recorded".to_owned(),
                before: json!(null),
                after: json!({"events": outcomes.len(), "recorded": recorded}),
            };
            let event = AuditEvent::new(
                tenant.clone(),
                writer.actor(),
                "activity.record",
                "batch",
                vec![change],
            );
            session.append_audit(&event).await?;
        }
        session.commit().await?;
        Ok(outcomes)
    }
}
