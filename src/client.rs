//! Runs a validated lookup: sends its requests through the transport with bounded
//! concurrency, follows Talkover's pagination, decodes with the vendor adapters and
//! reports progress. Vendor-specific decoding stays in `hookscope_core::vendors`.

use crate::state::connections::Connection;
use crate::transport::{send, CancelToken, Failure};
use futures::stream::{self, StreamExt};
use hookscope_core::domain::Delivery;
use hookscope_core::error::ApiError;
use hookscope_core::lookup::Lookup;
use hookscope_core::request::ApiRequest;
use hookscope_core::response::{classify, RawResponse};
use hookscope_core::vendors::{bland, burki, talkover};

/// How many requests one lookup keeps in flight (fan-out over IDs or pages).
pub const CONCURRENCY: usize = 4;

/// The result of a lookup. A multi-ID lookup can partly fail: what arrived is kept.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LookupResult {
    pub deliveries: Vec<Delivery>,
    /// Per-request failures, in request order.
    pub failures: Vec<ApiError>,
    /// Things worth saying that are not errors ("no webhook sent yet for convo_x").
    pub notes: Vec<String>,
    /// Talkover's reported total, when it gave one.
    pub vendor_total: Option<u64>,
}

/// Called with (done, total) as requests finish.
pub type Progress = std::rc::Rc<dyn Fn(usize, usize)>;

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

/// Runs `jobs` at most [`CONCURRENCY`] at a time, in order, reporting (done, total)
/// as each finishes; `already` counts work done before these jobs.
async fn fan_out<T>(
    jobs: impl Iterator<Item = impl std::future::Future<Output = T>>,
    already: usize,
    total: usize,
    progress: &Progress,
) -> Vec<T> {
    let done = std::cell::Cell::new(already);
    stream::iter(jobs.map(|job| {
        let done = &done;
        async move {
            let r = job.await;
            done.set(done.get() + 1);
            progress(done.get(), total);
            r
        }
    }))
    .buffered(CONCURRENCY)
    .collect()
    .await
}

enum One {
    Delivery(Box<Delivery>),
    Many(Vec<Delivery>),
    Note(String),
}

/// Runs `lookup` on `conn`. Returns `Err(Failure::Cancelled)` only when cancelled.
pub async fn run(
    conn: &Connection,
    lookup: &Lookup,
    cancel: &CancelToken,
    progress: Progress,
) -> Result<LookupResult, Failure> {
    match lookup {
        Lookup::Talkover {
            owner,
            owner_id,
            webhook_id,
        } => run_talkover(conn, *owner, owner_id, webhook_id, cancel, progress).await,
        _ => {
            let reqs = lookup.initial_requests();
            let total = reqs.len();
            progress(0, total);
            let results: Vec<Result<One, Failure>> = fan_out(
                reqs.iter().map(|req| async move {
                    fetch(conn, req, cancel)
                        .await
                        .and_then(|(status, body)| decode_one(lookup, req, status, &body))
                }),
                0,
                total,
                &progress,
            )
            .await;
            let mut out = LookupResult::default();
            for r in results {
                match r {
                    Ok(One::Delivery(d)) => out.deliveries.push(*d),
                    Ok(One::Many(ds)) => out.deliveries.extend(ds),
                    Ok(One::Note(n)) => out.notes.push(n),
                    Err(Failure::Cancelled) => return Err(Failure::Cancelled),
                    Err(Failure::Api(e)) => out.failures.push(e),
                }
            }
            Ok(out)
        }
    }
}

fn decode_one(lookup: &Lookup, req: &ApiRequest, status: u16, body: &str) -> Result<One, Failure> {
    Ok(match lookup {
        Lookup::BlandCalls(_) => One::Delivery(Box::new(bland::decode_postcall(req, status, body)?)),
        Lookup::BlandSms(_) => match bland::decode_sms(req, status, body)? {
            Some(d) => One::Delivery(Box::new(d)),
            None => One::Note(format!(
                "{}: no webhook has been sent for this conversation yet (Bland answered data: null).",
                req.path.trim_start_matches("/v1/sms/conversations/").trim_end_matches("/webhook")
            )),
        },
        Lookup::BurkiCall { .. } => One::Many(burki::decode_logs(req, status, body)?),
        Lookup::Talkover { .. } => One::Many(talkover::to_deliveries(&talkover::decode_page(req, status, body)?.logs)),
    })
}

/// Page 1 first (it tells how many pages there are), then the rest in parallel.
async fn run_talkover(
    conn: &Connection,
    owner: talkover::Owner,
    owner_id: &str,
    webhook_id: &str,
    cancel: &CancelToken,
    progress: Progress,
) -> Result<LookupResult, Failure> {
    let per_page = talkover::MAX_PER_PAGE;
    let first = talkover::logs(owner, owner_id, webhook_id, 1, per_page);
    progress(0, 1);
    let (status, body) = match fetch(conn, &first, cancel).await {
        Ok(v) => v,
        Err(Failure::Api(e)) => {
            return Ok(LookupResult {
                failures: vec![e],
                ..Default::default()
            })
        }
        Err(c) => return Err(c),
    };
    let page1 = match talkover::decode_page(&first, status, &body) {
        Ok(p) => p,
        Err(e) => {
            return Ok(LookupResult {
                failures: vec![e],
                ..Default::default()
            })
        }
    };
    // Bound the fan-out even if the vendor claims an absurd page count.
    let last = page1.last_page.min(1000);
    let total_pages = last as usize;
    progress(1, total_pages);
    let mut logs = page1.logs;
    let mut failures = Vec::new();
    let pages: Vec<Result<talkover::LogPage, Failure>> = fan_out(
        (2..=last).map(|p| async move {
            let req = talkover::logs(owner, owner_id, webhook_id, p, per_page);
            let (s, b) = fetch(conn, &req, cancel).await?;
            Ok(talkover::decode_page(&req, s, &b)?)
        }),
        1,
        total_pages,
        &progress,
    )
    .await;
    for p in pages {
        match p {
            Ok(page) => logs.extend(page.logs),
            Err(Failure::Cancelled) => return Err(Failure::Cancelled),
            Err(Failure::Api(e)) => failures.push(e),
        }
    }
    Ok(LookupResult {
        deliveries: talkover::to_deliveries(&logs),
        failures,
        notes: vec![],
        vendor_total: page1.total,
    })
}
