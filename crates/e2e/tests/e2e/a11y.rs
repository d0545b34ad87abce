//! Accessibility: axe-core (npm, installed by scripts/install-tools.sh) on every page and
//! state a support person meets, in headless Chromium, on a laptop screen and a phone.
//! Zero serious or critical violations of WCAG 2.1 A/AA; each state's counts are printed
//! (`axe: …` lines).

use hookscope_e2e::*;

fn axe_source() -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("axe/node_modules/axe-core/axe.min.js");
    std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: scripts/install-tools.sh --browser installs it (npm ci in crates/e2e/axe)",
            path.display()
        )
    })
}

/// Runs axe on the page as it is; fails on any serious or critical violation.
async fn check(h: &Harness, state: &str) {
    // WebDriver's script runs outside the page's CSP, so the page's policy stays strict.
    let loaded = h.js("return typeof window.axe !== 'undefined'").await;
    if loaded != serde_json::json!(true) {
        h.js(&format!("{}\nreturn true;", axe_source())).await;
    }
    let result = h
        .js_async(
            "axe.run(document, { runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] } })
               .then(r => done({
                 passes: r.passes.length,
                 violations: r.violations.map(v => ({ id: v.id, impact: v.impact, help: v.help,
                   nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' — ' + (n.failureSummary || '').split('\\n').join(' ')) })) }),
                     e => done({ error: String(e) }));",
        )
        .await;
    assert!(
        result.get("error").is_none(),
        "{state}: axe failed: {result}"
    );
    let violations = result["violations"].as_array().cloned().unwrap_or_default();
    let severe: Vec<&serde_json::Value> = violations
        .iter()
        .filter(|v| matches!(v["impact"].as_str(), Some("serious" | "critical")))
        .collect();
    println!(
        "axe: {state}: {} rules pass, {} violations ({} serious or critical)",
        result["passes"],
        violations.len(),
        severe.len()
    );
    for v in &violations {
        println!(
            "axe:   {} [{}] {} {}",
            v["id"], v["impact"], v["help"], v["nodes"]
        );
    }
    assert!(
        severe.is_empty(),
        "{state}: serious or critical accessibility violations: {severe:#?}"
    );
}

/// The explorer's densest states, from the demo on first open: demo rows with filters,
/// overview and chart; a failed delivery open (diagnosis, timeline, viewers); an error
/// banner beside the rows.
async fn explorer_states(h: &Harness, theme: &str) {
    h.rows_settle("the demo rows", 180).await;
    check(h, &format!("{theme}explorer with demo rows")).await;
    // A filter's menu open, with a value picked (its chip beside the button).
    h.select("filter-code", "5xx").await;
    h.click("filter-status-button").await;
    h.find("filter-status").await;
    check(h, &format!("{theme}explorer, a filter menu open")).await;
    h.close_menus().await;
    h.click("filters-clear").await;
    h.open_first_failed().await;
    h.find("attempt").await;
    check(
        h,
        &format!("{theme}explorer, a failed delivery open (side sheet)"),
    )
    .await;
    // A phone: cards, the filters' sheet and a menu in it, the detail as the whole screen.
    h.viewport(390, 844).await;
    check(h, &format!("{theme}phone, a delivery open")).await;
    h.click("detail-back").await;
    h.until_gone("the detail closed", "delivery-detail").await;
    check(h, &format!("{theme}phone, the cards")).await;
    h.click("filters-open").await;
    h.click("filter-event-button").await;
    h.find("filter-event").await;
    check(h, &format!("{theme}phone, the filters sheet and a menu")).await;
    h.close_menus().await;
    h.viewport(1400, 900).await;
    h.lookup("Demo Bland", "bland-call", &[("lookup-id", "err-401")])
        .await;
    h.find("error-banner").await;
    check(h, &format!("{theme}explorer with an error banner")).await;
    // Finding calls: cards with deliveries and diagnosis, a Talkover scan offered, an
    // entry that is no identifier.
    h.search_calls(&format!(
        "{} {} not-an-id",
        hookscope_core::demo::call_data::FIND_PHONE,
        hookscope_core::demo::call_data::FIND_TALKOVER_CALL
    ))
    .await;
    h.until("the calls found and the scan offered", || async {
        h.calls_searched().await
            && !h.all("call-scan-panel").await.is_empty()
            && h.all("call-deliveries-loading").await.is_empty()
    })
    .await;
    check(h, &format!("{theme}explorer with call cards")).await;
}

