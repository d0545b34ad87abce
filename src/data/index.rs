//! The delivery index: every loaded delivery held once, with what filters and sorts read
//! (lowercased search text, times, codes, interned events) computed once per load.
//! Filtering returns row indices in the current sort order, plus per-option counts;
//! nothing is cloned per keystroke.
//!
//! Costs at 100,000 rows: the sort runs when the sort or the rows change (never on a
//! filter change, which walks the sorted order), and a search that extends the previous
//! one only looks again at the rows that matched it.

use super::filters::{search_text, CodeFilter, FilterSet, Sort, SortKey, Source};
use chrono::{DateTime, Utc};
use hookscope_core::domain::{Delivery, DeliveryStatus, Vendor};
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex};

/// Where a row came from: the lookup it was loaded by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    pub vendor: Vendor,
    pub conn: String,
}

/// What one row's filters and sort read, computed once.
#[derive(Clone, Debug)]
struct Keys {
    slot: u16,
    status: DeliveryStatus,
    /// Rank of the event name in `events` (alphabetical, so it sorts too).
    event: u32,
    code: Option<u16>,
    time_ms: Option<i64>,
    latency: Option<u64>,
    attempts: u32,
}

/// Deliveries as a lookup holds them; the index points into them instead of copying.
pub type Group = Arc<dyn AsRef<[Delivery]> + Send + Sync>;

/// The rows of one view (all its lookups), in load order.
#[derive(Default)]
pub struct DeliveryIndex {
    groups: Vec<Group>,
    /// Row → (group, position in the group).
    loc: Vec<(u16, u32)>,
    /// A row's key is its delivery's ID, or `ID~slot` (kept here) when two lookups gave
    /// different deliveries one ID. Keys are found by hash, confirmed against the row, so
    /// no ID is copied (10 MB at 100,000 rows).
    renamed: HashMap<u32, String>,
    by_hash: HashMap<u64, u32>,
    /// Keys whose hash another key already had.
    collided: HashMap<String, u32>,
    row_keys: Vec<Keys>,
    search: Vec<Box<str>>,
    events: Vec<String>,
    slots: Vec<SlotInfo>,
    /// Rows per status (in `DeliveryStatus::ALL` order), counted once per load.
    status_totals: [usize; 4],
    /// The last search and which rows matched it.
    last_search: Mutex<Option<(String, Vec<bool>)>>,
}

/// How many rows each filter option would leave, given the other filters.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Facets {
    /// In `DeliveryStatus::ALL` order.
    pub status: Vec<(DeliveryStatus, usize)>,
    /// Event name → count, alphabetical.
    pub event: Vec<(String, usize)>,
    /// Exact codes (None = no answer) → count, ascending.
    pub code: Vec<(Option<u16>, usize)>,
    /// Per lookup slot.
    pub slot: Vec<usize>,
}

impl Facets {
    pub fn code_count(&self, c: CodeFilter) -> usize {
        self.code
            .iter()
            .filter(|(code, _)| c.matches(*code))
            .map(|(_, n)| n)
            .sum()
    }
}

/// The result of applying filters: row indices in sort order, and the option counts.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filtered {
    pub rows: Vec<u32>,
    pub facets: Facets,
}

fn cmp_opt<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
    match (a, b) {
        (Some(a), Some(b)) if desc => b.cmp(&a),
        (Some(a), Some(b)) => a.cmp(&b),
        (Some(_), None) => Ordering::Less,
        (None, Some(_)) => Ordering::Greater,
        (None, None) => Ordering::Equal,
    }
}

