//! BlueXP's request bodies: their documented shape (for the OpenAPI document) and how each is
//! lowered to a core command. Unknown fields are ignored, as in every vendor dialect.

use roster_core::command::{NewUser, SetChange, UserUpdate};
use roster_core::credential::CredentialHash;
use roster_core::id::RoleId;
use roster_core::model::{AwsCredentials, AzureCredentials, CloudSyncLicense};
use roster_core::values::{Email, Name};
use roster_core::{FieldErrors, Patch};
use serde_json::Value;
use utoipa::ToSchema;

use crate::json_fields::{any_text, JsonFields};

/// The body of the seed's update: every field optional; an absent field is left as it is.
/// Writing `firstName` or `lastName` also sets the display name (the two joined by a space).
/// Roster also accepts `azureCredentials` and `cloudSyncLicenseInformation` here (`null` clears
/// them).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct UpdateUserRequest {
    /// `null` clears it.
    first_name: Option<String>,
    /// `null` clears it.
    last_name: Option<String>,
    /// Unique in the tenant regardless of case (409 if taken).
    email: Option<String>,
    /// Active Directory user name; `null` clears it.
    ldap_user_name: Option<String>,
    /// Email notifications opt-in.
    notifications_opt_in: Option<bool>,
    azure_credentials: Option<AzureCredentialsRequest>,
    cloud_sync_license_information: Option<CloudSyncLicenseRequest>,
}

/// The body of `POST /users`.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CreateUserRequest {
    /// Without names, the display name is the email's local part.
    first_name: Option<String>,
    last_name: Option<String>,
    /// Unique in the tenant regardless of case (409 if taken).
    email: String,
    /// A role of the tenant: the user's role.
    role_id: String,
    /// The tenant's slug, if given: a user cannot be made in another tenant.
    tenant_id: Option<String>,
    /// Stored only as an argon2 hash; never returned.
    password: Option<String>,
    /// AWS access key id; stored, never returned.
    access_key: Option<String>,
    /// AWS secret key; stored only as an argon2 hash, never returned.
    secret_key: Option<String>,
    /// AWS S3 bucket; stored, never returned.
    s3_bucket: Option<String>,
    azure_credentials: Option<AzureCredentialsRequest>,
    /// A Roster extension: BlueXP returns it but documents no way to write it.
    cloud_sync_license_information: Option<CloudSyncLicenseRequest>,
    is_ldap: bool,
    ldap_user_name: Option<String>,
    notifications_opt_in: Option<bool>,
}

/// An Azure service principal.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct AzureCredentialsRequest {
    subscription_id: Option<String>,
    tenant_id: Option<String>,
    application_id: Option<String>,
    /// Stored only as an argon2 hash; never returned.
    application_key: Option<String>,
}

/// Cloud Sync licenses.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct CloudSyncLicenseRequest {
    cloud_sync_license_types: Vec<String>,
    /// Epoch milliseconds.
    license_expiration_date: Option<i64>,
}

/// The body of `POST /users/add-user`.
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct AddUserRequest {
    /// The person's email. A user with this email gets the role; otherwise one is created (their
    /// display name is the email's local part).
    email: String,
    /// A role of the tenant.
    role_id: String,
    /// The tenant's slug, if given.
    tenant_id: Option<String>,
}

/// The body of grant/revoke: application ids (`publicId`s of working environments).
#[derive(Debug, ToSchema)]
#[serde(rename_all = "camelCase")]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct GrantRevokeRequest {
    /// Applications the user gets: they become an active application user.
    add_working_environments: Vec<String>,
    /// Applications the user loses: they become an inactive application user, and the licenses
    /// they held there are freed.
    remove_working_environments: Vec<String>,
}

/// The body of a password reset.
#[derive(Debug, ToSchema)]
#[expect(
    dead_code,
    reason = "documents the wire format; bodies are read by JsonFields"
)]
pub struct ResetPasswordRequest {
    /// Stored only as an argon2 hash; never returned.
    password: String,
}

/// Lowers the update body. Names must not be blank; `null` clears an optional field.
pub fn read_update(body: Value, errors: &mut FieldErrors) -> UserUpdate {
    let Some(mut fields) = JsonFields::of_body(body, errors) else {
        return UserUpdate::default();
    };
    UserUpdate {
        email: fields.set("email", Email::parse),
        ..read_profile(&mut fields)
    }
}

