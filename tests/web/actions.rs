//! What sends webhooks: a Talkover retry and a Bland resend over HTTP, and a bulk run
//! that retries server errors and reports timeouts as unknown.

use super::*;

#[wasm_bindgen_test]
async fn retry_and_resend_actions_over_http() {
    let c = conn(Vendor::Talkover, "sim-key");
    let logs = demo::talkover_logs(
        "agents",
        "agt_demo_support",
        "wh_demo_crm",
        chrono::Utc::now(),
    )
    .unwrap();
    let ok = logs.iter().find(|l| l["status"] == "success").unwrap()["id"]
        .as_str()
        .unwrap()
        .to_string();
    let req = talkover::retry(
        talkover::Owner::Agent,
        &pid("agt_demo_support"),
        &pid("wh_demo_crm"),
        &pid(&ok),
    );
    let raw = send(&c, &req, &CancelToken::new()).await.unwrap();
    assert_eq!(raw.status, 422);
    assert!(raw.body.contains("LOG_NOT_RETRIABLE"));
    let ids = vec![demo::bland_call_id(2)];
    let req = bland::resend_webhooks(&ids);
    let raw = send(&conn(Vendor::Bland, "sim-key"), &req, &CancelToken::new())
        .await
        .unwrap();
    let out = bland::decode_bulk(&req, raw.status, &raw.body, &ids).unwrap();
    assert_eq!(out[0].1.outcome_id(), "created");
}

/// A 503 is tried again after a back-off (and the calls end created); a request that
/// times out after it was sent is `unknown`, never sent again by itself.
#[wasm_bindgen_test]
async fn bulk_retries_5xx_and_reports_timeouts_as_unknown() {
    use hookscope::net::bulk::{run, RunSpec, StopFlag};
    use hookscope_core::bulk::{CallOutcome, Mode};
    let spec = |ids: Vec<String>, timeout_secs: u32| RunSpec {
        mode: Mode::Resend,
        conn: Connection {
            timeout_secs,
            ..conn(Vendor::Bland, "sim-key")
        },
        url: String::new(),
        ids,
        chunk: 2,
        concurrency: 1,
    };
    let collect = || {
        let got = Rc::new(std::cell::RefCell::new(Vec::<(String, CallOutcome)>::new()));
        let g2 = got.clone();
        (
            got,
            Rc::new(move |o: Vec<(String, CallOutcome)>| g2.borrow_mut().extend(o))
                as hookscope::net::bulk::OnDone,
        )
    };
    sim_control(
        "POST",
        "/__sim/faults",
        r#"{"fail_at": [1], "only_path": "/resend"}"#,
    )
    .await;
    let ids: Vec<String> = (0..2).map(demo::bland_call_id).collect();
    let (got, on_done) = collect();
    run(spec(ids, 10), StopFlag::default(), on_done, Rc::new(|_| {})).await;
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&sim_control("GET", "/__sim/requests", "").await).unwrap();
    assert_eq!(log.len(), 2, "the 503 was tried again once: {log:?}");
    assert!(
        got.borrow().iter().all(|(_, o)| o.id() == "created"),
        "{:?}",
        got.borrow()
    );

    sim_control(
        "POST",
        "/__sim/faults",
        r#"{"latency_ms": 2500, "only_path": "/resend"}"#,
    )
    .await;
    let (got, on_done) = collect();
    run(
        spec(vec![demo::bland_call_id(3)], 1),
        StopFlag::default(),
        on_done,
        Rc::new(|_| {}),
    )
    .await;
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&sim_control("GET", "/__sim/requests", "").await).unwrap();
    sim_control("POST", "/__sim/reset", "").await;
    assert_eq!(got.borrow()[0].1.id(), "unknown");
    assert!(got.borrow()[0].1.message().contains("look these calls up"));
    assert_eq!(log.len(), 1, "a timed-out request is not sent again");
}
