//! What a hostile vendor answer, a hostile link or another app on the same origin could
//! make the release build do, each class with the test that shows it cannot any more:
//! keys through a redirect, a stored flag that writes a memory key, a plan sent to another
//! connection, a planted bulk journal, answers big enough to freeze the tab, a link that
//! fires hundreds of requests or is too long to reopen, and a retry on one click.

use hookscope_e2e::*;

/// A lookup whose answer is a redirect to another path of the same origin: the key is
/// not carried there (nothing arrives at the other app), and the banner says redirect.
#[tokio::test]
async fn a_redirect_never_carries_the_key() {
    let h = setup().await;
    h.open_with_sim_connections(&["bland"]).await;
    h.reset_sim_with_faults(serde_json::json!({"fault": "redirect", "only_path": "/v1/postcall"}))
        .await;
    let call = hookscope_core::demo::data::bland_call_id(1);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.until("the redirect is reported", || async {
        h.first_attr("error-banner", "data-kind").await.as_deref() == Some("bad-response")
    })
    .await;
    let said = h.text("error-banner").await;
    assert!(said.contains("redirect"), "{said}");
    assert!(
        h.sim_requests_to("/v1/postcall").await.len() == 1,
        "the vendor path was asked once"
    );
    assert_eq!(
        h.sim_requests_to("/__sim/collect").await,
        Vec::<serde_json::Value>::new(),
        "nothing (and no key) reached the redirect's target"
    );
    assert!(
        h.all("delivery-row").await.is_empty(),
        "the other app's body is not shown"
    );
    h.finish().await;
}

/// Another app on the origin sets `remember: true` on a connection whose key lives in
/// this tab's memory only: the next save must not write that key to storage.
#[tokio::test]
async fn a_stored_remember_flag_never_writes_a_memory_key() {
    const MEMORY_KEY: &str = "sk-memory-only-7781";
    let h = setup_at("/connections").await;
    h.add_connection("bland", "Sim Bland", &h.sim, MEMORY_KEY, None)
        .await;
    assert_eq!(h.local_storage("hookscope.keys.v1").await, None);
    let (tab_a, _) = h.open_tab().await;
    // "Another app": same origin, writes the shared storage directly.
    h.open("/not-hookscope").await;
    h.js("const k = 'hookscope.connections.v1'; const l = JSON.parse(localStorage.getItem(k)); l.forEach(c => c.remember = true); localStorage.setItem(k, JSON.stringify(l));")
        .await;
    h.close_tab(&tab_a).await;
    // A save in this tab (a new connection) writes settings, and keys only if remembered.
    h.click("connection-add").await;
    h.type_into("connection-name", "Another").await;
    h.save_connection("Another").await;
    let keys = h
        .local_storage("hookscope.keys.v1")
        .await
        .unwrap_or_default();
    assert!(
        !keys.contains(MEMORY_KEY),
        "a memory key was written: {keys}"
    );
    let settings = h
        .local_storage("hookscope.connections.v1")
        .await
        .unwrap_or_default();
    assert!(!settings.contains(MEMORY_KEY));
    h.finish().await;
}

/// "Retry all shown" opened on connection A, then another lookup on connection B: the
/// plan made for A is not offered for B, and what B's Confirm sends are B's own logs to
/// B's webhook.
#[tokio::test]
async fn a_replay_plan_stays_with_its_connection() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.add_connection("talkover", "Sim Talkover B", &h.sim, KEY, None)
        .await;
    h.look_up_webhook("Sim Talkover", "wh_demo_primary", 150)
        .await;
    h.only_failed().await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-connection").await.as_deref(),
        Some("Sim Talkover")
    );
    let a_count = h.attr("replay-panel", "data-count").await.unwrap();
    h.reset_sim().await;
    h.lookup("Sim Talkover B", "talkover-agent", &agent("wh_demo_crm"))
        .await;
    h.until("B's rows", || async {
        h.all("load-progress").await.is_empty()
            && h.row_count().await > 3
            && h.row_count().await < 100
    })
    .await;
    assert!(
        h.all("replay-panel").await.is_empty(),
        "A's plan ({a_count} rows) is still offered after B's lookup"
    );
    // B's own plan sends B's logs to B's webhook, nothing else.
    h.only_failed().await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-connection").await.as_deref(),
        Some("Sim Talkover B")
    );
    let n: usize = h
        .attr("replay-panel", "data-count")
        .await
        .unwrap()
        .parse()
        .unwrap();
    h.confirm_replay().await;
    let posts: Vec<String> = h
        .sim_requests_to("/retry")
        .await
        .iter()
        .map(|r| r["path"].as_str().unwrap_or_default().to_string())
        .collect();
    assert_eq!(posts.len(), n, "{posts:?}");
    assert!(
        posts.iter().all(|p| p.contains("/webhooks/wh_demo_crm/")),
        "a retry went elsewhere: {posts:?}"
    );
    h.finish().await;
}

