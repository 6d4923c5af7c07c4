//! Background tasks (`domain::task`): one item each, `TASK#{account}#{task}`
//! / `TASK`, listed by the sweeper with the pending deliveries (gsi4 `P#`,
//! by sweep time, `step` projected). A step's claim, advance and sweep are
//! one conditional UpdateItem each, as `Task::admits` and `Task::apply` say.

use super::keys::{decode, encode, n, s, sweep_entry, with_key, Item};
use super::sdk::{no_item, unavailable, write_error};
use super::DynamoStore;
use crate::domain::ids::{AccountId, TaskId};
use crate::domain::task::{Task, TaskChange};
use crate::domain::time::Timestamp;
use crate::ports::store::{Changed, StoreError, TaskStore};
use async_trait::async_trait;
use aws_sdk_dynamodb::operation::update_item::UpdateItemError;
use aws_sdk_dynamodb::types::{ReturnValue, ReturnValuesOnConditionCheckFailure};
use std::collections::HashMap;

pub fn task_pk(account: AccountId, id: TaskId) -> String {
    format!("TASK#{account}#{id}")
}

fn task_key(account: AccountId, id: TaskId) -> Item {
    HashMap::from([
        ("pk".to_owned(), s(task_pk(account, id))),
        ("sk".to_owned(), s("TASK")),
    ])
}

fn task_item(task: &Task) -> Result<Item, StoreError> {
    let mut item = with_key(encode(task)?, task_pk(task.account_id, task.id), "TASK");
    let (pk, sk) = sweep_entry(task.id.spread(), task.sweep_at, &task.id.to_string());
    item.insert("gsi4pk".into(), s(pk));
    item.insert("gsi4sk".into(), s(sk));
    Ok(item)
}

/// The UpdateItem of `change` to step `step` at `now`, and its condition.
fn update(id: TaskId, change: &TaskChange, step: u32, now: Timestamp) -> (String, String, Item) {
    let sweep_at = change.sweep_at(now);
    let (_, sweep_sk) = sweep_entry(id.spread(), sweep_at, &id.to_string());
    let mut values = HashMap::from([
        (":step".to_owned(), n(step)),
        (":sweep".to_owned(), s(sweep_at.to_string())),
        (":g4s".to_owned(), s(sweep_sk)),
    ]);
    let mut condition = "step = :step".to_owned();
    let set = "sweep_at = :sweep, gsi4sk = :g4s";
    let expression = match change {
        TaskChange::Claimed { lease_until } => {
            values.insert(":lease".into(), s(lease_until.to_string()));
            values.insert(":now".into(), s(now.to_string()));
            values.insert(":one".into(), n(1));
            values.insert(":zero".into(), n(0));
            condition.push_str(" AND (attribute_not_exists(lease_until) OR lease_until <= :now)");
            format!("SET {set}, lease_until = :lease, tries = if_not_exists(tries, :zero) + :one")
        }
        TaskChange::Advanced { cursor, .. } => {
            values.insert(":one".into(), n(1));
            values.insert(":zero".into(), n(0));
            match cursor {
                Some(cursor) => {
                    values.insert(":cursor".into(), s(cursor.clone()));
                    format!("SET {set}, step = step + :one, tries = :zero, #cursor = :cursor REMOVE lease_until")
                }
                None => format!(
                    "SET {set}, step = step + :one, tries = :zero REMOVE lease_until, #cursor"
                ),
            }
        }
        TaskChange::Swept => format!("SET {set}"),
    };
    (expression, condition, values)
}

#[async_trait]
impl TaskStore for DynamoStore {
    async fn insert_task(&self, task: &Task) -> Result<(), StoreError> {
        self.put_if(task_item(task)?, "attribute_not_exists(pk)", None)
            .await
    }

    async fn change_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
        change: &TaskChange,
        now: Timestamp,
    ) -> Result<Changed<Task>, StoreError> {
        let (expression, condition, values) = update(id, change, step, now);
        let mut request = self
            .client
            .update_item()
            .table_name(&self.table)
            .set_key(Some(task_key(account, id)))
            .update_expression(expression)
            .condition_expression(condition)
            .set_expression_attribute_values(Some(values))
            .return_values(ReturnValue::AllNew)
            .return_values_on_condition_check_failure(ReturnValuesOnConditionCheckFailure::AllOld);
        if matches!(change, TaskChange::Advanced { .. }) {
            request = request.expression_attribute_names("#cursor", "cursor");
        }
        match request.send().await {
            Ok(out) => Ok(Changed::Applied(decode(
                out.attributes.ok_or_else(no_item)?,
            )?)),
            Err(err) => match err.as_service_error() {
                Some(UpdateItemError::ConditionalCheckFailedException(refused)) => {
                    let found: Option<Task> = refused.item.clone().map(decode).transpose()?;
                    Ok(Changed::Refused(found))
                }
                _ => Err(unavailable(err)),
            },
        }
    }

    async fn finish_task(
        &self,
        account: AccountId,
        id: TaskId,
        step: u32,
    ) -> Result<(), StoreError> {
        let deleted = self
            .client
            .delete_item()
            .table_name(&self.table)
            .set_key(Some(task_key(account, id)))
            .condition_expression("step = :step")
            .expression_attribute_values(":step", n(step))
            .send()
            .await;
        match deleted.map_err(write_error) {
            // Moved on (another worker took it further) or gone: not ours to end.
            Ok(_) | Err(StoreError::Conflict) => Ok(()),
            Err(err) => Err(err),
        }
    }
}
