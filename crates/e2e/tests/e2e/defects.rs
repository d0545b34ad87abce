//! End-to-end regression tests for defect classes found by an earlier review: keys the
//! browser would refuse, foreign hosts, stored values, other tabs, shifting pages.

use hookscope_e2e::*;
/// Classes 1 and 2 at the form: a key the browser would refuse and a base URL a browser
/// resolves to another host are refused with a reason; plain http off this machine is
/// warned about; what was typed stays.
#[tokio::test]
async fn the_connection_form_refuses_unsendable_keys_and_foreign_hosts() {
    let h = setup_at("/connections").await;
    h.click("connection-add").await;
    h.type_into("connection-name", "Pasted").await;
    h.type_into("connection-key", "sk-live\u{200B}abc").await;
    let e = h.text("connection-key-error").await;
    assert!(e.contains("zero-width space"), "{e}");
    for (base, said) in [
        ("/\\evil.example", "backslash"),
        ("//evil.example", "another host"),
        ("https:evil.example", "must start with https://"),
    ] {
        h.type_into("connection-base-url", base).await;
        h.click("connection-save").await;
        let errs = h.text("connection-errors").await;
        assert!(errs.contains(said), "{base}: {errs}");
        assert!(errs.contains("API key contains"), "{errs}");
        assert_eq!(
            h.value("connection-base-url").await.as_deref(),
            Some(base),
            "what was typed stays"
        );
    }
    h.type_into("connection-base-url", "http://proxy.corp.example")
        .await;
    let w = h.text("connection-base-url-warning").await;
    assert!(w.contains("unencrypted"), "{w}");
    h.finish().await;
}

/// Class 2 and 5 through storage: a remembered key with an invisible character is not
/// loaded (so it cannot make a lookup hang), the notice says so, and the lookup ends
/// with a banner.
#[tokio::test]
async fn a_stored_key_with_an_invisible_character_ends_in_a_banner() {
    let h = setup_at("/connections").await;
    h.find("connection-row").await;
    let settings = format!(
        r#"[{{"name":"Sim Bland","vendor":"bland","base_url":"{}","remember":true,"timeout_secs":99999999999}}]"#,
        h.sim
    );
    h.js_with(
        "localStorage.setItem('hookscope.connections.v1', arguments[0]); localStorage.setItem('hookscope.keys.v1', arguments[1]);",
        vec![serde_json::json!(settings), serde_json::json!(r#"{"Sim Bland":"sim-key\u200b"}"#)],
    )
    .await;
    h.client.refresh().await.unwrap();
    let notice = h.text("storage-notice").await;
    assert!(
        notice.contains("zero-width space") && notice.contains("timeout"),
        "{notice}"
    );
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", "abc")])
        .await;
    h.until("a banner, not an endless Loading…", || async {
        h.first_attr("error-banner", "data-kind").await.as_deref() == Some("unauthorized")
    })
    .await;
    assert!(h.all("load-progress").await.is_empty());
    h.finish().await;
}

/// Class 4: "Forget all keys" in one tab clears the keys of every open tab, and a later
/// save in the other tab does not write them back.
#[tokio::test]
async fn forgotten_keys_stay_forgotten_in_every_tab() {
    let h = setup_at("/connections").await;
    h.fill_connection("bland", "Sim Bland", &h.sim, "sim-key-remembered")
        .await;
    h.click("connection-remember").await;
    h.click("connection-save").await;
    h.until("the key is remembered", || async {
        h.local_storage("hookscope.keys.v1")
            .await
            .unwrap_or_default()
            .contains("sim-key-remembered")
    })
    .await;
    let (tab_a, tab_b) = h.open_tab().await;
    h.open("/connections").await;
    h.find("connection-row").await;
    h.click("forget-keys").await;
    h.switch_to(&tab_a).await;
    h.until("tab A dropped the key", || async {
        let masked = h
            .js("const r = document.querySelector('[data-testid=connection-row][data-name=\"Sim Bland\"] [data-testid=connection-key-masked]'); return r ? r.textContent : ''")
            .await;
        masked.as_str().unwrap_or("").starts_with("none")
            && h.text("storage-notice").await.contains("another tab")
    })
    .await;
    // A save in tab A writes settings; the forgotten key must not come back.
    h.click("connection-add").await;
    h.type_into("connection-name", "Another").await;
    h.save_connection("Another").await;
    let keys = h.local_storage("hookscope.keys.v1").await;
    assert!(keys.is_none(), "forgotten key written back: {keys:?}");
    h.switch_to(&tab_b).await;
    h.no_crash().await;
    h.close_tab(&tab_a).await;
    h.finish().await;
}

/// Class 3 in the table: when Talkover's pages shift during a load, every row is one
/// delivery, filters show exactly the matching rows, and the result says what happened.
#[tokio::test]
async fn shifted_pages_show_each_delivery_once() {
    let h = setup_demo().await;
    h.lookup(
        "Demo Talkover",
        "talkover-agent",
        &agent("wh_demo_shifting"),
    )
    .await;
    assert!(h.text("lookup-notes").await.contains("shifted"));
    for status in ["", "failed", "retrying", "success"] {
        // The status filter is a multi-select: "any" first, so each status shows alone.
        h.select("filter-status", "").await;
        if !status.is_empty() {
            h.select("filter-status", status).await;
        }
        h.until(&format!("rows for {status:?}"), || async {
            // The table is windowed: the rows in the DOM are a window onto the set.
            let ids = h.rows_attr("data-id").await;
            let unique: std::collections::HashSet<&String> = ids.iter().collect();
            let statuses = h.rows_attr("data-status").await;
            let total = h.total_rows().await;
            unique.len() == ids.len()
                && total == h.row_count().await
                && !ids.is_empty()
                && ids.len() <= total.min(150)
                && (status.is_empty() || statuses.iter().all(|s| s == status))
        })
        .await;
    }
    h.finish().await;
}
