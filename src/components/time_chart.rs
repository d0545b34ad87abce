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
use chrono::{DateTime, Duration, Utc};
use hookscope_core::domain::DeliveryStatus;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

/// "12 Nov 14:00 – 15:00: 23 deliveries (20 success, 3 failed)", from the bar's period
/// as words (`range`, made once per bar: the time zone's arithmetic is the costly part).
fn bar_words(range: &str, b: &Bucket) -> String {
    let parts: Vec<String> = DeliveryStatus::ALL
        .iter()
        .zip(b.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.id()))
        .collect();
    format!(
        "{range}: {} deliveries{}",
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
    /// A bar was picked: its period, `[from, to)`.
    on_pick: Callback<(DateTime<Utc>, DateTime<Utc>)>,
    /// Shown after the range (e.g. a way back to all time).
    children: Children,
) -> impl IntoView {
    let tall = RwSignal::new(false);
    // The bars' periods: the bars are built again only when these change. A keystroke in
    // the search changes the counts alone, which `fill` writes into the bars in place:
    // building 48 bars again cost more than the rest of the overview. (Reactive
    // attributes on each bar did the same for 0.7 kB gzip more.)
    let periods =
        Memo::new(move |_| buckets.with(|b| b.iter().map(|b| (b.from, b.to)).collect::<Vec<_>>()));
    // Each bar's period in words (the time zone's arithmetic is the costly part).
    let ranges = Memo::new(move |_| {
        let zone = zone.get();
        periods.with(|p| {
            p.iter()
                .map(|(from, to)| format!("{} – {}", short(*from, zone), short(*to, zone)))
                .collect::<Vec<_>>()
        })
    });
    let max =
        Memo::new(move |_| buckets.with(|b| b.iter().map(Bucket::total).max().unwrap_or(0).max(1)));
    let plot = NodeRef::<leptos::html::Div>::new();
    let fill = move || {
        let max = max.get() as f64;
        let Some(plot) = plot.get() else {
            return;
        };
        let bars = plot.children();
        buckets.with(|all| {
            ranges.with(|ranges| {
                for (i, b) in all.iter().enumerate() {
                    let (Some(bar), Some(range)) = (bars.item(i as u32), ranges.get(i)) else {
                        continue;
                    };
                    let words = bar_words(range, b);
                    let _ = bar.set_attribute("data-count", &b.total().to_string());
                    let _ = bar
                        .set_attribute("aria-label", &format!("{words}. Show only this period."));
                    let parts = bar.children();
                    for (k, c) in b.counts.iter().enumerate() {
                        let Some(seg) = parts.item(k as u32) else {
                            continue;
                        };
                        if *c == 0 {
                            let _ = seg.set_attribute("hidden", "");
                        } else {
                            let _ = seg.remove_attribute("hidden");
                        }
                        if let Some(seg) = seg.dyn_ref::<web_sys::HtmlElement>() {
                            let h = format!("{:.2}%", *c as f64 * 100.0 / max);
                            let _ = seg.style().set_property("height", &h);
                        }
                    }
                    if let Some(tip) = parts.item(b.counts.len() as u32) {
                        tip.set_text_content(Some(&words));
                    }
                }
            })
        })
    };
    Effect::new(fill);
    let bar = move |i: usize, n: usize, from: DateTime<Utc>, to: DateTime<Utc>| {
        let pick = move || on_pick.run((from, to));
        // A segment per status (hidden while it has none) and the tip: `fill` writes them.
        let segs = DeliveryStatus::ALL
            .iter()
            .map(|s| view! { <span class=format!("bar bar--{}", s.id()) hidden></span> })
            .collect_view();
        let edge = place(i as f64 + 0.5, n as f64, LABEL_MARGIN).1;
        view! {
            <div
                class=format!("chart-bar {edge}")
                data-testid="chart-bar"
                data-from=from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                data-to=(to - Duration::seconds(1))
                    .to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                // One stop in the tab order for the whole chart; ← and → move along it.
                tabindex=if i == 0 { "0" } else { "-1" }
                role="button"
                on:click=move |_| pick()
                on:keydown=move |ev| {
                    let key = ev.key();
                    if key == "Enter" || key == " " {
                        ev.prevent_default();
                        pick();
                    } else if key == "ArrowLeft" || key == "ArrowRight" {
                        ev.prevent_default();
                        let next = if key == "ArrowLeft" { i } else { i + 2 };
                        crate::platform::focus(&format!(".tchart__plot > :nth-child({next})"));
                    }
                }
            >
                {segs}
                <span class="chart-bar__tip" aria-hidden="true"></span>
            </div>
        }
    };
    let chart = move || {
        let periods = periods.get();
        let (from, to) = (periods.first()?.0, periods.last()?.1);
        let n = periods.len();
        let bars = periods
            .into_iter()
            .enumerate()
            .map(|(i, (from, to))| bar(i, n, from, to))
            .collect_view();
        let whole = (to - from).num_seconds() as f64;
        let marks = move || {
            let zone = zone.get();
            ticks(from, to, zone, if tall.get() { 10 } else { 7 })
                .into_iter()
                .map(|t| {
                    let (left, edge) =
                        place((t.at - from).num_seconds() as f64, whole, LABEL_MARGIN);
                    view! {
                        <span class=edge style:left=left>
                            {t.label}
                        </span>
                    }
                })
                .collect_view()
        };
        let range = move || {
            let u = untimed.get();
            format!(
                "{}{}",
                range_text(from, to, zone.get()),
                if u > 0 {
                    format!(" ({u} without a readable time)")
                } else {
                    String::new()
                }
            )
        };
        Some(view! {
            <div class="tchart__y" aria-hidden="true">
                <span>{move || max.get()}</span>
                <span class="tchart__mid">{move || max.get() / 2}</span>
                <span>"0"</span>
            </div>
            <div
                class="tchart__plot"
                node_ref=plot
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
        })
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
