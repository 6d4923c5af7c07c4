//! Creating the table where nothing else does (local mode and tests;
//! deployments get it from template.yaml, which must define the same).

use super::costs::{Projected, INDEXES};
use super::sdk::unavailable;
use super::DynamoStore;
use crate::ports::store::StoreError;
use aws_sdk_dynamodb::error::BuildError;
use aws_sdk_dynamodb::types::{
    AttributeDefinition, BillingMode, GlobalSecondaryIndex, KeySchemaElement, KeyType, Projection,
    ProjectionType, ScalarAttributeType, TableStatus, TimeToLiveSpecification,
};
use std::time::Duration;

/// The TTL attribute (epoch seconds) of expiring items.
pub const TTL_ATTRIBUTE: &str = "expires_at";

fn key(name: &str, kind: KeyType) -> Result<KeySchemaElement, BuildError> {
    KeySchemaElement::builder()
        .attribute_name(name)
        .key_type(kind)
        .build()
}

/// Each index and what it projects: webhooks whole (few, rarely written),
/// deliveries by key only (gsi4 also `attempts`, for the sweeper).
fn indexes() -> Result<Vec<GlobalSecondaryIndex>, BuildError> {
    let projection = |kind, extra: &[&str]| {
        Projection::builder()
            .projection_type(kind)
            .set_non_key_attributes(
                (!extra.is_empty()).then(|| extra.iter().map(|a| (*a).to_owned()).collect()),
            )
            .build()
    };
    INDEXES
        .into_iter()
        .map(|(index, projected)| {
            let projection = match projected {
                Projected::All => projection(ProjectionType::All, &[]),
                Projected::KeysOnly => projection(ProjectionType::KeysOnly, &[]),
                Projected::Include(extra) => projection(ProjectionType::Include, extra),
            };
            GlobalSecondaryIndex::builder()
                .index_name(index)
                .key_schema(key(&format!("{index}pk"), KeyType::Hash)?)
                .key_schema(key(&format!("{index}sk"), KeyType::Range)?)
                .projection(projection)
                .build()
        })
        .collect()
}

fn attributes() -> Result<Vec<AttributeDefinition>, BuildError> {
    [
        "pk", "sk", "gsi1pk", "gsi1sk", "gsi3pk", "gsi3sk", "gsi4pk", "gsi4sk",
    ]
    .into_iter()
    .map(|name| {
        AttributeDefinition::builder()
            .attribute_name(name)
            .attribute_type(ScalarAttributeType::S)
            .build()
    })
    .collect()
}

impl DynamoStore {
    /// Creates the table with its indexes and TTL if it does not exist.
    pub async fn ensure_table(&self) -> Result<(), StoreError> {
        match self
            .client
            .describe_table()
            .table_name(&self.table)
            .send()
            .await
        {
            Ok(_) => return Ok(()),
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_not_found_exception()) => {}
            Err(err) => return Err(unavailable(err)),
        }
        let built = (|| {
            Ok::<_, BuildError>((
                vec![key("pk", KeyType::Hash)?, key("sk", KeyType::Range)?],
                attributes()?,
                indexes()?,
                TimeToLiveSpecification::builder()
                    .attribute_name(TTL_ATTRIBUTE)
                    .enabled(true)
                    .build()?,
            ))
        })();
        let (keys, attributes, indexes, ttl) =
            built.map_err(|e| StoreError::Unavailable(format!("table definition: {e}")))?;
        let created = self
            .client
            .create_table()
            .table_name(&self.table)
            .billing_mode(BillingMode::PayPerRequest)
            .set_key_schema(Some(keys))
            .set_attribute_definitions(Some(attributes))
            .set_global_secondary_indexes(Some(indexes))
            .send()
            .await;
        match created {
            Ok(_) => {}
            // Another process created it first.
            Err(err)
                if err
                    .as_service_error()
                    .is_some_and(|e| e.is_resource_in_use_exception()) => {}
            Err(err) => return Err(unavailable(err)),
        }
        self.wait_until_active().await?;
        self.client
            .update_time_to_live()
            .table_name(&self.table)
            .time_to_live_specification(ttl)
            .send()
            .await
            .map_err(unavailable)?;
        Ok(())
    }

    async fn wait_until_active(&self) -> Result<(), StoreError> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(120);
        loop {
            let table = self
                .client
                .describe_table()
                .table_name(&self.table)
                .send()
                .await
                .map_err(unavailable)?;
            if table.table().and_then(|t| t.table_status()) == Some(&TableStatus::Active) {
                return Ok(());
            }
            if tokio::time::Instant::now() > deadline {
                return Err(StoreError::Unavailable(format!(
                    "table {} did not become active",
                    self.table
                )));
            }
            tokio::time::sleep(Duration::from_millis(500)).await;
        }
    }
}
