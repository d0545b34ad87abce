//! Explorer benchmark (scripts/bench.sh): the console's release build and a hand-written
//! vanilla-JS page (bench/explorer/) load the same generated deliveries from the
//! simulator and run the same filters, alternately, in one headless Chromium. Prints
//! medians (and p95 for keystrokes and frames) as `bench:` lines, the longest main-thread
//! task while the rows load (PerformanceObserver `longtask` entries, and the largest gap
//! between animation frames as a cross-check), a paced Talkover load against the
//! simulator's rate limit, and finding a call (Enter in the call search to its card with
//! the diagnosis, simulator latency 50 ms). Last, the issue's table with its goals
//! (Markdown, lines starting with `|`), the download sizes read from `cargo xtask sizes`
//! (`BENCH_SIZES_FILE`). Nothing here asserts on time; a run that cannot measure fails (a
//! panic, which scripts/bench.sh shows).

use hookscope_e2e::*;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use fantoccini::wd::TimeoutConfiguration;

const ROUNDS: usize = 3;
const SIZES: [usize; 2] = [10_000, 100_000];
/// Words typed one key at a time (each prefix is one measured keystroke).
const WORDS: [&str; 4] = ["etimedout", "ended", "server", "transcript"];

async fn serve_baseline() -> SocketAddr {
    use tower_http::services::ServeDir;
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../bench/explorer");
    let app = axum::Router::new().fallback_service(ServeDir::new(dir));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    addr
}

fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn p95(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(|a, b| a.total_cmp(b));
    v[((v.len() * 95).div_ceil(100)).max(1) - 1]
}

/// The page-side measurements, the same script for both pages: `input` and `scroll` are
/// CSS selectors; a keystroke counts until the table says it shows that search and the
/// next frame has been drawn.
const MEASURE: &str = r#"
const [inputSel, scrollSel, words, done] = arguments;
const input = document.querySelector(inputSel), scroll = document.querySelector(scrollSel);
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
// The console's view key names the filter search `search`, the baseline's `q`.
const shows = q => new Promise((resolve, reject) => {
  const want = ['q=', 'search='].map(k => k + encodeURIComponent(q));
  const ok = () => (scroll.dataset.view || '').split('&').some(p => want.includes(p));
  if (ok()) return resolve();
  const mo = new MutationObserver(() => { if (ok()) { mo.disconnect(); resolve(); } });
  mo.observe(scroll, { attributes: true });
  setTimeout(() => { mo.disconnect(); reject(new Error('the table never showed the search ' + q)); }, 30000);
});
(async () => {
  const keys = [];
  for (const w of words) {
    for (let i = 1; i <= w.length; i++) {
      const q = w.slice(0, i);
      await frame();
      const t0 = performance.now();
      input.value = q;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
      await shows(q);
      await frame();
      keys.push(performance.now() - t0);
    }
    input.value = '';
    input.dispatchEvent(new Event('input', { bubbles: true }));
    input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
    await new Promise(r => setTimeout(r, 300));
  }
  // Scrolling: 120 frames, 400 px a frame.
  const frames = [];
  let last = await new Promise(r => requestAnimationFrame(r));
  for (let i = 0; i < 120; i++) {
    scroll.scrollTop += 400;
    const t = await new Promise(r => requestAnimationFrame(r));
    frames.push(t - last);
    last = t;
  }
  const domRows = scroll.querySelectorAll('tbody tr').length - 2;
  if (window.gc) { window.gc(); window.gc(); }
  await new Promise(r => setTimeout(r, 200));
  const heap = performance.memory ? performance.memory.usedJSHeapSize : 0;
  const wasm = window.wasmBindings && window.wasmBindings.wasm_memory_bytes ? window.wasmBindings.wasm_memory_bytes() : 0;
  done({ keys, frames, domRows, heap, wasm, raw: window.bench ? window.bench.rawBytes : 0 });
})().catch(e => done({ error: String(e) }));
"#;

#[derive(Default)]
struct Samples {
    load_ms: Vec<f64>,
    keys: Vec<f64>,
    frames: Vec<f64>,
    dom: Vec<f64>,
    memory_mb: Vec<f64>,
    raw_mb: Vec<f64>,
    /// While the rows load: the longest `longtask` entry (0: none, i.e. none of 50 ms or
    /// more), how many there were, and the largest gap between animation frames.
    longest_task: Vec<f64>,
    long_tasks: Vec<f64>,
    frame_gap: Vec<f64>,
    /// The last load's gaps of over 40 ms between frames ("length at ms after the click").
    gaps: String,
    /// From the click to the end of the last page's answer (Resource Timing), and from
    /// there to the rows shown: where a load's time goes, network or page.
    fetched_ms: Vec<f64>,
    after_ms: Vec<f64>,
    /// From the click to the first frame with a row in the table.
    first_rows_ms: Vec<f64>,
}

