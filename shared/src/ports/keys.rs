//! The key ring secrets at rest are sealed with (envelope encryption,
//! `domain::sealed`): it makes data keys and unwraps the ones it made. KMS in
//! AWS (`adapters::aws::kms`), master keys held by the process in local mode
//! (`adapters::memory::key_ring`). `sealing::Sealer` caches what it answers.

use crate::domain::sealed::DataKey;
use async_trait::async_trait;

#[async_trait]
pub trait KeyRing: Send + Sync {
    /// A fresh data key, and the same wrapped by the master key.
    async fn generate(&self) -> Result<DataKey, KeyError>;

    /// The data key `wrapped` is (as `generate` wrapped it).
    async fn unwrap(&self, wrapped: &[u8]) -> Result<DataKey, KeyError>;
}

/// The key ring could not answer: down, refused (a disabled key, a missing
/// permission), or it does not hold the master key a value was sealed under.
/// Never the key material itself.
#[derive(Debug, thiserror::Error)]
#[error("key ring unavailable: {0}")]
pub struct KeyError(pub String);
