//! A small time-bounded cache: entries live `ttl` on the `Clock`'s time, and
//! at most `capacity` are kept; when full, expired ones go first, then
//! everything, so memory stays bounded.

use crate::domain::time::Timestamp;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Mutex;

pub struct TtlCache<K, V> {
    ttl_seconds: i64,
    capacity: usize,
    entries: Mutex<HashMap<K, (Timestamp, V)>>,
}

impl<K: Eq + Hash + Clone, V: Clone> TtlCache<K, V> {
    pub fn new(ttl_seconds: i64, capacity: usize) -> Self {
        Self {
            ttl_seconds,
            capacity,
            entries: Mutex::new(HashMap::new()),
        }
    }

    /// The value stored for `key` less than the TTL before `now`.
    pub fn get(&self, key: &K, now: Timestamp) -> Option<V> {
        let entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries
            .get(key)
            .filter(|(at, _)| at.plus_seconds(self.ttl_seconds) > now)
            .map(|(_, value)| value.clone())
    }

    pub fn put(&self, key: K, value: V, now: Timestamp) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        if entries.len() >= self.capacity && !entries.contains_key(&key) {
            let ttl = self.ttl_seconds;
            entries.retain(|_, (at, _)| at.plus_seconds(ttl) > now);
            if entries.len() >= self.capacity {
                entries.clear();
            }
        }
        entries.insert(key, (now, value));
    }

    pub fn remove(&self, key: &K) {
        let mut entries = self.entries.lock().unwrap_or_else(|p| p.into_inner());
        entries.remove(key);
    }

    pub fn clear(&self) {
        self.entries
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> Timestamp {
        Timestamp::from_millis(seconds * 1000).unwrap()
    }

    #[test]
    fn entries_expire_and_capacity_is_bounded() {
        let cache = TtlCache::new(60, 2);
        cache.put("a", 1, at(0));
        assert_eq!(cache.get(&"a", at(59)), Some(1));
        assert_eq!(cache.get(&"a", at(60)), None);
        cache.put("b", 2, at(20));
        cache.put("c", 3, at(70)); // full: "a" has expired and goes
        assert_eq!(cache.get(&"b", at(70)), Some(2));
        assert_eq!(cache.get(&"c", at(70)), Some(3));
        cache.put("d", 4, at(71)); // full of live entries: starts over
        assert_eq!(cache.get(&"b", at(71)), None);
        assert_eq!(cache.get(&"d", at(71)), Some(4));
    }
}
