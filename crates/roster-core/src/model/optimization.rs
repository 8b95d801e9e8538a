//! License optimization: which application users are candidates to give a seat back, and why.

use chrono::{DateTime, Utc};
use serde::Serialize;

use super::{AppUserDetail, License};
use crate::id::ApplicationId;
use crate::money::{Amount, Currency};
use crate::values::OptimizationKind;

/// An application user who could give their seats back, and what that would save a month.
#[derive(Clone, Debug, PartialEq)]
pub struct Candidate {
    pub kind: OptimizationKind,
    pub detail: AppUserDetail,
    /// The licenses that would be freed.
    pub licenses: Vec<License>,
}

impl Candidate {
    /// Why this application user is a candidate, in words, as of `now`.
    pub fn reason(&self, now: DateTime<Utc>) -> String {
        let detail = &self.detail;
        match self.kind {
            OptimizationKind::Undeprovisioned if detail.user_archived => {
                "the user is archived but still has access".to_owned()
            }
            OptimizationKind::Undeprovisioned => {
                format!("the user is {} but still has access", detail.user_status)
            }
            OptimizationKind::Unused => match detail.app_user.last_used_at {
                None => "has never used the application".to_owned(),
                Some(at) => format!(
                    "has not used the application for {} days",
                    (now - at).num_days()
                ),
            },
        }
    }

    /// Monthly savings of freeing this candidate's licenses, by currency.
    pub fn savings(&self) -> Vec<Saving> {
        Saving::total(
            self.licenses
                .iter()
                .map(|license| (license.currency.clone(), license.cost_per_seat)),
        )
    }
}

/// An amount saved each month in one currency.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Saving {
    pub currency: Currency,
    pub amount: Amount,
}

impl Saving {
    /// Sums amounts per currency, sorted by currency code.
    pub fn total(amounts: impl IntoIterator<Item = (Currency, Amount)>) -> Vec<Saving> {
        let mut sums = std::collections::BTreeMap::<Currency, Amount>::new();
        for (currency, amount) in amounts {
            let sum = sums.entry(currency).or_default();
            *sum = *sum + amount;
        }
        sums.into_iter()
            .map(|(currency, amount)| Saving { currency, amount })
            .collect()
    }
}

/// Per kind and per application: how many candidates, how many seats they hold, what they cost.
#[derive(Clone, Debug, PartialEq)]
pub struct SummaryLine {
    pub kind: OptimizationKind,
    pub app_id: ApplicationId,
    pub app_name: String,
    pub candidates: u64,
    pub seats: u64,
    pub savings: Vec<Saving>,
}

/// How many candidates of one kind an application has.
#[derive(Clone, Debug, PartialEq)]
pub struct CandidateCounts {
    pub kind: OptimizationKind,
    pub app_id: ApplicationId,
    pub app_name: String,
    pub candidates: u64,
}

/// How many seats of one license the candidates of one kind hold.
#[derive(Clone, Debug, PartialEq)]
pub struct SeatCounts {
    pub kind: OptimizationKind,
    pub license_id: crate::id::LicenseId,
    pub seats: u64,
}
