//! End-to-end: the delivery detail — diagnosis, timeline, viewers, actions.

use fantoccini::Locator;
use hookscope_e2e::*;
/// A failed delivery says why in one sentence with its cause; the explorer counts the
/// shown failures by cause.
#[tokio::test]
async fn failed_deliveries_are_diagnosed() {
    let h = setup_demo().await;
    let causes = h.attrs("cause-counts", "data-testid").await;
    assert_eq!(causes.len(), 1);
    h.open_first_failed().await;
    let cause = h.attr("diagnosis", "data-cause").await.unwrap();
    let known = [
        "timeout",
        "connection",
        "tls",
        "dns",
        "client-error",
        "auth",
        "not-found",
        "server-error",
        "rate-limited",
        "redirect",
        "unknown",
    ];
    assert!(known.contains(&cause.as_str()), "{cause}");
    let text = h.text("diagnosis").await;
    assert!(
        text.starts_with("Why it failed:") && text.len() > 40,
        "{text}"
    );
    h.finish().await;
}

/// Replay one: a Talkover retry is accepted, the delivery is looked up again and the new
/// attempt shows; a successful log's retry is explained in plain words.
#[tokio::test]
async fn a_retry_shows_its_new_attempt() {
    let h = setup_demo().await;
    h.open_first_failed().await;
    h.find("attempt").await;
    let before = h.all("attempt").await.len();
    let id = h.attr("delivery-detail", "data-id").await.unwrap();
    h.click("retry-button").await;
    // A retry sends a webhook: it asks first (the simulator test in `hostile` checks
    // that nothing is sent before the confirmation).
    let ask = h.text("retry-confirm-panel").await;
    assert!(ask.contains("current URL"), "{ask}");
    h.click("retry-confirm").await;
    h.until("the new attempt", || async {
        h.open_delivery().await.as_ref() == Some(&id) && h.all("attempt").await.len() == before + 1
    })
    .await;
    let outcomes = h.attrs("attempt", "data-outcome").await;
    assert_eq!(outcomes.last().map(String::as_str), Some("success"));
    h.finish().await;
}

/// Reproduce: the HAR download and the curl command of a delivery looked up with a key
/// hold the delivery, never the key.
#[tokio::test]
async fn har_and_curl_carry_the_delivery_not_the_key() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.look_up_webhook("Sim Talkover", "wh_demo_crm", 6).await;
    h.click_first("delivery-row").await;
    h.find("attempt").await;
    let attempts = h.all("attempt").await.len();
    // Capture what would be downloaded and copied.
    h.capture_downloads().await;
    h.click("export-har").await;
    h.click("copy-curl").await;
    let har = h.download_text(0).await;
    assert!(!har.contains(KEY), "no key in the HAR");
    let v: serde_json::Value = serde_json::from_str(&har).unwrap();
    assert_eq!(v["log"]["version"], "1.2");
    assert_eq!(v["log"]["entries"].as_array().unwrap().len(), attempts);
    let curl = h.js("return window.__copied[0]").await;
    let curl = curl.as_str().unwrap();
    assert!(
        curl.starts_with("curl ") && curl.contains("$TALKOVER_API_KEY"),
        "{curl}"
    );
    assert!(!curl.contains(KEY), "{curl}");
    h.finish().await;
}

