//! The overview strip above the table, for the filtered rows: deliveries by status (a
//! click shows only that status), success rate, p50/p95 latency, failures by HTTP code
//! and by cause (a click on a code filters by it), and the chart of deliveries over time
//! (a click on a bar narrows the time filter).

use crate::components::time_chart::TimeChart;
use crate::data::filters::{CodeFilter, TimeRange};
use crate::data::index::IndexRef;
use crate::data::overview::Overview;
use crate::format;
use crate::platform::slices;
use crate::state::results::ResultsData;
use chrono::{DateTime, Duration, Utc};
use leptos::prelude::*;
use std::sync::Arc;

#[component]
pub fn OverviewPanel(state: ResultsData) -> impl IntoView {
    // The strip follows the rows one task later (as React's useDeferredValue does): the
    // table and its counts are drawn first, and the strip's pass over 100,000 rows runs in
    // a task of its own, so neither holds the page for long.
    let shown = slices::deferred(
        (IndexRef::default(), Arc::new(Vec::<u32>::new())),
        move || (state.index.get(), state.rows.get()),
    );
    let overview = Memo::new(move |_| shown.with(|(ix, rows)| Overview::of(&ix.ix, rows)));
    let status_counts = Memo::new(move |_| state.index.with(|ix| ix.ix.status_totals()));
    let status_filter = Memo::new(move |_| state.query.with(|q| q.filters.status.clone()));
    let causes = Memo::new(move |_| shown.with(|(ix, rows)| ix.ix.causes(rows)));
    let narrow_to = Callback::new(move |(from, to): (DateTime<Utc>, DateTime<Utc>)| {
        let to = to - Duration::seconds(1);
        state.update(|q| q.filters.time = TimeRange::between(Some(from), Some(to)));
    });
    let time_filtered = move || state.query.with(|q| !q.filters.time.is_any());
    view! {
        <section
            class="overview"
            data-testid="overview"
            aria-label="Overview of the deliveries shown"
            data-success-rate=move || {
                overview.with(|o| o.success_rate.map(|r| format!("{r:.1}")).unwrap_or_default())
            }
            data-p50-ms=move || {
                overview.with(|o| o.p50_ms.map(|v| v.to_string()).unwrap_or_default())
            }
            data-p95-ms=move || {
                overview.with(|o| o.p95_ms.map(|v| v.to_string()).unwrap_or_default())
            }
        >
            <div class="overview__figures">
                <div class="overview__line">
                    <span class="summary" data-testid="status-summary">
                        {move || {
                            status_counts
                                .get()
                                .into_iter()
                                .map(|(st, n)| {
                                    let id = st.id();
                                    let only = move || status_filter.with(|s| s.as_slice() == [st]);
                                    view! {
                                        <button
                                            type="button"
                                            class=format!("summary__item pill pill--{id}")
                                            data-status=id
                                            data-count=n.to_string()
                                            aria-pressed=move || only().to_string()
                                            title=format!("Show only {id} deliveries")
                                            on:click=move |_| {
                                                let v = if only() { vec![] } else { vec![st] };
                                                state.update(|q| q.filters.status = v)
                                            }
                                        >
                                            {format!("{n} {id}")}
                                        </button>
                                    }
                                })
                                .collect_view()
                        }}
                    </span>
                    <span
                        class="stat"
                        title="Succeeded among the deliveries tried (pending ones are not counted)"
                    >
                        <strong class="stat__value">
                            {move || {
                                overview
                                    .with(|o| {
                                        o.success_rate
                                            .map(|r| format!("{r:.1} %"))
                                            .unwrap_or_else(|| "—".into())
                                    })
                            }}
                        </strong>
                        " success"
                    </span>
                    <span class="stat" title="Median latency of the last attempt">
                        <strong class="stat__value">
                            {move || format::duration(overview.with(|o| o.p50_ms))}
                        </strong>
                        " p50"
                    </span>
                    <span class="stat" title="95th percentile latency of the last attempt">
                        <strong class="stat__value">
                            {move || format::duration(overview.with(|o| o.p95_ms))}
                        </strong>
                        " p95"
                    </span>
                </div>
                <div class="overview__line">
                    <span class="stat__label">"Failures by HTTP code"</span>
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
                                        title=format!(
                                            "Show only deliveries whose last answer was {}",
                                            f.label(),
                                        )
                                        on:click=move |_| state.update(|q| q.filters.code = vec![f])
                                    >
                                        {format!("{} · {n}", f.label())}
                                    </button>
                                }
                            })
                            .collect_view()
                            .into_any()
                    }}
                </div>
                {move || {
                    let c = causes.get();
                    (!c.is_empty())
                        .then(|| {
                            view! {
                                <p class="overview__line" data-testid="cause-counts">
                                    <span class="stat__label">"Why they failed"</span>
                                    {c
                                        .into_iter()
                                        .map(|(c, n)| {
                                            view! {
                                                <span
                                                    class="tag"
                                                    data-cause=c.id()
                                                    data-count=n.to_string()
                                                >
                                                    {format!("{n} {}", c.label())}
                                                </span>
                                            }
                                        })
                                        .collect_view()}
                                </p>
                            }
                        })
                }}
            </div>
            <TimeChart
                buckets=Signal::derive(move || overview.with(|o| o.buckets.clone()))
                untimed=Signal::derive(move || overview.with(|o| o.untimed))
                zone=state.zone
                on_pick=narrow_to
            >
                {move || {
                    time_filtered()
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="link"
                                    data-testid="overview-all-time"
                                    on:click=move |_| {
                                        state.update(|q| q.filters.time = TimeRange::Any)
                                    }
                                >
                                    "all time"
                                </button>
                            }
                        })
                }}
            </TimeChart>
        </section>
    }
}
