//! End-to-end: the explorer across lookups and vendors — filters and their
//! counts, a view of two vendors, the URL round trip, saved views in two tabs, keyboard
//! navigation in a windowed 100,000-row table, the chart, auto-refresh and cancelling.

use fantoccini::Locator;
use hookscope_e2e::*;

/// Every rendered row's value of `attr` satisfies `ok`, and some rows are rendered.
async fn rows_all(h: &Harness, attr: &str, ok: impl Fn(&str) -> bool) -> bool {
    let v = h.rows_attr(attr).await;
    !v.is_empty() && v.iter().all(|x| ok(x))
}

#[tokio::test]
async fn each_filter_alone_and_combined_with_its_counts() {
    let h = setup_demo().await;
    // Status (multi): each option says how many rows it leaves, and leaves that many.
    let failed = h.option_count("filter-status", "failed").await.unwrap();
    let retrying = h.option_count("filter-status", "retrying").await.unwrap();
    assert!(failed > 0 && retrying > 0);
    h.select("filter-status", "failed").await;
    h.rows_settle("failed rows", failed).await;
    assert!(rows_all(&h, "data-status", |s| s == "failed").await);
    assert_eq!(h.total_rows().await, failed);
    h.select("filter-status", "retrying").await;
    h.rows_settle("failed or retrying rows", failed + retrying)
        .await;
    assert!(rows_all(&h, "data-status", |s| s == "failed" || s == "retrying").await);
    assert!(h.url().await.contains("status=failed&status=retrying"));

    // AND with the HTTP code: the 5xx option counts within the status filter.
    let fives = h.option_count("filter-code", "5xx").await.unwrap();
    assert!(fives > 0 && fives < failed + retrying);
    h.select("filter-code", "5xx").await;
    h.rows_settle("failed or retrying with a 5xx", fives).await;
    assert!(rows_all(&h, "data-http-code", |c| c.starts_with('5')).await);
    assert!(rows_all(&h, "data-status", |s| s == "failed" || s == "retrying").await);
    // An exact code beside the class.
    let exact: Vec<String> = h.rows_attr("data-http-code").await;
    let one = exact[0].clone();
    h.click("filters-clear").await;
    h.rows_settle("all rows again", 180).await;
    let n = h.option_count("filter-code", &one).await.unwrap();
    h.select("filter-code", &one).await;
    h.rows_settle("one exact code", n).await;
    assert!(rows_all(&h, "data-http-code", |c| c == one).await);
    h.click("filters-clear").await;
    h.rows_settle("all rows again", 180).await;

    // Event.
    let events = h.option_values("filter-event").await;
    let event = events.into_iter().find(|v| !v.is_empty()).unwrap();
    let n = h.option_count("filter-event", &event).await.unwrap();
    h.select("filter-event", &event).await;
    h.rows_settle("one event", n).await;
    assert!(rows_all(&h, "data-event", |e| e == event).await);
    h.click("filters-clear").await;
    h.rows_settle("all rows again", 180).await;

    // Free text over errors (the text is only in attempts' errors).
    h.type_into("filter-search", "ETIMEDOUT").await;
    h.until("rows whose error timed out", || async {
        let n = h.row_count().await;
        n > 0 && n < 180 && h.url().await.contains("search=ETIMEDOUT")
    })
    .await;
    let timed_out = h.row_count().await;
    // Combined with a status that has none of them: no matches, and a way back.
    h.select("filter-status", "pending").await;
    h.find("no-matches").await;
    h.click("clear-filters").await;
    h.rows_settle("all rows again", 180).await;
    assert!(timed_out > 0);

    // Time: the last 24 hours, then a custom range; every row's time is inside.
    h.select("filter-range", "24h").await;
    h.until("the last day", || async {
        h.url().await.contains("range=24h") && h.row_count().await < 180
    })
    .await;
    let day_ago = chrono::Utc::now() - chrono::Duration::hours(24);
    let times = h.rows_attr("data-time").await;
    assert!(times.iter().all(|t| {
        chrono::DateTime::parse_from_rfc3339(t).unwrap() >= day_ago - chrono::Duration::minutes(1)
    }));
    let from = (chrono::Utc::now() - chrono::Duration::days(5)).format("%Y-%m-%dT%H:%M");
    let to = (chrono::Utc::now() - chrono::Duration::days(2)).format("%Y-%m-%dT%H:%M");
    h.set_value("filter-from", &from.to_string()).await;
    h.set_value("filter-to", &to.to_string()).await;
    h.until("a custom range", || async {
        let u = h.url().await;
        u.contains("from=") && u.contains("to=") && !u.contains("range=")
    })
    .await;
    let (lo, hi) = (
        chrono::NaiveDateTime::parse_from_str(&from.to_string(), "%Y-%m-%dT%H:%M")
            .unwrap()
            .and_utc(),
        chrono::NaiveDateTime::parse_from_str(&to.to_string(), "%Y-%m-%dT%H:%M")
            .unwrap()
            .and_utc()
            + chrono::Duration::seconds(1),
    );
    h.until("rows inside the range", || async {
        let t = h.rows_attr("data-time").await;
        !t.is_empty()
            && t.iter().all(|t| {
                let t = chrono::DateTime::parse_from_rfc3339(t).unwrap();
                t >= lo && t < hi
            })
    })
    .await;
    h.click("filters-clear").await;
    h.rows_settle("all rows again", 180).await;
    h.finish().await;
}

