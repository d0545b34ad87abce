//! End-to-end: the release build downloads a part of the app the first time it is used
//! (src/platform/split.rs, crates/xtask), and a part that cannot be downloaded, or whose bytes are
//! not the build's, says so and loads when asked again, keeping the page. The test server caches hashed files for
//! a year like the shipped configs, so a retry must get past a cached bad copy.

use hookscope_e2e::*;

fn has(files: &[String], prefix: &str) -> bool {
    files.iter().any(|f| f.starts_with(prefix))
}

/// Focuses the link `link` and waits until the chunk named `chunk…` has been fetched.
async fn focus_fetches_ahead(h: &Harness, link: &str, chunk: &str) {
    h.focus(link).await;
    h.until(&format!("{chunk} fetched on focus of {link}"), || async {
        has(&h.fetched_files().await, chunk)
    })
    .await;
}

/// Waits until the view shows some rows and no load runs.
async fn some_rows(h: &Harness, what: &str) {
    h.until(what, || async {
        h.all("load-progress").await.is_empty()
            && h.attr("row-count", "data-count")
                .await
                .and_then(|c| c.parse::<usize>().ok())
                .is_some_and(|n| n > 0)
    })
    .await;
}

/// With the bulk page's part refused: no crash, and the rest of the app works (the
/// Connections page opens, and back on the bulk page its notice is still there).
async fn the_rest_of_the_app_works(h: &Harness) {
    h.no_crash().await;
    h.click("nav-connections").await;
    h.find("connection-add").await;
    h.client.back().await.unwrap();
    h.find("chunk-failed").await;
}

/// Once the server answers `bulk` right again, "Try again" loads the bulk page without a
/// reload of the page.
async fn a_retry_loads_it_in_place(h: &Harness, bulk: &str) {
    h.js("window.__samePage = true;").await;
    h.tamper_file(bulk, None);
    h.click("chunk-retry").await;
    h.find("bulk-connection").await;
    let same = h.js("return window.__samePage === true;").await;
    assert_eq!(same, serde_json::json!(true), "loaded without a reload");
}

/// Each page fetches only its own chunk; the explorer's results view and the demo
/// generator come with the first (demo) lookup, and everything still works.
#[tokio::test]
async fn each_page_downloads_its_own_part() {
    let h = setup_at("/bulk").await;
    h.find("bulk-connection").await;
    let files = h.fetched_files().await;
    assert!(has(&files, "split_bulk-"), "bulk chunk fetched: {files:?}");
    for other in ["split_results-", "split_demo-", "split_connections-"] {
        assert!(
            !has(&files, other),
            "{other} not needed by /bulk: {files:?}"
        );
    }

    // Focus (or a pointer) on a link starts its page's download before the click.
    focus_fetches_ahead(&h, "nav-connections", "split_connections-").await;
    assert!(h.all("connection-add").await.is_empty(), "still on /bulk");
    h.click("nav-connections").await;
    h.find("connection-add").await;
    let files = h.fetched_files().await;
    assert!(!has(&files, "split_results-"), "{files:?}");

    // The explorer's link fetches the results view ahead, as the other links do.
    focus_fetches_ahead(&h, "nav-explorer", "split_results-").await;
    // A first visit to the explorer opens the demo: results view and demo generator.
    h.click("nav-explorer").await;
    some_rows(&h, "the demo's rows").await;
    let files = h.fetched_files().await;
    assert!(has(&files, "split_results-"), "{files:?}");
    assert!(has(&files, "split_demo-"), "{files:?}");
    // Each file once: a chunk is fetched the first time only.
    let wasm: Vec<&String> = files.iter().filter(|f| f.ends_with(".wasm")).collect();
    let mut unique = wasm.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(
        wasm.len(),
        unique.len(),
        "a wasm file fetched twice: {wasm:?}"
    );
    h.finish().await;
}

/// A page whose chunk cannot be downloaded shows `chunk-failed` (not a crash); the rest
/// of the app works; "Try again" loads it once the network is back.
#[tokio::test]
async fn a_part_that_cannot_be_downloaded_says_so_and_loads_on_retry() {
    let h = setup().await;
    h.refuse_files(Some("/split_bulk-"));
    h.open("/bulk").await;
    let failed = h.find("chunk-failed").await;
    let text = failed.text().await.unwrap();
    assert!(text.contains("Could not download the bulk page"), "{text}");
    assert!(text.contains("reload"), "{text}");
    assert!(h.all("bulk-connection").await.is_empty());
    the_rest_of_the_app_works(&h).await;

    h.refuse_files(None);
    h.click("chunk-retry").await;
    h.find("bulk-connection").await;
    assert!(h.all("chunk-failed").await.is_empty());

    // The explorer (with its results view): the page says it could not load, the header
    // stays usable, and it loads on retry.
    h.refuse_files(Some("/split_results-"));
    h.click("nav-explorer").await;
    h.find("chunk-failed").await;
    h.no_crash().await;
    h.find("nav-bulk").await;
    h.refuse_files(None);
    h.click_first("chunk-retry").await;
    h.until_gone("the results view loaded", "chunk-failed")
        .await;
    // The lookup itself failed while its code was missing: its own retry runs it.
    if !h.all("error-retry").await.is_empty() {
        h.click_first("error-retry").await;
    }
    some_rows(&h, "the demo's rows after the retry").await;
    h.finish().await;
}

