//! End-to-end: the release build in `dist/` (Trunk + wasm-opt) served on loopback, driven
//! in headless Chromium through chromedriver, talking to the API simulator over HTTP.
//! One test per user action; elements are found by `data-testid` only.

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

const KEY: &str = "sim-key";

/// Everything one test needs; dropping it stops chromedriver (also when a test fails).
struct Harness {
    client: Client,
    app: String,
    sim: String,
    driver: Child,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

fn dist_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        d.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    d
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

async fn serve_dist() -> SocketAddr {
    use tower_http::services::{ServeDir, ServeFile};
    let dist = dist_dir();
    // Unknown paths get index.html, as a CDN's SPA fallback would.
    let svc = ServeDir::new(&dist).fallback(ServeFile::new(dist.join("index.html")));
    let app = axum::Router::new().fallback_service(svc);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

async fn setup() -> Harness {
    let app = serve_dist().await;
    let (sim, _) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some(KEY.into()))
        .await
        .unwrap();
    let port = free_port();
    let driver = Command::new(
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
    )
    .arg(format!("--port={port}"))
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("chromedriver must be installed (scripts/install-tools.sh --browser)");
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                     "--disable-background-networking", "--disable-component-update", "--disable-sync",
                     "--no-first-run", "--window-size=1400,900"]
        }),
    );
    let url = format!("http://127.0.0.1:{port}");
    let start = Instant::now();
    let client = loop {
        match ClientBuilder::rustls()
            .expect("rustls")
            .capabilities(caps.clone())
            .connect(&url)
            .await
        {
            Ok(c) => break c,
            Err(e) if start.elapsed() < Duration::from_secs(20) => {
                let _ = e;
                tokio::time::sleep(Duration::from_millis(200)).await;
            }
            Err(e) => panic!("cannot start a browser session: {e}"),
        }
    };
    Harness {
        client,
        app: format!("http://{app}"),
        sim: format!("http://{sim}"),
        driver,
    }
}

fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

impl Harness {
    async fn open(&self, path: &str) {
        self.client
            .goto(&format!("{}{}", self.app, path))
            .await
            .unwrap();
    }

    async fn find(&self, id: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&tid(id)))
            .await
            .unwrap_or_else(|e| panic!("no [{id}]: {e}"))
    }

    async fn all(&self, id: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(&tid(id))).await.unwrap()
    }

    /// Waits until `check` holds, re-evaluating it; panics with `what` after 15 s.
    async fn until<F, Fut>(&self, what: &str, mut check: F)
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = bool>,
    {
        let start = Instant::now();
        while !check().await {
            if start.elapsed() > Duration::from_secs(15) {
                // Keep what the page showed, for whoever reads the failure.
                let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../e2e-artifacts");
                let _ = std::fs::create_dir_all(&dir);
                let name = what.replace(|c: char| !c.is_ascii_alphanumeric(), "_");
                let file = dir.join(format!("{name}.png"));
                if let Ok(png) = self.client.screenshot().await {
                    let _ = std::fs::write(&file, png);
                }
                let url = self
                    .client
                    .current_url()
                    .await
                    .map(|u| u.to_string())
                    .unwrap_or_default();
                panic!(
                    "timed out waiting for: {what} (at {url}; screenshot {})",
                    file.display()
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.find(id).await.attr(name).await.unwrap()
    }

    async fn select(&self, id: &str, value: &str) {
        let el = self.find(id).await;
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("[{id}] has no option {value}: {e}"));
    }

    async fn type_into(&self, id: &str, text: &str) {
        let el = self.find(id).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    async fn click(&self, id: &str) {
        self.find(id).await.click().await.unwrap();
    }

    async fn no_crash(&self) {
        assert!(self.all("app-crashed").await.is_empty(), "the app crashed");
    }

    /// Adds a connection through the Connections page, pointing at the simulator.
    async fn add_connection(
        &self,
        vendor: &str,
        name: &str,
        base: &str,
        key: &str,
        timeout: Option<u32>,
    ) {
        self.click("nav-connections").await;
        self.click("connection-add").await;
        self.select("connection-vendor", vendor).await;
        self.type_into("connection-name", name).await;
        self.type_into("connection-base-url", base).await;
        self.type_into("connection-key", key).await;
        if let Some(t) = timeout {
            self.type_into("connection-timeout", &t.to_string()).await;
        }
        self.click("connection-save").await;
        let n = name.to_string();
        self.until("the new connection row", || async {
            self.attrs("connection-row", "data-name").await.contains(&n)
        })
        .await;
    }

    async fn lookup(&self, conn: &str, kind: &str, fields: &[(&str, &str)]) {
        self.click("nav-explorer").await;
        self.select("lookup-connection", conn).await;
        self.select("lookup-kind", kind).await;
        for (id, v) in fields {
            if id.ends_with("webhook-type") {
                self.select(id, v).await;
            } else {
                self.type_into(id, v).await;
            }
        }
        self.click("lookup-submit").await;
    }

    async fn row_count(&self) -> usize {
        self.attr("row-count", "data-count")
            .await
            .unwrap()
            .parse()
            .unwrap()
    }

    /// One attribute of every element with this testid, read in one script run so a
    /// re-render between reads cannot leave a stale element behind.
    async fn attrs(&self, id: &str, name: &str) -> Vec<String> {
        let js = "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.getAttribute(arguments[1]) || '')";
        let v = self
            .client
            .execute(
                js,
                vec![serde_json::json!(tid(id)), serde_json::json!(name)],
            )
            .await
            .unwrap();
        serde_json::from_value(v).unwrap()
    }

    async fn rows_attr(&self, name: &str) -> Vec<String> {
        self.attrs("delivery-row", name).await
    }

    async fn finish(self) {
        self.no_crash().await;
        let _ = self.client.clone().close().await;
    }
}

#[tokio::test]
async fn first_open_shows_demo_data_without_keys() {
    let h = setup().await;
    h.open("/").await;
    h.find("demo-badge").await;
    h.find("delivery-row").await;
    h.until("hundreds of demo deliveries", || async {
        h.row_count().await >= 150
    })
    .await;
    let statuses = h.rows_attr("data-status").await;
    for s in ["success", "failed", "retrying", "pending"] {
        assert!(statuses.iter().any(|x| x == s), "no {s} row on first open");
    }
    assert!(h
        .rows_attr("data-vendor")
        .await
        .iter()
        .all(|v| v == "talkover"));
    let url = h.client.current_url().await.unwrap();
    assert!(url.as_str().contains("c=Demo%20Talkover"), "{url}");
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
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("bland", "Sim Bland", &sim, KEY, None)
        .await;
    h.add_connection("burki", "Sim Burki", &sim, KEY, None)
        .await;
    h.add_connection(
        "talkover",
        "Sim Talkover",
        &sim,
        &format!("Bearer {KEY}"),
        None,
    )
    .await;

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
    assert!(h
        .rows_attr("data-event")
        .await
        .iter()
        .all(|e| e == "call_ended"));

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
    let url = h.client.current_url().await.unwrap().to_string();
    assert!(
        url.contains("k=talkover-campaign") && !url.contains(KEY),
        "{url}"
    );
    h.finish().await;
}

#[tokio::test]
async fn failing_lookups_show_typed_banners() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("bland", "Sim Bland", &sim, KEY, Some(2))
        .await;
    h.add_connection("bland", "Wrong key", &sim, "nope", None)
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
            match h.client.find(Locator::Css(&tid("error-banner"))).await {
                Ok(b) => b.attr("data-kind").await.unwrap().as_deref() == Some(want),
                Err(_) => false,
            }
        })
        .await;
        let text = h.find("error-banner").await.text().await.unwrap();
        assert!(text.contains("Bland:") || text.contains("Burki:"), "{text}");
        assert!(!text.contains(KEY), "no key in messages");
        // What the person typed is still there.
        assert_eq!(
            h.find("lookup-id")
                .await
                .prop("value")
                .await
                .unwrap()
                .as_deref(),
            Some(id)
        );
    }
    h.finish().await;
}

