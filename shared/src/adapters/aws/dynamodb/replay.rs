//! Replays a recorded workload's DynamoDB calls against the key layout. A
//! shadow of the table, rebuilt from the calls (items as put, as deleted, and
//! as each UpdateItem returned them, `ALL_NEW`), gives every write its item
//! before and after; each call's units then land on the partition keys it
//! loads, the table's and each index's (`costs`). Needs a replayable
//! `CallLog`, whose writes are numbered in the order DynamoDB applied them.

use super::costs::{
    index_entry, item_size, item_write_units, projection, read_units, write_charges,
};
use super::keys::Item;
use crate::adapters::aws::calls::{wire_item, Answer, Call};
use aws_sdk_dynamodb::types::AttributeValue;
use serde_json::Value;
use std::collections::BTreeMap;

/// Read and write units.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Units {
    pub write: f64,
    pub read: f64,
}

impl Units {
    pub fn add(&mut self, other: Units) {
        self.write += other.write;
        self.read += other.read;
    }

    pub fn per(self, count: u64) -> Units {
        let count = count.max(1) as f64;
        Units {
            write: self.write / count,
            read: self.read / count,
        }
    }
}

/// A partition key of the table (`index` `None`) or of an index.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Partition {
    pub index: Option<&'static str>,
    pub pk: String,
}

/// Deliveries created while counting: their keys, and how many in all and
/// by account and webhook id.
#[derive(Clone, Debug, Default)]
pub struct Deliveries {
    pub keys: std::collections::BTreeSet<(String, String)>,
    pub total: u64,
    pub by_account: BTreeMap<String, u64>,
    pub by_webhook: BTreeMap<String, u64>,
}

/// The shadow table and the units each partition key took.
#[derive(Debug, Default)]
pub struct Replay {
    items: BTreeMap<(String, String), Item>,
    counting: bool,
    /// Origins whose calls are replayed but not charged (an API function's
    /// load follows its requests, not the deliveries).
    pub uncharged: Vec<&'static str>,
    pub load: BTreeMap<Partition, Units>,
    pub deliveries: Deliveries,
    /// Calls the replay could not account for (it is then incomplete).
    pub unreplayed: Vec<String>,
}

/// Attributes only a delivery item has (a delivery's encoding, not its keys).
const DELIVERY_MARKS: [&str; 2] = ["event_id", "attempt_log"];
/// Control-plane calls: no item is read or written.
const CONTROL: [&str; 3] = ["DescribeTable", "CreateTable", "UpdateTimeToLive"];

fn text(item: &Item, name: &str) -> String {
    match item.get(name) {
        Some(AttributeValue::S(value)) => value.clone(),
        _ => String::new(),
    }
}

fn key_of(item: &Item) -> (String, String) {
    (text(item, "pk"), text(item, "sk"))
}

fn consistent(spec: &Value) -> bool {
    spec["ConsistentRead"].as_bool().unwrap_or(false)
}

/// The partition key value a Query's key condition names.
fn queried_pk(request: &Value, pk_attr: &str) -> Option<String> {
    let expression = request["KeyConditionExpression"].as_str()?;
    expression.split(" AND ").find_map(|part| {
        let (left, right) = part.split_once('=')?;
        let left = left.trim();
        let name = request["ExpressionAttributeNames"][left]
            .as_str()
            .unwrap_or(left);
        let value = &request["ExpressionAttributeValues"][right.trim()]["S"];
        (name == pk_attr).then(|| value.as_str().map(str::to_owned))?
    })
}

impl Replay {
    pub fn new() -> Self {
        Self::default()
    }

    /// Applies `calls` (DynamoDB's, in the order they were answered; the
    /// others are left out). `count`: their units and deliveries count; a
    /// set-up only builds the shadow.
    pub fn apply(&mut self, calls: &[Call], count: bool) {
        let mut answered: Vec<(u64, &str, &Call, &Answer)> = Vec::new();
        for call in calls {
            let Some(op) = call.action.strip_prefix("dynamodb:") else {
                continue;
            };
            match call.answer.as_ref() {
                Some(answer @ Answer { order: Some(n), .. }) => {
                    answered.push((*n, op, call, answer))
                }
                _ if CONTROL.contains(&op) => {}
                _ => self
                    .unreplayed
                    .push(format!("{op} without a numbered answer")),
            }
        }
        answered.sort_by_key(|(n, ..)| *n);
        for (_, op, call, answer) in answered {
            let parse = |body: Option<&String>| {
                body.and_then(|b| serde_json::from_str::<Value>(b).ok())
                    .unwrap_or(Value::Null)
            };
            let (request, reply) = (parse(call.body.as_ref()), parse(answer.body.as_ref()));
            self.counting = count && !self.uncharged.contains(&call.origin);
            self.one(op, &request, answer.status, &reply);
        }
    }

