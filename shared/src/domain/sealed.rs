//! Secrets at rest (DESIGN.md §9): envelope encryption. A value is sealed
//! with AES-256-GCM under a data key, and the data key travels with it
//! wrapped by a master key the store never holds (a KMS key in AWS), so a
//! copy of the table opens nothing. Pure: data keys and nonces come in
//! (`sealing::Sealer` gets them through the `KeyRing` and `Random` ports).

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use base64::engine::general_purpose::{STANDARD, URL_SAFE_NO_PAD};
use base64::Engine;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

/// Bytes of a data key and of a master key (AES-256).
pub const KEY_BYTES: usize = 32;
/// Bytes of an AES-GCM nonce: random for every value sealed.
pub const NONCE_BYTES: usize = 12;

/// A data key: the AES-256 key that seals, and the same key wrapped by the
/// master key (kept beside every value it seals, so whoever may unwrap it can open them).
#[derive(Clone)]
pub struct DataKey {
    cipher: Aes256Gcm,
    wrapped: Arc<[u8]>,
}

impl DataKey {
    pub fn new(plaintext: &[u8], wrapped: Vec<u8>) -> Result<Self, String> {
        let cipher = Aes256Gcm::new_from_slice(plaintext)
            .map_err(|_| format!("a data key must be {KEY_BYTES} bytes"))?;
        Ok(Self {
            cipher,
            wrapped: wrapped.into(),
        })
    }

    pub fn wrapped(&self) -> &[u8] {
        &self.wrapped
    }

    /// `plaintext` sealed under this key with `nonce`, bound to `context`
    /// (what it belongs to: a sealed value moved to another item does not open).
    pub fn seal(&self, plaintext: &[u8], nonce: [u8; NONCE_BYTES], context: &str) -> Sealed {
        let aad = associated(context);
        let payload = Payload {
            msg: plaintext,
            aad: &aad,
        };
        // AES-GCM refuses only inputs of more than 64 GiB.
        let ciphertext = self
            .cipher
            .encrypt(Nonce::from_slice(&nonce), payload)
            .unwrap_or_default();
        Sealed {
            wrapped: self.wrapped.to_vec(),
            nonce,
            ciphertext,
        }
    }

    /// What `sealed` holds, if it was sealed under this key for `context`
    /// and not changed since.
    pub fn open(&self, sealed: &Sealed, context: &str) -> Result<Vec<u8>, String> {
        let aad = associated(context);
        let payload = Payload {
            msg: &sealed.ciphertext,
            aad: &aad,
        };
        self.cipher
            .decrypt(Nonce::from_slice(&sealed.nonce), payload)
            .map_err(|_| format!("a sealed value of {context} does not open: changed, or moved from another item"))
    }
}

impl fmt::Debug for DataKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("DataKey(****)")
    }
}

/// The format's version is part of what is authenticated.
fn associated(context: &str) -> Vec<u8> {
    format!("hookrelay:{}:{context}", Sealed::VERSION).into_bytes()
}

/// A sealed value as stored: `sealed:v1:{wrapped data key}:{nonce}:{ciphertext}`,
/// each part base64url without padding. `v1` is AES-256-GCM with a 96-bit
/// random nonce; the wrapped key is whatever the key ring made (a KMS
/// ciphertext blob, or a local master key's wrapping).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Sealed {
    wrapped: Vec<u8>,
    nonce: [u8; NONCE_BYTES],
    ciphertext: Vec<u8>,
}

impl Sealed {
    pub const PREFIX: &'static str = "sealed:";
    const VERSION: &'static str = "v1";

    /// Whether `text` is a sealed value (else it is a secret stored in the
    /// clear, by a version before sealing).
    pub fn is_sealed(text: &str) -> bool {
        text.starts_with(Self::PREFIX)
    }

    pub fn parse(text: &str) -> Result<Self, String> {
        let bad = || "not a sealed value (`sealed:v1:KEY:NONCE:CIPHERTEXT`)".to_owned();
        let rest = text.strip_prefix(Self::PREFIX).ok_or_else(bad)?;
        let mut parts = rest.split(':');
        let version = parts.next().ok_or_else(bad)?;
        if version != Self::VERSION {
            return Err(format!(
                "sealed with format `{version}`, which this version cannot open"
            ));
        }
        let mut decoded = || {
            parts
                .next()
                .and_then(|part| URL_SAFE_NO_PAD.decode(part).ok())
                .ok_or_else(bad)
        };
        let (wrapped, nonce, ciphertext) = (decoded()?, decoded()?, decoded()?);
        Ok(Self {
            wrapped,
            nonce: nonce.try_into().map_err(|_| bad())?,
            ciphertext,
        })
    }

