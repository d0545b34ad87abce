//! Sending a delivery again, by each vendor's rules, in one place: what a delivery can be
//! sent again as (a Talkover log retry, a Bland post-call resend) or why not, where it
//! was looked up (Talkover addresses a retry by owner and webhook), what a replay came to,
//! and the one sentence for Talkover's `LOG_NOT_RETRIABLE`. The delivery detail and
//! "Retry all shown" both ask here, so they cannot disagree.

use crate::bulk::CallOutcome;
use crate::domain::{Delivery, Vendor};
use crate::error::ApiError;
use crate::ids::PathId;
use crate::lookup::{LookupForm, LookupKind};
use crate::vendors::{bland, talkover};

/// Where a delivery was looked up: what a retry needs besides the delivery itself
/// (Talkover's agent or campaign and webhook; nothing for the other vendors).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct RetryScope {
    pub talkover: Option<(talkover::Owner, PathId, PathId)>,
}

impl RetryScope {
    /// The scope of a lookup of `kind` with `form` (IDs checked as typed ones are).
    pub fn of(kind: LookupKind, form: &LookupForm) -> RetryScope {
        let owner = match kind {
            LookupKind::TalkoverAgent => Some(talkover::Owner::Agent),
            LookupKind::TalkoverCampaign => Some(talkover::Owner::Campaign),
            _ => None,
        };
        let talkover = owner.and_then(|o| {
            let id = PathId::typed("Owner ID", &form.owner_id).ok()?;
            let wh = PathId::typed("Webhook ID", &form.webhook_id).ok()?;
            Some((o, id, wh))
        });
        RetryScope { talkover }
    }
}

/// What a delivery can be sent again as.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Replay {
    /// Talkover: retry this log (the latest retriable attempt's).
    RetryLog(PathId),
    /// Bland: resend this call's post-call webhook.
    ResendCall(PathId),
}

impl Replay {
    /// The vendor ID the request addresses.
    pub fn id(&self) -> &PathId {
        match self {
            Replay::RetryLog(id) | Replay::ResendCall(id) => id,
        }
    }
}

/// Why a delivery cannot be sent again.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum NoReplay {
    /// The vendor offers nothing to send for it (said why).
    #[error("{0}")]
    Nothing(&'static str),
    /// It could be sent, but the vendor's ID fails the checks every ID in a path passes.
    #[error("The vendor's ID cannot be used in a request: {0}")]
    UnusableId(crate::error::InputError),
}

/// What `d` can be sent again as, or why it cannot. IDs that came from the vendor pass
/// the same checks as typed ones before they go into a path.
pub fn replay_of(d: &Delivery) -> Result<Replay, NoReplay> {
    match d.vendor {
        Vendor::Talkover => {
            let log = d
                .attempts
                .iter()
                .rev()
                .find(|a| a.retriable)
                .and_then(|a| a.log_id.as_deref())
                .ok_or(NoReplay::Nothing(
                    "nothing to retry: its latest attempts succeeded or are queued",
                ))?;
            PathId::from_vendor("Log ID", log)
                .map(Replay::RetryLog)
                .map_err(NoReplay::UnusableId)
        }
        Vendor::Bland if d.event == bland::EVENT_POST_CALL => {
            PathId::from_vendor("Call ID", &d.subject)
                .map(Replay::ResendCall)
                .map_err(NoReplay::UnusableId)
        }
        Vendor::Bland => Err(NoReplay::Nothing("Bland resends post-call webhooks only")),
        Vendor::Burki => Err(NoReplay::Nothing("Burki offers no retry")),
    }
}

/// Talkover's `LOG_NOT_RETRIABLE`, in plain words (one text for every place that says it).
pub const NOT_RETRIABLE: &str = "Talkover will not retry this log: it already succeeded, is older than Talkover keeps retries for, or the webhook is disabled. Check the webhook in Talkover, or create a new delivery from your side.";

/// Whether `e` is Talkover refusing a retry (`LOG_NOT_RETRIABLE`, in either error shape).
pub fn is_not_retriable(e: &ApiError) -> bool {
    e.detail
        .as_deref()
        .is_some_and(|d| d.contains("LOG_NOT_RETRIABLE"))
}

/// What sending one delivery again came to (`data-outcome` of `replay-result`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReplayOutcome {
    /// Talkover queued a retry as this new log (when it said which).
    Queued { new_log: Option<String> },
    /// Talkover will not retry it ([`NOT_RETRIABLE`]).
    Refused,
    /// The request failed; the error in words.
    Failed(String),
    /// Not sent (the run was stopped first, or the vendor returned nothing for it).
    Skipped(String),
    /// A Bland resend's outcome, as bulk runs report it.
    Resend(CallOutcome),
}