/// On the bulk page: the demo IDs and a webhook URL, up to the review.
async fn review_demo_bulk(h: &Harness) {
    h.click("bulk-demo-ids").await;
    h.until("IDs understood", || async {
        h.attr("bulk-parsed", "data-valid")
            .await
            .is_some_and(|n| n != "0")
    })
    .await;
    h.type_into("bulk-url", "https://hooks.example.com/bland/post-call")
        .await;
    h.click("bulk-review").await;
    h.find("bulk-review-panel").await;
}

/// Confirms the reviewed run and waits until it ends.
async fn run_reviewed_bulk(h: &Harness) {
    h.click("bulk-confirm").await;
    h.find("bulk-summary").await;
    h.until_gone("the run finished", "bulk-cancel").await;
}

#[tokio::test]
async fn every_page_and_state_passes_axe() {
    let h = setup_at("/").await;
    explorer_states(&h, "").await;
    // Connections, with the form open and its errors shown.
    h.click("nav-connections").await;
    h.find("connection-row").await;
    check(&h, "connections").await;
    h.click("connection-add").await;
    h.type_into("connection-base-url", "ftp://x").await;
    h.click("connection-save").await;
    h.find("connection-errors").await;
    check(&h, "connections, the form with errors").await;
    // With a connection of one's own, the explorer starts empty (nothing asked yet).
    h.add_connection("bland", "Sim Bland", &h.sim, KEY, None)
        .await;
    h.click("nav-explorer").await;
    h.open("/explorer").await;
    h.find("explorer-empty").await;
    check(&h, "explorer, empty").await;
    // Bulk: IDs pasted, the review, then a finished demo run.
    h.click("nav-bulk").await;
    h.find("bulk-ids").await;
    check(&h, "bulk, empty").await;
    review_demo_bulk(&h).await;
    check(&h, "bulk, the review").await;
    run_reviewed_bulk(&h).await;
    check(&h, "bulk, results").await;
    // A page that does not exist, and a deployment's config problem.
    h.open("/no/such/page").await;
    h.find("not-found").await;
    check(&h, "not found").await;
    h.set_config(Some("{broken"));
    h.open("/connections").await;
    h.find("config-problem").await;
    check(&h, "a config.json problem").await;
    h.finish().await;
}

/// The dark theme (the system's choice) has its own colours: the same check on the
/// densest states.
#[tokio::test]
async fn the_dark_theme_passes_axe() {
    let h = setup_with(&["--blink-settings=preferredColorScheme=0"]).await;
    h.open("/").await;
    let dark = h
        .js("return matchMedia('(prefers-color-scheme: dark)').matches")
        .await;
    assert_eq!(dark, serde_json::json!(true), "the browser prefers dark");
    explorer_states(&h, "dark: ").await;
    h.click("nav-bulk").await;
    review_demo_bulk(&h).await;
    run_reviewed_bulk(&h).await;
    check(&h, "dark: bulk results").await;
    h.finish().await;
}

/// Keyboard alone: the table takes focus, arrows and Enter open a delivery, and closing
/// the detail (Esc or its × button) leaves focus in the table, not on the page body.
#[tokio::test]
async fn the_detail_hands_focus_back_to_the_table() {
    let h = setup_demo().await;
    let focused = || async {
        h.js("return document.activeElement && document.activeElement.getAttribute('data-testid')")
            .await
    };
    h.find("table-scroll").await.click().await.unwrap();
    h.keys("table-scroll", DOWN).await;
    h.keys("table-scroll", ENTER).await;
    h.find("delivery-detail").await;
    h.keys("table-scroll", ESCAPE).await;
    h.until_gone("closed by Esc", "delivery-detail").await;
    assert_eq!(focused().await, serde_json::json!("table-scroll"));
    h.keys("table-scroll", ENTER).await;
    h.find("delivery-detail").await;
    h.click_css("[data-testid=\"delivery-detail\"] button[aria-label=\"Close\"]")
        .await;
    h.until_gone("closed by its button", "delivery-detail")
        .await;
    assert_eq!(
        focused().await,
        serde_json::json!("table-scroll"),
        "focus returns to the table"
    );
    h.finish().await;
}
