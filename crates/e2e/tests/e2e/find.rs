//! End-to-end: finding a call from what a ticket holds, against the simulator. A call ID,
//! a call SID and a phone number give call cards with their deliveries and diagnosis; a
//! Talkover call is found by scanning a webhook's logs (and the scan can be cancelled);
//! the ticket text holds the facts and no key; a `?q=` link reopens the cards.

use hookscope_core::demo::call_data::{
    BLAND_FAILED_DELIVERY, BURKI_WITH_SID, FIND_PHONE, FIND_SID, FIND_TALKOVER_AGENT,
    FIND_TALKOVER_CALL, FIND_TALKOVER_WEBHOOK,
};
use hookscope_e2e::*;

/// The text of the call card of `id`.
async fn card_text(h: &Harness, id: &str) -> String {
    h.js_text(
        "const c = Array.from(document.querySelectorAll('[data-testid=\"call-card\"]')).find(c => c.dataset.callId === arguments[0]); return c ? c.textContent : '';",
        vec![serde_json::json!(id)],
    )
    .await
}

/// An attribute of each element with testid `inner` inside the call card of `id`.
async fn in_card(h: &Harness, id: &str, inner: &str, name: &str) -> Vec<String> {
    let v = h
        .js_with(
            "const c = Array.from(document.querySelectorAll('[data-testid=\"call-card\"]')).find(c => c.dataset.callId === arguments[0]); return c ? Array.from(c.querySelectorAll(arguments[1])).map(e => e.getAttribute(arguments[2]) || '') : [];",
            vec![
                serde_json::json!(id),
                serde_json::json!(tid(inner)),
                serde_json::json!(name),
            ],
        )
        .await;
    serde_json::from_value(v).unwrap()
}

async fn with_sim() -> Harness {
    let h = setup_at("/connections").await;
    h.add_sim_connections(None).await;
    h
}

#[tokio::test]
async fn a_bland_call_id_gives_its_card_with_deliveries_and_diagnosis() {
    let h = with_sim().await;
    h.search_calls(BLAND_FAILED_DELIVERY).await;
    h.until_call_card("bland", BLAND_FAILED_DELIVERY).await;
    assert_eq!(
        h.call_cards().await,
        [format!("bland:{BLAND_FAILED_DELIVERY}")]
    );
    assert_eq!(
        h.attrs("call-entry", "data-kind").await,
        ["bland-call-id"],
        "recognised by its shape"
    );
    assert_eq!(
        h.attr("call-card", "data-status").await.as_deref(),
        Some("completed")
    );
    let text = card_text(&h, BLAND_FAILED_DELIVERY).await;
    for want in [
        "answered by human",
        "From → to",
        "Started",
        "Length",
        "Summary",
    ] {
        assert!(text.contains(want), "{want} not in the card: {text}");
    }
    assert_eq!(
        in_card(&h, BLAND_FAILED_DELIVERY, "call-delivery", "data-http-code").await,
        ["401"]
    );
    assert_eq!(
        in_card(&h, BLAND_FAILED_DELIVERY, "diagnosis", "data-cause").await,
        ["auth"]
    );
    assert!(text.contains("X-Webhook-Signature"), "{text}");
    // One click from the full detail; the search stays on screen and in the link.
    h.open_card_delivery().await;
    h.find("attempt").await;
    let url = h.url().await;
    assert!(url.contains(&format!("q={BLAND_FAILED_DELIVERY}")), "{url}");
    assert!(url.contains("sel="), "{url}");
    assert_eq!(h.call_cards().await.len(), 1);
    h.no_crash().await;
    h.finish().await;
}

#[tokio::test]
async fn a_call_sid_finds_the_burki_call_and_its_webhook_logs() {
    let h = with_sim().await;
    h.search_calls(FIND_SID).await;
    let id = BURKI_WITH_SID.to_string();
    h.until_call_card("burki", &id).await;
    assert_eq!(h.attrs("call-entry", "data-kind").await, ["call-sid"]);
    let text = card_text(&h, &id).await;
    assert!(
        text.contains(FIND_SID),
        "the SID is a fact of the card: {text}"
    );
    let codes = in_card(&h, &id, "call-delivery", "data-http-code").await;
    assert!(codes.iter().any(|c| c == "204"), "{codes:?}");
    assert!(in_card(&h, &id, "diagnosis", "data-cause")
        .await
        .contains(&"success-code".to_string()));
    // The SID was asked of Burki's by-SID endpoint, then the call's webhook logs.
    h.until_sim_requests_to(&format!("/api/v1/calls/{id}/webhook-logs"), 1)
        .await;
    assert!(!h
        .sim_requests_to(&format!("/api/v1/calls/sid/{FIND_SID}"))
        .await
        .is_empty());
    h.finish().await;
}

