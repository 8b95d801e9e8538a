//! License optimization (DESIGN §2): the summary, the candidates, and reclaiming their seats.

use std::collections::HashMap;

use chrono::{DateTime, Duration, Utc};

use super::{Directory, Reader, Writer};
use crate::command::Reclaim;
use crate::error::{DomainError, DomainResult};
use crate::id::{ApplicationId, LicenseId, TenantId};
use crate::model::{AppUserDetail, AuditEvent, Candidate, License, Saving, SummaryLine};
use crate::query::{CandidateQuery, Page, PageRequest};
use crate::store::Session;
use crate::values::{AppStatus, OptimizationKind};

/// Unused means not used for this many days, unless the caller says otherwise.
pub const DEFAULT_UNUSED_DAYS: u32 = 30;
/// At most this many application users are reclaimed by one request; the answer says how many
/// remain, so that a caller repeats until none do. Keeps one transaction (and its lock) short.
pub const MAX_RECLAIM: u32 = 10_000;

/// The summary of one kind: totals, and one line per application with candidates.
#[derive(Clone, Debug, PartialEq)]
pub struct KindSummary {
    pub kind: OptimizationKind,
    pub candidates: u64,
    pub seats: u64,
    pub savings: Vec<Saving>,
    pub applications: Vec<SummaryLine>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    pub unused_since: DateTime<Utc>,
    pub kinds: Vec<KindSummary>,
}

/// What a reclaim did (or, dry, would do).
#[derive(Clone, Debug, PartialEq)]
pub struct ReclaimOutcome {
    pub reclaimed: Vec<Candidate>,
    /// Candidates left beyond this request's limit.
    pub remaining: u64,
    pub dry_run: bool,
}

/// The time before which a last use counts as unused.
pub fn unused_since(now: DateTime<Utc>, unused_days: u32) -> DateTime<Utc> {
    now - Duration::days(i64::from(unused_days))
}

impl Directory {
    pub async fn optimization_summary(
        &self,
        reader: &Reader<'_>,
        unused_days: u32,
    ) -> DomainResult<Summary> {
        let tenant = &reader.tenant().id;
        let since = unused_since(crate::model::now(), unused_days);
        // Four independent scans of up to millions of rows: read in parallel, each on its own
        // connection (each consistent in itself; together they may straddle a write).
        let counts = |kind| async move {
            let mut session = self.store.reader().await?;
            session.candidate_counts(tenant, kind, since).await
        };
        let seats = |kind| async move {
            let mut session = self.store.reader().await?;
            session.candidate_seats(tenant, kind, since).await
        };
        use OptimizationKind::{Undeprovisioned, Unused};
        let (mut counts, unused_counts, mut seats, unused_seats) = futures::try_join!(
            counts(Undeprovisioned),
            counts(Unused),
            seats(Undeprovisioned),
            seats(Unused),
        )?;
        counts.extend(unused_counts);
        seats.extend(unused_seats);
        let mut session = self.store.reader().await?;
        let license_ids: Vec<LicenseId> = seats.iter().map(|s| s.license_id.clone()).collect();
        let licenses = licenses_by_id(session.as_mut(), tenant, &license_ids).await?;
        let kinds = OptimizationKind::ALL
            .iter()
            .map(|&kind| {
                let mut applications: Vec<SummaryLine> = counts
                    .iter()
                    .filter(|count| count.kind == kind)
                    .map(|count| {
                        let held = seats.iter().filter_map(|seat| {
                            let license = licenses.get(&seat.license_id)?;
                            (seat.kind == kind && license.app_id == count.app_id)
                                .then_some((license, seat.seats))
                        });
                        let held: Vec<(&License, u64)> = held.collect();
                        SummaryLine {
                            kind,
                            app_id: count.app_id.clone(),
                            app_name: count.app_name.clone(),
                            candidates: count.candidates,
                            seats: held.iter().map(|(_, seats)| seats).sum(),
                            savings: Saving::total(held.iter().map(|(license, seats)| {
                                (
                                    license.currency.clone(),
                                    license.cost_per_seat.times(*seats),
                                )
                            })),
                        }
                    })
                    .collect();
                // Seats are comparable across currencies; savings are not.
                applications.sort_by(|a, b| {
                    (b.seats, b.candidates)
                        .cmp(&(a.seats, a.candidates))
                        .then_with(|| a.app_name.cmp(&b.app_name))
                });
                KindSummary {
                    kind,
                    candidates: applications.iter().map(|line| line.candidates).sum(),
                    seats: applications.iter().map(|line| line.seats).sum(),
                    savings: Saving::total(
                        applications
                            .iter()
                            .flat_map(|line| line.savings.iter())
                            .map(|saving| (saving.currency.clone(), saving.amount)),
                    ),
                    applications,
                }
            })
            .collect();
        Ok(Summary {
            unused_since: since,
            kinds,
        })
    }

