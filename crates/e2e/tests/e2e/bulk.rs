//! End-to-end: bulk create / resend.

use hookscope_e2e::*;
/// The demo calls (135 with a webhook already, 15 without), calls Bland does not know,
/// calls that fail one by one, and some repeated and invalid entries.
fn thousand_ids() -> (String, Vec<(String, &'static str)>) {
    use hookscope_core::demo::data as demo;
    let mut want = Vec::new();
    for i in 0..demo::BLAND_CALLS {
        let outcome = if demo::bland_call_has_webhook(i) {
            "already-sent"
        } else {
            "created"
        };
        want.push((demo::bland_call_id(i), outcome));
    }
    for i in 0..830 {
        want.push((format!("unknown-call-{i:04}"), "invalid"));
    }
    for i in 0..20 {
        want.push((format!("fail-{i:02}"), "failed"));
    }
    let mut lines: Vec<String> = want.iter().map(|(id, _)| id.clone()).collect();
    lines.insert(10, want[0].0.clone());
    lines.push("..".into());
    (lines.join("\r\n"), want)
}

/// 1,000 calls to the simulator with already-sent, invalid and failing calls and a 429 in
/// the middle: every call gets its outcome, and a created call's lookup shows `create`.
#[tokio::test]
async fn bulk_create_of_1000_calls() {
    let h = setup().await;
    h.open_with_sim_connections(&["bland"]).await;
    h.reset_sim_with_faults(
        serde_json::json!({"rate_limit_at": [4], "retry_after": "1", "only_path": "/v1/postcall/webhooks/create"}),
    )
    .await;
    h.bulk_form("Sim Bland", "create").await;
    let (text, want) = thousand_ids();
    h.paste("bulk-ids", &text).await;
    h.until("1,000 valid IDs understood", || async {
        h.attr("bulk-parsed", "data-valid").await.as_deref() == Some("1000")
    })
    .await;
    assert_eq!(
        h.attr("bulk-parsed", "data-duplicates").await.as_deref(),
        Some("1")
    );
    assert_eq!(
        h.attr("bulk-parsed", "data-invalid").await.as_deref(),
        Some("1")
    );
    h.type_into("bulk-url", "https://hooks.example.com/bland/post-call")
        .await;
    h.click("bulk-review").await;
    let review = h.text("bulk-review-panel").await;
    assert!(
        review.contains("1000 call(s) → https://hooks.example.com/bland/post-call")
            && review.contains("Sim Bland"),
        "{review}"
    );
    // A double click sends once: the second click finds the run started.
    let confirm = h.find("bulk-confirm").await;
    confirm.click().await.unwrap();
    let _ = confirm.click().await;
    h.bulk_done(1000).await;
    let got = h.bulk_outcomes().await;
    assert_eq!(got.len(), 1000);
    for (id, outcome) in &want {
        assert_eq!(got.get(id).map(String::as_str), Some(*outcome), "{id}");
    }
    let s = |k: &str| {
        let h = &h;
        let k = k.to_string();
        async move {
            h.attr("bulk-summary", &format!("data-{k}"))
                .await
                .unwrap_or_default()
        }
    };
    assert_eq!(s("created").await, "15");
    assert_eq!(s("already-sent").await, "135");
    assert_eq!(s("invalid").await, "830");
    assert_eq!(s("failed").await, "20");
    let log = h.sim_requests().await;
    assert_eq!(
        log.len(),
        21,
        "20 requests of 50 IDs, plus the one refused with 429"
    );
    assert_eq!(log.iter().filter(|r| r["limited"] == true).count(), 1);
    // A later lookup of a created call shows its `create` attempt.
    let created = hookscope_core::demo::data::bland_call_id(9);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &created)])
        .await;
    h.until("the created call's create attempt", || async {
        h.rows_attr("data-id").await.len() == 1
    })
    .await;
    h.click_first("delivery-row").await;
    h.until("attempt with trigger create", || async {
        h.last_attr("attempt", "data-trigger").await.as_deref() == Some("create")
    })
    .await;
    h.finish().await;
}

