//! The one way the console talks to a vendor: over HTTP with gloo-net, or to the
//! in-process demo API. Both return a [`RawResponse`] that the same adapter code decodes.
//!
//! Handles the auth header, a timeout, cancellation, and the mapping of transport
//! failures (network, CORS, timeout) into typed errors. Keys go in headers only.

pub use crate::net::cancel::CancelToken;
use futures::future::{select, Either};
use futures::FutureExt;
use hookscope_core::connection::Connection;
use hookscope_core::demo::{DemoApi, DemoRequest, DemoResponse};
use hookscope_core::error::{ApiError, ErrorKind};
use hookscope_core::request::{ApiRequest, Method};
use hookscope_core::response::RawResponse;

/// Why a request produced no usable answer.
#[derive(Clone, Debug, PartialEq)]
pub enum Failure {
    /// The person (or the view going away) cancelled it; not an error to show.
    Cancelled,
    Api(ApiError),
}

impl From<ApiError> for Failure {
    fn from(e: ApiError) -> Self {
        Failure::Api(e)
    }
}

/// Sends `req` over the connection, bounded by its timeout and `cancel`.
pub async fn send(
    conn: &Connection,
    req: &ApiRequest,
    cancel: &CancelToken,
) -> Result<RawResponse, Failure> {
    if cancel.is_cancelled() {
        return Err(Failure::Cancelled);
    }
    // The vendor's limit is kept here, before the request is timed: every fan-out on a
    // connection shares its budget. The demo has no limit.
    let ticket = if conn.demo {
        None
    } else {
        match crate::net::pacing::budget_for(conn).take(cancel).await {
            Some(t) => Some(t),
            None => return Err(Failure::Cancelled),
        }
    };
    let timeout_ms = conn.timeout_ms();
    // Aborting the fetch (not just dropping its future) frees the connection at once.
    let controller = web_sys::AbortController::new().ok();
    let signal = controller.as_ref().map(|c| c.signal());
    let work = if conn.demo {
        demo_send(req).boxed_local()
    } else {
        http_send(conn, req, signal.as_ref(), ticket).boxed_local()
    };
    let timer = gloo_timers::future::TimeoutFuture::new(timeout_ms);
    let stop = select(Box::pin(cancel.cancelled()), timer);
    let outcome = match select(work, stop).await {
        Either::Left((result, _)) => return result,
        Either::Right((Either::Left(_), _)) => Err(Failure::Cancelled),
        Either::Right((Either::Right(_), _)) => Err(Failure::Api(ApiError::new(
            ErrorKind::Timeout,
            req.vendor,
            req.label(),
            format!("No answer within {} s.", timeout_ms / 1000),
        ))),
    };
    if let Some(c) = controller {
        c.abort();
    }
    outcome
}

