//! The local mode's key ring: master keys held by the process (from
//! `HOOKRELAY_MASTER_KEY`, a key file, or made at start), wrapping each data
//! key with AES-256-GCM. A wrapped key is the master key's id, a nonce and
//! the sealed data key, so earlier master keys (`previous`) still unwrap
//! what they wrapped while the current one wraps everything new.

use crate::domain::sealed::{DataKey, MasterKeys, KEY_BYTES, NONCE_BYTES};
use crate::ports::clock::Clock;
use crate::ports::keys::{KeyError, KeyRing};
use crate::ports::random::{OsRandom, Random};
use crate::sealing::Sealer;
use async_trait::async_trait;
use std::sync::Arc;

const ID_BYTES: usize = 8;
/// What a wrapped data key is sealed for.
const CONTEXT: &str = "data key";

pub struct LocalKeyRing {
    /// Each master key by its id, the current one first.
    masters: Vec<([u8; ID_BYTES], DataKey)>,
    random: Arc<dyn Random>,
}

impl LocalKeyRing {
    pub fn new(keys: &MasterKeys, random: Arc<dyn Random>) -> Self {
        let masters = std::iter::once(&keys.current)
            .chain(&keys.previous)
            .map(|key| {
                // A master key is 32 bytes by its type: this cannot fail.
                let master = DataKey::new(key, Vec::new())
                    .unwrap_or_else(|e| unreachable!("a 32-byte key: {e}"));
                (MasterKeys::id(key), master)
            })
            .collect();
        Self { masters, random }
    }

    /// A ring on a master key made now, that ends with the process: for
    /// what ends with it too (the in-memory store).
    pub fn ephemeral(random: Arc<dyn Random>) -> Self {
        let mut current = [0u8; KEY_BYTES];
        random.fill(&mut current);
        let keys = MasterKeys {
            current,
            previous: Vec::new(),
        };
        Self::new(&keys, random)
    }

    /// A sealer on an `ephemeral` ring (for an in-memory store of a test).
    pub fn ephemeral_sealer(clock: Arc<dyn Clock>) -> Arc<Sealer> {
        let random: Arc<dyn Random> = Arc::new(OsRandom);
        let ring = Arc::new(Self::ephemeral(random.clone()));
        Arc::new(Sealer::new(ring, random, clock))
    }
}

#[async_trait]
impl KeyRing for LocalKeyRing {
    async fn generate(&self) -> Result<DataKey, KeyError> {
        let (id, master) = &self.masters[0];
        let mut key = [0u8; KEY_BYTES];
        let mut nonce = [0u8; NONCE_BYTES];
        self.random.fill(&mut key);
        self.random.fill(&mut nonce);
        let sealed = master.seal(&key, nonce, CONTEXT);
        let wrapped = [id.as_slice(), sealed.to_string().as_bytes()].concat();
        DataKey::new(&key, wrapped).map_err(KeyError)
    }

    async fn unwrap(&self, wrapped: &[u8]) -> Result<DataKey, KeyError> {
        let (id, sealed) = wrapped.split_at_checked(ID_BYTES).ok_or_else(foreign)?;
        let (_, master) = self
            .masters
            .iter()
            .find(|(known, _)| known == id)
            .ok_or_else(foreign)?;
        let sealed = std::str::from_utf8(sealed)
            .ok()
            .and_then(|text| crate::domain::sealed::Sealed::parse(text).ok())
            .ok_or_else(foreign)?;
        let key = master.open(&sealed, CONTEXT).map_err(KeyError)?;
        DataKey::new(&key, wrapped.to_vec()).map_err(KeyError)
    }
}

fn foreign() -> KeyError {
    KeyError(
        "the data key was wrapped by a master key this process does not hold (set it as HOOKRELAY_MASTER_KEY or in HOOKRELAY_MASTER_KEY_PREVIOUS)"
            .into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn data_keys_unwrap_under_the_master_key_that_wrapped_them() {
        let random: Arc<dyn Random> = Arc::new(OsRandom);
        let keys = |current: u8, previous: &[u8]| MasterKeys {
            current: [current; KEY_BYTES],
            previous: previous.iter().map(|b| [*b; KEY_BYTES]).collect(),
        };
        let old = LocalKeyRing::new(&keys(1, &[]), random.clone());
        let data = old.generate().await.unwrap();
        let sealed = data.seal(b"secret", [0; NONCE_BYTES], "x");
        let rotated = LocalKeyRing::new(&keys(2, &[1]), random.clone());
        let unwrapped = rotated.unwrap(data.wrapped()).await.unwrap();
        assert_eq!(unwrapped.open(&sealed, "x").unwrap(), b"secret");
        let fresh = rotated.generate().await.unwrap();
        assert_ne!(fresh.wrapped()[..ID_BYTES], data.wrapped()[..ID_BYTES]);
        let forgotten = LocalKeyRing::new(&keys(2, &[]), random.clone());
        assert!(forgotten.unwrap(data.wrapped()).await.is_err());
        assert!(forgotten.unwrap(b"short").await.is_err());
        assert!(LocalKeyRing::ephemeral(random)
            .unwrap(fresh.wrapped())
            .await
            .is_err());
    }
}