    pub async fn optimization_candidates(
        &self,
        reader: &Reader<'_>,
        query: &CandidateQuery,
    ) -> DomainResult<Page<Candidate>> {
        let tenant = &reader.tenant().id;
        let mut session = self.store.reader().await?;
        check_app(session.as_mut(), tenant, query.app.as_ref()).await?;
        let page = session.candidates(tenant, query).await?;
        let items = with_licenses(session.as_mut(), tenant, page.items).await?;
        Ok(Page {
            total: page.total,
            request: page.request,
            items,
        })
    }

    /// Sets the candidates inactive and takes their licenses, in one transaction, each change
    /// audited. Dry, it answers exactly the same and writes nothing.
    pub async fn reclaim(
        &self,
        writer: &Writer<'_>,
        reclaim: Reclaim,
    ) -> DomainResult<ReclaimOutcome> {
        let tenant = &writer.tenant().id;
        let mut session = self.store.writer().await?;
        check_app(session.as_mut(), tenant, reclaim.app_id.as_ref()).await?;
        let now = crate::model::now();
        let query = CandidateQuery {
            kinds: vec![reclaim.kind],
            app: reclaim.app_id,
            only: reclaim.only,
            unused_since: unused_since(now, reclaim.unused_days),
            page: PageRequest {
                page: 1,
                size: MAX_RECLAIM,
            },
        };
        let page = session.candidates(tenant, &query).await?;
        let remaining = page.total.saturating_sub(page.items.len() as u64);
        let reclaimed = with_licenses(session.as_mut(), tenant, page.items).await?;
        if reclaim.dry_run || reclaimed.is_empty() {
            return Ok(ReclaimOutcome {
                reclaimed,
                remaining,
                dry_run: reclaim.dry_run,
            });
        }
        let keys: Vec<_> = reclaimed
            .iter()
            .map(|c| {
                (
                    c.detail.app_user.app_id.clone(),
                    c.detail.app_user.user_id.clone(),
                )
            })
            .collect();
        session.reclaim(tenant, &keys, now).await?;
        for candidate in &reclaimed {
            let before = &candidate.detail.app_user;
            let mut after = before.clone();
            after.status = AppStatus::Inactive;
            after.licenses.clear();
            let changes = crate::model::diff(&to_json(before)?, &to_json(&after)?);
            let event = AuditEvent::new(
                tenant.clone(),
                writer.actor(),
                "app_user.reclaim",
                before.entity_id(),
                changes,
            );
            session.append_audit(&event).await?;
        }
        session.commit().await?;
        Ok(ReclaimOutcome {
            reclaimed,
            remaining,
            dry_run: false,
        })
    }
}

fn to_json<T: serde::Serialize>(value: &T) -> DomainResult<serde_json::Value> {
    serde_json::to_value(value).map_err(|error| DomainError::Internal(error.to_string()))
}

async fn check_app(
    session: &mut dyn Session,
    tenant: &TenantId,
    app: Option<&ApplicationId>,
) -> DomainResult<()> {
    match app {
        Some(app) if session.application(tenant, app, false).await?.is_none() => {
            Err(DomainError::not_found("application"))
        }
        _ => Ok(()),
    }
}

async fn licenses_by_id(
    session: &mut dyn Session,
    tenant: &TenantId,
    ids: &[LicenseId],
) -> DomainResult<HashMap<LicenseId, License>> {
    let mut unique = ids.to_vec();
    unique.sort();
    unique.dedup();
    let mut licenses = HashMap::new();
    // Bounded lists keep each statement within the databases' parameter limits.
    for chunk in unique.chunks(1000) {
        for license in session.licenses(tenant, chunk).await? {
            licenses.insert(license.id.clone(), license);
        }
    }
    Ok(licenses)
}

/// Candidates with the licenses they hold.
async fn with_licenses(
    session: &mut dyn Session,
    tenant: &TenantId,
    found: Vec<(OptimizationKind, AppUserDetail)>,
) -> DomainResult<Vec<Candidate>> {
    let ids: Vec<LicenseId> = found
        .iter()
        .flat_map(|(_, detail)| detail.app_user.licenses.iter().cloned())
        .collect();
    let licenses = licenses_by_id(session, tenant, &ids).await?;
    Ok(found
        .into_iter()
        .map(|(kind, detail)| {
            let held = detail
                .app_user
                .licenses
                .iter()
                .filter_map(|id| licenses.get(id).cloned())
                .collect();
            Candidate {
                kind,
                detail,
                licenses: held,
            }
        })
        .collect())
}
