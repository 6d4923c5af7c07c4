//! What writes cost: DynamoDB's on-demand write units for an item written
//! over another, index writes included, from the item sizes and the index
//! layout (`INDEXES`, which provisioning also builds the table from).

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
    (GSI1, Projected::All),
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

/// The entry `index` holds for `item`, if the item has its keys.
fn index_entry(item: &Item, index: &str, projected: Projected) -> Option<Item> {
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

/// Write units of one write: `before` the stored item (`None`: a new one),
/// `after` what is stored then (`None`: a delete).
pub fn write_units(before: Option<&Item>, after: Option<&Item>) -> u64 {
    let size = |item: Option<&Item>| item.map_or(0, item_size);
    let mut total = units(size(before).max(size(after)));
    for (index, projected) in INDEXES {
        let entry = |item: Option<&Item>| item.and_then(|i| index_entry(i, index, projected));
        // An index entry costs like an item, with 100 bytes of overhead.
        let cost = |e: &Item| units(item_size(e) + 100);
        let key = |e: &Item| {
            (
                e.get(&format!("{index}pk")).cloned(),
                e.get(&format!("{index}sk")).cloned(),
            )
        };
        total += match (entry(before), entry(after)) {
            (None, None) => 0,
            (None, Some(new)) => cost(&new),
            (Some(old), None) => cost(&old),
            (Some(old), Some(new)) if key(&old) != key(&new) => cost(&old) + cost(&new),
            (Some(old), Some(new)) if old != new => cost(&new),
            (Some(_), Some(_)) => 0,
        };
    }
    total
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
