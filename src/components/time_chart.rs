//! Deliveries over time: a hand-written SVG bar chart stacked by status, with a time axis
//! at round hours or days, a y scale, and the hovered or focused bar's figures written
//! above it. A click (or Enter) on a bar picks its period. Low by default; "Taller"
//! gives it room. Hand-written: a chart crate costs ~150 kB gzip for one bar chart.
//!
//! The bars stretch with the width (`preserveAspectRatio="none"`); every text is HTML
//! placed by percentage, so it stays at its size whatever the width.

use crate::data::axis::{range_text, short, ticks};
use crate::data::overview::Bucket;
use crate::format::Zone;
use chrono::Duration;
use hookscope_core::domain::DeliveryStatus;
use leptos::prelude::*;

const W: f64 = 960.0;
const H: f64 = 100.0;

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
/// stays inside the chart (from its start near the left edge, to its end near the right).
fn place(part: f64, whole: f64) -> (String, &'static str) {
    let p = (part / whole.max(f64::MIN_POSITIVE) * 100.0).clamp(0.0, 100.0);
    let edge = if p < 8.0 {
        "at-start"
    } else if p > 92.0 {
        "at-end"
    } else {
        ""
    };
    (format!("{p:.2}%"), edge)
}

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
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let tall = RwSignal::new(false);
    let hover = RwSignal::new(None::<usize>);
    let max =
        Memo::new(move |_| buckets.with(|b| b.iter().map(Bucket::total).max().unwrap_or(0).max(1)));
    let span = Memo::new(move |_| {
        buckets.with(|b| match (b.first(), b.last()) {
            (Some(a), Some(z)) => Some((a.from, z.to)),
            _ => None,
        })
    });
    let bars = move || {
        let max = max.get() as f64;
        let zone = zone.get();
        let all = buckets.get();
        let slot = W / all.len().max(1) as f64;
        let gap = (slot * 0.15).min(4.0);
        all.into_iter()
            .enumerate()
            .map(|(i, b)| {
                let x = i as f64 * slot + gap / 2.0;
                let w = (slot - gap).max(1.0);
                let mut y = H;
                let segs = DeliveryStatus::ALL
                    .iter()
                    .zip(b.counts)
                    .filter(|(_, c)| *c > 0)
                    .map(|(s, c)| {
                        let h = (c as f64 / max * H).max(1.5);
                        y -= h;
                        view! {
                            <rect
                                class=format!("bar bar--{}", s.id())
                                x=format!("{x:.1}")
                                y=format!("{y:.1}")
                                width=format!("{w:.1}")
                                height=format!("{h:.1}")
                            ></rect>
                        }
                    })
                    .collect_view();
                let words = bar_words(&b, zone);
                let aria = format!("{words}. Show only this period.");
                let (b1, b2) = (b.clone(), b.clone());
                view! {
                    <g
                        class="chart-bar"
                        data-testid="chart-bar"
                        data-from=b.from.to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        data-to=(b.to - Duration::seconds(1)).to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
                        data-count=b.total().to_string()
                        tabindex="0"
                        role="button"
                        aria-label=aria
                        on:click=move |_| on_pick.run(b1.clone())
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                on_pick.run(b2.clone());
                            }
                        }
                        on:mouseenter=move |_| hover.set(Some(i))
                        on:mouseleave=move |_| hover.set(None)
                        on:focus=move |_| hover.set(Some(i))
                        on:blur=move |_| hover.set(None)
                    >
                        // The whole column is the target, not only the coloured part.
                        <rect class="bar__hit" x=format!("{x:.1}") y="0" width=format!("{w:.1}") height=format!("{H}")></rect>
                        {segs}
                    </g>
                }
            })
            .collect_view()
    };
    let tick_marks = move || {
        let Some((from, to)) = span.get() else {
            return vec![];
        };
        let whole = (to - from).num_seconds() as f64;
        let n = if tall.get() { 10 } else { 7 };
        ticks(from, to, zone.get(), n)
            .into_iter()
            .map(|t| (place((t.at - from).num_seconds() as f64, whole), t.label))
            .collect::<Vec<_>>()
    };
    let tip = move || {
        let i = hover.get()?;
        let b = buckets.with(|b| b.get(i).cloned())?;
        let n = buckets.with(Vec::len) as f64;
        Some((place(i as f64 + 0.5, n), bar_words(&b, zone.get())))
    };

    view! {
        <div class="tchart" class:tchart--tall=move || tall.get()>
            <div class="tchart__y" aria-hidden="true">
                <span>{move || max.get().to_string()}</span>
                <span class="tchart__mid">{move || (max.get() / 2).to_string()}</span>
                <span>"0"</span>
            </div>
            <div class="tchart__plot">
                <svg
                    class="chart"
                    viewBox=format!("0 0 {W} {H}")
                    preserveAspectRatio="none"
                    role="group"
                    aria-label="Deliveries over time, stacked by status"
                >
                    <line class="chart__grid" x1="0" x2=W y1="0.5" y2="0.5"></line>
                    <line class="chart__grid chart__grid--mid" x1="0" x2=W y1=H / 2.0 y2=H / 2.0></line>
                    <line class="chart__grid" x1="0" x2=W y1=H - 0.5 y2=H - 0.5></line>
                    {bars}
                </svg>
                {move || {
                    tip()
                        .map(|((left, edge), words)| {
                            view! {
                                <div class=format!("tchart__tip {edge}") aria-hidden="true" style:left=left>
                                    {words}
                                </div>
                            }
                        })
                }}
                <div class="tchart__x" aria-hidden="true">
                    {move || {
                        tick_marks()
                            .into_iter()
                            .map(|((left, edge), label)| view! { <span class=edge style:left=left>{label}</span> })
                            .collect_view()
                    }}
                </div>
            </div>
            <div class="tchart__foot">
                <span data-testid="chart-range">
                    {move || {
                        let u = untimed.get();
                        span.get()
                            .map(|(a, b)| {
                                format!(
                                    "{}{}",
                                    range_text(a, b, zone.get()),
                                    if u > 0 { format!(" ({u} without a readable time)") } else { String::new() },
                                )
                            })
                    }}
                </span>
                {children.map(|c| c())}
                <button
                    type="button"
                    class="link"
                    data-testid="chart-expand"
                    aria-pressed=move || tall.get().to_string()
                    on:click=move |_| tall.update(|t| *t = !*t)
                >
                    {move || if tall.get() { "Smaller chart" } else { "Taller chart" }}
                </button>
            </div>
        </div>
    }
}
