//! Component tests in headless Chromium (wasm-bindgen-test). Requests go over real HTTP
//! through gloo-net to the API simulator that scripts/test.sh starts (HOOKSCOPE_SIM_URL).

use hookscope::client::{self, LoadState, LookupResult};
use hookscope::components::delivery_detail::{DeliveryDetail, Origin};
use hookscope::components::delivery_table::DeliveryTable;
use hookscope::components::error_banner::ErrorBanner;
use hookscope::data::filters::{Sort, SortKey};
use hookscope::data::index::{DeliveryIndex, Group, IndexRef, SlotInfo};
use hookscope::format::Zone;
use hookscope::state::connections::{Connection, Connections, KEYS_KEY};
use hookscope::transport::{send, CancelToken, Failure};
use hookscope_core::demo::data as demo;
use hookscope_core::domain::Vendor;
use hookscope_core::error::{ApiError, ErrorKind};
use hookscope_core::ids::PathId;
use hookscope_core::lookup::Lookup;
use hookscope_core::secret::ApiKey;
use hookscope_core::vendors::{bland, burki, talkover};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

// `option_env!` rather than `env!` so clippy and `--no-run` builds work without the
// simulator; the tests themselves fail (never skip) when it is missing.
#[allow(clippy::option_env_unwrap)]
fn sim_url() -> String {
    option_env!("HOOKSCOPE_SIM_URL")
        .expect("HOOKSCOPE_SIM_URL is not set; run scripts/test.sh")
        .to_string()
}

fn conn(vendor: Vendor, key: &str) -> Connection {
    Connection {
        name: format!("sim {}", vendor.id()),
        vendor,
        base_url: sim_url(),
        key: ApiKey::parse(key).unwrap(),
        remember: false,
        demo: false,
        readonly: false,
        timeout_secs: 10,
    }
}

fn pid(s: &str) -> PathId {
    PathId::typed("ID", s).unwrap()
}

fn pids(ids: &[&str]) -> Vec<PathId> {
    ids.iter().map(|s| pid(s)).collect()
}

async fn lookup(c: &Connection, l: Lookup) -> LookupResult {
    match client::run(c, &l, &CancelToken::new(), Rc::new(|_| {})).await {
        Ok(r) => r,
        Err(e) => panic!("lookup failed: {e:?}"),
    }
}

