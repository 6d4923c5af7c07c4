//! What writes and reads cost: DynamoDB's on-demand write units for an item
//! written over another, index writes included, and where they land (the
//! table's partition key, each index's), from the item sizes and the index
//! layout (`INDEXES`, which provisioning also builds the table from); and
//! the read units of what a read returns.

use super::keys::{Item, GSI1, GSI3, GSI4};
use aws_sdk_dynamodb::types::AttributeValue;

/// What an index copies of an item besides its keys.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Projected {
    All,
    KeysOnly,
    Include(&'static [&'static str]),
}

/// Every global index: its name (keys `{name}pk`/`{name}sk`) and projection.
pub const INDEXES: [(&str, Projected); 3] = [
    (GSI1, Projected::KeysOnly),
    (GSI3, Projected::KeysOnly),
    (GSI4, Projected::Include(&["attempts", "step"])),
];

/// DynamoDB's size of a value, in bytes (names count separately).
fn value_size(value: &AttributeValue) -> usize {
    match value {
        AttributeValue::S(text) => text.len(),
        // About one byte per two significant digits, plus one.
        AttributeValue::N(number) => number.trim_start_matches('-').len().div_ceil(2) + 1,
        AttributeValue::B(bytes) => bytes.as_ref().len(),
        AttributeValue::Bool(_) | AttributeValue::Null(_) => 1,
        AttributeValue::L(items) => 3 + items.iter().map(|v| 1 + value_size(v)).sum::<usize>(),
        AttributeValue::M(map) => {
            3 + map
                .iter()
                .map(|(k, v)| 1 + k.len() + value_size(v))
                .sum::<usize>()
        }
        AttributeValue::Ss(set) => set.iter().map(String::len).sum(),
        AttributeValue::Ns(set) => set.iter().map(|n| n.len().div_ceil(2) + 1).sum(),
        _ => 0,
    }
}

/// An item's size: every attribute's name and value.
pub fn item_size(item: &Item) -> usize {
    item.iter().map(|(k, v)| k.len() + value_size(v)).sum()
}

fn units(bytes: usize) -> u64 {
    u64::try_from(bytes.div_ceil(1024).max(1)).unwrap_or(u64::MAX)
}

/// Write units of `item`'s own size (at least one): what a write whose
/// condition failed costs on its key.
pub fn item_write_units(item: Option<&Item>) -> u64 {
    units(item.map_or(0, item_size))
}

/// Read units of reading `bytes` (an item, or what one Query read): one per
/// 4 KB, at least one; half that when not strongly consistent.
pub fn read_units(bytes: usize, consistent: bool) -> f64 {
    let units = bytes.div_ceil(4096).max(1) as f64;
    if consistent {
        units
    } else {
        units / 2.0
    }
}

/// The projection of `index` (`None` when it is not in the layout).
pub fn projection(index: &str) -> Option<(&'static str, Projected)> {
    INDEXES.into_iter().find(|(name, _)| *name == index)
}

/// The entry `index` holds for `item`, if the item has its keys.
pub fn index_entry(item: &Item, index: &str, projected: Projected) -> Option<Item> {
    let (pk, sk) = (format!("{index}pk"), format!("{index}sk"));
    if !item.contains_key(&pk) || !item.contains_key(&sk) {
        return None;
    }
    Some(
        item.iter()
            .filter(|(name, _)| {
                let name = name.as_str();
                [pk.as_str(), sk.as_str(), "pk", "sk"].contains(&name)
                    || match projected {
                        Projected::All => true,
                        Projected::KeysOnly => false,
                        Projected::Include(extra) => extra.contains(&name),
                    }
            })
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    )
}

/// Write units that land on one partition key: `index` `None` is the table.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct WriteCharge {
    pub index: Option<&'static str>,
    pub pk: String,
    pub units: u64,
}

fn text(item: &Item, name: &str) -> String {
    match item.get(name) {
        Some(AttributeValue::S(value)) => value.clone(),
        _ => String::new(),
    }
}

/// Write units of one write and where they land: `before` the stored item
/// (`None`: a new one), `after` what is stored then (`None`: a delete).
pub fn write_charges(before: Option<&Item>, after: Option<&Item>) -> Vec<WriteCharge> {
    let size = |item: Option<&Item>| item.map_or(0, item_size);
    let pk = after.or(before).map(|i| text(i, "pk")).unwrap_or_default();
    let mut charges = vec![WriteCharge {
        index: None,
        pk,
        units: units(size(before).max(size(after))),
    }];
    for (index, projected) in INDEXES {
        let entry = |item: Option<&Item>| item.and_then(|i| index_entry(i, index, projected));
        let key_attr = format!("{index}pk");
        // An index entry costs like an item, with 100 bytes of overhead.
        let charge = |e: &Item| WriteCharge {
            index: Some(index),
            pk: text(e, &key_attr),
            units: units(item_size(e) + 100),
        };
        let key = |e: &Item| {
            (
                e.get(&key_attr).cloned(),
                e.get(&format!("{index}sk")).cloned(),
            )
        };
        match (entry(before), entry(after)) {
            (None, Some(new)) => charges.push(charge(&new)),
            (Some(old), None) => charges.push(charge(&old)),
            (Some(old), Some(new)) if key(&old) != key(&new) => {
                charges.extend([charge(&old), charge(&new)])
            }
            (Some(old), Some(new)) if old != new => charges.push(charge(&new)),
            _ => {}
        }
    }
    charges
}

/// Write units of one write: `before` the stored item (`None`: a new one),
/// `after` what is stored then (`None`: a delete).
pub fn write_units(before: Option<&Item>, after: Option<&Item>) -> u64 {
    write_charges(before, after).iter().map(|c| c.units).sum()
}

#[cfg(test)]
mod tests {
    use super::super::keys::s;
    use super::*;

    fn item(pairs: &[(&str, &str)]) -> Item {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), s(*v)))
            .collect()
    }

    #[test]
    fn a_key_change_costs_a_delete_and_a_put_and_an_unchanged_entry_nothing() {
        let base = [("pk", "D#a#0"), ("sk", "x")];
        let pending = item(&[base[0], base[1], ("gsi4pk", "P#0"), ("gsi4sk", "t1#x")]);
        let retried = item(&[base[0], base[1], ("gsi4pk", "P#0"), ("gsi4sk", "t2#x")]);
        let delivered = item(&[base[0], base[1], ("status", "delivered")]);
        assert_eq!(write_units(None, Some(&pending)), 2, "item + index put");
        assert_eq!(
            write_units(Some(&pending), Some(&retried)),
            3,
            "item + delete + put"
        );
        let on = |index, pk: &str, units| WriteCharge {
            index,
            pk: pk.into(),
            units,
        };
        assert_eq!(
            write_charges(Some(&pending), Some(&delivered)),
            vec![on(None, "D#a#0", 1), on(Some(GSI4), "P#0", 1)],
            "the item's units on its key, the entry's on the index's key"
        );
        assert_eq!(
            write_units(Some(&pending), Some(&delivered)),
            2,
            "item + index delete"
        );
        assert_eq!(
            write_units(Some(&delivered), Some(&delivered)),
            1,
            "item only"
        );
        let big = item(&[base[0], base[1], ("body", &"x".repeat(1500))]);
        assert_eq!(
            write_units(None, Some(&big)),
            2,
            "by the kilobyte, rounded up"
        );
    }
}
