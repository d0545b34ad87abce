//! Explorer benchmark (scripts/bench.sh): the console's release build and a hand-written
//! vanilla-JS page (bench/explorer/) load the same generated deliveries from the
//! simulator and run the same filters, alternately, in one headless Chromium. Prints
//! medians (and p95 for keystrokes and frames) as `bench:` lines and a Markdown table.
//! Then finding a call: from Enter in the call search (a Bland call ID pasted) to its card
//! with the diagnosis on screen, against the simulator answering after 50 ms, beside the
//! simulator's own answer time for the same requests. Nothing here asserts on time; a
//! run that cannot measure fails (a panic, which scripts/bench.sh shows).

use hookscope_e2e::*;
use serde_json::{json, Value};
use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

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

/// Opens `page` afresh and keeps how long it took until the script `ready` holds, then
/// [`measure`]s it.
async fn load_and_measure(
    h: &Harness,
    page: &str,
    ready: &str,
    input: &str,
    scroll: &str,
    s: &mut Samples,
) {
    h.client.goto("about:blank").await.unwrap();
    h.client.goto(page).await.unwrap();
    s.load_ms.push(wait_ready(h, ready).await);
    measure(h, input, scroll, s).await;
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

#[tokio::main]
async fn main() {
    let h = setup_with(&["--enable-precise-memory-info", "--js-flags=--expose-gc"]).await;
    let base = serve_baseline().await;
    h.open("/connections").await;
    h.add_remembered_connection("talkover", "Bench").await;
    h.add_remembered_connection("bland", "Bench Bland").await;
    // BENCH_PARTS=find for the find-a-call figure alone.
    let parts = std::env::var("BENCH_PARTS").unwrap_or_else(|_| "explorer,find".into());
    let mut table = vec![];
    // BENCH_SIZES=100000 BENCH_ROUNDS=1 for a quick look at one size.
    let sizes: Vec<usize> = std::env::var("BENCH_SIZES")
        .ok()
        .map(|v| v.split(',').filter_map(|n| n.trim().parse().ok()).collect())
        .unwrap_or_else(|| SIZES.to_vec());
    let rounds: usize = std::env::var("BENCH_ROUNDS")
        .ok()
        .and_then(|r| r.parse().ok())
        .unwrap_or(ROUNDS);
    for n in sizes.into_iter().filter(|_| parts.contains("explorer")) {
        let (mut app, mut js) = (Samples::default(), Samples::default());
        for _ in 0..rounds {
            // The console, looking up the generated webhook through the simulator.
            let page = format!(
                "{}/explorer?c=Bench&k=talkover-agent&owner=agt_demo_scale&wh=wh_demo_scale_{n}",
                h.app
            );
            let ready = format!(
                "const c = document.querySelector('[data-testid=row-count]'); return !!c && c.dataset.count === '{n}' && !document.querySelector('[data-testid=load-progress]')"
            );
            let (input, scroll) = ("[data-testid=filter-search]", "[data-testid=table-scroll]");
            load_and_measure(&h, &page, &ready, input, scroll, &mut app).await;
            // The baseline.
            let page = format!("http://{base}/index.html?sim={}&n={n}&key={KEY}", h.sim);
            let ready = "return document.body.dataset.ready === '1'";
            load_and_measure(&h, &page, ready, "#search", "#table-scroll", &mut js).await;
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
        };
        line("hookscope", &app);
        line("vanilla JS", &js);
        let ratio = |a: f64, b: f64| a / b.max(0.001);
        table.push(format!(
            "| {n} | {:.0} / {:.0} ms ({:.2}×) | {:.1} / {:.1} ms ({:.2}×) | {:.1} / {:.1} ms | {:.1} / {:.1} ms | {:.0} / {:.0} | {:.0} / {:.0} MB ({:.1}× raw {:.0} MB) |",
            median(app.load_ms.clone()), median(js.load_ms.clone()), ratio(median(app.load_ms.clone()), median(js.load_ms.clone())),
            median(app.keys.clone()), median(js.keys.clone()), ratio(median(app.keys.clone()), median(js.keys.clone())),
            p95(app.keys.clone()), p95(js.keys.clone()),
            median(app.frames.clone()), median(js.frames.clone()),
            median(app.dom.clone()), median(js.dom.clone()),
            median(app.memory_mb.clone()), median(js.memory_mb.clone()), median(app.memory_mb.clone()) / raw.max(0.001), raw,
        ));
    }
    if !table.is_empty() {
        println!("bench: | deliveries | load+index (hookscope / JS) | keystroke median | keystroke p95 | scroll frame median | DOM rows | memory (hookscope / JS) |");
        println!("bench: |---|---|---|---|---|---|---|");
    }
    for row in table {
        println!("bench: {row}");
    }
    if parts.contains("find") {
        find_call(&h, rounds.max(5)).await;
    }
    h.finish().await;
}
