//! Browser benchmarks (run by scripts/bench.sh, not by the test suite): medians of
//! repeated runs in headless Chromium, printed as `bench:` lines. Nothing here asserts
//! on time; the numbers go into the README.

use hookscope::components::delivery_table::DeliveryTable;
use hookscope::data::filters::{FilterSet, Sort};
use hookscope::data::index::{DeliveryIndex, Group, IndexRef, SlotInfo};
use hookscope::format::Zone;
use hookscope::net::lookup;
use hookscope::net::transport::CancelToken;
use hookscope_core::connection::Connection;
use hookscope_core::demo::data as demo;
use hookscope_core::domain::{Delivery, DeliveryStatus, Vendor};
use hookscope_core::ids::PathId;
use hookscope_core::lookup::Lookup;
use hookscope_core::secret::ApiKey;
use hookscope_core::vendors::talkover;
use leptos::prelude::*;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn now_ms() -> f64 {
    web_sys::window()
        .and_then(|w| w.performance())
        .map(|p| p.now())
        .unwrap_or(0.0)
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

/// Gives the browser a turn. The test runner reads the page's output over WebDriver,
/// which gives up when the page does not answer for 30 s: a benchmark that holds the
/// main thread longer (100,000 rows on a slow machine) made the runner fail.
async fn breathe() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

async fn time<F: FnMut()>(runs: usize, mut f: F) -> f64 {
    f(); // warm-up
    let mut v = Vec::with_capacity(runs);
    for _ in 0..runs {
        breathe().await;
        let t = now_ms();
        f();
        v.push(now_ms() - t);
    }
    median(v)
}

/// The demo webhook's logs, the data every benchmark here repeats.
fn demo_logs() -> Vec<serde_json::Value> {
    demo::talkover_logs(
        "agents",
        "agt_demo_support",
        "wh_demo_primary",
        chrono::Utc::now(),
    )
    .unwrap()
}

/// A Talkover page body holding logs `first..first + n` of the demo webhook's logs
/// repeated end to end, each with an ID of its own.
fn talkover_body(logs: &[serde_json::Value], first: usize, n: usize) -> String {
    let data: Vec<serde_json::Value> = logs
        .iter()
        .cycle()
        .skip(first % logs.len())
        .take(n)
        .enumerate()
        .map(|(i, l)| {
            let mut l = l.clone();
            l["id"] = serde_json::json!(format!("log-{}", first + i));
            l
        })
        .collect();
    serde_json::json!({"success": true, "data": data, "pagination": {"current_page": 1, "per_page": n, "total": n, "last_page": 1}}).to_string()
}

/// `n` Talkover logs, written and decoded a page of 1,000 at a time with a turn for the
/// browser between pages (see `breathe`); the data is the same as one page of `n`.
async fn logs(n: usize) -> Vec<talkover::DeliveryLog> {
    let req = talkover::logs(talkover::Owner::Agent, &pid("a"), &pid("w"), 1, 100);
    let demo = demo_logs();
    let mut logs = Vec::with_capacity(n);
    for first in (0..n).step_by(1000) {
        let body = talkover_body(&demo, first, (n - first).min(1000));
        logs.extend(talkover::decode_page(&req, 200, &body).unwrap().logs);
        breathe().await;
    }
    logs
}

/// `n` logs as deliveries, grouped together as one lookup's are.
async fn deliveries(n: usize) -> Vec<Delivery> {
    talkover::into_deliveries(logs(n).await)
}

#[wasm_bindgen_test]
async fn bench_decode_and_map() {
    let req = talkover::logs(talkover::Owner::Agent, &pid("a"), &pid("w"), 1, 100);
    for n in [100usize, 1000] {
        let body = talkover_body(&demo_logs(), 0, n);
        let rust = time(15, || {
            let p = talkover::decode_page(&req, 200, &body).unwrap();
            std::hint::black_box(talkover::to_deliveries(&p.logs));
        })
        .await;
        let js = time(15, || {
            std::hint::black_box(js_sys::JSON::parse(&body).unwrap());
        })
        .await;
        console_log!("bench: decode+map {n} Talkover logs ({} kB): median {rust:.2} ms; JSON.parse alone {js:.2} ms; ratio {:.1}x", body.len() / 1024, rust / js.max(0.001));
    }
}

fn index_of(rows: Vec<Delivery>) -> IndexRef {
    let group: Group = Arc::new(lookup::LookupResult {
        deliveries: rows.into(),
        ..Default::default()
    });
    let info = SlotInfo {
        vendor: Vendor::Talkover,
        conn: "bench".into(),
    };
    IndexRef {
        ix: Arc::new(DeliveryIndex::build(vec![(info, group)])),
        generation: 1,
    }
}

#[wasm_bindgen_test]
async fn bench_filter_and_sort() {
    let rows = deliveries(2000).await;
    let n = rows.len();
    let t_build = time(7, || {
        std::hint::black_box(index_of(rows.clone()));
    })
    .await;
    let ix = index_of(rows);
    let order = ix.ix.sorted(Sort::default());
    let now = chrono::Utc::now();
    let search = FilterSet {
        q: "etimedout".into(),
        ..Default::default()
    };
    let status = FilterSet {
        status: vec![DeliveryStatus::Failed],
        ..Default::default()
    };
    let t_search = time(15, || {
        // A different text each run, so the narrowing cache does not answer.
        std::hint::black_box(ix.ix.filter(
            &FilterSet {
                q: format!("{}{}", search.q, now_ms()),
                ..Default::default()
            },
            &order,
            now,
        ));
    })
    .await;
    let t_status = time(15, || {
        std::hint::black_box(ix.ix.filter(&status, &order, now));
    })
    .await;
    let t_sort = time(15, || {
        std::hint::black_box(ix.ix.sorted(Sort::parse("-latency").unwrap()));
    })
    .await;
    console_log!("bench: index {n} deliveries: build median {t_build:.2} ms; full-text search median {t_search:.2} ms; status median {t_status:.2} ms; sort by latency median {t_sort:.2} ms");
}

/// The steps of a 100,000-log Talkover load from the last page to the first drawing of
/// the rows, each timed on its own as one task, the median of 3 loads. Those the app runs
/// in slices (dedupe, times and grouping; the search text) are timed whole: what they
/// cost in all, not a task of the app's.
#[wasm_bindgen_test]
async fn bench_after_the_last_page() {
    use hookscope::data::index::Prepared;
    use hookscope::data::overview::Overview;
    let names = [
        "box the logs",
        "dedupe (in slices in the app)",
        "read times (in slices)",
        "sort by time",
        "group (in slices)",
        "newest first",
        "unique IDs at once (the app proves them in slices)",
        "prepare search text and keys (in slices)",
        "index",
        "sort rows",
        "filter + facets",
        "overview",
        "causes",
        "drop the index (its rows then freed in slices)",
    ];
    let mut runs: Vec<Vec<f64>> = vec![vec![]; names.len()];
    let all = logs(100_000).await;
    for _ in 0..3 {
        let logs = all.clone();
        let mut took = Vec::with_capacity(names.len());
        // Times `f` as a task of its own (the browser has a turn before it).
        async fn lap<T>(took: &mut Vec<f64>, f: impl FnOnce() -> T) -> T {
            breathe().await;
            let t = now_ms();
            let out = f();
            took.push(now_ms() - t);
            out
        }
        let mut g = lap(&mut took, || talkover::Grouping::new(logs, true)).await;
        // With no budget each step is one whole phase: dedupe, times, sort, group. Only
        // the sort is one task in the app; the others run in slices, timed here whole.
        while !lap(&mut took, || g.step(usize::MAX)).await {}
        let (mut ds, _) = lap(&mut took, || g.finish()).await;
        lap(&mut took, || {
            hookscope_core::domain::make_ids_unique(&mut ds)
        })
        .await;
        let prepared = Some(Arc::new(lap(&mut took, || Prepared::of(&ds)).await));
        let group: Group = Arc::new(lookup::LookupResult {
            deliveries: ds.into(),
            prepared,
            ..Default::default()
        });
        let info = SlotInfo {
            vendor: Vendor::Talkover,
            conn: "bench".into(),
        };
        let ix = lap(&mut took, || DeliveryIndex::build(vec![(info, group)])).await;
        let order = lap(&mut took, || ix.sorted(Sort::default())).await;
        let f = lap(&mut took, || {
            ix.filter(&FilterSet::default(), &order, chrono::Utc::now())
        })
        .await;
        lap(&mut took, || {
            std::hint::black_box(Overview::of(&ix, &f.rows))
        })
        .await;
        lap(&mut took, || std::hint::black_box(ix.causes(&f.rows))).await;
        lap(&mut took, || drop((f, order, ix))).await;
        for (r, ms) in runs.iter_mut().zip(took) {
            r.push(ms);
        }
    }
    let parts: Vec<String> = names
        .iter()
        .zip(runs)
        .map(|(n, r)| format!("{n} {:.1}", median(r)))
        .collect();
    console_log!(
        "bench: after the last page of 100,000 logs, each a task of its own (ms, median of 3): {}",
        parts.join("; ")
    );
}

/// What a keystroke's search costs at 100,000 rows: the starts of the explorer bench's
/// words, each asked fresh (another search between clears the narrowing cache), and no
/// search at all for the walk that every filter makes.
#[wasm_bindgen_test]
async fn bench_search_100000() {
    let ix = index_of(deliveries(100_000).await);
    let order = ix.ix.sorted(Sort::default());
    let now = chrono::Utc::now();
    let ask = |q: &str| {
        std::hint::black_box(ix.ix.filter(
            &FilterSet {
                q: q.into(),
                ..Default::default()
            },
            &order,
            now,
        ));
    };
    let mut lines = Vec::new();
    for q in ["", "e", "et", "eti", "en", "se", "ser", "tr", "tra"] {
        let mut runs = Vec::with_capacity(5);
        for _ in 0..5 {
            breathe().await;
            ask("\u{2603}");
            let t0 = now_ms();
            ask(q);
            runs.push(now_ms() - t0);
        }
        lines.push(format!("{q:?} {:.1}", median(runs)));
    }
    console_log!(
        "bench: filter 100,000 rows by a search from scratch (ms, median of 5): {}",
        lines.join("; ")
    );
}

#[wasm_bindgen_test]
async fn bench_render_table() {
    for n in [1000usize, 100_000] {
        let ix = index_of(deliveries(n).await);
        let n = ix.ix.len();
        let all: Arc<Vec<u32>> = Arc::new((0..n as u32).collect());
        let half: Arc<Vec<u32>> = Arc::new((0..n as u32).step_by(2).collect());
        let mut mount = vec![];
        let mut refilter = vec![];
        for _ in 0..7 {
            let doc = document();
            let el = doc
                .create_element("div")
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>();
            doc.body().unwrap().append_child(&el).unwrap();
            let rows = RwSignal::new(all.clone());
            let ixs = Signal::stored(ix.clone());
            let t = now_ms();
            let h = leptos::mount::mount_to(el.clone(), move || {
                view! {
                    <DeliveryTable index=ixs rows=rows selected=Signal::stored(None::<String>) on_select=Callback::new(|_| ()) sort=Signal::stored(Sort::default()) on_sort=Callback::new(|_| ()) hidden=Signal::stored(vec![]) now=Signal::stored(chrono::Utc::now()) zone=Signal::stored(Zone::Utc) />
                }
            });
            leptos::task::tick().await;
            // Force layout so the number includes the browser's work, not only Rust's.
            let _ = el.offset_height();
            mount.push(now_ms() - t);
            let t = now_ms();
            rows.set(half.clone());
            leptos::task::tick().await;
            let _ = el.offset_height();
            refilter.push(now_ms() - t);
            assert!(
                el.query_selector_all("[data-testid=delivery-row]")
                    .unwrap()
                    .length()
                    <= 150
            );
            drop(h);
            el.remove();
        }
        console_log!(
            "bench: render windowed table of {n} rows: median {:.1} ms; re-filter to half: median {:.1} ms",
            median(mount),
            median(refilter)
        );
    }
}

#[wasm_bindgen_test]
async fn bench_lookup_over_http() {
    let Some(url) = option_env!("HOOKSCOPE_SIM_URL") else {
        console_log!("bench: lookup over HTTP skipped (HOOKSCOPE_SIM_URL not set)");
        return;
    };
    let conn = Connection {
        name: "b".into(),
        vendor: Vendor::Talkover,
        base_url: url.into(),
        key: ApiKey::parse("sim-key").unwrap(),
        readonly: false,
        remember: false,
        demo: false,
        timeout_secs: 30,
        managed: false,
        role_limit: None,
    };
    let l = Lookup::Talkover {
        owner: talkover::Owner::Agent,
        owner_id: pid("agt_demo_support"),
        webhook_id: pid("wh_demo_primary"),
    };
    let mut v = vec![];
    for _ in 0..9 {
        let t = now_ms();
        let r = lookup::run(&conn, &l, &CancelToken::new(), Rc::new(|_| {}))
            .await
            .unwrap();
        v.push(now_ms() - t);
        assert!(r.failures.is_empty());
    }
    console_log!("bench: Talkover lookup over loopback HTTP (3 pages, 271 logs, 4 in flight): median {:.1} ms", median(v));
}

/// Bulk create of 1,000 call IDs against the simulator (50 ms latency per request):
/// wall time beside its floor (requests × latency ÷ concurrency), and the longest time the
/// main thread was busy during the run (the largest gap between 1 ms timer ticks).
#[wasm_bindgen_test]
async fn bench_bulk_1000_ids() {
    use hookscope::net::bulk::{run, RunSpec, StopFlag};
    use hookscope_core::bulk::Mode;
    use std::cell::Cell;
    let Some(url) = option_env!("HOOKSCOPE_SIM_URL") else {
        console_log!("bench: bulk skipped (HOOKSCOPE_SIM_URL not set)");
        return;
    };
    let latency = 50.0;
    let post = |path: &str, body: &str| {
        gloo_net::http::Request::post(&format!("{url}{path}"))
            .body(body.to_string())
            .unwrap()
            .send()
    };
    let ids: Vec<String> = (0..1000).map(|i| format!("bench-call-{i:04}")).collect();
    let (chunk, concurrency) = (50usize, 2usize);
    let floor = (ids.len().div_ceil(chunk) as f64) * latency / concurrency as f64;
    let mut walls = vec![];
    let mut stalls = vec![];
    for _ in 0..5 {
        post("/__sim/reset", "{}").await.unwrap();
        post(
            "/__sim/faults",
            &format!(r#"{{"latency_ms": {latency}, "only_path": "/create"}}"#),
        )
        .await
        .unwrap();
        let spec = RunSpec {
            mode: Mode::Create,
            conn: Connection {
                name: "b".into(),
                vendor: Vendor::Bland,
                base_url: url.into(),
                key: ApiKey::parse("sim-key").unwrap(),
                readonly: false,
                remember: false,
                demo: false,
                timeout_secs: 30,
                managed: false,
                role_limit: None,
            },
            url: "https://hooks.example.com/x".into(),
            ids: ids.clone(),
            chunk,
            concurrency,
        };
        // A 1 ms ticker: the largest gap between ticks is the longest main-thread task.
        let last = Rc::new(Cell::new(now_ms()));
        let worst = Rc::new(Cell::new(0.0f64));
        let (l2, w2) = (last.clone(), worst.clone());
        let ticker = gloo_timers::callback::Interval::new(1, move || {
            let t = now_ms();
            w2.set(w2.get().max(t - l2.get()));
            l2.set(t);
        });
        let t = now_ms();
        let n = Rc::new(Cell::new(0usize));
        let n2 = n.clone();
        run(
            spec,
            StopFlag::default(),
            Rc::new(move |got| n2.set(n2.get() + got.len())),
            Rc::new(|_| {}),
        )
        .await;
        walls.push(now_ms() - t);
        drop(ticker);
        stalls.push(worst.get());
        assert_eq!(n.get(), 1000);
    }
    post("/__sim/reset", "{}").await.unwrap();
    let wall = median(walls);
    console_log!(
        "bench: bulk create of 1,000 IDs (20 requests of 50, 2 at a time, 50 ms simulator latency): median {wall:.0} ms vs floor {floor:.0} ms ({:.2}x); longest main-thread task during the run: median {:.0} ms",
        wall / floor,
        median(stalls)
    );
}

/// Reading 10,000 pasted call IDs (what each keystroke in the bulk box costs).
#[wasm_bindgen_test]
async fn bench_parse_10000_ids() {
    let text: String = (0..10_000)
        .map(|i| {
            format!(
                "{}\n",
                demo::bland_call_id(i % 150).replace("-", &format!("-{i}-"))
            )
        })
        .collect();
    let ms = time(15, || {
        let p = hookscope_core::bulk::parse_ids(&text);
        assert_eq!(p.valid.len(), 10_000);
    })
    .await;
    console_log!("bench: parse 10,000 pasted call IDs: median {ms:.1} ms");
}

/// Opening a 1 MB and a 5 MB payload in the viewer: first view (parse + mount + layout)
/// and "Expand all" (which opens every level up to 5,000 nodes, the first levels above).
#[wasm_bindgen_test]
async fn bench_payload_viewer() {
    use hookscope::components::delivery_detail::json_view::{Doc, JsonView};
    for mb in [1usize, 5] {
        // Call records like the vendors send, repeated to the size wanted.
        let one = serde_json::json!({"call_id": "9d4e3f2a-1111", "amount": 1.1, "tags": ["a", "b"],
            "transcript": [{"speaker": "user", "text": "Hi, I'm calling about my order number 12345."}, {"speaker": "agent", "text": "Sure, one moment please."}],
            "variables": {"customer_tier": "gold", "ticket": "T-1234", "nested": {"deeper": {"deepest": [1, 2, 3]}}}}).to_string();
        let n = mb * 1_000_000 / one.len();
        let text = format!("[{}]", vec![one.as_str(); n].join(","));
        let mut first = vec![];
        let mut expand = vec![];
        for _ in 0..5 {
            let doc = document();
            let el = doc
                .create_element("div")
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>();
            doc.body().unwrap().append_child(&el).unwrap();
            let t = now_ms();
            let d = Doc::from_text(&text);
            let h = leptos::mount::mount_to(
                el.clone(),
                move || view! { <JsonView doc=d.clone() testid="payload-view" label="Payload" /> },
            );
            leptos::task::tick().await;
            let _ = el.offset_height();
            first.push(now_ms() - t);
            let button = el
                .query_selector("[data-testid=json-expand-all]")
                .unwrap()
                .unwrap()
                .unchecked_into::<web_sys::HtmlElement>();
            let t = now_ms();
            button.click();
            leptos::task::tick().await;
            let _ = el.offset_height();
            expand.push(now_ms() - t);
            drop(h);
            el.remove();
        }
        console_log!(
            "bench: open a {mb} MB payload ({n} records): first view median {:.0} ms; expand all median {:.0} ms",
            median(first),
            median(expand)
        );
    }
}

fn pid(s: &str) -> PathId {
    PathId::typed("ID", s).unwrap()
}
