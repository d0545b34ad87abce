//! The fault matrix: every fault the simulator injects × every endpoint kind the console
//! calls. Each case checks the error's kind and words, that nothing crashed, that rows
//! already loaded and typed input stay, and that trying again once the fault is gone
//! succeeds. Each test prints `matrix: <endpoint> × <fault>: ok` lines (README table).

use hookscope_core::demo::data as demo;
use hookscope_e2e::*;
use serde_json::{json, Value};

struct Fault {
    name: &'static str,
    spec: fn() -> Value,
    /// The `error-banner` kind a person sees.
    kind: &'static str,
}

/// The connections' timeout is 2 s (room for a loaded machine), so the slow answer (4 s)
/// is a timeout.
const FAULTS: [Fault; 8] = [
    Fault {
        name: "503",
        spec: || json!({"fault": "status", "status": 503}),
        kind: "server",
    },
    Fault {
        name: "429 + Retry-After",
        spec: || json!({"fault": "status", "status": 429, "retry_after": "300"}),
        kind: "rate-limited",
    },
    Fault {
        name: "slow (4 s)",
        spec: || json!({"fault": "slow", "latency_ms": 4000}),
        kind: "timeout",
    },
    Fault {
        name: "HTML page",
        spec: || json!({"fault": "html"}),
        kind: "server",
    },
    Fault {
        name: "truncated",
        spec: || json!({"fault": "truncated"}),
        kind: "bad-response",
    },
    Fault {
        name: "empty",
        spec: || json!({"fault": "empty"}),
        kind: "bad-response",
    },
    Fault {
        name: "dropped",
        spec: || json!({"fault": "dropped"}),
        kind: "network",
    },
    Fault {
        name: "no CORS",
        spec: || json!({"fault": "no_cors"}),
        kind: "network",
    },
];

/// Breaks every request to `only_path` (and with `only_query`, e.g. `page=2`): the
/// browser's own silent retry of a dropped request meets the fault too.
async fn inject(h: &Harness, f: &Fault, only_path: &str, only_query: Option<&str>) {
    let mut spec = (f.spec)();
    spec["only_path"] = json!(only_path);
    spec["only_query"] = json!(only_query);
    h.set_sim_faults(spec).await;
}

async fn clear(h: &Harness) {
    h.set_sim_faults(json!({})).await;
}

/// Waits for the banner of `f`'s kind and checks its words.
async fn banner(h: &Harness, f: &Fault, vendor: &str, case: &str) {
    h.until(&format!("{case}: a {} banner", f.kind), || async {
        h.attrs("error-banner", "data-kind")
            .await
            .iter()
            .any(|k| k == f.kind)
    })
    .await;
    let text = h.text("error-banner").await;
    assert!(text.starts_with(&format!("{vendor}:")), "{case}: {text}");
    assert!(!text.contains(KEY), "{case}: the key is never shown");
    if f.kind == "rate-limited" {
        assert_eq!(
            h.attr("error-banner", "data-retry-after").await.as_deref(),
            Some("300"),
            "{case}"
        );
    }
    h.no_crash().await;
}

/// The demo's rows, and a connection to the simulator for each vendor beside them.
async fn sim_connections(h: &Harness) {
    h.open_demo().await;
    h.add_sim_connections(Some(2)).await;
    h.click("nav-explorer").await;
    h.rows_settle("the demo rows again", 180).await;
}

async fn field(h: &Harness, id: &str) -> String {
    h.value(id).await.unwrap_or_default()
}

/// A lookup added to a view that already shows the demo rows.
async fn lookup_matrix(
    endpoint: &str,
    conn: &str,
    kind: &str,
    fields: &[(&str, &str)],
    only_path: &str,
    only_query: Option<&str>,
    vendor: &str,
) {
    let h = setup().await;
    sim_connections(&h).await;
    let before = h.total_rows().await;
    for f in &FAULTS {
        let case = format!("{endpoint} × {}", f.name);
        inject(&h, f, only_path, only_query).await;
        h.fill_lookup(conn, kind, fields).await;
        h.click("lookup-add").await;
        banner(&h, f, vendor, &case).await;
        assert!(
            h.total_rows().await >= before,
            "{case}: the rows already loaded stay"
        );
        for (id, typed) in fields {
            assert_eq!(field(&h, id).await, *typed, "{case}: typed input kept");
        }
        clear(&h).await;
        h.click("error-retry").await;
        h.until(&format!("{case}: loaded after the retry"), || async {
            h.all("error-banner").await.is_empty()
                && h.last_attr("view-lookup", "data-count")
                    .await
                    .and_then(|c| c.parse::<usize>().ok())
                    .is_some_and(|c| c > 0)
        })
        .await;
        // Back to the demo rows alone for the next fault.
        let chips = h.all("view-lookup-remove").await;
        chips.last().unwrap().click().await.unwrap();
        h.until(&format!("{case}: removed"), || async {
            h.all("view-lookup").await.len() == 1
        })
        .await;
        println!("matrix: {case}: ok");
    }
    h.finish().await;
}

