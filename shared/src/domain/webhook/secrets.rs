//! Signing secrets: the current one and those retired within their grace period.

use crate::domain::time::Timestamp;
use crate::ports::random::Random;
use base64::engine::general_purpose::{STANDARD, STANDARD_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A Standard Webhooks signing secret: `whsec_` + base64 of 24–64 bytes.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Secret(Vec<u8>);

impl Secret {
    const PREFIX: &'static str = "whsec_";

    pub fn generate(random: &dyn Random) -> Self {
        let mut bytes = vec![0u8; 32];
        random.fill(&mut bytes);
        Self(bytes)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        const HINT: &str = "must be `whsec_` followed by the base64 of 24 to 64 random bytes";
        let encoded = text.strip_prefix(Self::PREFIX).ok_or(HINT)?;
        let bytes = STANDARD
            .decode(encoded)
            .or_else(|_| STANDARD_NO_PAD.decode(encoded))
            .map_err(|_| HINT)?;
        if !(24..=64).contains(&bytes.len()) {
            return Err(HINT.into());
        }
        Ok(Self(bytes))
    }

    /// The decoded key the HMAC is computed with.
    pub fn key(&self) -> &[u8] {
        &self.0
    }

    /// What responses show outside create and rotate: the prefix and last four characters.
    pub fn masked(&self) -> String {
        let full = self.to_string();
        let tail = &full[full.len().saturating_sub(4)..];
        format!("{}****{tail}", Self::PREFIX)
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}{}", Self::PREFIX, STANDARD.encode(&self.0))
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({})", self.masked())
    }
}
text_type!(Secret);

/// A secret that still signs until `expires_at` (after a rotation).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RetiredSecret {
    pub secret: Secret,
    pub expires_at: Timestamp,
}

/// The current secret and those still within their rotation grace.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SigningSecrets {
    pub current: Secret,
    #[serde(default)]
    pub retired: Vec<RetiredSecret>,
}

impl SigningSecrets {
    /// Rotations within a grace period keep at most this many old secrets (the newest).
    pub const MAX_RETIRED: usize = 3;

    pub fn new(current: Secret) -> Self {
        Self {
            current,
            retired: Vec::new(),
        }
    }

    /// `next` becomes current; the old one keeps signing for `grace_seconds`.
    pub fn rotate(&mut self, next: Secret, now: Timestamp, grace_seconds: u32) {
        let old = std::mem::replace(&mut self.current, next);
        self.retired.retain(|r| r.expires_at > now);
        if grace_seconds > 0 {
            self.retired.push(RetiredSecret {
                secret: old,
                expires_at: now.plus_seconds(grace_seconds.into()),
            });
        }
        // Bounded, so the stored item and the signature header stay small.
        let excess = self.retired.len().saturating_sub(Self::MAX_RETIRED);
        self.retired.drain(..excess);
    }

    /// Every secret a message sent at `now` is signed with, current first.
    pub fn live(&self, now: Timestamp) -> impl Iterator<Item = &Secret> {
        std::iter::once(&self.current).chain(
            self.retired
                .iter()
                .filter(move |r| r.expires_at > now)
                .map(|r| &r.secret),
        )
    }
}