#[tokio::test]
async fn a_view_across_two_vendors_added_and_removed() {
    let h = setup_demo().await;
    h.fill_lookup(
        "Demo Burki",
        "burki-call",
        &[("lookup-id", "1001, 1002, 1003")],
    )
    .await;
    h.click("lookup-add").await;
    h.until("two lookups loaded", || async {
        h.attrs("view-lookup", "data-loading").await == ["false", "false"]
    })
    .await;
    assert_eq!(
        h.attrs("view-lookup", "data-vendor").await,
        ["talkover", "burki"]
    );
    assert_eq!(
        h.attrs("view-lookup", "data-kind").await,
        ["talkover-agent", "burki-call"]
    );
    let burki: usize = h.attrs("view-lookup", "data-count").await[1]
        .parse()
        .unwrap();
    assert!(burki > 0);
    h.rows_settle("both vendors' rows", 180 + burki).await;
    assert!(h.url().await.contains("c2=Demo%20Burki&k2=burki-call"));
    // The vendor filter, with counts per vendor.
    assert_eq!(h.option_count("filter-vendor", "talkover").await, Some(180));
    assert_eq!(h.option_count("filter-vendor", "burki").await, Some(burki));
    h.select("filter-vendor", "burki").await;
    h.rows_settle("Burki rows only", burki).await;
    assert!(rows_all(&h, "data-vendor", |v| v == "burki").await);
    h.select("filter-vendor", "").await;
    h.rows_settle("both again", 180 + burki).await;
    // Sorted by vendor, both are in the table.
    h.click("sort-vendor").await;
    h.until_url_has("vendor sort", "sort=-vendor").await;
    // Removing the Burki lookup leaves the Talkover rows and a shorter link.
    h.click_css("[data-testid=view-lookup][data-vendor=burki] [data-testid=view-lookup-remove]")
        .await;
    h.rows_settle("Talkover rows only", 180).await;
    assert_eq!(h.all("view-lookup").await.len(), 1);
    assert!(!h.url().await.contains("c2="));
    assert!(rows_all(&h, "data-vendor", |v| v == "talkover").await);
    h.finish().await;
}

