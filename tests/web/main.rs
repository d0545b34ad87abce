//! Component tests in headless Chromium (wasm-bindgen-test), one module per area. Requests go over real HTTP
//! through gloo-net to the API simulator that scripts/test.sh starts (HOOKSCOPE_SIM_URL).

use hookscope::components::delivery_detail::DeliveryDetail;
use hookscope::components::delivery_table::DeliveryTable;
use hookscope::components::error_banner::ErrorBanner;
use hookscope::data::filters::{Sort, SortKey};
use hookscope::data::index::{DeliveryIndex, Group, IndexRef, SlotInfo};
use hookscope::format::Zone;
use hookscope::net::lookup::{self, LoadState, LookupResult};
use hookscope::net::transport::{send, CancelToken, Failure};
use hookscope::platform::storage::keys;
use hookscope::state::connections::Connections;
use hookscope_core::connection::Connection;
use hookscope_core::demo::data as demo;
use hookscope_core::domain::Vendor;
use hookscope_core::error::{ApiError, ErrorKind};
use hookscope_core::ids::PathId;
use hookscope_core::lookup::Lookup;
use hookscope_core::replay::RetryScope as Origin;
use hookscope_core::secret::ApiKey;
use hookscope_core::vendors::{bland, burki, talkover};
use leptos::prelude::*;
use std::cell::Cell;
use std::rc::Rc;
use std::sync::Arc;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Starts Leptos's task executor, as the app's mount does. Tests that make effects or
/// spawn tasks before mounting anything ran after one that mounted, in the order the
/// runner chose: the order changed with the build and they failed when they came first.
pub(crate) fn executor() {
    let el = document().create_element("div").unwrap();
    leptos::mount::mount_to(el.unchecked_into(), || ()).forget();
}

mod actions;
mod components;
mod network;
mod storage;

// `option_env!` rather than `env!` so clippy and `--no-run` builds work without the
// simulator; the tests themselves fail (never skip) when it is missing.
#[allow(clippy::option_env_unwrap)]
pub(crate) fn sim_url() -> String {
    option_env!("HOOKSCOPE_SIM_URL")
        .expect("HOOKSCOPE_SIM_URL is not set; run scripts/test.sh")
        .to_string()
}

pub(crate) fn conn(vendor: Vendor, key: &str) -> Connection {
    Connection {
        name: format!("sim {}", vendor.id()),
        vendor,
        base_url: sim_url(),
        key: ApiKey::parse(key).unwrap(),
        remember: false,
        demo: false,
        readonly: false,
        timeout_secs: 10,
        managed: false,
        role_limit: None,
    }
}

pub(crate) fn pid(s: &str) -> PathId {
    PathId::typed("ID", s).unwrap()
}

pub(crate) fn pids(ids: &[&str]) -> Vec<PathId> {
    ids.iter().map(|s| pid(s)).collect()
}

pub(crate) async fn lookup(c: &Connection, l: Lookup) -> LookupResult {
    match lookup::run(c, &l, &CancelToken::new(), Rc::new(|_| {})).await {
        Ok(r) => r,
        Err(e) => panic!("lookup failed: {e:?}"),
    }
}

pub(crate) fn one_failure(r: &LookupResult) -> &ApiError {
    assert!(
        r.deliveries.is_empty(),
        "expected no deliveries, got {}",
        r.deliveries.len()
    );
    assert_eq!(r.failures.len(), 1, "{:?}", r.failures);
    &r.failures[0]
}

pub(crate) fn container() -> web_sys::HtmlElement {
    let doc = document();
    let div = doc
        .create_element("div")
        .unwrap()
        .unchecked_into::<web_sys::HtmlElement>();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// An index of `ds` (one lookup) and all its rows in load order.
pub(crate) fn index_of(
    ds: Vec<hookscope_core::Delivery>,
) -> (Signal<IndexRef>, Signal<Arc<Vec<u32>>>) {
    let n = ds.len() as u32;
    let group: Group = Arc::new(LookupResult {
        deliveries: ds.into(),
        ..Default::default()
    });
    let info = SlotInfo {
        vendor: Vendor::Burki,
        conn: "sim".into(),
    };
    let ix = IndexRef {
        ix: Arc::new(DeliveryIndex::build(vec![(info, group)])),
        generation: 1,
    };
    (
        Signal::stored(ix),
        Signal::stored(Arc::new((0..n).collect())),
    )
}

/// Sends a control request to the simulator (`/__sim/…`).
pub(crate) async fn sim_control(method: &str, path: &str, body: &str) -> String {
    let url = format!("{}{path}", sim_url());
    let req = if method == "POST" {
        gloo_net::http::Request::post(&url)
            .header("content-type", "application/json")
            .body(body.to_string())
            .unwrap()
    } else {
        gloo_net::http::Request::get(&url).build().unwrap()
    };
    req.send().await.unwrap().text().await.unwrap()
}
