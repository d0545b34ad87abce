//! End-to-end: a vendor's rate limit is kept before it bites (the connection's budget,
//! read from its `X-RateLimit-*` headers), and the progress says the pace.

use hookscope_e2e::*;

/// How many requests the load's progress says are done (0 when it is not shown).
async fn pages_done(h: &Harness) -> usize {
    h.js("return Number(document.querySelector('[data-testid=load-progress]')?.dataset.done || 0)")
        .await
        .as_u64()
        .unwrap_or(0) as usize
}

/// Opens a Talkover webhook of `pages` pages (a log each) against a budget of `limit`
/// requests per `window_ms`.
async fn paced_load(pages: u32, limit: u64, window_ms: u64) -> Harness {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.reset_sim_with_faults(
        serde_json::json!({"fault": "pages", "logs": 1, "last_page": pages, "only_path": "/logs"}),
    )
    .await;
    h.set_sim_budget(limit, window_ms).await;
    h.lookup("Sim Talkover", "talkover-agent", &agent("wh_demo_primary"))
        .await;
    h
}

/// The defect class: a long fan-out sent until the vendor answered 429, then waited. A
/// Talkover webhook of 1,000 pages against 100 requests per window (the window shortened
/// from a minute to 2 s so the test runs in seconds): every page loads, the progress
/// says the pace and what is left, and the vendor never has to answer 429.
#[tokio::test]
async fn a_thousand_pages_keep_talkovers_limit_without_a_429() {
    let h = paced_load(1000, 100, 2000).await;
    h.until("the pace shown", || async {
        !h.all("pace").await.is_empty()
    })
    .await;
    assert_eq!(h.attrs("pace", "data-limit").await, ["100"]);
    let said = h.text_of_all("pace").await;
    assert!(
        said.contains("paced to 100 per 2 s by Talkover's limit · about") && said.contains("left"),
        "{said}"
    );
    // One condition at a time: the load goes on (the harness waits 15 s for each).
    loop {
        let before = pages_done(&h).await;
        if h.all("load-progress").await.is_empty() {
            break;
        }
        h.until(&format!("more than {before} pages"), || async {
            h.all("load-progress").await.is_empty() || pages_done(&h).await > before
        })
        .await;
    }
    h.rows_settle("a log from every page", 1000).await;
    let pages = h.sim_requests_to("/logs").await;
    let limited = pages.iter().filter(|r| r["limited"] == true).count();
    assert_eq!(limited, 0, "429s from the vendor");
    assert_eq!(pages.len(), 1000, "each page asked once");
    let budget = h.sim_budget().await;
    assert_eq!(budget["refused"], 0, "{budget}");
    assert_eq!(budget["answered"], 1000, "{budget}");
    assert!(h.all("error-banner").await.is_empty());
    h.finish().await;
}

/// Talkover's real window (100 pages against 10 a minute): the load stops at the budget
/// and says how long the rest will take, in minutes; Cancel still ends it at once, and
/// the vendor was never asked past its limit.
#[tokio::test]
async fn a_load_held_by_the_limit_says_how_long_and_can_be_cancelled() {
    let h = paced_load(100, 10, 60_000).await;
    h.until_sim_requests_to("/logs", 10).await;
    h.until("ten pages read", || async { pages_done(&h).await == 10 })
        .await;
    let said = h.text_of_all("pace").await;
    assert!(
        said.starts_with("paced to 10/min by Talkover's limit · about ")
            && said.ends_with(" min left"),
        "{said}"
    );
    assert_eq!(h.attrs("pace", "data-window-secs").await, ["60"]);
    h.click("load-cancel").await;
    h.until_gone("the load stopped", "load-progress").await;
    assert!(
        h.all("error-banner").await.is_empty(),
        "a cancel is not an error"
    );
    let budget = h.sim_budget().await;
    assert_eq!(budget["refused"], 0, "{budget}");
    assert_eq!(budget["answered"], 10, "{budget}");
    h.finish().await;
}
