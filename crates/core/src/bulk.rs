//! Bulk create / resend of Bland post-call webhooks: reading pasted call IDs, cutting them
//! into requests, and the outcome of each call.

use crate::ids::PathId;
use crate::vendors::bland::BulkItem;
use serde::{Deserialize, Serialize};
use serde_json::Value;

/// One entry that cannot be used, with where it stands in the pasted text (byte offsets,
/// when the text is a plain list or a CSV) so it can be fixed in place.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidId {
    pub raw: String,
    pub reason: String,
    pub span: Option<(usize, usize)>,
}

/// The shape the pasted text was read as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum InputShape {
    Empty,
    /// One per line, or separated by commas, semicolons, spaces or tabs.
    List,
    /// A CSV (or TSV) with a header row; the call-ID column was picked from it.
    Csv,
    /// A JSON array of IDs.
    Json,
}

/// What was understood from a paste: valid IDs once each in first-seen order, how many
/// repeats were dropped, and every invalid entry with its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParsedIds {
    pub valid: Vec<String>,
    pub duplicates: usize,
    pub invalid: Vec<InvalidId>,
    pub shape: InputShape,
    /// For a CSV: the header of the column read, e.g. `call_id`.
    pub column: Option<String>,
}

/// A piece of the pasted text and its byte span.
type Spanned = (String, (usize, usize));

/// Header names read as "the call ID column", in order of preference.
const ID_HEADERS: [&str; 8] = [
    "call_id",
    "callid",
    "call id",
    "call-id",
    "call_uuid",
    "c_id",
    "id",
    "uuid",
];

/// Reads call IDs from any of the shapes people paste (see [`InputShape`]); a leading
/// byte-order mark and CRLF line ends are fine. Every entry is checked with the rules a
/// lookup applies ([`PathId::typed`]).
pub fn parse_ids(text: &str) -> ParsedIds {
    let body = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    let offset = text.len().saturating_sub(body.len());
    let mut out = ParsedIds {
        valid: vec![],
        duplicates: 0,
        invalid: vec![],
        shape: InputShape::Empty,
        column: None,
    };
    let trimmed = body.trim_start();
    let entries: Vec<(String, Option<(usize, usize)>)> = if trimmed.is_empty() {
        return out;
    } else if trimmed.starts_with('[') {
        out.shape = InputShape::Json;
        match serde_json::from_str::<Vec<Value>>(body.trim()) {
            Ok(items) => {
                let mut entries = Vec::with_capacity(items.len());
                for v in items {
                    match v {
                        Value::String(s) => entries.push((s, None)),
                        Value::Number(n) => entries.push((n.to_string(), None)),
                        Value::Null => {}
                        other => out.invalid.push(InvalidId {
                            raw: crate::error::shorten(&other.to_string(), 60),
                            reason: "an ID must be a string or a number".into(),
                            span: None,
                        }),
                    }
                }
                entries
            }
            Err(e) => {
                out.invalid.push(InvalidId {
                    raw: crate::error::shorten(trimmed, 60),
                    reason: format!("this looks like a JSON array but is not valid JSON ({e}); fix it, or paste one ID per line"),
                    span: None,
                });
                return out;
            }
        }
    } else if let Some((column, cells)) = csv_column(body) {
        out.shape = InputShape::Csv;
        out.column = Some(column);
        cells
            .into_iter()
            .map(|(s, (a, b))| {
                (
                    s,
                    Some((a.saturating_add(offset), b.saturating_add(offset))),
                )
            })
            .collect()
    } else {
        out.shape = InputShape::List;
        tokens(body)
            .into_iter()
            .map(|(s, (a, b))| {
                (
                    s,
                    Some((a.saturating_add(offset), b.saturating_add(offset))),
                )
            })
            .collect()
    };
    let mut seen = std::collections::HashSet::new();
    for (raw, span) in entries {
        match PathId::typed("Call ID", &raw) {
            Ok(id) => {
                if seen.insert(id.as_str().to_string()) {
                    out.valid.push(id.as_str().to_string());
                } else {
                    out.duplicates = out.duplicates.saturating_add(1);
                }
            }
            // Blank JSON strings or CSV cells are gaps, not entries.
            Err(crate::error::InputError::Empty { .. }) => {}
            Err(e) => out.invalid.push(InvalidId {
                raw: raw.clone(),
                reason: e.to_string(),
                span,
            }),
        }
    }
    out
}

