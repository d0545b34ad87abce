//! CSV and JSON downloads of the rows on screen. Deliveries carry no keys, and the
//! export is built from the domain model only, so no key can reach a file.

use hookscope_core::domain::Delivery;

/// One CSV line per delivery; fields quoted per RFC 4180. Cells that a spreadsheet
/// would run as a formula (OWASP's list: `=`, `+`, `-`, `@`, tab, carriage return) are
/// prefixed with `'`.
pub fn to_csv(rows: &[Delivery]) -> String {
    let mut out = String::from(CSV_HEADER);
    for d in rows {
        csv_line(d, &mut out);
    }
    out
}

const CSV_HEADER: &str = "id,vendor,subject,event,status,http_code,attempts,last_attempt_at,last_duration_ms,target_url,last_error\r\n";

/// Appends one delivery's CSV line to `out`.
pub fn csv_line(d: &Delivery, out: &mut String) {
    {
        let last = d.last_attempt();
        let cells = [
            d.id.clone(),
            d.vendor.id().to_string(),
            d.subject.clone(),
            d.event.clone(),
            d.status.id().to_string(),
            d.http_code().map(|c| c.to_string()).unwrap_or_default(),
            d.attempts.len().to_string(),
            d.last_time().map(|t| t.raw.clone()).unwrap_or_default(),
            d.last_duration_ms()
                .map(|m| m.to_string())
                .unwrap_or_default(),
            d.target_url.clone().unwrap_or_default(),
            last.and_then(|a| a.error.clone()).unwrap_or_default(),
        ];
        let line: Vec<String> = cells.iter().map(|c| csv_cell(c)).collect();
        out.push_str(&line.join(","));
        out.push_str("\r\n");
    }
}

pub fn csv_cell(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

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

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::vendors::bland;

    #[test]
    fn csv_quotes_and_defuses_formulas() {
        assert_eq!(csv_cell("a,b"), "\"a,b\"");
        assert_eq!(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
        assert_eq!(csv_cell("=HYPERLINK(1)"), "'=HYPERLINK(1)");
        // The defect class: every leading character on OWASP's formula-injection list.
        for lead in ["=", "+", "-", "@", "\t", "\r"] {
            let cell = csv_cell(&format!("{lead}cmd|' /C calc'!A0"));
            assert!(
                cell.trim_start_matches('"').starts_with('\''),
                "{lead:?}: {cell}"
            );
        }
        let body = r#"{"data": {"call_id": "c1", "url": "https://x", "metadata": [{"sent_at": "2026-01-01T00:00:00Z", "response_code": 500, "response_time": "9ms", "send_type": "spawn", "error_message": "boom, bad"}]}}"#;
        let c1 = hookscope_core::ids::PathId::typed("Call ID", "c1").unwrap();
        let d =
            bland::decode_postcall(&bland::postcall_webhook(&c1), Some(&c1), 200, body).unwrap();
        let csv = to_csv(&[d]);
        let line = csv.lines().nth(1).unwrap();
        assert_eq!(line, "post_call:c1,bland,c1,post_call,failed,500,1,2026-01-01T00:00:00Z,9,https://x,\"boom, bad\"");
    }
}
