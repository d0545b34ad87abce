//! Runs a validated lookup: sends its requests through the transport with bounded
//! concurrency, pauses the whole fan-out when the vendor rate-limits, follows Talkover's
//! pagination, decodes with the vendor adapters and reports progress. Vendor-specific
//! decoding stays in `hookscope_core::vendors`.

use crate::data::index::{Prepared, Preparing, Rows};
use crate::net::pacing::{budget_for, Budget, Pause};
use crate::net::transport::{send, CancelToken, Failure};
use crate::platform::slices;
use futures::stream::{self, StreamExt};
use hookscope_core::connection::Connection;
use hookscope_core::domain::{make_ids_unique, Delivery, IdCheck};
use hookscope_core::error::{ApiError, ErrorKind};
use hookscope_core::ids::PathId;
use hookscope_core::lookup::Lookup;
use hookscope_core::pacing::Paced;
use hookscope_core::request::ApiRequest;
use hookscope_core::response::{classify, RawResponse};
use hookscope_core::vendors::{bland, burki, talkover};
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;

/// How many requests one lookup keeps in flight (fan-out over IDs or pages).
pub const CONCURRENCY: usize = 4;
/// Talkover pages loaded at most (100 logs each): beyond this the result says it is cut.
pub const MAX_TALKOVER_PAGES: u32 = 1000;
/// Logs (or records) one lookup keeps at most, whatever the vendor's pages hold: a page
/// of 4,000 logs would otherwise turn 1,000 pages into 4,000,000 rows and a frozen tab.
pub const MAX_ROWS: usize = 100_000;

/// The result of a lookup. A multi-ID lookup can partly fail: what arrived is kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LookupResult {
    pub deliveries: Deliveries,
    /// What the explorer's index reads of each delivery, made in slices by [`run`].
    pub prepared: Option<Arc<Prepared>>,
    /// Per-request failures, in request order.
    pub failures: Vec<ApiError>,
    /// Things worth saying that are not errors ("no webhook sent yet for convo_x").
    pub notes: Vec<String>,
    /// Talkover's reported total, when it gave one.
    pub vendor_total: Option<u64>,
    /// The rows so far of a load still running ([`Shown`]), not its result.
    pub partial: bool,
}

/// A result's rows: a `Vec` that, when long, is freed a slice at a time. 66,421 rows took
/// 23 ms to free at once on a quick machine, in the task of whatever replaced them (a
/// refresh, another lookup).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Deliveries(Vec<Delivery>);

impl Deliveries {
    pub fn into_vec(mut self) -> Vec<Delivery> {
        std::mem::take(&mut self.0)
    }
}

impl From<Vec<Delivery>> for Deliveries {
    fn from(v: Vec<Delivery>) -> Deliveries {
        Deliveries(v)
    }
}

impl std::ops::Deref for Deliveries {
    type Target = Vec<Delivery>;

    fn deref(&self) -> &Vec<Delivery> {
        &self.0
    }
}

impl std::ops::DerefMut for Deliveries {
    fn deref_mut(&mut self) -> &mut Vec<Delivery> {
        &mut self.0
    }
}

impl Drop for Deliveries {
    fn drop(&mut self) {
        slices::drop_later(std::mem::take(&mut self.0));
    }
}

impl AsRef<[Delivery]> for LookupResult {
    fn as_ref(&self) -> &[Delivery] {
        &self.deliveries
    }
}

impl Rows for LookupResult {
    fn deliveries(&self) -> &[Delivery] {
        &self.deliveries
    }

    fn prepared(&self) -> Option<Arc<Prepared>> {
        self.prepared.clone()
    }
}

/// Where a load stands, for the progress bar.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LoadState {
    pub done: usize,
    pub total: usize,
    /// Seconds left of a rate-limit pause of the whole fan-out.
    pub waiting_secs: Option<u64>,
    /// How the connection's budget paces the requests left, when it holds them back.
    pub paced: Option<Paced>,
}

/// Called as requests finish and while a rate-limit pause counts down.
pub type Progress = Rc<dyn Fn(LoadState)>;

