//! Requests over real HTTP to the simulator: each vendor's lookups, every error kind,
//! network failures, cancellation, pacing on 429, shifting pages, hostile IDs.

use super::*;

#[wasm_bindgen_test]
async fn bland_calls_over_http() {
    let ids = [
        demo::bland_call_id(0),
        demo::bland_call_id(1),
        demo::bland_call_id(9),
    ];
    let r = lookup(
        &conn(Vendor::Bland, "sim-key"),
        Lookup::BlandCalls(ids.iter().map(|i| pid(i)).collect()),
    )
    .await;
    assert_eq!(r.deliveries.len(), 2);
    assert_eq!(&*r.deliveries[0].subject, ids[0]);
    assert!(r
        .deliveries
        .iter()
        .all(|d| d.vendor == Vendor::Bland && !d.attempts.is_empty()));
    // Call 9 never sent its webhook: a per-ID not-found, the others still shown.
    assert_eq!(r.failures.len(), 1);
    assert_eq!(r.failures[0].kind, ErrorKind::NotFound);
    assert!(r.failures[0].request.contains(&ids[2]));
}

#[wasm_bindgen_test]
async fn bland_sms_documented_example_over_http() {
    let r = lookup(
        &conn(Vendor::Bland, "Bearer sim-key"),
        Lookup::BlandSms(vec![
            pid("convo_abc123"),
            pid(&demo::bland_conversation_id(7)),
        ]),
    )
    .await;
    assert_eq!(r.deliveries.len(), 1);
    let d = &r.deliveries[0];
    assert_eq!(&*d.subject, "convo_abc123");
    assert_eq!(d.attempts[0].http_code, Some(200));
    assert_eq!(d.attempts[0].duration_ms, Some(142));
    assert_eq!(r.notes.len(), 1, "data: null is a note, not an error");
    assert!(r.failures.is_empty());
}

#[wasm_bindgen_test]
async fn burki_call_with_type_filter_over_http() {
    let r = lookup(
        &conn(Vendor::Burki, "sim-key"),
        Lookup::BurkiCalls {
            call_ids: vec![1001],
            webhook_type: Some("transcript".into()),
        },
    )
    .await;
    assert!(!r.deliveries.is_empty());
    assert!(r.deliveries.iter().all(|d| d.event == "transcript"));
}

#[wasm_bindgen_test]
async fn talkover_follows_every_page() {
    let c = conn(Vendor::Talkover, "sim-key");
    let seen = Rc::new(Cell::new((0usize, 0usize)));
    let s2 = seen.clone();
    let l = Lookup::Talkover {
        owner: talkover::Owner::Agent,
        owner_id: pid("agt_demo_support"),
        webhook_id: pid("wh_demo_primary"),
    };
    let r = lookup::run(
        &c,
        &l,
        &CancelToken::new(),
        Rc::new(move |p: LoadState| s2.set((p.done, p.total))),
    )
    .await
    .unwrap();
    let logs = demo::talkover_logs(
        "agents",
        "agt_demo_support",
        "wh_demo_primary",
        chrono::Utc::now(),
    )
    .unwrap();
    let pages = logs.len().div_ceil(100);
    assert_eq!(seen.get(), (pages, pages));
    assert_eq!(r.vendor_total, Some(logs.len() as u64));
    let parsed: Vec<talkover::DeliveryLog> = logs
        .into_iter()
        .map(|l| serde_json::from_value(l).unwrap())
        .collect();
    assert_eq!(r.deliveries.len(), talkover::to_deliveries(&parsed).len());
    assert!(r.failures.is_empty());
}

