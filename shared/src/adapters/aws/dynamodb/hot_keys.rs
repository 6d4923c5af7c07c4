//! Which delivery rate the layout's hottest keys allow. DynamoDB takes about
//! 1,000 write units/s and 3,000 read units/s per partition-key value, on
//! the table and on every index alike. From a replay (the units each key
//! took, the deliveries of each scope), each family of keys
//! (`KEY_FAMILIES`) gets its units per delivery of its scope (all
//! deliveries for keys shared by all, one account's, one webhook's); spread
//! over the family's shards that is the load on each key at scale, and the
//! delivery rate at which it reaches a limit.

pub use super::keys::{KeyFamily, Spread, KEY_FAMILIES};
use super::replay::{Replay, Units};
use std::collections::BTreeMap;

pub const WRITE_UNITS_PER_KEY: f64 = 1_000.0;
pub const READ_UNITS_PER_KEY: f64 = 3_000.0;

/// Whose load a key carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Class {
    /// Every account's (no account or webhook in the key).
    Shared,
    /// One account's.
    Account,
    /// One webhook's.
    Webhook,
    /// One event's, API key's or idempotency key's (`Spread::PerEntity`).
    PerEntity,
    /// A key no family of the layout matches.
    Unlisted,
}

/// One family's load in one scope.
#[derive(Clone, Debug)]
pub struct FamilyLoad {
    pub class: Class,
    /// `None`: the table.
    pub index: Option<&'static str>,
    /// The family's pattern (an unlisted key: the key).
    pub family: String,
    pub shards: u16,
    pub spread: Spread,
    /// The account or webhook id (`None` for the other classes).
    pub scope: Option<String>,
    pub deliveries: u64,
    /// The whole family's units per delivery of the scope.
    pub per_delivery: Units,
    /// The busiest key seen, and its units per delivery of the scope.
    pub busiest: String,
    pub busiest_per_delivery: Units,
}

/// Deliveries/s at which a key taking `per_delivery` units reaches a limit.
pub fn limit_rate(per_delivery: Units) -> f64 {
    let rate = |limit: f64, units: f64| {
        if units > 0.0 {
            limit / units
        } else {
            f64::INFINITY
        }
    };
    rate(WRITE_UNITS_PER_KEY, per_delivery.write).min(rate(READ_UNITS_PER_KEY, per_delivery.read))
}

impl FamilyLoad {
    /// Units per delivery on each shard, the load spread evenly at scale.
    pub fn per_shard(&self) -> Units {
        let shards = f64::from(self.shards.max(1));
        Units {
            write: self.per_delivery.write / shards,
            read: self.per_delivery.read / shards,
        }
    }

    /// The scope's deliveries/s at which each shard reaches a limit. Keys
    /// added as the rate grows (`Spread::PerRate`) never reach it if each
    /// takes its share within the limit.
    pub fn rate_per_shard(&self) -> f64 {
        let per_key = self.per_shard();
        match self.spread {
            Spread::PerRate(rate) if limit_rate(per_key) >= f64::from(rate) => f64::INFINITY,
            _ => limit_rate(per_key),
        }
    }

    /// The same for the busiest key seen (noisy in a small workload).
    pub fn rate_busiest(&self) -> f64 {
        limit_rate(self.busiest_per_delivery)
    }
}

/// The family `pk` belongs to, and the values of its placeholders.
pub fn family_of(pk: &str) -> Option<(&'static KeyFamily, Vec<(&'static str, String)>)> {
    let parts: Vec<&str> = pk.split('#').collect();
    KEY_FAMILIES.iter().find_map(|family| {
        let pattern: Vec<&'static str> = family.pattern.split('#').collect();
        if pattern.len() != parts.len() {
            return None;
        }
        let mut values = Vec::new();
        for (expected, part) in pattern.into_iter().zip(&parts) {
            if expected.starts_with('{') && !part.is_empty() {
                values.push((expected, (*part).to_owned()));
            } else if expected != *part {
                return None;
            }
        }
        Some((family, values))
    })
}

fn class_of(family: &KeyFamily) -> Class {
    let has = |placeholder: &str| family.pattern.contains(placeholder);
    match family.spread {
        Spread::PerEntity => Class::PerEntity,
        _ if has("{webhook}") => Class::Webhook,
        _ if has("{account}") => Class::Account,
        _ => Class::Shared,
    }
}