#[tokio::test]
async fn faults_on_bland_call_lookups() {
    let call = demo::bland_call_id(3);
    lookup_matrix(
        "Bland call",
        "Sim Bland",
        "bland-call",
        &[("lookup-id", &call)],
        "/v1/postcall/webhooks/",
        None,
        "Bland",
    )
    .await;
}

#[tokio::test]
async fn faults_on_bland_sms_lookups() {
    lookup_matrix(
        "Bland SMS",
        "Sim Bland",
        "bland-sms",
        &[("lookup-id", demo::BLAND_DOC_CONVERSATION)],
        "/v1/sms/conversations/",
        None,
        "Bland",
    )
    .await;
}

#[tokio::test]
async fn faults_on_burki_log_lookups() {
    lookup_matrix(
        "Burki logs",
        "Sim Burki",
        "burki-call",
        &[("lookup-id", "1001")],
        "/webhook-logs",
        None,
        "Burki",
    )
    .await;
}

#[tokio::test]
async fn faults_on_talkover_first_pages() {
    lookup_matrix(
        "Talkover logs, page 1",
        "Sim Talkover",
        "talkover-agent",
        &agent("wh_demo_primary"),
        "/logs",
        Some("page=1"),
        "Talkover",
    )
    .await;
}

#[tokio::test]
async fn faults_on_talkover_later_pages() {
    lookup_matrix(
        "Talkover logs, later page",
        "Sim Talkover",
        "talkover-agent",
        &agent("wh_demo_primary"),
        "/logs",
        Some("page=2"),
        "Talkover",
    )
    .await;
}

/// Retry and resend act from the open delivery: the banner shows there, the delivery and
/// the table stay, and the same button works once the fault is gone.
async fn action_matrix(endpoint: &str, vendor: &str, only_path: &str, open: OpenDelivery) {
    let h = setup().await;
    sim_connections(&h).await;
    for f in &FAULTS {
        let case = format!("{endpoint} × {}", f.name);
        open(&h).await;
        let id = h.attr("delivery-detail", "data-id").await.unwrap();
        let attempts = h.all("attempt").await.len();
        inject(&h, f, only_path, None).await;
        act(&h, endpoint).await;
        banner(&h, f, vendor, &case).await;
        assert_eq!(
            h.attr("delivery-detail", "data-id").await.as_deref(),
            Some(&id[..]),
            "{case}: the delivery stays open"
        );
        assert!(h.row_count().await > 0, "{case}: the rows stay");
        clear(&h).await;
        act(&h, endpoint).await;
        h.until(
            &format!("{case}: a new attempt after the retry"),
            || async {
                h.all("error-banner").await.is_empty()
                    && h.open_delivery().await.as_ref() == Some(&id)
                    && h.all("attempt").await.len() > attempts
            },
        )
        .await;
        println!("matrix: {case}: ok");
    }
    h.finish().await;
}

type OpenDelivery = for<'a> fn(&'a Harness) -> futures_like::BoxFut<'a>;

mod futures_like {
    pub type BoxFut<'a> = std::pin::Pin<Box<dyn std::future::Future<Output = ()> + 'a>>;
}

async fn act(h: &Harness, endpoint: &str) {
    if endpoint.contains("resend") {
        h.click("resend-button").await;
        h.click("resend-confirm").await;
    } else {
        h.click("retry-button").await;
        h.click("retry-confirm").await;
    }
}

#[tokio::test]
async fn faults_on_bland_resends() {
    fn open(h: &Harness) -> futures_like::BoxFut<'_> {
        Box::pin(async move {
            let call = demo::bland_call_id(3);
            h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
                .await;
            // The delivery of the case before stays open until this lookup replaces it.
            h.until("the lookup loaded", || async {
                let loading = h.attrs("view-lookup", "data-loading").await;
                !loading.is_empty() && loading.iter().all(|l| l == "false")
            })
            .await;
            h.find("attempt").await;
        })
    }
    action_matrix(
        "Bland resend",
        "Bland",
        "/v1/postcall/webhooks/resend",
        open,
    )
    .await;
}

