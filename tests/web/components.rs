//! Components mounted on their own: the error banner, the table and the detail render
//! vendor data as text; actions are disabled, with the reason, when they cannot run.

use super::*;

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

/// A call card shows a vendor's text as text: a hostile summary, error message and event
/// stay inert, a recording link that is not https is no link, and an https one opens
/// apart from the page.
#[wasm_bindgen_test]
async fn call_cards_render_vendor_text_as_text() {
    use hookscope::components::call_card::CallCard;
    use hookscope::data::calls::{CallDeliveries, FoundCall};
    let el = container();
    let hostile = "<img id=\"pwn-call\" src=x onerror=\"document.body.dataset.pwned=1\">";
    let call = |recording: &str| -> hookscope_core::Call {
        serde_json::from_value(serde_json::json!({
            "vendor": "bland", "id": "c-1", "call_sid": null, "status": "failed",
            "status_word": "failed", "completed": false, "error": hostile,
            "answered_by": null, "created_at": null, "started_at": null, "ended_at": null,
            "duration_ms": null, "from": "<script>alert(1)</script>", "to": null,
            "customer_number": null, "inbound": null, "summary": hostile,
            "recording_url": recording, "costs": null, "notes": [], "extra": {}
        }))
        .unwrap()
    };
    let mut d = bland::decode_postcall(
        &bland::postcall_webhook(&PathId::typed("ID", "c-1").unwrap()),
        None,
        200,
        &serde_json::to_string(&serde_json::json!({"data": {
            "call_id": "c-1", "url": "https://hooks.example/x", "payload": {},
            "created_at": "2026-01-01T00:00:00Z",
            "metadata": [{"sent_at": "2026-01-01T00:00:01Z", "response_code": 401, "response_time": "80ms", "send_type": "spawn"}]
        }}))
        .unwrap(),
    )
    .unwrap();
    d.event = "<script>alert(2)</script>".into();
    let found = |recording: &str, seq| FoundCall {
        seq,
        call: call(recording),
        conn: "sim bland".into(),
        summary_only: false,
        record_failure: None,
        deliveries: CallDeliveries::Loaded {
            deliveries: vec![d.clone()],
            notes: vec![],
            failures: vec![],
        },
        conversation: false,
    };
    let (plain, https) = (
        found("javascript:alert(3)", 1),
        found("https://media.example/r.mp3", 2),
    );
    let opened = RwSignal::new(None::<String>);
    let _h = leptos::mount::mount_to(el.clone(), move || {
        let card = |f: FoundCall| {
            view! {
                <CallCard
                    found=f
                    link="https://console.example/explorer?q=c-1".to_string()
                    on_open=Callback::new(move |id| opened.set(Some(id)))
                    zone=Signal::stored(Zone::Utc)
                    now=Signal::stored(chrono::Utc::now())
                />
            }
        };
        view! { {card(plain.clone())} {card(https.clone())} }
    });
    leptos::task::tick().await;
    assert!(document().get_element_by_id("pwn-call").is_none());
    assert!(el.query_selector("script").unwrap().is_none());
    assert!(el
        .text_content()
        .unwrap()
        .contains("<script>alert(2)</script>"));
    let links = el
        .query_selector_all("[data-testid=call-recording]")
        .unwrap();
    assert_eq!(links.length(), 1, "only the https recording is a link");
    let a = links.item(0).unwrap().unchecked_into::<web_sys::Element>();
    assert_eq!(
        a.get_attribute("href").as_deref(),
        Some("https://media.example/r.mp3")
    );
    assert_eq!(a.get_attribute("target").as_deref(), Some("_blank"));
    assert_eq!(
        a.get_attribute("rel").as_deref(),
        Some("noopener noreferrer")
    );
    assert!(
        el.query_selector("audio, video, iframe").unwrap().is_none(),
        "never embedded"
    );
    assert_eq!(
        el.query_selector("[data-testid=diagnosis]")
            .unwrap()
            .and_then(|e| e.get_attribute("data-cause"))
            .as_deref(),
        Some("auth")
    );
    el.query_selector("[data-testid=call-delivery-open]")
        .unwrap()
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>()
        .click();
    assert_eq!(opened.get_untracked(), Some(d.id.to_string()));
}
