//! A delivery as a HAR 1.2 file (one entry per attempt), loadable in a browser's network
//! panel. Built from the domain model only: it holds what the vendor sent to the target
//! and what the target answered, never a vendor API key.

use crate::domain::{Attempt, Delivery};
use serde_json::{json, Value};

/// The HAR of `d`. Attempts without an HTTP answer have status 0, as browsers write them.
pub fn to_har(d: &Delivery) -> Value {
    let url = d.target_url.clone().unwrap_or_default();
    let payload = d.payload.text().to_string();
    let entries: Vec<Value> = d
        .attempts
        .iter()
        .map(|a| entry(d, a, &url, &payload))
        .collect();
    json!({
        "log": {
            "version": "1.2",
            "creator": {"name": "hookscope", "version": env!("CARGO_PKG_VERSION")},
            "pages": [],
            "entries": entries,
            "comment": format!("{} {} delivery {} ({})", d.vendor.label(), d.event, d.subject, d.status.id()),
        }
    })
}

fn query_string(url: &str) -> Vec<Value> {
    url.split_once('?')
        .map(|(_, q)| q.split('#').next().unwrap_or(""))
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (n, v) = p.split_once('=').unwrap_or((p, ""));
            json!({"name": n, "value": v})
        })
        .collect()
}

fn entry(d: &Delivery, a: &Attempt, url: &str, payload: &str) -> Value {
    let started =
        a.at.as_ref()
            .and_then(|t| t.parsed)
            .or_else(|| d.created_at.as_ref().and_then(|t| t.parsed))
            .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
            .unwrap_or_else(|| "1970-01-01T00:00:00.000Z".into());
    let ms = a.duration_ms.unwrap_or(0);
    let body = a.response_body.clone().unwrap_or_default();
    let headers: Vec<Value> = a
        .headers()
        .into_iter()
        .map(|(k, v)| json!({"name": k, "value": v}))
        .collect();
    let mime = headers
        .iter()
        .find(|h| {
            h["name"]
                .as_str()
                .is_some_and(|n| n.eq_ignore_ascii_case("content-type"))
        })
        .and_then(|h| h["value"].as_str())
        .unwrap_or(if body.trim_start().starts_with(['{', '[']) {
            "application/json"
        } else {
            "text/plain"
        })
        .to_string();
    let mut comment = format!("attempt #{} ({}, {})", a.number, a.trigger, a.outcome.id());
    if let Some(e) = &a.error {
        comment.push_str(": ");
        comment.push_str(e);
    }
    json!({
        "startedDateTime": started,
        "time": ms,
        "request": {
            "method": "POST",
            "url": url,
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": [{"name": "content-type", "value": "application/json"}],
            "queryString": query_string(url),
            "postData": {"mimeType": "application/json", "text": payload},
            "headersSize": -1,
            "bodySize": payload.len(),
        },
        "response": {
            "status": a.http_code.unwrap_or(0),
            "statusText": "",
            "httpVersion": "HTTP/1.1",
            "cookies": [],
            "headers": headers,
            "content": {"size": body.len(), "mimeType": mime, "text": body},
            "redirectURL": "",
            "headersSize": -1,
            "bodySize": if a.response_body.is_some() { body.len() as i64 } else { -1 },
        },
        "cache": {},
        "timings": {"send": 0, "wait": ms, "receive": 0},
        "comment": comment,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::pid;
    use crate::vendors::talkover;

    /// The HAR 1.2 field list (required fields of each object, per the specification).
    #[test]
    fn har_has_every_required_field() {
        let body = r#"{"success": true, "data": [
          {"id": "l1", "webhook_id": "w", "event": "e", "attempt": 1, "status": "retrying", "http_status": 503, "error": "Service Unavailable", "duration_ms": 900, "request_payload": {"call_id": "c", "n": 1}, "response_body": "<h1>down</h1>", "response_headers": {"content-type": "text/html"}, "created_at": "2026-01-01T00:00:00Z"},
          {"id": "l2", "webhook_id": "w", "event": "e", "attempt": 2, "status": "success", "http_status": 200, "duration_ms": 80, "request_payload": {"call_id": "c", "n": 1}, "response_body": "{\"ok\":true}", "created_at": "2026-01-01T00:01:00Z"}
        ]}"#;
        let req = talkover::logs(talkover::Owner::Agent, &pid("a"), &pid("w"), 1, 25);
        let mut d = talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs)
            .remove(0);
        d.target_url = Some("https://hooks.example/x?sig=1&v=2".into());
        let har = to_har(&d);
        let log = &har["log"];
        assert_eq!(log["version"], "1.2");
        for k in ["name", "version"] {
            assert!(log["creator"][k].is_string(), "creator.{k}");
        }
        let entries = log["entries"].as_array().unwrap();
        assert_eq!(entries.len(), 2);
        for e in entries {
            for k in [
                "startedDateTime",
                "time",
                "request",
                "response",
                "cache",
                "timings",
            ] {
                assert!(!e[k].is_null(), "entry.{k}");
            }
            for k in [
                "method",
                "url",
                "httpVersion",
                "cookies",
                "headers",
                "queryString",
                "headersSize",
                "bodySize",
            ] {
                assert!(!e["request"][k].is_null(), "request.{k}");
            }
            for k in [
                "status",
                "statusText",
                "httpVersion",
                "cookies",
                "headers",
                "content",
                "redirectURL",
                "headersSize",
                "bodySize",
            ] {
                assert!(!e["response"][k].is_null(), "response.{k}");
            }
            for k in ["size", "mimeType"] {
                assert!(!e["response"]["content"][k].is_null(), "content.{k}");
            }
            for k in ["send", "wait", "receive"] {
                assert!(e["timings"][k].is_number(), "timings.{k}");
            }
            assert!(
                chrono::DateTime::parse_from_rfc3339(e["startedDateTime"].as_str().unwrap())
                    .is_ok()
            );
        }
        assert_eq!(entries[0]["response"]["status"], 503);
        assert_eq!(entries[0]["response"]["content"]["mimeType"], "text/html");
        assert_eq!(entries[0]["response"]["content"]["text"], "<h1>down</h1>");
        assert_eq!(entries[0]["request"]["queryString"][0]["name"], "sig");
        assert_eq!(
            entries[1]["request"]["postData"]["text"],
            r#"{"call_id":"c","n":1}"#
        );
        assert!(entries[0]["comment"]
            .as_str()
            .unwrap()
            .contains("Service Unavailable"));
    }
}