/// Called with the rows so far while a load's pages arrive ([`SHOW_AFTER_PAGES`]).
pub type Shown = Rc<dyn Fn(LookupResult)>;

/// After these pages of a Talkover webhook, the rows so far are shown while the rest
/// load: the newest 100 a moment after the click, then 1,000. Each showing groups and
/// indexes every log so far again, so a showing is at most a tenth of the load (a load
/// of 3 pages, over in a blink, shows nothing early). Not 10,000 after page 100: drawing
/// that many took a task of about 100 ms in the middle of the load.
pub const SHOW_AFTER_PAGES: [u32; 2] = [1, 10];

/// Sends one request and classifies the answer: the status and a 2xx body, or a typed failure.
pub async fn fetch(
    conn: &Connection,
    req: &ApiRequest,
    cancel: &CancelToken,
) -> Result<(u16, String), Failure> {
    let raw: RawResponse = send(conn, req, cancel).await?;
    let body = classify(req.vendor, &req.label(), &raw, chrono::Utc::now())?;
    Ok((raw.status, body))
}

/// One fan-out's progress and its shared pause ([`Pause`]): a 429 on any request holds
/// them all back, by the one pacing policy, and the progress shows the wait.
struct Pace {
    pause: Rc<Pause>,
    budget: Rc<Budget>,
    state: Rc<Cell<LoadState>>,
    progress: Progress,
}

impl Pace {
    fn new(conn: &Connection, total: usize, progress: Progress) -> Rc<Pace> {
        let state = Rc::new(Cell::new(LoadState {
            total,
            ..Default::default()
        }));
        progress(state.get());
        let (st, pr) = (state.clone(), progress.clone());
        let pause = Pause::new(Rc::new(move |w| {
            let mut s = st.get();
            s.waiting_secs = w;
            st.set(s);
            pr(s);
        }));
        Rc::new(Pace {
            pause,
            budget: budget_for(conn),
            state,
            progress,
        })
    }

    fn report(&self, f: impl FnOnce(&mut LoadState)) {
        let mut s = self.state.get();
        f(&mut s);
        s.paced = self.budget.pace(s.total.saturating_sub(s.done));
        self.state.set(s);
        (self.progress)(s);
    }

    /// Sends `req` once no pause is on; a 429 pauses everyone and tries again, until the
    /// policy gives up (then the 429 is the answer).
    async fn fetch(
        &self,
        conn: &Connection,
        req: &ApiRequest,
        cancel: &CancelToken,
    ) -> Result<(u16, String), Failure> {
        let mut waits = 0u32;
        loop {
            if !self.pause.wait(cancel).await {
                return Err(Failure::Cancelled);
            }
            match fetch(conn, req, cancel).await {
                Err(Failure::Api(e))
                    if e.kind == ErrorKind::RateLimited
                        && self.pause.rate_limited(e.retry_after_secs, waits) =>
                {
                    waits = waits.saturating_add(1);
                }
                other => return other,
            }
        }
    }

    fn finished_one(&self) {
        self.report(|s| s.done = s.done.saturating_add(1));
    }
}

/// Runs `jobs` at most [`CONCURRENCY`] at a time, keeping their order.
async fn fan_out<T>(jobs: impl Iterator<Item = impl std::future::Future<Output = T>>) -> Vec<T> {
    stream::iter(jobs).buffered(CONCURRENCY).collect().await
}

/// Sends every request, [`CONCURRENCY`] at a time, pausing them all on a 429; the answers
/// come back in request order. Progress counts finished requests.
pub async fn fetch_all(
    conn: &Connection,
    reqs: &[ApiRequest],
    cancel: &CancelToken,
    progress: Progress,
) -> Vec<Result<(u16, String), Failure>> {
    fetch_all_until(conn, reqs, cancel, &|| false, progress).await
}

