//! The delivery index: every loaded delivery held once, with what filters and sorts read
//! (lowercased search text, times, codes, interned events) computed once per load.
//! Filtering returns row indices in the current sort order, plus per-option counts;
//! nothing is cloned per keystroke.
//!
//! Costs at 100,000 rows: the sort runs when the sort or the rows change (never on a
//! filter change, which walks the sorted order), and a search that extends the previous
//! one only looks again at the rows that matched it.

use super::filters::{push_search_text, CodeFilter, FilterSet, Sort, SortKey, Source};
use chrono::{DateTime, Utc};
use hookscope_core::diagnosis::{count_causes, diagnose, Cause};
use hookscope_core::domain::{Delivery, DeliveryStatus, Name, Vendor};
use memchr::memmem::Finder;
use std::cmp::Ordering;
use std::collections::{BTreeMap, HashMap};
use std::hash::BuildHasherDefault;
use std::sync::{Arc, Mutex};

/// Where a row came from: the lookup it was loaded by.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SlotInfo {
    pub vendor: Vendor,
    pub conn: String,
}

/// What one row's filters and sort read, computed once: 32 bytes (a missing time or
/// latency is a value no delivery has, instead of an `Option` that doubles its field).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Keys {
    /// Ms since the epoch ([`NO_TIME`]: none).
    time: i64,
    /// Ms ([`NO_LATENCY`]: none; a vendor's `u64::MAX` reads as one ms less).
    latency: u64,
    /// Rank of the event name in `events` (alphabetical, so it sorts too).
    event: u32,
    attempts: u32,
    slot: u16,
    code: Option<u16>,
    status: DeliveryStatus,
    /// The diagnosis's kind of failure (none for a success), counted by the overview.
    cause: Option<Cause>,
}

const NO_TIME: i64 = i64::MIN;
const NO_LATENCY: u64 = u64::MAX;

/// Deliveries as a lookup holds them, with what the index reads of each (if the lookup
/// prepared it); the index points into them instead of copying.
pub trait Rows: Send + Sync {
    fn deliveries(&self) -> &[Delivery];
    /// What [`Prepared::of`] would give for [`Self::deliveries`], made beforehand (in
    /// slices, as the rows loaded), so building the index only merges.
    fn prepared(&self) -> Option<Arc<Prepared>> {
        None
    }
}

impl Rows for Vec<Delivery> {
    fn deliveries(&self) -> &[Delivery] {
        self
    }
}

pub type Group = Arc<dyn Rows>;

/// What the filters, sorts and search read of one group's rows, by position. Made once
/// per load; at 100,000 rows the search text is most of the work (a quarter of a second),
/// so a lookup makes it a slice at a time ([`Preparing`]) before it shows its rows.
#[derive(Default, Debug, PartialEq)]
pub struct Prepared {
    /// What [`push_search_text`] keeps of each row, and which rows' payloads are searched
    /// where they are (not copied: 13 MB at 100,000 rows).
    search: SearchText,
    payload_in_place: Vec<bool>,
    /// Hash of each delivery's ID (its row key unless renamed).
    hash: Vec<u32>,
    /// `slot` is 0 and `event` indexes `events` (this group's names, first seen first).
    keys: Vec<Keys>,
    events: Vec<String>,
}

impl Prepared {
    pub fn of(ds: &[Delivery]) -> Prepared {
        let mut p = Preparing::default();
        p.step(ds, usize::MAX);
        p.finish()
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }
}

/// [`Prepared::of`] in steps.
#[derive(Default)]
pub struct Preparing {
    out: Prepared,
    names: HashMap<Name, u32>,
    /// One row's search text, before it is copied to its chunk.
    row: String,
}

