//! Replay many: retry (Talkover) or resend (Bland) every delivery matching the explorer's
//! filters. The plan says up front what will be sent and what cannot be, and why; the run
//! uses the same paced fan-out as lookups (429 pauses everyone) and the bulk runner.

use crate::net::bulk::{run as run_bulk, RunSpec, StopFlag};
use crate::net::lookup::{fetch_all_until, LoadState, Progress};
use crate::net::transport::{CancelToken, Failure};
use hookscope_core::bulk::{CallOutcome, Mode};
use hookscope_core::connection::Connection;
use hookscope_core::domain::{Delivery, Vendor};
use hookscope_core::ids::PathId;
use hookscope_core::replay::{is_not_retriable, replay_of, ReplayOutcome, RetryScope};
use hookscope_core::vendors::talkover;
use std::rc::Rc;

/// One delivery to replay.
#[derive(Clone, Debug, PartialEq)]
pub struct Target {
    pub delivery_id: String,
    /// The Talkover log to retry, or the Bland call to resend.
    pub id: PathId,
}

/// What a replay would do.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Plan {
    pub targets: Vec<Target>,
    /// Deliveries that will not be sent, with the reason.
    pub skipped: Vec<(String, String)>,
}

/// Which of `rows` can be replayed on `vendor` (by the one rule in
/// [`hookscope_core::replay::replay_of`]); rows are borrowed, never copied.
pub fn plan<'a>(vendor: Vendor, rows: impl IntoIterator<Item = &'a Delivery>) -> Plan {
    let mut p = Plan::default();
    for d in rows.into_iter().filter(|d| d.vendor == vendor) {
        match replay_of(d) {
            Ok(r) => p.targets.push(Target {
                delivery_id: d.id.to_string(),
                id: r.id().clone(),
            }),
            Err(why) => p.skipped.push((d.id.to_string(), why.to_string())),
        }
    }
    p
}

/// The outcome of one delivery's replay, by delivery ID.
pub type Outcome = (String, ReplayOutcome);

/// Retries the Talkover logs of `targets` (bounded concurrency, paused on 429).
/// A stop lets the retries already sent finish (Talkover may have queued them) and sends
/// no more; the rest are `skipped`.
pub async fn retry_talkover(
    conn: &Connection,
    scope: &RetryScope,
    targets: &[Target],
    stop: &StopFlag,
    progress: Progress,
) -> Vec<Outcome> {
    let Some((owner, owner_id, webhook_id)) = scope.talkover.clone() else {
        return targets
            .iter()
            .map(|t| {
                (
                    t.delivery_id.clone(),
                    ReplayOutcome::Failed(
                        "the Talkover agent/campaign of this lookup is unknown".into(),
                    ),
                )
            })
            .collect();
    };
    let reqs: Vec<_> = targets
        .iter()
        .map(|t| talkover::retry(owner, &owner_id, &webhook_id, &t.id))
        .collect();
    // Requests once sent are never aborted; `stop` only keeps new ones from starting.
    let inflight = CancelToken::new();
    let answers = fetch_all_until(conn, &reqs, &inflight, &|| stop.stopped(), progress).await;
    targets
        .iter()
        .zip(reqs.iter().zip(answers))
        .map(|(t, (req, a))| {
            let outcome = match a
                .and_then(|(s, b)| talkover::decode_retry(req, s, &b).map_err(Failure::Api))
            {
                Ok((ack, _)) => ReplayOutcome::Queued {
                    new_log: ack.log_id,
                },
                Err(Failure::Cancelled) => ReplayOutcome::Skipped("not sent: cancelled".into()),
                Err(Failure::Api(e)) if is_not_retriable(&e) => ReplayOutcome::Refused,
                Err(Failure::Api(e)) => ReplayOutcome::Failed(e.to_string()),
            };
            (t.delivery_id.clone(), outcome)
        })
        .collect()
}

/// Resends the Bland calls of `targets` with the bulk runner (chunks, 429, back-off).
pub async fn resend_bland(
    conn: &Connection,
    targets: &[Target],
    stop: StopFlag,
    progress: Progress,
) -> Vec<Outcome> {
    let got = Rc::new(std::cell::RefCell::new(Vec::<(String, CallOutcome)>::new()));
    let g2 = got.clone();
    let spec = RunSpec {
        mode: Mode::Resend,
        conn: conn.clone(),
        url: String::new(),
        ids: targets.iter().map(|t| t.id.as_str().to_string()).collect(),
        chunk: hookscope_core::bulk::DEFAULT_CHUNK,
        concurrency: 2,
    };
    run_bulk(
        spec,
        stop,
        Rc::new(move |o| g2.borrow_mut().extend(o)),
        Rc::new(move |p| {
            progress(LoadState {
                done: p.done,
                total: p.total,
                waiting_secs: p.waiting_secs,
                paced: p.paced,
            })
        }),
    )
    .await;
    let got = got.borrow();
    targets
        .iter()
        .map(|t| {
            let o = got
                .iter()
                .find(|(id, _)| id == t.id.as_str())
                .map(|(_, o)| o.clone());
            let outcome = match o {
                Some(o) => ReplayOutcome::Resend(o),
                None => ReplayOutcome::Skipped("not sent".into()),
            };
            (t.delivery_id.clone(), outcome)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_plan_says_what_will_not_be_sent() {
        let body = r#"{"success": true, "data": [
          {"id": "ok", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {"a": 1}, "created_at": "2026-01-01T00:00:00Z"},
          {"id": "bad", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {"a": 2}, "created_at": "2026-01-01T00:01:00Z"},
          {"id": "..", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {"a": 3}, "created_at": "2026-01-01T00:02:00Z"}
        ]}"#;
        let id = |s: &str| PathId::typed("ID", s).unwrap();
        let req = talkover::logs(talkover::Owner::Agent, &id("a"), &id("w"), 1, 25);
        let ds = talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs);
        let p = plan(Vendor::Talkover, &ds);
        assert_eq!(p.targets.len(), 1);
        assert_eq!(p.targets[0].id.as_str(), "bad");
        assert_eq!(p.skipped.len(), 2);
        assert!(p
            .skipped
            .iter()
            .any(|(_, why)| why.contains("nothing to retry")));
        assert!(p.skipped.iter().any(|(_, why)| why.contains("“.”")));
        assert_eq!(
            plan(Vendor::Bland, &ds),
            Plan::default(),
            "other vendors' rows are not touched"
        );
    }
}
