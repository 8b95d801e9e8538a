//! Constrained values, parsed once at the edge so that inner code never re-checks them.

use std::fmt;

use serde::{Deserialize, Serialize};

/// An email address that passed RFC 5322 syntax checks (via `email_address`) and has a dotted domain.
/// Kept as written; uniqueness compares [`Email::normalized`] (lower case).
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Email(String);

pub const EMAIL_RULE: &str = "must be a valid email address";

impl Email {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let trimmed = text.trim();
        let has_dotted_domain = trimmed
            .rsplit_once('@')
            .is_some_and(|(_, domain)| domain.contains('.') && !domain.ends_with('.'));
        if trimmed.len() <= 254
            && has_dotted_domain
            && email_address::EmailAddress::is_valid(trimmed)
        {
            Ok(Self(trimmed.to_owned()))
        } else {
            Err(EMAIL_RULE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The form uniqueness is decided on: emails are unique per tenant regardless of case.
    pub fn normalized(&self) -> String {
        self.0.to_lowercase()
    }
}

impl TryFrom<String> for Email {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<Email> for String {
    fn from(email: Email) -> Self {
        email.0
    }
}

impl fmt::Display for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Email {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Email({})", self.0)
    }
}

/// Declares a closed set of wire strings: parsing accepts exactly these, nothing else.
macro_rules! string_enum {
    ($(#[$doc:meta])* $name:ident { $($variant:ident = $text:literal),+ $(,)? }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Debug, Serialize, Deserialize)]
        pub enum $name {
            $(#[serde(rename = $text)] $variant,)+
        }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text,)+ }
            }

            /// Exactly one of the allowed strings; the error lists them.
            pub fn parse(text: &str) -> Result<Self, String> {
                match text {
                    $($text => Ok($name::$variant),)+
                    _ => Err(format!("must be one of: {}", Self::allowed())),
                }
            }

            pub fn allowed() -> String {
                [$($text),+].join(", ")
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

string_enum! {
    /// A user's status in the directory.
    UserStatus { Active = "active", Inactive = "inactive", Suspended = "suspended", Unknown = "unknown" }
}

string_enum! {
    /// What kind of account a user is.
    AccountType { Group = "group", Service = "service", Employee = "employee", External = "external" }
}

string_enum! {
    /// Which license optimizations may consider a user (or an application user).
    /// The four strings are the seeds' write values, matched exactly.
    OptimizationInclusion {
        IncludeAll = "include for all optimizations",
        ExcludeAll = "exclude for all optimizations",
        ExcludeUndeprovisioned = "exclude for undeprovisioned",
        ExcludeUnused = "exclude for unused",
    }
}

impl OptimizationInclusion {
    /// The labels Zluri's list filter uses for the same four settings.
    pub fn from_filter_label(label: &str) -> Option<Self> {
        match label {
            "Included for all Optimizations" => Some(Self::IncludeAll),
            "Excluded for all Optimizations" => Some(Self::ExcludeAll),
            "Excluded for Undeprovisioned" => Some(Self::ExcludeUndeprovisioned),
            "Excluded for Unused" => Some(Self::ExcludeUnused),
            other => Self::parse(other).ok(),
        }
    }
}

impl OptimizationInclusion {
    /// Whether this setting keeps its holder out of optimizations of `kind`.
    pub fn excludes(self, kind: OptimizationKind) -> bool {
        match self {
            Self::IncludeAll => false,
            Self::ExcludeAll => true,
            Self::ExcludeUndeprovisioned => kind == OptimizationKind::Undeprovisioned,
            Self::ExcludeUnused => kind == OptimizationKind::Unused,
        }
    }

    /// The settings that keep their holder out of optimizations of `kind`.
    pub fn excluding(kind: OptimizationKind) -> Vec<Self> {
        Self::ALL
            .iter()
            .copied()
            .filter(|setting| setting.excludes(kind))
            .collect()
    }
}

string_enum! {
    /// The two kinds of license optimization. *Undeprovisioned*: an active application user whose
    /// user is inactive, suspended or archived. *Unused*: an active application user holding a
    /// license who has not used the application for some days, or never has.
    OptimizationKind { Undeprovisioned = "undeprovisioned", Unused = "unused" }
}

impl UserStatus {
    /// The statuses of people who have left (or are barred): their seats should have been freed.
    pub const DEPROVISIONED: [UserStatus; 2] = [UserStatus::Inactive, UserStatus::Suspended];
}

string_enum! {
    /// What kind of thing an application is.
    AppType { Application = "application", Website = "website", Device = "device", Browser = "browser", Other = "other" }
}

string_enum! {
    /// Whether an application, or a user's use of one, is active.
    AppStatus { Active = "active", Inactive = "inactive" }
}

string_enum! {
    /// What an API key may do. Each scope includes the ones before it.
    Scope { Read = "read", Write = "write", Admin = "admin" }
}

impl Scope {
    pub fn allows(self, needed: Scope) -> bool {
        self.rank() >= needed.rank()
    }

    fn rank(self) -> u8 {
        match self {
            Scope::Read => 0,
            Scope::Write => 1,
            Scope::Admin => 2,
        }
    }
}

string_enum! {
    /// The permission catalogue: what a user may do, granted directly or through roles. The names are
    /// Wavefront's (seed-apis.md §3.6), which every dialect uses.
    Permission {
        AgentManagement = "agent_management",
        AlertsManagement = "alerts_management",
        ApplicationManagement = "application_management",
        BatchQueryPriority = "batch_query_priority",
        DashboardManagement = "dashboard_management",
        DerivedMetricsManagement = "derived_metrics_management",
        EmbeddedCharts = "embedded_charts",
        EventsManagement = "events_management",
        ExternalLinksManagement = "external_links_management",
        HostTagManagement = "host_tag_management",
        Ingestion = "ingestion",
        LogManagement = "log_management",
        MetricsManagement = "metrics_management",
        MonitoredApplicationServiceManagement = "monitored_application_service_management",
        SamlSsoManagement = "saml_sso_management",
        TokenManagement = "token_management",
        UserManagement = "user_management",
    }
}

string_enum! {
    /// The groups every tenant has, whose members follow from the users themselves: everyone is in
    /// `Everyone`, every service account in `Service Accounts`.
    SystemGroup { Everyone = "Everyone", ServiceAccounts = "Service Accounts" }
}

impl SystemGroup {
    pub fn description(self) -> &'static str {
        match self {
            SystemGroup::Everyone => "System group which contains all users",
            SystemGroup::ServiceAccounts => "System group which contains all service accounts",
        }
    }

    /// Whether `account_type` puts a user in this group.
    pub fn includes(self, account_type: AccountType) -> bool {
        match self {
            SystemGroup::Everyone => true,
            SystemGroup::ServiceAccounts => account_type == AccountType::Service,
        }
    }
}

string_enum! {
    /// The type of a custom field's values.
    FieldType { Text = "text", Number = "number", Date = "date", Bool = "bool", Select = "select" }
}

string_enum! {
    /// Which entity a custom field belongs to.
    FieldEntity { User = "user", Application = "application" }
}

impl FieldEntity {
    /// Accepts the singular names and Zluri's plural grouping keys (`users`, `applications`).
    pub fn parse_lenient(text: &str) -> Result<Self, String> {
        match text {
            "users" => Ok(Self::User),
            "applications" => Ok(Self::Application),
            other => Self::parse(other),
        }
    }

    /// The key custom fields of this entity are grouped under when listed.
    pub fn group_key(self) -> &'static str {
        match self {
            Self::User => "users",
            Self::Application => "applications",
        }
    }
}

/// A non-blank name (user, department, field, integration). Trimmed; at most 256 characters.
#[derive(Clone, PartialEq, Eq, Hash, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Name(String);

impl Name {
    pub fn parse(text: &str) -> Result<Self, &'static str> {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            Err("must not be empty")
        } else if trimmed.chars().count() > 256 {
            Err("must be at most 256 characters")
        } else {
            Ok(Self(trimmed.to_owned()))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for Name {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_accepts_ordinary_addresses() {
        assert!(Email::parse("ada@example.com").is_ok());
        assert!(Email::parse("first.last+tag@sub.example.co.uk").is_ok());
    }

    #[test]
    fn email_rejects_garbage() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "ada example@x.com",
            "a@b@c.com",
        ] {
            assert!(Email::parse(bad).is_err(), "{bad} should be rejected");
        }
    }

    #[test]
    fn email_uniqueness_ignores_case() {
        let email = Email::parse("Ada@Example.COM").expect("valid");
        assert_eq!(email.normalized(), "ada@example.com");
        assert_eq!(email.as_str(), "Ada@Example.COM");
    }

    #[test]
    fn optimization_inclusion_accepts_exactly_the_four_seed_strings() {
        for value in OptimizationInclusion::ALL {
            assert_eq!(OptimizationInclusion::parse(value.as_str()), Ok(*value));
        }
        assert!(OptimizationInclusion::parse("Exclude for unused").is_err());
        assert!(OptimizationInclusion::parse("exclude for unused ").is_err());
    }

    #[test]
    fn each_inclusion_setting_excludes_exactly_its_kinds() {
        use OptimizationInclusion as I;
        use OptimizationKind::{Undeprovisioned, Unused};
        let table = [
            (I::IncludeAll, false, false),
            (I::ExcludeAll, true, true),
            (I::ExcludeUndeprovisioned, true, false),
            (I::ExcludeUnused, false, true),
        ];
        for (setting, undeprovisioned, unused) in table {
            assert_eq!(
                setting.excludes(Undeprovisioned),
                undeprovisioned,
                "{setting}"
            );
            assert_eq!(setting.excludes(Unused), unused, "{setting}");
        }
        assert_eq!(I::excluding(Unused), vec![I::ExcludeAll, I::ExcludeUnused]);
    }

    #[test]
    fn user_status_rejects_unknown_values_and_names_the_allowed_ones() {
        let error = UserStatus::parse("deleted").expect_err("invalid");
        assert!(error.contains("active, inactive, suspended, unknown"));
    }

    #[test]
    fn scopes_include_the_lower_ones() {
        assert!(Scope::Admin.allows(Scope::Write));
        assert!(Scope::Write.allows(Scope::Read));
        assert!(!Scope::Read.allows(Scope::Write));
    }
}