/// The deliveries the demo vendor serves for `path` (the same generator the page runs).
fn demo_deliveries(paths: &[String]) -> Vec<hookscope_core::Delivery> {
    use hookscope_core::demo::{DemoApi, DemoRequest};
    use hookscope_core::vendors::{bland, burki, talkover};
    let api = DemoApi::new(chrono::Utc::now());
    let mut out = Vec::new();
    let mut talk_logs = Vec::new();
    for p in paths {
        let (path, q) = p.split_once('?').unwrap_or((p, ""));
        let query = q
            .split('&')
            .filter(|x| !x.is_empty())
            .map(|x| {
                let (k, v) = x.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        let r = api.handle(&DemoRequest {
            method: Some(hookscope_core::Method::Get),
            path: path.into(),
            query,
            ..Default::default()
        });
        let req = hookscope_core::ApiRequest {
            vendor: hookscope_core::Vendor::Bland,
            method: hookscope_core::Method::Get,
            path: path.into(),
            query: vec![],
            body: None,
        };
        if path.starts_with("/v1/") {
            out.push(bland::decode_postcall(&req, None, r.status, &r.body).unwrap());
        } else if path.contains("/calls/") {
            out.extend(burki::decode_logs(&req, r.status, &r.body).unwrap());
        } else {
            talk_logs.extend(talkover::decode_page(&req, r.status, &r.body).unwrap().logs);
        }
    }
    out.extend(talkover::to_deliveries(&talk_logs));
    out
}

/// Each vendor's timeline, read from `data-*` only: count, order, outcome and trigger of
/// every attempt match what the vendor's logs say.
#[tokio::test]
async fn timelines_of_each_vendor_match_the_logs() {
    use hookscope_core::demo::data as demo;
    let h = setup_demo().await;
    let bland_call =
        demo::bland_call_id(demo::bland_call_resent_after_failure(chrono::Utc::now()).unwrap());
    let burki_call = demo::burki_call_with_failures(chrono::Utc::now())
        .unwrap()
        .to_string();
    // (connection, lookup kind, form fields, the vendor paths that hold its logs)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, String)>, Vec<String>);
    let cases: Vec<Case> = vec![
        ("Demo Bland", "bland-call", vec![("lookup-id", bland_call.clone())], vec![format!("/v1/postcall/webhooks/{bland_call}")]),
        ("Demo Burki", "burki-call", vec![("lookup-id", burki_call.clone())], vec![format!("/api/v1/calls/{burki_call}/webhook-logs")]),
        (
            "Demo Talkover",
            "talkover-agent",
            vec![("lookup-owner-id", "agt_demo_support".into()), ("lookup-webhook-id", "wh_demo_primary".into())],
            (1..=3).map(|p| format!("/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=100&page={p}")).collect(),
        ),
    ];
    for (conn, kind, fields, paths) in cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        h.lookup(conn, kind, &fields).await;
        h.until(&format!("{conn} rows"), || async {
            h.rows_attr("data-vendor").await.first().map(String::as_str)
                == Some(&kind[..kind.find('-').unwrap()])
        })
        .await;
        let want = demo_deliveries(&paths);
        // The row with the most attempts.
        let ids = h.rows_attr("data-id").await;
        let pick = ids
            .iter()
            .max_by_key(|id| {
                want.iter()
                    .find(|d| &*d.id == id.as_str())
                    .map_or(0, |d| d.attempts.len())
            })
            .unwrap()
            .clone();
        let d = want.iter().find(|d| *d.id == *pick).unwrap();
        h.click_row(&pick).await;
        h.until(&format!("{conn} timeline"), || async {
            h.open_delivery().await.as_ref() == Some(&pick)
                && h.all("attempt").await.len() == d.attempts.len()
        })
        .await;
        assert_eq!(h.all("timeline").await.len(), 1);
        let outcomes = h.attrs("attempt", "data-outcome").await;
        let triggers = h.attrs("attempt", "data-trigger").await;
        let codes = h.attrs("attempt", "data-http-code").await;
        for (i, a) in d.attempts.iter().enumerate() {
            assert_eq!(outcomes[i], a.outcome.id(), "{conn} #{i}");
            assert_eq!(triggers[i], a.trigger, "{conn} #{i}");
            assert_eq!(
                codes[i],
                a.http_code.map(|c| c.to_string()).unwrap_or_default(),
                "{conn} #{i}"
            );
        }
        assert!(
            d.attempts.len() >= 2,
            "{conn}: a delivery with several attempts"
        );
    }
    h.finish().await;
}

/// Untrusted content stays text: HTML and script in every field a vendor or a target
/// controls (event, IDs, payload keys and values, response bodies and headers, errors,
/// triggers, target URLs) is shown as text through the table, the detail, the timeline,
/// the filters, the exports, HAR and curl; nothing executes, no element is injected, and
/// a `javascript:` target is never a link.
#[tokio::test]
async fn hostile_vendor_content_never_runs() {
    use hookscope_core::demo::data as demo;
    let h = setup_demo().await;
    h.capture_downloads().await;
    let burki = demo::HOSTILE_BURKI_CALL.to_string();
    // (connection, lookup kind, form fields)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
    let cases: [Case; 3] = [
        (
            "Demo Talkover",
            "talkover-agent",
            vec![
                ("lookup-owner-id", "agt_demo_support"),
                ("lookup-webhook-id", demo::HOSTILE_TALKOVER_HOOK),
            ],
        ),
        (
            "Demo Bland",
            "bland-call",
            vec![("lookup-id", demo::HOSTILE_BLAND_CALL)],
        ),
        ("Demo Burki", "burki-call", vec![("lookup-id", &burki)]),
    ];
    for (conn, kind, fields) in cases {
        h.lookup(conn, kind, &fields).await;
        let vendor = &kind[..kind.find('-').unwrap()];
        h.until(&format!("{conn} hostile rows"), || async {
            h.rows_attr("data-vendor").await.first().map(String::as_str) == Some(vendor)
        })
        .await;
        let ids = h.rows_attr("data-id").await;
        for id in &ids {
            h.click_row(id).await;
            h.until("its detail", || async {
                h.open_delivery().await.as_ref() == Some(id)
            })
            .await;
            // Numbers a JSON library would round are shown exactly as sent.
            let payload = h.text("payload-view").await;
            assert!(
                payload.contains("12345678901234567890123") && payload.contains("1.10"),
                "{conn}: {payload}"
            );
            // Every attempt, each with its response shown; HAR and curl built.
            let rows = h.all("attempt-row").await;
            for r in rows {
                r.click().await.unwrap();
            }
            h.click("export-har").await;
            h.click("copy-curl").await;
        }
        h.type_into("filter-search", "<script").await;
        h.click("export-csv").await;
        h.click("export-json").await;
        let shown = h.js("return document.body.innerText").await;
        assert!(
            shown.as_str().unwrap_or("").contains("window.__pwned=1"),
            "{conn}: the hostile text is shown, as text"
        );
        h.select("filter-status", "").await;
    }
    let pwned = h
        .js("return [window.__pwned === undefined, document.querySelectorAll('[data-injected]').length, document.querySelectorAll('a[href^=\"javascript:\"]').length, document.querySelectorAll('script:not([src])').length]")
        .await;
    let v = pwned.as_array().unwrap();
    assert_eq!(v[0], serde_json::json!(true), "no hostile script ran");
    assert_eq!(v[1], serde_json::json!(0), "no element was injected");
    assert_eq!(v[2], serde_json::json!(0), "no javascript: link");
    let inline_scripts = v[3].as_u64().unwrap();
    assert!(
        inline_scripts <= 1,
        "only Trunk's own loader is an inline script: {inline_scripts}"
    );
    let blobs = h.downloads().await;
    assert!(blobs >= 6, "HAR, CSV and JSON were produced: {blobs}");
    h.finish().await;
}

/// The payload and response viewers: a tree with paths, expand all, search with
/// highlighted matches and a raw view; a response body keeps its numbers exactly as sent.
#[tokio::test]
async fn payload_and_response_viewers() {
    let h = setup_demo().await;
    let call = hookscope_core::demo::data::bland_call_id(1);
    h.lookup("Demo Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.until("one row", || async {
        h.rows_attr("data-id").await.len() == 1
    })
    .await;
    // A lookup that finds one delivery opens it, and the URL addresses it.
    h.find("delivery-detail").await;
    h.until_url_has("the URL names the delivery", "sel=post_call")
        .await;
    h.find("payload-view").await;
    let paths = h.attrs("json-node", "data-path").await;
    assert!(
        paths.contains(&"$".to_string()) && paths.contains(&"$.call_id".to_string()),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"$.variables.ticket".to_string()),
        "nested levels open on demand"
    );
    h.click("json-expand-all").await;
    h.until("every level open", || async {
        h.attrs("json-node", "data-path")
            .await
            .contains(&"$.variables.ticket".to_string())
    })
    .await;
    let search = h
        .client
        .find(Locator::Css(
            "[data-testid=payload-view] input[type=search]",
        ))
        .await
        .unwrap();
    search.send_keys("customer_tier").await.unwrap();
    h.until("a highlighted match", || async {
        h.client
            .find_all(Locator::Css("[data-testid=payload-view] .jn--match"))
            .await
            .map(|v| v.len() == 1)
            .unwrap_or(false)
    })
    .await;
    assert_eq!(h.text("json-matches").await, "1 match(es)");
    h.finish().await;
}