#[tokio::test]
async fn a_phone_number_finds_several_calls_on_two_vendors_newest_first() {
    let h = with_sim().await;
    h.search_calls("(415) 555-0142").await;
    h.until("calls of both vendors with their deliveries", || async {
        let vendors = h.attrs("call-card", "data-vendor").await;
        let searched = h.calls_searched().await;
        vendors.iter().any(|v| v == "bland") && vendors.iter().any(|v| v == "burki") && searched
    })
    .await;
    assert_eq!(h.attrs("call-entry", "data-value").await, [FIND_PHONE]);
    let when = h.attrs("call-card", "data-when").await;
    assert!(when.len() >= 5, "{when:?}");
    let dated: Vec<&String> = when.iter().filter(|w| !w.is_empty()).collect();
    assert!(
        dated.windows(2).all(|w| w[0] >= w[1]),
        "newest first: {when:?}"
    );
    let statuses = h.attrs("call-card", "data-status").await;
    for s in ["completed", "failed"] {
        assert!(statuses.iter().any(|x| x == s), "{s}: {statuses:?}");
    }
    // More than a page of calls: "more" shows the rest.
    let shown = h.all("call-card").await.len();
    let found: usize = h
        .attr("call-search-status", "data-found")
        .await
        .unwrap()
        .parse()
        .unwrap();
    if found > shown {
        h.click("call-more").await;
        h.until("the next calls", || async {
            h.all("call-card").await.len() == found
        })
        .await;
    }
    h.no_crash().await;
    h.finish().await;
}

#[tokio::test]
async fn a_talkover_call_is_found_by_scanning_its_webhook_with_a_cancel_midway() {
    let h = with_sim().await;
    h.search_calls(FIND_TALKOVER_CALL).await;
    // A UUID no Bland connection knows: Talkover's logs are offered.
    h.find("call-not-found").await;
    h.find("call-scan-panel").await;
    // The first scan is slow, and cancelled mid-way.
    h.reset_sim_with_faults(
        serde_json::json!({"latency_ms": 4000, "only_path": FIND_TALKOVER_WEBHOOK}),
    )
    .await;
    h.type_into("call-scan-owner", FIND_TALKOVER_AGENT).await;
    h.type_into("call-scan-webhook", FIND_TALKOVER_WEBHOOK)
        .await;
    h.click("call-scan-submit").await;
    h.find("call-scan-progress").await;
    h.click("call-scan-cancel").await;
    h.until("the scan stopped", || async {
        h.attr("call-scan", "data-state").await.as_deref() == Some("stopped")
    })
    .await;
    assert!(h.all("call-card").await.is_empty());
    h.reset_sim().await;
    h.click("call-scan-start").await;
    h.until_call_card("talkover", FIND_TALKOVER_CALL).await;
    assert_eq!(
        h.attr("call-scan", "data-state").await.as_deref(),
        Some("done")
    );
    let causes = in_card(&h, FIND_TALKOVER_CALL, "diagnosis", "data-cause").await;
    assert!(causes.iter().any(|c| c == "server-error"), "{causes:?}");
    let text = card_text(&h, FIND_TALKOVER_CALL).await;
    assert!(
        text.contains("CRM is down for maintenance"),
        "Talkover's error object is read: {text}"
    );
    // The webhook's logs are in the view: the scan is in the link too.
    let url = h.url().await;
    assert!(
        url.contains(&format!("wh={FIND_TALKOVER_WEBHOOK}")),
        "{url}"
    );
    // A delivery opens in the detail from the card.
    h.open_card_delivery().await;
    h.no_crash().await;
    h.finish().await;
}

#[tokio::test]
async fn copy_for_the_ticket_holds_the_facts_and_no_key() {
    let h = with_sim().await;
    h.search_calls(BLAND_FAILED_DELIVERY).await;
    h.until_call_card("bland", BLAND_FAILED_DELIVERY).await;
    h.capture_downloads().await;
    h.click("copy-ticket").await;
    let text = h.copied(1).await;
    for want in [
        BLAND_FAILED_DELIVERY,
        "Bland",
        "Outcome: completed",
        "HTTP 401",
        "2 attempts",
        "X-Webhook-Signature",
        &format!("/explorer?q={BLAND_FAILED_DELIVERY}"),
    ] {
        assert!(text.contains(want), "{want} not in:\n{text}");
    }
    assert!(!text.contains(KEY), "a key in the ticket text:\n{text}");
    assert!(
        !text.contains("```json"),
        "payloads only when asked:\n{text}"
    );
    h.click("copy-ticket-payloads").await;
    h.click("copy-ticket").await;
    let with = h.copied(2).await;
    assert!(with.contains("```json"), "{with}");
    assert!(!with.contains(KEY), "{with}");
    h.finish().await;
}