/// Starts a load by clicking `button` and times it in the page, until the rows and the
/// counts are shown: the console (`kind` "app": the row count says `n`, no load progress,
/// rows in the table) or the baseline ("js": it says it is ready, rows in the table).
/// Meanwhile it keeps every `longtask` entry (a PerformanceObserver, buffered, counting
/// the tasks that overlap the load) and the largest gap between animation frames. The
/// script returns at once; [`wait_load`] polls for the result, so a load may take longer
/// than WebDriver's script timeout.
const LOAD: &str = r#"
const [kind, n, button] = arguments;
const q = s => document.querySelector(s);
const anyRow = kind === 'app' ? () => !!q('[data-testid=delivery-row]') : () => !!q('#body tr.row');
const ready = kind === 'app'
  ? () => { const c = q('[data-testid=row-count]'); return !!c && c.dataset.count === String(n) && !q('[data-testid=load-progress]') && !!q('[data-testid=delivery-row]'); }
  : () => document.body.dataset.ready === '1' && !!q('#body tr.row');
const failed = kind === 'app'
  ? () => { const b = q('[data-testid=error-banner]'); return b ? 'an error banner: ' + b.textContent : (q('[data-testid=app-crashed]') ? 'the app crashed' : null); }
  : () => document.body.dataset.error || null;
const tasks = [];
const r = { done: false };
window.__benchLoad = r;
let po = null;
try {
  po = new PerformanceObserver(l => { for (const e of l.getEntries()) tasks.push([e.startTime, e.duration]); });
  po.observe({ type: 'longtask', buffered: true });
} catch (e) { r.noLongtask = String(e); }
// Every page's timing, to tell the network's time from the page's (the buffer holds 250
// entries unless told).
performance.clearResourceTimings();
performance.setResourceTimingBufferSize(1000000);
const t0 = performance.now();
let last = t0, gap = 0, frames = 0, first = 0;
// Gaps over 40 ms between frames: [when the gap began (ms after the click), its length].
const gaps = [];
const tick = () => {
  const now = performance.now();
  if (now - last > 40) gaps.push([Math.round(last - t0), Math.round(now - last)]);
  gap = Math.max(gap, now - last); last = now; frames++;
  if (!first && anyRow()) first = now - t0;
  const f = failed();
  if (f) { if (po) po.disconnect(); r.error = f; r.done = true; return; }
  if (!ready()) { requestAnimationFrame(tick); return; }
  // Entries arrive after their task: wait a little, then take what is pending.
  setTimeout(() => {
    if (po) { for (const e of po.takeRecords()) tasks.push([e.startTime, e.duration]); po.disconnect(); }
    const during = tasks.filter(([s, d]) => s + d > t0 && s < now).map(([, d]) => d);
    const pages = performance.getEntriesByType('resource').filter(e => e.startTime >= t0 && e.name.includes('/logs'));
    const fetched = pages.length ? Math.max(...pages.map(e => e.responseEnd)) - t0 : 0;
    Object.assign(r, { pages: pages.length, fetched, first, ms: now - t0, gap, frames, gaps: gaps.map(([a, g]) => `${g} at ${a}`).join(', ') || 'none', longest: during.length ? Math.max(...during) : 0, count: during.length, total: during.reduce((a, b) => a + b, 0), done: true });
  }, 150);
};
requestAnimationFrame(tick);
const b = q(button);
if (!b) { r.error = 'no ' + button; r.done = true; return false; }
b.click();
return true;
"#;