#[tokio::test]
async fn the_url_reopens_the_whole_view_after_a_reload_and_in_a_new_tab() {
    let h = setup_demo().await;
    h.fill_lookup("Demo Bland", "bland-call", &[]).await;
    // The demo's "120 calls" example (it runs as "Look up": it replaces the view).
    h.js_with(
        "Array.from(document.querySelectorAll(arguments[0])).find(b => b.textContent.includes('120 calls')).click()",
        vec![serde_json::json!(tid("demo-example"))],
    )
    .await;
    h.until("the Bland calls alone", || async {
        h.attrs("view-lookup", "data-vendor").await == ["bland"]
            && h.attrs("view-lookup", "data-loading").await == ["false"]
    })
    .await;
    let bland = h.row_count().await;
    assert!(bland > 100);
    // Add the Talkover lookup back beside it.
    h.fill_lookup("Demo Talkover", "talkover-agent", &agent("wh_demo_primary"))
        .await;
    h.click("lookup-add").await;
    h.rows_settle("both lookups", bland + 180).await;
    h.select("filter-status", "failed").await;
    h.until("failed only", || async {
        h.row_count().await < bland + 180
    })
    .await;
    h.click("sort-latency").await;
    h.until_url_has("sorted", "sort=-latency").await;
    let shown = h.row_count().await;
    let first = h.rows_attr("data-id").await[0].clone();
    h.click_row(&first).await;
    h.find("delivery-detail").await;
    let url = h.url().await;
    assert!(url.contains("sel="), "{url}");

    let check = |label: &'static str| {
        let h = &h;
        let first = first.clone();
        async move {
            // 120 calls and a webhook's pages are more than a link sends without asking.
            assert_eq!(
                h.attr("link-confirm", "data-requests").await.as_deref(),
                Some("121"),
                "{label}"
            );
            h.click("link-confirm-load").await;
            h.rows_settle(label, shown).await;
            assert_eq!(h.all("view-lookup").await.len(), 2, "{label}");
            assert_eq!(h.value("filter-status").await.as_deref(), Some("failed"));
            assert_eq!(
                h.rows_attr("data-id").await[0],
                first,
                "{label}: same order"
            );
            h.until("the selected delivery open", || async {
                h.open_delivery().await.as_ref() == Some(&first)
            })
            .await;
        }
    };
    h.client.refresh().await.unwrap();
    check("after a reload").await;
    assert_eq!(h.url().await, url);
    h.open_tab().await;
    h.client.goto(&url).await.unwrap();
    check("in a new tab").await;
    h.finish().await;
}

#[tokio::test]
async fn saved_views_are_shared_by_open_tabs() {
    let h = setup_demo().await;
    // A built-in view.
    h.select("view-select", "Retrying/Pending").await;
    h.until_url_has("retrying and pending", "status=retrying&status=pending")
        .await;
    assert!(rows_all(&h, "data-status", |s| s == "retrying" || s == "pending").await);
    h.select("view-select", "All").await;
    h.rows_settle("all", 180).await;
    // Tab B is open before the view is saved in tab A.
    let (tab_a, tab_b) = h.open_tab().await;
    h.open_demo().await;
    h.switch_to(&tab_a).await;
    h.select("filter-status", "failed").await;
    h.select("filter-code", "5xx").await;
    h.until_url_has("failed 5xx", "code=5xx").await;
    let n = h.row_count().await;
    // Columns are part of a view: hide the target column.
    h.js("document.querySelector('[data-testid=column-toggle][data-column=target]').click()")
        .await;
    h.until_url_has("the target column hidden", "hide=target")
        .await;
    h.type_into("view-name", "Failing 5xx").await;
    h.click("view-save").await;
    h.find("view-message").await;
    assert_eq!(h.value("view-select").await.as_deref(), Some("Failing 5xx"));
    // Tab B lists it at once and applies it to its own lookups.
    h.switch_to(&tab_b).await;
    h.until("tab B lists the view", || async {
        h.client
            .find(Locator::Css(
                "[data-testid=view-select] option[value='Failing 5xx']",
            ))
            .await
            .is_ok()
    })
    .await;
    h.select("view-select", "Failing 5xx").await;
    h.rows_settle("the saved view in tab B", n).await;
    assert!(h.url().await.contains("hide=target"));
    assert!(h.client.find(Locator::Css("th.col-target")).await.is_err());
    assert!(rows_all(&h, "data-http-code", |c| c.starts_with('5')).await);
    // A name that is a built-in view is refused with a reason.
    h.type_into("view-name", "failed").await;
    h.click("view-save").await;
    h.until("a refusal", || async {
        h.text("view-message").await.contains("built-in")
    })
    .await;
    h.finish().await;
}