async fn http_send(
    conn: &Connection,
    req: &ApiRequest,
    signal: Option<&web_sys::AbortSignal>,
    ticket: Option<crate::net::pacing::Ticket>,
) -> Result<RawResponse, Failure> {
    use gloo_net::http::RequestBuilder;
    let url = req.url(&conn.base_url);
    let not_sent = |kind: ErrorKind, summary: String| {
        Failure::Api(ApiError::new(kind, req.vendor, req.label(), summary))
    };
    // The key may only travel to the connection's own origin, as the browser resolves it:
    // the base URL is checked again here (whatever its source), then the resolved origin.
    if let Err(e) = hookscope_core::ids::clean_base_url(&conn.base_url) {
        return Err(not_sent(
            ErrorKind::Network,
            format!("Not sent: {e} Fix the base URL in Connections."),
        ));
    }
    if let Err(why) = same_destination(&conn.base_url, &url) {
        return Err(not_sent(
            ErrorKind::Network,
            format!("Not sent: {why}. Check the connection's base URL in Connections."),
        ));
    }
    // Built by hand rather than with gloo-net's `header()`, which throws (and so kills the
    // lookup task) when the browser refuses a value; here a refusal is an error banner.
    let headers = web_sys::Headers::new().map_err(|_| {
        not_sent(
            ErrorKind::Network,
            "Not sent: the browser could not create request headers.".into(),
        )
    })?;
    let refused = |_| {
        not_sent(
            ErrorKind::Unauthorized,
            "Not sent: the browser refused the API key as a header value (it holds a character that HTTP headers cannot carry).".into(),
        )
    };
    if !conn.key.is_empty() {
        let (h, v) = req.auth_header(&conn.key);
        headers.set(h, &v).map_err(refused)?;
    }
    headers.set("accept", "application/json").map_err(refused)?;
    if req.body.is_some() {
        headers
            .set("content-type", "application/json")
            .map_err(refused)?;
    }
    let builder = RequestBuilder::new(&url)
        .method(match req.method {
            Method::Get => gloo_net::http::Method::GET,
            Method::Post => gloo_net::http::Method::POST,
        })
        .headers(gloo_net::http::Headers::from_raw(headers))
        // A request that carries a key never follows a redirect: fetch would send the
        // key on to wherever the `Location` points (another app on the same origin).
        .redirect(web_sys::RequestRedirect::Manual)
        .abort_signal(signal);
    let network = |detail: String| {
        Failure::Api(
            ApiError::new(
                ErrorKind::Network,
                req.vendor,
                req.label(),
                format!("Could not reach {} (network failure, or the browser refused a cross-origin answer).", host_of(&conn.base_url)),
            )
            .with_detail(Some(detail)),
        )
    };
    let request = match &req.body {
        Some(b) => builder.body(b.to_string()),
        None => builder.build(),
    }
    .map_err(|e| network(e.to_string()))?;
    let resp = match request.send().await {
        Ok(resp) => resp,
        Err(e) => {
            // The browser reports a CSP refusal as an event, just after the failed fetch.
            gloo_timers::future::TimeoutFuture::new(50).await;
            return Err(match origin_of(&url).filter(|o| csp_refused(o)) {
                Some(origin) => not_sent(
                    ErrorKind::Network,
                    format!("Not sent: this page's Content-Security-Policy does not allow connections to {origin}. Add {origin} to connect-src (in index.html, or in the policy header your server sends; README, \"Deployment\"), or use a same-origin proxy path as the base URL."),
                ),
                None => network(e.to_string()),
            });
        }
    };
    if resp.type_() == web_sys::ResponseType::Opaqueredirect {
        return Err(not_sent(
            ErrorKind::BadResponse,
            format!("{} answered with a redirect to another address. hookscope does not follow redirects with an API key, so nothing was sent there; the base URL must answer the API itself (check the connection's base URL or the proxy in front of the vendor).", host_of(&conn.base_url)),
        ));
    }
    let status = resp.status();
    let content_type = resp.headers().get("content-type");
    let retry_after = resp.headers().get("retry-after");
    if let Some(t) = ticket {
        let rate = hookscope_core::pacing::RateHeaders {
            limit: resp.headers().get("x-ratelimit-limit"),
            remaining: resp.headers().get("x-ratelimit-remaining"),
            reset: resp.headers().get("x-ratelimit-reset"),
        };
        let wait = retry_after
            .as_deref()
            .filter(|_| status == 429)
            .and_then(|v| hookscope_core::response::parse_retry_after(v, chrono::Utc::now()));
        t.answered(&rate, wait);
    }
    let sign_in_asked = resp.headers().has("www-authenticate");
    let announced = resp
        .headers()
        .get("content-length")
        .and_then(|l| l.trim().parse::<u64>().ok());
    let body = match read_capped(&resp, announced, MAX_ANSWER_BYTES).await {
        Ok(body) => body,
        Err(Unread::TooBig(size)) => {
            return Err(Failure::Api(
                ApiError::new(
                    ErrorKind::BadResponse,
                    req.vendor,
                    req.label(),
                    too_big(size),
                )
                .with_status(status),
            ))
        }
        Err(Unread::Cut(detail)) => {
            return Err(Failure::Api(
                ApiError::new(
                    ErrorKind::BadResponse,
                    req.vendor,
                    req.label(),
                    "The answer could not be read to the end (connection cut?).",
                )
                .with_status(status)
                .with_detail(Some(detail)),
            ))
        }
    };
    Ok(RawResponse {
        status,
        content_type,
        retry_after,
        body,
        sign_in_asked,
    })
}

/// The most hookscope reads of one answer. A vendor answer past this (a 100 MB
/// transcript, a page of millions of logs) would freeze or crash the tab and lose every
/// row on screen; it is refused with its size and another way to get the data.
pub const MAX_ANSWER_BYTES: usize = 20_000_000;

/// Why an answer's body was not read.
enum Unread {
    /// Larger than the cap: the size announced, or how much had arrived when it stopped.
    TooBig(u64),
    Cut(String),
}

fn too_big(size: u64) -> String {
    format!(
        "The answer is {}, more than the {} hookscope reads from one answer (reading it could freeze or crash this tab, losing what is on screen). Nothing of it is shown; the rows already loaded are kept. Get this data another way: the vendor's dashboard or export, or curl with -o to save it to a file.",
        hookscope_core::error::size_words(size),
        hookscope_core::error::size_words(MAX_ANSWER_BYTES as u64)
    )
}

