//! What the explorer derives from its loaded rows, as memos: index → sorted order →
//! filtered rows and counts → the open delivery. Made by the results view, so this code
//! downloads with it (its own chunk) and a page with no lookup does not pay for it.
//! It derefs to the [`ExplorerState`] it was made from, so a results component reads the
//! URL state and the derived data from one handle.

use crate::data::filters::TimeRange;
use crate::data::index::{DeliveryIndex, Filtered, Group, IndexRef, SlotInfo};
use crate::state::explorer::ExplorerState;
use crate::state::lookups::Slot;
use hookscope_core::connection::Connection;
use hookscope_core::domain::Delivery;
use hookscope_core::replay::RetryScope;
use leptos::prelude::*;
use std::sync::Arc;

/// The open delivery (shared, never copied again), the connection and where it was
/// looked up. Equal when it is the same row of the same load on the same connection.
#[derive(Clone, Debug)]
pub struct Selected {
    pub delivery: Arc<Delivery>,
    pub conn: Connection,
    pub scope: RetryScope,
    generation: u64,
    row: u32,
}

impl PartialEq for Selected {
    fn eq(&self, other: &Self) -> bool {
        self.generation == other.generation
            && self.row == other.row
            && self.conn == other.conn
            && self.scope == other.scope
    }
}

#[derive(Clone, Copy)]
pub struct ResultsData {
    pub state: ExplorerState,
    pub index: Memo<IndexRef>,
    pub filtered: Memo<Arc<Filtered>>,
    pub rows: Memo<Arc<Vec<u32>>>,
    /// The open delivery's row.
    pub selected_row: Memo<Option<u32>>,
}

impl std::ops::Deref for ResultsData {
    type Target = ExplorerState;

    fn deref(&self) -> &ExplorerState {
        &self.state
    }
}

impl ResultsData {
    pub fn new(state: ExplorerState) -> ResultsData {
        let (query, lookups, now) = (state.query, state.lookups, state.now);
        let generation = StoredValue::new(0u64);
        let index = Memo::new(move |_| {
            let groups: Vec<(SlotInfo, Group)> = lookups.slots.with(|slots| {
                slots
                    .iter()
                    .filter_map(|s| {
                        let r = s.result.get()?;
                        let spec = s.spec();
                        let info = SlotInfo {
                            vendor: spec.kind.vendor(),
                            conn: spec.conn,
                        };
                        Some((info, r as Group))
                    })
                    .collect()
            });
            generation.update_value(|g| *g = g.wrapping_add(1));
            IndexRef {
                ix: Arc::new(DeliveryIndex::build(groups)),
                generation: generation.get_value(),
            }
        });
        let sort = Memo::new(move |_| query.with(|q| q.sort));
        let order = Memo::new(move |_| {
            let s = sort.get();
            index.with(|ix| Arc::new(ix.ix.sorted(s)))
        });
        let filters = Memo::new(move |_| query.with(|q| q.filters.clone()));
        let filtered = Memo::new(move |_| {
            let f = filters.get();
            // Only a relative range changes as the clock moves.
            let at = match f.time {
                TimeRange::Last(_) => now.get(),
                _ => now.get_untracked(),
            };
            index.with(|ix| order.with(|o| Arc::new(ix.ix.filter(&f, o, at))))
        });
        let rows = Memo::new(move |_| filtered.with(|f| f.rows.clone()));
        let selected_row = Memo::new(move |_| {
            let sel = query.with(|q| q.sel.clone())?;
            index.with(|ix| ix.ix.row_of(&sel))
        });
        // A lookup that finds one delivery opens it (and the URL says so). Counted loads,
        // not the index: removing a lookup must not open what is left.
        Effect::new(move |seen: Option<u64>| {
            let n = state.loads.get();
            if seen != Some(n) && n > 0 {
                let only =
                    index.with_untracked(|ix| (ix.ix.len() == 1).then(|| ix.ix.key(0).to_string()));
                if let Some(key) = only {
                    if query.with_untracked(|q| q.sel.is_none()) {
                        state.update(|q| q.sel = Some(key));
                    }
                }
            }
            n
        });
        ResultsData {
            state,
            index,
            filtered,
            rows,
            selected_row,
        }
    }

    pub fn slot_of_row(&self, row: u32) -> Option<Slot> {
        let i = self.index.with_untracked(|ix| ix.ix.slot(row));
        self.lookups.slots.with_untracked(|s| s.get(i).copied())
    }

    /// The open delivery with the connection and scope its actions need. `before` is
    /// what this gave last time: the same row of the same load is handed on as it was
    /// (an `Arc`), so a refresh neither copies the delivery nor compares it field by field.
    pub fn selected(&self, before: Option<&Option<Selected>>) -> Option<Selected> {
        let row = self.selected_row.get()?;
        let generation = self.index.with(|ix| ix.generation);
        let i = self.index.with(|ix| ix.ix.slot(row));
        let slot = self.lookups.slots.with(|s| s.get(i).copied())?;
        let conn = slot.conn.get()?;
        let spec = slot.spec();
        let scope = RetryScope::of(spec.kind, &spec.form);
        let delivery = match before.and_then(Option::as_ref) {
            Some(b) if b.generation == generation && b.row == row => b.delivery.clone(),
            _ => Arc::new(self.index.with(|ix| ix.ix.get(row).cloned())?),
        };
        Some(Selected {
            delivery,
            conn,
            scope,
            generation,
            row,
        })
    }

    /// The rows an action on several deliveries covers: the ticked ones, else all shown.
    pub fn chosen_rows(&self) -> Vec<u32> {
        self.index.with_untracked(|ix| {
            self.checked.with_untracked(|t| {
                let ticked = t.keys(ix.generation);
                self.rows.with_untracked(|r| {
                    r.iter()
                        .copied()
                        .filter(|row| ticked.is_empty() || ticked.contains(ix.ix.key(*row)))
                        .collect()
                })
            })
        })
    }

    /// Reads the keys ticked in the current load (tracked; a new load has none).
    pub fn ticked<R>(&self, f: impl FnOnce(&std::collections::HashSet<String>) -> R) -> R {
        let generation = self.index.with(|ix| ix.generation);
        self.checked.with(|t| f(t.keys(generation)))
    }
}