#[tokio::test]
async fn keyboard_in_a_windowed_100000_row_table() {
    let h = setup_demo().await;
    h.select("demo-scale", "100000").await;
    h.until("100,000 deliveries", || async {
        h.all("load-progress").await.is_empty()
            && h.attr("row-count", "data-count").await.as_deref() == Some("100000")
    })
    .await;
    assert_eq!(h.total_rows().await, 100_000);
    let dom = h.all("delivery-row").await.len();
    assert!(dom > 0 && dom <= 150, "{dom} rows in the DOM");
    // Keyboard: ↓ moves the cursor, Enter opens, the window follows, Esc closes.
    h.click("table-scroll").await;
    h.keys("table-scroll", DOWN).await;
    h.keys("table-scroll", ENTER).await;
    let first = h.attr("delivery-detail", "data-id").await.unwrap();
    h.keys("table-scroll", &DOWN.repeat(60)).await;
    h.until("the detail followed the cursor 60 rows down", || async {
        h.open_delivery().await.as_ref() != Some(&first)
            && h.attrs("delivery-row", "class")
                .await
                .iter()
                .any(|c| c.contains("selected"))
    })
    .await;
    let top = h
        .js("return document.querySelector('[data-testid=table-scroll]').scrollTop")
        .await
        .as_f64()
        .unwrap();
    assert!(top > 1000.0, "the window scrolled with the cursor ({top})");
    assert!(h.all("delivery-row").await.len() <= 150);
    // Scrolling far down keeps the window small.
    h.js("const e = document.querySelector('[data-testid=table-scroll]'); e.scrollTop = e.scrollHeight / 2; e.dispatchEvent(new Event('scroll'));")
        .await;
    h.until("rows from the middle", || async {
        h.rows_attr("data-id")
            .await
            .iter()
            .any(|id| id.starts_with("talkover:scale-100000-5"))
    })
    .await;
    assert!(h.all("delivery-row").await.len() <= 150);
    h.keys("table-scroll", ESCAPE).await;
    h.until_gone("the detail closed", "delivery-detail").await;
    // "/" goes to the search; a search over 100,000 rows answers.
    h.js("document.activeElement.blur()").await;
    h.js("document.body.dispatchEvent(new KeyboardEvent('keydown', {key: '/', bubbles: true}))")
        .await;
    h.until("the search is focused", || async {
        h.js("return document.activeElement && document.activeElement.dataset.testid")
            .await
            .as_str()
            == Some("filter-search")
    })
    .await;
    h.keys("filter-search", "ETIMEDOUT").await;
    h.until("the search narrowed 100,000 rows", || async {
        let n = h.row_count().await;
        n > 0 && n < 100_000
    })
    .await;
    // Export of the filtered rows, built in chunks: one CSV line per row shown.
    let n = h.row_count().await;
    h.capture_downloads().await;
    h.click("export-csv").await;
    h.until("the CSV export", || async { h.downloads().await == 1 })
        .await;
    let csv = h.download_text(0).await;
    let lines = csv.split("\r\n").filter(|l| !l.is_empty()).count();
    assert_eq!(lines, n + 1, "a header and {n} rows");
    h.finish().await;
}

#[tokio::test]
async fn a_chart_bar_narrows_the_time_and_a_code_narrows_the_codes() {
    let h = setup_demo().await;
    let overview = h.find("overview").await;
    let rate: f64 = overview
        .attr("data-success-rate")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(rate > 50.0 && rate < 100.0, "{rate}");
    let p50: u64 = overview
        .attr("data-p50-ms")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    let p95: u64 = overview
        .attr("data-p95-ms")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    assert!(p50 > 0 && p50 <= p95);
    let counts: Vec<usize> = h
        .attrs("chart-bar", "data-count")
        .await
        .iter()
        .map(|c| c.parse().unwrap())
        .collect();
    assert_eq!(
        counts.iter().sum::<usize>(),
        180,
        "every delivery is in one bar"
    );
    let i = counts.iter().position(|c| *c > 0).unwrap();
    let froms = h.attrs("chart-bar", "data-from").await;
    let tos = h.attrs("chart-bar", "data-to").await;
    h.js_with(
        "document.querySelectorAll(arguments[0])[arguments[1]].dispatchEvent(new MouseEvent('click', {bubbles: true}))",
        vec![serde_json::json!(tid("chart-bar")), serde_json::json!(i)],
    )
    .await;
    h.rows_settle("the bar's deliveries", counts[i]).await;
    let (lo, hi) = (
        chrono::DateTime::parse_from_rfc3339(&froms[i]).unwrap(),
        chrono::DateTime::parse_from_rfc3339(&tos[i]).unwrap() + chrono::Duration::seconds(1),
    );
    assert!(h.rows_attr("data-time").await.iter().all(|t| {
        let t = chrono::DateTime::parse_from_rfc3339(t).unwrap();
        t >= lo && t < hi
    }));
    assert!(h.url().await.contains("from="));
    h.click("overview-all-time").await;
    h.rows_settle("all again", 180).await;
    // A code in "failures by HTTP code" filters by it.
    let code = h.attrs("overview-code", "data-code").await[0].clone();
    let n: usize = h.attrs("overview-code", "data-count").await[0]
        .parse()
        .unwrap();
    h.click("overview-code").await;
    h.until_url_has("that code only", &format!("code={code}"))
        .await;
    assert!(h.row_count().await >= n);
    h.finish().await;
}