/// Preflight marks each call; a run is cancelled mid-way (skipped calls reported), the
/// page is reloaded and continues with the rest without re-sending any; "retry failed"
/// sends only the failed calls; the results export.
#[tokio::test]
async fn bulk_preflight_cancel_reload_continue_and_retry_failed() {
    use hookscope_core::demo::data as demo;
    let h = setup_at("/connections").await;
    // Remembered, so the key is still there after the reload.
    h.add_remembered_connection("bland", "Sim Bland").await;
    h.reset_sim().await;
    h.bulk_form("Sim Bland", "resend").await;
    let mut ids: Vec<String> = (0..40).map(demo::bland_call_id).collect();
    ids.push("fail-a".into());
    ids.push("nope-call".into());
    h.paste("bulk-ids", &ids.join("\n")).await;
    h.click("bulk-preflight").await;
    h.until("every call checked", || async {
        let p = h.attrs("bulk-result-row", "data-preflight").await;
        p.len() == 42 && p.iter().all(|x| !x.is_empty())
    })
    .await;
    let pre: std::collections::HashMap<String, String> = h
        .attrs("bulk-result-row", "data-call-id")
        .await
        .into_iter()
        .zip(h.attrs("bulk-result-row", "data-preflight").await)
        .collect();
    assert_eq!(pre[&demo::bland_call_id(0)], "ready");
    assert_eq!(
        pre[&demo::bland_call_id(9)],
        "not-found",
        "nothing to resend yet"
    );
    assert_eq!(pre["nope-call"], "not-found");
    // Slow requests of 2 calls, one at a time, so the run can be cancelled and reloaded.
    h.set_sim_faults(
        serde_json::json!({"latency_ms": 400, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    h.set_chunking(2, 1).await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.until("a few calls done", || async {
        h.attrs("bulk-progress", "data-done")
            .await
            .first()
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
            >= 4
    })
    .await;
    // Reload mid-run: the journal says which calls were done.
    h.client.refresh().await.unwrap();
    h.find("bulk-resume").await;
    let before = h.bulk_outcomes().await;
    let done_before: Vec<&String> = before
        .iter()
        .filter(|(_, o)| !o.is_empty())
        .map(|(i, _)| i)
        .collect();
    assert!(
        done_before.len() >= 4 && done_before.len() < 42,
        "{}",
        done_before.len()
    );
    h.set_sim_faults(serde_json::json!({"only_path": "/v1/postcall/webhooks/resend"}))
        .await;
    h.click("bulk-continue").await;
    let n: usize = h
        .attr("bulk-review-panel", "data-count")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        n,
        42 - done_before.len(),
        "only the calls not done are offered"
    );
    h.click("bulk-confirm").await;
    h.until("the rest finished", || async {
        h.all("bulk-cancel").await.is_empty()
            && h.bulk_outcomes().await.values().all(|o| !o.is_empty())
    })
    .await;
    let after = h.bulk_outcomes().await;
    for id in &done_before {
        assert_eq!(after[*id], before[*id], "{id} was not sent again");
    }
    assert_eq!(after["fail-a"], "failed");
    let resend_requests = h.sim_requests().await.len();
    // After the reload the request size is back to its default (50).
    assert_eq!(
        resend_requests,
        n.div_ceil(50),
        "only the rest was sent after the reload"
    );
    // Retry failed: only the failed call is offered, and only it is sent.
    h.click("bulk-retry-failed").await;
    assert_eq!(
        h.attr("bulk-review-panel", "data-count").await.as_deref(),
        Some("1")
    );
    h.click("bulk-confirm").await;
    h.until("the retry finished", || async {
        h.all("bulk-cancel").await.is_empty()
            && h.bulk_outcomes()
                .await
                .get("fail-a")
                .is_some_and(|o| !o.is_empty())
    })
    .await;
    assert_eq!(
        h.sim_requests().await.len(),
        resend_requests + 1,
        "one request, for the failed call only"
    );
    let again = h.bulk_outcomes().await;
    assert_eq!(again["fail-a"], "failed");
    for (id, o) in &after {
        if id != "fail-a" {
            assert_eq!(&again[id], o, "{id} kept its outcome");
        }
    }
    // Cancel mid-run: what was never sent is skipped.
    h.click("bulk-clear").await;
    h.set_chunking(2, 1).await;
    h.set_sim_faults(
        serde_json::json!({"latency_ms": 400, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.until("one request done", || async {
        h.attrs("bulk-progress", "data-done")
            .await
            .first()
            .map(String::as_str)
            .is_some_and(|d| d != "0")
    })
    .await;
    h.click("bulk-cancel").await;
    h.until_gone("cancelled", "bulk-cancel").await;
    let skipped: usize = h
        .attr("bulk-summary", "data-skipped")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(skipped > 20, "most calls were never sent: {skipped}");
    h.click("bulk-export").await;
    h.finish().await;
}

/// A read-only connection cannot send; the reason is said.
#[tokio::test]
async fn bulk_is_blocked_on_a_read_only_connection() {
    let h = setup_at("/connections").await;
    h.add_read_only_connection("bland", "Review only").await;
    h.click("nav-bulk").await;
    h.select("bulk-connection", "Review only").await;
    h.paste("bulk-ids", "abc-123").await;
    h.type_into("bulk-url", "https://hooks.example.com/x").await;
    h.click("bulk-review").await;
    let p = h.text("bulk-problem").await;
    assert!(p.contains("read-only"), "{p}");
    assert!(h.all("bulk-confirm").await.is_empty());
    h.finish().await;
}

/// Demo mode: no key, generated outcomes of every kind, a 429 countdown and a 503 retried.
#[tokio::test]
async fn bulk_in_demo_mode_shows_the_whole_flow() {
    let h = setup_at("/bulk").await;
    h.find("demo-badge").await;
    h.click("bulk-demo-ids").await;
    h.until("demo IDs understood", || async {
        h.attr("bulk-parsed", "data-valid").await.as_deref() == Some("152")
    })
    .await;
    h.type_into("bulk-url", "https://hooks.example.com/demo")
        .await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.find("bulk-countdown").await;
    h.bulk_done(152).await;
    for (k, min) in [
        ("created", 1),
        ("already-sent", 1),
        ("invalid", 1),
        ("failed", 1),
    ] {
        let n: usize = h
            .attr("bulk-summary", &format!("data-{k}"))
            .await
            .unwrap()
            .parse()
            .unwrap();
        assert!(n >= min, "{k}: {n}");
    }
    h.finish().await;
}

/// Two tabs: a run in progress in one is visible in the other, whose Confirm is blocked
/// until it ends.
#[tokio::test]
async fn a_bulk_run_in_one_tab_blocks_the_other() {
    let h = setup_at("/connections").await;
    h.add_remembered_connection("bland", "Sim Bland").await;
    h.reset_sim_with_faults(
        serde_json::json!({"latency_ms": 1000, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    let ids: Vec<String> = (0..12)
        .map(hookscope_core::demo::data::bland_call_id)
        .collect();
    let start_run = || async {
        h.bulk_form("Sim Bland", "resend").await;
        h.paste("bulk-ids", &ids.join("\n")).await;
        h.set_chunking(2, 1).await;
        h.click("bulk-review").await;
    };
    start_run().await;
    h.click("bulk-confirm").await;
    let (tab_a, _) = h.open_tab().await;
    h.open("/bulk").await;
    h.find("bulk-other-tab").await;
    // Clearing this tab's view never removes the other tab's live journal.
    h.click("bulk-clear").await;
    assert!(h.local_storage("hookscope.bulk.journal.v1").await.is_some());
    start_run().await;
    let p = h.text("bulk-problem").await;
    assert!(p.contains("another tab"), "{p}");
    assert!(
        h.all("bulk-confirm").await.is_empty(),
        "no way to send twice"
    );
    h.no_crash().await;
    h.close_tab(&tab_a).await;
    h.bulk_done(12).await;
    h.finish().await;
}