/// The explorer is a part of its own (its page and results view), fetched when it is
/// opened; the delivery detail is another, fetched the first time a delivery opens.
#[tokio::test]
async fn the_explorer_and_the_detail_are_parts_of_their_own() {
    let h = setup_at("/connections").await;
    h.find("connection-add").await;
    let files = h.fetched_files().await;
    assert!(!has(&files, "split_results-"), "{files:?}");
    // A link naming only a connection: the page, no lookup.
    h.open("/explorer?c=Demo%20Bland").await;
    h.find("lookup-submit").await;
    h.find("demo-examples").await;
    let files = h.fetched_files().await;
    assert!(has(&files, "split_results-"), "{files:?}");
    assert!(
        has(&files, "split_demo-"),
        "the demo's example IDs: {files:?}"
    );
    assert!(!has(&files, "split_detail-"), "{files:?}");
    assert!(
        h.all("delivery-row").await.is_empty(),
        "nothing was looked up"
    );
    h.click_first("demo-example").await;
    some_rows(&h, "the call's deliveries").await;
    h.find("delivery-detail").await;
    assert!(has(&h.fetched_files().await, "split_detail-"));
    h.finish().await;
}

/// `bytes` with a custom section appended: still a valid module that runs (a custom
/// section is ignored), so only a check of the bytes can refuse it.
fn with_section_appended(mut bytes: Vec<u8>) -> Vec<u8> {
    let (name, payload) = (b"tampered", b"appended by the test");
    let size = 1 + name.len() + payload.len();
    assert!(size < 128, "one-byte LEB128 sizes");
    bytes.extend([0, size as u8, name.len() as u8]);
    bytes.extend(name);
    bytes.extend(payload);
    bytes
}

fn dist_bytes(name: &str) -> Vec<u8> {
    std::fs::read(dist_dir().join(name)).unwrap()
}

/// A damaged chunk on the server (bytes appended) is refused by its integrity: the page
/// says `chunk-failed`, the rest of the app works, and once the server has the right file
/// "Try again" loads it without reloading the page, past the year-long cached bad copy.
#[tokio::test]
async fn a_chunk_with_bytes_appended_is_refused_and_loads_on_retry_past_the_cache() {
    let h = setup().await;
    let bulk = dist_file("split_bulk-", ".wasm");
    h.tamper_file(&bulk, Some(with_section_appended(dist_bytes(&bulk))));
    h.open("/bulk").await;
    let text = h.text("chunk-failed").await;
    assert!(text.contains("Could not download the bulk page"), "{text}");
    assert!(h.all("bulk-connection").await.is_empty());
    the_rest_of_the_app_works(&h).await;
    a_retry_loads_it_in_place(&h, &bulk).await;
    assert!(h.all("chunk-failed").await.is_empty());
    h.finish().await;
}

/// Another chunk's bytes under a chunk's name (a mixed-up deployment) are refused before
/// they run — instantiated, they would trap with "null function" and leave "Loading…"
/// for good — and the part loads on retry once the server is right.
#[tokio::test]
async fn another_chunks_bytes_under_a_chunks_name_are_refused_and_load_on_retry() {
    let h = setup().await;
    let bulk = dist_file("split_bulk-", ".wasm");
    let other = dist_file("split_connections-", ".wasm");
    h.tamper_file(&bulk, Some(dist_bytes(&other)));
    h.open("/bulk").await;
    h.find("chunk-failed").await;
    the_rest_of_the_app_works(&h).await;
    a_retry_loads_it_in_place(&h, &bulk).await;
    h.finish().await;
}

/// A damaged main wasm ends in the boot file's plain notice, not a blank page; a reload
/// once the server has the right file starts the app (past the cached bad copy).
#[tokio::test]
async fn a_corrupted_main_wasm_says_so_and_a_reload_after_the_fix_recovers() {
    let h = setup().await;
    let main = dist_file("hookscope-", "_bg.wasm");
    h.tamper_file(&main, Some(with_section_appended(dist_bytes(&main))));
    h.open("/explorer").await;
    let text = h.text("boot-failed").await;
    assert!(text.contains("hookscope could not be loaded"), "{text}");
    assert!(text.contains("Reload"), "{text}");
    assert!(
        h.all("lookup-submit").await.is_empty(),
        "the app did not start"
    );

    h.tamper_file(&main, None);
    h.client.refresh().await.unwrap();
    h.find("lookup-submit").await;
    assert!(h.all("boot-failed").await.is_empty());
    h.finish().await;
}

/// The same for wasm-bindgen's JS (checked by its `modulepreload` integrity): the notice,
/// then a reload after the fix starts the app, the boot file having refreshed the cached
/// copy and reloaded once by itself.
#[tokio::test]
async fn a_damaged_script_says_so_and_a_reload_after_the_fix_recovers() {
    let h = setup().await;
    let glue = dist_file("hookscope-", ".js");
    let mut bytes = dist_bytes(&glue);
    bytes.extend(b"\n// appended by the test\n");
    h.tamper_file(&glue, Some(bytes));
    h.open("/explorer").await;
    let text = h.text("boot-failed").await;
    assert!(text.contains("hookscope could not be loaded"), "{text}");

    h.tamper_file(&glue, None);
    h.client.refresh().await.unwrap();
    h.find("lookup-submit").await;
    assert!(h.all("boot-failed").await.is_empty());
    h.finish().await;
}
