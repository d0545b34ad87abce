//! The lookups loaded in the view, one chip each (`view-lookup`): what it asked, how many
//! deliveries it brought, a remove button; and under the chips, each lookup's own
//! progress, problems and errors, so one failing vendor never hides the others' rows.

use crate::components::error_banner::ErrorBanner;
use crate::components::pace::pace_note;
use crate::net::lookup::LoadState;
use crate::state::explorer::ExplorerState;
use crate::state::lookups::Slot;
use leptos::prelude::*;

#[component]
pub fn ViewLookups(state: ExplorerState) -> impl IntoView {
    let slots = state.lookups.slots;
    let several = move || slots.with(|s| s.len() > 1);
    let chip = move |(i, s): (usize, Slot)| {
        let spec = s.spec();
        let label = format!("{} · {}", spec.conn, spec.describe());
        let count = move || s.count();
        let status = move || {
            if let Some(LoadState { done, total, .. }) = s.loading.get() {
                format!("loading {done}/{total}")
            } else if s.problem.with(Option::is_some) || s.field_error.with(Option::is_some) {
                "not loaded".into()
            } else if !s.failures.with(Vec::is_empty) {
                format!("{} · {} error(s)", count(), s.failures.with(Vec::len))
            } else {
                count().to_string()
            }
        };
        view! {
            <li
                class="chip view-lookup"
                data-testid="view-lookup"
                data-vendor=spec.kind.vendor().id()
                data-kind=spec.kind.id()
                data-connection=spec.conn.clone()
                data-count=move || count().to_string()
                data-loading=move || s.loading.with(Option::is_some).to_string()
                class:chip--error=move || !s.failures.with(Vec::is_empty) || s.problem.with(Option::is_some)
            >
                <span class="view-lookup__vendor">{spec.kind.vendor().label()}</span>
                <span class="ellipsis" title=label.clone()>
                    {label.clone()}
                </span>
                <span class="view-lookup__count" aria-live="polite">
                    {status}
                </span>
                <button
                    type="button"
                    class="chip__remove"
                    data-testid="view-lookup-remove"
                    aria-label=format!("Remove “{label}” from the view")
                    title="Remove from the view"
                    on:click=move |_| state.remove(i)
                >
                    "×"
                </button>
            </li>
        }
    };
    // The bar is made once a load starts and only its figures change after: rebuilding it
    // for each new state laid out the whole page below it (the rows shown so far too).
    let progress = move |s: Slot| {
        // A memo, so that a new state reaches only the figures, not this branch.
        let running = Memo::new(move |_| s.loading.with(Option::is_some));
        move || {
            running.get().then(|| {
                let now = move || s.loading.get().unwrap_or_default();
                let who = if several() { format!("{}: ", s.spec().conn) } else { String::new() };
                let vendor = s.spec().kind.vendor().label();
                view! {
                    <div
                        class="progress"
                        data-testid="load-progress"
                        data-done=move || now().done.to_string()
                        data-total=move || now().total.to_string()
                        data-waiting=move || {
                            now().waiting_secs.map(|w| w.to_string()).unwrap_or_default()
                        }
                        role="status"
                    >
                        <progress
                            max=move || now().total.max(1).to_string()
                            value=move || now().done.to_string()
                        ></progress>
                        <span>
                            {who}
                            {move || {
                                let LoadState { done, total, waiting_secs, .. } = now();
                                match (waiting_secs, total) {
                                    (Some(w), _) => {
                                        format!(
                                            "Rate-limited by the vendor: every request waits {}, then the load resumes ({done} of {total} done).",
                                            hookscope_core::error::wait_words(w),
                                        )
                                    }
                                    (None, 0) => "Loading…".to_string(),
                                    (None, _) => format!("Loading… {done} of {total} request(s)"),
                                }
                            }}
                        </span>
                        {move || pace_note(now().paced, vendor)}
                        <button
                            data-testid="load-cancel"
                            type="button"
                            on:click=move |_| s.cancel()
                        >
                            "Cancel"
                        </button>
                    </div>
                }
            })
        }
    };
    let problems = move |s: Slot| {
        move || {
            s.problem.get().map(|p| {
                view! {
                    <p class="notice notice--warn" data-testid="lookup-problem" role="alert">
                        {p}
                    </p>
                }
            })
        }
    };
    let errors = move |s: Slot| {
        move || {
            (!s.failures.with(Vec::is_empty)).then(|| {
                view! {
                    <ErrorBanner
                        errors=s.failures.get()
                        on_dismiss=Callback::new(move |_| s.failures.set(vec![]))
                        on_retry=Callback::new(move |_| state.lookups.refresh(s.id))
                    />
                }
            })
        }
    };

    let numbered = move || slots.get().into_iter().enumerate().collect::<Vec<_>>();
    view! {
        {move || {
            state
                .url_problems
                .get()
                .into_iter()
                .map(|p| {
                    view! {
                        <p class="notice notice--warn" data-testid="lookup-problem" role="alert">
                            {p}
                        </p>
                    }
                })
                .collect_view()
        }}
        <ul class="view-lookups" aria-label="Lookups in this view">
            <For each=numbered key=|(i, s)| (*i, s.id) children=chip />
        </ul>
        <For each=move || slots.get() key=|s| s.id let:s>
            {problems(s)}
            {errors(s)}
            {progress(s)}
        </For>
    }
}