#[tokio::test]
async fn bad_input_is_caught_at_the_field() {
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    h.lookup("Demo Burki", "burki-call", &[("lookup-id", "CA42f")])
        .await;
    let msg = h.find("field-error").await.text().await.unwrap();
    assert!(msg.contains("whole number"), "{msg}");
    assert_eq!(
        h.find("lookup-id")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("CA42f")
    );
    // The demo rows already shown stay.
    assert!(!h.all("delivery-row").await.is_empty());
    // A base URL with credentials is refused with a reason, and the form keeps its values.
    h.click("nav-connections").await;
    h.click("connection-add").await;
    h.type_into("connection-name", "Bad").await;
    h.type_into("connection-base-url", "https://user:pw@api.bland.ai")
        .await;
    h.click("connection-save").await;
    let errs = h.find("connection-errors").await.text().await.unwrap();
    assert!(errs.contains("credentials"), "{errs}");
    assert_eq!(
        h.find("connection-name")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("Bad")
    );
    h.finish().await;
}

#[tokio::test]
async fn filter_select_and_reopen_from_link() {
    let h = setup().await;
    h.open("/").await;
    h.until("demo rows", || async { h.row_count().await >= 150 })
        .await;
    let total = h.row_count().await;
    h.select("filter-status", "failed").await;
    h.until("only failed rows", || async { h.row_count().await < total })
        .await;
    let statuses = h.rows_attr("data-status").await;
    assert!(!statuses.is_empty());
    assert!(statuses.iter().all(|s| s == "failed"));
    assert_eq!(statuses.len(), h.row_count().await);

    h.find("delivery-row").await.click().await.unwrap();
    h.find("attempt").await;
    let attempts = h.all("attempt").await;
    assert!(attempts.len() >= 2, "failed demo deliveries were retried");
    assert!(!h
        .find("payload-view")
        .await
        .text()
        .await
        .unwrap()
        .is_empty());
    let url = h.client.current_url().await.unwrap().to_string();
    assert!(
        url.contains("status=failed") && url.contains("sel="),
        "{url}"
    );

    // Pasting the link reopens the same view: filter, rows, selection.
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(&url).await.unwrap();
    h.find("attempt").await;
    assert_eq!(
        h.find("filter-status")
            .await
            .prop("value")
            .await
            .unwrap()
            .as_deref(),
        Some("failed")
    );
    assert!(h
        .rows_attr("data-status")
        .await
        .iter()
        .all(|s| s == "failed"));

    // The status summary filters too, and a header click sorts (both kept in the URL).
    h.client
        .find(Locator::Css(
            "[data-testid=\"status-summary\"] [data-status=\"retrying\"]",
        ))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.until("only retrying rows", || async {
        h.rows_attr("data-status")
            .await
            .iter()
            .all(|s| s == "retrying")
    })
    .await;
    h.click("sort-code").await;
    h.until("sorted by code in the URL", || async {
        h.client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("sort=-code")
    })
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

// ---------- regression tests for the review's defect classes (issue 5) ----------

impl Harness {
    async fn local_storage(&self, key: &str) -> Option<String> {
        let v = self
            .client
            .execute(
                "return window.localStorage.getItem(arguments[0])",
                vec![serde_json::json!(key)],
            )
            .await
            .unwrap();
        v.as_str().map(str::to_string)
    }

    async fn text(&self, id: &str) -> String {
        self.find(id).await.text().await.unwrap()
    }

    /// Clicks the row of delivery `id`, once it is there: the table may re-render between
    /// reading its IDs and the click (a lookup that finds one delivery opens it).
    async fn click_row(&self, id: &str) {
        self.until(&format!("row {id} clicked"), || async {
            self.client
                .execute(
                    "const r = document.querySelector(`[data-testid=delivery-row][data-id=\"${CSS.escape(arguments[0])}\"]`); if (r) { r.click(); } return !!r;",
                    vec![serde_json::json!(id)],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        })
        .await;
    }

    /// Shows only failed deliveries and waits until the table does.
    async fn only_failed(&self) {
        self.select("filter-status", "failed").await;
        self.until("only failed rows", || async {
            self.rows_attr("data-status")
                .await
                .iter()
                .all(|s| s == "failed")
        })
        .await;
    }

    /// Adds a connection to the simulator with its key remembered (it survives reloads).
    async fn add_remembered_connection(&self, vendor: &str, name: &str) {
        self.click("nav-connections").await;
        self.click("connection-add").await;
        self.select("connection-vendor", vendor).await;
        self.type_into("connection-name", name).await;
        self.type_into("connection-base-url", &self.sim.clone())
            .await;
        self.type_into("connection-key", KEY).await;
        self.click("connection-remember").await;
        self.click("connection-save").await;
        let n = name.to_string();
        self.until("the key is remembered", || async {
            self.local_storage("hookscope.keys.v1")
                .await
                .unwrap_or_default()
                .contains(&format!("\"{n}\""))
        })
        .await;
    }
}

/// Classes 1 and 2 at the form: a key the browser would refuse and a base URL a browser
/// resolves to another host are refused with a reason; plain http off this machine is
/// warned about; what was typed stays.
#[tokio::test]
async fn the_connection_form_refuses_unsendable_keys_and_foreign_hosts() {
    let h = setup().await;
    h.open("/connections").await;
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
            h.find("connection-base-url")
                .await
                .prop("value")
                .await
                .unwrap()
                .as_deref(),
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
    let h = setup().await;
    h.open("/connections").await;
    h.find("connection-row").await;
    let settings = format!(
        r#"[{{"name":"Sim Bland","vendor":"bland","base_url":"{}","remember":true,"timeout_secs":99999999999}}]"#,
        h.sim
    );
    h.client
        .execute(
            "localStorage.setItem('hookscope.connections.v1', arguments[0]); localStorage.setItem('hookscope.keys.v1', arguments[1]);",
            vec![serde_json::json!(settings), serde_json::json!(r#"{"Sim Bland":"sim-key\u200b"}"#)],
        )
        .await
        .unwrap();
    h.client.refresh().await.unwrap();
    let notice = h.text("storage-notice").await;
    assert!(
        notice.contains("zero-width space") && notice.contains("timeout"),
        "{notice}"
    );
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", "abc")])
        .await;
    h.until("a banner, not an endless Loading…", || async {
        h.attrs("error-banner", "data-kind")
            .await
            .first()
            .map(String::as_str)
            == Some("unauthorized")
    })
    .await;
    assert!(h.all("load-progress").await.is_empty());
    h.finish().await;
}

/// Class 4: "Forget all keys" in one tab clears the keys of every open tab, and a later
/// save in the other tab does not write them back.
#[tokio::test]
async fn forgotten_keys_stay_forgotten_in_every_tab() {
    let h = setup().await;
    h.open("/connections").await;
    h.click("connection-add").await;
    h.select("connection-vendor", "bland").await;
    h.type_into("connection-name", "Sim Bland").await;
    h.type_into("connection-base-url", &h.sim.clone()).await;
    h.type_into("connection-key", "sim-key-remembered").await;
    h.click("connection-remember").await;
    h.click("connection-save").await;
    h.until("the key is remembered", || async {
        h.local_storage("hookscope.keys.v1")
            .await
            .unwrap_or_default()
            .contains("sim-key-remembered")
    })
    .await;
    let tab_a = h.client.window().await.unwrap();
    let tab_b = h.client.new_window(true).await.unwrap().handle;
    h.client.switch_to_window(tab_b.clone()).await.unwrap();
    h.open("/connections").await;
    h.find("connection-row").await;
    h.click("forget-keys").await;
    h.client.switch_to_window(tab_a.clone()).await.unwrap();
    h.until("tab A dropped the key", || async {
        let masked = h
            .client
            .execute(
                "const r = document.querySelector('[data-testid=connection-row][data-name=\"Sim Bland\"] [data-testid=connection-key-masked]'); return r ? r.textContent : ''",
                vec![],
            )
            .await
            .unwrap();
        masked.as_str().unwrap_or("").starts_with("none")
            && h.text("storage-notice").await.contains("another tab")
    })
    .await;
    // A save in tab A writes settings; the forgotten key must not come back.
    h.click("connection-add").await;
    h.type_into("connection-name", "Another").await;
    h.click("connection-save").await;
    h.until("the new connection row", || async {
        h.attrs("connection-row", "data-name")
            .await
            .iter()
            .any(|n| n == "Another")
    })
    .await;
    let keys = h.local_storage("hookscope.keys.v1").await;
    assert!(keys.is_none(), "forgotten key written back: {keys:?}");
    h.client.switch_to_window(tab_b).await.unwrap();
    h.no_crash().await;
    h.client.close_window().await.unwrap();
    h.client.switch_to_window(tab_a).await.unwrap();
    h.finish().await;
}

/// Class 3 in the table: when Talkover's pages shift during a load, every row is one
/// delivery, filters show exactly the matching rows, and the result says what happened.
#[tokio::test]
async fn shifted_pages_show_each_delivery_once() {
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    h.lookup(
        "Demo Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_shifting"),
        ],
    )
    .await;
    h.until("the note about shifted pages", || async {
        h.client
            .find(Locator::Css(&tid("lookup-notes")))
            .await
            .is_ok()
    })
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
            let total: usize = h
                .attr("table-scroll", "data-total-rows")
                .await
                .and_then(|t| t.parse().ok())
                .unwrap_or(usize::MAX);
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

// ---------- bulk create / resend (issue 6) ----------

impl Harness {
    /// Sets a text field's value at once (1,000 lines typed key by key would take minutes)
    /// and fires the input event the app listens to.
    async fn paste(&self, id: &str, text: &str) {
        self.find(id).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::json!(tid(id)), serde_json::json!(text)],
            )
            .await
            .unwrap();
    }

    async fn sim_post(&self, path: &str, body: serde_json::Value) {
        let js = "const r = await fetch(arguments[0], {method: 'POST', body: arguments[1]}); return r.status;";
        let _ = self
            .client
            .execute_async(
                &format!("const done = arguments[arguments.length - 1]; (async () => {{ {js} }})().then(done, e => done(String(e)));"),
                vec![serde_json::json!(format!("{}{path}", self.sim)), serde_json::json!(body.to_string())],
            )
            .await
            .unwrap();
    }

    /// Request size and concurrency of the next bulk run.
    async fn set_chunking(&self, chunk: usize, concurrency: usize) {
        for (id, v) in [("bulk-chunk", chunk), ("bulk-concurrency", concurrency)] {
            self.client
                .execute(
                    "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('change', {bubbles: true}));",
                    vec![serde_json::json!(tid(id)), serde_json::json!(v.to_string())],
                )
                .await
                .unwrap();
        }
    }

    async fn sim_requests(&self) -> Vec<serde_json::Value> {
        let v = self
            .client
            .execute_async(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.json()).then(done, e => done([]));",
                vec![serde_json::json!(format!("{}/__sim/requests", self.sim))],
            )
            .await
            .unwrap();
        serde_json::from_value(v).unwrap_or_default()
    }

    /// `data-call-id` → `data-outcome` of every result row.
    async fn bulk_outcomes(&self) -> std::collections::HashMap<String, String> {
        let ids = self.attrs("bulk-result-row", "data-call-id").await;
        let outs = self.attrs("bulk-result-row", "data-outcome").await;
        ids.into_iter().zip(outs).collect()
    }

    async fn bulk_done(&self, total: usize) {
        self.until(&format!("bulk run of {total} finished"), || async {
            let done = self.attrs("bulk-progress", "data-done").await;
            let summary = self.all("bulk-summary").await;
            done.first().map(String::as_str) == Some(&total.to_string()[..])
                && !summary.is_empty()
                && self.all("bulk-cancel").await.is_empty()
        })
        .await;
    }
}

