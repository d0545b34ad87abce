//! Every vendor decoder on any body: a result or an error, never a panic. The first byte
//! picks the HTTP status, so error paths are reached as often as success paths.
#![no_main]

use hookscope_core::domain::Vendor;
use hookscope_core::ids::PathId;
use hookscope_core::response::{classify, vendor_error_message, RawResponse};
use hookscope_core::vendors::{bland, burki, talkover};
use libfuzzer_sys::fuzz_target;

const STATUSES: [u16; 12] = [200, 201, 204, 400, 401, 403, 404, 422, 429, 500, 502, 503];

fuzz_target!(|data: &[u8]| {
    let Some((&first, rest)) = data.split_first() else {
        return;
    };
    let status = STATUSES[usize::from(first) % STATUSES.len()];
    let body = String::from_utf8_lossy(rest);
    let id = PathId::typed("Call ID", "call-1").unwrap();
    let owner = PathId::typed("Owner ID", "agt").unwrap();
    let hook = PathId::typed("Webhook ID", "wh").unwrap();

    let _ = bland::decode_postcall(&bland::postcall_webhook(&id), Some(&id), status, &body);
    let _ = bland::decode_sms(&bland::sms_webhook(&id), Some(&id), status, &body);
    let ids = vec!["call-1".to_string(), "call-2".to_string()];
    let _ = bland::decode_bulk(
        &bland::create_webhooks(&ids, "https://x.example"),
        status,
        &body,
        &ids,
    );
    let _ = burki::decode_logs(&burki::webhook_logs(1, None), status, &body);
    let page = talkover::logs(talkover::Owner::Agent, &owner, &hook, 2, 100);
    if let Ok(p) = talkover::decode_page(&page, status, &body) {
        let _ = talkover::into_deliveries(p.logs);
    }
    let _ = talkover::decode_retry(
        &talkover::retry(talkover::Owner::Campaign, &owner, &hook, &id),
        status,
        &body,
    );
    let _ = vendor_error_message(&body);
    for vendor in Vendor::ALL {
        let raw = RawResponse {
            status,
            content_type: Some(
                if first & 1 == 0 {
                    "application/json"
                } else {
                    "text/html"
                }
                .into(),
            ),
            retry_after: Some(body.chars().take(40).collect()),
            body: body.to_string(),
            sign_in_asked: first & 2 == 0,
        };
        let _ = classify(vendor, "GET /x", &raw, chrono::DateTime::UNIX_EPOCH);
    }
});
