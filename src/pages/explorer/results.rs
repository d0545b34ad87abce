//! What a loaded view shows: the toolbar (count, refresh, time zone, exports, actions on
//! several rows), the status strip, why failures failed, notes, and the table beside the
//! open delivery.

use crate::components::delivery_table::DeliveryTable;
use crate::components::replay_many::{ReplayMany, ReplayScope, ReplayState};
use crate::components::side_sheet::SideSheet;
use crate::data::filters::Column;
use crate::format::Zone;
use crate::net::replay::plan;
use crate::platform::download;
use crate::platform::split::lazy_view;
use crate::state::refresh::{AutoRefresh, RefreshState};
use crate::state::results::ResultsData;
use crate::state::views::view_text;
use hookscope_core::lookup::LookupKind;
use hookscope_core::replay::RetryScope;
use leptos::prelude::*;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Body {
    Nothing,
    Empty,
    NoMatches,
    Table,
}

#[component]
pub fn Results(state: ResultsData, auto: AutoRefresh) -> impl IntoView {
    let q = state.query;
    let total = Memo::new(move |_| state.index.with(|ix| ix.ix.len()));
    let shown = Memo::new(move |_| state.rows.with(|r| r.len()));
    // One task after the rows, with the page around it (`ExplorerState::shown`).
    let any_result = state.shown;
    let body = Memo::new(move |_| {
        if !any_result.get() {
            Body::Nothing
        } else if total.get() == 0 {
            Body::Empty
        } else if shown.get() == 0 {
            Body::NoMatches
        } else {
            Body::Table
        }
    });
    let notes = Memo::new(move |_| {
        state.lookups.slots.with(|slots| {
            let several = slots.len() > 1;
            slots
                .iter()
                .flat_map(|s| {
                    let conn = s.spec().conn;
                    s.result.with(|r| {
                        let Some(r) = r else { return vec![] };
                        let mut out: Vec<String> = r.notes.clone();
                        out.extend(s.stopped.get());
                        if let Some(t) = r.vendor_total {
                            out.push(format!("{t} logs reported by the vendor."));
                        }
                        if several {
                            out.iter_mut().for_each(|n| *n = format!("{conn}: {n}"));
                        }
                        out
                    })
                })
                .collect::<Vec<_>>()
        })
    });
    let several_slots = Memo::new(move |_| state.lookups.slots.with(|s| s.len() > 1));
    let hidden = Memo::new(move |_| {
        let mut h = q.with(|q| q.hidden.clone());
        if !several_slots.get() {
            h.extend([Column::Vendor, Column::Connection]);
        }
        h
    });
    let sort = Memo::new(move |_| q.with(|q| q.sort));
    // The table scrolls back to the top when filters or sort change, not on a refresh.
    let view_key = Memo::new(move |_| q.with(view_text));
    let selected_key = Memo::new(move |_| q.with(|q| q.sel.clone()));
    let selected = Memo::new(move |before| state.selected(before));
    // The sheet stays while the cursor moves from one delivery to the next.
    let is_open = Memo::new(move |_| selected.with(Option::is_some));

    // Actions on several rows need one connection: the ticked (or shown) rows' lookup.
    let replay = ReplayState::default();
    let scope = Memo::new(move |_| {
        let rows = state.chosen_rows();
        state.checked.track();
        state.rows.track();
        // One pass, no sort: 100,000 rows are walked on every keystroke.
        let one = state.index.with(|ix| {
            let mut slots = rows.iter().map(|r| ix.ix.slot(*r));
            let first = slots.next()?;
            slots.all(|s| s == first).then_some(first)
        });
        one.and_then(|one| state.lookups.slots.with(|s| s.get(one).copied()))
    });
    // What a replay plan is bound to: this lookup on this connection, these filters and
    // these ticked rows (an order-free fingerprint, so 100,000 ticks are not joined).
    let replay_scope = Signal::derive(move || {
        let slot = scope.get()?;
        let conn = slot.conn.get()?;
        let spec = slot.spec();
        let ticked = state.ticked(|c| {
            use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
            let h = BuildHasherDefault::<DefaultHasher>::default();
            (c.len(), c.iter().fold(0u64, |acc, k| acc ^ h.hash_one(k)))
        });
        Some(ReplayScope {
            origin: RetryScope::of(spec.kind, &spec.form),
            view: format!(
                "{}|{}|{}|{ticked:?}",
                slot.id,
                crate::data::query::ExplorerQuery {
                    lookups: vec![spec],
                    ..Default::default()
                }
                .to_href(),
                view_key.get()
            ),
            conn,
        })
    });
    // Exports run in chunks with a progress (100,000 rows never freeze the page).
    let exporting = RwSignal::new(None::<(usize, usize)>);
    let export = move |format: download::Format| {
        let ix = state.index.with_untracked(|ix| ix.ix.clone());
        let rows = state.chosen_rows();
        exporting.set(Some((0, rows.len())));
        leptos::task::spawn_local(async move {
            if export_rows(ix, rows, format, exporting).await.is_err() {
                let _ = exporting.try_set(None);
            }
        });
    };

    view! {
        {move || match body.get() {
            Body::Nothing => ().into_any(),
            _ => {
                view! {
                    <div class="toolbar">
                        <span
                            class="row-count"
                            data-testid="row-count"
                            data-count=move || shown.get().to_string()
                            aria-live="polite"
                        >
                            {move || {
                                let so_far = if state.lookups.any_partial_loading() {
                                    " so far"
                                } else {
                                    ""
                                };
                                format!("{} of {} deliveries{so_far}", shown.get(), total.get())
                            }}
                        </span>
                        {move || {
                            let n = notes.get();
                            (!n.is_empty())
                                .then(|| {
                                    let all = n.join(" · ");
                                    view! {
                                        <ul class="notes" data-testid="lookup-notes" title=all>
                                            {n
                                                .into_iter()
                                                .map(|n| view! { <li>{n}</li> })
                                                .collect_view()}
                                        </ul>
                                    }
                                })
                        }}
                        <button
                            type="button"
                            data-testid="lookup-refresh"
                            on:click=move |_| state.lookups.refresh_all()
                        >
                            "Refresh"
                        </button>
                        <label
                            class="inline"
                            title="Load the view again while deliveries are pending or retrying"
                        >
                            <input
                                type="checkbox"
                                data-testid="auto-refresh"
                                prop:checked=move || auto.on.get()
                                on:change=move |ev| auto.on.set(event_target_checked(&ev))
                            />
                            "Auto-refresh"
                            <span class="muted" data-testid="auto-refresh-state" aria-live="polite">
                                {move || match auto.state.get() {
                                    RefreshState::Off => String::new(),
                                    RefreshState::Waiting { secs, backoff: false } => {
                                        format!("in {secs} s")
                                    }
                                    RefreshState::Waiting { secs, backoff: true } => {
                                        format!("in {secs} s (slowed after errors)")
                                    }
                                    RefreshState::Paused(why) => why.to_string(),
                                }}
                            </span>
                        </label>
                        <button
                            type="button"
                            class="toggle"
                            data-testid="time-zone"
                            data-zone=move || state.zone.get().id()
                            aria-pressed=move || (state.zone.get() == Zone::Utc).to_string()
                            title="Show absolute times in UTC or in this browser's time zone"
                            on:click=move |_| {
                                state
                                    .zone
                                    .update(|z| {
                                        *z = if *z == Zone::Utc { Zone::Local } else { Zone::Utc };
                                    })
                            }
                        >
                            {move || {
                                if state.zone.get() == Zone::Utc {
                                    "Times: UTC"
                                } else {
                                    "Times: local"
                                }
                            }}
                        </button>
                        {[
                            (download::Format::Csv, "export-csv", "CSV"),
                            (download::Format::Json, "export-json", "JSON"),
                        ]
                            .into_iter()
                            .map(|(format, testid, label)| {
                                view! {
                                    <button
                                        type="button"
                                        class="export"
                                        data-testid=testid
                                        title=format!("The rows shown (or ticked) as {label}")
                                        on:click=move |_| export(format)
                                    >
                                        {label}
                                    </button>
                                }
                            })
                            .collect_view()}
                        {move || {
                            exporting
                                .get()
                                .map(|(d, t)| {
                                    view! {
                                        <span
                                            class="muted"
                                            data-testid="export-progress"
                                            role="status"
                                        >
                                            {format!("Exporting… {d} of {t}")}
                                        </span>
                                    }
                                })
                        }}
                        <ReplayMany
                            state=replay
                            plan_for=Callback::new(move |v| {
                                let rows = state.chosen_rows();
                                state
                                    .index
                                    .with_untracked(|ix| plan(
                                        v,
                                        rows.iter().filter_map(|r| ix.ix.get(*r)),
                                    ))
                            })
                            vendors=Signal::derive(move || {
                                scope
                                    .get()
                                    .filter(|s| s.spec().kind != LookupKind::BlandSms)
                                    .map(|s| vec![s.spec().kind.vendor()])
                                    .unwrap_or_default()
                            })
                            selected=Signal::derive(move || state.ticked(|c| !c.is_empty()))
                            scope=replay_scope
                            on_done=Callback::new(move |_| state.lookups.refresh_all())
                        />
                        {move || {
                            (several_slots.get() && scope.get().is_none())
                                .then(|| {
                                    view! {
                                        <span class="muted hint">
                                            "Retry and resend act on one lookup at a time: tick its rows or filter by vendor."
                                        </span>
                                    }
                                })
                        }}
                        <details class="columns" data-testid="columns">
                            <summary>"Columns"</summary>
                            <div class="columns__list">
                                {Column::ALL
                                    .into_iter()
                                    .map(|c| {
                                        view! {
                                            <label class="inline">
                                                <input
                                                    type="checkbox"
                                                    data-testid="column-toggle"
                                                    data-column=c.id()
                                                    prop:checked=move || q.with(|q| !q.hidden.contains(&c))
                                                    on:change=move |ev| {
                                                        let show = event_target_checked(&ev);
                                                        state
                                                            .update(|q| {
                                                                q.hidden.retain(|h| *h != c);
                                                                if !show {
                                                                    q.hidden.push(c);
                                                                    q.hidden.sort();
                                                                }
                                                            })
                                                    }
                                                />
                                                {c.label()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                                <span class="muted">
                                    "Vendor and connection show when the view holds several lookups."
                                </span>
                            </div>
                        </details>
                        <span class="muted hint" title="Focus the table, then use the keys">
                            "j/k move · Enter opens · Esc closes · / searches"
                        </span>
                    </div>
                    {move || {
                        (selected_key.with(Option::is_some) && state.selected_row.get().is_none()
                            && !state.lookups.any_loading())
                            .then(|| {
                                view! {
                                    <p class="notice" data-testid="selection-missing">
                                        "The delivery this link points at is not in these results (it may be older than the vendor keeps, or on a filter you cleared)."
                                    </p>
                                }
                            })
                    }}
                }
                    .into_any()
            }
        }}
        <div class="split" class:with-detail=move || is_open.get()>
            {move || match body.get() {
                Body::Nothing => ().into_any(),
                Body::Empty => {
                    view! {
                        <p class="empty" data-testid="no-deliveries">
                            "The vendor returned no webhook deliveries for this lookup. Check the ID, or widen the webhook type."
                        </p>
                    }
                        .into_any()
                }
                Body::NoMatches => {
                    view! {
                        <p class="empty" data-testid="no-matches">
                            "No deliveries match the filters. "
                            <a
                                data-testid="clear-filters"
                                href=move || crate::platform::base::href(
                                    &q.with(|q| q.without_filters().to_href()),
                                )
                            >
                                "Clear filters"
                            </a>
                        </p>
                    }
                        .into_any()
                }
                Body::Table => {
                    view! {
                        <DeliveryTable
                            index=state.index
                            rows=state.rows
                            selected=selected_key
                            on_select=Callback::new(move |k: Option<String>| {
                                state.update(|q| q.sel = k)
                            })
                            sort=sort
                            on_sort=Callback::new(move |k| {
                                state.update(|q| q.sort = q.sort.toggled(k))
                            })
                            hidden=hidden
                            reset_on=view_key
                            now=state.now
                            zone=state.zone
                            checked=state.checked
                        />
                    }
                        .into_any()
                }
            }}
            {move || {
                is_open
                    .get()
                    .then(|| {
                        let on_close = Callback::new(move |_| {
                            state.update(|q| q.sel = None);
                            focus_table();
                        });
                        let on_changed = Callback::new(move |_| state.lookups.refresh_all());
                        // The close button goes away: keyboard users continue in the table.
                        view! {
                            <SideSheet on_close=on_close>
                                {move || {
                                    selected
                                        .get()
                                        .map(|open| {
                                            lazy_view(
                                                "the delivery detail",
                                                move || { detail_view(open.clone(), on_close, on_changed) },
                                            )
                                        })
                                }}
                            </SideSheet>
                        }
                    })
            }}
        </div>
    }
}

/// Moves focus to the deliveries table (after the detail it was reading closes).
fn focus_table() {
    crate::platform::focus("[data-testid=\"table-scroll\"]");
}

crate::split_fn!(
    detail;
    fn detail_view(
        open: crate::state::results::Selected,
        on_close: Callback<()>,
        on_changed: Callback<()>,
    ) -> AnyView {
        view! {
            <crate::components::delivery_detail::DeliveryDetail
                delivery=open.delivery
                conn=open.conn
                origin=open.scope
                on_close=on_close
                on_changed=on_changed
            />
        }
        .into_any()
    }
);

// Writing the rows as CSV or JSON comes with the delivery detail's part, downloaded the
// first time it is needed.
crate::split_fn!(
    detail;
    fn export_rows(
        ix: std::sync::Arc<crate::data::index::DeliveryIndex>,
        rows: Vec<u32>,
        format: download::Format,
        exporting: RwSignal<Option<(usize, usize)>>,
    ) -> () {
        leptos::task::spawn_local(async move {
            download::download_rows(ix, rows, format, |done, total| {
                let _ = exporting.try_set(Some((done, total)));
            })
            .await;
            let _ = exporting.try_set(None);
        });
    }
);
