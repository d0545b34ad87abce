//! The overview above the table, for the filtered rows: success rate, p50/p95 latency,
//! failures by HTTP code (a click filters by that code) and a hand-written SVG chart of
//! deliveries over time stacked by status (a click on a bar narrows the time filter).
//! Hand-written: a chart crate costs ~150 kB gzip for what is one stacked bar chart.

use crate::data::filters::{CodeFilter, TimeRange};
use crate::data::overview::{Bucket, Overview};
use crate::format::{self, Zone};
use crate::state::results::ResultsData;
use chrono::Duration;
use hookscope_core::domain::DeliveryStatus;
use leptos::prelude::*;

const W: f64 = 960.0;
const H: f64 = 120.0;

fn bar_label(b: &Bucket, zone: Zone) -> String {
    let parts: Vec<String> = DeliveryStatus::ALL
        .iter()
        .zip(b.counts)
        .filter(|(_, n)| *n > 0)
        .map(|(s, n)| format!("{n} {}", s.id()))
        .collect();
    format!(
        "{} – {}: {} deliveries ({}). Click to show only this period.",
        format::absolute(b.from, zone),
        format::absolute(b.to, zone),
        b.total(),
        if parts.is_empty() {
            "none".into()
        } else {
            parts.join(", ")
        }
    )
}

#[component]
pub fn OverviewPanel(state: ResultsData) -> impl IntoView {
    let overview = Memo::new(move |_| {
        state
            .index
            .with(|ix| state.rows.with(|r| Overview::of(&ix.ix, r)))
    });
    let narrow_to = move |b: &Bucket| {
        let (from, to) = (b.from, b.to - Duration::seconds(1));
        state.update(|q| q.filters.time = TimeRange::between(Some(from), Some(to)));
    };
    let chart = move || {
        let o = overview.get();
        let zone = state.zone.get();
        let n = o.buckets.len().max(1) as f64;
        let max = o
            .buckets
            .iter()
            .map(Bucket::total)
            .max()
            .unwrap_or(0)
            .max(1) as f64;
        let slot = W / n;
        let gap = (slot * 0.15).min(4.0);
        let bars = o
            .buckets
            .into_iter()
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
                        let h = (c as f64 / max * (H - 4.0)).max(1.0);
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
                let label = bar_label(&b, zone);
                let aria = label.clone();
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
                        on:click=move |_| narrow_to(&b1)
                        on:keydown=move |ev| {
                            if ev.key() == "Enter" || ev.key() == " " {
                                ev.prevent_default();
                                narrow_to(&b2);
                            }
                        }
                    >
                        <title>{label}</title>
                        // The whole column is the target, not only the coloured part.
                        <rect class="bar__hit" x=format!("{x:.1}") y="0" width=format!("{w:.1}") height=format!("{H}")></rect>
                        {segs}
                    </g>
                }
            })
            .collect_view();
        view! {
            <svg
                class="chart"
                viewBox=format!("0 0 {W} {H}")
                preserveAspectRatio="none"
                role="group"
                aria-label="Deliveries over time, stacked by status"
            >
                {bars}
            </svg>
        }
    };
    let range_text = move || {
        let o = overview.get();
        let zone = state.zone.get();
        match (o.buckets.first(), o.buckets.last()) {
            (Some(a), Some(b)) => format!(
                "{} → {}{}",
                format::absolute(a.from, zone),
                format::absolute(b.to, zone),
                if o.untimed > 0 {
                    format!(" ({} without a readable time)", o.untimed)
                } else {
                    String::new()
                }
            ),
            _ => String::new(),
        }
    };
    let time_filtered = move || state.query.with(|q| !q.filters.time.is_any());

    view! {
        <section
            class="overview card"
            data-testid="overview"
            aria-label="Overview of the deliveries shown"
            data-success-rate=move || overview.with(|o| o.success_rate.map(|r| format!("{r:.1}")).unwrap_or_default())
            data-p50-ms=move || overview.with(|o| o.p50_ms.map(|v| v.to_string()).unwrap_or_default())
            data-p95-ms=move || overview.with(|o| o.p95_ms.map(|v| v.to_string()).unwrap_or_default())
        >
            <div class="overview__stats">
                <div class="stat" title="Succeeded among the deliveries tried (pending ones are not counted)">
                    <span class="stat__value">
                        {move || overview.with(|o| o.success_rate.map(|r| format!("{r:.1} %")).unwrap_or_else(|| "—".into()))}
                    </span>
                    <span class="stat__label">"success rate"</span>
                </div>
                <div class="stat">
                    <span class="stat__value">{move || format::duration(overview.with(|o| o.p50_ms))}</span>
                    <span class="stat__label">"p50 latency"</span>
                </div>
                <div class="stat">
                    <span class="stat__value">{move || format::duration(overview.with(|o| o.p95_ms))}</span>
                    <span class="stat__label">"p95 latency"</span>
                </div>
                <div class="stat stat--codes">
                    <span class="stat__label">"failures by HTTP code"</span>
                    <span class="codes">
                        {move || {
                            let codes = overview.with(|o| o.failure_codes.clone());
                            if codes.is_empty() {
                                return view! { <span class="muted">"none"</span> }.into_any();
                            }
                            codes
                                .into_iter()
                                .take(8)
                                .map(|(c, n)| {
                                    let f = c.map_or(CodeFilter::None, CodeFilter::Exact);
                                    view! {
                                        <button
                                            type="button"
                                            class="tag code-count"
                                            data-testid="overview-code"
                                            data-code=f.id()
                                            data-count=n.to_string()
                                            title=format!("Show only deliveries whose last answer was {}", f.label())
                                            on:click=move |_| state.update(|q| q.filters.code = vec![f])
                                        >
                                            {format!("{} · {n}", f.label())}
                                        </button>
                                    }
                                })
                                .collect_view()
                                .into_any()
                        }}
                    </span>
                </div>
            </div>
            {chart}
            <div class="overview__axis muted">
                <span>{range_text}</span>
                {move || {
                    time_filtered()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="link"
                                    data-testid="overview-all-time"
                                    on:click=move |_| state.update(|q| q.filters.time = TimeRange::Any)
                                >
                                    "all time"
                                </button>
                            }
                        })
                }}
            </div>
        </section>
    }
}
