//! `/v2/optimization`: the summary, the candidates, and reclaiming their seats.

use axum::extract::{Query, State};
use axum::Json;
use chrono::{DateTime, Utc};
use roster_core::command::Reclaim;
use roster_core::directory::{unused_since, KindSummary, Summary, DEFAULT_UNUSED_DAYS};
use roster_core::id::{ApplicationId, UserId};
use roster_core::model::{Candidate, Saving, SummaryLine};
use roster_core::query::CandidateQuery;
use roster_core::values::OptimizationKind;
use roster_core::{FieldErrors, Location};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

use super::app_users::AppUserView;
use super::auth::NativeCaller;
use super::error::{ErrorBody, NativeError, NativeResult};
use super::extract::NativeJson;
use super::listing::{read_page, ListPage};
use crate::json_fields::JsonFields;
use crate::schema::OptimizationKindSchema;
use crate::AppState;

const MAX_UNUSED_DAYS: u64 = 3650;

#[derive(Debug, Serialize, ToSchema)]
pub struct SavingView {
    pub currency: String,
    /// Per month.
    pub amount: f64,
}

impl From<&Saving> for SavingView {
    fn from(saving: &Saving) -> Self {
        Self {
            currency: saving.currency.to_string(),
            amount: saving.amount.to_f64(),
        }
    }
}

fn savings(savings: &[Saving]) -> Vec<SavingView> {
    savings.iter().map(SavingView::from).collect()
}

