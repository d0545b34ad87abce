//! "Retry all shown" (Talkover) and "Resend all shown" (Bland) in the explorer: every
//! delivery matching the filters, not only the rows in view. Shows the count and the
//! destination first, refuses an empty plan, runs paced and cancellable, and reports
//! each delivery's outcome.

use crate::components::pace::pace_note;
use crate::net::bulk::StopFlag;
use crate::net::lookup::LoadState;
use crate::net::replay::{resend_bland, retry_talkover, Outcome, Plan};
use crate::platform::split::lazy_view;
use hookscope_core::connection::Connection;
use hookscope_core::domain::Vendor;
use hookscope_core::replay::RetryScope;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;

/// What a plan is made from, and so bound to: the connection, where the lookup points
/// (Talkover's owner and webhook), and the view (lookup, filters, ticked rows) whose
/// rows it lists. A plan made from one scope never sends in another.
#[derive(Clone, Debug, PartialEq)]
pub struct ReplayScope {
    pub conn: Connection,
    pub origin: RetryScope,
    /// The lookup, filters and ticked rows, as one comparable text.
    pub view: String,
}

impl ReplayScope {
    /// Whether a plan made in `self` may still be sent from `now`.
    fn holds_in(&self, now: &ReplayScope) -> bool {
        self.view == now.view
            && self.origin == now.origin
            && self.conn.name == now.conn.name
            && self.conn.vendor == now.conn.vendor
            && self.conn.base_url == now.conn.base_url
    }
}

/// An open plan and the scope it was made in.
type OpenPlan = (Vendor, Plan, ReplayScope);

/// A replay's state, owned by the page so it outlives the re-render that follows the
/// run (the lookup is looked up again when the run ends).
#[derive(Clone, Copy)]
pub struct ReplayState {
    open: RwSignal<Option<OpenPlan>>,
    /// Said when Confirm found the rows changed and made the plan again.
    remade: RwSignal<bool>,
    running: RwSignal<bool>,
    progress: RwSignal<LoadState>,
    results: RwSignal<Vec<Outcome>>,
    stop: StoredValue<StopFlag, LocalStorage>,
}

impl Default for ReplayState {
    fn default() -> Self {
        ReplayState {
            open: RwSignal::new(None),
            remade: RwSignal::new(false),
            running: RwSignal::new(false),
            progress: RwSignal::new(LoadState::default()),
            results: RwSignal::new(vec![]),
            stop: StoredValue::new_local(StopFlag::default()),
        }
    }
}

#[component]
pub fn ReplayMany(
    state: ReplayState,
    /// The plan for a vendor over the ticked rows, or every row matching the filters
    /// when none is ticked (made only when the person opens the panel or confirms: the
    /// filtered set can be 100,000 rows, read in place, never copied).
    #[prop(into)]
    plan_for: Callback<Vendor, Plan>,
    /// Which vendors' buttons to offer (Talkover: retry; Bland post-call: resend).
    #[prop(into)]
    vendors: Signal<Vec<Vendor>>,
    /// Whether `rows` are ticked rows (else: every row matching the filters).
    #[prop(into)]
    selected: Signal<bool>,
    /// The one lookup the rows belong to, with its connection (None: several or none).
    #[prop(into)]
    scope: Signal<Option<ReplayScope>>,
    /// Called when a run ends, so the lookup can be run again to show new attempts.
    #[prop(into)]
    on_done: Callback<()>,
) -> impl IntoView {
    let ReplayState {
        open,
        remade,
        running,
        results,
        ..
    } = state;
    let has = move |v: Vendor| vendors.with(|vs| vs.contains(&v));
    let readonly = move || scope.with(|s| s.as_ref().and_then(|s| s.conn.readonly_reason()));
    let start = move |v: Vendor| {
        let Some(now) = scope.get_untracked() else {
            return;
        };
        results.set(vec![]);
        remade.set(false);
        open.set(Some((v, plan_for.run(v), now)));
    };
    let opened = Memo::new(move |_| open.with(Option::is_some));
    let button = move |v: Vendor, testid: &'static str, label: &'static str| {
        let label = move || {
            if selected.get() {
                label.replace("all shown", "ticked")
            } else {
                label.to_string()
            }
        };
        view! {
            <button
                type="button"
                data-testid=testid
                disabled=move || readonly().is_some() || running.get()
                title=move || {
                    readonly()
                        .unwrap_or_else(|| {
                            "Acts on the ticked rows, or on every delivery matching the filters when none is ticked; shows the count before sending"
                                .into()
                        })
                }
                on:click=move |_| start(v)
            >
                {label}
            </button>
        }
    };
    view! {
        {move || {
            has(Vendor::Talkover)
                .then(|| button(Vendor::Talkover, "bulk-retry", "Retry all shown…"))
        }}
        {move || {
            has(Vendor::Bland).then(|| button(Vendor::Bland, "bulk-resend", "Resend all shown…"))
        }}
        // The panel (plan, progress, outcomes) comes with the delivery detail's part,
        // downloaded the first time a person asks for a plan (a part of its own would
        // cost every visit the loader's lines for the chunks it shares).
        {move || {
            opened
                .get()
                .then(|| {
                    lazy_view(
                        "the replay panel",
                        move || panel(PanelInput {
                            state,
                            plan_for,
                            selected,
                            scope,
                            on_done,
                        }),
                    )
                })
        }}
    }
}