/// Splits a plain list on newlines, commas, semicolons and whitespace; strips quotes
/// around an entry. Returns each entry with its byte span.
fn tokens(text: &str) -> Vec<Spanned> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let is_sep = |c: char| c == ',' || c == ';' || c.is_whitespace();
    let push = |a: usize, b: usize, out: &mut Vec<(String, (usize, usize))>| {
        let raw = &text[a..b];
        let t = raw.trim_matches(|c| c == '"' || c == '\'');
        if !t.is_empty() {
            let lead = raw
                .len()
                .saturating_sub(raw.trim_start_matches(['"', '\'']).len());
            let s = a.saturating_add(lead);
            out.push((t.to_string(), (s, s.saturating_add(t.len()))));
        }
    };
    for (i, c) in text.char_indices() {
        if is_sep(c) {
            if let Some(a) = start.take() {
                push(a, i, &mut out);
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(a) = start {
        push(a, text.len(), &mut out);
    }
    out
}

/// Reads `text` as CSV when its first line is a header naming a call-ID column (or when
/// it has several columns and one of them holds ID-like values): returns the column's
/// header and its cells with their spans.
fn csv_column(text: &str) -> Option<(String, Vec<Spanned>)> {
    let first = text.lines().find(|l| !l.trim().is_empty())?;
    let delim = [',', ';', '\t']
        .into_iter()
        .max_by_key(|d| first.matches(*d).count())
        .filter(|d| first.contains(*d))?;
    let rows = csv_rows(text, delim);
    let header = rows.first()?;
    if header.len() < 2 || rows.len() < 2 {
        return None;
    }
    let norm = |s: &str| s.trim().to_ascii_lowercase();
    if let Some(i) = ID_HEADERS
        .iter()
        .find_map(|h| header.iter().position(|(c, _)| norm(c) == *h))
    {
        let cells = rows[1..].iter().filter_map(|r| r.get(i).cloned()).collect();
        return Some((header[i].0.trim().to_string(), cells));
    }
    // A header we do not know: only when the first row reads as column titles (words,
    // no digits), every row has as many cells, and one column holds nothing but ID-like
    // values. Anything else is a plain comma-separated list.
    let title = |s: &str| {
        let s = s.trim();
        !s.is_empty() && s.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '_')
    };
    let looks_like_id = |s: &str| {
        let s = s.trim();
        s.len() >= 8
            && s.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
            && s.chars().any(|c| c.is_ascii_digit())
            && s.chars().any(|c| c.is_ascii_alphabetic())
    };
    if !header.iter().all(|(c, _)| title(c)) || rows.iter().any(|r| r.len() != header.len()) {
        return None;
    }
    let i = (0..header.len()).find(|i| {
        rows[1..]
            .iter()
            .all(|r| r.get(*i).is_some_and(|(c, _)| looks_like_id(c)))
    })?;
    let cells = rows[1..].iter().filter_map(|r| r.get(i).cloned()).collect();
    Some((format!("{} (guessed)", header[i].0.trim()), cells))
}

/// RFC 4180 rows: quoted cells may hold the delimiter, `""` and line breaks. Each cell
/// comes with the byte span of its content.
fn csv_rows(text: &str, delim: char) -> Vec<Vec<Spanned>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut cell_start = 0usize;
    let mut in_quotes = false;
    let mut chars = text.char_indices().peekable();
    let end_cell =
        |cell: &mut String, start: usize, end: usize, row: &mut Vec<(String, (usize, usize))>| {
            row.push((std::mem::take(cell), (start, end)));
        };
    while let Some((i, c)) = chars.next() {
        if in_quotes {
            if c == '"' {
                if chars.peek().is_some_and(|(_, n)| *n == '"') {
                    cell.push('"');
                    chars.next();
                } else {
                    in_quotes = false;
                }
            } else {
                cell.push(c);
            }
            continue;
        }
        match c {
            '"' if cell.trim().is_empty() => {
                cell.clear();
                in_quotes = true;
                cell_start = i.saturating_add(1);
            }
            c if c == delim => {
                end_cell(&mut cell, cell_start, i, &mut row);
                cell_start = i.saturating_add(c.len_utf8());
            }
            '\n' | '\r' => {
                if c == '\r' && chars.peek().is_some_and(|(_, n)| *n == '\n') {
                    chars.next();
                }
                end_cell(&mut cell, cell_start, i, &mut row);
                if row.iter().any(|(c, _)| !c.trim().is_empty()) {
                    rows.push(std::mem::take(&mut row));
                } else {
                    row.clear();
                }
                cell_start = chars.peek().map(|(j, _)| *j).unwrap_or(text.len());
            }
            c => {
                if cell.is_empty() {
                    cell_start = i;
                }
                cell.push(c);
            }
        }
    }
    end_cell(&mut cell, cell_start, text.len(), &mut row);
    if row.iter().any(|(c, _)| !c.trim().is_empty()) {
        rows.push(row);
    }
    rows
}