#[derive(Debug, Serialize, ToSchema)]
pub struct SummaryView {
    pub unused_days: u32,
    /// Last uses before this time count as unused.
    pub unused_since: DateTime<Utc>,
    /// One entry per kind: `undeprovisioned`, then `unused`.
    pub kinds: Vec<KindSummaryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct KindSummaryView {
    #[schema(value_type = OptimizationKindSchema)]
    pub kind: &'static str,
    /// Application users who are candidates.
    pub candidates: u64,
    /// License seats they hold, which reclaiming would free.
    pub seats: u64,
    /// What freeing those seats saves each month, by currency.
    pub monthly_savings: Vec<SavingView>,
    /// The applications with candidates, most seats first.
    pub applications: Vec<AppSummaryView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AppSummaryView {
    pub app_id: String,
    pub app_name: String,
    pub candidates: u64,
    pub seats: u64,
    pub monthly_savings: Vec<SavingView>,
}

impl From<&SummaryLine> for AppSummaryView {
    fn from(line: &SummaryLine) -> Self {
        Self {
            app_id: line.app_id.to_string(),
            app_name: line.app_name.clone(),
            candidates: line.candidates,
            seats: line.seats,
            monthly_savings: savings(&line.savings),
        }
    }
}

impl From<&KindSummary> for KindSummaryView {
    fn from(kind: &KindSummary) -> Self {
        Self {
            kind: kind.kind.as_str(),
            candidates: kind.candidates,
            seats: kind.seats,
            monthly_savings: savings(&kind.savings),
            applications: kind.applications.iter().map(AppSummaryView::from).collect(),
        }
    }
}

/// A candidate: the application user, why it is one, and what reclaiming it would save.
#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateView {
    #[schema(value_type = OptimizationKindSchema)]
    pub kind: &'static str,
    pub reason: String,
    pub app_user: AppUserView,
    /// The licenses reclaiming would free.
    pub licenses: Vec<CandidateLicenseView>,
    pub monthly_savings: Vec<SavingView>,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct CandidateLicenseView {
    pub license_id: String,
    pub license_name: String,
    pub license_cost_per_seat: f64,
    pub license_currency: String,
}

impl CandidateView {
    fn new(candidate: &Candidate, now: DateTime<Utc>) -> Self {
        Self {
            kind: candidate.kind.as_str(),
            reason: candidate.reason(now),
            app_user: AppUserView::from(&candidate.detail),
            licenses: candidate
                .licenses
                .iter()
                .map(|license| CandidateLicenseView {
                    license_id: license.id.to_string(),
                    license_name: license.name.to_string(),
                    license_cost_per_seat: license.cost_per_seat.to_f64(),
                    license_currency: license.currency.to_string(),
                })
                .collect(),
            monthly_savings: savings(&candidate.savings()),
        }
    }
}

#[derive(Debug, Deserialize, IntoParams)]
pub struct SummaryParams {
    /// Days without use after which a licensed application user counts as unused (default 30,
    /// 1–3650).
    unused_days: Option<u32>,
}

fn check_unused_days(days: u64, location: Location) -> Result<u32, NativeError> {
    if (1..=MAX_UNUSED_DAYS).contains(&days) {
        Ok(u32::try_from(days).unwrap_or(DEFAULT_UNUSED_DAYS))
    } else {
        let mut errors = FieldErrors::new();
        errors.push("unused_days", location, "must be between 1 and 3650");
        Err(errors.into())
    }
}

/// The optimization summary.
///
/// Per kind and per application: how many application users are candidates, how many license
/// seats they hold, and the monthly savings by currency of freeing them. *Undeprovisioned*: an
/// active application user whose user is inactive, suspended or archived. *Unused*: an active
/// application user holding a license who has not used the application for `unused_days`, or never
/// has. An application user is left out of a kind when its own `optimization_inclusion` or its
/// user's excludes that kind.
#[utoipa::path(get, path = "/v2/optimization/summary", tag = "optimization",
    params(SummaryParams),
    responses(
        (status = 200, body = SummaryView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn summary(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    params: Result<Query<SummaryParams>, axum::extract::rejection::QueryRejection>,
) -> NativeResult<Json<SummaryView>> {
    let days = match params {
        Ok(Query(params)) => params
            .unused_days
            .map_or(DEFAULT_UNUSED_DAYS as u64, u64::from),
        Err(_) => 0,
    };
    let days = check_unused_days(days, Location::Query)?;
    let Summary {
        unused_since,
        kinds,
    } = state
        .directory
        .optimization_summary(&caller.reader(), days)
        .await?;
    Ok(Json(SummaryView {
        unused_days: days,
        unused_since,
        kinds: kinds.iter().map(KindSummaryView::from).collect(),
    }))
}

/// The fields candidates and reclaim share: `unused_days` and `app_id`.
fn read_scope(fields: &mut JsonFields<'_>) -> (u32, Option<ApplicationId>) {
    let days = fields
        .integer("unused_days")
        .unwrap_or(u64::from(DEFAULT_UNUSED_DAYS));
    let days = match check_unused_days(days, Location::Body) {
        Ok(days) => days,
        Err(_) => {
            fields.error("unused_days", "must be between 1 and 3650");
            DEFAULT_UNUSED_DAYS
        }
    };
    (days, fields.set("app_id", ApplicationId::parse))
}

/// List optimization candidates, paged.
///
/// Filter by `kind` (default both), `app_id` and `unused_days` (default 30). Each candidate says
/// why it is one and what reclaiming it would save. Ordered by kind, application and user.
#[utoipa::path(post, path = "/v2/optimization/candidates", tag = "optimization",
    request_body = CandidatesBody,
    responses(
        (status = 200, body = ListPage<CandidateView>),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn candidates(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ListPage<CandidateView>>> {
    let mut errors = FieldErrors::new();
    let mut query = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let page = read_page(&mut fields);
        let kind = fields.set("kind", OptimizationKind::parse);
        let (days, app) = read_scope(&mut fields);
        fields.deny_unknown();
        query = Some(CandidateQuery {
            kinds: kind.map_or_else(|| OptimizationKind::ALL.to_vec(), |kind| vec![kind]),
            app,
            only: None,
            unused_since: unused_since(roster_core::model::now(), days),
            page,
        });
    }
    errors.into_result()?;
    let query = query.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let page = state
        .directory
        .optimization_candidates(&caller.reader(), &query)
        .await?;
    let now = roster_core::model::now();
    Ok(Json(ListPage::from_page(page, |candidate| {
        CandidateView::new(candidate, now)
    })))
}

#[derive(Debug, Serialize, ToSchema)]
pub struct ReclaimView {
    pub dry_run: bool,
    /// Application users set inactive (or that would be, when dry), with the licenses freed.
    pub reclaimed: Vec<CandidateView>,
    pub seats_freed: u64,
    pub monthly_savings: Vec<SavingView>,
    /// Candidates beyond this request's limit of 10,000; repeat the request to reclaim them.
    pub remaining: u64,
}

/// Reclaim the seats of candidates.
///
/// For one `kind` (required), optionally only in one application (`app_id`) or only the listed
/// application users (`candidates`: `[{app_id, user_id}]`, each of which must be a candidate, or
/// it is left alone): sets the application users inactive and frees their licenses, in one
/// transaction, each change audited. `dry_run: true` answers exactly what would happen and changes
/// nothing. At most 10,000 application users per request (`remaining` says how many are left).
#[utoipa::path(post, path = "/v2/optimization/reclaim", tag = "optimization",
    request_body = ReclaimBody,
    responses(
        (status = 200, body = ReclaimView),
        (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 403, body = ErrorBody),
        (status = 404, description = "No such application", body = ErrorBody),
    ),
    security(("api_key" = [])))]
pub async fn reclaim(
    State(state): State<AppState>,
    NativeCaller(caller): NativeCaller,
    NativeJson(body): NativeJson,
) -> NativeResult<Json<ReclaimView>> {
    let writer = caller.writer()?;
    let mut errors = FieldErrors::new();
    let mut request = None;
    if let Some(mut fields) = JsonFields::of_body(body, &mut errors) {
        let kind = fields.required("kind", OptimizationKind::parse);
        let (unused_days, app_id) = read_scope(&mut fields);
        let only = read_candidates(&mut fields);
        let dry_run = fields.bool("dry_run").unwrap_or(false);
        fields.deny_unknown();
        request = kind.map(|kind| Reclaim {
            kind,
            app_id,
            only,
            unused_days,
            dry_run,
        });
    }
    errors.into_result()?;
    let request = request.ok_or_else(|| NativeError::from(FieldErrors::new()))?;
    let outcome = state.directory.reclaim(&writer, request).await?;
    let now = roster_core::model::now();
    let all_savings = Saving::total(
        outcome
            .reclaimed
            .iter()
            .flat_map(Candidate::savings)
            .map(|saving| (saving.currency, saving.amount)),
    );
    Ok(Json(ReclaimView {
        dry_run: outcome.dry_run,
        seats_freed: outcome
            .reclaimed
            .iter()
            .map(|candidate| candidate.licenses.len() as u64)
            .sum(),
        reclaimed: outcome
            .reclaimed
            .iter()
            .map(|candidate| CandidateView::new(candidate, now))
            .collect(),
        monthly_savings: savings(&all_savings),
        remaining: outcome.remaining,
    }))
}

/// `candidates`: `[{app_id, user_id}]`, at most 10,000.
fn read_candidates(fields: &mut JsonFields<'_>) -> Option<Vec<(ApplicationId, UserId)>> {
    let items = fields.array("candidates")?;
    if items.len() > 10_000 {
        fields.error("candidates", "at most 10000 application users at a time");
        return Some(Vec::new());
    }
    let mut keys = Vec::with_capacity(items.len());
    for (index, item) in items.into_iter().enumerate() {
        let name = fields.name(&format!("candidates[{index}]"));
        let mut scratch = FieldErrors::new();
        if let Some(mut entry) = JsonFields::element(item, name, &mut scratch) {
            let app = entry.required("app_id", ApplicationId::parse);
            let user = entry.required("user_id", UserId::parse);
            entry.deny_unknown();
            if let (Some(app), Some(user)) = (app, user) {
                keys.push((app, user));
            }
        }
        for error in scratch.iter() {
            fields.error_at(&error.field, &error.reason);
        }
    }
    Some(keys)
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CandidatesBody {
    page: Option<u32>,
    page_size: Option<u32>,
    /// Default: both kinds.
    #[schema(nullable = false)]
    kind: Option<OptimizationKindSchema>,
    #[schema(nullable = false)]
    app_id: Option<String>,
    /// Default 30.
    #[schema(nullable = false)]
    unused_days: Option<u32>,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ReclaimBody {
    kind: OptimizationKindSchema,
    #[schema(nullable = false)]
    app_id: Option<String>,
    /// Only these application users.
    #[schema(nullable = false)]
    candidates: Option<Vec<CandidateKeyBody>>,
    /// Default 30 (for `unused`).
    #[schema(nullable = false)]
    unused_days: Option<u32>,
    /// Default false.
    #[schema(nullable = false)]
    dry_run: Option<bool>,
}

#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CandidateKeyBody {
    app_id: String,
    user_id: String,
}