/// The demo calls (135 with a webhook already, 15 without), calls Bland does not know,
/// calls that fail one by one, and some repeated and invalid entries.
fn thousand_ids() -> (String, Vec<(String, &'static str)>) {
    use hookscope_core::demo::data as demo;
    let mut want = Vec::new();
    for i in 0..demo::BLAND_CALLS {
        let outcome = if demo::bland_call_has_webhook(i) {
            "already-sent"
        } else {
            "created"
        };
        want.push((demo::bland_call_id(i), outcome));
    }
    for i in 0..830 {
        want.push((format!("unknown-call-{i:04}"), "invalid"));
    }
    for i in 0..20 {
        want.push((format!("fail-{i:02}"), "failed"));
    }
    let mut lines: Vec<String> = want.iter().map(|(id, _)| id.clone()).collect();
    lines.insert(10, want[0].0.clone());
    lines.push("..".into());
    (lines.join("\r\n"), want)
}

/// 1,000 calls to the simulator with already-sent, invalid and failing calls and a 429 in
/// the middle: every call gets its outcome, and a created call's lookup shows `create`.
#[tokio::test]
async fn bulk_create_of_1000_calls() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("bland", "Sim Bland", &sim, KEY, None)
        .await;
    h.sim_post("/__sim/reset", serde_json::json!({})).await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"rate_limit_at": [4], "retry_after": "1", "only_path": "/v1/postcall/webhooks/create"}),
    )
    .await;
    h.click("nav-bulk").await;
    h.select("bulk-connection", "Sim Bland").await;
    h.select("bulk-mode", "create").await;
    let (text, want) = thousand_ids();
    h.paste("bulk-ids", &text).await;
    h.until("1,000 valid IDs understood", || async {
        h.attr("bulk-parsed", "data-valid").await.as_deref() == Some("1000")
    })
    .await;
    assert_eq!(
        h.attr("bulk-parsed", "data-duplicates").await.as_deref(),
        Some("1")
    );
    assert_eq!(
        h.attr("bulk-parsed", "data-invalid").await.as_deref(),
        Some("1")
    );
    h.type_into("bulk-url", "https://hooks.example.com/bland/post-call")
        .await;
    h.click("bulk-review").await;
    let review = h.text("bulk-review-panel").await;
    assert!(
        review.contains("1000 call(s) → https://hooks.example.com/bland/post-call")
            && review.contains("Sim Bland"),
        "{review}"
    );
    // A double click sends once: the second click finds the run started.
    let confirm = h.find("bulk-confirm").await;
    confirm.click().await.unwrap();
    let _ = confirm.click().await;
    h.bulk_done(1000).await;
    let got = h.bulk_outcomes().await;
    assert_eq!(got.len(), 1000);
    for (id, outcome) in &want {
        assert_eq!(got.get(id).map(String::as_str), Some(*outcome), "{id}");
    }
    let s = |k: &str| {
        let h = &h;
        let k = k.to_string();
        async move {
            h.attr("bulk-summary", &format!("data-{k}"))
                .await
                .unwrap_or_default()
        }
    };
    assert_eq!(s("created").await, "15");
    assert_eq!(s("already-sent").await, "135");
    assert_eq!(s("invalid").await, "830");
    assert_eq!(s("failed").await, "20");
    let log = h.sim_requests().await;
    assert_eq!(
        log.len(),
        21,
        "20 requests of 50 IDs, plus the one refused with 429"
    );
    assert_eq!(log.iter().filter(|r| r["limited"] == true).count(), 1);
    // A later lookup of a created call shows its `create` attempt.
    let created = hookscope_core::demo::data::bland_call_id(9);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &created)])
        .await;
    h.until("the created call's create attempt", || async {
        h.rows_attr("data-id").await.len() == 1
    })
    .await;
    h.find("delivery-row").await.click().await.unwrap();
    h.until("attempt with trigger create", || async {
        h.attrs("attempt", "data-trigger")
            .await
            .last()
            .map(String::as_str)
            == Some("create")
    })
    .await;
    h.finish().await;
}