/// Lowers `POST /users`; `None` when the email is missing or invalid (the error is recorded).
pub fn read_create(body: Value, tenant_slug: &str, errors: &mut FieldErrors) -> Option<NewUser> {
    let mut fields = JsonFields::of_body(body, errors)?;
    let email = fields.required("email", Email::parse);
    let role = fields.required("roleId", RoleId::parse);
    check_tenant(&mut fields, tenant_slug);
    if !fields.has("isLdap") {
        fields.error("isLdap", "is required");
    }
    let is_ldap = fields.bool("isLdap");
    let credential = fields.patch("password", CredentialHash::from_secret);
    let aws = read_aws(&mut fields);
    let rest = UserUpdate {
        roles: SetChange::Replace(role.into_iter().collect()),
        is_ldap,
        credential,
        aws_credentials: aws.map_or(Patch::Unchanged, Patch::Set),
        ..read_profile(&mut fields)
    };
    Some(NewUser::from_email(email?, rest))
}

/// Lowers `POST /users/add-user` to the email and the role.
pub fn read_add_user(
    body: Value,
    tenant_slug: &str,
    errors: &mut FieldErrors,
) -> Option<(Email, RoleId)> {
    let mut fields = JsonFields::of_body(body, errors)?;
    let email = fields.required("email", Email::parse);
    let role = fields.required("roleId", RoleId::parse);
    check_tenant(&mut fields, tenant_slug);
    Some((email?, role?))
}

/// The fields the create and update bodies share.
fn read_profile(fields: &mut JsonFields<'_>) -> UserUpdate {
    let name = |text: &str| Name::parse(text).map(|name| name.to_string());
    UserUpdate {
        given_name: fields.patch("firstName", name),
        family_name: fields.patch("lastName", name),
        ldap_user_name: fields.patch("ldapUserName", any_text),
        notifications_opt_in: fields.bool("notificationsOptIn"),
        azure_credentials: read_azure(fields),
        cloud_sync_license: read_license(fields),
        ..UserUpdate::default()
    }
}

/// A `tenantId` in a body must be the caller's tenant: users cannot be made in another one.
fn check_tenant(fields: &mut JsonFields<'_>, tenant_slug: &str) {
    if let Some(given) = fields.patch("tenantId", any_text).into_set() {
        if given != tenant_slug {
            fields.error(
                "tenantId",
                format!("is not the tenant of this API key ({tenant_slug:?})"),
            );
        }
    }
}

fn read_azure(fields: &mut JsonFields<'_>) -> Patch<AzureCredentials> {
    match fields.object("azureCredentials") {
        None => Patch::Unchanged,
        Some(None) => Patch::Clear,
        Some(Some(mut azure)) => Patch::Set(AzureCredentials {
            subscription_id: azure.patch("subscriptionId", any_text).into_set(),
            tenant_id: azure.patch("tenantId", any_text).into_set(),
            application_id: azure.patch("applicationId", any_text).into_set(),
            application_key: azure
                .patch("applicationKey", CredentialHash::from_secret)
                .into_set(),
        }),
    }
}

/// The AWS account of `POST /users`, when any of its fields is given.
fn read_aws(fields: &mut JsonFields<'_>) -> Option<AwsCredentials> {
    let aws = AwsCredentials {
        access_key: fields.patch("accessKey", any_text).into_set(),
        s3_bucket: fields.patch("s3Bucket", any_text).into_set(),
        secret_key: fields
            .patch("secretKey", CredentialHash::from_secret)
            .into_set(),
    };
    (aws != AwsCredentials::default()).then_some(aws)
}

fn read_license(fields: &mut JsonFields<'_>) -> Patch<CloudSyncLicense> {
    match fields.object("cloudSyncLicenseInformation") {
        None => Patch::Unchanged,
        Some(None) => Patch::Clear,
        Some(Some(mut license)) => {
            let license_types = license
                .string_array("cloudSyncLicenseTypes", any_text)
                .unwrap_or_default();
            let expiration_date = license
                .integer("licenseExpirationDate")
                .and_then(|millis| i64::try_from(millis).ok());
            Patch::Set(CloudSyncLicense {
                license_types,
                expiration_date,
            })
        }
    }
}