/// Compare two attempts: facts side by side with differences marked, and a line diff of
/// the bodies.
#[tokio::test]
async fn two_attempts_compared() {
    let h = setup_demo().await;
    h.open_first_failed().await;
    h.find("compare-attempts").await;
    h.click_css("[data-testid=compare-attempts] summary").await;
    h.until("the comparison table", || async {
        !h.client
            .find_all(Locator::Css(
                "[data-testid=compare-attempts] tr[data-differs]",
            ))
            .await
            .unwrap_or_default()
            .is_empty()
    })
    .await;
    let differs = h
        .js("return Array.from(document.querySelectorAll('[data-testid=compare-attempts] tr[data-differs=true] th')).map(e => e.textContent)")
        .await;
    let differs: Vec<String> = serde_json::from_value(differs).unwrap();
    assert!(
        differs.contains(&"Time".to_string()),
        "two attempts differ at least in time: {differs:?}"
    );
    h.finish().await;
}

/// Replay many: "Retry all shown" acts on every delivery matching the filter, says the
/// count first, runs paced, can be cancelled (the rest is skipped), and the lookup then
/// shows the retried deliveries delivered.
#[tokio::test]
async fn retry_all_shown_with_a_cancel() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.look_up_webhook("Sim Talkover", "wh_demo_primary", 150)
        .await;
    h.only_failed().await;
    let failed = h.row_count().await;
    assert!(failed >= 4, "{failed}");
    h.reset_sim_with_faults(serde_json::json!({"latency_ms": 600, "only_path": "/retry"}))
        .await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-count")
            .await
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        failed
    );
    h.click("replay-confirm").await;
    h.until("some retries done", || async {
        h.attrs("replay-progress", "data-done")
            .await
            .first()
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
            >= 1
    })
    .await;
    h.click("replay-cancel").await;
    h.until("the run ended", || async {
        !h.all("replay-summary").await.is_empty()
    })
    .await;
    let outcomes = h.attrs("replay-result", "data-outcome").await;
    assert_eq!(outcomes.len(), failed, "every delivery has an outcome");
    let queued = outcomes.iter().filter(|o| *o == "queued").count();
    let skipped = outcomes.iter().filter(|o| *o == "skipped").count();
    assert!(
        queued >= 1 && skipped >= 1 && queued + skipped == failed,
        "{outcomes:?}"
    );
    assert_eq!(
        h.sim_requests().await.len(),
        queued,
        "nothing was sent after the cancel"
    );
    // The lookup ran again: the retried deliveries are delivered now.
    h.until("fewer failed rows", || async {
        h.row_count().await == failed - queued
    })
    .await;
    h.finish().await;
}