impl Preparing {
    /// Prepares up to `budget` more rows of `ds` (the same slice every call). True when
    /// every row is done.
    pub fn step(&mut self, ds: &[Delivery], budget: usize) -> bool {
        let from = self.out.keys.len();
        let to = from.saturating_add(budget.max(1)).min(ds.len());
        for d in ds.get(from..to).unwrap_or_default() {
            let event = match self.names.get(&d.event) {
                Some(e) => *e,
                None => {
                    let e = to_u32(self.out.events.len());
                    self.names.insert(d.event.clone(), e);
                    self.out.events.push(d.event.to_string());
                    e
                }
            };
            self.out.keys.push(Keys::of(d, event));
            self.out.hash.push(key_hash(&d.id));
            let in_place = self.out.search.push(d, &mut self.row);
            self.out.payload_in_place.push(in_place);
        }
        to >= ds.len()
    }

    pub fn finish(mut self) -> Prepared {
        if let Some(c) = self.out.search.chunks.last_mut() {
            c.shrink_to_fit();
        }
        self.out
    }
}

/// The search text of a group's rows, one after another in chunks of about 1 MB: one
/// string per row cost an allocation each (100,000 of them), and one buffer for all would
/// be copied whenever it doubled. A search reads a chunk from end to end.
#[derive(Default, Debug, PartialEq)]
struct SearchText {
    chunks: Vec<String>,
    /// Per chunk, its first row.
    first_row: Vec<u32>,
    /// Per row, where its text ends in its chunk; it starts where the row before it ends
    /// (at 0 for a chunk's first row).
    ends: Vec<u32>,
}

const CHUNK: usize = 1 << 20;

impl SearchText {
    /// Appends `d`'s text (`scratch` is reused between rows); says whether its payload is
    /// searched in place.
    fn push(&mut self, d: &Delivery, scratch: &mut String) -> bool {
        scratch.clear();
        let in_place = push_search_text(d, scratch);
        let fits = self
            .chunks
            .last()
            .is_some_and(|c| c.len().saturating_add(scratch.len()) <= c.capacity());
        if !fits {
            if let Some(c) = self.chunks.last_mut() {
                c.shrink_to_fit();
            }
            self.chunks
                .push(String::with_capacity(CHUNK.max(scratch.len())));
            self.first_row.push(to_u32(self.ends.len()));
        }
        if let Some(c) = self.chunks.last_mut() {
            c.push_str(scratch);
            self.ends.push(to_u32(c.len()));
        }
        in_place
    }

    fn row(&self, i: usize) -> &str {
        let c = self.first_row.partition_point(|f| *f as usize <= i);
        let Some(chunk) = c.checked_sub(1).and_then(|c| self.chunks.get(c)) else {
            return "";
        };
        let first = self.first_row.get(c - 1).map_or(0, |f| *f as usize);
        let start = match i.checked_sub(1) {
            Some(before) if before >= first => self.ends.get(before).copied().unwrap_or(0),
            _ => 0,
        };
        let end = self.ends.get(i).copied().unwrap_or(0);
        chunk.get(start as usize..end as usize).unwrap_or("")
    }

    /// Marks in `hit` (one per row) every row whose text holds the finder's needle: one
    /// pass over each chunk, which goes on after a match from the end of its row.
    fn find_all(&self, needle: &Finder, hit: &mut [bool]) {
        for (c, chunk) in self.chunks.iter().enumerate() {
            let first = self.first_row.get(c).map_or(0, |f| *f as usize);
            let last = self
                .first_row
                .get(c + 1)
                .map_or(self.ends.len(), |f| *f as usize);
            let (bytes, mut row, mut from) = (chunk.as_bytes(), first, 0usize);
            while row < last {
                let Some(at) = bytes.get(from..).and_then(|b| needle.find(b)) else {
                    break;
                };
                let at = from + at;
                while row < last && self.ends.get(row).is_some_and(|e| *e as usize <= at) {
                    row += 1;
                }
                if let Some(h) = hit.get_mut(row) {
                    *h = true;
                }
                from = self.ends.get(row).map_or(bytes.len(), |e| *e as usize);
                row += 1;
            }
        }
    }
}

