//! Secrets at rest (DESIGN.md §9): the one seal and open step both stores
//! and the pipeline use, and the data keys a warm process keeps.
//!
//! A value is sealed under a data key (`domain::sealed`) that the key ring
//! made (KMS `GenerateDataKey` in AWS); each process seals with one data key
//! for `SEALING_KEY_SECONDS`, and keeps every data key it unwrapped (KMS
//! `Decrypt`) for `OPENED_KEY_SECONDS`, so at steady state sealing and
//! opening call no one. What is sealed: a webhook's secrets (`webhook`: both
//! stores keep a webhook in that form) and an ad-hoc URL's password (`url`:
//! a delivery keeps it sealed, the sender opens it).

mod url;
mod webhook;

pub use url::{keep_ad_hoc, open_ad_hoc, rekeep};
pub use webhook::{open_webhook, seal_webhook};

use crate::domain::sealed::{DataKey, Sealed, NONCE_BYTES};
use crate::domain::time::Timestamp;
use crate::ports::clock::Clock;
use crate::ports::keys::{KeyError, KeyRing};
use crate::ports::random::Random;
use crate::ports::store::StoreError;
use crate::warm::TtlCache;
use std::sync::Arc;

/// How long one data key seals new values: one `GenerateDataKey` an hour
/// at most per process, and no data key seals for longer.
pub const SEALING_KEY_SECONDS: i64 = 3600;
/// How long an unwrapped data key is kept: each process unwraps a data key
/// it reads once an hour at most, and a key the ring stops unwrapping (a
/// disabled KMS key, a revoked permission) stops opening within the hour.
pub const OPENED_KEY_SECONDS: i64 = 3600;
/// Data keys kept unwrapped at most (a few hundred bytes each).
const OPENED_KEYS: usize = 4096;

#[derive(Debug, thiserror::Error)]
pub enum SealError {
    #[error(transparent)]
    KeyUnavailable(#[from] KeyError),
    /// A sealed value that does not parse, or does not open under its key.
    #[error("{0}")]
    Corrupt(String),
}

impl From<SealError> for StoreError {
    fn from(err: SealError) -> Self {
        match err {
            SealError::KeyUnavailable(KeyError(why)) => Self::KeyUnavailable(why),
            SealError::Corrupt(why) => Self::Corrupt(why),
        }
    }
}

/// Seals and opens values with the key ring's data keys, kept warm.
pub struct Sealer {
    ring: Arc<dyn KeyRing>,
    random: Arc<dyn Random>,
    clock: Arc<dyn Clock>,
    /// The data key new values are sealed with, and when it was made.
    sealing: tokio::sync::Mutex<Option<(Timestamp, DataKey)>>,
    /// Data keys by their wrapped form.
    opened: TtlCache<Vec<u8>, DataKey>,
    /// One unwrap at a time: a burst of reads of one new key asks once.
    unwrapping: tokio::sync::Mutex<()>,
}

impl Sealer {
    pub fn new(ring: Arc<dyn KeyRing>, random: Arc<dyn Random>, clock: Arc<dyn Clock>) -> Self {
        Self {
            ring,
            random,
            clock,
            sealing: tokio::sync::Mutex::new(None),
            opened: TtlCache::new(OPENED_KEY_SECONDS, OPENED_KEYS),
            unwrapping: tokio::sync::Mutex::new(()),
        }
    }

    /// `plaintext` sealed for `context` (what it belongs to).
    pub async fn seal(&self, plaintext: &[u8], context: &str) -> Result<Sealed, SealError> {
        let key = self.sealing_key().await?;
        let mut nonce = [0u8; NONCE_BYTES];
        self.random.fill(&mut nonce);
        Ok(key.seal(plaintext, nonce, context))
    }

    /// What `sealed` holds, if it was sealed for `context`.
    pub async fn open(&self, sealed: &Sealed, context: &str) -> Result<Vec<u8>, SealError> {
        let key = self.data_key(sealed.wrapped_key()).await?;
        key.open(sealed, context).map_err(SealError::Corrupt)
    }

    async fn sealing_key(&self) -> Result<DataKey, SealError> {
        let now = self.clock.now();
        let mut sealing = self.sealing.lock().await;
        if let Some((made, key)) = sealing.as_ref() {
            if made.plus_seconds(SEALING_KEY_SECONDS) > now {
                return Ok(key.clone());
            }
        }
        let key = self.ring.generate().await?;
        // What this process seals, it opens without asking.
        self.opened.put(key.wrapped().to_vec(), key.clone(), now);
        *sealing = Some((now, key.clone()));
        Ok(key)
    }

