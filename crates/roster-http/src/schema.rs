//! OpenAPI schemas of the domain's closed value sets. The domain stays free of documentation
//! concerns; the tests below keep these lists equal to the domain's.
#![allow(
    dead_code,
    reason = "schema-only types, built only by the tests that compare them with the domain (so `expect` would not hold in test builds)"
)]

use serde::Serialize;
use utoipa::ToSchema;

/// A user's status.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum UserStatusSchema {
    Active,
    Inactive,
    Suspended,
    Unknown,
}

/// A user's account type.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AccountTypeSchema {
    Group,
    Service,
    Employee,
    External,
}

/// Which optimizations may consider the user: exactly one of these four strings.
#[derive(Debug, Serialize, ToSchema)]
pub enum OptimizationInclusionSchema {
    #[serde(rename = "include for all optimizations")]
    IncludeAll,
    #[serde(rename = "exclude for all optimizations")]
    ExcludeAll,
    #[serde(rename = "exclude for undeprovisioned")]
    ExcludeUndeprovisioned,
    #[serde(rename = "exclude for unused")]
    ExcludeUnused,
}

/// The type of a custom field.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldTypeSchema {
    Text,
    Number,
    Date,
    Bool,
    Select,
}

/// Which entity a custom field belongs to (`users` and `applications` are accepted too).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum FieldEntitySchema {
    User,
    Application,
}

/// What kind of thing an application is.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AppTypeSchema {
    Application,
    Website,
    Device,
    Browser,
    Other,
}

/// Whether an application, or a user's use of one, is active.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum AppStatusSchema {
    Active,
    Inactive,
}

/// A kind of license optimization: `undeprovisioned` (an active application user whose user is
/// inactive, suspended or archived) or `unused` (an active application user holding a license who
/// has not used the application for `unused_days`, or never has).
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "lowercase")]
pub enum OptimizationKindSchema {
    Undeprovisioned,
    Unused,
}

/// A permission: what a user may do, granted directly, through roles, or through their groups'
/// roles. `GET /v2/permissions` lists the catalogue.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PermissionSchema {
    AgentManagement,
    AlertsManagement,
    ApplicationManagement,
    BatchQueryPriority,
    DashboardManagement,
    DerivedMetricsManagement,
    EmbeddedCharts,
    EventsManagement,
    ExternalLinksManagement,
    HostTagManagement,
    Ingestion,
    LogManagement,
    MetricsManagement,
    MonitoredApplicationServiceManagement,
    SamlSsoManagement,
    TokenManagement,
    UserManagement,
}

/// A system group every tenant has: `Everyone` holds every user, `Service Accounts` every user
/// whose account type is `service`.
#[derive(Debug, Serialize, ToSchema)]
pub enum SystemGroupSchema {
    Everyone,
    #[serde(rename = "Service Accounts")]
    ServiceAccounts,
}

#[cfg(test)]
mod tests {
    use super::*;
    use roster_core::values::{
        AccountType, AppStatus, AppType, FieldEntity, FieldType, OptimizationInclusion,
        OptimizationKind, Permission, SystemGroup, UserStatus,
    };

    fn names<T: Serialize>(values: &[T]) -> Vec<String> {
        values
            .iter()
            .map(|v| {
                serde_json::to_value(v)
                    .expect("json")
                    .as_str()
                    .expect("str")
                    .to_owned()
            })
            .collect()
    }

    #[test]
    fn schema_enums_list_exactly_the_domain_values() {
        use AccountTypeSchema as A;
        use OptimizationInclusionSchema as O;
        use UserStatusSchema as S;
        assert_eq!(
            names(&[S::Active, S::Inactive, S::Suspended, S::Unknown]),
            names(UserStatus::ALL)
        );
        assert_eq!(
            names(&[A::Group, A::Service, A::Employee, A::External]),
            names(AccountType::ALL)
        );
        assert_eq!(
            names(&[
                O::IncludeAll,
                O::ExcludeAll,
                O::ExcludeUndeprovisioned,
                O::ExcludeUnused
            ]),
            names(OptimizationInclusion::ALL)
        );
        use FieldTypeSchema as F;
        assert_eq!(
            names(&[F::Text, F::Number, F::Date, F::Bool, F::Select]),
            names(FieldType::ALL)
        );
        assert_eq!(
            names(&[FieldEntitySchema::User, FieldEntitySchema::Application]),
            names(FieldEntity::ALL)
        );
        use AppTypeSchema as T;
        assert_eq!(
            names(&[T::Application, T::Website, T::Device, T::Browser, T::Other]),
            names(AppType::ALL)
        );
        assert_eq!(
            names(&[AppStatusSchema::Active, AppStatusSchema::Inactive]),
            names(AppStatus::ALL)
        );
        assert_eq!(
            names(&[
                OptimizationKindSchema::Undeprovisioned,
                OptimizationKindSchema::Unused
            ]),
            names(OptimizationKind::ALL)
        );
        use PermissionSchema as P;
        assert_eq!(
            names(&[
                P::AgentManagement,
                P::AlertsManagement,
                P::ApplicationManagement,
                P::BatchQueryPriority,
                P::DashboardManagement,
                P::DerivedMetricsManagement,
                P::EmbeddedCharts,
                P::EventsManagement,
                P::ExternalLinksManagement,
                P::HostTagManagement,
                P::Ingestion,
                P::LogManagement,
                P::MetricsManagement,
                P::MonitoredApplicationServiceManagement,
                P::SamlSsoManagement,
                P::TokenManagement,
                P::UserManagement,
            ]),
            names(Permission::ALL)
        );
        assert_eq!(
            names(&[
                SystemGroupSchema::Everyone,
                SystemGroupSchema::ServiceAccounts
            ]),
            names(SystemGroup::ALL)
        );
    }
}
