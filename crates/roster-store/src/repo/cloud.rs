//! A user's BlueXP cloud accounts as stored: one JSON object per account, secrets as their hashes.
//! The domain types never serialise their secrets, so the stored form is written out here.

use serde_json::{json, Value};

use roster_core::credential::CredentialHash;
use roster_core::model::{AwsCredentials, AzureCredentials, CloudSyncLicense};
use roster_core::{DomainError, DomainResult};

pub fn azure_text(azure: &AzureCredentials) -> String {
    json!({
        "subscription_id": azure.subscription_id,
        "tenant_id": azure.tenant_id,
        "application_id": azure.application_id,
        "application_key_hash": azure.application_key.as_ref().map(CredentialHash::as_stored),
    })
    .to_string()
}

pub fn aws_text(aws: &AwsCredentials) -> String {
    json!({
        "access_key": aws.access_key,
        "s3_bucket": aws.s3_bucket,
        "secret_key_hash": aws.secret_key.as_ref().map(CredentialHash::as_stored),
    })
    .to_string()
}

pub fn license_text(license: &CloudSyncLicense) -> String {
    json!({
        "license_types": license.license_types,
        "expiration_date": license.expiration_date,
    })
    .to_string()
}

pub fn azure(text: &str) -> DomainResult<AzureCredentials> {
    let stored = object(text)?;
    Ok(AzureCredentials {
        subscription_id: string(&stored, "subscription_id"),
        tenant_id: string(&stored, "tenant_id"),
        application_id: string(&stored, "application_id"),
        application_key: string(&stored, "application_key_hash").map(CredentialHash::from_stored),
    })
}

pub fn aws(text: &str) -> DomainResult<AwsCredentials> {
    let stored = object(text)?;
    Ok(AwsCredentials {
        access_key: string(&stored, "access_key"),
        s3_bucket: string(&stored, "s3_bucket"),
        secret_key: string(&stored, "secret_key_hash").map(CredentialHash::from_stored),
    })
}

pub fn license(text: &str) -> DomainResult<CloudSyncLicense> {
    let stored = object(text)?;
    let license_types = match stored.get("license_types") {
        Some(Value::Array(types)) => types
            .iter()
            .filter_map(|t| t.as_str().map(str::to_owned))
            .collect(),
        _ => Vec::new(),
    };
    Ok(CloudSyncLicense {
        license_types,
        expiration_date: stored.get("expiration_date").and_then(Value::as_i64),
    })
}

fn object(text: &str) -> DomainResult<Value> {
    serde_json::from_str(text).map_err(|error| {
        DomainError::Internal(format!("a stored cloud account is corrupt: {error}"))
    })
}

fn string(stored: &Value, key: &str) -> Option<String> {
    stored.get(key).and_then(Value::as_str).map(str::to_owned)
}
