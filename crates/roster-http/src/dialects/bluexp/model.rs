//! The BlueXP user model (seed-apis.md §2.2), built from a user, their access and their workspace.

use roster_core::directory::Workspace;
use roster_core::model::{AzureCredentials, CloudSyncLicense, UserAccess};
use serde::Serialize;
use utoipa::ToSchema;

/// A system (application) the user created.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct WorkingEnvironment {
    pub public_id: String,
    pub name: String,
    /// The application's type (`application`, `website`, …).
    pub working_environment_type: String,
}

/// An Azure service principal. The application key is write-only: it is stored as a hash and
/// never returned.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct AzureCredentialsModel {
    pub subscription_id: Option<String>,
    pub tenant_id: Option<String>,
    pub application_id: Option<String>,
}

/// The user's Cloud Sync licenses.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct CloudSyncLicenseModel {
    pub cloud_sync_license_types: Vec<String>,
    /// Epoch milliseconds.
    pub license_expiration_date: Option<i64>,
}

/// The BlueXP user model.
#[derive(Debug, Serialize, ToSchema)]
#[serde(rename_all = "camelCase")]
pub struct UserModel {
    /// The user's id.
    pub public_id: String,
    /// The applications where the user is an active application user.
    pub assigned_working_environments: Vec<String>,
    /// The given name ("" when the user has none).
    pub first_name: String,
    /// The family name ("" when the user has none).
    pub last_name: String,
    pub email: String,
    /// The user's first role: their first direct role by name, else the first through their
    /// groups; null when they have none.
    pub role_id: Option<String>,
    /// The tenant's slug.
    pub tenant_id: String,
    /// The applications the user owns.
    pub created_working_environments: Vec<WorkingEnvironment>,
    /// Present only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub azure_credentials: Option<AzureCredentialsModel>,
    /// Present only when set.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cloud_sync_license_information: Option<CloudSyncLicenseModel>,
    pub is_ldap: bool,
    pub ldap_user_name: Option<String>,
    pub notifications_opt_in: bool,
    /// The user's effective permissions: direct, through roles and through groups.
    pub permissions: Vec<String>,
}

impl UserModel {
    pub fn new(access: UserAccess, workspace: Workspace, tenant_slug: &str) -> Self {
        let permissions = access
            .effective_permissions()
            .into_iter()
            .map(|permission| permission.to_string())
            .collect();
        let role_id = access
            .roles
            .iter()
            .chain(access.groups.iter().flat_map(|group| &group.roles))
            .next()
            .map(|role| role.id.to_string());
        let user = access.user;
        Self {
            public_id: user.id.to_string(),
            assigned_working_environments: workspace
                .assigned
                .iter()
                .map(ToString::to_string)
                .collect(),
            first_name: user.given_name.unwrap_or_default(),
            last_name: user.family_name.unwrap_or_default(),
            email: user.email.to_string(),
            role_id,
            tenant_id: tenant_slug.to_owned(),
            created_working_environments: workspace
                .owned
                .into_iter()
                .map(|app| WorkingEnvironment {
                    public_id: app.id.to_string(),
                    name: app.name.to_string(),
                    working_environment_type: app.app_type.to_string(),
                })
                .collect(),
            azure_credentials: user.azure_credentials.map(azure_model),
            cloud_sync_license_information: user.cloud_sync_license.map(license_model),
            is_ldap: user.is_ldap,
            ldap_user_name: user.ldap_user_name,
            notifications_opt_in: user.notifications_opt_in,
            permissions,
        }
    }
}

fn azure_model(azure: AzureCredentials) -> AzureCredentialsModel {
    AzureCredentialsModel {
        subscription_id: azure.subscription_id,
        tenant_id: azure.tenant_id,
        application_id: azure.application_id,
    }
}

fn license_model(license: CloudSyncLicense) -> CloudSyncLicenseModel {
    CloudSyncLicenseModel {
        cloud_sync_license_types: license.license_types,
        license_expiration_date: license.expiration_date,
    }
}