/// [`fetch_all`] for requests that change something at the vendor: `stopped` is asked
/// before each request is sent, and a stop never aborts a request already sent (its
/// outcome must be known). Requests not sent end as `Failure::Cancelled`.
pub async fn fetch_all_until(
    conn: &Connection,
    reqs: &[ApiRequest],
    cancel: &CancelToken,
    stopped: &dyn Fn() -> bool,
    progress: Progress,
) -> Vec<Result<(u16, String), Failure>> {
    let pace = Pace::new(conn, reqs.len(), progress);
    fan_out(reqs.iter().map(|req| {
        let pace = pace.clone();
        async move {
            let r = if stopped() {
                Err(Failure::Cancelled)
            } else {
                pace.fetch(conn, req, cancel).await
            };
            pace.finished_one();
            r
        }
    }))
    .await
}

enum One {
    Delivery(Box<Delivery>),
    Many(Vec<Delivery>, usize),
    Note(String),
}

/// A running lookup, as [`run_split`] hands it over.
pub type RunFuture =
    std::pin::Pin<Box<dyn std::future::Future<Output = Result<LookupResult, Failure>>>>;

// Running a lookup (requests, decoders, pacing) downloads with the results view: both are
// needed from the first lookup on, and a page with no lookup needs neither.
crate::split_fn!(
    results;
    pub fn run_split(
        conn: Connection,
        lookup: Lookup,
        cancel: CancelToken,
        progress: Progress,
        shown: Option<Shown>,
    ) -> RunFuture {
        Box::pin(async move { run_showing(&conn, &lookup, &cancel, progress, shown).await })
    }
);

/// Runs `lookup` on `conn`. Returns `Err(Failure::Cancelled)` only when cancelled.
pub async fn run(
    conn: &Connection,
    lookup: &Lookup,
    cancel: &CancelToken,
    progress: Progress,
) -> Result<LookupResult, Failure> {
    run_showing(conn, lookup, cancel, progress, None).await
}

/// [`run`], handing `shown` the rows so far while a Talkover webhook's pages arrive.
pub async fn run_showing(
    conn: &Connection,
    lookup: &Lookup,
    cancel: &CancelToken,
    progress: Progress,
    shown: Option<Shown>,
) -> Result<LookupResult, Failure> {
    let mut out = match lookup {
        Lookup::Talkover {
            owner,
            owner_id,
            webhook_id,
        } => run_talkover(conn, *owner, owner_id, webhook_id, cancel, progress, shown).await?,
        _ => {
            let reqs = lookup.requests();
            let pace = Pace::new(conn, reqs.len(), progress);
            let results: Vec<Result<One, Failure>> = fan_out(reqs.iter().map(|(asked, req)| {
                let pace = pace.clone();
                async move {
                    let r = pace
                        .fetch(conn, req, cancel)
                        .await
                        .and_then(|(status, body)| decode_one(lookup, asked, req, status, &body));
                    pace.finished_one();
                    r
                }
            }))
            .await;
            let mut out = LookupResult::default();
            let mut unreadable = 0usize;
            for r in results {
                match r {
                    Ok(One::Delivery(d)) => out.deliveries.push(*d),
                    Ok(One::Many(ds, bad)) => {
                        out.deliveries.extend(ds);
                        unreadable = unreadable.saturating_add(bad);
                    }
                    Ok(One::Note(n)) => out.notes.push(n),
                    Err(Failure::Cancelled) => return Err(Failure::Cancelled),
                    Err(Failure::Api(e)) => out.failures.push(e),
                }
            }
            if unreadable > 0 {
                out.notes.push(unreadable_note(unreadable));
            }
            out
        }
    };
    // What follows (capping the rows, then proving their IDs unique in slices) starts in a
    // task of its own, not in the tail of the last page's.
    slices::yield_now().await;
    if let Some(note) = cap_rows(&mut out.deliveries) {
        out.notes.push(note);
    }
    // Proving 100,000 IDs unique (the usual case) a slice at a time.
    let mut check = IdCheck::new(out.deliveries.len());
    slices::run(|n| check.step(&out.deliveries, n)).await;
    let dropped = if check.all_differ() {
        0
    } else {
        make_ids_unique(&mut out.deliveries)
    };
    if dropped > 0 {
        out.notes.push(format!(
            "{dropped} delivery record(s) arrived twice (the same ID asked for twice, or in different case) and are shown once."
        ));
    }
    // The explorer's search text and sort keys, a slice at a time, so the page answers
    // while 100,000 rows are read.
    let mut prep = Preparing::default();
    slices::run(|n| prep.step(&out.deliveries, n)).await;
    out.prepared = Some(Arc::new(prep.finish()));
    Ok(out)
}

