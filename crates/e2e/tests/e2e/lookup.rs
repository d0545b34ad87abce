//! End-to-end: lookups of each vendor, errors, input checks, filters and links.

use hookscope_e2e::*;
#[tokio::test]
async fn first_open_shows_demo_data_without_keys() {
    let h = setup_demo().await;
    h.find("demo-badge").await;
    let statuses = h.rows_attr("data-status").await;
    for s in ["success", "failed", "retrying", "pending"] {
        assert!(statuses.iter().any(|x| x == s), "no {s} row on first open");
    }
    assert!(h.rows_all_have("data-vendor", "talkover").await);
    let url = h.url().await;
    assert!(url.contains("c=Demo%20Talkover"), "{url}");
    h.click("nav-connections").await;
    h.find("connection-row").await;
    let rows = h.all("connection-row").await;
    assert_eq!(rows.len(), 3);
    let mut vendors = vec![];
    for r in rows {
        assert_eq!(r.attr("data-demo").await.unwrap().as_deref(), Some("true"));
        vendors.push(r.attr("data-vendor").await.unwrap().unwrap());
    }
    vendors.sort();
    assert_eq!(vendors, ["bland", "burki", "talkover"]);
    h.client
        .screenshot()
        .await
        .map(|png| std::fs::write(std::env::temp_dir().join("hookscope-first-open.png"), png))
        .ok();
    h.finish().await;
}

#[tokio::test]
async fn lookup_each_vendor_over_http() {
    let h = setup_at("/connections").await;
    h.add_sim_connections(None).await;

    let call = hookscope_core::demo::data::bland_call_id(3);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.until("one Bland delivery", || async {
        h.all("delivery-row").await.len() == 1
    })
    .await;
    assert_eq!(h.rows_attr("data-vendor").await, ["bland"]);
    assert_eq!(h.rows_attr("data-event").await, ["post_call"]);
    assert!(
        h.all("demo-badge").await.is_empty(),
        "real data is not marked demo"
    );

    h.lookup(
        "Sim Burki",
        "burki-call",
        &[
            ("lookup-id", " 1002, 1003 "),
            ("lookup-webhook-type", "call_ended"),
        ],
    )
    .await;
    // Several Burki calls at once: each call's call_ended delivery.
    h.until("Burki call_ended rows of both calls", || async {
        let ids = h.rows_attr("data-id").await;
        ids.iter().any(|i| i.starts_with("burki:1002"))
            && ids.iter().any(|i| i.starts_with("burki:1003"))
    })
    .await;
    assert!(h.rows_all_have("data-event", "call_ended").await);

    h.lookup(
        "Sim Talkover",
        "talkover-campaign",
        &[
            ("lookup-owner-id", "cmp_demo_winter"),
            ("lookup-webhook-id", "wh_demo_campaign"),
        ],
    )
    .await;
    h.until("every Talkover page loaded", || async {
        h.rows_attr("data-vendor").await.first().map(String::as_str) == Some("talkover")
            && h.row_count().await == 90
    })
    .await;
    // The URL holds the view but never the key.
    let url = h.url().await;
    assert!(
        url.contains("k=talkover-campaign") && !url.contains(KEY),
        "{url}"
    );
    h.finish().await;
}

#[tokio::test]
async fn failing_lookups_show_typed_banners() {
    let h = setup_at("/connections").await;
    h.add_connection("bland", "Sim Bland", &h.sim, KEY, Some(2))
        .await;
    h.add_connection("bland", "Wrong key", &h.sim, "nope", None)
        .await;
    h.add_connection("burki", "Closed port", "http://127.0.0.1:9", KEY, None)
        .await;
    let cases = [
        ("Wrong key", "bland-call", "abc", "unauthorized"),
        ("Sim Bland", "bland-call", "err-403", "forbidden"),
        ("Sim Bland", "bland-call", "err-404", "not-found"),
        ("Sim Bland", "bland-call", "err-422", "unprocessable"),
        ("Sim Bland", "bland-call", "err-429", "rate-limited"),
        ("Sim Bland", "bland-call", "err-500", "server"),
        ("Sim Bland", "bland-sms", "err-html", "server"),
        ("Sim Bland", "bland-call", "err-truncated", "bad-response"),
        ("Sim Bland", "bland-call", "err-empty", "bad-response"),
        ("Sim Bland", "bland-call", "err-nocors", "network"),
        ("Sim Bland", "bland-call", "err-vendor", "vendor"),
        ("Closed port", "burki-call", "1001", "network"),
        ("Sim Bland", "bland-call", "err-slow", "timeout"),
    ];
    for (conn, kind, id, want) in cases {
        h.lookup(conn, kind, &[("lookup-id", id)]).await;
        h.until(&format!("banner {want} for {id}"), || async {
            h.first_attr("error-banner", "data-kind").await.as_deref() == Some(want)
        })
        .await;
        let text = h.text("error-banner").await;
        assert!(text.contains("Bland:") || text.contains("Burki:"), "{text}");
        assert!(!text.contains(KEY), "no key in messages");
        // What the person typed is still there.
        assert_eq!(h.value("lookup-id").await.as_deref(), Some(id));
    }
    h.finish().await;
}