    fn one(&mut self, op: &str, request: &Value, status: u16, reply: &Value) {
        if CONTROL.contains(&op) {
            return;
        }
        if status != 200 {
            return self.refused(op, request, reply);
        }
        match op {
            "PutItem" => {
                let item = wire_item(&request["Item"]);
                self.write(key_of(&item), Some(item), 1);
            }
            "UpdateItem" if reply["Attributes"].is_object() => {
                let after = wire_item(&reply["Attributes"]);
                self.write(key_of(&wire_item(&request["Key"])), Some(after), 1);
            }
            "DeleteItem" => self.write(key_of(&wire_item(&request["Key"])), None, 1),
            "BatchWriteItem" => self.batch_write(request, reply),
            "TransactWriteItems" => self.transact(request),
            "GetItem" => {
                let key = key_of(&wire_item(&request["Key"]));
                self.read_item(key, consistent(request));
            }
            "BatchGetItem" => self.batch_get(request, reply),
            "Query" => self.query(request, reply),
            other => self.unreplayed.push(format!("{other}: not replayed")),
        }
    }

    fn charge(&mut self, index: Option<&'static str>, pk: String, units: Units) {
        if self.counting {
            self.load
                .entry(Partition { index, pk })
                .or_default()
                .add(units);
        }
    }

    /// Stores `after` (`None`: deletes) at `key`, charging the write
    /// `factor` times (2 in a transaction).
    fn write(&mut self, key: (String, String), after: Option<Item>, factor: u64) {
        let before = self.items.get(&key).cloned();
        if before.is_none() && after.is_none() {
            // Deleting what is not there still costs a unit.
            let units = Units {
                write: factor as f64,
                read: 0.0,
            };
            return self.charge(None, key.0, units);
        }
        for charge in write_charges(before.as_ref(), after.as_ref()) {
            let write = (charge.units * factor) as f64;
            self.charge(charge.index, charge.pk, Units { write, read: 0.0 });
        }
        match after {
            Some(item) => {
                if before.is_none() && self.counting {
                    self.count_delivery(&item);
                }
                self.items.insert(key, item);
            }
            None => {
                self.items.remove(&key);
            }
        }
    }

    fn count_delivery(&mut self, item: &Item) {
        if !DELIVERY_MARKS.iter().all(|mark| item.contains_key(*mark)) {
            return;
        }
        let d = &mut self.deliveries;
        d.keys.insert(key_of(item));
        d.total += 1;
        *d.by_account.entry(text(item, "account_id")).or_default() += 1;
        if let Some(AttributeValue::S(webhook)) = item.get("webhook_id") {
            *d.by_webhook.entry(webhook.clone()).or_default() += 1;
        }
    }

    /// A write DynamoDB refused: a failed condition still costs the item's
    /// units (at least one) on its key; anything else was not expected.
    fn refused(&mut self, op: &str, request: &Value, reply: &Value) {
        let kind = reply["__type"].as_str().unwrap_or_default();
        let keys: Vec<(String, String)> = match op {
            "PutItem" => vec![key_of(&wire_item(&request["Item"]))],
            "UpdateItem" | "DeleteItem" => vec![key_of(&wire_item(&request["Key"]))],
            "TransactWriteItems" => transact_keys(request),
            _ => Vec::new(),
        };
        let factor = if op == "TransactWriteItems" { 2.0 } else { 1.0 };
        let conditional = kind.ends_with("ConditionalCheckFailedException")
            || kind.ends_with("TransactionCanceledException");
        if !conditional || keys.is_empty() {
            self.unreplayed.push(format!("{op} refused: {kind}"));
            return;
        }
        for key in keys {
            let write = factor * item_write_units(self.items.get(&key)) as f64;
            self.charge(None, key.0, Units { write, read: 0.0 });
        }
    }