/// Preflight marks each call; a run is cancelled mid-way (skipped calls reported), the
/// page is reloaded and continues with the rest without re-sending any; "retry failed"
/// sends only the failed calls; the results export.
#[tokio::test]
async fn bulk_preflight_cancel_reload_continue_and_retry_failed() {
    use hookscope_core::demo::data as demo;
    let h = setup().await;
    h.open("/connections").await;
    // Remembered, so the key is still there after the reload.
    h.add_remembered_connection("bland", "Sim Bland").await;
    h.sim_post("/__sim/reset", serde_json::json!({})).await;
    h.click("nav-bulk").await;
    h.select("bulk-connection", "Sim Bland").await;
    h.select("bulk-mode", "resend").await;
    let mut ids: Vec<String> = (0..40).map(demo::bland_call_id).collect();
    ids.push("fail-a".into());
    ids.push("nope-call".into());
    h.paste("bulk-ids", &ids.join("\n")).await;
    h.click("bulk-preflight").await;
    h.until("every call checked", || async {
        let p = h.attrs("bulk-result-row", "data-preflight").await;
        p.len() == 42 && p.iter().all(|x| !x.is_empty())
    })
    .await;
    let pre: std::collections::HashMap<String, String> = h
        .attrs("bulk-result-row", "data-call-id")
        .await
        .into_iter()
        .zip(h.attrs("bulk-result-row", "data-preflight").await)
        .collect();
    assert_eq!(pre[&demo::bland_call_id(0)], "ready");
    assert_eq!(
        pre[&demo::bland_call_id(9)],
        "not-found",
        "nothing to resend yet"
    );
    assert_eq!(pre["nope-call"], "not-found");
    // Slow requests of 2 calls, one at a time, so the run can be cancelled and reloaded.
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"latency_ms": 400, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    h.set_chunking(2, 1).await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.until("a few calls done", || async {
        h.attrs("bulk-progress", "data-done")
            .await
            .first()
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
            >= 4
    })
    .await;
    // Reload mid-run: the journal says which calls were done.
    h.client.refresh().await.unwrap();
    h.find("bulk-resume").await;
    let before = h.bulk_outcomes().await;
    let done_before: Vec<&String> = before
        .iter()
        .filter(|(_, o)| !o.is_empty())
        .map(|(i, _)| i)
        .collect();
    assert!(
        done_before.len() >= 4 && done_before.len() < 42,
        "{}",
        done_before.len()
    );
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    h.click("bulk-continue").await;
    let n: usize = h
        .attr("bulk-review-panel", "data-count")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert_eq!(
        n,
        42 - done_before.len(),
        "only the calls not done are offered"
    );
    h.click("bulk-confirm").await;
    h.until("the rest finished", || async {
        h.all("bulk-cancel").await.is_empty()
            && h.bulk_outcomes().await.values().all(|o| !o.is_empty())
    })
    .await;
    let after = h.bulk_outcomes().await;
    for id in &done_before {
        assert_eq!(after[*id], before[*id], "{id} was not sent again");
    }
    assert_eq!(after["fail-a"], "failed");
    let resend_requests = h.sim_requests().await.len();
    // After the reload the request size is back to its default (50).
    assert_eq!(
        resend_requests,
        n.div_ceil(50),
        "only the rest was sent after the reload"
    );
    // Retry failed: only the failed call is offered, and only it is sent.
    h.click("bulk-retry-failed").await;
    assert_eq!(
        h.attr("bulk-review-panel", "data-count").await.as_deref(),
        Some("1")
    );
    h.click("bulk-confirm").await;
    h.until("the retry finished", || async {
        h.all("bulk-cancel").await.is_empty()
            && h.bulk_outcomes()
                .await
                .get("fail-a")
                .is_some_and(|o| !o.is_empty())
    })
    .await;
    assert_eq!(
        h.sim_requests().await.len(),
        resend_requests + 1,
        "one request, for the failed call only"
    );
    let again = h.bulk_outcomes().await;
    assert_eq!(again["fail-a"], "failed");
    for (id, o) in &after {
        if id != "fail-a" {
            assert_eq!(&again[id], o, "{id} kept its outcome");
        }
    }
    // Cancel mid-run: what was never sent is skipped.
    h.click("bulk-clear").await;
    h.set_chunking(2, 1).await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"latency_ms": 400, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.until("one request done", || async {
        h.attrs("bulk-progress", "data-done")
            .await
            .first()
            .map(String::as_str)
            .is_some_and(|d| d != "0")
    })
    .await;
    h.click("bulk-cancel").await;
    h.until("cancelled", || async {
        h.all("bulk-cancel").await.is_empty()
    })
    .await;
    let skipped: usize = h
        .attr("bulk-summary", "data-skipped")
        .await
        .unwrap()
        .parse()
        .unwrap();
    assert!(skipped > 20, "most calls were never sent: {skipped}");
    h.click("bulk-export").await;
    h.finish().await;
}