#[tokio::test]
async fn bad_input_is_caught_at_the_field() {
    let h = setup_demo().await;
    h.lookup("Demo Burki", "burki-call", &[("lookup-id", "CA42f")])
        .await;
    let msg = h.text("field-error").await;
    assert!(msg.contains("whole number"), "{msg}");
    assert_eq!(h.value("lookup-id").await.as_deref(), Some("CA42f"));
    // The demo rows already shown stay.
    assert!(!h.all("delivery-row").await.is_empty());
    // A base URL with credentials is refused with a reason, and the form keeps its values.
    h.click("nav-connections").await;
    h.click("connection-add").await;
    h.type_into("connection-name", "Bad").await;
    h.type_into("connection-base-url", "https://user:pw@api.bland.ai")
        .await;
    h.click("connection-save").await;
    let errs = h.text("connection-errors").await;
    assert!(errs.contains("credentials"), "{errs}");
    assert_eq!(h.value("connection-name").await.as_deref(), Some("Bad"));
    h.finish().await;
}

#[tokio::test]
async fn filter_select_and_reopen_from_link() {
    let h = setup_demo().await;
    let total = h.row_count().await;
    h.select("filter-status", "failed").await;
    h.until("only failed rows", || async { h.row_count().await < total })
        .await;
    let statuses = h.rows_attr("data-status").await;
    assert!(!statuses.is_empty());
    assert!(statuses.iter().all(|s| s == "failed"));
    assert_eq!(statuses.len(), h.row_count().await);

    h.click_first("delivery-row").await;
    h.find("attempt").await;
    let attempts = h.all("attempt").await;
    assert!(attempts.len() >= 2, "failed demo deliveries were retried");
    assert!(!h.text("payload-view").await.is_empty());
    let url = h.url().await;
    assert!(
        url.contains("status=failed") && url.contains("sel="),
        "{url}"
    );

    // Pasting the link reopens the same view: filter, rows, selection.
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(&url).await.unwrap();
    h.find("attempt").await;
    assert_eq!(h.value("filter-status").await.as_deref(), Some("failed"));
    assert!(h.rows_all_have("data-status", "failed").await);

    // The status summary filters too, and a header click sorts (both kept in the URL).
    h.click_css("[data-testid=\"status-summary\"] [data-status=\"retrying\"]")
        .await;
    h.until("only retrying rows", || async {
        h.rows_all_have("data-status", "retrying").await
    })
    .await;
    h.click("sort-code").await;
    h.until_url_has("sorted by code in the URL", "sort=-code")
        .await;
    let codes: Vec<u16> = h
        .rows_attr("data-http-code")
        .await
        .iter()
        .filter_map(|c| c.parse().ok())
        .collect();
    assert!(codes.windows(2).all(|w| w[0] >= w[1]), "{codes:?}");
    h.finish().await;
}

/// The page runs under a strict Content-Security-Policy (no inline script or style): an
/// injected inline script is refused and the refusal recorded, which is what every other
/// test's "no violations" check relies on.
#[tokio::test]
async fn the_content_security_policy_refuses_inline_script_and_style() {
    let h = setup_demo().await;
    let ran = h
        .js("window.__ran = false; const s = document.createElement('script'); s.textContent = 'window.__ran = true'; document.head.appendChild(s);
             const d = document.createElement('div'); d.setAttribute('style', 'color: red'); document.body.appendChild(d);
             return [window.__ran, getComputedStyle(d).color];")
        .await;
    assert_eq!(
        ran[0],
        serde_json::json!(false),
        "inline script must not run"
    );
    assert_ne!(
        ran[1],
        serde_json::json!("rgb(255, 0, 0)"),
        "inline style must not apply"
    );
    h.until("both refusals recorded", || async {
        let v = h
            .js("return window.__cspViolations.map(v => v.split(' ')[0])")
            .await;
        v.as_array().is_some_and(|a| {
            a.iter()
                .any(|x| x.as_str().is_some_and(|s| s.starts_with("script-src")))
                && a.iter()
                    .any(|x| x.as_str().is_some_and(|s| s.starts_with("style-src")))
        })
    })
    .await;
    // What this test provoked is not the app's doing.
    h.js("window.__cspViolations.length = 0").await;
    h.finish().await;
}

/// If the app ever panics, a notice says so and offers a reload; after it the view (kept
/// in the address) comes back.
#[tokio::test]
async fn a_crash_shows_a_notice_with_a_reload() {
    let h = setup_demo().await;
    let url = h.url().await;
    h.js("try { window.wasmBindings.crash_for_tests(); } catch (e) { return String(e); } return 'no panic';")
        .await;
    let notice = h.text("app-crashed").await;
    assert!(notice.contains("Reload"), "{notice}");
    h.click("app-crashed-reload").await;
    h.rows_settle("the view again after the reload", 180).await;
    assert!(h.all("app-crashed").await.is_empty());
    assert_eq!(h.url().await, url);
    h.finish().await;
}

/// What was typed in the lookup form but not yet looked up survives a reload of the tab.
#[tokio::test]
async fn a_typed_lookup_survives_a_reload() {
    let h = setup_at("/explorer?c=Demo%20Bland").await;
    h.select("lookup-kind", "bland-call").await;
    h.type_into("lookup-id", "call-typed-before-a-reload").await;
    h.until("the draft kept", || async {
        h.js("return sessionStorage.getItem('hookscope.lookup-draft') || ''")
            .await
            .as_str()
            .is_some_and(|d| d.contains("call-typed-before-a-reload"))
    })
    .await;
    h.client.refresh().await.unwrap();
    h.until("the typed ID back in the form", || async {
        h.value("lookup-id").await.as_deref() == Some("call-typed-before-a-reload")
    })
    .await;
    assert_eq!(
        h.value("lookup-connection").await.as_deref(),
        Some("Demo Bland")
    );
    h.finish().await;
}