    fn batch_write(&mut self, request: &Value, reply: &Value) {
        let tables = request["RequestItems"].as_object().into_iter().flatten();
        for (table, writes) in tables {
            let left = &reply["UnprocessedItems"][table];
            for write in writes.as_array().into_iter().flatten() {
                if left
                    .as_array()
                    .is_some_and(|l| l.iter().any(|w| w == write))
                {
                    continue;
                }
                if let Some(put) = write.get("PutRequest") {
                    let item = wire_item(&put["Item"]);
                    self.write(key_of(&item), Some(item), 1);
                } else if let Some(delete) = write.get("DeleteRequest") {
                    self.write(key_of(&wire_item(&delete["Key"])), None, 1);
                }
            }
        }
    }

    /// A transaction that went through: each write at twice the units.
    fn transact(&mut self, request: &Value) {
        for write in request["TransactItems"].as_array().into_iter().flatten() {
            if let Some(put) = write.get("Put") {
                let item = wire_item(&put["Item"]);
                self.write(key_of(&item), Some(item), 2);
            } else if let Some(delete) = write.get("Delete") {
                self.write(key_of(&wire_item(&delete["Key"])), None, 2);
            } else if write.get("Update").is_some() {
                self.unreplayed
                    .push("TransactWriteItems: an Update (no item returned)".into());
            }
        }
    }

    fn read_item(&mut self, key: (String, String), consistent: bool) {
        let size = self.items.get(&key).map_or(0, item_size);
        let read = read_units(size, consistent);
        self.charge(None, key.0, Units { write: 0.0, read });
    }

    fn batch_get(&mut self, request: &Value, reply: &Value) {
        let tables = request["RequestItems"].as_object().into_iter().flatten();
        for (table, spec) in tables {
            let left = &reply["UnprocessedKeys"][table]["Keys"];
            for key in spec["Keys"].as_array().into_iter().flatten() {
                if left.as_array().is_some_and(|l| l.contains(key)) {
                    continue;
                }
                self.read_item(key_of(&wire_item(key)), consistent(spec));
            }
        }
    }

    /// A Query reads, on the key it names, the entries it returns, each as
    /// the table or index holds it (there is no filter, so all are returned).
    fn query(&mut self, request: &Value, reply: &Value) {
        let index = match request["IndexName"].as_str() {
            Some(name) => match projection(name) {
                Some(found) => Some(found),
                None => return self.unreplayed.push(format!("Query on {name}")),
            },
            None => None,
        };
        let pk_attr = index.map_or_else(|| "pk".to_owned(), |(name, _)| format!("{name}pk"));
        let Some(pk) = queried_pk(request, &pk_attr) else {
            return self.unreplayed.push("Query without a key condition".into());
        };
        let bytes: usize = reply["Items"]
            .as_array()
            .into_iter()
            .flatten()
            .map(|returned| {
                let returned = wire_item(returned);
                let stored = self.items.get(&key_of(&returned));
                let entry = match (stored, index) {
                    (Some(item), Some((name, projected))) => index_entry(item, name, projected),
                    (stored, _) => stored.cloned(),
                };
                item_size(entry.as_ref().unwrap_or(&returned))
            })
            .sum();
        let read = read_units(bytes, consistent(request));
        self.charge(index.map(|(name, _)| name), pk, Units { write: 0.0, read });
    }

    /// Every item of the shadow table.
    pub fn items(&self) -> impl Iterator<Item = &Item> + Clone {
        self.items.values()
    }

    /// The deliveries created while counting that are still stored.
    pub fn counted_deliveries(&self) -> impl Iterator<Item = &Item> {
        let keys = self.deliveries.keys.iter();
        keys.filter_map(|key| self.items.get(key))
    }