    async fn data_key(&self, wrapped: &[u8]) -> Result<DataKey, SealError> {
        let now = self.clock.now();
        let wrapped = wrapped.to_vec();
        if let Some(key) = self.opened.get(&wrapped, now) {
            return Ok(key);
        }
        let _one_at_a_time = self.unwrapping.lock().await;
        if let Some(key) = self.opened.get(&wrapped, now) {
            return Ok(key);
        }
        let key = self.ring.unwrap(&wrapped).await?;
        self.opened.put(wrapped, key.clone(), now);
        Ok(key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::adapters::memory::LocalKeyRing;
    use crate::domain::sealed::MasterKeys;
    use crate::ports::clock::ManualClock;
    use crate::ports::random::OsRandom;
    use async_trait::async_trait;
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    /// A local ring that counts its calls, and can be withdrawn.
    struct Counted {
        inner: LocalKeyRing,
        generated: AtomicUsize,
        unwrapped: AtomicUsize,
        withdrawn: AtomicBool,
    }

    impl Counted {
        fn new(master: u8) -> Arc<Self> {
            let keys = MasterKeys {
                current: [master; 32],
                previous: Vec::new(),
            };
            Arc::new(Self {
                inner: LocalKeyRing::new(&keys, Arc::new(OsRandom)),
                generated: AtomicUsize::new(0),
                unwrapped: AtomicUsize::new(0),
                withdrawn: AtomicBool::new(false),
            })
        }

        fn calls(&self) -> (usize, usize) {
            let count = |c: &AtomicUsize| c.load(Ordering::Relaxed);
            (count(&self.generated), count(&self.unwrapped))
        }

        fn check(&self, counter: &AtomicUsize) -> Result<(), KeyError> {
            counter.fetch_add(1, Ordering::Relaxed);
            match self.withdrawn.load(Ordering::Relaxed) {
                true => Err(KeyError("withdrawn".into())),
                false => Ok(()),
            }
        }
    }

    #[async_trait]
    impl KeyRing for Counted {
        async fn generate(&self) -> Result<DataKey, KeyError> {
            self.check(&self.generated)?;
            self.inner.generate().await
        }

        async fn unwrap(&self, wrapped: &[u8]) -> Result<DataKey, KeyError> {
            self.check(&self.unwrapped)?;
            self.inner.unwrap(wrapped).await
        }
    }

    fn sealer(ring: &Arc<Counted>, clock: &Arc<ManualClock>) -> Sealer {
        Sealer::new(ring.clone(), Arc::new(OsRandom), clock.clone())
    }

    #[tokio::test]
    async fn data_keys_are_asked_for_once_an_hour_and_a_withdrawn_ring_opens_nothing() {
        let clock = Arc::new(ManualClock::new(Timestamp::from_millis(0).unwrap()));
        let ring = Counted::new(1);
        let writer = sealer(&ring, &clock);
        let mut sealed = Vec::new();
        for n in 0..100 {
            sealed.push(
                writer
                    .seal(format!("secret {n}").as_bytes(), "c")
                    .await
                    .unwrap(),
            );
        }
        assert_eq!(writer.open(&sealed[7], "c").await.unwrap(), b"secret 7");
        assert_eq!(ring.calls(), (1, 0), "one data key, opened without asking");
        // Another process reads them: one unwrap for the lot.
        let reader = sealer(&ring, &clock);
        for (n, value) in sealed.iter().enumerate() {
            let opened = reader.open(value, "c").await.unwrap();
            assert_eq!(opened, format!("secret {n}").as_bytes());
        }
        assert_eq!(ring.calls(), (1, 1));
        assert!(matches!(
            reader.open(&sealed[0], "other").await,
            Err(SealError::Corrupt(_))
        ));
        // An hour on, a new data key seals; the old one is asked for again.
        clock.advance_millis(SEALING_KEY_SECONDS * 1000);
        let later = writer.seal(b"later", "c").await.unwrap();
        assert_ne!(later.wrapped_key(), sealed[0].wrapped_key());
        ring.withdrawn.store(true, Ordering::Relaxed);
        let refused = reader.open(&sealed[0], "c").await;
        assert!(
            matches!(refused, Err(SealError::KeyUnavailable(_))),
            "{refused:?}"
        );
        let unavailable = StoreError::from(refused.unwrap_err());
        assert!(matches!(unavailable, StoreError::KeyUnavailable(_)));
        assert_eq!(
            writer.open(&later, "c").await.unwrap(),
            b"later",
            "its own key is kept"
        );
        assert!(Counted::new(2).unwrap(later.wrapped_key()).await.is_err());
    }
}
