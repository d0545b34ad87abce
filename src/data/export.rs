//! The lines of CSV and JSON exports of deliveries (`platform::download` hands them to
//! the browser in chunks). Deliveries carry no keys, and the export is built from the
//! domain model only, so no key can reach a file.

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

pub const CSV_HEADER: &str = "id,vendor,subject,event,status,http_code,attempts,last_attempt_at,last_duration_ms,target_url,last_error\r\n";

/// Appends one delivery's CSV line to `out`.
pub fn csv_line(d: &Delivery, out: &mut String) {
    {
        let last = d.last_attempt();
        let cells: [String; 11] = [
            d.id.to_string(),
            d.vendor.id().to_string(),
            d.subject.to_string(),
            d.event.to_string(),
            d.status.id().to_string(),
            d.http_code().map(|c| c.to_string()).unwrap_or_default(),
            d.attempts.len().to_string(),
            d.last_time()
                .map(|t| t.raw().into_owned())
                .unwrap_or_default(),
            d.last_duration_ms()
                .map(|m| m.to_string())
                .unwrap_or_default(),
            d.target_url.as_deref().unwrap_or_default().to_string(),
            last.and_then(|a| a.error.as_deref())
                .unwrap_or_default()
                .to_string(),
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
