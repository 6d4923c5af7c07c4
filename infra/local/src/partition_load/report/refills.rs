//! What warm senders' cache refills cost an account's keys.

use super::super::functions::Item;
use aws_sdk_dynamodb::types::AttributeValue;
use hookrelay::adapters::aws::costs::{item_size, read_units, write_charges};
use hookrelay::adapters::aws::hot_keys::{family_of, limit_rate};
use hookrelay::adapters::aws::replay::Units;
use std::collections::BTreeMap;

#[derive(Clone, Debug)]
pub struct Refills {
    pub account: String,
    pub webhooks: usize,
    pub per_minute: BTreeMap<(Option<&'static str>, String), Units>,
}

impl Refills {
    /// Warm senders at which the busiest family's key reaches a limit.
    pub fn senders_at_limit(&self) -> f64 {
        self.per_minute
            .values()
            .map(|u| limit_rate(*u) * 60.0)
            .fold(f64::INFINITY, f64::min)
    }
}

/// The refills of each account's webhooks, from their stored items (`id`).
pub fn refills<'a>(
    items: impl Iterator<Item = &'a Item> + Clone,
    accounts: &[(String, Vec<String>)],
) -> Vec<Refills> {
    let text = |item: &Item, name: &str| match item.get(name) {
        Some(AttributeValue::S(value)) => value.clone(),
        _ => String::new(),
    };
    let family = |pk: &str| family_of(pk).map_or(pk.to_owned(), |(f, _)| f.pattern.to_owned());
    accounts
        .iter()
        .map(|(account, webhooks)| {
            let mut per_minute: BTreeMap<(Option<&'static str>, String), Units> = BTreeMap::new();
            let stored = items.clone().filter(|i| webhooks.contains(&text(i, "id")));
            for webhook in stored {
                let read = read_units(item_size(webhook), true);
                let key = (None, family(&text(webhook, "pk")));
                per_minute
                    .entry(key)
                    .or_default()
                    .add(Units { write: 0.0, read });
                let mut noted = webhook.clone();
                noted.insert(
                    "last_delivery_at".into(),
                    AttributeValue::S("2000-01-01T00:00:00.000Z".into()),
                );
                noted.insert(
                    "last_delivery_status".into(),
                    AttributeValue::S("delivered".into()),
                );
                for charge in write_charges(Some(webhook), Some(&noted)) {
                    let write = charge.units as f64;
                    let entry = per_minute.entry((charge.index, family(&charge.pk)));
                    entry.or_default().add(Units { write, read: 0.0 });
                }
            }
            Refills {
                account: account.clone(),
                webhooks: webhooks.len(),
                per_minute,
            }
        })
        .collect()
}