#[tokio::test]
async fn auto_refresh_keeps_the_selection_and_filters() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    h.lookup("Sim Talkover", "talkover-agent", &agent("wh_demo_primary"))
        .await;
    h.rows_settle("the simulator's rows", 180).await;
    h.select("filter-status", "retrying").await;
    h.until("retrying rows", || async { h.row_count().await < 180 })
        .await;
    let id = h.rows_attr("data-id").await[0].clone();
    h.click_row(&id).await;
    h.find("delivery-detail").await;
    let url = h.url().await;
    let before = h.sim_requests().await.len();
    h.click("auto-refresh").await;
    h.until("a countdown", || async {
        h.text("auto-refresh-state").await.contains("in ")
    })
    .await;
    // The refresh comes within 15 s (the harness waits up to 15 s per condition: twice).
    let refreshed = || async { h.sim_requests().await.len() > before };
    let mut ok = false;
    for _ in 0..5 {
        if refreshed().await {
            ok = true;
            break;
        }
        tokio::time::sleep(std::time::Duration::from_secs(7)).await;
    }
    assert!(ok, "auto-refresh loaded the lookup again");
    h.until_gone("the load ended", "load-progress").await;
    assert_eq!(h.url().await, url, "selection and filters kept");
    assert_eq!(h.open_delivery().await, Some(id));
    assert!(rows_all(&h, "data-status", |s| s == "retrying").await);
    h.click("auto-refresh").await;
    h.finish().await;
}

#[tokio::test]
async fn a_paginated_load_can_be_cancelled_and_run_again() {
    let h = setup().await;
    h.open_with_sim_connections(&["talkover"]).await;
    // 100 pages, each answered slowly (page 10, the next showing, is seconds away).
    h.set_sim_faults(serde_json::json!({"latency_ms": 600, "only_path": "wh_demo_scale_10000"}))
        .await;
    h.lookup(
        "Sim Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_scale"),
            ("lookup-webhook-id", "wh_demo_scale_10000"),
        ],
    )
    .await;
    h.until("some pages loaded", || async {
        h.attr("load-progress", "data-done")
            .await
            .and_then(|d| d.parse::<usize>().ok())
            .is_some_and(|d| d >= 2)
    })
    .await;
    assert_eq!(
        h.attr("load-progress", "data-total").await.as_deref(),
        Some("100")
    );
    // Rows appear as the pages arrive: the newest 100 after page 1, while the rest load.
    h.until("the first page's rows shown", || async {
        h.attr("row-count", "data-count").await.as_deref() == Some("100")
    })
    .await;
    assert!(
        h.text("row-count").await.ends_with("so far"),
        "{}",
        h.text("row-count").await
    );
    h.click("load-cancel").await;
    h.until_gone("the load stopped", "load-progress").await;
    let asked = h.sim_requests().await.len();
    tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    assert!(
        h.sim_requests().await.len() <= asked + 4,
        "no new pages after cancel (in flight may finish)"
    );
    assert!(
        h.all("error-banner").await.is_empty(),
        "a cancel is not an error"
    );
    // What was shown stays, and says it is cut short.
    assert_eq!(h.attrs("view-lookup", "data-count").await, ["100"]);
    assert_eq!(h.row_count().await, 100);
    assert!(!h.text("row-count").await.contains("so far"));
    let notes = h.text("lookup-notes").await;
    assert!(
        notes.contains("Cancelled after") && notes.contains("newest 100 deliveries"),
        "{notes}"
    );
    // The pages read before the cancel, as the load counted them (not the bar's last draw).
    let done: usize = notes
        .split("Cancelled after ")
        .nth(1)
        .and_then(|t| t.split(' ').next())
        .and_then(|d| d.parse().ok())
        .unwrap_or_else(|| panic!("{notes}"));
    assert!(
        (2..100).contains(&done) && notes.contains(&format!("{done} of 100 pages")),
        "{notes}"
    );
    // Run again without the slowness: every page arrives.
    h.reset_sim().await;
    h.click("lookup-submit").await;
    h.rows_settle("10,000 rows", 10_000).await;
    assert!(
        !h.text("lookup-notes").await.contains("Cancelled"),
        "the note goes with the rows it was about"
    );
    h.finish().await;
}
