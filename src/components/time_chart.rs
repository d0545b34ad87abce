//! Deliveries over time: a hand-written bar chart stacked by status, with a time axis at
//! round hours or days, a y scale, and each bar's figures shown above it on hover or
//! focus (by CSS: no code runs as the pointer moves). A click (or Enter) on a bar picks
//! its period. Low by default; "Taller chart" gives it room.
//!
//! Hand-written, and in HTML rather than SVG: a chart crate costs ~150 kB gzip for one
//! bar chart, and boxes sized by percentage keep every text at its size whatever the
//! width. Sizes go through `style:` (CSSOM), which a strict CSP allows.

use crate::data::axis::{range_text, short, ticks};
use crate::data::overview::Bucket;
use crate::format::Zone;
use chrono::Duration;
use hookscope_core::domain::DeliveryStatus;
use leptos::prelude::*;

/// "12 Nov 14:00 – 15:00: 23 deliveries (20 success, 3 failed)".
fn bar_words(b: &Bucket, zone: Zone) -> String {
    let parts: Vec<String> = DeliveryStatus::ALL
        .iter()
        .zip(b.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.id()))
        .collect();
    format!(
        "{} – {}: {} deliveries{}",
        short(b.from, zone),
        short(b.to, zone),
        b.total(),
        if parts.is_empty() {
            String::new()
        } else {
            format!(" ({})", parts.join(", "))
        }
    )
}

/// `part` of `whole` as a CSS percentage, and how a text placed there is aligned so it
/// stays inside its figure: from its start within `margin` percent of the left edge, to
/// its end within `margin` of the right.
pub(crate) fn place(part: f64, whole: f64, margin: f64) -> (String, &'static str) {
    let p = (part / whole.max(f64::MIN_POSITIVE) * 100.0).clamp(0.0, 100.0);
    let edge = if p < margin {
        "at-start"
    } else if p > 100.0 - margin {
        "at-end"
    } else {
        ""
    };
    (format!("{p:.2}%"), edge)
}

/// How near the chart's edges a label turns inward (percent of its width).
const LABEL_MARGIN: f64 = 8.0;

#[component]
pub fn TimeChart(
    #[prop(into)] buckets: Signal<Vec<Bucket>>,
    /// Rows with no readable time (in no bar).
    #[prop(into)]
    untimed: Signal<usize>,
    #[prop(into)] zone: Signal<Zone>,
    /// A bar was picked.
    on_pick: Callback<Bucket>,
    /// Shown after the range (e.g. a way back to all time).
    children: Children,
) -> impl IntoView {
    let tall = RwSignal::new(false);
    let chart = move || {
        let zone = zone.get();
        let all = buckets.get();
        let n = all.len().max(1) as f64;
        let max = all.iter().map(Bucket::total).max().unwrap_or(0).max(1);
        let (Some(from), Some(to)) = (all.first().map(|b| b.from), all.last().map(|b| b.to)) else {
            return ().into_any();
        };
        let whole = (to - from).num_seconds() as f64;
        let bars = all
            .into_iter()
            .enumerate()
            .map(|(i, b)| {
                let segs = DeliveryStatus::ALL
                    .iter()
                    .zip(b.counts)
                    .filter(|(_, c)| *c > 0)
                    .map(|(s, c)| {
                        view! {
                            <span
                                class=format!("bar bar--{}", s.id())
                                style:height=format!("{:.2}%", c as f64 * 100.0 / max as f64)
                            ></span>
                        }
                    })
                    .collect_view();
                let words = bar_words(&b, zone);
                let aria = format!("{words}. Show only this period.");
                let edge = place(i as f64 + 0.5, n, LABEL_MARGIN).1;
                let (b1, b2) = (b.clone(), b.clone());
                view! {
                    <div
                        class=format!("chart-bar {edge}")
                        data-testid="chart-bar"
                        data-from=b.from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        data-to=(b.to - Duration::seconds(1))
                            .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        data-count=b.total().to_string()
                        // One stop in the tab order for the whole chart; ← and → move along it.
                        tabindex=if i == 0 { "0" } else { "-1" }
                        role="button"
                        aria-label=aria
                        on:click=move |_| on_pick.run(b1.clone())
                        on:keydown=move |ev| {
                            let key = ev.key();
                            if key == "Enter" || key == " " {
                                ev.prevent_default();
                                on_pick.run(b2.clone());
                            } else if key == "ArrowLeft" || key == "ArrowRight" {
                                ev.prevent_default();
                                let next = if key == "ArrowLeft" { i } else { i + 2 };
                                crate::platform::focus(
                                    &format!(".tchart__plot > :nth-child({next})"),
                                );
                            }
                        }
                    >
                        {segs}
                        <span class="chart-bar__tip" aria-hidden="true">
                            {words}
                        </span>
                    </div>
                }
            })
            .collect_view();
        let marks = ticks(from, to, zone, if tall.get() { 10 } else { 7 })
            .into_iter()
            .map(|t| {
                let (left, edge) = place((t.at - from).num_seconds() as f64, whole, LABEL_MARGIN);
                view! {
                    <span class=edge style:left=left>
                        {t.label}
                    </span>
                }
            })
            .collect_view();
        let u = untimed.get();
        let range = format!(
            "{}{}",
            range_text(from, to, zone),
            if u > 0 {
                format!(" ({u} without a readable time)")
            } else {
                String::new()
            }
        );
        view! {
            <div class="tchart__y" aria-hidden="true">
                <span>{max}</span>
                <span class="tchart__mid">{max / 2}</span>
                <span>"0"</span>
            </div>
            <div
                class="tchart__plot"
                role="group"
                aria-label="Deliveries over time, stacked by status (← and → move between bars)"
            >
                {bars}
            </div>
            <div class="tchart__x" aria-hidden="true">
                {marks}
            </div>
            <span class="tchart__range" data-testid="chart-range">
                {range}
            </span>
        }
        .into_any()
    };

    view! {
        <div class="tchart" class:tchart--tall=move || tall.get()>
            {chart}
            <div class="tchart__foot">
                {children()}
                <button
                    type="button"
                    class="link"
                    data-testid="chart-expand"
                    on:click=move |_| tall.update(|t| *t = !*t)
                >
                    {move || if tall.get() { "Smaller chart" } else { "Taller chart" }}
                </button>
            </div>
        </div>
    }
}
