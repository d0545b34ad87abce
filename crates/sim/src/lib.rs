//! Serves [`hookscope_core::demo::DemoApi`] over real HTTP on loopback, with CORS, an
//! auth check, and the failure injections (slow answers, missing CORS headers) that only a
//! real server can produce. Used by the browser tests and for offline development.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{header, HeaderMap, HeaderValue, Method as HttpMethod, StatusCode};
use axum::response::Response;
use axum::Router;
use hookscope_core::demo::{DemoApi, DemoRequest};
use hookscope_core::request::Method;
use percent_encoding::percent_decode_str;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

/// The key the simulator accepts unless told otherwise.
pub const DEFAULT_KEY: &str = "sim-key";

#[derive(Clone)]
struct AppState {
    key: Option<String>,
}

fn cors(headers: &mut HeaderMap, origin: Option<&HeaderValue>) {
    let origin = origin.cloned().unwrap_or(HeaderValue::from_static("*"));
    headers.insert(header::ACCESS_CONTROL_ALLOW_ORIGIN, origin);
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_METHODS,
        HeaderValue::from_static("GET, POST, OPTIONS"),
    );
    headers.insert(
        header::ACCESS_CONTROL_ALLOW_HEADERS,
        HeaderValue::from_static("authorization, content-type"),
    );
    headers.insert(
        header::ACCESS_CONTROL_EXPOSE_HEADERS,
        HeaderValue::from_static("retry-after"),
    );
    headers.insert(
        header::ACCESS_CONTROL_MAX_AGE,
        HeaderValue::from_static("600"),
    );
    headers.insert(header::VARY, HeaderValue::from_static("origin"));
}

fn parse_query(q: Option<&str>) -> Vec<(String, String)> {
    q.unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            let dec = |s: &str| {
                percent_decode_str(&s.replace('+', " "))
                    .decode_utf8_lossy()
                    .into_owned()
            };
            (dec(k), dec(v))
        })
        .collect()
}

async fn handle(State(state): State<Arc<AppState>>, req: Request) -> Response {
    let origin = req.headers().get(header::ORIGIN).cloned();
    if req.method() == HttpMethod::OPTIONS {
        let mut resp = Response::new(Body::empty());
        *resp.status_mut() = StatusCode::NO_CONTENT;
        cors(resp.headers_mut(), origin.as_ref());
        return resp;
    }
    let method = match *req.method() {
        HttpMethod::POST => Some(Method::Post),
        HttpMethod::GET => Some(Method::Get),
        _ => None,
    };
    let path = req.uri().path().to_string();
    let query = parse_query(req.uri().query());
    let authorization = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let body = axum::body::to_bytes(req.into_body(), 1 << 20)
        .await
        .ok()
        .map(|b| String::from_utf8_lossy(&b).into_owned());
    let api = DemoApi {
        now: chrono::Utc::now(),
        expected_key: state.key.clone(),
    };
    let out = match method {
        Some(m) => api.handle(&DemoRequest {
            method: Some(m),
            path,
            query,
            authorization,
            body,
        }),
        None => {
            let mut resp = Response::new(Body::from("method not allowed"));
            *resp.status_mut() = StatusCode::METHOD_NOT_ALLOWED;
            cors(resp.headers_mut(), origin.as_ref());
            return resp;
        }
    };
    if out.delay_ms > 0 {
        tokio::time::sleep(Duration::from_millis(out.delay_ms)).await;
    }
    let mut resp = Response::new(Body::from(out.body));
    *resp.status_mut() =
        StatusCode::from_u16(out.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    resp.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(out.content_type),
    );
    if let Some(ra) = out.retry_after.and_then(|r| HeaderValue::from_str(&r).ok()) {
        resp.headers_mut().insert(header::RETRY_AFTER, ra);
    }
    if !out.refuse_cors {
        cors(resp.headers_mut(), origin.as_ref());
    }
    resp
}

/// The simulator's routes; `key: None` accepts any key.
pub fn router(key: Option<String>) -> Router {
    Router::new()
        .fallback(handle)
        .with_state(Arc::new(AppState { key }))
}

/// Binds `addr` (use port 0 for any free port) and serves until the task is dropped.
/// Returns the bound address.
pub async fn spawn(
    addr: SocketAddr,
    key: Option<String>,
) -> std::io::Result<(SocketAddr, tokio::task::JoinHandle<()>)> {
    let listener = tokio::net::TcpListener::bind(addr).await?;
    let local = listener.local_addr()?;
    let app = router(key);
    let handle = tokio::spawn(async move {
        // A serve error ends the task; the tests then fail on connection refused.
        let _ = axum::serve(listener, app).await;
    });
    Ok((local, handle))
}