fn one_failure(r: &LookupResult) -> &ApiError {
    assert!(
        r.deliveries.is_empty(),
        "expected no deliveries, got {}",
        r.deliveries.len()
    );
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    &r.failures[0]
}

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
    assert_eq!(r.deliveries[0].subject, ids[0]);
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
    assert_eq!(d.subject, "convo_abc123");
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
    let r = client::run(
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

fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

#[wasm_bindgen_test]
async fn error_banner_shows_kind_and_keeps_markup_inert() {
    let el = container();
    let e = ApiError::new(
        ErrorKind::RateLimited,
        Vendor::Talkover,
        "GET /api/v1/agents/a/webhooks/w/logs?per_page=100&page=1",
        "Too many requests (429).",
    )
    .with_detail(Some("<b id=\"inject\">bold</b>".into()))
    .with_retry_after(Some(30));
    let retried = RwSignal::new(0);
    let _h = leptos::mount::mount_to(
        el.clone(),
        move || view! { <ErrorBanner errors=vec![e.clone(), e] on_retry=Callback::new(move |_| retried.update(|n| *n += 1)) /> },
    );
    leptos::task::tick().await;
    let banner = el
        .query_selector("[data-testid=error-banner]")
        .unwrap()
        .unwrap();
    assert_eq!(
        banner.get_attribute("data-kind").as_deref(),
        Some("rate-limited")
    );
    let text = banner.text_content().unwrap();
    assert!(
        text.contains("Talkover: GET /api/v1/agents/a/webhooks/w/logs"),
        "{text}"
    );
    assert!(text.contains("Wait 30 s"), "{text}");
    assert!(text.contains("1 more request(s) failed"), "{text}");
    assert!(
        text.contains("<b id=\"inject\">bold</b>"),
        "vendor text shown as text"
    );
    assert!(
        document().get_element_by_id("inject").is_none(),
        "vendor text never becomes markup"
    );
    el.query_selector("[data-testid=error-retry]")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert_eq!(
        retried.get_untracked(),
        1,
        "Try again runs the request again"
    );
}

/// An index of `ds` (one lookup) and all its rows in load order.
fn index_of(ds: Vec<hookscope_core::Delivery>) -> (Signal<IndexRef>, Signal<Arc<Vec<u32>>>) {
    let n = ds.len() as u32;
    let group: Group = Arc::new(LookupResult {
        deliveries: ds,
        ..Default::default()
    });
    let info = SlotInfo {
        vendor: Vendor::Burki,
        conn: "sim".into(),
    };
    let ix = IndexRef {
        ix: Arc::new(DeliveryIndex::build(vec![(info, group)])),
        generation: 1,
    };
    (
        Signal::stored(ix),
        Signal::stored(Arc::new((0..n).collect())),
    )
}

#[wasm_bindgen_test]
async fn table_and_detail_render_vendor_data_as_text() {
    let el = container();
    let mut ds = burki::decode_logs(
        &burki::webhook_logs(1, None),
        200,
        &serde_json::to_string(&demo::burki_logs(1003, chrono::Utc::now()).unwrap()).unwrap(),
    )
    .unwrap();
    // A hostile response body and event name from a vendor.
    ds[0].attempts[0].response_body =
        Some("<img id=\"pwn\" src=x onerror=\"document.body.dataset.pwned=1\">".into());
    ds[0].event = "<script>alert(1)</script>".into();
    let n = ds.len();
    let first = ds[0].clone();
    let (index, rows) = index_of(ds);
    let selected = RwSignal::new(None::<String>);
    let sort = RwSignal::new(Sort::default());
    let c = conn(Vendor::Burki, "sim-key");
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! {
            <DeliveryTable
                index=index
                rows=rows
                selected=selected
                on_select=Callback::new(move |id| selected.set(id))
                sort=sort
                on_sort=Callback::new(move |k| sort.update(|s| *s = s.toggled(k)))
                hidden=Signal::stored(vec![])
                now=Signal::stored(chrono::Utc::now())
                zone=Signal::stored(Zone::Utc)
            />
            <DeliveryDetail delivery=first.clone() conn=c.clone() origin=Origin { talkover: None } on_close=Callback::new(|_| ()) />
        }
    });
    leptos::task::tick().await;
    let trs = el.query_selector_all("[data-testid=delivery-row]").unwrap();
    assert_eq!(trs.length() as usize, n);
    let tr = trs
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    assert_eq!(tr.get_attribute("data-vendor").as_deref(), Some("burki"));
    assert!(tr.get_attribute("data-status").is_some());
    tr.click();
    leptos::task::tick().await;
    assert!(selected.get_untracked().is_some());
    assert!(tr.class_name().contains("selected"));
    assert!(document().get_element_by_id("pwn").is_none());
    assert!(el.query_selector("script").unwrap().is_none());
    // ↓ on the focused row selects the next one; ↑ goes back.
    let second = trs
        .item(1)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .get_attribute("data-id");
    let key = |k: &str| {
        let init = web_sys::KeyboardEventInit::new();
        init.set_key(k);
        init.set_bubbles(true);
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap()
    };
    tr.dispatch_event(&key("ArrowDown")).unwrap();
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked(), second);
    tr.dispatch_event(&key("k")).unwrap();
    leptos::task::tick().await;
    assert_eq!(
        selected.get_untracked().as_deref(),
        tr.get_attribute("data-id").as_deref()
    );
    // Esc closes the open delivery; Enter opens the row under the cursor again.
    tr.dispatch_event(&key("Escape")).unwrap();
    leptos::task::tick().await;
    assert_eq!(selected.get_untracked(), None);
    tr.dispatch_event(&key("Enter")).unwrap();
    leptos::task::tick().await;
    assert_eq!(
        selected.get_untracked().as_deref(),
        tr.get_attribute("data-id").as_deref()
    );
    // Clicking a header sorts by it; clicking again flips the direction.
    let by_latency = el
        .query_selector("[data-testid=sort-latency]")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    by_latency.click();
    leptos::task::tick().await;
    assert_eq!(
        sort.get_untracked(),
        Sort {
            key: SortKey::Latency,
            desc: true
        }
    );
    let th = by_latency.parent_element().unwrap();
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("descending"));
    by_latency.click();
    leptos::task::tick().await;
    assert_eq!(th.get_attribute("aria-sort").as_deref(), Some("ascending"));
    // The first attempt is not the selected one by default: pick it in the list under the
    // timeline (the SVG marks select too; SVG elements have no click() to call here).
    let attempts = el.query_selector_all("[data-testid=attempt-row]").unwrap();
    attempts
        .item(0)
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    leptos::task::tick().await;
    let resp = el
        .query_selector("[data-testid=response-view]")
        .unwrap()
        .unwrap()
        .text_content()
        .unwrap();
    assert!(resp.contains("<img id=\"pwn\""), "{resp}");
    assert!(document().get_element_by_id("pwn").is_none());
    assert!(document()
        .body()
        .unwrap()
        .get_attribute("data-pwned")
        .is_none());
}

