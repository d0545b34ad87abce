//! How a long fan-out is paced by its connection's budget, where its progress shows:
//! "paced to 100/min by Talkover's limit · about 9 min left".

use hookscope_core::pacing::Paced;
use leptos::prelude::*;

/// The pace of `vendor`'s requests, or nothing when the budget holds nothing back.
pub fn pace_note(paced: Option<Paced>, vendor: &str) -> impl IntoView {
    paced.map(|p| {
        let (limit, window) = p.rate.unzip();
        view! {
            <span
                class="tag"
                data-testid="pace"
                data-limit=limit.map(|l| l.to_string()).unwrap_or_default()
                data-window-secs=window.map(|w| w.to_string()).unwrap_or_default()
                data-eta-secs=p.eta_secs.to_string()
            >
                {p.describe(vendor)}
            </span>
        }
    })
}
