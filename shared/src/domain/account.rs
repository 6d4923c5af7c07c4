//! Accounts (tenants) and their API keys. Keys are kept only as SHA-256 hashes.

use crate::domain::ids::AccountId;
use crate::domain::time::Timestamp;
use crate::domain::webhook::Name;
use crate::ports::random::Random;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use subtle::ConstantTimeEq;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    pub id: AccountId,
    pub name: Name,
    pub created_at: Timestamp,
}

/// The text of an API key: shown once, then only its hash is kept (the key
/// as a resource, with its scope, is `api_key::ApiKeyRecord`).
pub struct ApiKey(String);

impl ApiKey {
    /// What a generated key starts with (keys generated before it was set
    /// start with `hr_` alone, and keep working).
    pub const PREFIX: &'static str = "hr_live_";

    pub fn generate(random: &dyn Random) -> Self {
        let mut bytes = [0u8; 32];
        random.fill(&mut bytes);
        Self(format!("{}{}", Self::PREFIX, URL_SAFE_NO_PAD.encode(bytes)))
    }

    /// A key chosen by the operator (the local runner's `HOOKRELAY_API_KEY`).
    pub fn from_configured(text: &str) -> Result<Self, String> {
        let text = text.trim();
        if text.len() < 16 || !text.chars().all(|c| c.is_ascii_graphic()) {
            return Err("an API key must be at least 16 printable ASCII characters".into());
        }
        Ok(Self(text.to_owned()))
    }
}
credential!(ApiKey);

/// SHA-256 of an API key: what is stored and looked up.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct KeyHash([u8; 32]);

impl KeyHash {
    pub fn of(presented: &str) -> Self {
        Self(Sha256::digest(presented.as_bytes()).into())
    }

    pub fn from_hex(text: &str) -> Option<Self> {
        let bytes = hex::decode(text).ok()?;
        Some(Self(bytes.try_into().ok()?))
    }

    pub fn to_hex(self) -> String {
        hex::encode(self.0)
    }

    /// Constant time, so response timing says nothing about how much matched.
    pub fn matches(&self, other: &KeyHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

/// Stored as hex.
impl Serialize for KeyHash {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.to_hex())
    }
}

impl<'de> Deserialize<'de> for KeyHash {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let hex = String::deserialize(deserializer)?;
        Self::from_hex(&hex).ok_or_else(|| serde::de::Error::custom("not a SHA-256 hex digest"))
    }
}

impl fmt::Debug for KeyHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "KeyHash({}…)", &self.to_hex()[..8])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ports::random::OsRandom;

    #[test]
    fn generated_keys_are_distinct_and_hash_stably() {
        let a = ApiKey::generate(&OsRandom);
        let b = ApiKey::generate(&OsRandom);
        assert_ne!(a.expose(), b.expose());
        assert!(a.hash().matches(&KeyHash::of(a.expose())));
        assert!(!a.hash().matches(&b.hash()));
        assert_eq!(KeyHash::from_hex(&a.hash().to_hex()), Some(a.hash()));
    }

    #[test]
    fn configured_keys_must_be_long_enough() {
        assert!(ApiKey::from_configured("short").is_err());
        assert!(ApiKey::from_configured("local-dev-key-0123456789").is_ok());
    }

    #[test]
    fn debug_never_shows_the_key() {
        let key = ApiKey::generate(&OsRandom);
        assert!(!format!("{key:?}").contains(key.expose()));
    }
}