#[wasm_bindgen_test]
fn keys_are_stored_only_when_remembered_and_forget_removes_them() {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::config::RuntimeConfig::default());
        assert_eq!(
            conns.list.get_untracked().len(),
            3,
            "first open: demo connections"
        );
        let mut a = conn(Vendor::Bland, "sk-memory-only");
        a.name = "A".into();
        conns.upsert(None, a).unwrap();
        let mut b = conn(Vendor::Burki, "tok-remembered");
        b.name = "B".into();
        b.remember = true;
        conns.upsert(None, b).unwrap();
        let all: String = (0..storage.length().unwrap())
            .filter_map(|i| storage.key(i).unwrap())
            .map(|k| storage.get_item(&k).unwrap().unwrap_or_default())
            .collect();
        assert!(
            !all.contains("sk-memory-only"),
            "unremembered key never stored"
        );
        assert!(storage
            .get_item(KEYS_KEY)
            .unwrap()
            .unwrap()
            .contains("tok-remembered"));
        assert!(conns.upsert(None, conn(Vendor::Bland, "x")).is_ok());
        let mut dup = conn(Vendor::Bland, "x");
        dup.name = "A".into();
        assert!(conns
            .upsert(None, dup)
            .unwrap_err()
            .contains("exists already"));

        // A reload sees the remembered key only.
        let again = Connections::load(&hookscope::config::RuntimeConfig::default());
        assert_eq!(again.get("B").unwrap().key.expose(), "tok-remembered");
        assert!(again.get("A").unwrap().key.is_empty());

        conns.forget_keys();
        assert!(storage.get_item(KEYS_KEY).unwrap().is_none());
        assert!(conns.list.get_untracked().iter().all(|c| c.key.is_empty()));
    });
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn unreadable_storage_is_kept_and_reported() {
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    storage
        .set_item(hookscope::state::connections::CONNECTIONS_KEY, "{broken")
        .unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::config::RuntimeConfig::default());
        assert!(conns
            .notice
            .get_untracked()
            .unwrap()
            .contains("could not be read"));
        assert_eq!(
            storage
                .get_item(hookscope::state::connections::CORRUPT_KEY)
                .unwrap()
                .as_deref(),
            Some("{broken")
        );
    });
    storage.clear().unwrap();
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

// ---------- regression tests for the review's defect classes (issue 5) ----------