/// Reads the body as text, stopping (and dropping the connection) once it passes `cap`
/// bytes: the announced length is checked first, then what arrives.
async fn read_capped(
    resp: &gloo_net::http::Response,
    announced: Option<u64>,
    cap: usize,
) -> Result<String, Unread> {
    use wasm_bindgen::JsCast;
    use wasm_bindgen_futures::JsFuture;
    let cut = |e: wasm_bindgen::JsValue| Unread::Cut(format!("{e:?}"));
    let Some(stream) = resp.body() else {
        return Ok(String::new());
    };
    let reader: web_sys::ReadableStreamDefaultReader = stream.get_reader().unchecked_into();
    if let Some(n) = announced.filter(|n| *n > cap as u64) {
        let _ = reader.cancel();
        return Err(Unread::TooBig(n));
    }
    let mut buf: Vec<u8> = Vec::with_capacity(announced.map_or(0, |n| n as usize));
    loop {
        let step = JsFuture::from(reader.read()).await.map_err(cut)?;
        let done = js_sys::Reflect::get(&step, &"done".into())
            .map_err(cut)?
            .as_bool()
            .unwrap_or(true);
        if done {
            break;
        }
        let chunk: js_sys::Uint8Array = js_sys::Reflect::get(&step, &"value".into())
            .map_err(cut)?
            .dyn_into()
            .map_err(cut)?;
        let len = chunk.length() as usize;
        if buf.len().saturating_add(len) > cap {
            let _ = reader.cancel();
            return Err(Unread::TooBig(buf.len().saturating_add(len) as u64));
        }
        let start = buf.len();
        buf.resize(start + len, 0);
        chunk.copy_to(&mut buf[start..]);
    }
    // As `Response.text()` does: invalid UTF-8 becomes U+FFFD, never an error.
    Ok(String::from_utf8(buf)
        .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// True if the page recorded a connect-src refusal for `origin` (the boot file collects
/// `securitypolicyviolation` events in `window.__cspViolations`).
fn csp_refused(origin: &str) -> bool {
    let Some(list) = web_sys::window()
        .and_then(|w| js_sys::Reflect::get(&w, &"__cspViolations".into()).ok())
        .filter(js_sys::Array::is_array)
        .map(|v| js_sys::Array::from(&v))
    else {
        return false;
    };
    list.iter().filter_map(|v| v.as_string()).any(|v| {
        let mut parts = v.split(' ');
        parts.next() == Some("connect-src") && parts.next().is_some_and(|u| u.starts_with(origin))
    })
}

/// The origin a URL resolves to from this page, by the browser's own rules.
fn origin_of(url: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    let page = location.href().ok()?;
    web_sys::Url::new_with_base(url, &page)
        .ok()
        .map(|u| u.origin())
}

/// Checks that `full` goes where `base` says: the page's own origin for a path, the
/// base's origin otherwise. A second line of defence behind `clean_base_url`.
fn same_destination(base: &str, full: &str) -> Result<(), String> {
    let page = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .ok_or("the page's own address is unknown")?;
    let expected = if base.starts_with('/') {
        page
    } else {
        origin_of(base).ok_or("the base URL does not resolve")?
    };
    match origin_of(full) {
        Some(o) if o == expected && o != "null" => Ok(()),
        Some(o) => Err(format!("its address resolves to {o}, not to {expected}")),
        None => Err("its address does not resolve".into()),
    }
}

/// Only the host of a base URL, for messages (a base URL holds no secrets, but stay brief).
fn host_of(base: &str) -> String {
    let rest = base.split("://").nth(1).unwrap_or(base);
    let host = rest.split('/').next().unwrap_or(rest);
    if host.is_empty() {
        base.to_string()
    } else {
        host.to_string()
    }
}

/// Demo time stands still for the life of the page, so the same request always gets the
/// same answer, as from a real vendor.
fn demo_now() -> chrono::DateTime<chrono::Utc> {
    thread_local! {
        static NOW: chrono::DateTime<chrono::Utc> = chrono::Utc::now();
    }
    NOW.with(|n| *n)
}

// The demo generator is only downloaded by a page that asks a demo connection.
crate::split_fn!(
    demo;
    fn demo_answer(dreq: DemoRequest) -> DemoResponse {
        thread_local! {
            static STORE: std::cell::RefCell<hookscope_core::demo::DemoStore> =
                std::cell::RefCell::new(hookscope_core::demo::DemoStore {
                    transient_faults: true,
                    ..Default::default()
                });
        }
        let api = DemoApi::new(demo_now());
        STORE.with(|s| api.handle_with(&dreq, &mut s.borrow_mut()))
    }
);

async fn demo_send(req: &ApiRequest) -> Result<RawResponse, Failure> {
    let dreq = DemoRequest {
        method: Some(req.method),
        path: req.path.clone(),
        query: req.query.clone(),
        authorization: None,
        body: req.body.as_ref().map(|b| b.to_string()),
    };
    let out = demo_answer(dreq)
        .await
        .map_err(|e| Failure::Api(e.api_error(req.vendor, req.label(), "the demo data")))?;
    // A short pause so progress and cancel behave as they do over the network;
    // the injected slow answer waits long enough to hit the timeout.
    let wait = if out.delay_ms > 0 {
        out.delay_ms.min(u32::MAX as u64) as u32
    } else {
        25
    };
    gloo_timers::future::TimeoutFuture::new(wait).await;
    if out.refuse_cors {
        return Err(Failure::Api(ApiError::new(
            ErrorKind::Network,
            req.vendor,
            req.label(),
            "Could not reach the demo host (simulated CORS refusal).",
        )));
    }
    Ok(RawResponse {
        status: out.status,
        content_type: Some(out.content_type.to_string()),
        retry_after: out.retry_after,
        body: out.body,
        sign_in_asked: false,
    })
}

#[cfg(test)]
mod tests {
    use super::host_of;

    #[test]
    fn host_only() {
        assert_eq!(host_of("https://api.bland.ai/x"), "api.bland.ai");
        assert_eq!(host_of("/proxy/bland"), "/proxy/bland");
    }
}