/// Rows appear as the pages arrive: a first load of 10,000 logs (100 pages) hands over the
/// newest 100 after page 1 and 1,000 after page 10, each grouped and indexed like a
/// result and marked partial, newest first as the final result has them; the result
/// itself is the whole webhook, not partial.
#[wasm_bindgen_test]
async fn talkover_shows_its_rows_as_the_pages_arrive() {
    executor();
    let c = conn(Vendor::Talkover, "sim-key");
    let l = Lookup::Talkover {
        owner: talkover::Owner::Agent,
        owner_id: pid(demo::SCALE_AGENT),
        webhook_id: pid(&demo::scale_hook(10_000)),
    };
    let seen: Rc<std::cell::RefCell<Vec<LookupResult>>> = Rc::default();
    let s2 = seen.clone();
    let r = lookup::run_showing(
        &c,
        &l,
        &CancelToken::new(),
        Rc::new(|_| {}),
        Some(Rc::new(move |so_far: LookupResult| {
            s2.borrow_mut().push(so_far)
        })),
    )
    .await
    .unwrap();
    assert!(!r.partial);
    assert_eq!(r.deliveries.len(), 10_000);
    let seen = seen.take();
    let sizes: Vec<usize> = seen.iter().map(|s| s.deliveries.len()).collect();
    assert_eq!(sizes, [100, 1_000], "after page 1 and page 10");
    for s in seen.iter() {
        assert!(s.partial);
        let prepared = s.prepared.as_ref().expect("indexed like a result");
        assert_eq!(prepared.len(), s.deliveries.len());
        // The newest logs (one a delivery here), in the final order.
        assert_eq!(s.deliveries[..], r.deliveries[..s.deliveries.len()]);
    }
    // Cancelled at its first showing: the load ends as cancelled, and the showing due
    // after page 10 (whose pages now end at once, as cancelled) is dropped.
    let cancel = CancelToken::new();
    let (stop, seen) = (cancel.clone(), Rc::new(std::cell::Cell::new(0)));
    let s2 = seen.clone();
    let r = lookup::run_showing(
        &c,
        &l,
        &cancel,
        Rc::new(|_| {}),
        Some(Rc::new(move |_| {
            s2.set(s2.get() + 1);
            stop.cancel();
        })),
    )
    .await;
    assert_eq!(r.err(), Some(Failure::Cancelled));
    gloo_timers::future::TimeoutFuture::new(200).await;
    assert_eq!(seen.get(), 1, "nothing shown after the cancel");
}

#[wasm_bindgen_test]
async fn every_error_kind_over_http() {
    let c = conn(Vendor::Bland, "sim-key");
    for (id, kind) in [
        ("err-401", ErrorKind::Unauthorized),
        ("err-403", ErrorKind::Forbidden),
        ("err-404", ErrorKind::NotFound),
        ("err-422", ErrorKind::Unprocessable),
        ("err-429", ErrorKind::RateLimited),
        ("err-500", ErrorKind::Server),
        ("err-503", ErrorKind::Server),
        ("err-html", ErrorKind::Server),
        ("err-truncated", ErrorKind::BadResponse),
        ("err-empty", ErrorKind::BadResponse),
        ("err-shape", ErrorKind::BadResponse),
        ("err-nocors", ErrorKind::Network),
        ("err-vendor", ErrorKind::Vendor),
    ] {
        let r = lookup(&c, Lookup::BlandCalls(vec![pid(id)])).await;
        let e = one_failure(&r);
        assert_eq!(e.kind, kind, "{id}: {e}");
        assert!(
            e.to_string()
                .starts_with("Bland: GET /v1/postcall/webhooks/"),
            "{e}"
        );
        assert!(
            !e.to_string().contains("sim-key"),
            "the key never appears in a message"
        );
        if id == "err-429" {
            assert_eq!(e.retry_after_secs, Some(600), "Retry-After is read");
            assert!(e.advice().contains("Wait 10 min"), "{}", e.advice());
        }
    }
    // A wrong key, a Burki validation error, a Talkover envelope error.
    let e = one_failure(
        &lookup(
            &conn(Vendor::Bland, "wrong"),
            Lookup::BlandCalls(vec![pid(&demo::bland_call_id(0))]),
        )
        .await,
    )
    .clone();
    assert_eq!(e.kind, ErrorKind::Unauthorized);
    assert_eq!(
        e.detail.as_deref(),
        Some("UNAUTHORIZED: Invalid or missing API key")
    );
    let e = one_failure(
        &lookup(
            &conn(Vendor::Burki, "sim-key"),
            Lookup::BurkiCalls {
                call_ids: vec![990422],
                webhook_type: None,
            },
        )
        .await,
    )
    .clone();
    assert_eq!(e.kind, ErrorKind::Unprocessable);
    assert_eq!(
        e.detail.as_deref(),
        Some("path.call_id: value is not a valid integer")
    );
    let l = Lookup::Talkover {
        owner: talkover::Owner::Campaign,
        owner_id: pid("cmp_demo_winter"),
        webhook_id: pid("nope"),
    };
    let e = one_failure(&lookup(&conn(Vendor::Talkover, "sim-key"), l).await).clone();
    assert_eq!(e.kind, ErrorKind::NotFound);
    assert_eq!(e.detail.as_deref(), Some("Webhook not found (NOT_FOUND)"));
}

