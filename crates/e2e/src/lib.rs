//! The end-to-end harness: the release build in `dist/` (Trunk + wasm-opt) served on
//! loopback, driven in headless Chromium through chromedriver, talking to the API
//! simulator over HTTP. Elements are found by `data-testid` only. The tests are in
//! `tests/` (one file per area); each uses [`setup`] and the [`Harness`] helpers.

pub mod caddy;
pub mod nginx;
pub mod proxy;
pub mod site;
pub mod team;
pub mod tls;

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const KEY: &str = "sim-key";

/// WebDriver's codes for the keys the keyboard tests press.
pub const DOWN: &str = "\u{E015}";
pub const ENTER: &str = "\u{E007}";
pub const ESCAPE: &str = "\u{E00C}";

/// Everything one test needs; dropping it stops chromedriver (also when a test fails).
pub struct Harness {
    pub client: Client,
    pub app: String,
    pub sim: String,
    pub driver: Child,
    /// What `/config.json` answers; see [`Harness::set_config`].
    pub config: ConfigSlot,
    /// Files the server refuses; see [`Harness::refuse_files`].
    pub refuse: RefuseSlot,
    /// Files the server answers with other bytes; see [`Harness::tamper_file`].
    pub tamper: TamperSlot,
    /// Chromium's profile folder, one per harness (so its processes can be found).
    profile: PathBuf,
}

impl Drop for Harness {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Killing chromedriver leaves the Chromium it started running when a test ends
        // without closing its session (a failure, an early drop): end every process
        // that uses this harness's profile folder, then remove it.
        kill_using(&self.profile);
        let _ = std::fs::remove_dir_all(&self.profile);
    }
}

/// Kills every process whose command line mentions `dir` (read from /proc: no procps).
fn kill_using(dir: &std::path::Path) {
    let needle = dir.to_string_lossy().into_owned();
    let Ok(procs) = std::fs::read_dir("/proc") else {
        return;
    };
    for p in procs.flatten() {
        let name = p.file_name();
        let Some(pid) = name
            .to_str()
            .filter(|n| n.bytes().all(|b| b.is_ascii_digit()))
        else {
            continue;
        };
        let cmdline = std::fs::read(p.path().join("cmdline")).unwrap_or_default();
        if String::from_utf8_lossy(&cmdline).contains(&needle) {
            let _ = Command::new("kill")
                .args(["-KILL", pid])
                .stderr(Stdio::null())
                .status();
        }
    }
}

pub fn dist_dir() -> PathBuf {
    let d = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../dist");
    assert!(
        d.join("index.html").exists(),
        "dist/ is missing: run `trunk build --release` first (scripts/test.sh does)"
    );
    d
}

pub fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

/// What the test server answers for `/config.json` (None: the SPA fallback's index.html,
/// as a CDN without the file would).
pub type ConfigSlot = Arc<Mutex<Option<String>>>;

/// A path prefix the test server answers with 503 (None: serve everything), to stand
/// for a chunk that cannot be downloaded.
pub type RefuseSlot = Arc<Mutex<Option<String>>>;

/// File name (no folder) → the bytes the test server answers in its place, to stand for
/// a damaged copy or another file under its name.
pub type TamperSlot = Arc<Mutex<std::collections::HashMap<String, Vec<u8>>>>;

/// What the shipped server configs (deploy/) cache for a year: names with a content hash,
/// `[^/]+-[0-9a-f]{8,}(_bg)?\.(js|wasm|css)`. Everything else is `no-cache`.
pub fn is_hashed_name(name: &str) -> bool {
    let Some((rest, ext)) = name.rsplit_once('.') else {
        return false;
    };
    let rest = rest.strip_suffix("_bg").unwrap_or(rest);
    matches!(ext, "js" | "wasm" | "css")
        && rest.rsplit_once('-').is_some_and(|(stem, hex)| {
            !stem.is_empty()
                && hex.len() >= 8
                && hex.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
        })
}

/// The name of the one file of dist/ that starts with `prefix` and ends with `suffix`.
pub fn dist_file(prefix: &str, suffix: &str) -> String {
    let names: Vec<String> = std::fs::read_dir(dist_dir())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(prefix) && n.ends_with(suffix))
        .collect();
    assert_eq!(names.len(), 1, "one {prefix}…{suffix} in dist/: {names:?}");
    names.into_iter().next().unwrap()
}

/// index.html with `origin` added to the CSP's connect-src, as a deployment that calls
/// its own proxy or a self-hosted vendor widens it (README, "Content-Security-Policy").
pub fn widen_connect_src(html: &str, origin: &str) -> String {
    assert!(
        html.contains("connect-src 'self'"),
        "index.html has no connect-src 'self'"
    );
    html.replacen(
        "connect-src 'self'",
        &format!("connect-src 'self' {origin}"),
        1,
    )
}