/// A read-only connection cannot send; the reason is said.
#[tokio::test]
async fn bulk_is_blocked_on_a_read_only_connection() {
    let h = setup().await;
    h.open("/connections").await;
    h.click("connection-add").await;
    h.select("connection-vendor", "bland").await;
    h.type_into("connection-name", "Review only").await;
    h.type_into("connection-base-url", &h.sim.clone()).await;
    h.type_into("connection-key", KEY).await;
    h.click("connection-readonly").await;
    h.click("connection-save").await;
    h.until("row marked read-only", || async {
        h.attrs("connection-row", "data-readonly")
            .await
            .iter()
            .any(|r| r == "true")
    })
    .await;
    h.click("nav-bulk").await;
    h.select("bulk-connection", "Review only").await;
    h.paste("bulk-ids", "abc-123").await;
    h.type_into("bulk-url", "https://hooks.example.com/x").await;
    h.click("bulk-review").await;
    let p = h.text("bulk-problem").await;
    assert!(p.contains("read-only"), "{p}");
    assert!(h.all("bulk-confirm").await.is_empty());
    h.finish().await;
}

/// Demo mode: no key, generated outcomes of every kind, a 429 countdown and a 503 retried.
#[tokio::test]
async fn bulk_in_demo_mode_shows_the_whole_flow() {
    let h = setup().await;
    h.open("/bulk").await;
    h.find("demo-badge").await;
    h.click("bulk-demo-ids").await;
    h.until("demo IDs understood", || async {
        h.attr("bulk-parsed", "data-valid").await.as_deref() == Some("152")
    })
    .await;
    h.type_into("bulk-url", "https://hooks.example.com/demo")
        .await;
    h.click("bulk-review").await;
    h.click("bulk-confirm").await;
    h.find("bulk-countdown").await;
    h.bulk_done(152).await;
    for (k, min) in [
        ("created", 1),
        ("already-sent", 1),
        ("invalid", 1),
        ("failed", 1),
    ] {
        let n: usize = h
            .attr("bulk-summary", &format!("data-{k}"))
            .await
            .unwrap()
            .parse()
            .unwrap();
        assert!(n >= min, "{k}: {n}");
    }
    h.finish().await;
}

/// Two tabs: a run in progress in one is visible in the other, whose Confirm is blocked
/// until it ends.
#[tokio::test]
async fn a_bulk_run_in_one_tab_blocks_the_other() {
    let h = setup().await;
    h.open("/connections").await;
    h.add_remembered_connection("bland", "Sim Bland").await;
    h.sim_post("/__sim/reset", serde_json::json!({})).await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"latency_ms": 1000, "only_path": "/v1/postcall/webhooks/resend"}),
    )
    .await;
    let ids: Vec<String> = (0..12)
        .map(hookscope_core::demo::data::bland_call_id)
        .collect();
    let start_run = || async {
        h.click("nav-bulk").await;
        h.select("bulk-connection", "Sim Bland").await;
        h.select("bulk-mode", "resend").await;
        h.paste("bulk-ids", &ids.join("\n")).await;
        h.set_chunking(2, 1).await;
        h.click("bulk-review").await;
    };
    start_run().await;
    h.click("bulk-confirm").await;
    let tab_a = h.client.window().await.unwrap();
    let tab_b = h.client.new_window(true).await.unwrap().handle;
    h.client.switch_to_window(tab_b.clone()).await.unwrap();
    h.open("/bulk").await;
    h.find("bulk-other-tab").await;
    // Clearing this tab's view never removes the other tab's live journal.
    h.click("bulk-clear").await;
    assert!(h.local_storage("hookscope.bulk.journal.v1").await.is_some());
    start_run().await;
    let p = h.text("bulk-problem").await;
    assert!(p.contains("another tab"), "{p}");
    assert!(
        h.all("bulk-confirm").await.is_empty(),
        "no way to send twice"
    );
    h.no_crash().await;
    h.client.close_window().await.unwrap();
    h.client.switch_to_window(tab_a).await.unwrap();
    h.bulk_done(12).await;
    h.finish().await;
}

// ---------- delivery detail (issue 8) ----------

/// A failed delivery says why in one sentence with its cause; the explorer counts the
/// shown failures by cause.
#[tokio::test]
async fn failed_deliveries_are_diagnosed() {
    let h = setup().await;
    h.open("/").await;
    h.until("demo rows", || async { h.row_count().await >= 150 })
        .await;
    let causes = h.attrs("cause-counts", "data-testid").await;
    assert_eq!(causes.len(), 1);
    h.only_failed().await;
    h.find("delivery-row").await.click().await.unwrap();
    let cause = h.attr("diagnosis", "data-cause").await.unwrap();
    let known = [
        "timeout",
        "connection",
        "tls",
        "dns",
        "client-error",
        "auth",
        "not-found",
        "server-error",
        "rate-limited",
        "redirect",
        "unknown",
    ];
    assert!(known.contains(&cause.as_str()), "{cause}");
    let text = h.text("diagnosis").await;
    assert!(
        text.starts_with("Why it failed:") && text.len() > 40,
        "{text}"
    );
    h.finish().await;
}

/// Replay one: a Talkover retry is accepted, the delivery is looked up again and the new
/// attempt shows; a successful log's retry is explained in plain words.
#[tokio::test]
async fn a_retry_shows_its_new_attempt() {
    let h = setup().await;
    h.open("/").await;
    h.until("demo rows", || async { h.row_count().await >= 150 })
        .await;
    h.only_failed().await;
    h.find("delivery-row").await.click().await.unwrap();
    h.find("attempt").await;
    let before = h.all("attempt").await.len();
    let id = h.attr("delivery-detail", "data-id").await.unwrap();
    h.click("retry-button").await;
    h.until("the new attempt", || async {
        h.attrs("delivery-detail", "data-id").await.first() == Some(&id)
            && h.all("attempt").await.len() == before + 1
    })
    .await;
    let outcomes = h.attrs("attempt", "data-outcome").await;
    assert_eq!(outcomes.last().map(String::as_str), Some("success"));
    h.finish().await;
}