    /// How the shadow differs from the items `stored` in the table: empty
    /// when the replay rebuilt every item exactly.
    pub fn differences(&self, stored: &[Item]) -> Vec<String> {
        let mut differences = Vec::new();
        let mut seen = std::collections::BTreeSet::new();
        for item in stored {
            let key = key_of(item);
            match self.items.get(&key) {
                Some(shadow) if shadow == item => {}
                Some(shadow) => {
                    differences.push(format!("{key:?}: replayed {shadow:?}, stored {item:?}"))
                }
                None => differences.push(format!("{key:?}: stored, not replayed")),
            }
            seen.insert(key);
        }
        for key in self.items.keys().filter(|k| !seen.contains(*k)) {
            differences.push(format!("{key:?}: replayed, not stored"));
        }
        differences
    }
}

fn transact_keys(request: &Value) -> Vec<(String, String)> {
    let writes = request["TransactItems"].as_array().into_iter().flatten();
    writes
        .filter_map(|w| match (w.get("Put"), w.get("Delete"), w.get("Update")) {
            (Some(put), ..) => Some(key_of(&wire_item(&put["Item"]))),
            (_, Some(other), _) | (_, _, Some(other)) => Some(key_of(&wire_item(&other["Key"]))),
            _ => None,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn units(replay: &Replay, index: Option<&'static str>, pk: &str) -> Units {
        let partition = Partition {
            index,
            pk: pk.into(),
        };
        replay.load.get(&partition).copied().unwrap_or_default()
    }

    /// A delivery's calls, listed out of order (the answers' numbers order
    /// them): put, update, a refused update, a query, a read, a delete.
    fn a_deliverys_calls() -> [Call; 6] {
        let key = json!({"pk": {"S": "D#a#0"}, "sk": {"S": "d1"}});
        let mut recorded = json!({"pk": {"S": "D#a#0"}, "sk": {"S": "d1"},
            "gsi3pk": {"S": "W#w"}, "gsi3sk": {"S": "d1"}, "gsi4pk": {"S": "P#0"}, "gsi4sk": {"S": "t#d1"},
            "account_id": {"S": "a"}, "webhook_id": {"S": "w"}, "event_id": {"S": "e"}, "attempt_log": {"L": []}});
        let put = json!({ "Item": recorded.clone() });
        let delivered = recorded.as_object_mut().unwrap();
        delivered.remove("gsi4pk");
        delivered.remove("gsi4sk");
        let refused =
            json!({"__type": "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException"});
        let query = json!({"IndexName": "gsi3", "KeyConditionExpression": "#pk = :p",
            "ExpressionAttributeNames": {"#pk": "gsi3pk"}, "ExpressionAttributeValues": {":p": {"S": "W#w"}}});
        let delete = json!({"RequestItems": {"t": [{"DeleteRequest": {"Key": key.clone()}}]}});
        [
            Call::answered(
                "UpdateItem",
                json!({"Key": key}),
                200,
                json!({"Attributes": recorded}),
                2,
            ),
            Call::answered("PutItem", put, 200, json!({}), 1),
            Call::answered("UpdateItem", json!({"Key": key}), 400, refused, 3),
            Call::answered("Query", query, 200, json!({"Items": [key]}), 4),
            Call::answered(
                "GetItem",
                json!({"Key": key, "ConsistentRead": true}),
                200,
                json!({}),
                5,
            ),
            Call::answered(
                "BatchWriteItem",
                delete,
                200,
                json!({"UnprocessedItems": {}}),
                6,
            ),
        ]
    }

    #[test]
    fn each_call_charges_the_keys_it_loads_in_the_order_writes_were_applied() {
        let calls = a_deliverys_calls();
        let mut replay = Replay::new();
        replay.apply(&calls, true);
        assert!(replay.unreplayed.is_empty(), "{:?}", replay.unreplayed);
        let on = |write, read| Units { write, read };
        assert_eq!(
            units(&replay, None, "D#a#0"),
            on(4.0, 1.0),
            "put, update, refused, delete; a read"
        );
        assert_eq!(
            units(&replay, Some("gsi3"), "W#w"),
            on(2.0, 0.5),
            "entry put, deleted; a query"
        );
        assert_eq!(
            units(&replay, Some("gsi4"), "P#0"),
            on(2.0, 0.0),
            "entry put, then removed"
        );
        assert_eq!(replay.deliveries.total, 1);
        assert_eq!(replay.deliveries.by_webhook.get("w"), Some(&1));
        assert!(
            replay.differences(&[]).is_empty(),
            "the delete left nothing"
        );
    }
}
