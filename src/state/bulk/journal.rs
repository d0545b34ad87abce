//! What a bulk run keeps in storage so nothing is lost: the draft (survives a reload) and
//! the run journal (written after every request: which calls were done, which were not),
//! which also tells other tabs that a run is in progress.

use crate::platform::storage::{self, keys};
use hookscope_core::bulk::{CallOutcome, Mode};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A running journal whose heartbeat is older than this belongs to a tab that is gone.
pub const STALE_MS: f64 = 10_000.0;

/// The form as the person left it.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Draft {
    #[serde(default)]
    pub ids: String,
    #[serde(default)]
    pub mode: Option<Mode>,
    #[serde(default)]
    pub url: String,
    #[serde(default)]
    pub connection: String,
}

impl Draft {
    /// The stored draft; an unreadable one is ignored (the form starts empty).
    pub fn load() -> Draft {
        storage::get(keys::BULK_DRAFT)
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default()
    }

    pub fn save(&self) {
        if let Ok(s) = serde_json::to_string(self) {
            storage::set(keys::BULK_DRAFT, &s);
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RunState {
    Running,
    Finished,
    Cancelled,
}

/// One run: what was asked and every outcome so far.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Journal {
    pub run_id: String,
    pub tab: String,
    pub mode: Mode,
    pub connection: String,
    #[serde(default)]
    pub url: String,
    pub ids: Vec<String>,
    pub outcomes: BTreeMap<String, CallOutcome>,
    pub state: RunState,
    pub heartbeat_ms: f64,
    pub started_ms: f64,
}

impl Journal {
    pub fn load() -> Option<Journal> {
        storage::get(keys::BULK_JOURNAL).and_then(|s| serde_json::from_str(&s).ok())
    }

    /// Writes the journal; false when the browser refused (the page then says so).
    pub fn save(&self) -> bool {
        serde_json::to_string(self)
            .map(|s| storage::set(keys::BULK_JOURNAL, &s))
            .unwrap_or(false)
    }

    pub fn clear() {
        storage::remove(keys::BULK_JOURNAL);
    }

    /// Running in another tab that is still alive.
    pub fn running_elsewhere(&self, my_tab: &str, now_ms: f64) -> bool {
        self.state == RunState::Running
            && self.tab != my_tab
            && now_ms - self.heartbeat_ms < STALE_MS
    }

    /// Left running by a tab that closed or crashed (or by this tab before a reload).
    pub fn interrupted(&self, my_tab: &str, now_ms: f64) -> bool {
        self.state == RunState::Running && !self.running_elsewhere(my_tab, now_ms)
    }

    /// Calls with no outcome yet: never sent, so safe to send.
    pub fn not_done(&self) -> Vec<String> {
        self.ids
            .iter()
            .filter(|i| !self.outcomes.contains_key(*i))
            .cloned()
            .collect()
    }
}

/// Counts per outcome id, in [`CallOutcome::IDS`] order.
pub fn counts<'a>(
    outcomes: impl Iterator<Item = &'a CallOutcome>,
) -> BTreeMap<&'static str, usize> {
    let mut c: BTreeMap<&'static str, usize> = CallOutcome::IDS.iter().map(|k| (*k, 0)).collect();
    for o in outcomes {
        if let Some(n) = c.get_mut(o.id()) {
            *n = n.saturating_add(1);
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;

    fn journal(state: RunState, tab: &str, heartbeat: f64) -> Journal {
        Journal {
            run_id: "r".into(),
            tab: tab.into(),
            mode: Mode::Create,
            connection: "c".into(),
            url: "https://x".into(),
            ids: vec!["a".into(), "b".into(), "c".into()],
            outcomes: [
                (
                    "a".to_string(),
                    CallOutcome::Created {
                        http_code: Some(200),
                        latency_ms: Some(5),
                    },
                ),
                (
                    "b".to_string(),
                    CallOutcome::Unknown {
                        message: "t".into(),
                    },
                ),
            ]
            .into_iter()
            .collect(),
            state,
            heartbeat_ms: heartbeat,
            started_ms: 0.0,
        }
    }

    #[test]
    fn interrupted_or_running_elsewhere() {
        let j = journal(RunState::Running, "other", 1_000.0);
        assert!(j.running_elsewhere("me", 5_000.0));
        assert!(!j.interrupted("me", 5_000.0));
        assert!(j.interrupted("me", 20_000.0), "a silent tab is gone");
        assert!(
            j.interrupted("other", 5_000.0),
            "this tab's own run before a reload"
        );
        assert!(!journal(RunState::Finished, "other", 1_000.0).interrupted("me", 20_000.0));
        // Unknown outcomes are not "not done": they are never re-sent by themselves.
        assert_eq!(j.not_done(), ["c"]);
        let back: Journal = serde_json::from_str(&serde_json::to_string(&j).unwrap()).unwrap();
        assert_eq!(back, j);
        let c = counts(j.outcomes.values());
        assert_eq!((c["created"], c["unknown"], c["failed"]), (1, 1, 0));
    }
}
