//! Sends a bulk create/resend: requests of `chunk` call IDs, `concurrency` at a time.
//!
//! - 429: every request holds back for `Retry-After` (or a back-off), shown as a countdown.
//! - 5xx and network failures: the same request again after an exponential back-off with
//!   jitter, at most `MAX_TRIES` times in all; then its calls are `failed` (the one pacing
//!   policy, `hookscope_core::pacing`, shared with lookups and replays).
//! - A timeout: the request may have reached Bland, so its calls are `unknown` (check
//!   them before sending again) and it is never sent again by itself.
//! - Stop: no new request starts; requests already sent finish and are reported; the
//!   calls never sent are `skipped`.

use crate::net::lookup::fetch;
use crate::net::pacing::{backoff_with_jitter_ms, budget_for, sleep_reporting, Pause};
use crate::net::transport::{CancelToken, Failure};
use futures::stream::{self, StreamExt};
use hookscope_core::bulk::{chunks, CallOutcome, Mode};
use hookscope_core::connection::Connection;
use hookscope_core::error::ErrorKind;
use hookscope_core::pacing::{Paced, MAX_TRIES};
use hookscope_core::vendors::bland;
use std::cell::Cell;
use std::rc::Rc;

/// Called with each request's outcomes as they arrive.
pub type OnDone = Rc<dyn Fn(Vec<(String, CallOutcome)>)>;
/// Updates the run's progress in place and reports it.
type Report<'a> = &'a dyn Fn(&dyn Fn(&mut RunProgress));

/// What to send.
#[derive(Clone, Debug)]
pub struct RunSpec {
    pub mode: Mode,
    pub conn: Connection,
    /// The webhook URL (create only).
    pub url: String,
    pub ids: Vec<String>,
    pub chunk: usize,
    pub concurrency: usize,
}

/// Where a run stands, for the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunProgress {
    pub done: usize,
    pub total: usize,
    /// Seconds left of a rate-limit pause.
    pub waiting_secs: Option<u64>,
    /// Seconds until a failed request is tried again.
    pub retry_in_secs: Option<u64>,
    /// How the connection's budget paces the requests left, when it holds them back.
    pub paced: Option<Paced>,
}

/// Stops a run between requests (requests already sent finish).
#[derive(Clone, Default)]
pub struct StopFlag(Rc<Cell<bool>>);

impl StopFlag {
    pub fn stop(&self) {
        self.0.set(true)
    }
    pub fn stopped(&self) -> bool {
        self.0.get()
    }
}

/// Runs `spec`; `on_done` gets each request's outcomes as they arrive (to show and to
/// write to the journal), `progress` the counts. Returns when every call has an outcome.
pub async fn run(
    spec: RunSpec,
    stop: StopFlag,
    on_done: OnDone,
    progress: Rc<dyn Fn(RunProgress)>,
) {
    let total = spec.ids.len();
    let state = Rc::new(Cell::new(RunProgress {
        total,
        ..Default::default()
    }));
    let report = {
        let state = state.clone();
        let progress = progress.clone();
        let budget = budget_for(&spec.conn);
        let chunk = spec.chunk.max(1);
        Rc::new(move |f: &dyn Fn(&mut RunProgress)| {
            let mut s = state.get();
            f(&mut s);
            s.paced = budget.pace(s.total.saturating_sub(s.done).div_ceil(chunk));
            state.set(s);
            progress(s);
        })
    };
    report(&|_| {});
    // Requests in flight are never aborted by Stop: their outcome must be known.
    let inflight = CancelToken::new();
    let pause = {
        let report = report.clone();
        Pause::new(Rc::new(move |w| report(&|s| s.waiting_secs = w)))
    };
    let spec = Rc::new(spec);
    let jobs = chunks(&spec.ids, spec.chunk).into_iter().map(|ids| {
        let (spec, stop, on_done, report) =
            (spec.clone(), stop.clone(), on_done.clone(), report.clone());
        let (inflight, pause) = (inflight.clone(), pause.clone());
        async move {
            let outcomes = send_chunk(&spec, &ids, &stop, &inflight, &pause, &*report).await;
            let n = outcomes.len();
            on_done(outcomes);
            report(&|s| s.done = s.done.saturating_add(n));
        }
    });
    stream::iter(jobs)
        .buffer_unordered(spec.concurrency.clamp(1, 8))
        .collect::<Vec<()>>()
        .await;
}

async fn send_chunk(
    spec: &RunSpec,
    ids: &[String],
    stop: &StopFlag,
    inflight: &CancelToken,
    pause: &Pause,
    report: Report<'_>,
) -> Vec<(String, CallOutcome)> {
    let all = |o: CallOutcome| ids.iter().map(|i| (i.clone(), o.clone())).collect();
    let req = match spec.mode {
        Mode::Create => bland::create_webhooks(ids, &spec.url),
        Mode::Resend => bland::resend_webhooks(ids),
    };
    let mut tries = 0u32;
    let mut waits = 0u32;
    loop {
        // Honour a rate-limit pause set by any request of the run.
        if !pause.wait(inflight).await {
            return all(CallOutcome::Skipped);
        }
        if stop.stopped() {
            return all(CallOutcome::Skipped);
        }
        tries = tries.saturating_add(1);
        let failed = |m: String| all(CallOutcome::Failed { message: m });
        match fetch(&spec.conn, &req, inflight).await {
            Ok((status, body)) => {
                return match bland::decode_bulk(&req, status, &body, ids) {
                    Ok(items) => items
                        .iter()
                        .map(|(id, item)| (id.clone(), CallOutcome::from_item(item)))
                        .collect(),
                    Err(e) => failed(e.to_string()),
                };
            }
            Err(Failure::Cancelled) => return all(CallOutcome::Skipped),
            Err(Failure::Api(e)) => match e.kind {
                ErrorKind::RateLimited if pause.rate_limited(e.retry_after_secs, waits) => {
                    waits = waits.saturating_add(1);
                    // A 429 is not a failed try: the request was refused unread.
                    tries = tries.saturating_sub(1);
                }
                ErrorKind::Server | ErrorKind::Network if tries < MAX_TRIES => {
                    if stop.stopped() {
                        return failed(format!("{e} (not tried again: the run was stopped)"));
                    }
                    let ok = sleep_reporting(backoff_with_jitter_ms(tries.saturating_add(1)), inflight, &|w| {
                        report(&|s| s.retry_in_secs = w)
                    })
                    .await;
                    if !ok {
                        return all(CallOutcome::Skipped);
                    }
                }
                ErrorKind::Timeout => {
                    return all(CallOutcome::Unknown {
                        message: format!("{e} The request may have reached Bland: look these calls up before sending them again."),
                    })
                }
                _ if tries > 1 => return failed(format!("{e} (after {tries} tries)")),
                _ => return failed(e.to_string()),
            },
        }
    }
}
