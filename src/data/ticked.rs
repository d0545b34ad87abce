//! The rows ticked for "retry/resend ticked", by row key, for one load of the index: a
//! new load (a refresh, another lookup) starts with none, because a set made for an older
//! load reads as empty. Derived from the load's generation, so nothing has to clear it.

use std::collections::HashSet;

#[derive(Clone, Debug, Default, PartialEq)]
pub struct Ticked {
    /// The index generation the keys were ticked in.
    generation: u64,
    keys: HashSet<String>,
}

static NONE: std::sync::LazyLock<HashSet<String>> = std::sync::LazyLock::new(HashSet::new);

impl Ticked {
    /// The keys ticked in `generation` (empty for any other).
    pub fn keys(&self, generation: u64) -> &HashSet<String> {
        if self.generation == generation {
            &self.keys
        } else {
            &NONE
        }
    }

    /// Ticks or unticks `key` in `generation` (ticks of an older one are dropped first).
    pub fn set(&mut self, generation: u64, key: &str, on: bool) {
        self.renew(generation);
        if on {
            self.keys.insert(key.to_string());
        } else {
            self.keys.remove(key);
        }
    }

    /// Ticks exactly `keys` in `generation`.
    pub fn set_all(&mut self, generation: u64, keys: impl IntoIterator<Item = String>) {
        self.generation = generation;
        self.keys = keys.into_iter().collect();
    }

    fn renew(&mut self, generation: u64) {
        if self.generation != generation {
            self.generation = generation;
            self.keys.clear();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_new_load_starts_with_none_ticked() {
        let mut t = Ticked::default();
        t.set(3, "a", true);
        t.set(3, "b", true);
        t.set(3, "a", false);
        assert_eq!(t.keys(3).len(), 1);
        assert!(t.keys(4).is_empty(), "a later load sees none");
        t.set(4, "c", true);
        assert_eq!(t.keys(4).iter().collect::<Vec<_>>(), ["c"]);
        assert!(t.keys(3).is_empty());
        t.set_all(5, ["x".to_string(), "y".to_string()]);
        assert_eq!(t.keys(5).len(), 2);
    }
}
