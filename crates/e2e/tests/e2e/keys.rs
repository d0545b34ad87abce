//! Where an API key may go: the vendor's auth header, and nowhere else.

use hookscope_e2e::*;
use serde_json::json;

/// Wraps the console, downloads and the clipboard so the test reads what they got.
pub(crate) async fn capture(h: &Harness) {
    h.capture_downloads().await;
    h.js("window.__console = [];
          for (const m of ['log', 'info', 'warn', 'error', 'debug']) {
            const o = console[m].bind(console);
            console[m] = (...a) => { window.__console.push(a.map(String).join(' ')); o(...a); };
          }
          console.info('capture on');")
        .await;
}

/// Every place a key could leak to, as one text: console output, downloads, copied text,
/// request URLs the page made, both storages, every text on screen.
pub(crate) async fn everywhere(h: &Harness) -> String {
    let blobs = h
        .js_async("Promise.all(window.__blobs.map(b => b.text())).then(t => done(t.join('\\n')));")
        .await;
    let rest = h
        .js("const s = st => Object.keys(st).map(k => k + '=' + st.getItem(k)).join('\\n');
             return [window.__console.join('\\n'), window.__copied.join('\\n'),
                     performance.getEntriesByType('resource').map(e => e.name).join('\\n'),
                     location.href, s(localStorage), s(sessionStorage), document.body.innerText].join('\\n');")
        .await;
    format!("{}\n{}", blobs.as_str().unwrap(), rest.as_str().unwrap())
}

#[tokio::test]
async fn a_key_reaches_only_its_header() {
    let h = setup_at("/connections").await;
    capture(&h).await;
    let talkover_key = format!("Bearer {KEY}");
    h.add_connection("talkover", "Sim Talkover", &h.sim, &talkover_key, None)
        .await;
    h.add_connection("bland", "Sim Bland", &h.sim, KEY, Some(1))
        .await;
    // A lookup, its delivery, every export and the curl command.
    h.look_up_webhook("Sim Talkover", "wh_demo_crm", 6).await;
    h.click("export-csv").await;
    h.click("export-json").await;
    h.click_first("delivery-row").await;
    h.find("attempt").await;
    h.click("export-har").await;
    h.click("copy-curl").await;
    h.until("four things captured", || async {
        h.js("return window.__blobs.length + window.__copied.length")
            .await
            .as_u64()
            == Some(4)
    })
    .await;
    // Failures: a refused key, a server error, a timeout, each with its banner.
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", "err-401")])
        .await;
    h.find("error-banner").await;
    h.set_sim_faults(json!({"fault": "status", "status": 500, "only_path": "/v1/"}))
        .await;
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", "abc")])
        .await;
    h.until("the 500 banner", || async {
        h.attr("error-banner", "data-kind").await.as_deref() == Some("server")
    })
    .await;
    h.set_sim_faults(json!({})).await;
    let seen = everywhere(&h).await;
    // The capture worked (so the test can fail): it saw the app's requests and output.
    assert!(seen.contains("capture on"), "console captured");
    assert!(
        seen.contains("/api/v1/agents/agt_demo_support"),
        "requests seen"
    );
    assert!(seen.contains("$TALKOVER_API_KEY"), "the curl command");
    assert!(seen.contains("\"log\""), "the HAR");
    assert!(!seen.contains(KEY), "the key leaked:\n{seen}");
    // Every address this tab's history holds.
    let depth = h.js("return history.length").await.as_u64().unwrap();
    for _ in 1..depth {
        h.client.back().await.unwrap();
        let url = h.url().await;
        assert!(!url.contains(KEY), "{url}");
    }
    // The simulator checked the key (in the header) on every request it answered 200.
    let (_, _, log) = hookscope_e2e::nginx::get(&h.sim, "/__sim/requests").await;
    assert!(!String::from_utf8_lossy(&log).contains(KEY));
    h.finish().await;
}

#[tokio::test]
async fn remembering_is_opt_in_and_forgetting_empties_every_storage() {
    let h = setup_at("/connections").await;
    h.add_connection("bland", "Only memory", &h.sim, KEY, None)
        .await;
    let storages = || async {
        h.js(
            "const s = st => Object.keys(st).map(k => k + '=' + st.getItem(k)).join('\\n');
              return s(localStorage) + '\\n' + s(sessionStorage);",
        )
        .await
        .as_str()
        .unwrap()
        .to_string()
    };
    assert!(
        !storages().await.contains(KEY),
        "not remembered: never stored"
    );
    h.add_remembered_connection("burki", "Remembered").await;
    let stored = storages().await;
    assert_eq!(
        stored.matches(KEY).count(),
        1,
        "remembered once, under its own key: {stored}"
    );
    assert!(stored.contains(&format!("hookscope.keys.v1={{\"Remembered\":\"{KEY}\"}}")));
    h.click("forget-keys").await;
    h.find("keys-forgotten").await;
    assert!(!storages().await.contains(KEY), "forgotten everywhere");
    // And from memory: every connection with a key now has none.
    let mut masks = vec![];
    for e in h.all("connection-key-masked").await {
        masks.push(e.text().await.unwrap());
    }
    assert!(
        masks
            .iter()
            .all(|m| m.starts_with("none") || m.starts_with("not needed")),
        "{masks:?}"
    );
    h.finish().await;
}