impl ReplayOutcome {
    pub fn id(&self) -> &'static str {
        match self {
            ReplayOutcome::Queued { .. } => "queued",
            ReplayOutcome::Refused => "refused",
            ReplayOutcome::Failed(_) => "failed",
            ReplayOutcome::Skipped(_) => "skipped",
            ReplayOutcome::Resend(o) => o.id(),
        }
    }

    pub fn message(&self) -> String {
        match self {
            ReplayOutcome::Queued { new_log } => format!(
                "retry queued as log {}",
                new_log.as_deref().unwrap_or("(not given)")
            ),
            ReplayOutcome::Refused => NOT_RETRIABLE.to_string(),
            ReplayOutcome::Failed(m) | ReplayOutcome::Skipped(m) => m.clone(),
            ReplayOutcome::Resend(o) => o.message(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talkover_rows(body: &str) -> Vec<Delivery> {
        let id = |s: &str| PathId::typed("ID", s).unwrap();
        let req = talkover::logs(talkover::Owner::Agent, &id("a"), &id("w"), 1, 25);
        talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs)
    }

    #[test]
    fn one_rule_says_what_can_be_sent_again() {
        let ds = talkover_rows(
            r#"{"success": true, "data": [
          {"id": "ok", "webhook_id": "w", "event": "e", "attempt": 1, "status": "success", "http_status": 200, "request_payload": {"a": 1}, "created_at": "2026-01-01T00:00:00Z"},
          {"id": "bad", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {"a": 2}, "created_at": "2026-01-01T00:01:00Z"},
          {"id": "..", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {"a": 3}, "created_at": "2026-01-01T00:02:00Z"}
        ]}"#,
        );
        let by_payload = |a: &str| {
            ds.iter()
                .find(|d| d.payload.text().contains(a))
                .map(replay_of)
                .unwrap()
                .map_err(|e| e.to_string())
        };
        assert!(by_payload(r#""a":1"#)
            .unwrap_err()
            .contains("nothing to retry"));
        assert_eq!(
            by_payload(r#""a":2"#).unwrap(),
            Replay::RetryLog(PathId::typed("ID", "bad").unwrap())
        );
        assert!(by_payload(r#""a":3"#).unwrap_err().contains("“.”"));
        let mut burki = ds[0].clone();
        burki.vendor = Vendor::Burki;
        assert_eq!(
            replay_of(&burki),
            Err(NoReplay::Nothing("Burki offers no retry"))
        );
        let mut sms = ds[0].clone();
        sms.vendor = Vendor::Bland;
        sms.event = bland::EVENT_SMS.into();
        assert!(replay_of(&sms)
            .unwrap_err()
            .to_string()
            .contains("post-call webhooks only"));
    }

    #[test]
    fn the_scope_comes_from_the_lookup() {
        let form = LookupForm {
            owner_id: "agt".into(),
            webhook_id: "wh".into(),
            ..Default::default()
        };
        let s = RetryScope::of(LookupKind::TalkoverCampaign, &form);
        assert_eq!(
            s.talkover.as_ref().map(|t| t.0),
            Some(talkover::Owner::Campaign)
        );
        assert_eq!(
            RetryScope::of(LookupKind::BlandCall, &form),
            RetryScope::default()
        );
        let bad = LookupForm {
            owner_id: "..".into(),
            ..form
        };
        assert_eq!(
            RetryScope::of(LookupKind::TalkoverAgent, &bad),
            RetryScope::default()
        );
    }

    #[test]
    fn not_retriable_in_both_error_shapes() {
        use crate::response::{classify, raw};
        for body in [
            r#"{"success": false, "message": "Log cannot be retried", "code": "LOG_NOT_RETRIABLE"}"#,
            r#"{"success": false, "error": {"code": "LOG_NOT_RETRIABLE", "message": "Log cannot be retried"}}"#,
        ] {
            let e = classify(
                Vendor::Talkover,
                "POST /x",
                &raw(422, body),
                chrono::DateTime::UNIX_EPOCH,
            )
            .unwrap_err();
            assert!(is_not_retriable(&e), "{body}");
        }
        assert_eq!(ReplayOutcome::Refused.message(), NOT_RETRIABLE);
    }
}