/// Checks the webhook URL of a bulk create: an absolute http(s) URL. Returns the URL and
/// the warnings the person must accept before sending (plain http; a loopback, private or
/// link-local address, which Bland cannot reach; credentials in the URL, which Bland
/// would store and send with every webhook).
pub fn check_webhook_url(raw: &str) -> Result<(String, Vec<String>), String> {
    let v = raw.trim();
    if v.is_empty() {
        return Err("Webhook URL is required for create.".into());
    }
    if v.chars().any(|c| c.is_control() || c == ' ' || c == '\\') {
        return Err("The webhook URL contains a space, a control character or a backslash.".into());
    }
    let lower = v.to_ascii_lowercase();
    let (https, rest) = if let Some(r) = lower.strip_prefix("https://") {
        (true, r)
    } else if let Some(r) = lower.strip_prefix("http://") {
        (false, r)
    } else {
        return Err("The webhook URL must start with https:// (or http://).".into());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let (userinfo, hostport) = match authority.rsplit_once('@') {
        Some((u, h)) => (Some(u), h),
        None => (None, authority),
    };
    let host = if hostport.starts_with('[') {
        hostport
            .split(']')
            .next()
            .map(|h| format!("{h}]"))
            .unwrap_or_default()
    } else {
        hostport.split(':').next().unwrap_or("").to_string()
    };
    if host.is_empty() || host == "[]" {
        return Err("The webhook URL has no host name.".into());
    }
    let mut warnings = Vec::new();
    if !https {
        warnings.push(
            "It uses plain http: every payload would cross the internet unencrypted.".to_string(),
        );
    }
    if let Some(reason) = unreachable_host(&host) {
        warnings.push(format!(
            "{host} is {reason}: Bland's servers cannot reach it, so every call would fail."
        ));
    }
    if userinfo.is_some() {
        warnings.push("It holds credentials (user:password@): Bland would store them and send them with every webhook.".to_string());
    }
    Ok((v.to_string(), warnings))
}

/// Why Bland could not reach `host` from the internet, if it could not.
fn unreachable_host(host: &str) -> Option<&'static str> {
    if crate::ids::is_loopback(host) || host == "0.0.0.0" || host == "[::]" {
        return Some("this machine (loopback)");
    }
    if host.ends_with(".local")
        || host.ends_with(".internal")
        || host.ends_with(".lan")
        || !host.contains('.') && !host.starts_with('[')
    {
        return Some("a local network name");
    }
    if let Some(v6) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        let v6 = v6.to_ascii_lowercase();
        if v6.starts_with("fe8")
            || v6.starts_with("fe9")
            || v6.starts_with("fea")
            || v6.starts_with("feb")
        {
            return Some("a link-local address");
        }
        if v6.starts_with("fc") || v6.starts_with("fd") {
            return Some("a private address");
        }
        return None;
    }
    let parts: Vec<u8> = host.split('.').filter_map(|p| p.parse().ok()).collect();
    if parts.len() != 4 || host.split('.').count() != 4 {
        return None;
    }
    match (parts[0], parts[1]) {
        (10, _) | (192, 168) => Some("a private address"),
        (172, b) if (16..=31).contains(&b) => Some("a private address"),
        (169, 254) => Some("a link-local address"),
        (100, b) if (64..=127).contains(&b) => Some("a shared (carrier-grade NAT) address"),
        _ => None,
    }
}