/// Sends a control request to the simulator (`/__sim/…`).
async fn sim_control(method: &str, path: &str, body: &str) -> String {
    let url = format!("{}{path}", sim_url());
    let req = if method == "POST" {
        gloo_net::http::Request::post(&url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .unwrap()
    } else {
        gloo_net::http::Request::get(&url).build().unwrap()
    };
    req.send().await.unwrap().text().await.unwrap()
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
    let r = client::run(
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
    let ids: std::collections::HashSet<&str> = r.deliveries.iter().map(|d| d.id.as_str()).collect();
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

/// Class 6 and the read-only mark: an ID from the vendor that cannot go into a path, or
/// a read-only connection, disables the action with the reason in its title; curl says
/// why it cannot build a request instead of building another one.
#[wasm_bindgen_test]
async fn unusable_vendor_ids_disable_actions_with_a_reason() {
    let body = r#"{"success": true, "data": [
      {"id": "..", "webhook_id": "w", "event": "e", "attempt": 1, "status": "failed", "http_status": 500, "request_payload": {"call_id": "c"}, "created_at": "2026-01-01T00:00:00Z"}
    ]}"#;
    let req = talkover::logs(talkover::Owner::Agent, &pid("a"), &pid("w"), 1, 25);
    let d =
        talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs).remove(0);
    let origin = Origin {
        talkover: Some((talkover::Owner::Agent, pid("a"), pid("w"))),
    };
    let el = container();
    let c = conn(Vendor::Talkover, "sim-key");
    let (d2, o2) = (d.clone(), origin.clone());
    let _h = leptos::mount::mount_to(el.clone(), move || {
        view! { <DeliveryDetail delivery=d2.clone() conn=c.clone() origin=o2.clone() on_close=Callback::new(|_| ()) /> }
    });
    leptos::task::tick().await;
    let b = el
        .query_selector("[data-testid=retry-button]")
        .unwrap()
        .unwrap();
    assert!(b.has_attribute("disabled"));
    assert!(
        b.get_attribute("title").unwrap().contains("cannot be used"),
        "{:?}",
        b.get_attribute("title")
    );

    let mut ro = conn(Vendor::Talkover, "sim-key");
    ro.readonly = true;
    let el2 = container();
    let (d3, o3) = (d.clone(), origin.clone());
    let _h2 = leptos::mount::mount_to(el2.clone(), move || {
        view! { <DeliveryDetail delivery=d3.clone() conn=ro.clone() origin=o3.clone() on_close=Callback::new(|_| ()) /> }
    });
    leptos::task::tick().await;
    let b = el2
        .query_selector("[data-testid=retry-button]")
        .unwrap()
        .unwrap();
    assert!(b.has_attribute("disabled"));
    assert!(b.get_attribute("title").unwrap().contains("read-only"));

    let mut bland_d = d.clone();
    bland_d.vendor = Vendor::Bland;
    bland_d.event = bland::EVENT_POST_CALL.into();
    bland_d.subject = "..".into();
    let curl = hookscope::components::delivery_detail::curl_command(
        &bland_d,
        &conn(Vendor::Bland, "sim-key"),
        &Origin { talkover: None },
    );
    assert!(curl.starts_with("# cannot build"), "{curl}");
}

/// Class 4: "Forget all keys" in another tab is never undone by this tab's next save,
/// even when this tab missed the storage event; a key typed afterwards is kept.
#[wasm_bindgen_test]
fn a_key_forgotten_in_another_tab_is_never_written_back() {
    use hookscope::state::connections::FORGOTTEN_KEY;
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let tab = Connections::load(&hookscope::config::RuntimeConfig::default());
        let mut prod = conn(Vendor::Bland, "sk-forget-me");
        prod.name = "Prod".into();
        prod.remember = true;
        tab.upsert(None, prod).unwrap();
        assert!(storage
            .get_item(KEYS_KEY)
            .unwrap()
            .unwrap()
            .contains("sk-forget-me"));
        // Another tab forgets every key (its writes; this document gets no event).
        storage.remove_item(KEYS_KEY).unwrap();
        storage.set_item(FORGOTTEN_KEY, "other-tab-1").unwrap();
        let mut staging = conn(Vendor::Burki, "tok-typed-after");
        staging.name = "Staging".into();
        staging.remember = true;
        tab.upsert(None, staging).unwrap();
        let keys = storage.get_item(KEYS_KEY).unwrap().unwrap_or_default();
        assert!(
            !keys.contains("sk-forget-me"),
            "the forgotten key came back: {keys}"
        );
        assert!(keys.contains("tok-typed-after"), "{keys}");
        assert!(tab.get("Prod").unwrap().key.is_empty());
        assert!(tab.notice.get_untracked().unwrap().contains("another tab"));
    });
    storage.clear().unwrap();
}

