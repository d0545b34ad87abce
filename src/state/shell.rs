//! What the shell shares with every page: where the explorer was left, whether demo data
//! is on screen (the header's badge), and the deployment's settings.

use crate::platform::config::RuntimeConfig;
use leptos::prelude::*;

/// The explorer's last URL, so "Explorer" in the header returns to the view the person
/// left (its lookups are loaded again; keys are never part of it).
#[derive(Clone, Copy)]
pub struct LastExplorerHref(pub RwSignal<String>);

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
