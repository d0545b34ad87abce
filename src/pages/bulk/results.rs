//! The per-call table: preflight state and outcome of every call, filterable, exportable.

use crate::components::windowed::WindowedList;
use crate::platform::download;
use crate::state::bulk::{BulkCtl, Phase};
use hookscope_core::bulk::CallOutcome;
use hookscope_core::request::encode_component;
use leptos::prelude::*;

#[component]
pub fn Results(ctl: BulkCtl) -> impl IntoView {
    let shown = Memo::new(move |_| {
        let f = ctl.filter.get();
        ctl.rows.with(|rows| {
            if f.is_empty() {
                return rows.clone();
            }
            ctl.outcomes.with(|o| {
                rows.iter()
                    .filter(|id| o.get(*id).map(CallOutcome::id).unwrap_or("") == f)
                    .cloned()
                    .collect()
            })
        })
    });
    let has_outcomes = Memo::new(move |_| ctl.outcomes.with(|o| !o.is_empty()));
    let render = move |i: usize| {
        let id = shown
            .with_untracked(|s| s.get(i).cloned())
            .unwrap_or_default();
        let (id_o, id_c, id_m) = (id.clone(), id.clone(), id.clone());
        let outcome = Memo::new(move |_| {
            ctl.outcomes
                .with(|o| o.get(&id_o).map(|x| x.id()).unwrap_or(""))
        });
        let check = Memo::new(move |_| {
            ctl.checks
                .with(|c| c.get(&id_c).map(|x| x.id()).unwrap_or(""))
        });
        let message = Memo::new(move |_| {
            ctl.outcomes
                .with(|o| o.get(&id_m).map(CallOutcome::message))
                .or_else(|| ctl.checks.with(|c| c.get(&id_m).map(|x| x.message())))
                .unwrap_or_default()
        });
        let href = crate::platform::base::href(&format!(
            "/explorer?c={}&k=bland-call&id={}",
            encode_component(&ctl.conn.get_untracked()),
            encode_component(&id)
        ));
        view! {
            <div
                class="bulk-row"
                data-testid="bulk-result-row"
                data-call-id=id.clone()
                data-outcome=outcome
                data-preflight=check
            >
                <span class="mono ellipsis" title=id.clone()>
                    {id.clone()}
                </span>
                <span class=move || format!("pill pill--{}", outcome.get())>{outcome}</span>
                <span class=move || format!("tag preflight--{}", check.get())>{check}</span>
                <span class="bulk-row__msg" title=message>
                    {message}
                </span>
                <a href=href class="muted">
                    "open"
                </a>
            </div>
        }
    };
    view! {
        <div class="bulk-results">
            {move || {
                has_outcomes
                    .get()
                    .then(|| {
                        let c = ctl.summary();
                        view! {
                            <div
                                class="summary"
                                data-testid="bulk-summary"
                                data-created=c["created"].to_string()
                                data-already-sent=c["already-sent"].to_string()
                                data-invalid=c["invalid"].to_string()
                                data-failed=c["failed"].to_string()
                                data-skipped=c["skipped"].to_string()
                                data-unknown=c["unknown"].to_string()
                            >
                                {CallOutcome::IDS
                                    .iter()
                                    .map(|k| {
                                        let k = *k;
                                        let n = c[k];
                                        view! {
                                            <button
                                                type="button"
                                                class=format!("summary__item pill pill--{k}")
                                                data-outcome=k
                                                data-count=n.to_string()
                                                aria-pressed=move || (ctl.filter.get() == k).to_string()
                                                on:click=move |_| {
                                                    ctl.filter
                                                        .update(|f| {
                                                            if f == k { f.clear() } else { *f = k.to_string() }
                                                        })
                                                }
                                            >
                                                {format!("{n} {k}")}
                                            </button>
                                        }
                                    })
                                    .collect_view()}
                            </div>
                        }
                    })
            }} <div class="toolbar">
                <label class="inline">
                    "Show"
                    <select
                        data-testid="bulk-filter"
                        prop:value=move || ctl.filter.get()
                        on:change=move |ev| ctl.filter.set(event_target_value(&ev))
                    >
                        <option value="">"every call"</option>
                        {CallOutcome::IDS
                            .iter()
                            .map(|k| view! { <option value=*k>{*k}</option> })
                            .collect_view()}
                    </select>
                </label>
                <span
                    class="row-count"
                    data-testid="bulk-row-count"
                    data-count=move || shown.with(Vec::len).to_string()
                >
                    {move || format!("{} call(s)", shown.with(Vec::len))}
                </span>
                <button
                    type="button"
                    data-testid="bulk-retry-failed"
                    disabled=move || {
                        ctl.phase.get() == Phase::Running || ctl.summary()["failed"] == 0
                    }
                    on:click=move |_| ctl.retry_failed()
                >
                    "Retry failed only"
                </button>
                <button
                    type="button"
                    data-testid="bulk-export"
                    disabled=move || !has_outcomes.get()
                    on:click=move |_| download::download(
                        "hookscope-bulk-results.csv",
                        "text/csv",
                        &ctl.results_csv(),
                    )
                >
                    "Export CSV"
                </button>
                <button
                    type="button"
                    data-testid="bulk-clear"
                    disabled=move || ctl.phase.get() == Phase::Running || !has_outcomes.get()
                    on:click=move |_| ctl.clear_results()
                >
                    "Clear results"
                </button>
            </div>
            {move || {
                if shown.with(Vec::is_empty) {
                    view! {
                        <p class="empty" data-testid="bulk-empty">
                            {if ctl.rows.with(Vec::is_empty) {
                                "Paste call IDs above; each will be listed here with its preflight state and outcome."
                            } else {
                                "No call has this outcome."
                            }}
                        </p>
                    }
                        .into_any()
                } else {
                    view! {
                        <WindowedList
                            count=Signal::derive(move || shown.with(Vec::len))
                            row_height=30.0
                            height=560.0
                            render=render
                            testid="bulk-results"
                        />
                    }
                        .into_any()
                }
            }}
        </div>
    }
}