#[wasm_bindgen_test]
async fn network_failure_and_timeout() {
    let mut c = conn(Vendor::Burki, "sim-key");
    c.base_url = "http://127.0.0.1:9".into();
    let e = one_failure(
        &lookup(
            &c,
            Lookup::BurkiCalls {
                call_ids: vec![1001],
                webhook_type: None,
            },
        )
        .await,
    )
    .clone();
    assert_eq!(e.kind, ErrorKind::Network);
    assert!(e.advice().contains("CORS"));

    let mut c = conn(Vendor::Burki, "sim-key");
    c.timeout_secs = 1;
    let e = one_failure(
        &lookup(
            &c,
            Lookup::BurkiCalls {
                call_ids: vec![990004],
                webhook_type: None,
            },
        )
        .await,
    )
    .clone();
    assert_eq!(e.kind, ErrorKind::Timeout);
    assert!(e.summary.contains("1 s"));
}

#[wasm_bindgen_test]
async fn cancel_stops_a_request() {
    executor();
    let c = conn(Vendor::Bland, "sim-key");
    let token = CancelToken::new();
    let t2 = token.clone();
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(100).await;
        t2.cancel();
    });
    let r = send(&c, &bland::postcall_webhook(&pid("err-slow")), &token).await;
    assert_eq!(r.unwrap_err(), Failure::Cancelled);
}

#[wasm_bindgen_test]
async fn hostile_ids_reach_the_right_endpoint_intact() {
    // The simulator answers "Call <id> not found" only from the post-call route, echoing
    // the decoded path segment: so each ID travelled as one segment of the right endpoint.
    // ("." and ".." alone are refused by validation: browsers would resolve them.)
    let ids = [
        "../x",
        "a?b",
        "a#b",
        "a b",
        "ünï",
        "...",
        "%2E%2E",
        "a%2Fb",
        "x/../../v1/sms",
    ];
    let r = lookup(
        &conn(Vendor::Bland, "sim-key"),
        Lookup::BlandCalls(pids(&ids)),
    )
    .await;
    assert_eq!(r.failures.len(), ids.len());
    for (id, e) in ids.iter().zip(&r.failures) {
        assert_eq!(e.kind, ErrorKind::NotFound, "{id}");
        assert_eq!(
            e.detail.as_deref(),
            Some(format!("invalid_parameter: Call {id} not found").as_str()),
            "{id}"
        );
    }
}

/// Class 1: a base URL that a browser resolves to another host never carries the key
/// there, even if it got past the form (the transport checks the resolved origin).
#[wasm_bindgen_test]
async fn a_base_url_resolving_elsewhere_is_not_sent() {
    for base in ["/\\evil.example", "//evil.example", "https:evil.example"] {
        let mut c = conn(Vendor::Bland, "sim-key");
        c.base_url = base.into();
        let r = lookup(&c, Lookup::BlandCalls(vec![pid("abc")])).await;
        let e = one_failure(&r);
        assert_eq!(e.kind, ErrorKind::Network, "{base}: {e}");
        assert!(e.summary.starts_with("Not sent"), "{base}: {}", e.summary);
        assert!(e.summary.contains("evil.example"), "{base}: {}", e.summary);
    }
}

