//! Passwords (Wavefront's `credential`, BlueXP's password reset). Only an argon2 hash is kept: the
//! secret itself is never stored, returned or logged.

use argon2::password_hash::{rand_core::OsRng, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordHash, PasswordVerifier};

/// The longest secret accepted; argon2 takes anything, but nobody types more than this.
pub const MAX_SECRET_LEN: usize = 1024;

/// A password hash in the PHC string format (`$argon2id$v=19$…`).
#[derive(Clone, PartialEq, Eq)]
pub struct CredentialHash(String);

impl CredentialHash {
    /// Hashes a new secret with a fresh salt. Empty or overlong secrets are refused.
    pub fn from_secret(secret: &str) -> Result<Self, String> {
        if secret.is_empty() {
            return Err("must not be empty".into());
        }
        if secret.chars().count() > MAX_SECRET_LEN {
            return Err(format!("must be at most {MAX_SECRET_LEN} characters"));
        }
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(secret.as_bytes(), &salt)
            .map(|hash| Self(hash.to_string()))
            .map_err(|error| format!("could not be hashed: {error}"))
    }

    /// A hash as stored.
    pub fn from_stored(phc: String) -> Self {
        Self(phc)
    }

    pub fn as_stored(&self) -> &str {
        &self.0
    }

    pub fn verifies(&self, secret: &str) -> bool {
        PasswordHash::new(&self.0).is_ok_and(|hash| {
            Argon2::default()
                .verify_password(secret.as_bytes(), &hash)
                .is_ok()
        })
    }
}

/// Never prints the hash, so that no log line carries it.
impl std::fmt::Debug for CredentialHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("CredentialHash(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_credential_is_stored_as_an_argon2_hash_that_verifies_only_its_secret() {
        let hash = CredentialHash::from_secret("correct horse").expect("hash");
        assert!(hash.as_stored().starts_with("$argon2id$"));
        assert!(!hash.as_stored().contains("correct horse"));
        assert!(hash.verifies("correct horse"));
        assert!(!hash.verifies("battery staple"));
    }

    #[test]
    fn an_empty_credential_is_refused() {
        assert!(CredentialHash::from_secret("").is_err());
    }
}