/// The pages of a Talkover webhook to load, when its page 1 holds `per_page` logs and
/// reports `last_page`: never more than [`MAX_TALKOVER_PAGES`], nor than [`MAX_ROWS`]
/// logs need.
pub fn pages_to_load(last_page: u32, per_page: usize) -> u32 {
    let for_rows = u32::try_from(MAX_ROWS.div_ceil(per_page.max(1))).unwrap_or(u32::MAX);
    last_page.min(MAX_TALKOVER_PAGES).min(for_rows).max(1)
}

/// What to say when a Talkover webhook holds more logs than were loaded: the number
/// actually kept, and what the vendor reported (its total, or its page count).
pub fn truncation_note(
    last_page: u32,
    total: Option<u64>,
    loaded_pages: u32,
    kept: usize,
) -> Option<String> {
    let more_pages = last_page > loaded_pages;
    let more_logs = total.is_some_and(|t| t > kept as u64);
    (more_pages || more_logs).then(|| format!(
        "Only the newest {kept} logs are shown: Talkover reports {last_page} page(s){}, and hookscope loads at most {MAX_ROWS} logs ({loaded_pages} page(s) here) so the tab stays responsive. Talkover's API has no date filter; to see older logs, look up one webhook at a time or ask Talkover for an export.",
        total.map(|t| format!(" ({t} logs)")).unwrap_or_default(),
    ))
}

/// Keeps the first [`MAX_ROWS`] deliveries; says how many were left out, if any.
fn cap_rows(deliveries: &mut Vec<Delivery>) -> Option<String> {
    let n = deliveries.len();
    (n > MAX_ROWS).then(|| {
        deliveries.truncate(MAX_ROWS);
        format!("The vendor's answers held {n} records; the first {MAX_ROWS} are shown (hookscope keeps at most {MAX_ROWS} per lookup so the tab stays responsive). Narrow the lookup to see the rest.")
    })
}

fn unreadable_note(n: usize) -> String {
    format!("{n} log(s) in the vendor's answer were not objects and could not be shown.")
}

fn decode_one(
    lookup: &Lookup,
    asked: &Option<PathId>,
    req: &ApiRequest,
    status: u16,
    body: &str,
) -> Result<One, Failure> {
    Ok(match lookup {
        Lookup::BlandCalls(_) => One::Delivery(Box::new(bland::decode_postcall(
            req,
            asked.as_ref(),
            status,
            body,
        )?)),
        Lookup::BlandSms(_) => match bland::decode_sms(req, asked.as_ref(), status, body)? {
            Some(d) => One::Delivery(Box::new(d)),
            None => One::Note(format!(
                "{}: no webhook has been sent for this conversation yet (Bland answered data: null).",
                asked.as_ref().map(PathId::as_str).unwrap_or("this conversation")
            )),
        },
        Lookup::BurkiCalls { .. } => {
            let (ds, bad) = burki::decode_logs_counted(req, status, body)?;
            One::Many(ds, bad)
        }
        Lookup::Talkover { .. } => {
            let page = talkover::decode_page(req, status, body)?;
            One::Many(talkover::into_deliveries(page.logs), page.unreadable)
        }
    })
}