#[tokio::test]
async fn a_link_with_q_reopens_the_cards() {
    let h = setup_at("/connections").await;
    for vendor in ["bland", "burki"] {
        h.add_remembered_connection(vendor, &sim_connection(vendor))
            .await;
    }
    let q = format!("{FIND_SID}%0A{BLAND_FAILED_DELIVERY}");
    h.open(&format!("/explorer?q={q}")).await;
    h.until_call_card("burki", &BURKI_WITH_SID.to_string())
        .await;
    h.until_call_card("bland", BLAND_FAILED_DELIVERY).await;
    assert_eq!(
        h.attrs("call-entry", "data-kind").await,
        ["call-sid", "bland-call-id"]
    );
    assert_eq!(
        h.value("call-search").await.as_deref(),
        Some(&format!("{FIND_SID}\n{BLAND_FAILED_DELIVERY}")[..])
    );
    h.finish().await;
}

#[tokio::test]
async fn an_identifier_nobody_can_look_up_says_so() {
    let h = with_sim().await;
    h.search_calls("not-an-id 9999999").await;
    h.until("both entries answered", || async {
        h.calls_searched().await && !h.all("call-not-found").await.is_empty()
    })
    .await;
    assert_eq!(
        h.attrs("call-entry", "data-kind").await,
        ["unknown", "burki-call-id"]
    );
    assert!(!h.text("call-entry-problem").await.is_empty());
    assert!(h.text("call-not-found").await.contains("9999999"));
    assert!(h.all("call-card").await.is_empty());
    // What an entry was read as can be corrected; the link holds the correction.
    h.select("call-search-kind", "phone").await;
    h.until_url_has("the correction in the link", "as=not-an-id~phone")
        .await;
    // Text that is no phone number cannot be one: said, and the entry stays as it was.
    assert!(h.text("call-kind-problem").await.contains("not-an-id"));
    assert_eq!(h.attrs("call-entry", "data-kind").await[0], "unknown");
    h.no_crash().await;
    h.finish().await;
}

/// The cards at a desktop's and a phone's size (PNGs in e2e-artifacts/ for a look), and
/// nothing wider than a phone's screen.
#[tokio::test]
async fn the_cards_fit_a_desktop_and_a_phone() {
    let h = setup().await;
    let q = format!(
        "{}%0A{FIND_TALKOVER_CALL}%0Anot-an-id",
        FIND_PHONE.replace('+', "%2B")
    );
    h.open(&format!("/explorer?q={q}")).await;
    h.until("the demo's calls with their deliveries", || async {
        h.calls_searched().await
            && h.all("call-card").await.len() >= 5
            && h.all("call-deliveries-loading").await.is_empty()
    })
    .await;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../e2e-artifacts");
    std::fs::create_dir_all(&dir).unwrap();
    for (w, ht) in [(1400u32, 900u32), (390, 844)] {
        h.client.set_window_size(w, ht).await.unwrap();
        tokio::time::sleep(std::time::Duration::from_millis(300)).await;
        h.js("window.scrollTo(0, 0)").await;
        let png = h.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("find-cards-{w}x{ht}.png")), png).unwrap();
        // A failed delivery's diagnosis, further down.
        h.js("document.querySelector('[data-testid=diagnosis]').closest('[data-testid=call-card]').scrollIntoView()")
            .await;
        let png = h.client.screenshot().await.unwrap();
        std::fs::write(dir.join(format!("find-card-{w}x{ht}.png")), png).unwrap();
        let overflow = h
            .js("return document.documentElement.scrollWidth - document.documentElement.clientWidth")
            .await;
        let wide = h
            .js("const W = document.documentElement.clientWidth; return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > W + 1 && !(e.parentElement && e.parentElement.getBoundingClientRect().right > W + 1)).slice(0, 8).map(e => e.tagName + '.' + e.className + '[' + (e.dataset.testid || '') + '] ' + Math.round(e.getBoundingClientRect().right))")
            .await;
        assert!(
            overflow.as_i64().unwrap_or(0) <= 0,
            "wider than the window at {w}×{ht}: {overflow} ({wide})"
        );
    }
    h.no_crash().await;
    h.finish().await;
}

/// A link alone must not fire many key-bearing requests: a search that would send more
/// than 50 asks first, and sends nothing until the person says yes.
#[tokio::test]
async fn a_link_whose_search_would_send_many_requests_asks_first() {
    let h = setup_at("/connections").await;
    h.add_remembered_connection("bland", "Sim Bland").await;
    // 26 numbers, each asked as "calls to" and "calls from": 52 requests.
    let numbers: Vec<String> = (100..126).map(|n| format!("%2B14155550{n}")).collect();
    h.open(&format!("/explorer?q={}", numbers.join("%0A")))
        .await;
    h.find("call-search-confirm").await;
    assert_eq!(
        h.attr("call-search-confirm", "data-requests")
            .await
            .as_deref(),
        Some("52")
    );
    tokio::time::sleep(std::time::Duration::from_millis(500)).await;
    assert!(
        h.sim_requests_to("/v1/calls").await.is_empty(),
        "nothing sent yet"
    );
    h.click("call-search-confirm-load").await;
    h.until_sim_requests_to("/v1/calls", 52).await;
    h.until_gone("the question", "call-search-confirm").await;
    h.finish().await;
}
