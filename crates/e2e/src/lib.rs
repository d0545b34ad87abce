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
use fantoccini::error::CmdError;
use fantoccini::wd::WindowHandle;
use fantoccini::{Client, ClientBuilder, Locator};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub const KEY: &str = "sim-key";

/// The demo's first view: the deliveries of its Talkover webhook.
pub const DEMO_ROWS: usize = 180;

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

/// [`setup`], then the page at `path` opened.
pub async fn setup_at(path: &str) -> Harness {
    let h = setup().await;
    h.open(path).await;
    h
}

/// [`setup`], then the demo as on a first visit ([`Harness::open_demo`]).
pub async fn setup_demo() -> Harness {
    let h = setup().await;
    h.open_demo().await;
    h
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
            .js("return performance.getEntriesByType('resource').map(e => new URL(e.name).pathname.split('/').pop());")
            .await;
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

/// The name of the simulator's connection for `vendor` ("bland" → "Sim Bland").
pub fn sim_connection(vendor: &str) -> String {
    let mut name = String::from("Sim ");
    let mut letters = vendor.chars();
    name.extend(letters.next().map(|c| c.to_ascii_uppercase()));
    name.extend(letters);
    name
}

/// The button that opens the menu holding the control `id` (None: not in a menu).
pub fn menu_opener(id: &str) -> Option<String> {
    match id {
        "filter-range" | "filter-from" | "filter-to" => Some("filter-time-button".into()),
        "view-name" | "view-save" | "view-delete" | "view-message" => Some("view-save-menu".into()),
        "filter-status" | "filter-event" | "filter-code" | "filter-vendor" => {
            Some(format!("{id}-button"))
        }
        _ => None,
    }
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

    /// An attribute of the element `id`; an element drawn anew between finding and reading
    /// it (a lookup replacing the open delivery) is found again.
    pub async fn attr(&self, id: &str, name: &str) -> Option<String> {
        self.fresh(id, || async { self.find(id).await.attr(name).await })
            .await
            .unwrap_or_else(|e| panic!("[{id}] has no readable {name}: {e}"))
    }

    /// Picks `value` in the control `id`: an option of a `<select>` (a click on an option
    /// of a multi-select toggles it), or a box of a filter's checkbox menu (a click toggles
    /// it; the box with value "" clears the filter). The menu is opened first, as a person
    /// would, and closed after.
    pub async fn select(&self, id: &str, value: &str) {
        self.reveal(id).await;
        // A menu's panel may be drawn again under the cursor (its part of the app arriving,
        // counts changing): a stale element is found again, as a person would look again.
        self.fresh(id, || async {
            let el = self.find(id).await;
            if el.tag_name().await?.eq_ignore_ascii_case("select") {
                el.select_by_value(value).await
            } else {
                let css = format!("input[value=\"{value}\"]");
                el.find(Locator::Css(&css)).await?.click().await.map(|_| ())
            }
        })
        .await
        .unwrap_or_else(|e| panic!("[{id}] has no option or box {value}: {e}"));
        self.close_menus().await;
    }

    /// Runs `act` again while it meets an element drawn anew since it was found (up to 5 s).
    async fn fresh<T, F, Fut>(&self, id: &str, mut act: F) -> Result<T, CmdError>
    where
        F: FnMut() -> Fut,
        Fut: std::future::Future<Output = Result<T, CmdError>>,
    {
        let start = Instant::now();
        loop {
            match act().await {
                Err(e)
                    if e.is_stale_element_reference()
                        && start.elapsed() < Duration::from_secs(5) =>
                {
                    eprintln!("[{id}] was drawn again; finding it again");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                }
                done => return done,
            }
        }
    }

    /// Closes every open menu (popover), as Esc would.
    pub async fn close_menus(&self) {
        self.js(
            "document.querySelectorAll('[popover]:popover-open').forEach(p => p.hidePopover())",
        )
        .await;
    }

    /// Makes sure the element `id` is in the page: a menu draws what it holds the first
    /// time it opens, so a control of a menu never opened is opened once (and closed).
    pub async fn ensure(&self, id: &str) {
        let Some(opener) = menu_opener(id) else {
            return;
        };
        let present = |id: String| async move {
            self.js_with(
                "return !!document.querySelector(arguments[0])",
                vec![serde_json::json!(tid(&id))],
            )
            .await
            .as_bool()
            .unwrap_or(false)
        };
        if present(id.to_string()).await || !present(opener.clone()).await {
            return;
        }
        self.find(&opener).await.click().await.unwrap();
        self.until(&format!("{id} drawn in its menu"), || {
            present(id.to_string())
        })
        .await;
        self.close_menus().await;
    }

    /// Makes the element `id` reachable when it is in a closed menu or the folded lookup
    /// form: clicks what opens it (the menu's button, "Change lookup"), outermost first.
    pub async fn reveal(&self, id: &str) {
        self.ensure(id).await;
        for _ in 0..3 {
            let opener = self
                .js_with(
                    "const el = document.querySelector(arguments[0]);
                     if (!el || el.checkVisibility()) return null;
                     let closed = null;
                     for (let e = el.parentElement; e; e = e.parentElement) {
                       if ((e.matches('[popover]') && !e.checkVisibility()) || e.matches('[data-folded=true]')) closed = e;
                     }
                     if (!closed) return null;
                     return closed.matches('[popover]') ? `[popovertarget=\"${closed.id}\"]` : '[data-testid=lookup-change]';",
                    vec![serde_json::json!(tid(id))],
                )
                .await;
            let Some(opener) = opener.as_str() else {
                return;
            };
            self.click_css(opener).await;
        }
    }

    pub async fn type_into(&self, id: &str, text: &str) {
        self.reveal(id).await;
        self.fresh(id, || async {
            let el = self.find(id).await;
            el.clear().await?;
            el.send_keys(text).await
        })
        .await
        .unwrap_or_else(|e| panic!("could not type into [{id}]: {e}"));
    }

    pub async fn click(&self, id: &str) {
        self.reveal(id).await;
        self.fresh(id, || async { self.find(id).await.click().await })
            .await
            .unwrap_or_else(|e| panic!("[{id}] could not be clicked: {e}"));
    }

    pub async fn no_crash(&self) {
        assert!(self.all("app-crashed").await.is_empty(), "the app crashed");
    }

    /// Opens a new connection's form on the Connections page and fills it in (a tick box or
    /// "Save" comes next).
    pub async fn fill_connection(&self, vendor: &str, name: &str, base: &str, key: &str) {
        self.click("nav-connections").await;
        self.click("connection-add").await;
        self.select("connection-vendor", vendor).await;
        self.type_into("connection-name", name).await;
        self.type_into("connection-base-url", base).await;
        self.type_into("connection-key", key).await;
    }

    /// Saves the connection form and waits until the connection `name` is listed.
    pub async fn save_connection(&self, name: &str) {
        self.click("connection-save").await;
        self.until("the new connection row", || async {
            self.attrs("connection-row", "data-name")
                .await
                .iter()
                .any(|n| n == name)
        })
        .await;
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
        self.fill_connection(vendor, name, base, key).await;
        if let Some(t) = timeout {
            self.type_into("connection-timeout", &t.to_string()).await;
        }
        self.save_connection(name).await;
    }

    /// Adds a read-only connection to the simulator (it reviews, never sends) and waits
    /// until it is listed as read-only.
    pub async fn add_read_only_connection(&self, vendor: &str, name: &str) {
        self.fill_connection(vendor, name, &self.sim, KEY).await;
        self.click("connection-readonly").await;
        self.click("connection-save").await;
        self.until(&format!("{name} listed as read-only"), || async {
            let names = self.attrs("connection-row", "data-name").await;
            let read_only = self.attrs("connection-row", "data-readonly").await;
            names
                .iter()
                .zip(&read_only)
                .any(|(n, r)| n == name && r == "true")
        })
        .await;
    }

    /// Opens the console's Connections page and adds a connection to the simulator for each
    /// vendor of `vendors`: "Sim Bland", "Sim Burki", "Sim Talkover" (the key in this tab's
    /// memory only).
    pub async fn open_with_sim_connections(&self, vendors: &[&str]) {
        self.open("/connections").await;
        for vendor in vendors {
            self.add_connection(vendor, &sim_connection(vendor), &self.sim, KEY, None)
                .await;
        }
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

    /// The count a choice of a filter shows: a menu box's `data-count`, or the end of an
    /// option's text ("failed · 17" → 17).
    pub async fn option_count(&self, select: &str, value: &str) -> Option<usize> {
        self.ensure(select).await;
        let v = self
            .js_with(
                "const o = Array.from(document.querySelectorAll(arguments[0] + ' option, ' + arguments[0] + ' input[type=checkbox]')).find(o => o.value === arguments[1]); return o ? (o.dataset.count || o.textContent) : null;",
                vec![serde_json::json!(tid(select)), serde_json::json!(value)],
            )
            .await;
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
            .js_with(
                js,
                vec![serde_json::json!(tid(id)), serde_json::json!(name)],
            )
            .await;
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
            .js_with(
                "return window.localStorage.getItem(arguments[0])",
                vec![serde_json::json!(key)],
            )
            .await;
        v.as_str().map(str::to_string)
    }

    pub async fn text(&self, id: &str) -> String {
        self.find(id).await.text().await.unwrap()
    }

    /// The text of every element with this testid, joined (empty when there is none).
    pub async fn text_of_all(&self, id: &str) -> String {
        self.js_text(
            "return Array.from(document.querySelectorAll(arguments[0])).map(e => e.textContent).join(' ')",
            vec![serde_json::json!(tid(id))],
        )
        .await
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
            self.rows_all_have("data-status", "failed").await
        })
        .await;
    }

    /// Whether every row shown has `value` as its attribute `name` (true when none is).
    pub async fn rows_all_have(&self, name: &str, value: &str) -> bool {
        self.rows_attr(name).await.iter().all(|v| v == value)
    }

    /// Adds a connection to the simulator for each vendor: "Sim Bland", "Sim Burki" and
    /// "Sim Talkover", each with its vendor's form of the key.
    pub async fn add_sim_connections(&self, timeout: Option<u32>) {
        for vendor in ["bland", "burki", "talkover"] {
            let key = match vendor {
                "talkover" => format!("Bearer {KEY}"),
                _ => KEY.to_string(),
            };
            self.add_connection(vendor, &sim_connection(vendor), &self.sim, &key, timeout)
                .await;
        }
    }

    pub async fn add_remembered_connection(&self, vendor: &str, name: &str) {
        self.fill_connection(vendor, name, &self.sim, KEY).await;
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
        self.put_value(id, text, "input").await;
    }

    /// Sets the value of the field `id` and fires `event` on it, as typing would.
    async fn put_value(&self, id: &str, value: &str, event: &str) {
        self.js_with(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1]; el.dispatchEvent(new Event(arguments[2], {bubbles: true}));",
            vec![
                serde_json::json!(tid(id)),
                serde_json::json!(value),
                serde_json::json!(event),
            ],
        )
        .await;
    }

    /// A control request to the simulator (`/__sim/faults`, `/__sim/reset`…), as JSON.
    pub async fn sim_post(&self, path: &str, body: serde_json::Value) {
        // From the test process, not the page: a deployment's CSP (the team config's) lets
        // the page reach only its own origin.
        let body = body.to_string();
        let (status, _, said) = crate::nginx::send(
            &self.sim,
            "POST",
            path,
            &[("Content-Type", "application/json")],
            Some(&body),
        )
        .await;
        assert!(
            status < 300,
            "the simulator refused {path}: {status} {}",
            String::from_utf8_lossy(&said)
        );
    }

    /// Request size and concurrency of the next bulk run.
    pub async fn set_chunking(&self, chunk: usize, concurrency: usize) {
        self.set_value("bulk-chunk", &chunk.to_string()).await;
        self.set_value("bulk-concurrency", &concurrency.to_string())
            .await;
    }

    /// Sets a field's value at once and fires the change event the app listens to (a date
    /// and time field, a number typed in).
    pub async fn set_value(&self, id: &str, value: &str) {
        self.ensure(id).await;
        self.put_value(id, value, "change").await;
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

    /// Opens the bulk page with the connection `conn` and the mode `mode` ("create",
    /// "resend") chosen.
    pub async fn bulk_form(&self, conn: &str, mode: &str) {
        self.click("nav-bulk").await;
        self.select("bulk-connection", conn).await;
        self.select("bulk-mode", mode).await;
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

/// The opening steps the tests share: the demo, a lookup with its rows, an open delivery.
impl Harness {
    /// Opens the console as on a first visit (the demo) and waits until the demo webhook's
    /// 180 rows are shown and no load runs.
    pub async fn open_demo(&self) {
        self.open("/").await;
        self.rows_settle("the demo's 180 rows", DEMO_ROWS).await;
    }

    /// Looks up the demo agent's Talkover webhook `webhook` on the connection `conn` and
    /// waits until at least `min` of its rows are shown.
    pub async fn look_up_webhook(&self, conn: &str, webhook: &'static str, min: usize) {
        self.lookup(conn, "talkover-agent", &agent(webhook)).await;
        self.until(&format!("{min} or more rows of {webhook}"), || async {
            self.row_count().await >= min
        })
        .await;
    }

    /// Shows only the failed deliveries and opens the first one.
    pub async fn open_first_failed(&self) {
        self.only_failed().await;
        self.click_first("delivery-row").await;
    }

    /// The ID of the delivery open in the detail (None: none is open).
    pub async fn open_delivery(&self) -> Option<String> {
        self.first_attr("delivery-detail", "data-id").await
    }

    /// Confirms the replay plan shown and waits until the run ends (its summary shows).
    pub async fn confirm_replay(&self) {
        self.click("replay-confirm").await;
        self.until("the replay ended", || async {
            !self.all("replay-summary").await.is_empty()
        })
        .await;
    }
}

/// Finding a call.
impl Harness {
    /// Pastes `text` into the explorer's call search and presses Enter.
    pub async fn search_calls(&self, text: &str) {
        if !self.url().await.contains("/explorer") {
            self.click("nav-explorer").await;
        }
        self.paste("call-search", text).await;
        self.keys("call-search", ENTER).await;
    }

    /// Whether the call search has an answer for every entry (none is still running).
    pub async fn calls_searched(&self) -> bool {
        self.attr("call-search-status", "data-running")
            .await
            .as_deref()
            == Some("0")
    }

    /// Opens a call card's (first) delivery in the detail and waits until it is open.
    pub async fn open_card_delivery(&self) {
        self.click("call-delivery-open").await;
        self.until("the delivery detail", || async {
            self.open_delivery().await.is_some()
        })
        .await;
    }

    /// `vendor:call ID` of every call card shown, in order.
    pub async fn call_cards(&self) -> Vec<String> {
        let vendors = self.attrs("call-card", "data-vendor").await;
        let ids = self.attrs("call-card", "data-call-id").await;
        vendors
            .into_iter()
            .zip(ids)
            .map(|(v, i)| format!("{v}:{i}"))
            .collect()
    }

    /// Waits until the call card of `vendor` and `id` is shown and its deliveries have
    /// loaded (`data-deliveries` holds their number).
    pub async fn until_call_card(&self, vendor: &str, id: &str) {
        let want = format!("{vendor}:{id}");
        self.until(
            &format!("the call card {want} with its deliveries"),
            || async {
                let cards = self.call_cards().await;
                let loaded = self.attrs("call-card", "data-deliveries").await;
                cards
                    .iter()
                    .zip(&loaded)
                    .any(|(c, n)| *c == want && !n.is_empty())
            },
        )
        .await;
    }
}

/// The window.
impl Harness {
    /// Resizes the window until the page's own viewport is `w`×`h` (the window's frame,
    /// if any, is added back).
    pub async fn viewport(&self, w: u32, h: u32) {
        let (mut ww, mut wh) = (w, h);
        for _ in 0..3 {
            self.client.set_window_size(ww, wh).await.unwrap();
            let v = self.js("return [innerWidth, innerHeight]").await;
            let (iw, ih) = (v[0].as_u64().unwrap() as u32, v[1].as_u64().unwrap() as u32);
            if (iw, ih) == (w, h) {
                return;
            }
            ww = (ww + w).saturating_sub(iw);
            wh = (wh + h).saturating_sub(ih);
        }
        panic!("cannot make the viewport {w}×{h}");
    }
}

/// Reading the page: attributes, form values, scripts.
impl Harness {
    /// Attribute `name` of the first element with this testid (None: no such element or
    /// attribute); unlike [`Harness::attr`] it does not wait for the element.
    pub async fn first_attr(&self, id: &str, name: &str) -> Option<String> {
        self.attrs(id, name).await.into_iter().next()
    }

    /// Attribute `name` of the last element with this testid (None: no such element or
    /// attribute), without waiting.
    pub async fn last_attr(&self, id: &str, name: &str) -> Option<String> {
        self.attrs(id, name).await.pop()
    }

    /// Waits until the page's address contains `part`.
    pub async fn until_url_has(&self, what: &str, part: &str) {
        self.until(what, || async { self.url().await.contains(part) })
            .await;
    }

    /// Moves the focus to the element with the testid `id`.
    pub async fn focus(&self, id: &str) {
        self.js_with(
            "document.querySelector(arguments[0]).focus()",
            vec![serde_json::json!(tid(id))],
        )
        .await;
    }

    /// Waits until no element with the testid `id` is shown.
    pub async fn until_gone(&self, what: &str, id: &str) {
        self.until(what, || async { self.all(id).await.is_empty() })
            .await;
    }

    /// Clicks the element the CSS `selector` finds (it must be there).
    pub async fn click_css(&self, selector: &str) {
        self.client
            .find(Locator::Css(selector))
            .await
            .unwrap_or_else(|e| panic!("no {selector}: {e}"))
            .click()
            .await
            .unwrap();
    }

    /// The value of the form field `id`, once the field is there; for a filter's checkbox
    /// menu, its picked values (`data-value`, comma-separated).
    pub async fn value(&self, id: &str) -> Option<String> {
        self.ensure(id).await;
        let el = self.find(id).await;
        match el.prop("value").await.unwrap() {
            Some(v) => Some(v),
            None => el.attr("data-value").await.unwrap(),
        }
    }

    /// The values of the choices of the control `id` (a select's options, a menu's boxes).
    pub async fn option_values(&self, id: &str) -> Vec<String> {
        self.ensure(id).await;
        let v = self
            .js_with(
                "return Array.from(document.querySelectorAll(arguments[0] + ' option, ' + arguments[0] + ' input[type=checkbox]')).map(o => o.value)",
                vec![serde_json::json!(tid(id))],
            )
            .await;
        serde_json::from_value(v).unwrap()
    }

    /// Runs `script` in the page (WebDriver's script runs outside the page's CSP) and
    /// returns what it returns.
    pub async fn js(&self, script: &str) -> serde_json::Value {
        self.js_with(script, vec![]).await
    }

    /// [`Harness::js`] with `args` as `arguments[0]`, `arguments[1]`…
    pub async fn js_with(&self, script: &str, args: Vec<serde_json::Value>) -> serde_json::Value {
        self.client.execute(script, args).await.unwrap()
    }

    /// [`Harness::js_with`] for a script that returns text ("" when it returns anything else).
    pub async fn js_text(&self, script: &str, args: Vec<serde_json::Value>) -> String {
        let v = self.js_with(script, args).await;
        v.as_str().unwrap_or_default().to_string()
    }

    /// Runs `script`, which hands its result to `done(…)` when it has it, and returns that.
    pub async fn js_async(&self, script: &str) -> serde_json::Value {
        self.client
            .execute_async(
                &format!("const done = arguments[arguments.length - 1]; {script}"),
                vec![],
            )
            .await
            .unwrap()
    }

    /// Keeps what the page downloads (`window.__blobs`) and copies to the clipboard
    /// (`window.__copied`) instead of handing it to the browser, for the test to read.
    pub async fn capture_downloads(&self) {
        self.js(
            "window.__blobs = []; URL.createObjectURL = b => { window.__blobs.push(b); return 'blob:captured'; };
             window.__copied = []; navigator.clipboard.writeText = t => { window.__copied.push(t); return Promise.resolve(); };",
        )
        .await;
    }

    /// The `n`-th text (from 1) copied to the clipboard since
    /// [`Harness::capture_downloads`], once there are `n`.
    pub async fn copied(&self, n: u64) -> String {
        self.until(&format!("{n} copies"), || async {
            self.js("return window.__copied.length").await.as_u64() == Some(n)
        })
        .await;
        let text = self.js(&format!("return window.__copied[{}]", n - 1)).await;
        text.as_str().unwrap().to_string()
    }

    /// How many downloads [`Harness::capture_downloads`] kept.
    pub async fn downloads(&self) -> u64 {
        self.js("return window.__blobs.length")
            .await
            .as_u64()
            .unwrap()
    }

    /// The text of the `i`-th download [`Harness::capture_downloads`] kept.
    pub async fn download_text(&self, i: usize) -> String {
        let text = self
            .js_async(&format!("window.__blobs[{i}].text().then(done);"))
            .await;
        text.as_str().unwrap().to_string()
    }
}

/// The simulator: its faults and what it was asked.
impl Harness {
    /// Resets the simulator: no faults, an empty request log, no retries or resends kept.
    pub async fn reset_sim(&self) {
        self.sim_post("/__sim/reset", serde_json::json!({})).await;
    }

    /// Sets the simulator's faults (`POST /__sim/faults`: they replace the earlier ones, and
    /// the request log starts again).
    pub async fn set_sim_faults(&self, spec: serde_json::Value) {
        self.sim_post("/__sim/faults", spec).await;
    }

    /// Resets the simulator, then sets its faults.
    pub async fn reset_sim_with_faults(&self, spec: serde_json::Value) {
        self.reset_sim().await;
        self.set_sim_faults(spec).await;
    }

    /// The requests the simulator logged whose path contains `part`, oldest first.
    pub async fn sim_requests_to(&self, part: &str) -> Vec<serde_json::Value> {
        self.sim_requests()
            .await
            .into_iter()
            .filter(|r| r["path"].as_str().is_some_and(|p| p.contains(part)))
            .collect()
    }

    /// Sets the simulator's rate limit per key: `limit` requests in each window of
    /// `window_ms` (`POST /__sim/budget`; a reset clears it).
    pub async fn set_sim_budget(&self, limit: u64, window_ms: u64) {
        self.sim_post(
            "/__sim/budget",
            serde_json::json!({"limit": limit, "window_ms": window_ms}),
        )
        .await;
    }

    /// The simulator's rate limit and what it did: `answered` and `refused` (429) requests.
    pub async fn sim_budget(&self) -> serde_json::Value {
        self.client
            .execute_async(
                "const done = arguments[arguments.length - 1]; fetch(arguments[0]).then(r => r.json()).then(done, e => done(null));",
                vec![serde_json::json!(format!("{}/__sim/budget", self.sim))],
            )
            .await
            .unwrap()
    }

    /// Waits until the simulator has logged `n` requests whose path contains `part`.
    pub async fn until_sim_requests_to(&self, part: &str, n: usize) {
        self.until(&format!("{n} requests to {part}"), || async {
            self.sim_requests_to(part).await.len() == n
        })
        .await;
    }
}

/// Tabs.
impl Harness {
    /// Opens a new tab and switches to it; returns this tab and the new one.
    pub async fn open_tab(&self) -> (WindowHandle, WindowHandle) {
        let this = self.client.window().await.unwrap();
        let tab = self.client.new_window(true).await.unwrap().handle;
        self.switch_to(&tab).await;
        (this, tab)
    }

    pub async fn switch_to(&self, tab: &WindowHandle) {
        self.client.switch_to_window(tab.clone()).await.unwrap();
    }

    /// Closes this tab and switches to `back_to`.
    pub async fn close_tab(&self, back_to: &WindowHandle) {
        self.client.close_window().await.unwrap();
        self.switch_to(back_to).await;
    }
}
