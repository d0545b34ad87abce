//! The deployment's side: runtime `config.json` and the CSP's connect-src.

use hookscope_e2e::{setup, setup_at, tid, Harness};

async fn vendor_options(h: &Harness) -> Vec<String> {
    h.option_values("connection-vendor").await
}

async fn prop(h: &Harness, id: &str, name: &str) -> serde_json::Value {
    h.js_with(
        "return document.querySelector(arguments[0])[arguments[1]]",
        vec![serde_json::json!(tid(id)), serde_json::json!(name)],
    )
    .await
}

#[tokio::test]
async fn config_json_sets_vendors_base_urls_and_the_remember_policy() {
    let h = setup().await;
    h.set_config(Some(
        r#"{"vendors":["talkover","bland"],"base_urls":{"bland":"/proxy/bland"},"remember_keys":false}"#,
    ));
    h.open("/connections").await;
    h.until("the demo connections", || async {
        !h.attrs("connection-row", "data-name").await.is_empty()
    })
    .await;
    let names = h.attrs("connection-row", "data-name").await;
    assert!(
        !names.iter().any(|n| n.contains("Burki")),
        "a vendor the deployment hides gets no demo connection: {names:?}"
    );
    assert!(h.all("config-problem").await.is_empty());
    h.click("connection-add").await;
    assert_eq!(vendor_options(&h).await, ["bland", "talkover"]);
    assert_eq!(
        prop(&h, "connection-base-url", "value").await,
        "/proxy/bland"
    );
    assert_eq!(prop(&h, "connection-remember", "disabled").await, true);
    h.find("remember-disabled").await;
    // Switching vendor follows the deployment's URL for it, not the built-in one.
    h.select("connection-vendor", "talkover").await;
    assert_eq!(
        prop(&h, "connection-base-url", "value").await,
        "https://app.talkover.ai"
    );
    h.finish().await;
}

#[tokio::test]
async fn a_remembered_key_is_removed_when_the_deployment_forbids_remembering() {
    let h = setup_at("/connections").await;
    h.add_remembered_connection("bland", "Kept").await;
    h.set_config(Some(r#"{"remember_keys":false}"#));
    h.open("/connections").await;
    h.until("the notice", || async {
        h.text("storage-notice")
            .await
            .contains("does not allow keys to be remembered")
    })
    .await;
    assert_eq!(h.local_storage("hookscope.keys.v1").await, None);
    assert!(
        h.attrs("connection-row", "data-name")
            .await
            .contains(&"Kept".to_string()),
        "the connection itself stays"
    );
    h.finish().await;
}

#[tokio::test]
async fn a_malformed_config_is_reported_and_ignored() {
    let h = setup().await;
    for (text, says) in [
        ("{\"vendors\": [\"bland\",", "not valid JSON"),
        ("[\"bland\"]", "one JSON object"),
        (
            r#"{"vendors":"bland","base_urls":{"burki":"javascript:alert(1)"},"colour":1}"#,
            "“colour” is unknown",
        ),
    ] {
        h.set_config(Some(text));
        h.open("/explorer").await;
        h.until("the problem is said", || async {
            h.text("config-problem").await.contains(says)
        })
        .await;
        // The console works on its defaults: the demo view loads, every vendor is offered.
        h.rows_settle("the demo rows", 180).await;
        h.click("nav-connections").await;
        h.click("connection-add").await;
        assert_eq!(vendor_options(&h).await, ["bland", "burki", "talkover"]);
        h.no_crash().await;
    }
    // No file at all (the CDN's fallback answers with index.html): nothing to say.
    h.set_config(None);
    h.open("/explorer").await;
    h.rows_settle("the demo rows", 180).await;
    assert!(h.all("config-problem").await.is_empty());
    h.finish().await;
}

#[tokio::test]
async fn a_host_outside_connect_src_is_refused_with_a_plain_reason() {
    let h = setup_at("/connections").await;
    // The same simulator under another name: another origin, not in connect-src.
    let other = h.sim.replace("127.0.0.1", "localhost");
    h.add_connection("burki", "Elsewhere", &other, hookscope_e2e::KEY, None)
        .await;
    h.lookup("Elsewhere", "burki-call", &[("lookup-id", "42")])
        .await;
    h.until("the refusal", || async {
        h.text("error-banner")
            .await
            .contains("Content-Security-Policy does not allow connections to")
    })
    .await;
    let text = h.text("error-banner").await;
    assert!(text.contains(&other), "{text}");
    h.no_crash().await;
    // The refusal is the policy working: the violation is recorded, and only that one.
    let v = h.js("return window.__cspViolations").await;
    let all: Vec<String> = serde_json::from_value(v).unwrap();
    assert!(
        !all.is_empty() && all.iter().all(|v| v.starts_with("connect-src")),
        "{all:?}"
    );
}
