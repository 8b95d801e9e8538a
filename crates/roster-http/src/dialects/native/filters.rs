//! What each native list can be filtered, searched and sorted by: the `field_id`s of `filter_by`
//! and the keys of `sort_by`, lowered to the core's filters.

use chrono::{DateTime, Utc};
use roster_core::directory::value_as_filter_text;
use roster_core::id::{ApplicationId, CustomFieldId, DepartmentId, LicenseId, UserId};
use roster_core::query::{
    AppFilter, AppSortKey, AppUserFilter, AppUserSortKey, Comparison, UserFilter, UserSortKey,
};
use roster_core::values::{AccountType, AppStatus, AppType, OptimizationInclusion, UserStatus};
use serde_json::Value;

use super::listing::{single_bool, strings, ListFields};

fn text(value: &str) -> Result<String, String> {
    Ok(value.to_owned())
}

impl ListFields for UserFilter {
    type SortKey = UserSortKey;

    fn filter(field_id: &str, values: Value, _order: Option<Value>) -> Result<Self, String> {
        user_filter(field_id, values)
    }

    fn search(terms: Vec<String>) -> Self {
        UserFilter::Search(terms)
    }

    fn sort_key(field: &str) -> Option<UserSortKey> {
        Some(match field {
            "user_id" => UserSortKey::Id,
            "user_name" => UserSortKey::Name,
            "user_email" => UserSortKey::Email,
            "user_status" => UserSortKey::Status,
            "user_designation" => UserSortKey::Designation,
            "user_created_at" | "created_at" => UserSortKey::CreatedAt,
            "user_updated_at" | "updated_at" => UserSortKey::UpdatedAt,
            _ => return None,
        })
    }
}

fn user_filter(field_id: &str, values: Value) -> Result<UserFilter, String> {
    Ok(match field_id {
        "user_id" => UserFilter::Ids(strings(values, UserId::parse)?),
        "user_email" => UserFilter::Emails(strings(values, |s| Ok::<_, String>(s.to_owned()))?),
        "user_status" => UserFilter::Status(strings(values, UserStatus::parse)?),
        "user_account_type" => UserFilter::AccountType(strings(values, AccountType::parse)?),
        "user_department_id" | "dept_id" => {
            UserFilter::Department(strings(values, DepartmentId::parse)?)
        }
        "user_designation" => {
            UserFilter::Designation(strings(values, |s| Ok::<_, String>(s.to_owned()))?)
        }
        "user_archive" => UserFilter::Archived(single_bool(values)?),
        "optimization_inclusion" => UserFilter::OptimizationInclusion(strings(values, |label| {
            OptimizationInclusion::from_filter_label(label)
                .ok_or_else(|| format!("{label:?} is not an optimization inclusion setting"))
        })?),
        "user_reporting_manager_id" | "reporting_manager_id" => {
            UserFilter::ReportingManager(strings(values, UserId::parse)?)
        }
        "custom_fields" => {
            let object = values
                .as_object()
                .ok_or("must be {\"custom_field_id\": …, \"custom_field_values\": […]}")?;
            let field = object
                .get("custom_field_id")
                .and_then(Value::as_str)
                .ok_or("custom_field_id is required")
                .and_then(CustomFieldId::parse)?;
            let values = object
                .get("custom_field_values")
                .cloned()
                .ok_or("custom_field_values is required")?;
            // Numbers compare as the store writes them (`42.0` as `"42"`).
            let values = match values {
                Value::Array(items) => items,
                single => vec![single],
            };
            let values = values
                .iter()
                .map(|value| match value {
                    Value::String(_) | Value::Number(_) | Value::Bool(_) => {
                        Ok(value_as_filter_text(value))
                    }
                    _ => Err("values must be strings".to_owned()),
                })
                .collect::<Result<_, _>>()?;
            UserFilter::CustomField { field, values }
        }
        other => return Err(format!("cannot filter by {other:?}")),
    })
}

impl ListFields for AppFilter {
    type SortKey = AppSortKey;

    fn filter(field_id: &str, values: Value, _order: Option<Value>) -> Result<Self, String> {
        Ok(match field_id {
            "app_id" => AppFilter::Ids(strings(values, ApplicationId::parse)?),
            "app_status" => AppFilter::Status(strings(values, AppStatus::parse)?),
            "app_type" => AppFilter::Type(strings(values, AppType::parse)?),
            "app_archive" | "archive" => AppFilter::Archived(single_bool(values)?),
            "app_owner_id" => AppFilter::Owner(strings(values, UserId::parse)?),
            "app_tags" => AppFilter::Tags(strings(values, text)?),
            other => return Err(format!("cannot filter applications by {other:?}")),
        })
    }