/// The rows of one view (all its lookups), in load order.
#[derive(Default)]
pub struct DeliveryIndex {
    groups: Vec<Group>,
    /// Per group, what its rows' filters read (by position in the group).
    prepared: Vec<Arc<Prepared>>,
    /// Row → (group, position in the group).
    loc: Vec<(u16, u32)>,
    /// A row's key is its delivery's ID, or `ID~slot` (kept here) when two lookups gave
    /// different deliveries one ID. Keys are found by hash, confirmed against the row, so
    /// no ID is copied (10 MB at 100,000 rows).
    renamed: HashMap<u32, String>,
    by_hash: HashMap<u32, u32, BuildHasherDefault<Prehashed>>,
    /// Keys whose hash another key already had.
    collided: HashMap<String, u32>,
    /// Per group, its event numbers (as its [`Prepared`] has them) → their rank in
    /// `events`. A row's keys are read from its group's prepared ones, not copied (3 MB at
    /// 100,000 rows): see [`Self::keys`].
    event_rank: Vec<Vec<u32>>,
    /// Whether the rows are one group's, all of them in order (one lookup's: the usual
    /// case), so row i's keys are that group's i-th.
    one_group: bool,
    events: Vec<String>,
    slots: Vec<SlotInfo>,
    /// Rows per status (in `DeliveryStatus::ALL` order), counted once per load.
    status_totals: [usize; 4],
    /// The last search and which rows matched it.
    last_search: Mutex<Option<(String, Vec<bool>)>>,
}

/// What the overview reads of a row, from the index's compact keys (a walk over 100,000
/// rows touches 5 MB of keys instead of 100,000 scattered deliveries).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Facts {
    pub status: DeliveryStatus,
    pub code: Option<u16>,
    /// The last attempt's time, in ms since the epoch.
    pub time_ms: Option<i64>,
    pub latency_ms: Option<u64>,
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
    /// Shared with the table (an `Arc`, not a copy per keystroke).
    pub rows: Arc<Vec<u32>>,
    pub facets: Facets,
}

impl Keys {
    /// `event`: the event name's number where this is kept.
    fn of(d: &Delivery, event: u32) -> Keys {
        Keys {
            slot: 0,
            status: d.status,
            event,
            code: d.http_code(),
            time: d
                .last_time()
                .and_then(|t| t.parsed)
                .map_or(NO_TIME, |t| t.timestamp_millis()),
            latency: d
                .last_duration_ms()
                .map_or(NO_LATENCY, |l| l.min(NO_LATENCY - 1)),
            attempts: to_u32(d.attempts.len()),
            cause: diagnose(d).map(|x| x.cause),
        }
    }

    fn time_ms(&self) -> Option<i64> {
        (self.time != NO_TIME).then_some(self.time)
    }

    fn latency_ms(&self) -> Option<u64> {
        (self.latency != NO_LATENCY).then_some(self.latency)
    }
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

/// The hasher of a map whose keys are hashes already: the key, spread over 64 bits (the
/// map reads its top bits as well as its low ones).
#[derive(Default)]
struct Prehashed(u64);

impl std::hash::Hasher for Prehashed {
    fn finish(&self) -> u64 {
        self.0.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    fn write(&mut self, bytes: &[u8]) {
        // Only u32 keys are hashed here; anything else still spreads.
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(*b);
        }
    }