/// Default number of call IDs per create/resend request.
pub const DEFAULT_CHUNK: usize = 50;

/// Cuts `ids` into requests of at most `size` IDs (at least 1), keeping order.
pub fn chunks(ids: &[String], size: usize) -> Vec<Vec<String>> {
    ids.chunks(size.max(1)).map(<[String]>::to_vec).collect()
}

/// Whether a bulk run creates webhooks (to a URL) or resends them (to their original URL).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    Create,
    Resend,
}

impl Mode {
    pub fn id(self) -> &'static str {
        match self {
            Mode::Create => "create",
            Mode::Resend => "resend",
        }
    }
    pub fn parse(s: &str) -> Option<Mode> {
        match s {
            "create" => Some(Mode::Create),
            "resend" => Some(Mode::Resend),
            _ => None,
        }
    }
}

/// What happened to one call in a run (`data-outcome`).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "kebab-case")]
pub enum CallOutcome {
    /// The webhook was created (or resent); the new attempt's code and latency.
    Created {
        http_code: Option<u16>,
        latency_ms: Option<u64>,
    },
    AlreadySent {
        message: String,
    },
    Invalid {
        message: String,
    },
    Failed {
        message: String,
    },
    /// Not sent: the run was cancelled first.
    Skipped,
    /// The request may have reached Bland (it timed out after being sent): check the call
    /// before sending it again.
    Unknown {
        message: String,
    },
}