/// Reproduce: the HAR download and the curl command of a delivery looked up with a key
/// hold the delivery, never the key.
#[tokio::test]
async fn har_and_curl_carry_the_delivery_not_the_key() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("talkover", "Sim Talkover", &sim, KEY, None)
        .await;
    h.lookup(
        "Sim Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_crm"),
        ],
    )
    .await;
    h.until("Talkover rows", || async { h.row_count().await > 5 })
        .await;
    h.find("delivery-row").await.click().await.unwrap();
    h.find("attempt").await;
    let attempts = h.all("attempt").await.len();
    // Capture what would be downloaded and copied.
    h.client
        .execute(
            "window.__blobs = []; URL.createObjectURL = b => { window.__blobs.push(b); return 'blob:captured'; };
             window.__copied = []; navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };",
            vec![],
        )
        .await
        .unwrap();
    h.click("export-har").await;
    h.click("copy-curl").await;
    let har = h
        .client
        .execute_async(
            "const done = arguments[arguments.length - 1]; window.__blobs[0].text().then(done);",
            vec![],
        )
        .await
        .unwrap();
    let har = har.as_str().unwrap().to_string();
    assert!(!har.contains(KEY), "no key in the HAR");
    let v: serde_json::Value = serde_json::from_str(&har).unwrap();
    assert_eq!(v["log"]["version"], "1.2");
    assert_eq!(v["log"]["entries"].as_array().unwrap().len(), attempts);
    let curl = h
        .client
        .execute("return window.__copied[0]", vec![])
        .await
        .unwrap();
    let curl = curl.as_str().unwrap();
    assert!(
        curl.starts_with("curl ") && curl.contains("$TALKOVER_API_KEY"),
        "{curl}"
    );
    assert!(!curl.contains(KEY), "{curl}");
    h.finish().await;
}

/// The deliveries the demo vendor serves for `path` (the same generator the page runs).
fn demo_deliveries(paths: &[String]) -> Vec<hookscope_core::Delivery> {
    use hookscope_core::demo::{DemoApi, DemoRequest};
    use hookscope_core::vendors::{bland, burki, talkover};
    let api = DemoApi::new(chrono::Utc::now());
    let mut out = Vec::new();
    let mut talk_logs = Vec::new();
    for p in paths {
        let (path, q) = p.split_once('?').unwrap_or((p, ""));
        let query = q
            .split('&')
            .filter(|x| !x.is_empty())
            .map(|x| {
                let (k, v) = x.split_once('=').unwrap();
                (k.to_string(), v.to_string())
            })
            .collect();
        let r = api.handle(&DemoRequest {
            method: Some(hookscope_core::Method::Get),
            path: path.into(),
            query,
            ..Default::default()
        });
        let req = hookscope_core::ApiRequest {
            vendor: hookscope_core::Vendor::Bland,
            method: hookscope_core::Method::Get,
            path: path.into(),
            query: vec![],
            body: None,
        };
        if path.starts_with("/v1/") {
            out.push(bland::decode_postcall(&req, None, r.status, &r.body).unwrap());
        } else if path.contains("/calls/") {
            out.extend(burki::decode_logs(&req, r.status, &r.body).unwrap());
        } else {
            talk_logs.extend(talkover::decode_page(&req, r.status, &r.body).unwrap().logs);
        }
    }
    out.extend(talkover::to_deliveries(&talk_logs));
    out
}

/// Each vendor's timeline, read from `data-*` only: count, order, outcome and trigger of
/// every attempt match what the vendor's logs say.
#[tokio::test]
async fn timelines_of_each_vendor_match_the_logs() {
    use hookscope_core::demo::data as demo;
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    let bland_call =
        demo::bland_call_id(demo::bland_call_resent_after_failure(chrono::Utc::now()).unwrap());
    let burki_call = demo::burki_call_with_failures(chrono::Utc::now())
        .unwrap()
        .to_string();
    // (connection, lookup kind, form fields, the vendor paths that hold its logs)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, String)>, Vec<String>);
    let cases: Vec<Case> = vec![
        ("Demo Bland", "bland-call", vec![("lookup-id", bland_call.clone())], vec![format!("/v1/postcall/webhooks/{bland_call}")]),
        ("Demo Burki", "burki-call", vec![("lookup-id", burki_call.clone())], vec![format!("/api/v1/calls/{burki_call}/webhook-logs")]),
        (
            "Demo Talkover",
            "talkover-agent",
            vec![("lookup-owner-id", "agt_demo_support".into()), ("lookup-webhook-id", "wh_demo_primary".into())],
            (1..=3).map(|p| format!("/api/v1/agents/agt_demo_support/webhooks/wh_demo_primary/logs?per_page=100&page={p}")).collect(),
        ),
    ];
    for (conn, kind, fields, paths) in cases {
        let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
        h.lookup(conn, kind, &fields).await;
        h.until(&format!("{conn} rows"), || async {
            h.rows_attr("data-vendor").await.first().map(String::as_str)
                == Some(&kind[..kind.find('-').unwrap()])
        })
        .await;
        let want = demo_deliveries(&paths);
        // The row with the most attempts.
        let ids = h.rows_attr("data-id").await;
        let pick = ids
            .iter()
            .max_by_key(|id| {
                want.iter()
                    .find(|d| &d.id == *id)
                    .map_or(0, |d| d.attempts.len())
            })
            .unwrap()
            .clone();
        let d = want.iter().find(|d| d.id == pick).unwrap();
        h.click_row(&pick).await;
        h.until(&format!("{conn} timeline"), || async {
            h.attrs("delivery-detail", "data-id").await.first() == Some(&pick)
                && h.all("attempt").await.len() == d.attempts.len()
        })
        .await;
        assert_eq!(h.all("timeline").await.len(), 1);
        let outcomes = h.attrs("attempt", "data-outcome").await;
        let triggers = h.attrs("attempt", "data-trigger").await;
        let codes = h.attrs("attempt", "data-http-code").await;
        for (i, a) in d.attempts.iter().enumerate() {
            assert_eq!(outcomes[i], a.outcome.id(), "{conn} #{i}");
            assert_eq!(triggers[i], a.trigger, "{conn} #{i}");
            assert_eq!(
                codes[i],
                a.http_code.map(|c| c.to_string()).unwrap_or_default(),
                "{conn} #{i}"
            );
        }
        assert!(
            d.attempts.len() >= 2,
            "{conn}: a delivery with several attempts"
        );
    }
    h.finish().await;
}