/// Class 7: a 429 pauses the whole fan-out for Retry-After, then the load resumes and
/// the limited request is tried again (it ends with its real answer, not "rate-limited").
#[wasm_bindgen_test]
async fn a_429_pauses_the_whole_fan_out() {
    sim_control(
        "POST",
        "/__sim/faults",
        r#"{"rate_limit_at": [2], "retry_after": "1", "only_path": "/v1/postcall/webhooks/rl-"}"#,
    )
    .await;
    let waits = Rc::new(Cell::new(0u32));
    let w2 = waits.clone();
    let ids = [
        "rl-1", "rl-2", "rl-3", "rl-4", "rl-5", "rl-6", "rl-7", "rl-8",
    ];
    let r = lookup::run(
        &conn(Vendor::Bland, "sim-key"),
        &Lookup::BlandCalls(pids(&ids)),
        &CancelToken::new(),
        Rc::new(move |p: LoadState| {
            if p.waiting_secs.is_some() {
                w2.set(w2.get() + 1)
            }
        }),
    )
    .await
    .unwrap();
    let log: Vec<serde_json::Value> =
        serde_json::from_str(&sim_control("GET", "/__sim/requests", "").await).unwrap();
    sim_control("POST", "/__sim/reset", "").await;
    assert_eq!(r.failures.len(), ids.len());
    assert!(
        r.failures.iter().all(|e| e.kind == ErrorKind::NotFound),
        "the limited request was tried again: {:?}",
        r.failures.iter().map(|e| e.kind).collect::<Vec<_>>()
    );
    assert!(waits.get() > 0, "the wait was reported to the progress bar");
    assert_eq!(log.len(), ids.len() + 1, "{log:?}");
    let limited_at = log
        .iter()
        .find(|e| e["limited"] == true)
        .and_then(|e| e["at_ms"].as_u64())
        .unwrap();
    // Requests already in flight when the 429 was sent may still arrive just after it;
    // nothing new may start until Retry-After (1 s) has passed.
    let too_early: Vec<u64> = log
        .iter()
        .filter_map(|e| e["at_ms"].as_u64())
        .filter(|t| *t > limited_at + 400 && *t < limited_at + 900)
        .collect();
    assert!(
        too_early.is_empty(),
        "sent during the pause: {too_early:?} (429 at {limited_at})"
    );
    let after = log
        .iter()
        .filter_map(|e| e["at_ms"].as_u64())
        .filter(|t| *t >= limited_at + 900)
        .count();
    assert!(after >= 1, "the load resumed after the pause: {log:?}");
}

/// Class 3 and 8: when a new log arrives between page fetches, the log that appears on
/// two pages is one delivery, every delivery has its own ID, and the result says so.
#[wasm_bindgen_test]
async fn shifted_pages_give_unique_rows_and_a_note() {
    let l = Lookup::Talkover {
        owner: talkover::Owner::Agent,
        owner_id: pid("agt_demo_support"),
        webhook_id: pid(demo::TALKOVER_SHIFTING_HOOK),
    };
    let r = lookup(&conn(Vendor::Talkover, "sim-key"), l).await;
    let ids: std::collections::HashSet<&str> = r.deliveries.iter().map(|d| &*d.id).collect();
    assert_eq!(ids.len(), r.deliveries.len(), "delivery IDs are unique");
    let primary = lookup(
        &conn(Vendor::Talkover, "sim-key"),
        Lookup::Talkover {
            owner: talkover::Owner::Agent,
            owner_id: pid("agt_demo_support"),
            webhook_id: pid("wh_demo_primary"),
        },
    )
    .await;
    assert_eq!(r.deliveries.len(), primary.deliveries.len());
    let notes = r.notes.join(" ");
    assert!(
        notes.contains("shifted") && notes.contains("appeared on two pages"),
        "{notes}"
    );
}

/// Class 3: the same call typed twice (or in another case, when the vendor answers with
/// one record) is one row; rows never share an ID.
#[wasm_bindgen_test]
async fn the_same_call_twice_is_one_row() {
    let id = demo::bland_call_id(0);
    let r = lookup(
        &conn(Vendor::Bland, "sim-key"),
        Lookup::BlandCalls(vec![pid(&id), pid(&format!(" {id} "))]),
    )
    .await;
    assert_eq!(r.deliveries.len(), 1, "{:?}", r.notes);
}

/// A long list (a replaced result's 100,000 rows) is freed a slice at a time after the
/// task that dropped it, not in it; a short one at once.
#[wasm_bindgen_test]
async fn long_results_are_freed_in_slices_after_the_task() {
    use hookscope::platform::slices::drop_later;
    use std::cell::Cell;
    struct Counted(Rc<Cell<usize>>);
    impl Drop for Counted {
        fn drop(&mut self) {
            self.0.set(self.0.get() + 1);
        }
    }
    let freed = Rc::new(Cell::new(0usize));
    drop_later((0..10).map(|_| Counted(freed.clone())).collect());
    assert_eq!(freed.get(), 10, "a short list goes at once");
    drop_later((0..20_000).map(|_| Counted(freed.clone())).collect());
    assert_eq!(
        freed.get(),
        10,
        "nothing of a long list is freed in the task that dropped it"
    );
    let mut turns = 0;
    while freed.get() < 20_010 {
        gloo_timers::future::TimeoutFuture::new(0).await;
        turns += 1;
        assert!(turns < 10_000, "only {} of 20,010 freed", freed.get());
    }
}