    fn write_u32(&mut self, n: u32) {
        self.0 = u64::from(n);
    }
}

/// A row key's hash: 32 bits, half the memory of 64 in the map and the prepared rows
/// (2 MB at 100,000 rows). Two keys of 100,000 share one about once; a key found by hash
/// is confirmed against the row, and one whose hash was taken is kept in `collided`.
fn key_hash(key: &str) -> u32 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    key.hash(&mut h);
    // The low half of SipHash's output: as well spread as the whole.
    h.finish() as u32
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl DeliveryIndex {
    /// Builds the index from each lookup's deliveries (`groups[i]` came from `slots[i]`).
    /// A delivery another lookup already gave is shown once. Merges what each group
    /// prepared (making it here for a group that did not).
    pub fn build(groups: Vec<(SlotInfo, Group)>) -> DeliveryIndex {
        let mut ix = DeliveryIndex::default();
        let total: usize = groups.iter().map(|(_, g)| g.deliveries().len()).sum();
        ix.loc.reserve(total);
        ix.by_hash.reserve(total);
        // Event name → the order it was first seen in; ranked alphabetically at the end.
        let mut names: BTreeMap<String, u32> = BTreeMap::new();
        for (slot, (origin, group)) in groups.into_iter().enumerate() {
            let slot = u16::try_from(slot).unwrap_or(u16::MAX);
            let prep = match group.prepared() {
                Some(p) if p.len() == group.deliveries().len() => p,
                _ => Arc::new(Prepared::of(group.deliveries())),
            };
            let events: Vec<u32> = prep
                .events
                .iter()
                .map(|e| {
                    let next = to_u32(names.len());
                    *names.entry(e.clone()).or_insert(next)
                })
                .collect();
            let g = u16::try_from(ix.groups.len()).unwrap_or(u16::MAX);
            ix.slots.push(origin);
            ix.groups.push(group.clone());
            ix.prepared.push(prep.clone());
            for (pos, d) in group.deliveries().iter().enumerate() {
                let row = to_u32(ix.loc.len());
                let mut h = prep
                    .hash
                    .get(pos)
                    .copied()
                    .unwrap_or_else(|| key_hash(&d.id));
                match ix.row_of_hashed(&d.id, h) {
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
                        h = key_hash(&key);
                        ix.renamed.insert(row, key);
                    }
                }
                ix.loc.push((g, to_u32(pos)));
                match ix.by_hash.entry(h) {
                    std::collections::hash_map::Entry::Occupied(_) => {
                        let key = ix.key(row).to_string();
                        ix.collided.insert(key, row);
                    }
                    std::collections::hash_map::Entry::Vacant(v) => {
                        v.insert(row);
                    }
                }
            }
            ix.event_rank.push(events);
        }
        let mut rank = vec![0u32; names.len()];
        for (r, first) in names.values().enumerate() {
            if let Some(x) = rank.get_mut(*first as usize) {
                *x = to_u32(r);
            }
        }
        ix.one_group =
            ix.prepared.len() == 1 && ix.prepared.first().map(|p| p.len()) == Some(ix.len());
        for group in &mut ix.event_rank {
            for e in group.iter_mut() {
                *e = rank.get(*e as usize).copied().unwrap_or(0);
            }
        }
        for row in 0..ix.len() {
            // The status needs no slot or event rank: read as prepared.
            if let Some((_, k)) = ix.group_keys(row) {
                let p = k.status.position();
                ix.status_totals[p] = ix.status_totals[p].saturating_add(1);
            }
        }
        ix.events = names.into_keys().collect();
        ix
    }

    /// Which rows hold the finder's needle, of the `candidates` (one per row; none: all).
    /// A fresh search reads each group's search text in one pass; narrowing one (typing
    /// on) reads each candidate's text. A row not found there is searched in its payload
    /// when that is kept in place. Walks each group's slices directly: a row-by-row
    /// lookup of the group, its deliveries and its prepared data cost as much as the
    /// search itself at 100,000 rows.
    fn search_rows(&self, needle: &Finder, candidates: Option<&[bool]>) -> Vec<bool> {
        let groups: Vec<(&[Delivery], &Prepared, Vec<bool>)> = self
            .groups
            .iter()
            .zip(&self.prepared)
            .map(|(g, p)| {
                let mut hit = vec![];
                if candidates.is_none() {
                    hit.resize(p.len(), false);
                    p.search.find_all(needle, &mut hit);
                }
                (g.deliveries(), &**p, hit)
            })
            .collect();
        self.loc
            .iter()
            .enumerate()
            .map(|(row, &(g, i))| {
                let Some((ds, p, hit)) = groups.get(usize::from(g)) else {
                    return false;
                };
                let i = i as usize;
                let in_text = match candidates {
                    None => hit.get(i).copied().unwrap_or(false),
                    Some(c) if c.get(row) == Some(&true) => {
                        needle.find(p.search.row(i).as_bytes()).is_some()
                    }
                    Some(_) => return false,
                };
                in_text
                    || (p.payload_in_place.get(i) == Some(&true)
                        && ds
                            .get(i)
                            .is_some_and(|d| needle.find(d.payload.text().as_bytes()).is_some()))
            })
            .collect()
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
            .deliveries()
            .get(i as usize)
    }