#[tokio::test]
async fn faults_on_talkover_retries() {
    fn open(h: &Harness) -> futures_like::BoxFut<'_> {
        Box::pin(async move {
            // Keys live in this tab's memory: the view is reached in the app, not reloaded.
            h.lookup("Sim Talkover", "talkover-agent", &agent("wh_demo_primary"))
                .await;
            h.until("the Talkover rows", || async {
                h.first_attr("view-lookup", "data-count").await.as_deref() == Some("180")
            })
            .await;
            // The failed deliveries only (each case's retry makes one succeed).
            if !h.url().await.contains("status=failed") {
                h.only_failed().await;
            }
            h.click_first("delivery-row").await;
            h.find("attempt").await;
        })
    }
    action_matrix("Talkover retry", "Talkover", "/retry", open).await;
}

/// Bulk create shows each call's outcome rather than a banner: a failure says why, a
/// timeout says the calls may have been created, and a new run once the fault is gone
/// ends with every call created or found already sent.
#[tokio::test]
async fn faults_on_bland_creates() {
    let h = setup().await;
    sim_connections(&h).await;
    h.bulk_form("Sim Bland", "create").await;
    h.type_into("bulk-url", "https://hooks.example.com/bland/post-call")
        .await;
    for (i, f) in FAULTS.iter().enumerate() {
        let case = format!("Bland create × {}", f.name);
        // A call without a webhook yet, a new one per case.
        let call = demo::bland_call_id(9 + 10 * i);
        let run = || async {
            h.paste("bulk-ids", &call).await;
            h.until(&format!("{case}: one ID understood"), || async {
                h.attr("bulk-parsed", "data-valid").await.as_deref() == Some("1")
            })
            .await;
            h.click("bulk-review").await;
            h.click("bulk-confirm").await;
            h.bulk_done(1).await;
            h.bulk_outcomes()
                .await
                .get(&call)
                .cloned()
                .unwrap_or_default()
        };
        if f.kind == "rate-limited" {
            // A run waits out a 429 by itself (its countdown shows) and goes on.
            let mut spec = (f.spec)();
            spec["only_path"] = json!("/v1/postcall/webhooks/create");
            spec["retry_after"] = json!("2");
            spec["fault_at"] = json!([1]);
            h.set_sim_faults(spec).await;
            h.paste("bulk-ids", &call).await;
            h.click("bulk-review").await;
            h.click("bulk-confirm").await;
            h.find("bulk-countdown").await;
            h.bulk_done(1).await;
            assert_eq!(h.bulk_outcomes().await[&call], "created", "{case}");
            clear(&h).await;
            println!("matrix: {case}: ok");
            continue;
        }
        inject(&h, f, "/v1/postcall/webhooks/create", None).await;
        let outcome = run().await;
        let want = if f.kind == "timeout" {
            "unknown"
        } else {
            "failed"
        };
        assert_eq!(outcome, want, "{case}");
        let row = h.text("bulk-result-row").await;
        assert!(
            row.contains("Bland:") && !row.contains(KEY),
            "{case}: {row}"
        );
        assert_eq!(
            field(&h, "bulk-ids").await,
            call,
            "{case}: typed input kept"
        );
        h.no_crash().await;
        clear(&h).await;
        let again = run().await;
        assert!(
            again == "created" || again == "already-sent",
            "{case}: after the fault, {again}"
        );
        println!("matrix: {case}: ok");
    }
    h.finish().await;
}

/// Reproduce: after moving between pages, the explorers of earlier visits stayed alive and
/// loaded every lookup again (each page-1 request went out three times).
#[tokio::test]
async fn moving_between_pages_sends_each_request_once() {
    let h = setup().await;
    sim_connections(&h).await;
    h.click("nav-bulk").await;
    h.click("nav-explorer").await;
    h.reset_sim().await;
    h.fill_lookup("Sim Talkover", "talkover-agent", &agent("wh_demo_primary"))
        .await;
    h.click("lookup-add").await;
    h.until("the lookup loaded", || async {
        h.last_attr("view-lookup", "data-count").await.as_deref() == Some("180")
    })
    .await;
    let seen = hookscope_e2e::proxy::sim_log(&h.sim).await;
    let mut pages: Vec<&str> = seen.iter().filter_map(|r| r["query"].as_str()).collect();
    pages.sort();
    let mut once = pages.clone();
    once.dedup();
    assert_eq!(pages, once, "every page requested once");
    h.finish().await;
}