/// Serves dist/ like a CDN with a single-page fallback and the shipped configs' caching
/// (a year, `immutable`, for hashed names; `no-cache` for the rest, index.html included);
/// index.html lets the page call `connect` (a CSP source: the simulator) besides the
/// vendors' hosts.
pub async fn serve_dist(
    connect: &str,
    config: ConfigSlot,
    refuse: RefuseSlot,
    tamper: TamperSlot,
) -> SocketAddr {
    use axum::http::header::{CACHE_CONTROL, CONTENT_TYPE};
    use axum::http::HeaderValue;
    use axum::response::IntoResponse;
    use tower_http::services::ServeDir;
    let dist = dist_dir();
    let index = widen_connect_src(
        &std::fs::read_to_string(dist.join("index.html")).unwrap(),
        connect,
    );
    let page = move || {
        let index = index.clone();
        async move { ([(CONTENT_TYPE, "text/html; charset=utf-8")], index).into_response() }
    };
    let fallback = page.clone();
    let config_page = page.clone();
    let config_json = move || {
        let config = config.lock().unwrap().clone();
        let fallback = config_page.clone();
        async move {
            match config {
                Some(text) => ([(CONTENT_TYPE, "application/json")], text).into_response(),
                None => fallback().await,
            }
        }
    };
    // Unknown paths get index.html, as a CDN's SPA fallback would.
    let files = ServeDir::new(&dist)
        .append_index_html_on_directories(false)
        .fallback(axum::routing::get(fallback));
    let app = axum::Router::new()
        .route("/", axum::routing::get(page.clone()))
        .route("/index.html", axum::routing::get(page))
        .route("/config.json", axum::routing::get(config_json))
        .fallback_service(files)
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let name = req
                    .uri()
                    .path()
                    .rsplit('/')
                    .next()
                    .unwrap_or("")
                    .to_string();
                let tampered = tamper.lock().unwrap().get(&name).cloned();
                async move {
                    let mut response = match tampered {
                        Some(bytes) => {
                            let kind = if name.ends_with(".wasm") {
                                "application/wasm"
                            } else if name.ends_with(".js") {
                                "text/javascript"
                            } else {
                                "application/octet-stream"
                            };
                            ([(CONTENT_TYPE, kind)], bytes).into_response()
                        }
                        None => next.run(req).await,
                    };
                    // As nginx's `add_header … always`: every answer for the path.
                    let cache = if is_hashed_name(&name) {
                        "public, max-age=31536000, immutable"
                    } else {
                        "no-cache"
                    };
                    response
                        .headers_mut()
                        .insert(CACHE_CONTROL, HeaderValue::from_static(cache));
                    response
                }
            },
        ))
        .layer(axum::middleware::from_fn(
            move |req: axum::extract::Request, next: axum::middleware::Next| {
                let refused = refuse
                    .lock()
                    .unwrap()
                    .as_ref()
                    .is_some_and(|p| req.uri().path().starts_with(p.as_str()));
                async move {
                    if refused {
                        (
                            axum::http::StatusCode::SERVICE_UNAVAILABLE,
                            "refused by the test",
                        )
                            .into_response()
                    } else {
                        next.run(req).await
                    }
                }
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

pub async fn setup() -> Harness {
    setup_with(&[]).await
}

/// [`setup`] with extra Chromium flags (the benchmark reads precise memory figures).
pub async fn setup_with(extra_args: &[&str]) -> Harness {
    let (sim, _) = hookscope_sim::spawn("127.0.0.1:0".parse().unwrap(), Some(KEY.into()))
        .await
        .unwrap();
    let config = ConfigSlot::default();
    let refuse = RefuseSlot::default();
    let tamper = TamperSlot::default();
    // Any loopback port: the simulator, and the closed port the network tests call.
    let app = serve_dist(
        "http://127.0.0.1:*",
        config.clone(),
        refuse.clone(),
        tamper.clone(),
    )
    .await;
    let port = free_port();
    let driver = Command::new(
        std::env::var("CHROMEDRIVER").unwrap_or_else(|_| "/usr/bin/chromedriver".into()),
    )
    .arg(format!("--port={port}"))
    .stdout(Stdio::null())
    .stderr(Stdio::null())
    .spawn()
    .expect("chromedriver must be installed (scripts/install-tools.sh --browser)");
    let profile = std::env::temp_dir().join(format!("hookscope-e2e-{}-{port}", std::process::id()));
    let profile_arg = format!("--user-data-dir={}", profile.display());
    let args: Vec<&str> = [
        profile_arg.as_str(),
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        "--window-size=1400,900",
    ]
    .into_iter()
    .chain(extra_args.iter().copied())
    .collect();
    let mut caps = serde_json::Map::new();
    caps.insert(
        "goog:chromeOptions".into(),
        serde_json::json!({
            "binary": "/usr/bin/chromium",
            "args": args
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
        config,
        refuse,
        tamper,
        profile,
    }
}

impl Harness {
    /// The deployment's `config.json` for the next page load (None: no such file).
    pub fn set_config(&self, text: Option<&str>) {
        *self.config.lock().unwrap() = text.map(str::to_string);
    }

    /// Makes the app's server answer 503 for paths starting with `prefix` (None: stop).
    pub fn refuse_files(&self, prefix: Option<&str>) {
        *self.refuse.lock().unwrap() = prefix.map(str::to_string);
    }

    /// Makes the app's server answer `bytes` for the file `name` (no folder) in dist/, or
    /// the file itself again (None).
    pub fn tamper_file(&self, name: &str, bytes: Option<Vec<u8>>) {
        let mut files = self.tamper.lock().unwrap();
        match bytes {
            Some(b) => files.insert(name.to_string(), b),
            None => files.remove(name),
        };
    }

    /// The file names (no folder) of every resource the page has fetched so far.
    pub async fn fetched_files(&self) -> Vec<String> {
        let v = self
            .client
            .execute(
                "return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname.split('/').pop());",
                vec![],
            )
            .await
            .unwrap();
        serde_json::from_value(v).unwrap()
    }
}

/// The lookup fields of the demo support agent's webhook `webhook` (the simulator and
/// the demo serve the same agent).
pub fn agent(webhook: &'static str) -> [(&'static str, &'static str); 2] {
    [
        ("lookup-owner-id", "agt_demo_support"),
        ("lookup-webhook-id", webhook),
    ]
}

pub fn tid(id: &str) -> String {
    format!("[data-testid=\"{id}\"]")
}

impl Harness {
    /// The page must not have broken its Content-Security-Policy (the boot script records
    /// every `securitypolicyviolation` in `window.__cspViolations`).
    pub async fn no_csp_violations(&self) {
        let v = self
            .client
            .execute("return window.__cspViolations || []", vec![])
            .await
            .unwrap_or(serde_json::json!([]));
        assert_eq!(
            v,
            serde_json::json!([]),
            "Content-Security-Policy violations"
        );
    }

    pub async fn open(&self, path: &str) {
        self.no_csp_violations().await;
        self.client
            .goto(&format!("{}{}", self.app, path))
            .await
            .unwrap();
    }

    pub async fn find(&self, id: &str) -> Element {
        self.client
            .wait()
            .at_most(Duration::from_secs(15))
            .for_element(Locator::Css(&tid(id)))
            .await
            .unwrap_or_else(|e| panic!("no [{id}]: {e}"))
    }

    pub async fn all(&self, id: &str) -> Vec<Element> {
        self.client.find_all(Locator::Css(&tid(id))).await.unwrap()
    }

    /// Waits until `check` holds, re-evaluating it; panics with `what` after 15 s.
    pub async fn until<F, Fut>(&self, what: &str, mut check: F)
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

    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.find(id).await.attr(name).await.unwrap()
    }

    pub async fn select(&self, id: &str, value: &str) {
        let el = self.find(id).await;
        el.select_by_value(value)
            .await
            .unwrap_or_else(|e| panic!("[{id}] has no option {value}: {e}"));
    }

    pub async fn type_into(&self, id: &str, text: &str) {
        let el = self.find(id).await;
        el.clear().await.unwrap();
        el.send_keys(text).await.unwrap();
    }

    pub async fn click(&self, id: &str) {
        self.find(id).await.click().await.unwrap();
    }

    pub async fn no_crash(&self) {
        assert!(self.all("app-crashed").await.is_empty(), "the app crashed");
    }

    /// Adds a connection through the Connections page, pointing at the simulator.
    pub async fn add_connection(
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

    pub async fn lookup(&self, conn: &str, kind: &str, fields: &[(&str, &str)]) {
        self.fill_lookup(conn, kind, fields).await;
        self.click("lookup-submit").await;
    }

    /// Fills the lookup form (then "Look up" or "Add to view" sends it).
    pub async fn fill_lookup(&self, conn: &str, kind: &str, fields: &[(&str, &str)]) {
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
    }

    pub async fn url(&self) -> String {
        self.client.current_url().await.unwrap().to_string()
    }

    /// Sends keys to an element (WebDriver key codes: "\u{E015}" is ↓, "\u{E007}" Enter).
    pub async fn keys(&self, id: &str, keys: &str) {
        self.find(id).await.send_keys(keys).await.unwrap();
    }

    /// The count an option of a filter shows ("failed · 17" → 17).
    pub async fn option_count(&self, select: &str, value: &str) -> Option<usize> {
        let v = self
            .client
            .execute(
                "const o = Array.from(document.querySelectorAll(arguments[0] + ' option')).find(o => o.value === arguments[1]); return o ? o.textContent : null;",
                vec![serde_json::json!(tid(select)), serde_json::json!(value)],
            )
            .await
            .unwrap();
        v.as_str()?.rsplit('·').next()?.trim().parse().ok()
    }

    /// Rows in the filtered set, as the windowed table says.
    pub async fn total_rows(&self) -> usize {
        self.attr("table-scroll", "data-total-rows")
            .await
            .and_then(|t| t.parse().ok())
            .unwrap_or(0)
    }

    /// Waits until the view shows `n` rows and no load is running.
    pub async fn rows_settle(&self, what: &str, n: usize) {
        self.until(what, || async {
            self.all("load-progress").await.is_empty()
                && self
                    .attr("row-count", "data-count")
                    .await
                    .is_some_and(|c| c == n.to_string())
        })
        .await;
    }

    pub async fn row_count(&self) -> usize {
        self.attr("row-count", "data-count")
            .await
            .unwrap()
            .parse()
            .unwrap()
    }

    /// One attribute of every element with this testid, read in one script run so a
    /// re-render between reads cannot leave a stale element behind.
    pub async fn attrs(&self, id: &str, name: &str) -> Vec<String> {
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

    pub async fn rows_attr(&self, name: &str) -> Vec<String> {
        self.attrs("delivery-row", name).await
    }

    pub async fn finish(self) {
        self.no_crash().await;
        self.no_csp_violations().await;
        let _ = self.client.clone().close().await;
    }
}

impl Harness {
    pub async fn local_storage(&self, key: &str) -> Option<String> {
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

    pub async fn text(&self, id: &str) -> String {
        self.find(id).await.text().await.unwrap()
    }

    /// The text of every element with this testid, joined (empty when there is none).
    pub async fn text_of_all(&self, id: &str) -> String {
        let v = self
            .client
            .execute(
                "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent).join(' ')",
                vec![serde_json::json!(tid(id))],
            )
            .await
            .unwrap();
        v.as_str().unwrap_or_default().to_string()
    }

    /// Clicks the row of delivery `id`, once it is there: the table may re-render between
    /// reading its IDs and the click (a lookup that finds one delivery opens it).
    pub async fn click_row(&self, id: &str) {
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

    /// Clicks the first element `id` as it is when clicked (a re-render between finding
    /// and clicking would leave a stale element).
    pub async fn click_first(&self, id: &str) {
        self.until(&format!("the first {id} clicked"), || async {
            self.client
                .execute(
                    "const e = document.querySelector(arguments[0]); if (e) { e.click(); } return !!e;",
                    vec![serde_json::json!(tid(id))],
                )
                .await
                .ok()
                .and_then(|v| v.as_bool())
                .unwrap_or(false)
        })
        .await;
    }

    /// Shows only failed deliveries and waits until the table does.
    pub async fn only_failed(&self) {
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
    /// "Sim Bland", "Sim Burki" and "Sim Talkover", each with its vendor's form of the key.
    pub async fn add_sim_connections(&self, timeout: Option<u32>) {
        let sim = self.sim.clone();
        self.add_connection("bland", "Sim Bland", &sim, KEY, timeout)
            .await;
        self.add_connection("burki", "Sim Burki", &sim, KEY, timeout)
            .await;
        self.add_connection(
            "talkover",
            "Sim Talkover",
            &sim,
            &format!("Bearer {KEY}"),
            timeout,
        )
        .await;
    }

    pub async fn add_remembered_connection(&self, vendor: &str, name: &str) {
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

impl Harness {
    /// Sets a text field's value at once (1,000 lines typed key by key would take minutes)
    /// and fires the input event the app listens to.
    pub async fn paste(&self, id: &str, text: &str) {
        self.find(id).await;
        self.client
            .execute(
                "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event('input', {bubbles: true}));",
                vec![serde_json::json!(tid(id)), serde_json::json!(text)],
            )
            .await
            .unwrap();
    }

    pub async fn sim_post(&self, path: &str, body: serde_json::Value) {
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
    pub async fn set_chunking(&self, chunk: usize, concurrency: usize) {
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

    pub async fn sim_requests(&self) -> Vec<serde_json::Value> {
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
    pub async fn bulk_outcomes(&self) -> std::collections::HashMap<String, String> {
        let ids = self.attrs("bulk-result-row", "data-call-id").await;
        let outs = self.attrs("bulk-result-row", "data-outcome").await;
        ids.into_iter().zip(outs).collect()
    }

    pub async fn bulk_done(&self, total: usize) {
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