type Group = (Class, Option<&'static str>, String, Spread, Option<String>);

/// The group a key's units go to.
fn group_of(index: Option<&'static str>, pk: &str) -> Group {
    let Some((family, values)) = family_of(pk) else {
        return (
            Class::Unlisted,
            index,
            pk.to_owned(),
            Spread::Shards(1),
            None,
        );
    };
    let class = class_of(family);
    let value = |name: &str| {
        values
            .iter()
            .find(|(p, _)| *p == name)
            .map(|(_, v)| v.clone())
    };
    let scope = match class {
        Class::Webhook => value("{webhook}"),
        Class::Account => value("{account}"),
        _ => None,
    };
    (
        class,
        index,
        family.pattern.to_owned(),
        family.spread,
        scope,
    )
}

/// Every family's load in every scope it was seen in.
pub fn family_loads(replay: &Replay) -> Vec<FamilyLoad> {
    let mut groups: BTreeMap<Group, Vec<(&str, Units)>> = BTreeMap::new();
    for (partition, units) in &replay.load {
        let group = group_of(partition.index, &partition.pk);
        groups
            .entry(group)
            .or_default()
            .push((&partition.pk, *units));
    }
    let deliveries = &replay.deliveries;
    groups
        .into_iter()
        .map(|((class, index, family, spread, scope), keys)| {
            let shards = match spread {
                Spread::Shards(n) => n,
                Spread::PerEntity | Spread::PerRate(_) => 1,
            };
            let count = match (class, &scope) {
                (Class::Webhook, Some(id)) => deliveries.by_webhook.get(id).copied(),
                (Class::Account, Some(id)) => deliveries.by_account.get(id).copied(),
                _ => Some(deliveries.total),
            }
            .unwrap_or(0);
            let mut total = Units::default();
            keys.iter().for_each(|(_, units)| total.add(*units));
            let busiest = keys
                .iter()
                .max_by(|a, b| busyness(a.1).total_cmp(&busyness(b.1)))
                .map(|(pk, units)| ((*pk).to_owned(), *units))
                .unwrap_or_default();
            FamilyLoad {
                class,
                index,
                family,
                shards,
                spread,
                scope,
                deliveries: count,
                per_delivery: total.per(count),
                busiest: busiest.0,
                busiest_per_delivery: busiest.1.per(count),
            }
        })
        .collect()
}

/// How close a key's units come to a limit (a share of it).
fn busyness(units: Units) -> f64 {
    (units.write / WRITE_UNITS_PER_KEY).max(units.read / READ_UNITS_PER_KEY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fall_into_their_families_with_scope_and_shard_count() {
        let (family, values) = family_of("D#0198-a#3").unwrap();
        assert_eq!(family.pattern, "D#{account}#{shard}");
        assert_eq!(
            values,
            vec![("{account}", "0198-a".into()), ("{shard}", "3".into())]
        );
        assert_eq!(
            family_of("ACCOUNT#x#WEBHOOKS").unwrap().0.pattern,
            "ACCOUNT#{account}#WEBHOOKS"
        );
        assert_eq!(
            family_of("ACCOUNT#x").unwrap().0.pattern,
            "ACCOUNT#{account}"
        );
        assert!(family_of("NOPE#x").is_none());
        let group = group_of(Some("gsi4"), "P#2");
        assert_eq!(
            (group.0, group.3, group.4),
            (Class::Shared, Spread::Shards(512), None)
        );
        let group = group_of(None, "SLOT#w1#0");
        assert_eq!((group.0, group.4), (Class::Webhook, Some("w1".into())));
        assert_eq!(group_of(None, "EVENT#e").0, Class::PerEntity);
    }

    #[test]
    fn a_key_reaches_its_limit_at_the_rate_its_busier_units_allow() {
        let units = |write, read| Units { write, read };
        assert_eq!(limit_rate(units(0.5, 0.0)), 2_000.0);
        assert_eq!(limit_rate(units(0.1, 1.5)), 2_000.0);
        assert!(limit_rate(units(0.0, 0.0)).is_infinite());
    }
}