/// The result of [`LOAD`], once it has one (panics on an error or after `limit`).
async fn wait_load(h: &Harness, kind: &str, n: usize, button: &str, limit: Duration) -> Value {
    h.client
        .execute(LOAD, vec![json!(kind), json!(n), json!(button)])
        .await
        .unwrap_or_else(|e| panic!("starting the {kind} load: {e}"));
    let start = Instant::now();
    loop {
        let v = h
            .client
            .execute(
                "const r = window.__benchLoad; return r && r.done ? r : null",
                vec![],
            )
            .await
            .unwrap_or(Value::Null);
        if let Some(e) = v.get("error") {
            panic!("the {kind} load of {n} deliveries failed: {e}");
        }
        if v.get("done") == Some(&json!(true)) {
            return v;
        }
        if start.elapsed() > limit {
            panic!("the {kind} load of {n} deliveries did not show its rows and counts within {limit:?}");
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn wait_ready(h: &Harness, js: &str) -> f64 {
    let start = Instant::now();
    loop {
        let v = h.client.execute(js, vec![]).await.unwrap_or(Value::Null);
        if v == json!(true) {
            return start.elapsed().as_secs_f64() * 1000.0;
        }
        if start.elapsed() > Duration::from_secs(180) {
            panic!("page never became ready: {js}");
        }
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}

fn keep_load(v: &Value, s: &mut Samples) {
    let f = |k: &str| {
        v[k].as_f64()
            .unwrap_or_else(|| panic!("no {k} in the load's result {v}"))
    };
    s.load_ms.push(f("ms"));
    s.frame_gap.push(f("gap"));
    s.gaps = v["gaps"].as_str().unwrap_or("?").to_string();
    if let Some(e) = v.get("noLongtask") {
        panic!("this browser has no longtask entries: {e}");
    }
    s.longest_task.push(f("longest"));
    s.long_tasks.push(f("count"));
    assert!(f("pages") > 0.0, "the load's pages were not timed: {v}");
    s.fetched_ms.push(f("fetched"));
    s.after_ms.push(f("ms") - f("fetched"));
    s.first_rows_ms.push(f("first"));
}

async fn measure(h: &Harness, input: &str, scroll: &str, s: &mut Samples) {
    let v = h
        .client
        .execute_async(MEASURE, vec![json!(input), json!(scroll), json!(WORDS)])
        .await
        .unwrap();
    if let Some(e) = v.get("error") {
        panic!("measurement failed: {e}");
    }
    let nums = |k: &str| -> Vec<f64> {
        v[k].as_array()
            .unwrap()
            .iter()
            .filter_map(Value::as_f64)
            .collect()
    };
    s.keys.extend(nums("keys"));
    s.frames.extend(nums("frames"));
    s.dom.push(v["domRows"].as_f64().unwrap_or(0.0));
    let bytes = v["heap"].as_f64().unwrap_or(0.0) + v["wasm"].as_f64().unwrap_or(0.0);
    if std::env::var("BENCH_VERBOSE").is_ok() {
        println!(
            "bench: (JS heap {:.1} MB, wasm memory {:.1} MB)",
            v["heap"].as_f64().unwrap_or(0.0) / 1e6,
            v["wasm"].as_f64().unwrap_or(0.0) / 1e6
        );
    }
    s.memory_mb.push(bytes / 1e6);
    if let Some(r) = v["raw"].as_f64().filter(|r| *r > 0.0) {
        s.raw_mb.push(r / 1e6);
    }
}

/// The console: opens the explorer afresh, fills the lookup form for the generated
/// webhook of `n` deliveries, then times the load from the click on "Look up"
/// ([`LOAD`]) and [`measure`]s the page.
async fn console_round(h: &Harness, n: usize, s: &mut Samples) {
    h.client.goto("about:blank").await.unwrap();
    h.open("/explorer").await;
    let wh = format!("wh_demo_scale_{n}");
    h.fill_lookup(
        "Bench",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_scale"),
            ("lookup-webhook-id", wh.as_str()),
        ],
    )
    .await;
    // BENCH_PROFILE=DIR: a CPU profile of each console load, for DevTools (see below).
    let profile_dir = std::env::var("BENCH_PROFILE").ok();
    if profile_dir.is_some() {
        cdp(h, "Profiler.enable", json!({})).await;
        cdp(h, "Profiler.setSamplingInterval", json!({"interval": 100})).await;
        cdp(h, "Profiler.start", json!({})).await;
    }
    let v = wait_load(
        h,
        "app",
        n,
        "[data-testid=lookup-submit]",
        Duration::from_secs(300),
    )
    .await;
    if let Some(dir) = profile_dir {
        save_profile(h, &dir, n).await;
    }
    keep_load(&v, s);
    let url = h.url().await;
    assert!(
        url.contains(&wh),
        "the console looked up something else: {url}"
    );
    measure(
        h,
        "[data-testid=filter-search]",
        "[data-testid=table-scroll]",
        s,
    )
    .await;
}

/// The baseline: opens its page afresh, times the load from the click on its "Load"
/// button ([`LOAD`]) and [`measure`]s the page.
async fn baseline_round(h: &Harness, base: SocketAddr, n: usize, s: &mut Samples) {
    h.client.goto("about:blank").await.unwrap();
    let page = format!(
        "http://{base}/index.html?sim={}&n={n}&key={KEY}&start=click",
        h.sim
    );
    h.client.goto(&page).await.unwrap();
    wait_ready(h, "return !!document.getElementById('load')").await;
    let v = wait_load(h, "js", n, "#load", Duration::from_secs(300)).await;
    keep_load(&v, s);
    measure(h, "#search", "#table-scroll", s).await;
}

/// Finding a call, measured in the page: Enter in the call search to the call card with
/// its diagnosis drawn. Resolves with the milliseconds, or an error after 30 s.
const FIND: &str = r#"
const [id, done] = arguments;
const input = document.querySelector('[data-testid=call-search]');
if (!input) return done({ error: 'no call search box' });
const frame = () => new Promise(r => requestAnimationFrame(() => r()));
const shown = () => Array.from(document.querySelectorAll('[data-testid=call-card]'))
  .some(c => c.dataset.callId === id && c.querySelector('[data-testid=diagnosis]'));
(async () => {
  await frame();
  input.value = id;
  input.dispatchEvent(new Event('input', { bubbles: true }));
  const t0 = performance.now();
  input.dispatchEvent(new KeyboardEvent('keydown', { key: 'Enter', bubbles: true }));
  await new Promise((resolve, reject) => {
    if (shown()) return resolve();
    const mo = new MutationObserver(() => { if (shown()) { mo.disconnect(); resolve(); } });
    mo.observe(document.body, { childList: true, subtree: true, attributes: true });
    setTimeout(() => { mo.disconnect(); reject(new Error('no call card with its diagnosis after 30 s')); }, 30000);
  });
  await frame();
  done({ ms: performance.now() - t0 });
})().catch(e => done({ error: String(e) }));
"#;

/// The simulator's own time for the requests the card needs (the call's record and its
/// post-call webhook), one after the other and together, asked with `fetch` from the
/// same page.
const SIM_ANSWER: &str = r#"
const [sim, id, key, done] = arguments;
const get = async p => { const r = await fetch(sim + p, { headers: { authorization: key } }); if (!r.ok) throw new Error(p + ': ' + r.status); await r.text(); };
(async () => {
  const t0 = performance.now();
  await get('/v1/calls/' + id);
  await get('/v1/postcall/webhooks/' + id);
  const t1 = performance.now();
  await Promise.all([get('/v1/calls/' + id), get('/v1/postcall/webhooks/' + id)]);
  done({ ms: t1 - t0, together: performance.now() - t1 });
})().catch(e => done({ error: String(e) }));
"#;

fn ms_of(v: &Value, what: &str) -> f64 {
    if let Some(e) = v.get("error") {
        panic!("{what} failed: {e}");
    }
    v["ms"]
        .as_f64()
        .unwrap_or_else(|| panic!("{what}: no time in {v}"))
}

/// Finding a call: median time from Enter to the card with its diagnosis, against the
/// simulator with 50 ms latency, beside the simulator's own answer time.
async fn find_call(h: &Harness, rounds: usize) {
    use hookscope_core::demo::call_data::BLAND_FAILED_DELIVERY as ID;
    h.set_sim_faults(json!({ "latency_ms": 50 })).await;
    let (mut app, mut sim, mut together) = (vec![], vec![], vec![]);
    for _ in 0..rounds {
        h.client.goto("about:blank").await.unwrap();
        h.client.goto(&format!("{}/explorer", h.app)).await.unwrap();
        wait_ready(
            h,
            "return !!document.querySelector('[data-testid=call-search]') && !document.querySelector('[data-testid=chunk-loading]')",
        )
        .await;
        let v = h.client.execute_async(FIND, vec![json!(ID)]).await.unwrap();
        app.push(ms_of(&v, "finding a call"));
        let v = h
            .client
            .execute_async(SIM_ANSWER, vec![json!(h.sim), json!(ID), json!(KEY)])
            .await
            .unwrap();
        sim.push(ms_of(&v, "asking the simulator"));
        together.push(v["together"].as_f64().unwrap_or(f64::NAN));
    }
    h.set_sim_faults(json!({})).await;
    println!(
        "bench: find a call (a Bland call ID pasted, simulator latency 50 ms): Enter to the call card with its diagnosis median {:.0} ms (p95 {:.0} ms, {} runs); the simulator's own answers for the same two requests median {:.0} ms one after the other, {:.0} ms together (as the console sends them)",
        median(app.clone()),
        p95(app),
        rounds,
        median(sim),
        median(together),
    );
}

/// A Talkover load paced by the vendor's rate limit, as `crates/e2e/tests/e2e/pacing.rs`
/// does it: a webhook of `pages` pages (a log each) against the simulator's budget of
/// `limit` requests per `window_ms` per key, from the click on "Look up" to every row
/// shown.
struct Paced {
    pages: usize,
    limit: u64,
    window_ms: u64,
    wall_ms: f64,
    sent: usize,
    limited: usize,
    refused: u64,
    rows: usize,
    longest_task: f64,
}

impl Paced {
    /// The budget's floor: the last window can start only `pages / limit - 1` windows
    /// after the first.
    fn floor_ms(&self) -> f64 {
        ((self.pages as u64).div_ceil(self.limit).saturating_sub(1) * self.window_ms) as f64
    }
}

async fn paced_load(h: &Harness, pages: usize, limit: u64, window_ms: u64) -> Paced {
    h.reset_sim_with_faults(
        json!({"fault": "pages", "logs": 1, "last_page": pages, "only_path": "/logs"}),
    )
    .await;
    h.set_sim_budget(limit, window_ms).await;
    h.client.goto("about:blank").await.unwrap();
    h.open("/explorer").await;
    h.fill_lookup(
        "Bench",
        "talkover-agent",
        &[
            ("lookup-owner-id", "agt_demo_support"),
            ("lookup-webhook-id", "wh_demo_primary"),
        ],
    )
    .await;
    // The floor, then as long again and ten minutes more for a busy machine.
    let limit_wait = Duration::from_millis(2 * window_ms * (pages as u64).div_ceil(limit))
        + Duration::from_secs(600);
    let v = wait_load(h, "app", pages, "[data-testid=lookup-submit]", limit_wait).await;
    let logs = h.sim_requests_to("/logs").await;
    let budget = h.sim_budget().await;
    let rows = h
        .attr("row-count", "data-count")
        .await
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    h.reset_sim().await;
    Paced {
        pages,
        limit,
        window_ms,
        wall_ms: v["ms"].as_f64().unwrap_or(f64::NAN),
        sent: logs.len(),
        limited: logs.iter().filter(|r| r["limited"] == true).count(),
        refused: budget["refused"].as_u64().unwrap_or(u64::MAX),
        rows,
        longest_task: v["longest"].as_f64().unwrap_or(f64::NAN),
    }
}

/// One visit's size from `cargo xtask sizes` (its "what a visit downloads in all" table):
/// (raw, gzip, brotli) bytes.
fn visit_size(report: &str, visit: &str) -> Option<(u64, u64, u64)> {
    report.lines().find_map(|l| {
        let rest = l.trim_start().strip_prefix(visit)?;
        let n: Vec<u64> = rest
            .split_whitespace()
            .take(3)
            .map_while(|w| w.parse().ok())
            .collect();
        (n.len() == 3).then(|| (n[0], n[1], n[2]))
    })
}

fn kb(bytes: u64) -> String {
    format!("{:.1} kB", bytes as f64 / 1000.0)
}

fn met(ok: bool) -> String {
    if ok { "yes" } else { "**no**" }.to_string()
}

/// Milliseconds as the table writes them: `4,459 ms`, `42.1 ms`.
fn ms(v: f64) -> String {
    if v.is_nan() {
        return "—".into();
    }
    if v >= 100.0 {
        let n = v.round() as u64;
        let (hi, lo) = (n / 1000, n % 1000);
        if hi > 0 {
            format!("{hi},{lo:03} ms")
        } else {
            format!("{lo} ms")
        }
    } else {
        format!("{v:.1} ms")
    }
}

/// The issue's figures, one row each: (figure, measured, goal, met?).
type Row = [String; 4];

fn size_rows(rows: &mut Vec<Row>) {
    let report = std::env::var("BENCH_SIZES_FILE")
        .ok()
        .map(|f| std::fs::read_to_string(&f).unwrap_or_else(|e| panic!("{f}: {e}")));
    let Some(report) = report else {
        for figure in [
            "what a first lookup downloads (main + results view)",
            "the demo's first visit",
        ] {
            rows.push([
                figure.into(),
                "not measured (BENCH_SIZES_FILE unset: scripts/bench.sh sets it)".into(),
                String::new(),
                "—".into(),
            ]);
        }
        return;
    };
    let get = |visit: &str| {
        visit_size(&report, visit).unwrap_or_else(|| {
            panic!("no \"{visit}\" line in the size report (cargo xtask sizes):\n{report}")
        })
    };
    let (_, gz, br) = get("first lookup");
    rows.push([
        "what a first lookup downloads (main + results view)".into(),
        format!("{} gzip, {} brotli", kb(gz), kb(br)),
        "≤ 350 kB gzip and ≤ 300 kB brotli".into(),
        met(gz <= 350_000 && br <= 300_000),
    ]);
    let (_, gz, br) = get("demo first visit");
    rows.push([
        "the demo's first visit (what a newcomer downloads)".into(),
        format!("{} gzip ({} brotli)", kb(gz), kb(br)),
        "≤ 380 kB gzip".into(),
        met(gz <= 380_000),
    ]);
}

fn thousands(n: usize) -> String {
    if n >= 1000 {
        format!("{},{:03}", n / 1000, n % 1000)
    } else {
        n.to_string()
    }
}

#[tokio::main]
async fn main() {
    let started = Instant::now();
    let h = setup_with(&["--enable-precise-memory-info", "--js-flags=--expose-gc"]).await;
    // The keystroke script runs for seconds on a busy machine: more than WebDriver's
    // default script timeout allows.
    h.client
        .update_timeouts(TimeoutConfiguration::new(
            Some(Duration::from_secs(300)),
            Some(Duration::from_secs(120)),
            Some(Duration::ZERO),
        ))
        .await
        .unwrap();
    let base = serve_baseline().await;
    h.open("/connections").await;
    h.add_remembered_connection("talkover", "Bench").await;
    h.add_remembered_connection("bland", "Bench Bland").await;
    // BENCH_PARTS=find (or explorer, paced) for some figures alone.
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "explorer,paced,find".into());
    let mut table = vec![];
    let mut issue: Vec<Row> = vec![];
    size_rows(&mut issue);
    // BENCH_SIZES=100000 BENCH_ROUNDS=1 for a quick look at one size.
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| SIZES.to_vec());
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    let ratio = |a: f64, b: f64| a / b.max(0.001);
    let mut loads: Vec<Row> = vec![];
    let mut keys: Vec<Row> = vec![];
    let mut memory: Vec<Row> = vec![];
    let mut tasks: Vec<Row> = vec![];
    let mut firsts: Vec<Row> = vec![];
    for n in sizes.into_iter().filter(|_| parts.contains("explorer")) {
        let (mut app, mut js) = (Samples::default(), Samples::default());
        for _ in 0..rounds {
            // Alternately: the console, looking up the generated webhook through the
            // simulator, then the baseline.
            console_round(&h, n, &mut app).await;
            baseline_round(&h, base, n, &mut js).await;
        }
        let raw = median(js.raw_mb.clone());
        let line = |name: &str, s: &Samples| {
            println!(
                "bench: explorer {n} deliveries, {name}: load+index median {:.0} ms; filter keystroke median {:.1} ms, p95 {:.1} ms ({} keystrokes); scroll frame median {:.1} ms, p95 {:.1} ms; DOM rows {:.0}; JS heap + wasm memory {:.1} MB (raw JSON {raw:.1} MB)",
                median(s.load_ms.clone()),
                median(s.keys.clone()),
                p95(s.keys.clone()),
                s.keys.len(),
                median(s.frames.clone()),
                p95(s.frames.clone()),
                median(s.dom.clone()),
                median(s.memory_mb.clone()),
            );
            println!(
                "bench: explorer {n} deliveries, {name}, while the rows load: longest task median {:.0} ms, worst {:.0} ms (0: no task of 50 ms or more); long tasks median {:.0}; largest gap between animation frames median {:.0} ms, worst {:.0} ms ({} loads)",
                median(s.longest_task.clone()),
                s.longest_task.iter().copied().fold(0.0, f64::max),
                median(s.long_tasks.clone()),
                median(s.frame_gap.clone()),
                s.frame_gap.iter().copied().fold(0.0, f64::max),
                s.load_ms.len(),
            );
            println!(
                "bench: explorer {n} deliveries, {name}, the last load's gaps of over 40 ms between frames (ms, at ms after the click): {}",
                s.gaps
            );
            println!(
                "bench: explorer {n} deliveries, {name}, where the load's time goes: the last page's answer ended at median {:.0} ms after the click, the rows were shown {:.0} ms after that",
                median(s.fetched_ms.clone()),
                median(s.after_ms.clone()),
            );
            println!(
                "bench: explorer {n} deliveries, {name}: the first rows were shown at median {:.0} ms after the click",
                median(s.first_rows_ms.clone()),
            );
        };
        line("hookscope", &app);
        line("vanilla JS", &js);
        let m = |v: &Vec<f64>| median(v.clone());
        table.push(format!(
            "| {n} | {:.0} / {:.0} ms ({:.2}×) | {:.1} / {:.1} ms ({:.2}×) | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.0} / {:.0} | {:.0} / {:.0} MB ({:.1}× raw {:.0} MB) |",
            m(&app.load_ms), m(&js.load_ms), ratio(m(&app.load_ms), m(&js.load_ms)),
            m(&app.keys), m(&js.keys), ratio(m(&app.keys), m(&js.keys)),
            p95(app.keys.clone()), p95(js.keys.clone()),
            m(&app.frames), m(&js.frames),
            m(&app.dom), m(&js.dom),
            m(&app.memory_mb), m(&js.memory_mb), m(&app.memory_mb) / raw.max(0.001), raw,
        ));
        let count = thousands(n);
        let (a, b) = (m(&app.load_ms), m(&js.load_ms));
        loads.push([
            format!("load + index {count} deliveries (from \"Look up\" to the rows and counts shown; hookscope / vanilla JS)"),
            format!("{} / {} ({:.2}×)", ms(a), ms(b), ratio(a, b)),
            "≤ 1.0×".into(),
            met(ratio(a, b) <= 1.0),
        ]);
        let (a, b, end) = (
            m(&app.first_rows_ms),
            m(&js.first_rows_ms),
            m(&app.fetched_ms),
        );
        firsts.push([
            format!("first rows shown while {count} deliveries load (from \"Look up\" to the first row in the table; hookscope / vanilla JS)"),
            format!("{} / {} (the last page's answer ended at {})", ms(a), ms(b), ms(end)),
            "rows appear as pages arrive".into(),
            met(a < end),
        ]);
        let (a, b) = (p95(app.keys.clone()), p95(js.keys.clone()));
        keys.push([
            format!("filter keystroke p95 at {count} (hookscope / vanilla JS)"),
            format!("{} / {} ({:.2}×)", ms(a), ms(b), ratio(a, b)),
            "≤ 1.0× the baseline and ≤ 50 ms".into(),
            met(ratio(a, b) <= 1.0 && a <= 50.0),
        ]);
        if n == 100_000 {
            let (a, b) = (m(&app.memory_mb), m(&js.memory_mb));
            memory.push([
                format!("memory at {count} (JS heap + wasm memory after a GC)"),
                format!(
                    "{a:.0} MB: {:.2}× the {raw:.0} MB of raw JSON; {:.2}× the baseline's {b:.0} MB",
                    ratio(a, raw),
                    ratio(a, b)
                ),
                "≤ 2.0× the raw JSON".into(),
                met(ratio(a, raw) <= 2.0),
            ]);
            let worst = |v: &Vec<f64>| v.iter().copied().fold(0.0, f64::max);
            let said = |s: &Samples| {
                let longest = m(&s.longest_task);
                format!(
                    "longest task {} (worst {}), largest frame gap {} (worst {})",
                    if longest == 0.0 {
                        "none ≥ 50 ms".to_string()
                    } else {
                        ms(longest)
                    },
                    ms(worst(&s.longest_task)),
                    ms(m(&s.frame_gap)),
                    ms(worst(&s.frame_gap)),
                )
            };
            let (longest, gap) = (m(&app.longest_task), m(&app.frame_gap));
            let mut ok = met(longest <= 50.0);
            if (longest <= 50.0) != (gap <= 50.0) {
                ok.push_str(&format!(
                    " (the frame gap says {})",
                    if gap <= 50.0 { "yes" } else { "no" }
                ));
            }
            tasks.push([
                format!("longest main-thread task while {count} rows load (from \"Look up\" to the rows and counts shown; medians of {} loads)", app.load_ms.len()),
                format!("hookscope: {}; vanilla JS: {}", said(&app), said(&js)),
                "≤ 50 ms (the page answers input while loading)".into(),
                ok,
            ]);
        }
    }
    if !table.is_empty() {
        println!("bench: | deliveries | load+index (hookscope / JS) | keystroke median | keystroke p95 | scroll frame median | DOM rows | memory (hookscope / JS) |");
        println!("bench: |---|---|---|---|---|---|---|");
    }
    for row in table {
        println!("bench: {row}");
    }
    let missing = |rows: &mut Vec<Row>, figure: &str, goal: &str| {
        if rows.is_empty() {
            rows.push([
                figure.into(),
                "not measured in this run (BENCH_PARTS / BENCH_SIZES)".into(),
                goal.into(),
                "—".into(),
            ]);
        }
    };
    missing(
        &mut loads,
        "load + index 10,000 / 100,000 deliveries",
        "≤ 1.0×",
    );
    missing(
        &mut keys,
        "filter keystroke p95 at 10,000 / 100,000",
        "≤ 1.0× the baseline and ≤ 50 ms",
    );
    missing(&mut memory, "memory at 100,000", "≤ 2.0× the raw JSON");
    missing(
        &mut tasks,
        "longest main-thread task while 100,000 rows load",
        "≤ 50 ms",
    );
    missing(
        &mut firsts,
        "first rows shown while 10,000 / 100,000 deliveries load",
        "rows appear as pages arrive",
    );
    issue.extend(loads);
    issue.extend(firsts);
    issue.extend(keys);
    issue.extend(memory);
    issue.extend(tasks);
    if parts.contains("paced") {
        // Talkover's limit is 100 requests a minute; the minute is shortened (2 s by
        // default) so the load takes seconds, not nine minutes.
        let window_ms: u64 = std::env::var("BENCH_PACE_WINDOW_MS")
            .ok()
            .and_then(|w| w.parse().ok())
            .unwrap_or(2000);
        let p = paced_load(&h, 1000, 100, window_ms).await;
        let window = if window_ms == 60_000 {
            "a minute".to_string()
        } else {
            format!(
                "{:.1} s (the simulator's minute shortened to {:.1} s, BENCH_PACE_WINDOW_MS)",
                window_ms as f64 / 1000.0,
                window_ms as f64 / 1000.0
            )
        };
        println!(
            "bench: Talkover paced load: {} pages against {} requests per {window}: {} requests sent, {} answered 429 (the simulator's budget refused {}), {} rows shown; wall {:.1} s against the budget's floor of {:.1} s ({:.2}×); longest main-thread task {}",
            p.pages,
            p.limit,
            p.sent,
            p.limited,
            p.refused,
            p.rows,
            p.wall_ms / 1000.0,
            p.floor_ms() / 1000.0,
            ratio(p.wall_ms, p.floor_ms()),
            if p.longest_task == 0.0 { "none ≥ 50 ms".into() } else { ms(p.longest_task) },
        );
        issue.push([
            format!(
                "Talkover at 100 requests/minute: {} pages paced load (the simulator's minute shortened to {:.1} s)",
                thousands(p.pages),
                window_ms as f64 / 1000.0
            ),
            format!(
                "{} requests sent, {} 429s, {} rows; {:.1} s against the floor of {:.1} s ({:.2}×)",
                thousands(p.sent),
                p.limited.max(p.refused as usize),
                thousands(p.rows),
                p.wall_ms / 1000.0,
                p.floor_ms() / 1000.0,
                ratio(p.wall_ms, p.floor_ms()),
            ),
            "zero 429s".into(),
            met(p.limited == 0 && p.refused == 0 && p.rows == p.pages && p.sent == p.pages),
        ]);
    } else {
        issue.push([
            "Talkover at 100 requests/minute: 1,000 pages paced load".into(),
            "not measured in this run (BENCH_PARTS)".into(),
            "zero 429s".into(),
            "—".into(),
        ]);
    }
    if parts.contains("find") {
        find_call(&h, rounds.max(5)).await;
    }
    h.finish().await;
    println!();
    println!("| figure | measured | goal | met? |");
    println!("|---|---|---|---|");
    for [figure, measured, goal, ok] in issue {
        println!("| {figure} | {measured} | {goal} | {ok} |");
    }
    println!(
        "bench: the browser benchmark took {:.0} s",
        started.elapsed().as_secs_f64()
    );
}

/// Writes the CPU profile of the load just timed to `DIR/load-N.cpuprofile` (open it in
/// DevTools' Performance panel; function names need a build with them:
/// `XTASK_WASM_NAMES=1 CARGO_PROFILE_RELEASE_STRIP=none trunk build --release`) and prints
/// the page's element count, with the parts holding more than 40. Profiling slows the
/// load: its times are for finding where the time goes, not for the table.
async fn save_profile(h: &Harness, dir: &str, n: usize) {
    let out = cdp(h, "Profiler.stop", json!({})).await;
    let path = PathBuf::from(dir).join(format!("load-{n}.cpuprofile"));
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(&path, out["profile"].to_string()).unwrap();
    let dom = h
        .client
        .execute(
            r#"const parts = {};
document.querySelectorAll('[data-testid]').forEach(e => {
  const n = e.querySelectorAll('*').length;
  if (n > 40) parts[e.dataset.testid] = n;
});
return JSON.stringify({ elements: document.querySelectorAll('*').length, parts });"#,
            vec![],
        )
        .await
        .unwrap();
    println!(
        "bench: {n} deliveries, a CPU profile of the load in {}; the page's elements: {}",
        path.display(),
        dom.as_str().unwrap_or_default()
    );
}

/// A Chrome DevTools Protocol command, through ChromeDriver's `goog/cdp/execute`.
#[derive(Debug)]
struct Cdp(&'static str, Value);

impl fantoccini::wd::WebDriverCompatibleCommand for Cdp {
    fn endpoint(
        &self,
        base: &url::Url,
        session: Option<&str>,
    ) -> Result<url::Url, url::ParseError> {
        base.join(&format!(
            "session/{}/goog/cdp/execute",
            session.unwrap_or_default()
        ))
    }

    fn method_and_body(&self, _: &url::Url) -> (http::Method, Option<String>) {
        let body = json!({"cmd": self.0, "params": self.1});
        (http::Method::POST, Some(body.to_string()))
    }
}

async fn cdp(h: &Harness, cmd: &'static str, params: Value) -> Value {
    h.client
        .issue_cmd(Cdp(cmd, params))
        .await
        .unwrap_or_else(|e| panic!("{cmd}: {e}"))
}
