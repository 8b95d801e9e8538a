//! MongoDB-style ObjectIds and the typed ids built on them.
//!
//! Every id in Roster is 24 lowercase hex characters (12 bytes: 4 of seconds since the epoch, 5 random,
//! 3 of a counter), because the seeds demand "valid ObjectIds" and clients generate or store them as such.

use std::fmt;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::OnceLock;

use rand::Rng;
use serde::{Deserialize, Serialize};

/// A 24-character lowercase hexadecimal identifier. Parsing accepts upper case and normalises it.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ObjectId(String);

/// Why a string is not an ObjectId.
pub const OBJECT_ID_RULE: &str = "must be a valid ObjectId (24 hexadecimal characters)";

impl ObjectId {
    /// A new id. Ids made by one process sort in the order they were made (time, then counter).
    pub fn generate() -> Self {
        static PROCESS: OnceLock<[u8; 5]> = OnceLock::new();
        static COUNTER: OnceLock<AtomicU32> = OnceLock::new();
        let random = *PROCESS.get_or_init(|| rand::thread_rng().gen());
        let counter =
            COUNTER.get_or_init(|| AtomicU32::new(rand::thread_rng().gen_range(0..0x0080_0000)));
        let seconds = chrono::Utc::now().timestamp() as u32;
        let count = counter.fetch_add(1, Ordering::Relaxed) & 0x00ff_ffff;
        let mut bytes = [0u8; 12];
        bytes[..4].copy_from_slice(&seconds.to_be_bytes());
        bytes[4..9].copy_from_slice(&random);
        bytes[9..].copy_from_slice(&count.to_be_bytes()[1..]);
        Self(hex::encode(bytes))
    }

    pub fn parse(text: &str) -> Result<Self, &'static str> {
        if text.len() == 24 && text.bytes().all(|b| b.is_ascii_hexdigit()) {
            Ok(Self(text.to_ascii_lowercase()))
        } else {
            Err(OBJECT_ID_RULE)
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for ObjectId {
    type Error = &'static str;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<ObjectId> for String {
    fn from(id: ObjectId) -> Self {
        id.0
    }
}

impl fmt::Display for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for ObjectId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "ObjectId({})", self.0)
    }
}

/// Declares a typed id: an [`ObjectId`] that can only name one kind of entity.
macro_rules! typed_id {
    ($($(#[$doc:meta])* $name:ident;)*) => {$(
        $(#[$doc])*
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
        #[serde(transparent)]
        pub struct $name(pub ObjectId);

        impl $name {
            pub fn generate() -> Self {
                Self(ObjectId::generate())
            }
            pub fn parse(text: &str) -> Result<Self, &'static str> {
                ObjectId::parse(text).map(Self)
            }
            pub fn as_str(&self) -> &str {
                self.0.as_str()
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.0.as_str())
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({})", stringify!($name), self.0.as_str())
            }
        }
    )*};
}

typed_id! {
    /// A tenant: one organisation's whole directory.
    TenantId;
    /// An API key (not its secret).
    ApiKeyId;
    /// A person or account in the directory.
    UserId;
    /// A department.
    DepartmentId;
    /// A custom field definition.
    CustomFieldId;
    /// An organisation's integration (`org_integration_id`).
    IntegrationId;
    /// An audit event.
    AuditEventId;
    /// A SaaS application (or website, device, …) the organisation uses.
    ApplicationId;
    /// A license of one application: a pool of seats at a price.
    LicenseId;
    /// A user group: members who share roles.
    UserGroupId;
    /// A role: a named set of permissions, held by users and groups.
    RoleId;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn generated_ids_are_24_lowercase_hex_and_distinct() {
        let a = ObjectId::generate();
        let b = ObjectId::generate();
        assert_eq!(a.as_str().len(), 24);
        assert!(a
            .as_str()
            .bytes()
            .all(|c| c.is_ascii_digit() || (b'a'..=b'f').contains(&c)));
        assert_ne!(a, b);
    }

    #[test]
    fn parse_accepts_hex_and_normalises_case() {
        let id = ObjectId::parse("507F1F77BCF86CD799439011").expect("valid");
        assert_eq!(id.as_str(), "507f1f77bcf86cd799439011");
    }

    #[test]
    fn parse_rejects_wrong_length_and_non_hex() {
        assert!(ObjectId::parse("507f1f77bcf86cd79943901").is_err());
        assert!(ObjectId::parse("507f1f77bcf86cd79943901z").is_err());
        assert!(ObjectId::parse("").is_err());
    }
}