/// Resend asks first, naming the call and the URL it goes to; the new attempt then shows.
#[tokio::test]
async fn resend_confirms_with_the_call_and_url() {
    let h = setup_demo().await;
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("Demo Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    h.find("attempt").await;
    let before = h.all("attempt").await.len();
    h.click("resend-button").await;
    let ask = h.text("resend-confirm-panel").await;
    assert!(ask.contains(&call) && ask.contains("https://"), "{ask}");
    h.click("resend-confirm").await;
    h.until("the resend attempt", || async {
        h.attrs("attempt", "data-trigger").await.len() == before + 1
    })
    .await;
    assert_eq!(
        h.last_attr("attempt", "data-trigger").await.as_deref(),
        Some("resend")
    );
    h.finish().await;
}

/// A read-only connection reviews but never sends: retry, resend and the bulk replays are
/// disabled with the reason in their title.
#[tokio::test]
async fn read_only_blocks_every_action() {
    let h = setup_at("/connections").await;
    h.add_read_only_connection("talkover", "RO Talkover").await;
    h.add_read_only_connection("bland", "RO Bland").await;
    let blocked = |id: &'static str| {
        let h = &h;
        async move {
            let el = h.find(id).await;
            assert!(
                el.attr("disabled").await.unwrap().is_some(),
                "{id} is disabled"
            );
            let title = el.attr("title").await.unwrap().unwrap_or_default();
            assert!(title.contains("read-only"), "{id}: {title}");
        }
    };
    h.look_up_webhook("RO Talkover", "wh_demo_crm", 4).await;
    h.only_failed().await;
    blocked("bulk-retry").await;
    h.click_first("delivery-row").await;
    blocked("retry-button").await;
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("RO Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    blocked("resend-button").await;
    blocked("bulk-resend").await;
    h.finish().await;
}

/// A delivery's link opens it in a fresh tab.
#[tokio::test]
async fn a_delivery_link_opens_in_a_new_tab() {
    let h = setup_demo().await;
    h.click_first("delivery-row").await;
    let id = h.attr("delivery-detail", "data-id").await.unwrap();
    let url = h.url().await;
    let (first, _) = h.open_tab().await;
    h.client.goto(&url).await.unwrap();
    h.until("the same delivery", || async {
        h.open_delivery().await.as_ref() == Some(&id)
    })
    .await;
    h.no_crash().await;
    h.close_tab(&first).await;
    h.finish().await;
}

/// Replay one, failing: Talkover's LOG_NOT_RETRIABLE is said in plain words, and a
/// resend that meets a server error shows the typed banner; nothing else is lost.
#[tokio::test]
async fn retry_and_resend_failures_are_explained() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover", "bland"]).await;
    h.look_up_webhook("Sim Talkover", "wh_demo_crm", 4).await;
    h.open_first_failed().await;
    h.set_sim_faults(
        serde_json::json!({"fail_at": [1], "fail_status": 422, "only_path": "/retry"}),
    )
    .await;
    h.click("retry-button").await;
    h.click("retry-confirm").await;
    h.until("the plain-words refusal", || async {
        h.first_attr("action-state", "data-state").await.as_deref() == Some("done")
    })
    .await;
    let said = h.text("action-state").await;
    assert!(
        said.contains("Talkover will not retry this log") && said.contains("already succeeded"),
        "{said}"
    );
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    h.set_sim_faults(
        serde_json::json!({"fail_at": [1], "fail_status": 503, "only_path": "/resend"}),
    )
    .await;
    h.click("resend-button").await;
    h.click("resend-confirm").await;
    h.until("a server banner in the detail", || async {
        h.client
            .find(Locator::Css(
                "[data-testid=delivery-detail] [data-testid=error-banner][data-kind=server]",
            ))
            .await
            .is_ok()
    })
    .await;
    assert_eq!(
        h.rows_attr("data-id").await.len(),
        1,
        "the delivery is still shown"
    );
    h.reset_sim().await;
    h.finish().await;
}

/// Replay the ticked rows only.
#[tokio::test]
async fn retry_the_ticked_rows() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.look_up_webhook("Sim Talkover", "wh_demo_primary", 150)
        .await;
    h.only_failed().await;
    let boxes = h.all("row-check").await;
    assert!(boxes.len() >= 3);
    boxes[0].click().await.unwrap();
    boxes[2].click().await.unwrap();
    // Count only retries (the lookup runs again after the replay).
    h.set_sim_faults(serde_json::json!({"only_path": "/retry"}))
        .await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-count").await.as_deref(),
        Some("2")
    );
    assert!(h.text("replay-panel").await.contains("the ticked rows"));
    h.confirm_replay().await;
    assert_eq!(
        h.attrs("replay-result", "data-outcome").await,
        ["queued", "queued"]
    );
    assert_eq!(
        h.sim_requests().await.len(),
        2,
        "only the ticked rows were sent"
    );
    h.finish().await;
}
