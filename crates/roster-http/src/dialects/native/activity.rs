//! `POST /v2/activity`: usage events that move application users' last use forward.

use axum::extract::State;
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::{ActivityEvent, ActivityUser};
use roster_core::directory::{ActivityOutcome, MAX_ACTIVITY_BATCH};
use roster_core::id::{ApplicationId, UserId};
use roster_core::values::Email;
use roster_core::FieldErrors;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;

use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeResult};
use super::extract::NativeJson;
use crate::json_fields::JsonFields;
use crate::AppState;

/// Room for 10,000 events naming users by id (about 110 bytes each) or by email.
pub const MAX_BODY_BYTES: usize = 4 * 1024 * 1024;

/// What became of a batch.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityResult {
    /// Events in the batch.
    pub received: usize,
    /// Events that moved a last use forward.
    pub recorded: usize,
    /// Events older than the last use already known (nothing changed).
    pub already_later: usize,
    /// Events that could not be applied; each is listed in `errors`.
    pub failed: usize,
    pub errors: Vec<ActivityError>,
}

/// An event that could not be applied.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityError {
    /// The event's position in the batch, from 0.
    pub index: usize,
    /// `unknown_user`, `unknown_application` or `not_an_app_user`.
    pub code: &'static str,
    pub reason: &'static str,
}

/// The body: `{"events": [...]}` (a bare array is accepted too).
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ActivityBody {
    /// At most 10,000 events.
    events: Vec<ActivityEventBody>,
}

/// One use of an application. Give `user_id` or `user_email`, not both.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ActivityEventBody {
    user_id: Option<String>,
    user_email: Option<String>,
    app_id: String,
    /// RFC 3339.
    used_at: DateTime<Utc>,
}

/// Record usage activity.
///
/// Each event moves its application user's last use forward to `used_at` (never backward; no
/// later than now plus a minute of clock skew). The last use is part of the application user, so
/// moving it grows the application user's version (and changes its ETag). Events naming an unknown user or application, or
/// a user who is not a user of that application, are reported in `errors` by index; the rest of
/// the batch still applies, in one transaction. A malformed event (bad ObjectId, email or time,
/// missing field) fails the whole batch with 400 naming it (`events[3].used_at`).
#[utoipa::path(post, path = "/v2/activity", tag = "activity",
    request_body = ActivityBody,
    responses(
        (status = 200, description = "What became of each event", body = ActivityResult),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 413, description = "The body is over 4 MiB", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn record_activity(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ActivityResult>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let items = match body {
        Value::Array(items) => Some(items),
        body => JsonFields::of_body(body, &mut errors).and_then(|mut fields| {
            if !fields.has("events") {
                fields.error("events", "is required");
            }
            let items = fields.array("events");
            fields.deny_unknown();
            items
        }),
    };
    let items = items.unwrap_or_default();
    if items.len() > MAX_ACTIVITY_BATCH {
        errors.body(
            "events",
            format!("at most {MAX_ACTIVITY_BATCH} events at a time"),
        );
    }
    let latest = roster_core::model::now() + chrono::Duration::minutes(1);
    let mut events = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate().take(MAX_ACTIVITY_BATCH) {
        let Some(mut fields) = JsonFields::element(item, format!("events[{index}]"), &mut errors)
        else {
            continue;
        };
        let user = match (fields.has("user_id"), fields.has("user_email")) {
            (true, true) => {
                fields.error("user_id", "give user_id or user_email, not both");
                fields.take("user_email");
                fields.take("user_id");
                None
            }
            (false, true) => fields
                .set("user_email", Email::parse)
                .map(ActivityUser::Email),
            _ => fields
                .required("user_id", UserId::parse)
                .map(ActivityUser::Id),
        };
        let app_id = fields.required("app_id", ApplicationId::parse);
        let used_at = fields.required("used_at", |text| match DateTime::parse_from_rfc3339(text) {
            Ok(time) if time.with_timezone(&Utc) <= latest => Ok(time.with_timezone(&Utc)),
            Ok(_) => Err("must not be in the future"),
            Err(_) => Err("must be an RFC 3339 time"),
        });
        fields.deny_unknown();
        if let (Some(user), Some(app_id), Some(used_at)) = (user, app_id, used_at) {
            events.push(ActivityEvent {
                user,
                app_id,
                used_at,
            });
        }
    }
    errors.into_result()?;
    let outcomes = state.directory.record_activity(&writer, events).await?;
    let count = |wanted: ActivityOutcome| outcomes.iter().filter(|o| **o == wanted).count();
    let errors: Vec<ActivityError> = outcomes
        .iter()
        .enumerate()
        .filter(|(_, outcome)| !outcome.applied())
        .map(|(index, outcome)| ActivityError {
            index,
            code: outcome.as_str(),
            reason: match outcome {
                ActivityOutcome::UnknownUser => "no such user in this tenant",
                ActivityOutcome::UnknownApplication => "no such application in this tenant",
                _ => "the user is not a user of this application",
            },
        })
        .collect();
    Ok(Json(ActivityResult {
        received: outcomes.len(),
        recorded: count(ActivityOutcome::Recorded),
        already_later: count(ActivityOutcome::AlreadyLater),
        failed: errors.len(),
        errors,
    }))
}
