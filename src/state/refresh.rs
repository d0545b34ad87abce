//! Auto-refresh: while any loaded delivery is pending or retrying, the view's lookups are
//! loaded again every 15 s; paused while the tab is hidden, a load runs or a cancelled
//! load's rows so far are shown; after a refresh that ended in errors the wait doubles
//! (up to 5 min). Filters, selection and scroll stay, since only the rows change.
//!
//! A one-second tick written here (gloo's interval under Leptos's helper) rather than
//! `leptos-use-interval-fn` + `-document-visibility`: the countdown, the pause reasons and
//! the back-off all live in this one tick.

use crate::state::results::ResultsData;
use hookscope_core::domain::DeliveryStatus;
use leptos::prelude::*;

pub const BASE_SECS: u32 = 15;
pub const MAX_SECS: u32 = 300;

/// What the toggle shows beside it.
#[derive(Clone, Debug, PartialEq)]
pub enum RefreshState {
    Off,
    Waiting { secs: u32, backoff: bool },
    Paused(&'static str),
}

#[derive(Clone, Copy)]
pub struct AutoRefresh {
    pub on: RwSignal<bool>,
    pub state: RwSignal<RefreshState>,
}

/// The next wait: doubled after a refresh with errors, back to the base after a clean one.
pub fn next_wait(current: u32, had_errors: bool) -> u32 {
    if had_errors {
        current.saturating_mul(2).clamp(BASE_SECS, MAX_SECS)
    } else {
        BASE_SECS
    }
}

fn tab_hidden() -> bool {
    web_sys::window()
        .and_then(|w| w.document())
        .is_some_and(|d| d.hidden())
}

impl AutoRefresh {
    pub fn new(ex: ResultsData) -> AutoRefresh {
        let a = AutoRefresh {
            on: RwSignal::new(false),
            state: RwSignal::new(RefreshState::Off),
        };
        let open = Memo::new(move |_| {
            ex.index.with(|ix| {
                ix.ix.status_totals().iter().any(|(s, n)| {
                    *n > 0 && matches!(s, DeliveryStatus::Pending | DeliveryStatus::Retrying)
                })
            })
        });
        let wait = StoredValue::new(BASE_SECS);
        let left = StoredValue::new(BASE_SECS);
        let tick = move || {
            if !a.on.get_untracked() {
                let _ = a.state.try_set(RefreshState::Off);
                return;
            }
            let paused = if tab_hidden() {
                Some("paused while this tab is hidden")
            } else if ex.lookups.any_loading_untracked() {
                Some("waiting for the current load")
            } else if ex.lookups.any_stopped_untracked() {
                // Refreshing would start again the load the person just cancelled.
                Some("a load was cancelled: Refresh loads it all")
            } else if !open.get_untracked() {
                Some("nothing pending or retrying")
            } else {
                None
            };
            if let Some(why) = paused {
                let _ = a.state.try_set(RefreshState::Paused(why));
                return;
            }
            let l = left.get_value().saturating_sub(1);
            if l == 0 {
                let errors = ex.lookups.any_failures_untracked();
                let w = next_wait(wait.get_value(), errors);
                wait.set_value(w);
                left.set_value(w);
                ex.lookups.refresh_all();
            } else {
                left.set_value(l);
            }
            let _ = a.state.try_set(RefreshState::Waiting {
                secs: left.get_value(),
                backoff: wait.get_value() > BASE_SECS,
            });
        };
        Effect::new(move |_| {
            if a.on.get() {
                wait.set_value(BASE_SECS);
                left.set_value(BASE_SECS);
            }
            tick();
        });
        let h = set_interval_with_handle(tick, std::time::Duration::from_secs(1));
        on_cleanup(move || {
            if let Ok(h) = h {
                h.clear();
            }
        });
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn errors_back_off_and_a_clean_refresh_resets() {
        assert_eq!(next_wait(15, true), 30);
        assert_eq!(next_wait(240, true), 300);
        assert_eq!(next_wait(300, true), 300);
        assert_eq!(next_wait(120, false), 15);
    }
}
