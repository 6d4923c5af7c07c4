//! The key ring on AWS KMS: `GenerateDataKey` makes a data key, `Decrypt`
//! unwraps one, both on the one key `KMS_KEY_ARN` names and under a fixed
//! encryption context (so a ciphertext from elsewhere is refused). The
//! `Sealer` calls them once per process per hour at most (`sealing`).

use crate::domain::sealed::DataKey;
use crate::ports::keys::{KeyError, KeyRing};
use async_trait::async_trait;
use aws_sdk_kms::error::{DisplayErrorContext, SdkError};
use aws_sdk_kms::primitives::Blob;
use aws_sdk_kms::types::DataKeySpec;
use aws_sdk_kms::Client;

/// Bound to every data key: KMS refuses to unwrap it under another context.
const CONTEXT: (&str, &str) = ("service", "hookrelay");

pub struct KmsKeyRing {
    client: Client,
    key_id: String,
}

impl KmsKeyRing {
    pub fn new(client: Client, key_id: impl Into<String>) -> Self {
        Self {
            client,
            key_id: key_id.into(),
        }
    }
}

fn unavailable<E, R>(err: SdkError<E, R>) -> KeyError
where
    E: std::error::Error + Send + Sync + 'static,
    R: std::fmt::Debug + Send + Sync + 'static,
{
    KeyError(format!("KMS: {}", DisplayErrorContext(&err)))
}

/// The data key KMS answered (its plaintext, and `wrapped`).
fn data_key(plaintext: Option<Blob>, wrapped: Vec<u8>) -> Result<DataKey, KeyError> {
    let plaintext = plaintext.ok_or_else(|| KeyError("KMS answered no plaintext key".into()))?;
    DataKey::new(plaintext.as_ref(), wrapped).map_err(KeyError)
}

#[async_trait]
impl KeyRing for KmsKeyRing {
    async fn generate(&self) -> Result<DataKey, KeyError> {
        let answer = self
            .client
            .generate_data_key()
            .key_id(&self.key_id)
            .key_spec(DataKeySpec::Aes256)
            .encryption_context(CONTEXT.0, CONTEXT.1)
            .send()
            .await
            .map_err(unavailable)?;
        let wrapped = answer
            .ciphertext_blob
            .ok_or_else(|| KeyError("KMS answered no wrapped key".into()))?;
        data_key(answer.plaintext, wrapped.into_inner())
    }

    async fn unwrap(&self, wrapped: &[u8]) -> Result<DataKey, KeyError> {
        let answer = self
            .client
            .decrypt()
            .key_id(&self.key_id)
            .ciphertext_blob(Blob::new(wrapped))
            .encryption_context(CONTEXT.0, CONTEXT.1)
            .send()
            .await
            .map_err(unavailable)?;
        data_key(answer.plaintext, wrapped.to_vec())
    }
}

/// The ARN of the key `alias/{name}`, made (with yearly rotation) if
/// missing: what the local runner's `--aws` mode uses when `KMS_KEY_ARN` is
/// unset, as it makes the table (the template makes the key in AWS).
pub async fn ensure_key(client: &Client, name: &str) -> Result<String, KeyError> {
    let alias = format!("alias/{}", name.replace('.', "-"));
    if let Some(arn) = key_arn(client, &alias).await? {
        return Ok(arn);
    }
    let made = client
        .create_key()
        .description(format!("hookrelay secrets at rest ({name})"))
        .send()
        .await
        .map_err(unavailable)?;
    let id = made
        .key_metadata
        .map(|m| m.key_id)
        .ok_or_else(|| KeyError("CreateKey answered no key".into()))?;
    client
        .enable_key_rotation()
        .key_id(&id)
        .send()
        .await
        .map_err(unavailable)?;
    // Another runner may have named its own key meanwhile: theirs is used.
    let _ = client
        .create_alias()
        .alias_name(&alias)
        .target_key_id(&id)
        .send()
        .await;
    key_arn(client, &alias)
        .await?
        .ok_or_else(|| KeyError(format!("{alias} was made and is not found")))
}

async fn key_arn(client: &Client, key: &str) -> Result<Option<String>, KeyError> {
    match client.describe_key().key_id(key).send().await {
        Ok(found) => Ok(found.key_metadata.and_then(|m| m.arn)),
        Err(err)
            if err
                .as_service_error()
                .is_some_and(|e| e.is_not_found_exception()) =>
        {
            Ok(None)
        }
        Err(err) => Err(unavailable(err)),
    }
}
