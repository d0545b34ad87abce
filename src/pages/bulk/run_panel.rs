//! Review, confirm, progress and cancel; the notices about other tabs and interrupted runs.

use crate::components::pace::pace_note;
use crate::state::bulk::{BulkCtl, Phase};
use hookscope_core::bulk::Mode;
use leptos::prelude::*;

#[component]
pub fn RunPanel(ctl: BulkCtl) -> impl IntoView {
    view! {
        {move || {
            ctl.other_tab
                .get()
                .then(|| {
                    view! {
                        <p class="notice notice--warn" data-testid="bulk-other-tab" role="status">
                            "A bulk run is in progress in another tab. Sending here is blocked until it finishes, so no call is sent twice."
                        </p>
                    }
                })
        }}
        {move || {
            ctl.resume
                .get()
                .map(|j| {
                    let left = j.not_done().len();
                    let done = j.outcomes.len();
                    view! {
                        <div class="notice" data-testid="bulk-resume" role="status">
                            <p>
                                {format!(
                                    "A run of {} call(s) on “{}”{} was interrupted (the tab was closed or reloaded): {done} have an outcome, {left} were never sent.",
                                    j.ids.len(),
                                    j.connection,
                                    if j.mode == Mode::Create {
                                        format!(" creating webhooks to “{}”", j.url)
                                    } else {
                                        String::new()
                                    },
                                )}
                            </p>
                            <button
                                type="button"
                                class="primary"
                                data-testid="bulk-continue"
                                on:click=move |_| ctl.continue_interrupted()
                            >
                                {format!("Review sending the {left} not sent")}
                            </button>
                            " "
                            <button type="button" on:click=move |_| ctl.resume.set(None)>
                                "Not now"
                            </button>
                        </div>
                    }
                })
        }}
        {move || {
            ctl.preflight
                .get()
                .map(|s| {
                    view! {
                        <div
                            class="progress"
                            data-testid="bulk-preflight-progress"
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
                                            "Preflight rate-limited by Bland: waiting {} ({} of {} checked)",
                                            hookscope_core::error::wait_words(w),
                                            s.done,
                                            s.total,
                                        )
                                    }
                                    None => format!("Checking {} of {} calls…", s.done, s.total),
                                }}
                            </span>
                            {pace_note(s.paced, "Bland")}
                            <button
                                type="button"
                                data-testid="bulk-preflight-cancel"
                                on:click=move |_| ctl.cancel_preflight()
                            >
                                "Cancel"
                            </button>
                        </div>
                    }
                })
        }}
        {move || {
            (ctl.phase.get() == Phase::Reviewing)
                .then(|| {
                    let n = ctl.to_send.with(Vec::len);
                    let conn = ctl.conn.get();
                    let mode = ctl.mode.get();
                    let refused = ctl
                        .checks
                        .with(|c| {
                            ctl.to_send
                                .with(|ids| {
                                    ids.iter()
                                        .filter(|i| {
                                            c.get(*i)
                                                .is_some_and(|x| {
                                                    x.id() == "already-sent" || x.id() == "not-found"
                                                })
                                        })
                                        .count()
                                })
                        });
                    let checked = ctl.checks.with(|c| !c.is_empty());
                    let what = match mode {
                        Mode::Create => {
                            format!(
                                "{n} call(s) → {} on connection “{conn}”",
                                ctl.url.get().trim(),
                            )
                        }
                        Mode::Resend => {
                            format!(
                                "Resend {n} call(s) to their original URLs on connection “{conn}”",
                            )
                        }
                    };
                    let refusal = if checked {
                        format!(" ({refused} already sent or not found, will be refused)")
                    } else {
                        " (run Preflight to see how many Bland will refuse)".to_string()
                    };
                    view! {
                        <div
                            class="card bulk-review"
                            data-testid="bulk-review-panel"
                            data-count=n.to_string()
                        >
                            <p>
                                <strong>{what}</strong>
                                {refusal}
                            </p>
                            <p class="muted">
                                {format!(
                                    "{} request(s) of up to {} IDs, {} at a time. Nothing is sent until you confirm.",
                                    n.div_ceil(ctl.chunk.get().max(1)),
                                    ctl.chunk.get(),
                                    ctl.concurrency.get(),
                                )}
                            </p>
                            <div class="form__buttons">
                                <button
                                    type="button"
                                    class="primary"
                                    data-testid="bulk-confirm"
                                    on:click=move |_| ctl.confirm()
                                >
                                    {match mode {
                                        Mode::Create => "Create webhooks",
                                        Mode::Resend => "Resend webhooks",
                                    }}
                                </button>
                                <button
                                    type="button"
                                    data-testid="bulk-back"
                                    on:click=move |_| ctl.back_to_editing()
                                >
                                    "Back"
                                </button>
                            </div>
                        </div>
                    }
                })
        }}
        {move || {
            ctl.progress
                .get()
                .filter(|_| ctl.phase.get() == Phase::Running || ctl.phase.get() == Phase::Done)
                .map(|p| {
                    let elapsed = ((js_sys::Date::now() - ctl.started_ms.get_untracked()) / 1000.0)
                        .max(0.001);
                    let rate = p.done as f64 / elapsed;
                    let left = if rate > 0.0 {
                        format!("{:.0} s left", (p.total.saturating_sub(p.done)) as f64 / rate)
                    } else {
                        "estimating…".into()
                    };
                    let running = ctl.phase.get() == Phase::Running;
                    view! {
                        <div
                            class="progress"
                            data-testid="bulk-progress"
                            data-done=p.done.to_string()
                            data-total=p.total.to_string()
                            data-waiting=p.waiting_secs.map(|w| w.to_string()).unwrap_or_default()
                            role="status"
                        >
                            <progress
                                max=p.total.max(1).to_string()
                                value=p.done.to_string()
                            ></progress>
                            <span>
                                {format!(
                                    "{} of {} calls · {rate:.1} calls/s · {}",
                                    p.done,
                                    p.total,
                                    if running { left } else { "finished".into() },
                                )}
                            </span>
                            {p
                                .waiting_secs
                                .map(|w| {
                                    view! {
                                        <span class="tag" data-testid="bulk-countdown">
                                            {format!(
                                                "rate-limited by Bland: resuming in {}",
                                                hookscope_core::error::wait_words(w),
                                            )}
                                        </span>
                                    }
                                })}
                            {pace_note(p.paced, "Bland")}
                            {p
                                .retry_in_secs
                                .map(|w| {
                                    view! {
                                        <span class="tag">
                                            {format!("a request failed; trying again in {w} s")}
                                        </span>
                                    }
                                })}
                            {running
                                .then(|| {
                                    view! {
                                        <button
                                            type="button"
                                            data-testid="bulk-cancel"
                                            on:click=move |_| ctl.cancel_run()
                                        >
                                            "Cancel"
                                        </button>
                                    }
                                })}
                        </div>
                    }
                })
        }}
    }
}