/// Class 4: the storage event from another tab clears this tab's keys at once.
#[wasm_bindgen_test]
async fn the_storage_event_keeps_tabs_in_step() {
    use hookscope::state::connections::FORGOTTEN_KEY;
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    let owner = Owner::new();
    let tab = owner.with(|| Connections::load(&hookscope::config::RuntimeConfig::default()));
    owner.with(|| {
        let mut prod = conn(Vendor::Bland, "sk-in-memory");
        prod.name = "Prod".into();
        tab.upsert(None, prod).unwrap();
    });
    // The listener is attached once the reactive system has run.
    leptos::task::tick().await;
    storage.set_item(FORGOTTEN_KEY, "other-tab-2").unwrap();
    let init = web_sys::StorageEventInit::new();
    init.set_key(Some(FORGOTTEN_KEY));
    init.set_new_value(Some("other-tab-2"));
    let ev = web_sys::StorageEvent::new_with_event_init_dict("storage", &init).unwrap();
    window().dispatch_event(&ev).unwrap();
    leptos::task::tick().await;
    assert!(
        tab.get("Prod").unwrap().key.is_empty(),
        "the memory-only key is cleared too"
    );
    drop(owner);
    storage.clear().unwrap();
}

/// Class 2 and 5: stored keys and settings are checked like typed ones; what cannot be
/// used is reported and kept, and the rest still loads.
#[wasm_bindgen_test]
fn stored_values_are_validated_and_kept() {
    use hookscope::state::connections::{CONNECTIONS_KEY, CORRUPT_KEY};
    let storage = window().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
    storage
        .set_item(
            CONNECTIONS_KEY,
            &format!(
                r#"[{{"name":"Prod","vendor":"bland","base_url":"{}","timeout_secs":4294967295,"remember":true}},
                    {{"name":"Evil","vendor":"bland","base_url":"/\\evil.example","remember":true}}]"#,
                sim_url()
            ),
        )
        .unwrap();
    storage
        .set_item(KEYS_KEY, r#"{"Prod":"sk\u200bzero","Evil":"sk-evil"}"#)
        .unwrap();
    let owner = Owner::new();
    owner.with(|| {
        let conns = Connections::load(&hookscope::config::RuntimeConfig::default());
        let list = conns.list.get_untracked();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].timeout_secs, 30);
        assert!(list[0].key.is_empty());
        let notice = conns.notice.get_untracked().unwrap();
        assert!(
            notice.contains("zero-width space") && notice.contains("base URL"),
            "{notice}"
        );
        assert!(storage
            .get_item(CORRUPT_KEY)
            .unwrap()
            .unwrap()
            .contains("evil.example"));
        let keys = storage.get_item(KEYS_KEY).unwrap().unwrap();
        assert!(
            keys.contains("sk-evil") && keys.contains("Prod"),
            "kept: {keys}"
        );
    });
    storage.clear().unwrap();
}

// ---------- bulk sending (issue 6) ----------

/// A 503 is tried again after a back-off (and the calls end created); a request that
/// times out after it was sent is `unknown`, never sent again by itself.
#[wasm_bindgen_test]
async fn bulk_retries_5xx_and_reports_timeouts_as_unknown() {
    use hookscope::bulk::run::{run, RunSpec, StopFlag};
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
                as hookscope::bulk::run::OnDone,
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
