//! A delivery `Change` as one UpdateItem: its `Effects` as SET/REMOVE
//! clauses, and `Delivery::admits` as the condition.

use super::keys::*;
use crate::domain::delivery::{Attempt, Change, DeliveryStatus, Effects, Field, KEPT_ATTEMPTS};
use crate::domain::ids::{AccountId, DeliveryId};
use crate::domain::time::Timestamp;
use crate::ports::store::*;
use aws_sdk_dynamodb::types::AttributeValue;
use std::collections::HashMap;

/// One UpdateItem expression for `effects`, as names and values.
pub(super) struct Update {
    set: Vec<String>,
    remove: Vec<String>,
    pub(super) values: Item,
}

impl Update {
    pub(super) fn of(
        account: AccountId,
        id: DeliveryId,
        effects: &Effects,
        attempts: u32,
    ) -> Result<Self, StoreError> {
        let mut update = Self {
            set: vec!["updated_at = :u".into(), "version = version + :one".into()],
            remove: Vec::new(),
            values: HashMap::from([
                (":u".to_owned(), s(effects.updated_at.to_string())),
                (":one".to_owned(), n(1)),
            ]),
        };
        if let Some(status) = effects.status {
            update.assign("#st", ":st", s(status.as_str()));
        }
        if let Some((code, total, attempt)) = &effects.attempted {
            update.assign("code", ":code", n(code));
            update.assign("attempts", ":n1", n(total));
            update.log(attempt, attempts)?;
        }
        update.field("next_attempt_at", effects.next_attempt_at)?;
        update.field("lease_until", effects.lease_until)?;
        update.field("sweep_at", effects.sweep_at)?;
        update.field("wake", effects.wake)?;
        update.field("held_slot", effects.held_slot)?;
        update.field("failure_reason", effects.failure_reason)?;
        update.field("sent_body", effects.sent_body.clone())?;
        update.index_keys(account, id, effects);
        Ok(update)
    }

    /// The log is a ring of the last KEPT_ATTEMPTS: append until full, then
    /// overwrite the oldest slot (the view orders by time).
    fn log(&mut self, attempt: &Attempt, attempts: u32) -> Result<(), StoreError> {
        let logged = attribute(attempt)?;
        let kept = u32::try_from(KEPT_ATTEMPTS).unwrap_or(u32::MAX);
        if attempts < kept {
            self.set
                .push("attempt_log = list_append(if_not_exists(attempt_log, :none), :log)".into());
            self.values
                .insert(":none".into(), AttributeValue::L(Vec::new()));
            self.values
                .insert(":log".into(), AttributeValue::L(vec![logged]));
        } else {
            self.set
                .push(format!("attempt_log[{}] = :log", attempts % kept));
            self.values.insert(":log".into(), logged);
        }
        Ok(())
    }

    /// gsi4's keys follow the status and the sweep time (or the feed it is
    /// put back in); a change that keeps both (a claim) leaves the index
    /// entry alone.
    fn index_keys(&mut self, account: AccountId, id: DeliveryId, effects: &Effects) {
        let Some(keys) = gsi4_after(account, id, effects) else {
            return;
        };
        match keys {
            Some((pk, sk)) => {
                self.assign("gsi4pk", ":g4p", s(pk));
                self.assign("gsi4sk", ":g4s", s(sk));
            }
            None => self.remove.extend(["gsi4pk".into(), "gsi4sk".into()]),
        }
    }

    fn assign(&mut self, name: &str, placeholder: &str, value: AttributeValue) {
        self.set.push(format!("{name} = {placeholder}"));
        self.values.insert(placeholder.to_owned(), value);
    }

    fn field<T: serde::Serialize>(
        &mut self,
        name: &str,
        field: Field<T>,
    ) -> Result<(), StoreError> {
        match field {
            Field::Keep => {}
            Field::Set(value) => self.assign(name, &format!(":{name}"), attribute(&value)?),
            Field::Clear => self.remove.push(name.to_owned()),
        }
        Ok(())
    }

    /// The condition of `change` expecting `attempts` made, at `now`
    /// (`Delivery::admits`, as an expression).
    pub(super) fn condition(
        &mut self,
        account: AccountId,
        change: &Change,
        attempts: u32,
        now: Timestamp,
    ) -> String {
        let mut placeholders = Vec::new();
        for (i, status) in change.allowed_from().iter().enumerate() {
            let name = format!(":from{i}");
            self.values.insert(name.clone(), s(status.as_str()));
            placeholders.push(name);
        }
        self.values.insert(":n".into(), n(attempts));
        self.values.insert(":a".into(), s(account.to_string()));
        let mut condition = format!(
            "attempts = :n AND account_id = :a AND #st IN ({})",
            placeholders.join(", ")
        );
        if matches!(change, Change::Claimed { .. }) {
            self.values.insert(":now".into(), s(now.to_string()));
            self.values
                .insert(":dispatched".into(), s(DeliveryStatus::Dispatched.as_str()));
            condition.push_str(
                " AND (#st <> :dispatched OR attribute_not_exists(lease_until) OR lease_until <= :now) \
                 AND (attribute_not_exists(next_attempt_at) OR next_attempt_at <= :now)",
            );
        }
        if let Some(webhook) = change.webhook() {
            self.values.insert(":w".into(), s(webhook.to_string()));
            condition.push_str(" AND webhook_id = :w");
        }
        if let Some(since) = change.unchanged_since() {
            // Fixed-width time text: text order is time order.
            self.values.insert(":since".into(), s(since.to_string()));
            condition.push_str(" AND updated_at < :since");
        }
        condition
    }

    pub(super) fn expression(&self) -> String {
        let mut text = format!("SET {}", self.set.join(", "));
        if !self.remove.is_empty() {
            text.push_str(&format!(" REMOVE {}", self.remove.join(", ")));
        }
        text
    }
}

/// gsi4's keys after `effects` (`None` inside: no entry); `None` when they
/// leave it as it is.
fn gsi4_after(
    account: AccountId,
    id: DeliveryId,
    effects: &Effects,
) -> Option<Option<(String, String)>> {
    if let (Some(webhook), Field::Set(at)) = (effects.feed, effects.next_attempt_at) {
        return Some(Some(feed_entry(webhook, id, at)));
    }
    let sweep_at = match effects.sweep_at {
        Field::Keep if !effects.status.is_some_and(DeliveryStatus::is_final) => return None,
        Field::Set(at) => Some(at),
        Field::Keep | Field::Clear => None,
    };
    let wake = match effects.wake {
        Field::Set(bucket) => Some(bucket),
        Field::Keep | Field::Clear => None,
    };
    // The sweeper's touch keeps a pending status.
    let status = effects.status.unwrap_or(DeliveryStatus::Scheduled);
    Some(gsi4_keys(account, id, status, sweep_at, wake))
}
