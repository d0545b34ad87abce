//! Preflight: each call's current post-call webhook, looked up before sending, so the
//! person sees which calls Bland will refuse.

use crate::net::lookup::{fetch_all, Progress};
use crate::net::transport::{CancelToken, Failure};
use hookscope_core::bulk::Mode;
use hookscope_core::connection::Connection;
use hookscope_core::error::ErrorKind;
use hookscope_core::ids::PathId;
use hookscope_core::vendors::bland;

/// A call's state before sending (`data-preflight`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Check {
    /// Bland should accept it.
    Ready,
    /// A post-call webhook was sent already: `create` will be refused.
    AlreadySent,
    /// No such call, or (for resend) no webhook to resend.
    NotFound(String),
    /// The check itself failed (key, network…): unknown.
    Error(String),
}

impl Check {
    pub fn id(&self) -> &'static str {
        match self {
            Check::Ready => "ready",
            Check::AlreadySent => "already-sent",
            Check::NotFound(_) => "not-found",
            Check::Error(_) => "error",
        }
    }

    pub fn message(&self) -> String {
        match self {
            Check::Ready => "ready".into(),
            Check::AlreadySent => "a post-call webhook was already sent".into(),
            Check::NotFound(m) | Check::Error(m) => m.clone(),
        }
    }
}

/// Reads one lookup answer as a preflight state for `mode`.
pub fn classify(mode: Mode, answer: Result<(bool, String), (ErrorKind, String)>) -> Check {
    match (mode, answer) {
        (Mode::Create, Ok((true, _))) => Check::AlreadySent,
        (Mode::Resend, Ok((true, _))) => Check::Ready,
        (Mode::Create, Ok((false, _))) => Check::Ready,
        (Mode::Resend, Ok((false, m))) => Check::NotFound(m),
        (mode, Err((ErrorKind::NotFound, m))) => {
            // Bland says 404 both for an unknown call and for a call without a webhook yet;
            // its message tells them apart.
            let lower = m.to_lowercase();
            let no_webhook_yet =
                lower.contains("no post call webhook") || lower.contains("no post-call webhook");
            match (mode, no_webhook_yet) {
                (Mode::Create, true) => Check::Ready,
                (Mode::Resend, true) => {
                    Check::NotFound("no webhook was sent yet, so there is nothing to resend".into())
                }
                (_, false) => Check::NotFound(m),
            }
        }
        (_, Err((_, m))) => Check::Error(m),
    }
}

/// Checks every call (bounded concurrency, paused on 429, cancellable).
pub async fn run(
    conn: &Connection,
    mode: Mode,
    ids: &[String],
    cancel: &CancelToken,
    progress: Progress,
) -> Result<Vec<(String, Check)>, Failure> {
    let mut checks = Vec::with_capacity(ids.len());
    let mut reqs = Vec::new();
    let mut asked = Vec::new();
    for id in ids {
        match PathId::typed("Call ID", id) {
            Ok(p) => {
                reqs.push(bland::postcall_webhook(&p));
                asked.push((id.clone(), p));
            }
            Err(e) => checks.push((id.clone(), Check::NotFound(e.to_string()))),
        }
    }
    let answers = fetch_all(conn, &reqs, cancel, progress).await;
    for ((id, p), (req, a)) in asked.into_iter().zip(reqs.iter().zip(answers)) {
        let read = match a {
            Err(Failure::Cancelled) => return Err(Failure::Cancelled),
            Err(Failure::Api(e)) => Err((
                e.kind,
                e.detail.clone().unwrap_or_else(|| e.summary.clone()),
            )),
            Ok((status, body)) => match bland::decode_postcall(req, Some(&p), status, &body) {
                Ok(d) => Ok((!d.attempts.is_empty(), String::new())),
                Err(e) => Err((
                    e.kind,
                    e.detail.clone().unwrap_or_else(|| e.summary.clone()),
                )),
            },
        };
        checks.push((id, classify(mode, read)));
    }
    Ok(checks)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_per_mode() {
        let nf = |m: &str| Err((ErrorKind::NotFound, m.to_string()));
        assert_eq!(
            classify(Mode::Create, Ok((true, String::new()))),
            Check::AlreadySent
        );
        assert_eq!(
            classify(Mode::Resend, Ok((true, String::new()))),
            Check::Ready
        );
        assert_eq!(
            classify(
                Mode::Create,
                nf("No post call webhook has been sent for call x")
            ),
            Check::Ready
        );
        assert_eq!(
            classify(Mode::Create, nf("Call x not found")).id(),
            "not-found"
        );
        assert_eq!(
            classify(Mode::Resend, nf("No post call webhook has been sent")).id(),
            "not-found"
        );
        assert_eq!(
            classify(
                Mode::Create,
                Err((ErrorKind::Unauthorized, "bad key".into()))
            )
            .id(),
            "error"
        );
    }
}