    pub fn key(&self, row: u32) -> &str {
        match self.renamed.get(&row) {
            Some(k) => k,
            None => self.get(row).map_or("", |d| &*d.id),
        }
    }

    pub fn row_of(&self, key: &str) -> Option<u32> {
        self.row_of_hashed(key, key_hash(key))
    }

    /// [`Self::row_of`] for a key whose hash is known.
    fn row_of_hashed(&self, key: &str, h: u32) -> Option<u32> {
        if !self.collided.is_empty() {
            if let Some(r) = self.collided.get(key) {
                return Some(*r);
            }
        }
        let r = *self.by_hash.get(&h)?;
        (self.key(r) == key).then_some(r)
    }

    /// What the filters and sorts read of a row: its group's prepared keys, with this
    /// index's slot and event rank.
    fn keys(&self, row: usize) -> Option<Keys> {
        let (g, k) = self.group_keys(row)?;
        Some(Keys {
            slot: g,
            event: self.event_rank(g, k.event),
            ..*k
        })
    }

    /// A row's group and its keys as the group prepared them (slot 0, the group's own
    /// event numbers): what a sort's comparison reads, without the copy.
    #[inline(always)] // read twice per comparison of a sort: a call each cost more than the read
    fn group_keys(&self, row: usize) -> Option<(u16, &Keys)> {
        if self.one_group {
            // Row i is the group's row i: a sort's comparisons skip a lookup each.
            return Some((0, self.prepared.first()?.keys.get(row)?));
        }
        let (g, i) = *self.loc.get(row)?;
        Some((g, self.prepared.get(usize::from(g))?.keys.get(i as usize)?))
    }

    fn event_rank(&self, group: u16, event: u32) -> u32 {
        self.event_rank
            .get(usize::from(group))
            .and_then(|r| r.get(event as usize))
            .copied()
            .unwrap_or(0)
    }

    pub fn facts(&self, row: u32) -> Option<Facts> {
        // No slot or event rank needed: read as prepared.
        self.group_keys(row as usize).map(|(_, k)| Facts {
            status: k.status,
            code: k.code,
            time_ms: k.time_ms(),
            latency_ms: k.latency_ms(),
        })
    }

    /// How many of `rows` have each kind of failure, most first (then by kind): what
    /// `hookscope_core::diagnosis::cause_counts` says of their deliveries, from the keys.
    pub fn causes(&self, rows: &[u32]) -> Vec<(Cause, usize)> {
        count_causes(rows.iter().filter_map(|r| self.keys(*r as usize)?.cause))
    }

