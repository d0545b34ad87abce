//! What the shell shares with every page: where the explorer was left, whether demo data
//! is on screen (the header's badge), and the deployment's settings.

use crate::data::query::ExplorerQuery;
use crate::platform::config::RuntimeConfig;
use crate::platform::storage::{self, keys};
use leptos::prelude::*;

/// The explorer's last URL, for the header's "Explorer" link, so it returns to the view
/// the person left (its lookups are loaded again; keys are never part of it). Kept per tab
/// (sessionStorage), so a reload on another page returns to the same view.
///
/// This one is copied, on purpose: the header outlives the explorer, and reading the
/// explorer's own URL memo from the header while the explorer is being disposed reads
/// disposed values. The explorer writes each new URL here (and to storage) as it changes.
#[derive(Clone, Copy)]
pub struct LastExplorerHref(RwSignal<String>);

impl LastExplorerHref {
    /// Starts from what this tab kept (an explorer path only).
    pub fn new() -> LastExplorerHref {
        let kept = storage::session_get(keys::LAST_EXPLORER)
            .filter(|h| h.starts_with("/explorer"))
            .unwrap_or_else(|| "/explorer".to_string());
        LastExplorerHref(RwSignal::new(kept))
    }

    /// The link (tracked).
    pub fn href(&self) -> String {
        self.0.get()
    }

    /// Called by the explorer as it mounts: each of its URLs becomes the link.
    pub fn follow(&self, query: Memo<ExplorerQuery>) {
        let this = *self;
        Effect::new(move |_| {
            let href = query.with(ExplorerQuery::to_href);
            storage::session_set(keys::LAST_EXPLORER, &href);
            this.0.set(href);
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