/// A bulk journal planted in storage (a run "interrupted" with a credentialed private
/// URL) comes back with its URL named and its warnings to accept again; nothing is sent.
#[tokio::test]
async fn a_planted_bulk_journal_is_checked_like_typed_input() {
    let h = setup().await;
    h.open_with_sim_connections(&["bland"]).await;
    let call = hookscope_core::demo::data::bland_call_id(140);
    let journal = serde_json::json!({
        "run_id": "run-1", "tab": "gone-tab", "mode": "create", "connection": "Sim Bland",
        "url": "http://user:pass@10.0.0.5/steal", "ids": [call, "not a call id"],
        "outcomes": {}, "state": "running", "heartbeat_ms": 1.0, "started_ms": 1.0
    });
    h.js_with(
        "localStorage.setItem('hookscope.bulk.journal.v1', arguments[0])",
        vec![serde_json::json!(journal.to_string())],
    )
    .await;
    h.reset_sim().await;
    h.click("nav-bulk").await;
    let notice = h.text("bulk-resume").await;
    assert!(
        notice.contains("http://user:pass@10.0.0.5/steal"),
        "{notice}"
    );
    h.click("bulk-continue").await;
    let problem = h.text("bulk-problem").await;
    assert!(
        problem.contains("http://user:pass@10.0.0.5/steal")
            && problem.contains("Accept the warnings"),
        "{problem}"
    );
    assert!(
        h.all("bulk-confirm").await.is_empty(),
        "straight to Confirm"
    );
    let accepted = h
        .js("const b = document.querySelector('[data-testid=bulk-url-accept]'); return b ? b.checked : null")
        .await;
    assert_eq!(
        accepted,
        serde_json::json!(false),
        "the warnings are shown, not accepted for the person"
    );
    assert!(h.sim_requests_to("/webhooks/create").await.is_empty());
    h.finish().await;
}

/// Answers too big to read are refused with their size (announced or streamed), a big
/// payload that is read never goes into the page whole, and pages of 4,000 logs claiming
/// a billion pages stop at 100,000 rows with a note that says so.
#[tokio::test]
async fn big_answers_never_freeze_the_tab() {
    let h = setup().await;
    h.open_with_sim_connections(&["bland", "talkover"]).await;
    for (i, bytes, chunked) in [(1, 100_000_000u64, false), (2, 30_000_000, true)] {
        let call = hookscope_core::demo::data::bland_call_id(i);
        h.reset_sim_with_faults(
            serde_json::json!({"fault": "huge", "bytes": bytes, "chunked": chunked, "only_path": "/v1/postcall"}),
        )
        .await;
        h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
            .await;
        h.until(&format!("{bytes} bytes refused"), || async {
            h.sim_requests_to(&call).await.len() == 1
                && h.text_of_all("error-banner")
                    .await
                    .contains("more than the 20.0 MB")
        })
        .await;
        h.no_crash().await;
    }
    let call = hookscope_core::demo::data::bland_call_id(3);
    // Read, but shown in part: the 5 MB transcript is clipped in the tree and the raw view.
    h.reset_sim_with_faults(
        serde_json::json!({"fault": "huge", "bytes": 5_000_000, "only_path": "/v1/postcall"}),
    )
    .await;
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    let node = h
        .js("const n = document.querySelector('[data-testid=json-node][data-path=\"$.concatenated_transcript\"] .jn__val'); return n ? n.textContent : null")
        .await;
    let shown = node.as_str().expect("the transcript's node");
    assert!(
        shown.len() < 3_000 && shown.contains("more; copy the value"),
        "{} bytes shown",
        shown.len()
    );
    h.js("Array.from(document.querySelectorAll('[data-testid=payload-view] button')).find(b => b.textContent === 'Raw').click()")
        .await;
    h.find("text-clipped").await;
    let pre = h
        .js("return document.querySelector('[data-testid=payload-view] pre').textContent.length")
        .await;
    assert!(
        pre.as_u64().unwrap() <= 262_144,
        "{pre} characters in the page"
    );
    assert!(!h.all("text-download").await.is_empty());
    // Rows: 4,000 logs a page, a billion pages claimed.
    h.reset_sim_with_faults(
        serde_json::json!({"fault": "pages", "logs": 4000, "last_page": 1_000_000_000u64, "only_path": "/logs"}),
    )
    .await;
    h.lookup("Sim Talkover", "talkover-agent", &agent("wh_demo_primary"))
        .await;
    h.rows_settle("100,000 rows", 100_000).await;
    let notes = h.text("lookup-notes").await;
    assert!(notes.contains("newest 100000 logs"), "{notes}");
    let pages = h.sim_requests_to("/logs").await.len();
    assert_eq!(pages, 25, "pages asked: {pages}");
    h.finish().await;
}

