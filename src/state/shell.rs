//! What the shell shares with every page: where the explorer was left, whether demo data
//! is on screen (the header's badge), and the deployment's settings.

use crate::data::query::ExplorerQuery;
use crate::platform::config::RuntimeConfig;
use crate::platform::storage::{self, keys};
use leptos::prelude::*;

/// The explorer's URL for the header's "Explorer" link, so it returns to the view the
/// person left (its lookups are loaded again; keys are never part of it). While the
/// explorer is open it is the explorer's own URL (read, not copied); when the explorer
/// goes away, its last URL is kept, also in this tab's storage (a reload elsewhere
/// returns to it).
#[derive(Clone, Copy)]
pub struct LastExplorerHref {
    live: RwSignal<Option<Memo<ExplorerQuery>>>,
    left: RwSignal<String>,
}

impl LastExplorerHref {
    /// Starts from what this tab kept (an explorer path only).
    pub fn new() -> LastExplorerHref {
        let kept = storage::session_get(keys::LAST_EXPLORER)
            .filter(|h| h.starts_with("/explorer"))
            .unwrap_or_else(|| "/explorer".to_string());
        LastExplorerHref {
            live: RwSignal::new(None),
            left: RwSignal::new(kept),
        }
    }

    /// The link (tracked).
    pub fn href(&self) -> String {
        match self
            .live
            .get()
            .and_then(|q| q.try_with(ExplorerQuery::to_href))
        {
            Some(h) => h,
            None => self.left.get(),
        }
    }

    /// Called by the explorer as it mounts: its URL is the link until it goes away.
    pub fn follow(&self, query: Memo<ExplorerQuery>) {
        let this = *self;
        this.live.set(Some(query));
        on_cleanup(move || {
            if let Some(h) = query.try_with_untracked(ExplorerQuery::to_href) {
                storage::session_set(keys::LAST_EXPLORER, &h);
                let _ = this.left.try_set(h);
            }
            // A later explorer may have registered already; only clear our own.
            let _ = this.live.try_update(|l| {
                if *l == Some(query) {
                    *l = None;
                }
            });
        });
    }
}

impl Default for LastExplorerHref {
    fn default() -> Self {
        Self::new()
    }
}

/// True while the page shows demo data (drives `demo-badge`). Pages claim it: the page
/// mounted last owns it, so the cleanup of the page it replaced cannot clear its badge.
#[derive(Clone, Copy)]
pub struct DemoOnScreen {
    shown: RwSignal<bool>,
    holder: StoredValue<u64>,
}

impl DemoOnScreen {
    pub fn new() -> DemoOnScreen {
        DemoOnScreen {
            shown: RwSignal::new(false),
            holder: StoredValue::new(0),
        }
    }

    pub fn get(&self) -> bool {
        self.shown.get()
    }

    /// Called once by a page as it mounts; its cleanup releases the badge.
    pub fn claim(&self) -> DemoClaim {
        let id = self.holder.get_value().wrapping_add(1);
        self.holder.set_value(id);
        let claim = DemoClaim { badge: *self, id };
        on_cleanup(move || claim.set(false));
        claim
    }
}

impl Default for DemoOnScreen {
    fn default() -> Self {
        Self::new()
    }
}

/// One page's hold on [`DemoOnScreen`]: it writes only while no later page claimed it.
#[derive(Clone, Copy)]
pub struct DemoClaim {
    badge: DemoOnScreen,
    id: u64,
}

impl DemoClaim {
    pub fn set(&self, on: bool) {
        if self.badge.holder.try_get_value() == Some(self.id) {
            let _ = self.badge.shown.try_set(on);
        }
    }
}

/// The deployment's settings from `config.json`, read once at start-up.
pub type Config = std::sync::Arc<RuntimeConfig>;