crate::split_fn!(
    detail;
    fn panel(input: PanelInput) -> AnyView {
        view! { <ReplayPanel input=input /> }.into_any()
    }
);

/// What [`ReplayMany`] hands its panel (the props of the same names).
#[derive(Clone, Copy)]
struct PanelInput {
    state: ReplayState,
    plan_for: Callback<Vendor, Plan>,
    selected: Signal<bool>,
    scope: Signal<Option<ReplayScope>>,
    on_done: Callback<()>,
}

#[component]
fn ReplayPanel(input: PanelInput) -> impl IntoView {
    let PanelInput {
        plan_for,
        selected,
        scope,
        on_done,
        ..
    } = input;
    let ReplayState {
        open,
        remade,
        running,
        progress,
        results,
        stop,
    } = input.state;
    // The panel shows a plan only while the view it was made from is on screen (a run
    // and its outcomes stay until closed).
    let shown = move || {
        open.get().filter(|(_, _, made)| {
            running.get()
                || !results.with(Vec::is_empty)
                || scope.with(|now| now.as_ref().is_some_and(|now| made.holds_in(now)))
        })
    };
    let confirm = move |_| {
        let Some((vendor, p, made)) = open.get_untracked() else {
            return;
        };
        // Confirm sends what was shown, to where it was shown, or nothing.
        let Some(now) = scope.get_untracked().filter(|now| made.holds_in(now)) else {
            open.set(None);
            return;
        };
        if running.get_untracked() || p.targets.is_empty() || now.conn.readonly_reason().is_some() {
            return;
        }
        let fresh = plan_for.run(vendor);
        if fresh.targets != p.targets {
            remade.set(true);
            open.set(Some((vendor, fresh, now)));
            return;
        }
        remade.set(false);
        let c = now.conn;
        running.set(true);
        progress.set(LoadState {
            total: p.targets.len(),
            ..Default::default()
        });
        let flag = StopFlag::default();
        stop.set_value(flag.clone());
        let origin = made.origin;
        spawn_local(async move {
            let out = match vendor {
                Vendor::Talkover => {
                    retry_talkover(
                        &c,
                        &origin,
                        &p.targets,
                        &flag,
                        Rc::new(move |s| {
                            let _ = progress.try_set(s);
                        }),
                    )
                    .await
                }
                _ => {
                    resend_bland(
                        &c,
                        &p.targets,
                        flag,
                        Rc::new(move |s| {
                            let _ = progress.try_set(s);
                        }),
                    )
                    .await
                }
            };
            let _ = results.try_set(out);
            let _ = running.try_set(false);
            on_done.run(());
        });
    };
    let cancel_run = move |_| {
        if running.get_untracked() {
            stop.with_value(StopFlag::stop);
        } else {
            open.set(None);
        }
    };
    view! {
        {move || {
            shown()
                .map(|(vendor, p, made)| {
                    let n = p.targets.len();
                    let conn_name = made.conn.name.clone();
                    let scope = if selected.get_untracked() {
                        "the ticked rows"
                    } else {
                        "every row matching the filters"
                    };
                    let what = match vendor {
                        Vendor::Talkover => {
                            format!(
                                "Retry {n} delivery(ies) — {scope} — on “{conn_name}”; Talkover sends each to the webhook's current URL.",
                            )
                        }
                        _ => {
                            format!(
                                "Resend the post-call webhook of {n} call(s) — {scope} — on “{conn_name}”, each to its original URL.",
                            )
                        }
                    };
                    let skipped = p.skipped.clone();
                    view! {
                        <div
                            class="card replay"
                            data-testid="replay-panel"
                            data-count=n.to_string()
                            data-connection=conn_name.clone()
                        >
                            {move || {
                                remade
                                    .get()
                                    .then(|| {
                                        view! {
                                            <p class="notice" data-testid="replay-remade">
                                                "The rows changed since this was shown, so nothing was sent: this is the plan for the rows shown now. Check it and confirm again."
                                            </p>
                                        }
                                    })
                            }}
                            {if n == 0 {
                                view! {
                                    <p data-testid="replay-empty">
                                        {format!(
                                            "Nothing to send among the rows shown ({} skipped). Change the filters to include failed deliveries.",
                                            skipped.len(),
                                        )}
                                    </p>
                                }
                                    .into_any()
                            } else {
                                view! {
                                    <p>
                                        <strong>{what}</strong>
                                    </p>
                                }
                                    .into_any()
                            }}
                            {(!skipped.is_empty())
                                .then(|| {
                                    view! {
                                        <details>
                                            <summary>
                                                {format!("{} row(s) will not be sent", skipped.len())}
                                            </summary>
                                            <ul>
                                                {skipped
                                                    .into_iter()
                                                    .take(100)
                                                    .map(|(id, why)| {
                                                        view! {
                                                            <li>
                                                                <span class="mono">{id}</span>
                                                                ": "
                                                                {why}
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </details>
                                    }
                                })}
                            <div class="form__buttons">
                                {(n > 0)
                                    .then(|| {
                                        view! {
                                            <button
                                                type="button"
                                                class="primary"
                                                data-testid="replay-confirm"
                                                disabled=move || {
                                                    running.get() || !results.with(Vec::is_empty)
                                                }
                                                on:click=confirm
                                            >
                                                "Confirm"
                                            </button>
                                        }
                                    })}
                                <button
                                    type="button"
                                    data-testid="replay-cancel"
                                    on:click=cancel_run
                                >
                                    {move || if running.get() { "Cancel" } else { "Close" }}
                                </button>
                            </div>
                            {move || {
                                running
                                    .get()
                                    .then(|| {
                                        let s = progress.get();
                                        view! {
                                            <div
                                                class="progress"
                                                data-testid="replay-progress"
                                                data-done=s.done.to_string()
                                                data-total=s.total.to_string()
                                                role="status"
                                            >
                                                <progress
                                                    max=s.total.max(1).to_string()
                                                    value=s.done.to_string()
                                                ></progress>
                                                <span>
                                                    {match s.waiting_secs {
                                                        Some(w) => {
                                                            format!(
                                                                "rate-limited: resuming in {}",
                                                                hookscope_core::error::wait_words(w),
                                                            )
                                                        }
                                                        None => format!("{} of {}", s.done, s.total),
                                                    }}
                                                </span>
                                                {pace_note(s.paced, vendor.label())}
                                            </div>
                                        }
                                    })
                            }}
                            {move || {
                                (!results.with(Vec::is_empty))
                                    .then(|| {
                                        let r = results.get();
                                        let mut counts: Vec<(&'static str, usize)> = Vec::new();
                                        for (_, o) in &r {
                                            let k = o.id();
                                            match counts.iter_mut().find(|(x, _)| *x == k) {
                                                Some((_, n)) => *n += 1,
                                                None => counts.push((k, 1)),
                                            }
                                        }
                                        view! {
                                            <p data-testid="replay-summary">
                                                {counts
                                                    .iter()
                                                    .map(|(k, n)| format!("{n} {k}"))
                                                    .collect::<Vec<_>>()
                                                    .join(" · ")}
                                            </p>
                                            <ul class="replay__results">
                                                {r
                                                    .into_iter()
                                                    .take(500)
                                                    .map(|(id, o)| (id, o.id(), o.message()))
                                                    .map(|(id, k, msg)| {
                                                        view! {
                                                            <li
                                                                data-testid="replay-result"
                                                                data-id=id.clone()
                                                                data-outcome=k
                                                            >
                                                                <span class=format!("pill pill--{k}")>{k}</span>
                                                                " "
                                                                <span class="mono">{id.clone()}</span>
                                                                " "
                                                                <span class="muted">{msg}</span>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        }
                                    })
                            }}
                        </div>
                    }
                })
        }}
    }
}