fn key_hash(key: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    h.finish()
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl DeliveryIndex {
    /// Builds the index from each lookup's deliveries (`groups[i]` came from `slots[i]`).
    /// A delivery another lookup already gave is shown once.
    pub fn build(groups: Vec<(SlotInfo, Group)>) -> DeliveryIndex {
        let mut ix = DeliveryIndex::default();
        let total: usize = groups.iter().map(|(_, g)| g.as_ref().as_ref().len()).sum();
        ix.loc.reserve(total);
        let mut names: BTreeMap<String, u32> = BTreeMap::new();
        for (slot, (origin, group)) in groups.into_iter().enumerate() {
            let slot = u16::try_from(slot).unwrap_or(u16::MAX);
            ix.slots.push(origin);
            ix.groups.push(group.clone());
            for (pos, d) in group.as_ref().as_ref().iter().enumerate() {
                let row = to_u32(ix.loc.len());
                match ix.row_of(&d.id) {
                    None => {}
                    Some(i) if ix.get(i).is_some_and(|o| o.same_as(d)) => continue,
                    Some(_) => {
                        let mut n = u32::from(slot).saturating_add(1);
                        let key = loop {
                            let k = format!("{}~{n}", d.id);
                            if ix.row_of(&k).is_none() {
                                break k;
                            }
                            n = n.saturating_add(1);
                        };
                        ix.renamed.insert(row, key);
                    }
                }
                ix.loc.push((slot, to_u32(pos)));
                let key = ix.key(row).to_string();
                let h = key_hash(&key);
                match ix.by_hash.entry(h) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        ix.collided.insert(key, row);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(row);
                    }
                }
                names.entry(d.event.clone()).or_insert(0);
                ix.search.push(search_text(d).into_boxed_str());
            }
        }
        for (rank, v) in names.values_mut().enumerate() {
            *v = to_u32(rank);
        }
        ix.row_keys = (0..to_u32(ix.loc.len()))
            .filter_map(|row| Some((ix.get(row)?, ix.loc[row as usize].0)))
            .map(|(d, slot)| Keys {
                slot,
                status: d.status,
                event: names.get(&d.event).copied().unwrap_or(0),
                code: d.http_code(),
                time_ms: d
                    .last_time()
                    .and_then(|t| t.parsed)
                    .map(|t| t.timestamp_millis()),
                latency: d.last_duration_ms(),
                attempts: to_u32(d.attempts.len()),
            })
            .collect();
        ix.events = names.into_keys().collect();
        for k in &ix.row_keys {
            let p = k.status.position();
            ix.status_totals[p] = ix.status_totals[p].saturating_add(1);
        }
        ix
    }

    pub fn len(&self) -> usize {
        self.loc.len()
    }

    pub fn is_empty(&self) -> bool {
        self.loc.is_empty()
    }

    pub fn get(&self, row: u32) -> Option<&Delivery> {
        let (g, i) = *self.loc.get(row as usize)?;
        self.groups
            .get(usize::from(g))?
            .as_ref()
            .as_ref()
            .get(i as usize)
    }

    pub fn key(&self, row: u32) -> &str {
        match self.renamed.get(&row) {
            Some(k) => k,
            None => self.get(row).map_or("", |d| d.id.as_str()),
        }
    }

    pub fn row_of(&self, key: &str) -> Option<u32> {
        if let Some(r) = self.collided.get(key) {
            return Some(*r);
        }
        let r = *self.by_hash.get(&key_hash(key))?;
        (self.key(r) == key).then_some(r)
    }

    /// The lookup slot a row came from.
    pub fn slot(&self, row: u32) -> usize {
        self.row_keys
            .get(row as usize)
            .map_or(0, |k| usize::from(k.slot))
    }

    pub fn origin(&self, row: u32) -> Option<&SlotInfo> {
        self.slots.get(self.slot(row))
    }

    /// How many rows have each status, whatever the filters.
    pub fn status_totals(&self) -> Vec<(DeliveryStatus, usize)> {
        DeliveryStatus::ALL
            .into_iter()
            .zip(self.status_totals)
            .collect()
    }

    pub fn slots(&self) -> &[SlotInfo] {
        &self.slots
    }

    /// Every event name in the rows, alphabetical.
    pub fn events(&self) -> &[String] {
        &self.events
    }

    /// All rows in `sort` order (stable: load order breaks ties; rows without a value
    /// go last in either direction).
    pub fn sorted(&self, sort: Sort) -> Vec<u32> {
        let mut order: Vec<u32> = (0..to_u32(self.len())).collect();
        let k = &self.row_keys;
        let desc = sort.desc;
        let by = |a: &u32, b: &u32| {
            let (a, b) = (&k[*a as usize], &k[*b as usize]);
            match sort.key {
                SortKey::Time => cmp_opt(a.time_ms, b.time_ms, desc),
                SortKey::Status => cmp_opt(Some(a.status.id()), Some(b.status.id()), desc),
                SortKey::Event => cmp_opt(Some(a.event), Some(b.event), desc),
                SortKey::Code => cmp_opt(a.code, b.code, desc),
                SortKey::Attempts => cmp_opt(Some(a.attempts), Some(b.attempts), desc),
                SortKey::Latency => cmp_opt(a.latency, b.latency, desc),
                SortKey::Vendor => {
                    let o = |s: u16| {
                        self.slots
                            .get(usize::from(s))
                            .map(|o| (o.vendor, o.conn.as_str()))
                    };
                    cmp_opt(o(a.slot), o(b.slot), desc)
                }
            }
        };
        order.sort_by(by);
        order
    }

    /// Which rows contain `needle` (already lowercased and trimmed; empty: all).
    fn search_mask(&self, needle: &str) -> Vec<bool> {
        let mut last = self.last_search.lock().unwrap_or_else(|e| e.into_inner());
        let mask: Vec<bool> = match last.as_ref() {
            Some((prev, mask)) if prev == needle => return mask.clone(),
            // Typing on: only the rows that matched the shorter text can match this one.
            Some((prev, mask)) if !prev.is_empty() && needle.contains(prev.as_str()) => mask
                .iter()
                .zip(&self.search)
                .map(|(m, text)| *m && text.contains(needle))
                .collect(),
            _ if needle.is_empty() => vec![true; self.len()],
            _ => self.search.iter().map(|t| t.contains(needle)).collect(),
        };
        *last = Some((needle.to_string(), mask.clone()));
        mask
    }

    /// Applies `f` at `now` to the rows in `order` (from [`Self::sorted`]).
    pub fn filter(&self, f: &FilterSet, order: &[u32], now: DateTime<Utc>) -> Filtered {
        let q = self.search_mask(&f.needle());
        let (from, to) = f.time.bounds(now);
        let (from, to) = (
            from.map(|t| t.timestamp_millis()),
            // "To" covers its whole second: links hold whole seconds, times have ms.
            to.map(|t| t.timestamp_millis().saturating_add(999)),
        );
        let time_on = from.is_some() || to.is_some();
        // Event filter as a set of ranks; a named event no row has matches nothing.
        let wanted_events: Vec<u32> = f
            .event
            .iter()
            .filter_map(|e| self.events.binary_search(e).ok().map(to_u32))
            .collect();
        let slot_ok: Vec<bool> = self
            .slots
            .iter()
            .map(|o| f.source.is_empty() || f.source.iter().any(|s| s.matches(o.vendor, &o.conn)))
            .collect();

        let mut status_n = [0usize; 4];
        let mut event_n = vec![0usize; self.events.len()];
        let mut code_n: BTreeMap<Option<u16>, usize> = BTreeMap::new();
        let mut slot_n = vec![0usize; self.slots.len()];
        let mut pass = vec![false; self.len()];
        for (i, k) in self.row_keys.iter().enumerate() {
            let st = f.status.is_empty() || f.status.contains(&k.status);
            let ev = f.event.is_empty() || wanted_events.contains(&k.event);
            let cd = f.code.is_empty() || f.code.iter().any(|c| c.matches(k.code));
            let sr = slot_ok.get(usize::from(k.slot)).copied().unwrap_or(false);
            let tm = !time_on
                || k.time_ms.is_some_and(|t| {
                    from.is_none_or(|from| t >= from) && to.is_none_or(|to| t <= to)
                });
            let qs = q.get(i).copied().unwrap_or(false);
            if !(tm && qs) {
                continue;
            }
            if ev && cd && sr {
                let p = k.status.position();
                status_n[p] = status_n[p].saturating_add(1);
            }
            if st && cd && sr {
                if let Some(n) = event_n.get_mut(k.event as usize) {
                    *n = n.saturating_add(1);
                }
            }
            if st && ev && sr {
                let n = code_n.entry(k.code).or_insert(0);
                *n = n.saturating_add(1);
            }
            if st && ev && cd {
                if let Some(n) = slot_n.get_mut(usize::from(k.slot)) {
                    *n = n.saturating_add(1);
                }
            }
            pass[i] = st && ev && cd && sr;
        }
        let rows = order
            .iter()
            .copied()
            .filter(|r| pass.get(*r as usize).copied().unwrap_or(false))
            .collect();
        Filtered {
            rows,
            facets: Facets {
                status: DeliveryStatus::ALL.into_iter().zip(status_n).collect(),
                event: self.events.iter().cloned().zip(event_n).collect(),
                code: code_n.into_iter().collect(),
                slot: slot_n,
            },
        }
    }

    /// Rows a source option would keep (the sum over the slots it covers).
    pub fn source_count(&self, facets: &Facets, s: &Source) -> usize {
        self.slots
            .iter()
            .zip(&facets.slot)
            .filter(|(o, _)| s.matches(o.vendor, &o.conn))
            .map(|(_, n)| n)
            .sum()
    }
}

/// What the index memo holds: the index and a load generation (indices are compared by
/// generation, not by content, so a memo never walks 100,000 deliveries to compare).
#[derive(Clone, Default)]
pub struct IndexRef {
    pub ix: Arc<DeliveryIndex>,
    pub generation: u64,
}

impl PartialEq for IndexRef {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
    }
}