/// A link that would send more than 50 requests asks first, saying how many and to
/// whom; nothing is sent until the person says yes. A small link opens at once.
#[tokio::test]
async fn a_link_asks_before_many_requests() {
    let h = setup_at("/connections").await;
    // Remembered: the key must survive opening the links (page loads).
    h.add_remembered_connection("bland", "Sim Bland").await;
    // Calls that sent a webhook (every tenth did not), so each one gives a row.
    let ids: Vec<String> = (0..hookscope_core::demo::data::BLAND_CALLS)
        .filter(|i| hookscope_core::demo::data::bland_call_has_webhook(*i))
        .take(120)
        .map(hookscope_core::demo::data::bland_call_id)
        .collect();
    h.reset_sim().await;
    h.open(&format!(
        "/explorer?c=Sim%20Bland&k=bland-call&id={}",
        ids.join("%2C")
    ))
    .await;
    assert_eq!(
        h.attr("link-confirm", "data-requests").await.as_deref(),
        Some("120")
    );
    assert!(h.text("link-confirm").await.contains("“Sim Bland”"));
    assert!(
        h.sim_requests_to("/v1/").await.is_empty(),
        "sent before the yes"
    );
    h.click("link-confirm-load").await;
    h.until_sim_requests_to("/v1/postcall", 120).await;
    h.open(&format!(
        "/explorer?c=Sim%20Bland&k=bland-call&id={}",
        ids[..5].join("%2C")
    ))
    .await;
    h.rows_settle("five rows at once", 5).await;
    assert!(h.all("link-confirm").await.is_empty());
    h.finish().await;
}

/// A view whose link would be longer than servers accept is refused when it is made,
/// with a message, and the address keeps the last view.
#[tokio::test]
async fn a_link_too_long_is_refused_when_made() {
    let h = setup().await;
    h.open_with_sim_connections(&["bland"]).await;
    let ids: Vec<String> = (0..480)
        .map(hookscope_core::demo::data::bland_call_id)
        .collect();
    h.fill_lookup("Sim Bland", "bland-call", &[]).await;
    h.paste("lookup-id", &ids.join(", ")).await;
    let before = h.url().await;
    h.click("lookup-submit").await;
    let said = h.text("lookup-add-note").await;
    assert!(said.contains("longer than the 16 kB"), "{said}");
    assert_eq!(h.url().await, before);
    assert!(h.sim_requests().await.is_empty());
    h.finish().await;
}

/// A Talkover retry sends nothing on the first click: it says what it will send, and
/// sends once on the confirmation.
#[tokio::test]
async fn a_talkover_retry_asks_first() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.look_up_webhook("Sim Talkover", "wh_demo_crm", 4).await;
    h.open_first_failed().await;
    h.reset_sim().await;
    h.click("retry-button").await;
    let ask = h.text("retry-confirm-panel").await;
    assert!(
        ask.contains("Retry log") && ask.contains("current URL"),
        "{ask}"
    );
    assert!(
        h.sim_requests_to("/retry").await.is_empty(),
        "sent on one click"
    );
    h.click("retry-confirm").await;
    h.until_sim_requests_to("/retry", 1).await;
    h.finish().await;
}