/// Untrusted content stays text: HTML and script in every field a vendor or a target
/// controls (event, IDs, payload keys and values, response bodies and headers, errors,
/// triggers, target URLs) is shown as text through the table, the detail, the timeline,
/// the filters, the exports, HAR and curl; nothing executes, no element is injected, and
/// a `javascript:` target is never a link.
#[tokio::test]
async fn hostile_vendor_content_never_runs() {
    use hookscope_core::demo::data as demo;
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    h.client
        .execute(
            "window.__blobs = []; URL.createObjectURL = b => { window.__blobs.push(b); return 'blob:captured'; };
             navigator.clipboard.writeText = t => Promise.resolve();",
            vec![],
        )
        .await
        .unwrap();
    let burki = demo::HOSTILE_BURKI_CALL.to_string();
    // (connection, lookup kind, form fields)
    type Case<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>);
    let cases: [Case; 3] = [
        (
            "Demo Talkover",
            "talkover-agent",
            vec![
                ("lookup-owner-id", "agt_demo_support"),
                ("lookup-webhook-id", demo::HOSTILE_TALKOVER_HOOK),
            ],
        ),
        (
            "Demo Bland",
            "bland-call",
            vec![("lookup-id", demo::HOSTILE_BLAND_CALL)],
        ),
        ("Demo Burki", "burki-call", vec![("lookup-id", &burki)]),
    ];
    for (conn, kind, fields) in cases {
        h.lookup(conn, kind, &fields).await;
        let vendor = &kind[..kind.find('-').unwrap()];
        h.until(&format!("{conn} hostile rows"), || async {
            h.rows_attr("data-vendor").await.first().map(String::as_str) == Some(vendor)
        })
        .await;
        let ids = h.rows_attr("data-id").await;
        for id in &ids {
            h.click_row(id).await;
            h.until("its detail", || async {
                h.attrs("delivery-detail", "data-id").await.first() == Some(id)
            })
            .await;
            // Numbers a JSON library would round are shown exactly as sent.
            let payload = h.text("payload-view").await;
            assert!(
                payload.contains("12345678901234567890123") && payload.contains("1.10"),
                "{conn}: {payload}"
            );
            // Every attempt, each with its response shown; HAR and curl built.
            let rows = h.all("attempt-row").await;
            for r in rows {
                r.click().await.unwrap();
            }
            h.click("export-har").await;
            h.click("copy-curl").await;
        }
        h.type_into("filter-search", "<script").await;
        h.click("export-csv").await;
        h.click("export-json").await;
        let shown = h
            .client
            .execute("return document.body.innerText", vec![])
            .await
            .unwrap();
        assert!(
            shown.as_str().unwrap_or("").contains("window.__pwned=1"),
            "{conn}: the hostile text is shown, as text"
        );
        h.select("filter-status", "").await;
    }
    let pwned = h
        .client
        .execute(
            "return [window.__pwned === undefined, document.querySelectorAll('[data-injected]').length, document.querySelectorAll('a[href^=\"javascript:\"]').length, document.querySelectorAll('script:not([src])').length]",
            vec![],
        )
        .await
        .unwrap();
    let v = pwned.as_array().unwrap();
    assert_eq!(v[0], serde_json::json!(true), "no hostile script ran");
    assert_eq!(v[1], serde_json::json!(0), "no element was injected");
    assert_eq!(v[2], serde_json::json!(0), "no javascript: link");
    let inline_scripts = v[3].as_u64().unwrap();
    assert!(
        inline_scripts <= 1,
        "only Trunk's own loader is an inline script: {inline_scripts}"
    );
    let blobs = h
        .client
        .execute("return window.__blobs.length", vec![])
        .await
        .unwrap();
    assert!(
        blobs.as_u64().unwrap() >= 6,
        "HAR, CSV and JSON were produced: {blobs}"
    );
    h.finish().await;
}

/// The payload and response viewers: a tree with paths, expand all, search with
/// highlighted matches and a raw view; a response body keeps its numbers exactly as sent.
#[tokio::test]
async fn payload_and_response_viewers() {
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    let call = hookscope_core::demo::data::bland_call_id(1);
    h.lookup("Demo Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.until("one row", || async {
        h.rows_attr("data-id").await.len() == 1
    })
    .await;
    // A lookup that finds one delivery opens it, and the URL addresses it.
    h.find("delivery-detail").await;
    h.until("the URL names the delivery", || async {
        h.client
            .current_url()
            .await
            .unwrap()
            .as_str()
            .contains("sel=post_call")
    })
    .await;
    h.find("payload-view").await;
    let paths = h.attrs("json-node", "data-path").await;
    assert!(
        paths.contains(&"$".to_string()) && paths.contains(&"$.call_id".to_string()),
        "{paths:?}"
    );
    assert!(
        !paths.contains(&"$.variables.ticket".to_string()),
        "nested levels open on demand"
    );
    h.click("json-expand-all").await;
    h.until("every level open", || async {
        h.attrs("json-node", "data-path")
            .await
            .contains(&"$.variables.ticket".to_string())
    })
    .await;
    let search = h
        .client
        .find(Locator::Css(
            "[data-testid=payload-view] input[type=search]",
        ))
        .await
        .unwrap();
    search.send_keys("customer_tier").await.unwrap();
    h.until("a highlighted match", || async {
        h.client
            .find_all(Locator::Css("[data-testid=payload-view] .jn--match"))
            .await
            .map(|v| v.len() == 1)
            .unwrap_or(false)
    })
    .await;
    assert_eq!(h.text("json-matches").await, "1 match(es)");
    h.finish().await;
}

/// Compare two attempts: facts side by side with differences marked, and a line diff of
/// the bodies.
#[tokio::test]
async fn two_attempts_compared() {
    let h = setup().await;
    h.open("/").await;
    h.until("demo rows", || async { h.row_count().await >= 150 })
        .await;
    h.only_failed().await;
    h.find("delivery-row").await.click().await.unwrap();
    let compare = h.find("compare-attempts").await;
    compare
        .find(Locator::Css("summary"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    h.until("the comparison table", || async {
        !h.client
            .find_all(Locator::Css(
                "[data-testid=compare-attempts] tr[data-differs]",
            ))
            .await
            .unwrap_or_default()
            .is_empty()
    })
    .await;
    let differs = h
        .client
        .execute(
            "return Array.from(document.querySelectorAll('[data-testid=compare-attempts] tr[data-differs=true] th')).map(e => e.textContent)",
            vec![],
        )
        .await
        .unwrap();
    let differs: Vec<String> = serde_json::from_value(differs).unwrap();
    assert!(
        differs.contains(&"Time".to_string()),
        "two attempts differ at least in time: {differs:?}"
    );
    h.finish().await;
}

/// Replay many: "Retry all shown" acts on every delivery matching the filter, says the
/// count first, runs paced, can be cancelled (the rest is skipped), and the lookup then
/// shows the retried deliveries delivered.
#[tokio::test]
async fn retry_all_shown_with_a_cancel() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("talkover", "Sim Talkover", &sim, KEY, None)
        .await;
    h.lookup(
        "Sim Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_primary"),
        ],
    )
    .await;
    h.until("every page loaded", || async { h.row_count().await >= 150 })
        .await;
    h.only_failed().await;
    let failed = h.row_count().await;
    assert!(failed >= 4, "{failed}");
    h.sim_post("/__sim/reset", serde_json::json!({})).await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"latency_ms": 600, "only_path": "/retry"}),
    )
    .await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-count")
            .await
            .unwrap()
            .parse::<usize>()
            .unwrap(),
        failed
    );
    h.click("replay-confirm").await;
    h.until("some retries done", || async {
        h.attrs("replay-progress", "data-done")
            .await
            .first()
            .and_then(|d| d.parse::<usize>().ok())
            .unwrap_or(0)
            >= 1
    })
    .await;
    h.click("replay-cancel").await;
    h.until("the run ended", || async {
        !h.all("replay-summary").await.is_empty()
    })
    .await;
    let outcomes = h.attrs("replay-result", "data-outcome").await;
    assert_eq!(outcomes.len(), failed, "every delivery has an outcome");
    let queued = outcomes.iter().filter(|o| *o == "queued").count();
    let skipped = outcomes.iter().filter(|o| *o == "skipped").count();
    assert!(
        queued >= 1 && skipped >= 1 && queued + skipped == failed,
        "{outcomes:?}"
    );
    assert_eq!(
        h.sim_requests().await.len(),
        queued,
        "nothing was sent after the cancel"
    );
    // The lookup ran again: the retried deliveries are delivered now.
    h.until("fewer failed rows", || async {
        h.row_count().await == failed - queued
    })
    .await;
    h.finish().await;
}