/// Page 1 first (it tells how many pages there are), then the rest in parallel.
async fn run_talkover(
    conn: &Connection,
    owner: talkover::Owner,
    owner_id: &PathId,
    webhook_id: &PathId,
    cancel: &CancelToken,
    progress: Progress,
    shown: Option<Shown>,
) -> Result<LookupResult, Failure> {
    let per_page = talkover::MAX_PER_PAGE;
    let first = talkover::logs(owner, owner_id, webhook_id, 1, per_page);
    let pace = Pace::new(conn, 1, progress);
    let failed = |e: ApiError| LookupResult {
        failures: vec![e],
        ..Default::default()
    };
    let page1 = match pace.fetch(conn, &first, cancel).await {
        Ok((status, body)) => match talkover::decode_page(&first, status, &body) {
            Ok(p) => p,
            Err(e) => return Ok(failed(e)),
        },
        Err(Failure::Api(e)) => return Ok(failed(e)),
        Err(c) => return Err(c),
    };
    // Bound the fan-out (pages and rows) even if the vendor claims an absurd page count or
    // huge pages, and say so.
    let last = pages_to_load(page1.last_page, page1.logs.len());
    pace.report(|s| {
        s.done = 1;
        s.total = last as usize;
    });
    let mut notes: Vec<String> = Vec::new();
    let (last_page, reported_total) = (page1.last_page, page1.total);
    let logs = page1.logs;
    let mut unreadable = page1.unreadable;
    let mut totals_seen = vec![page1.total];
    let mut failures = Vec::new();
    let showing = shown.map(|show| ShowSoFar::new(show, cancel, page1.total));
    let show_after =
        |pages: u32| SHOW_AFTER_PAGES.contains(&pages) && pages.saturating_mul(10) <= last;
    if let Some(s) = showing.as_ref().filter(|_| show_after(1)) {
        s.show(logs.clone());
    }
    let mut pages = stream::iter((2..=last).map(|p| {
        let pace = pace.clone();
        async move {
            let req = talkover::logs(owner, owner_id, webhook_id, p, per_page);
            let r = match pace.fetch(conn, &req, cancel).await {
                Ok((s, b)) => talkover::decode_page(&req, s, &b).map_err(Failure::Api),
                Err(e) => Err(e),
            };
            pace.finished_one();
            r
        }
    }))
    .buffered(CONCURRENCY);
    // The pages' logs go to the grouping one page after another, never copied into one
    // vector first (that held every log twice for a moment: tens of MB at 100,000).
    let mut more: Vec<Vec<talkover::DeliveryLog>> =
        Vec::with_capacity(last.saturating_sub(1) as usize);
    let mut answered = 1u32;
    while let Some(p) = pages.next().await {
        answered = answered.saturating_add(1);
        match p {
            Ok(page) => {
                totals_seen.push(page.total);
                unreadable = unreadable.saturating_add(page.unreadable);
                more.push(page.logs);
            }
            // The stream is drained, not dropped: a request in flight aborts its fetch
            // when it sees the cancel (a dropped one would run on), and those not yet
            // sent end at once.
            Err(Failure::Cancelled) => continue,
            Err(Failure::Api(e)) => failures.push(e),
        }
        if let Some(s) = showing.as_ref().filter(|_| show_after(answered)) {
            s.show(logs.iter().chain(more.iter().flatten()).cloned().collect());
        }
    }
    if cancel.is_cancelled() {
        return Err(Failure::Cancelled);
    }
    let fetched = more
        .iter()
        .map(Vec::len)
        .fold(logs.len(), usize::saturating_add)
        .min(MAX_ROWS);
    let logs = logs
        .into_iter()
        .chain(more.into_iter().flatten())
        .take(MAX_ROWS);
    // Grouped a slice at a time: at 100,000 logs, at once, it held the page for a second.
    let mut grouping = talkover::Grouping::new(logs, true);
    slices::run(|n| grouping.step(n)).await;
    // Each whole-list step below (turning 100,000 deliveries newest first, proving their
    // IDs unique) takes tens of milliseconds: each gets a task of its own.
    slices::yield_now().await;
    let (deliveries, repeated) = grouping.finish();
    notes.extend(truncation_note(
        last_page,
        reported_total,
        last,
        fetched.saturating_sub(repeated),
    ));
    let shifted = totals_seen.windows(2).any(|w| w[0] != w[1]);
    if shifted || repeated > 0 {
        let mut n = format!(
            "New logs arrived while the pages loaded, so Talkover's pages shifted{}.",
            match (
                totals_seen.first().copied().flatten(),
                totals_seen.iter().rev().find_map(|t| *t)
            ) {
                (Some(a), Some(b)) if a != b => format!(" (its total went from {a} to {b})"),
                _ => String::new(),
            }
        );
        if repeated > 0 {
            n.push_str(&format!(
                " {repeated} log(s) appeared on two pages and are shown once."
            ));
        }
        n.push_str(" A few logs may be missing: Refresh for a consistent view.");
        notes.push(n);
    }
    if unreadable > 0 {
        notes.push(unreadable_note(unreadable));
    }
    Ok(LookupResult {
        deliveries: deliveries.into(),
        failures,
        notes,
        vendor_total: page1.total,
        ..Default::default()
    })
}

