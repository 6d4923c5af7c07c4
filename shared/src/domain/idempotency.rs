//! `Idempotency-Key` claims: the rules both stores follow.

use crate::domain::ids::{AccountId, EventId};
use crate::domain::time::Timestamp;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// How long a key holds its first answer.
pub const IDEMPOTENCY_SECONDS: i64 = 86_400;
/// A claim younger than this without an answer is a request still running.
pub const IN_PROGRESS_SECONDS: i64 = 30;

/// A claimed `Idempotency-Key`: which event the first request made, from
/// which body, and once done, its answer. Delivery ids are derived from the
/// event and each webhook, so the claim stays small whatever the fan-out.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotencyRecord {
    pub account_id: AccountId,
    /// SHA-256 hex of the key (the key itself may carry meaning to the caller).
    pub key_hash: String,
    /// SHA-256 hex of the request body: a reuse with another body is refused.
    pub body_hash: String,
    pub event_id: EventId,
    /// The JSON answer, once the event and its fan-out were recorded.
    pub answer: Option<String>,
    pub created_at: Timestamp,
    /// Epoch seconds; an expired claim is replaced by the next one.
    pub expires_at: i64,
}

/// What a request finds when its key was claimed before.
#[derive(Debug, PartialEq, Eq)]
pub enum Claimed {
    /// The first request finished: answer as it did.
    Answered(String),
    /// The first request is still running (or died less than a moment ago).
    InProgress,
    /// The key was used with another body.
    OtherBody,
    /// The first request died half-way: finish its event.
    Resume(IdempotencyRecord),
}

impl IdempotencyRecord {
    pub fn new(
        account_id: AccountId,
        key: &str,
        body: &[u8],
        event_id: EventId,
        now: Timestamp,
    ) -> Self {
        Self {
            account_id,
            key_hash: hex::encode(Sha256::digest(key.as_bytes())),
            body_hash: hex::encode(Sha256::digest(body)),
            event_id,
            answer: None,
            created_at: now,
            expires_at: now.epoch_seconds() + IDEMPOTENCY_SECONDS,
        }
    }

    /// Whether this claim still holds its key at `now` (else a new claim replaces it).
    pub fn is_live(&self, now: Timestamp) -> bool {
        now.epoch_seconds() < self.expires_at
    }

    /// What a request with `self` finds, given the live claim made `before`.
    pub fn against(&self, before: IdempotencyRecord, now: Timestamp) -> Claimed {
        if before.body_hash != self.body_hash {
            return Claimed::OtherBody;
        }
        if let Some(answer) = before.answer {
            return Claimed::Answered(answer);
        }
        if before.created_at.plus_seconds(IN_PROGRESS_SECONDS) > now {
            return Claimed::InProgress;
        }
        Claimed::Resume(before)
    }
}
