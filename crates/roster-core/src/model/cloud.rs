//! The cloud accounts a user keeps with BlueXP (NetApp Cloud Manager). Roster only stores them for
//! the BlueXP dialect: nothing else reads them. Their secrets (Azure's application key, AWS's
//! secret key) are kept as argon2 hashes, so they can be written but never read back.

use serde::Serialize;

use crate::credential::CredentialHash;

/// An Azure service principal.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AzureCredentials {
    pub subscription_id: Option<String>,
    pub tenant_id: Option<String>,
    pub application_id: Option<String>,
    /// Write-only: never serialised, so neither responses nor audit snapshots carry it.
    #[serde(skip)]
    pub application_key: Option<CredentialHash>,
}

/// An AWS account and bucket.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct AwsCredentials {
    pub access_key: Option<String>,
    pub s3_bucket: Option<String>,
    /// Write-only, as [`AzureCredentials::application_key`].
    #[serde(skip)]
    pub secret_key: Option<CredentialHash>,
}

/// The Cloud Sync licenses a user holds.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CloudSyncLicense {
    pub license_types: Vec<String>,
    /// Epoch milliseconds, as BlueXP writes it.
    pub expiration_date: Option<i64>,
}