    /// The data key it was sealed under, wrapped.
    pub fn wrapped_key(&self) -> &[u8] {
        &self.wrapped
    }
}

impl fmt::Display for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}:{}:{}:{}",
            Self::PREFIX,
            Self::VERSION,
            URL_SAFE_NO_PAD.encode(&self.wrapped),
            URL_SAFE_NO_PAD.encode(self.nonce),
            URL_SAFE_NO_PAD.encode(&self.ciphertext)
        )
    }
}

impl fmt::Debug for Sealed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Sealed({} bytes)", self.ciphertext.len())
    }
}

text_type!(Sealed);

/// Master keys held by the process (local mode without KMS): the one that
/// wraps new data keys, and earlier ones that still unwrap what they wrapped.
#[derive(Clone, PartialEq, Eq)]
pub struct MasterKeys {
    pub current: [u8; KEY_BYTES],
    pub previous: Vec<[u8; KEY_BYTES]>,
}

impl MasterKeys {
    /// `current` and the comma-separated `previous`, each the base64 of 32 bytes.
    pub fn parse(current: &str, previous: Option<&str>) -> Result<Self, String> {
        let key = |text: &str| -> Result<[u8; KEY_BYTES], String> {
            STANDARD
                .decode(text.trim())
                .ok()
                .and_then(|bytes| bytes.try_into().ok())
                .ok_or_else(|| format!("must be the base64 of {KEY_BYTES} random bytes (e.g. `openssl rand -base64 32`)"))
        };
        let previous = previous
            .unwrap_or_default()
            .split(',')
            .filter(|t| !t.trim().is_empty())
            .map(key)
            .collect::<Result<_, _>>()?;
        Ok(Self {
            current: key(current)?,
            previous,
        })
    }

    /// A short public name of `key`, stored with what it wraps: it says
    /// which master key unwraps a data key, never the key itself.
    pub fn id(key: &[u8; KEY_BYTES]) -> [u8; 8] {
        let digest = Sha256::new()
            .chain_update(b"hookrelay master key id:")
            .chain_update(key)
            .finalize();
        let mut id = [0u8; 8];
        id.copy_from_slice(&digest[..8]);
        id
    }
}

impl fmt::Debug for MasterKeys {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "MasterKeys(1 + {} previous, ****)", self.previous.len())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(byte: u8) -> DataKey {
        DataKey::new(&[byte; KEY_BYTES], vec![9, 9, byte]).unwrap()
    }

    #[test]
    fn a_sealed_value_opens_with_its_key_and_context_only() {
        let sealed = key(1).seal(b"whsec_secret", [3; NONCE_BYTES], "webhook:a");
        let text = sealed.to_string();
        assert!(Sealed::is_sealed(&text) && text.starts_with("sealed:v1:"));
        assert!(!text.contains("whsec_secret"));
        let read = Sealed::parse(&text).unwrap();
        assert_eq!(read, sealed);
        assert_eq!(read.wrapped_key(), &[9, 9, 1]);
        assert_eq!(key(1).open(&read, "webhook:a").unwrap(), b"whsec_secret");
        assert!(key(2).open(&read, "webhook:a").is_err(), "another key");
        assert!(key(1).open(&read, "webhook:b").is_err(), "another item");
        let mut tampered = read.clone();
        tampered.ciphertext[0] ^= 1;
        assert!(key(1).open(&tampered, "webhook:a").is_err());
    }

    #[test]
    fn only_the_known_format_parses() {
        assert!(!Sealed::is_sealed("whsec_abc"));
        for bad in [
            "sealed:",
            "sealed:v2:AA:AAAAAAAAAAAAAAAA:AA",
            "sealed:v1:AA:AAAA:AA",
            "sealed:v1:AA:AAAAAAAAAAAAAAAA",
            "sealed:v1:A!:AAAAAAAAAAAAAAAA:AA",
        ] {
            assert!(Sealed::parse(bad).is_err(), "{bad}");
        }
        assert!(DataKey::new(&[0; 16], vec![]).is_err());
    }

    #[test]
    fn master_keys_are_base64_of_32_bytes_and_never_shown() {
        let one = STANDARD.encode([1u8; KEY_BYTES]);
        let two = STANDARD.encode([2u8; KEY_BYTES]);
        let keys = MasterKeys::parse(&one, Some(&format!("{two}, "))).unwrap();
        assert_eq!((keys.current, keys.previous.len()), ([1; KEY_BYTES], 1));
        assert!(!format!("{keys:?}").contains(&one));
        assert!(MasterKeys::parse("c2hvcnQ=", None).is_err());
        assert!(MasterKeys::parse(&one, Some("nope")).is_err());
        assert_ne!(MasterKeys::id(&[1; 32]), MasterKeys::id(&[2; 32]));
    }
}