    /// The lookup slot a row came from.
    pub fn slot(&self, row: u32) -> usize {
        self.loc
            .get(row as usize)
            .map_or(0, |(g, _)| usize::from(*g))
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
        let desc = sort.desc;
        let by = |a: &u32, b: &u32| {
            let (Some((ga, a)), Some((gb, b))) =
                (self.group_keys(*a as usize), self.group_keys(*b as usize))
            else {
                return Ordering::Equal;
            };
            match sort.key {
                SortKey::Time => cmp_opt(a.time_ms(), b.time_ms(), desc),
                SortKey::Status => cmp_opt(Some(a.status.id()), Some(b.status.id()), desc),
                SortKey::Event => cmp_opt(
                    Some(self.event_rank(ga, a.event)),
                    Some(self.event_rank(gb, b.event)),
                    desc,
                ),
                SortKey::Code => cmp_opt(a.code, b.code, desc),
                SortKey::Attempts => cmp_opt(Some(a.attempts), Some(b.attempts), desc),
                SortKey::Latency => cmp_opt(a.latency_ms(), b.latency_ms(), desc),
                SortKey::Vendor => {
                    let o = |s: u16| {
                        self.slots
                            .get(usize::from(s))
                            .map(|o| (o.vendor, o.conn.as_str()))
                    };
                    cmp_opt(o(ga), o(gb), desc)
                }
            }
        };
        order.sort_by(by);
        order
    }

