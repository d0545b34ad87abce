//! Files handed to the browser to save: one text, or the rows of an export built in
//! chunks (yielding between them, so 100,000 rows never freeze the page) and passed on
//! as a list of parts, never one giant string.

use crate::data::export::{csv_line, CSV_HEADER};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Json,
}

/// Rows built between two yields to the browser: a 100,000-row export never holds the
/// page for more than a few milliseconds at a time.
const CHUNK: usize = 2_000;

/// Builds the export of `rows` of the index in chunks, yielding between them and
/// reporting (done, total), then saves it. The file is handed to the browser as a list of
/// parts, never as one giant string.
pub async fn download_rows(
    ix: std::sync::Arc<crate::data::index::DeliveryIndex>,
    rows: Vec<u32>,
    format: Format,
    progress: impl Fn(usize, usize),
) {
    let total = rows.len();
    let parts = js_sys::Array::new();
    parts.push(&wasm_bindgen::JsValue::from_str(match format {
        Format::Csv => CSV_HEADER,
        Format::Json => "[\n",
    }));
    let mut first = true;
    for (i, chunk) in rows.chunks(CHUNK).enumerate() {
        let mut out = String::with_capacity(chunk.len() * 256);
        for d in chunk.iter().filter_map(|r| ix.get(*r)) {
            match format {
                Format::Csv => csv_line(d, &mut out),
                Format::Json => {
                    if !first {
                        out.push_str(",\n");
                    }
                    first = false;
                    out.push_str(&serde_json::to_string(d).unwrap_or_else(|_| "null".into()));
                }
            }
        }
        parts.push(&wasm_bindgen::JsValue::from_str(&out));
        progress(((i + 1) * CHUNK).min(total), total);
        gloo_timers::future::TimeoutFuture::new(0).await;
    }
    let (name, mime) = match format {
        Format::Csv => ("hookscope-deliveries.csv", "text/csv"),
        Format::Json => {
            parts.push(&wasm_bindgen::JsValue::from_str("\n]\n"));
            ("hookscope-deliveries.json", "application/json")
        }
    };
    save_parts(name, mime, &parts);
}

/// Saves `text` through a temporary object URL; failures are ignored (nothing to lose).
pub fn download(name: &str, mime: &str, text: &str) {
    save_parts(
        name,
        mime,
        &js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text)),
    );
}

fn save_parts(name: &str, mime: &str, parts: &js_sys::Array) {
    use wasm_bindgen::JsCast;
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    let doc = web_sys::window().and_then(|w| w.document());
    if let Some(a) = doc
        .and_then(|d| d.create_element("a").ok())
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}