impl CallOutcome {
    pub fn id(&self) -> &'static str {
        match self {
            CallOutcome::Created { .. } => "created",
            CallOutcome::AlreadySent { .. } => "already-sent",
            CallOutcome::Invalid { .. } => "invalid",
            CallOutcome::Failed { .. } => "failed",
            CallOutcome::Skipped => "skipped",
            CallOutcome::Unknown { .. } => "unknown",
        }
    }

    pub const IDS: [&'static str; 6] = [
        "created",
        "already-sent",
        "invalid",
        "failed",
        "skipped",
        "unknown",
    ];

    pub fn message(&self) -> String {
        match self {
            CallOutcome::Created {
                http_code,
                latency_ms,
            } => match (http_code, latency_ms) {
                (Some(c), Some(ms)) => format!("sent; the target answered {c} in {ms} ms"),
                (Some(c), None) => format!("sent; the target answered {c}"),
                (None, _) => "sent; the target gave no HTTP answer".into(),
            },
            CallOutcome::AlreadySent { message }
            | CallOutcome::Invalid { message }
            | CallOutcome::Failed { message }
            | CallOutcome::Unknown { message } => message.clone(),
            CallOutcome::Skipped => "not sent: the run was cancelled first".into(),
        }
    }

    /// From the adapter's per-call reading of one answer.
    pub fn from_item(item: &BulkItem) -> CallOutcome {
        match item {
            BulkItem::Created(d) => {
                let a = d.attempts.last();
                CallOutcome::Created {
                    http_code: a.and_then(|a| a.http_code),
                    latency_ms: a.and_then(|a| a.duration_ms),
                }
            }
            BulkItem::AlreadySent(m) => CallOutcome::AlreadySent { message: m.clone() },
            BulkItem::Invalid(m) => CallOutcome::Invalid { message: m.clone() },
            BulkItem::Failed(m) => CallOutcome::Failed { message: m.clone() },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(p: &ParsedIds) -> Vec<&str> {
        p.valid.iter().map(String::as_str).collect()
    }

    #[test]
    fn plain_lists_in_any_separator() {
        let p = parse_ids("\u{FEFF}a1\r\nb2, c3;d4\te5  f6\n\n\"g7\"\n'h8'\na1");
        assert_eq!(ids(&p), ["a1", "b2", "c3", "d4", "e5", "f6", "g7", "h8"]);
        assert_eq!(p.duplicates, 1);
        assert_eq!(p.shape, InputShape::List);
    }

    #[test]
    fn invalid_entries_have_reasons_and_spans() {
        let text = "ok-1\n..\nok-2";
        let p = parse_ids(text);
        assert_eq!(ids(&p), ["ok-1", "ok-2"]);
        assert_eq!(p.invalid.len(), 1);
        let bad = &p.invalid[0];
        assert!(bad.reason.contains("“..”"), "{}", bad.reason);
        let (a, b) = bad.span.unwrap();
        assert_eq!(&text[a..b], "..");
        let long = "x".repeat(201);
        let p = parse_ids(&format!("\u{FEFF}{long}"));
        let (a, b) = p.invalid[0].span.unwrap();
        assert_eq!(&format!("\u{FEFF}{long}")[a..b], long);
    }

    #[test]
    fn json_arrays() {
        let p = parse_ids(r#" ["a", "b", 42, "a", {"x": 1}, ""] "#);
        assert_eq!(ids(&p), ["a", "b", "42"]);
        assert_eq!(p.duplicates, 1);
        assert_eq!(
            p.invalid.len(),
            1,
            "an object is not an ID: {:?}",
            p.invalid
        );
        let p = parse_ids(r#"["a", "b""#);
        assert!(p.valid.is_empty());
        assert!(p.invalid[0].reason.contains("not valid JSON"));
    }

    #[test]
    fn csv_with_header_and_quotes() {
        let text = "name,Call ID,notes\r\n\"Smith, J\",c-1,\"said \"\"hi\"\"\"\r\nDoe,c-2,\"multi\nline\"\r\nRoe,c-1,x\r\n";
        let p = parse_ids(text);
        assert_eq!(p.shape, InputShape::Csv);
        assert_eq!(p.column.as_deref(), Some("Call ID"));
        assert_eq!(ids(&p), ["c-1", "c-2"]);
        assert_eq!(p.duplicates, 1);
        let p = parse_ids("call_id;phone\n\"a-1\";+1555\nb-2;+1666\n");
        assert_eq!(ids(&p), ["a-1", "b-2"]);
        let p = parse_ids("phone\tcall\n+1555\t9d4e3f2a-1111\n+1666\t8c3b2a1f-2222\n");
        assert_eq!(p.column.as_deref(), Some("call (guessed)"));
        assert_eq!(ids(&p), ["9d4e3f2a-1111", "8c3b2a1f-2222"]);
        // Two IDs a line is a list, not a CSV.
        let p = parse_ids("a-1,b-2\nc-3,d-4\n");
        assert_eq!(ids(&p), ["a-1", "b-2", "c-3", "d-4"]);
    }

    #[test]
    fn webhook_urls() {
        let ok = |u: &str| check_webhook_url(u).unwrap().1;
        assert!(ok("https://hooks.example.com/bland").is_empty());
        for (u, said) in [
            ("http://hooks.example.com/x", "plain http"),
            ("https://localhost:3000/x", "loopback"),
            ("https://127.0.0.1/x", "loopback"),
            ("https://10.1.2.3/x", "private"),
            ("https://172.20.0.1/x", "private"),
            ("https://192.168.1.10/x", "private"),
            ("https://169.254.169.254/latest", "link-local"),
            ("https://[fe80::1]/x", "link-local"),
            ("https://[::1]:8080/x", "loopback"),
            ("https://intranet/x", "local network"),
            ("https://user:pw@hooks.example.com/x", "credentials"),
        ] {
            let w = ok(u).join(" ");
            assert!(w.contains(said), "{u}: {w}");
        }
        for bad in [
            "",
            "ftp://x",
            "hooks.example.com",
            "https://",
            "https://a b",
            "javascript:alert(1)",
        ] {
            assert!(check_webhook_url(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn ten_thousand_ids() {
        let text: String = (0..10_000).map(|i| format!("call-{i:05}\n")).collect();
        let p = parse_ids(&text);
        assert_eq!(p.valid.len(), 10_000);
        assert_eq!(p.valid[9_999], "call-09999");
        assert_eq!(chunks(&p.valid, 50).len(), 200);
        assert!(chunks(&p.valid, 50).iter().all(|c| c.len() == 50));
        assert_eq!(
            chunks(&p.valid[..3], 0).len(),
            3,
            "a zero size is one per request"
        );
    }
}