    /// Which rows contain `needle` (already lowercased and trimmed; empty: all).
    fn search_mask(&self, needle: &str) -> Vec<bool> {
        let mut last = self.last_search.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, mask)) = last.as_ref().filter(|(prev, _)| prev == needle) {
            return mask.clone();
        }
        // One searcher for every row: it picks the needle's rarest bytes once and, with
        // wasm SIMD, tests 16 positions a step (a fresh two-letter search at 100,000 rows
        // reads about 40 MB).
        let finder = Finder::new(needle);
        let mask: Vec<bool> = match last.as_ref() {
            // Typing on: only the rows that matched the shorter text can match this one.
            Some((prev, mask)) if !prev.is_empty() && needle.contains(prev.as_str()) => {
                self.search_rows(&finder, Some(mask))
            }
            _ if needle.is_empty() => vec![true; self.len()],
            _ => self.search_rows(&finder, None),
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
        // Codes are counted in a dense table (index 0: no answer, else code + 1): a map
        // entry per row cost more than the rest of the loop.
        let mut code_n = vec![0usize; usize::from(u16::MAX) + 2];
        let mut slot_n = vec![0usize; self.slots.len()];
        let mut pass = vec![false; self.len()];
        for (i, pass) in pass.iter_mut().enumerate() {
            let Some(k) = self.keys(i) else {
                continue;
            };
            let st = f.status.is_empty() || f.status.contains(&k.status);
            let ev = f.event.is_empty() || wanted_events.contains(&k.event);
            let cd = f.code.is_empty() || f.code.iter().any(|c| c.matches(k.code));
            let sr = slot_ok.get(usize::from(k.slot)).copied().unwrap_or(false);
            let tm = !time_on
                || k.time_ms().is_some_and(|t| {
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
                let c = k.code.map_or(0, |c| usize::from(c) + 1);
                if let Some(n) = code_n.get_mut(c) {
                    *n = n.saturating_add(1);
                }
            }
            if st && ev && cd {
                if let Some(n) = slot_n.get_mut(usize::from(k.slot)) {
                    *n = n.saturating_add(1);
                }
            }
            *pass = st && ev && cd && sr;
        }
        let rows = Arc::new(
            order
                .iter()
                .copied()
                .filter(|r| pass.get(*r as usize).copied().unwrap_or(false))
                .collect(),
        );
        Filtered {
            rows,
            facets: Facets {
                status: DeliveryStatus::ALL.into_iter().zip(status_n).collect(),
                event: self.events.iter().cloned().zip(event_n).collect(),
                code: code_n
                    .iter()
                    .enumerate()
                    .filter(|(_, n)| **n > 0)
                    .map(|(c, n)| (c.checked_sub(1).and_then(|c| u16::try_from(c).ok()), *n))
                    .collect(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::domain::Payload;

    fn delivery(i: usize) -> Delivery {
        Delivery {
            id: format!("d{i}").into(),
            vendor: Vendor::Talkover,
            // Rows of uneven length, so that chunks end at every kind of place.
            subject: format!("call-{i}-{}", "x".repeat(i % 700)).into(),
            event: if i.is_multiple_of(3) {
                "Call_Ended"
            } else {
                "sms"
            }
            .into(),
            target_url: None,
            payload: Payload::from_text(&if i.is_multiple_of(5) {
                format!("{{\"w\":\"{}\"}}", "long lowercase payload ".repeat(20))
            } else {
                format!("{{\"W\":\"Marker{}\"}}", i % 7)
            }),
            created_at: None,
            status: DeliveryStatus::Failed,
            attempts: vec![],
            extra: serde_json::Value::Null,
        }
    }

    #[test]
    fn a_rows_keys_take_32_bytes() {
        assert!(
            std::mem::size_of::<Keys>() <= 32,
            "{}",
            std::mem::size_of::<Keys>()
        );
    }

    /// Two IDs whose 32-bit hashes are equal (one pair in about 77,000 keys) both find
    /// their rows, and a third ID with neither's text finds none.
    #[test]
    fn ids_that_share_a_hash_both_find_their_rows() {
        let mut seen: HashMap<u32, String> = HashMap::new();
        let (a, b) = (0..10_000_000u32)
            .find_map(|i| {
                let k = format!("talkover:log-{i}");
                seen.insert(key_hash(&k), k.clone()).map(|other| (other, k))
            })
            .expect("a shared hash");
        assert_eq!(key_hash(&a), key_hash(&b));
        let mut ds: Vec<Delivery> = (0..3).map(delivery).collect();
        ds[0].id = a.as_str().into();
        ds[2].id = b.as_str().into();
        let group: Group = Arc::new(ds);
        let slot = SlotInfo {
            vendor: Vendor::Talkover,
            conn: "c".into(),
        };
        let ix = DeliveryIndex::build(vec![(slot, group)]);
        assert_eq!(ix.len(), 3);
        assert_eq!(ix.row_of(&a), Some(0));
        assert_eq!(ix.row_of(&b), Some(2));
        assert_eq!(ix.row_of("d1"), Some(1));
        assert_eq!(ix.row_of("talkover:log-x"), None);
    }

    /// The one-pass search over chunks finds what a search of each row on its own finds,
    /// over several chunks (about 3 MB of text), for needles at a row's start, middle and
    /// end, in copied and in-place payloads, and none.
    #[test]
    fn the_search_over_chunks_finds_what_each_row_holds() {
        let ds: Vec<Delivery> = (0..8000).map(delivery).collect();
        let p = Prepared::of(&ds);
        assert!(
            p.search.chunks.len() >= 3,
            "{} chunks",
            p.search.chunks.len()
        );
        for (i, d) in ds.iter().enumerate() {
            let (mut alone, mut scratch) = (String::new(), SearchText::default());
            scratch.push(d, &mut alone);
            assert_eq!(p.search.row(i), scratch.row(0), "row {i}");
        }
        let group: Group = Arc::new(ds.clone());
        let slot = SlotInfo {
            vendor: Vendor::Talkover,
            conn: "c".into(),
        };
        let ix = DeliveryIndex::build(vec![(slot, group)]);
        for needle in [
            "d7999\n",
            "d0\n",
            "call-4000-",
            "call_ended",
            "marker3",
            "xxxxxxx\nca",
            "payload long",
            "\"}",
            "zz",
        ] {
            let finder = Finder::new(needle);
            let got = ix.search_rows(&finder, None);
            // Narrowing from every other row finds the same ones among them.
            let every_other: Vec<bool> = (0..ix.len()).map(|r| r % 2 == 0).collect();
            let narrowed = ix.search_rows(&finder, Some(&every_other));
            for (row, got) in got.iter().enumerate() {
                assert_eq!(
                    narrowed[row],
                    *got && row % 2 == 0,
                    "{needle:?} narrowed, row {row}"
                );
                let d = ix.get(row as u32).unwrap();
                let mut text = String::new();
                push_search_text(d, &mut text);
                let want = text.contains(needle) || d.payload.text().contains(needle);
                assert_eq!(*got, want, "{needle:?} in row {row}");
            }
        }
    }
}