/// Shows a load's rows so far ([`Shown`]): the logs grouped and indexed in slices, in a
/// task of their own so the pages keep arriving meanwhile. A showing that ends after a
/// larger one, or after the load was cancelled, is dropped.
struct ShowSoFar {
    show: Shown,
    cancel: CancelToken,
    vendor_total: Option<u64>,
    largest: Rc<Cell<usize>>,
}

impl ShowSoFar {
    fn new(show: Shown, cancel: &CancelToken, vendor_total: Option<u64>) -> ShowSoFar {
        ShowSoFar {
            show,
            cancel: cancel.clone(),
            vendor_total,
            largest: Rc::default(),
        }
    }

    fn show(&self, logs: Vec<talkover::DeliveryLog>) {
        let (show, cancel, largest) =
            (self.show.clone(), self.cancel.clone(), self.largest.clone());
        let vendor_total = self.vendor_total;
        let n = logs.len();
        leptos::task::spawn_local(async move {
            let logs = logs.into_iter().take(MAX_ROWS);
            let mut grouping = talkover::Grouping::new(logs, true);
            slices::run(|k| grouping.step(k)).await;
            let (deliveries, _) = grouping.finish();
            let mut prep = Preparing::default();
            slices::run(|k| prep.step(&deliveries, k)).await;
            if cancel.is_cancelled() || largest.get() >= n {
                return;
            }
            largest.set(n);
            show(LookupResult {
                deliveries: deliveries.into(),
                prepared: Some(Arc::new(prep.finish())),
                vendor_total,
                partial: true,
                ..Default::default()
            });
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The defect class: a cut result says that it is cut and how to narrow it.
    #[test]
    fn truncation_is_said() {
        assert_eq!(truncation_note(1000, Some(100_000), 1000, 100_000), None);
        let n = truncation_note(1001, Some(100_050), 1000, 100_000).unwrap();
        assert!(
            n.contains("newest 100000 logs")
                && n.contains("1001 page(s)")
                && n.contains("100050 logs"),
            "{n}"
        );
        assert!(n.contains("look up one webhook at a time"), "{n}");
        assert!(truncation_note(u32::MAX, None, 1000, 100_000).is_some());
    }

    /// The defect class: 4,000 logs a page and a billion pages gave 4,000,000 rows and a
    /// note claiming 100,000. Pages are bounded by rows too, and the note tells the truth.
    #[test]
    fn huge_pages_are_bounded_by_rows() {
        assert_eq!(pages_to_load(1_000_000_000, 4_000), 25);
        assert_eq!(pages_to_load(1_000_000_000, 100), 1000);
        assert_eq!(pages_to_load(3, 100), 3);
        assert_eq!(pages_to_load(0, 0), 1);
        assert_eq!(pages_to_load(5, 0), 5, "an empty page 1 bounds nothing");
        let n = truncation_note(1_000_000_000, None, 25, 100_000).unwrap();
        assert!(
            n.contains("newest 100000 logs") && n.contains("1000000000 page(s)"),
            "{n}"
        );
        let body = r#"{"success": true, "data": [{"id": "l1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {}, "created_at": "2026-01-01T00:00:00Z"}]}"#;
        let id = |s: &str| PathId::typed("ID", s).unwrap();
        let req = talkover::logs(talkover::Owner::Agent, &id("a"), &id("w"), 1, 25);
        let one = talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs)
            .remove(0);
        let mut many: Vec<Delivery> = vec![one; MAX_ROWS + 5];
        let said = cap_rows(&mut many).unwrap();
        assert_eq!(many.len(), MAX_ROWS);
        assert!(said.contains("100005 records"), "{said}");
    }
}