    fn search(terms: Vec<String>) -> Self {
        AppFilter::Search(terms)
    }

    fn sort_key(field: &str) -> Option<AppSortKey> {
        Some(match field {
            "app_id" => AppSortKey::Id,
            "app_name" => AppSortKey::Name,
            "app_status" => AppSortKey::Status,
            "app_created_at" | "created_at" => AppSortKey::CreatedAt,
            "app_updated_at" | "updated_at" => AppSortKey::UpdatedAt,
            _ => return None,
        })
    }
}

impl ListFields for AppUserFilter {
    type SortKey = AppUserSortKey;

    fn filter(field_id: &str, values: Value, order: Option<Value>) -> Result<Self, String> {
        Ok(match field_id {
            "user_app_status" => AppUserFilter::Status(strings(values, AppStatus::parse)?),
            "licenses" => AppUserFilter::Licenses(strings(values, LicenseId::parse)?),
            "license_mapped" => AppUserFilter::LicenseMapped(single_bool(values)?),
            "user_app_role" => AppUserFilter::Role(strings(values, text)?),
            "user_app_archive" => AppUserFilter::Archived(single_bool(values)?),
            "user_app_last_used" => AppUserFilter::LastUsed(time_bounds(values, order)?),
            "user_status" => AppUserFilter::UserStatus(strings(values, UserStatus::parse)?),
            "user_archive" => AppUserFilter::UserArchived(single_bool(values)?),
            "user_account_type" => {
                AppUserFilter::UserAccountType(strings(values, AccountType::parse)?)
            }
            "dept_id" | "user_department_id" => {
                AppUserFilter::UserDepartment(strings(values, DepartmentId::parse)?)
            }
            "user_designation" => AppUserFilter::UserDesignation(strings(values, text)?),
            other => return Err(format!("cannot filter application users by {other:?}")),
        })
    }

    fn search(terms: Vec<String>) -> Self {
        AppUserFilter::Search(terms)
    }

    fn sort_key(field: &str) -> Option<AppUserSortKey> {
        Some(match field {
            "user_name" => AppUserSortKey::UserName,
            "user_email" => AppUserSortKey::UserEmail,
            "app_name" => AppUserSortKey::AppName,
            "user_app_last_used" | "last_used_at" => AppUserSortKey::LastUsed,
            "created_at" => AppUserSortKey::CreatedAt,
            _ => return None,
        })
    }
}

/// `field_values` of times (RFC 3339) with `field_order` saying how each compares: one order for
/// one time (`"gte"`), or one order per time (`["gte", "lte"]` for a range). Default `eq`.
fn time_bounds(
    values: Value,
    order: Option<Value>,
) -> Result<Vec<(Comparison, DateTime<Utc>)>, String> {
    let times = strings(values, |text| {
        DateTime::parse_from_rfc3339(text)
            .map(|time| time.with_timezone(&Utc))
            .map_err(|_| "is not an RFC 3339 time")
    })?;
    let orders = match order {
        None => vec![Comparison::Eq; times.len()],
        Some(Value::String(single)) => vec![comparison(&single)?; times.len()],
        Some(Value::Array(items)) => items
            .iter()
            .map(|item| {
                item.as_str()
                    .ok_or("field_order entries must be strings".to_owned())
            })
            .map(|item| item.and_then(comparison))
            .collect::<Result<_, _>>()?,
        Some(_) => return Err("field_order must be a string or an array of strings".to_owned()),
    };
    if orders.len() != times.len() {
        return Err("give one field_order per value".to_owned());
    }
    Ok(orders.into_iter().zip(times).collect())
}

fn comparison(text: &str) -> Result<Comparison, String> {
    Ok(match text {
        "eq" => Comparison::Eq,
        "gt" => Comparison::Gt,
        "gte" => Comparison::Gte,
        "lt" => Comparison::Lt,
        "lte" => Comparison::Lte,
        other => {
            return Err(format!(
                "field_order {other:?} must be one of gt, gte, lt, lte, eq"
            ))
        }
    })
}