/// Resend asks first, naming the call and the URL it goes to; the new attempt then shows.
#[tokio::test]
async fn resend_confirms_with_the_call_and_url() {
    let h = setup().await;
    h.open("/explorer").await;
    h.find("delivery-row").await;
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("Demo Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    h.find("attempt").await;
    let before = h.all("attempt").await.len();
    h.click("resend-button").await;
    let ask = h.text("resend-confirm-panel").await;
    assert!(ask.contains(&call) && ask.contains("https://"), "{ask}");
    h.click("resend-confirm").await;
    h.until("the resend attempt", || async {
        h.attrs("attempt", "data-trigger").await.len() == before + 1
    })
    .await;
    assert_eq!(
        h.attrs("attempt", "data-trigger")
            .await
            .last()
            .map(String::as_str),
        Some("resend")
    );
    h.finish().await;
}

/// A read-only connection reviews but never sends: retry, resend and the bulk replays are
/// disabled with the reason in their title.
#[tokio::test]
async fn read_only_blocks_every_action() {
    let h = setup().await;
    h.open("/connections").await;
    for (vendor, name) in [("talkover", "RO Talkover"), ("bland", "RO Bland")] {
        h.click("connection-add").await;
        h.select("connection-vendor", vendor).await;
        h.type_into("connection-name", name).await;
        h.type_into("connection-base-url", &h.sim.clone()).await;
        h.type_into("connection-key", KEY).await;
        h.click("connection-readonly").await;
        h.click("connection-save").await;
        let n = name.to_string();
        h.until("row", || async {
            h.attrs("connection-row", "data-name").await.contains(&n)
        })
        .await;
    }
    let blocked = |id: &'static str| {
        let h = &h;
        async move {
            let el = h.find(id).await;
            assert!(
                el.attr("disabled").await.unwrap().is_some(),
                "{id} is disabled"
            );
            let title = el.attr("title").await.unwrap().unwrap_or_default();
            assert!(title.contains("read-only"), "{id}: {title}");
        }
    };
    h.lookup(
        "RO Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_crm"),
        ],
    )
    .await;
    h.until("rows", || async { h.row_count().await > 3 }).await;
    h.only_failed().await;
    blocked("bulk-retry").await;
    h.find("delivery-row").await.click().await.unwrap();
    blocked("retry-button").await;
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("RO Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    blocked("resend-button").await;
    blocked("bulk-resend").await;
    h.finish().await;
}

/// A delivery's link opens it in a fresh tab.
#[tokio::test]
async fn a_delivery_link_opens_in_a_new_tab() {
    let h = setup().await;
    h.open("/").await;
    h.until("demo rows", || async { h.row_count().await >= 150 })
        .await;
    h.find("delivery-row").await.click().await.unwrap();
    let id = h.attr("delivery-detail", "data-id").await.unwrap();
    let url = h.client.current_url().await.unwrap().to_string();
    let first = h.client.window().await.unwrap();
    let tab = h.client.new_window(true).await.unwrap().handle;
    h.client.switch_to_window(tab).await.unwrap();
    h.client.goto(&url).await.unwrap();
    h.until("the same delivery", || async {
        h.attrs("delivery-detail", "data-id").await.first() == Some(&id)
    })
    .await;
    h.no_crash().await;
    h.client.close_window().await.unwrap();
    h.client.switch_to_window(first).await.unwrap();
    h.finish().await;
}

/// Replay one, failing: Talkover's LOG_NOT_RETRIABLE is said in plain words, and a
/// resend that meets a server error shows the typed banner; nothing else is lost.
#[tokio::test]
async fn retry_and_resend_failures_are_explained() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("talkover", "Sim Talkover", &sim, KEY, None)
        .await;
    h.add_connection("bland", "Sim Bland", &sim, KEY, None)
        .await;
    h.lookup(
        "Sim Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_crm"),
        ],
    )
    .await;
    h.until("rows", || async { h.row_count().await > 3 }).await;
    h.only_failed().await;
    h.find("delivery-row").await.click().await.unwrap();
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"fail_at": [1], "fail_status": 422, "only_path": "/retry"}),
    )
    .await;
    h.click("retry-button").await;
    h.until("the plain-words refusal", || async {
        h.attrs("action-state", "data-state")
            .await
            .first()
            .map(String::as_str)
            == Some("done")
    })
    .await;
    let said = h.text("action-state").await;
    assert!(
        said.contains("Talkover will not retry this log") && said.contains("already succeeded"),
        "{said}"
    );
    let call = hookscope_core::demo::data::bland_call_id(2);
    h.lookup("Sim Bland", "bland-call", &[("lookup-id", &call)])
        .await;
    h.find("delivery-detail").await;
    h.sim_post(
        "/__sim/faults",
        serde_json::json!({"fail_at": [1], "fail_status": 503, "only_path": "/resend"}),
    )
    .await;
    h.click("resend-button").await;
    h.click("resend-confirm").await;
    h.until("a server banner in the detail", || async {
        h.client
            .find(Locator::Css(
                "[data-testid=delivery-detail] [data-testid=error-banner][data-kind=server]",
            ))
            .await
            .is_ok()
    })
    .await;
    assert_eq!(
        h.rows_attr("data-id").await.len(),
        1,
        "the delivery is still shown"
    );
    h.sim_post("/__sim/reset", serde_json::json!({})).await;
    h.finish().await;
}

/// Replay the ticked rows only.
#[tokio::test]
async fn retry_the_ticked_rows() {
    let h = setup().await;
    h.open("/connections").await;
    let sim = h.sim.clone();
    h.add_connection("talkover", "Sim Talkover", &sim, KEY, None)
        .await;
    h.lookup(
        "Sim Talkover",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_primary"),
        ],
    )
    .await;
    h.until("every page loaded", || async { h.row_count().await >= 150 })
        .await;
    h.only_failed().await;
    let boxes = h.all("row-check").await;
    assert!(boxes.len() >= 3);
    boxes[0].click().await.unwrap();
    boxes[2].click().await.unwrap();
    // Count only retries (the lookup runs again after the replay).
    h.sim_post("/__sim/faults", serde_json::json!({"only_path": "/retry"}))
        .await;
    h.click("bulk-retry").await;
    assert_eq!(
        h.attr("replay-panel", "data-count").await.as_deref(),
        Some("2")
    );
    assert!(h.text("replay-panel").await.contains("the ticked rows"));
    h.click("replay-confirm").await;
    h.until("the run ended", || async {
        !h.all("replay-summary").await.is_empty()
    })
    .await;
    assert_eq!(
        h.attrs("replay-result", "data-outcome").await,
        ["queued", "queued"]
    );
    assert_eq!(
        h.sim_requests().await.len(),
        2,
        "only the ticked rows were sent"
    );
    h.finish().await;
}
