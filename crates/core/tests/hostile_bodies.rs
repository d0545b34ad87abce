//! Bodies no fuzzer run reaches by chance: 5 MB answers, nesting far deeper than any
//! parser's limit, and a page whose every log is unusable. Each decoder answers with
//! deliveries or a typed error, never a panic or a stack overflow.

use hookscope_core::calls::Phone;
use hookscope_core::ids::PathId;
use hookscope_core::vendors::{bland, burki, talkover};

fn all_decoders(body: &str) -> Vec<String> {
    let id = PathId::typed("Call ID", "call-1").unwrap();
    let owner = PathId::typed("Owner ID", "agt").unwrap();
    let hook = PathId::typed("Webhook ID", "wh").unwrap();
    let ids = vec!["call-1".to_string()];
    let (bland_q, burki_q) = (bland_q(), burki_q());
    let page = talkover::logs(talkover::Owner::Agent, &owner, &hook, 1, 100);
    vec![
        format!(
            "{:?}",
            bland::decode_postcall(&bland::postcall_webhook(&id), Some(&id), 200, body).err()
        ),
        format!(
            "{:?}",
            bland::decode_sms(&bland::sms_webhook(&id), Some(&id), 200, body).err()
        ),
        format!(
            "{:?}",
            bland::decode_bulk(
                &bland::create_webhooks(&ids, "https://x.example"),
                200,
                body,
                &ids
            )
            .err()
        ),
        format!(
            "{:?}",
            burki::decode_logs(&burki::webhook_logs(1, None), 200, body).err()
        ),
        format!("{:?}", talkover::decode_page(&page, 200, body).err()),
        format!(
            "{:?}",
            bland::decode_call(&bland::call(&id), Some(&id), 200, body).err()
        ),
        format!(
            "{:?}",
            bland::decode_calls(&bland::calls(&bland_q), 200, body).err()
        ),
        format!("{:?}", burki::decode_call(&burki::call(1), 200, body).err()),
        format!(
            "{:?}",
            burki::decode_calls(&burki::calls(&burki_q), 200, body).err()
        ),
    ]
}

/// A call record whose one field nests far past the parser's limit still decodes (the
/// field is kept as text), like the webhook logs do.
#[test]
fn a_deeply_nested_call_field_keeps_the_call() {
    let id = PathId::typed("Call ID", "call-1").unwrap();
    let deep = format!("{}1{}", "[".repeat(5_000), "]".repeat(5_000));
    let body = format!(r#"{{"call_id": "call-1", "completed": true, "variables": {deep}}}"#);
    let c = bland::decode_call(&bland::call(&id), Some(&id), 200, &body).unwrap();
    assert_eq!(c.status, hookscope_core::CallStatus::Completed);
    let body = format!(r#"{{"id": 7, "status": "failed", "call_meta": {deep}}}"#);
    let c = burki::decode_call(&burki::call(7), 200, &body).unwrap();
    assert_eq!(c.status, hookscope_core::CallStatus::Failed);
    let list =
        format!(r#"{{"count": 1, "calls": [{{"call_id": "a", "x": {deep}}}], "other": {deep}}}"#);
    let p = bland::decode_calls(&bland::calls(&bland_q()), 200, &list).unwrap();
    assert_eq!(p.calls.len(), 1);
    let list = format!(r#"{{"items": [{{"id": 1, "x": {deep}}}], "total": 1, "other": {deep}}}"#);
    let p = burki::decode_calls(&burki::calls(&burki_q()), 200, &list).unwrap();
    assert_eq!(p.calls.len(), 1);
}

fn bland_q() -> bland::CallsQuery {
    bland::CallsQuery::calls_to(&Phone::parse_e164("+15550100199").unwrap(), 50)
}

fn burki_q() -> burki::CallsQuery {
    burki::CallsQuery::customer(&Phone::parse_e164("+15550100199").unwrap(), 50)
}

#[test]
fn deep_nesting_never_overflows_the_stack() {
    for depth in [200, 10_000, 1_000_000] {
        for (open, close) in [("[", "]"), ("{\"a\":", "}")] {
            let body = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            // Refused, or read leniently as "nothing usable" (each unreadable entry is
            // counted): either is fine; overflowing the stack would abort this test.
            let results = all_decoders(&body);
            assert_eq!(results.len(), 9);
            // Nested inside an otherwise valid envelope too.
            let inner = format!("{}1{}", open.repeat(depth), close.repeat(depth));
            let body = format!(r#"{{"success":true,"data":[{{"id":"l","payload":{inner}}}]}}"#);
            let _ = all_decoders(&body);
        }
    }
}

#[test]
fn five_megabyte_bodies_decode_or_fail_cleanly() {
    // A valid Talkover page padded to 5 MB by one huge payload string.
    let big = "x".repeat(5 * 1024 * 1024);
    let body = format!(
        r#"{{"success":true,"data":[{{"id":"l1","webhook_id":"w","event":"e","attempt":1,"status":"success","http_status":200,"request_payload":{{"blob":"{big}"}},"created_at":"2026-01-01T00:00:00Z"}}],"meta":{{"current_page":1,"last_page":1,"per_page":100,"total":1}}}}"#
    );
    let owner = PathId::typed("Owner ID", "agt").unwrap();
    let hook = PathId::typed("Webhook ID", "wh").unwrap();
    let req = talkover::logs(talkover::Owner::Agent, &owner, &hook, 1, 100);
    let page = talkover::decode_page(&req, 200, &body).expect("a 5 MB page decodes");
    let deliveries = talkover::into_deliveries(page.logs);
    assert_eq!(deliveries.len(), 1);
    // 5 MB of garbage, 5 MB of a truncated page, 5 MB of numbers.
    let truncated = &body[..body.len() - 10];
    let numbers = format!("[{}1]", "1,".repeat(2_500_000));
    for b in ["\u{0}".repeat(5 << 20), truncated.to_string(), numbers] {
        let r = all_decoders(&b);
        assert!(
            r[0].starts_with("Some(") && r[4].starts_with("Some("),
            "{:?}",
            &r[0]
        );
    }
}

#[test]
fn a_page_of_unusable_logs_is_counted_not_fatal() {
    let logs: Vec<String> = (0..1000)
        .map(|i| format!(r#"{{"id":{i},"status":[]}}"#))
        .collect();
    let body = format!(r#"{{"success":true,"data":[{}]}}"#, logs.join(","));
    let owner = PathId::typed("Owner ID", "agt").unwrap();
    let hook = PathId::typed("Webhook ID", "wh").unwrap();
    let req = talkover::logs(talkover::Owner::Agent, &owner, &hook, 1, 100);
    match talkover::decode_page(&req, 200, &body) {
        Ok(p) => assert!(p.logs.len() + p.unreadable == 1000 || p.unreadable > 0),
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}
