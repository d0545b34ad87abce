//! Everything the explorer's URL holds, as one typed struct: parsed once from the query
//! string, written by one function in a fixed parameter order. Links written by earlier
//! versions (`?c=…&k=…&id=…&status=failed`) still open. Keys are never part of it.
//!
//! Lookups: the first uses `c k id owner wh type`, the second `c2 k2 …`, and so on.
//! Filters with several values repeat their parameter (`status=failed&status=retrying`).

use crate::data::filters::{
    parse_time, write_time, CodeFilter, Column, FilterSet, Sort, Source, Span, TimeRange,
};
use hookscope_core::domain::DeliveryStatus;
use hookscope_core::lookup::{LookupForm, LookupKind};
use hookscope_core::request::encode_component;
use percent_encoding::percent_decode_str;

/// Lookups one view holds at most (each is a fan-out of requests).
pub const MAX_LOOKUPS: usize = 8;
/// The longest view link the explorer writes: within what the shipped nginx config
/// accepts (32 kB of request line) and what common CDNs accept (16 kB).
pub const MAX_HREF_BYTES: usize = 16_000;
/// Values one multi-value filter keeps at most (a hand-made link could repeat forever).
const MAX_VALUES: usize = 200;

/// One lookup of the view: which connection, what to ask, the form as links hold it.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct LookupSpec {
    pub conn: String,
    pub kind: LookupKind,
    pub form: LookupForm,
}

impl LookupSpec {
    /// A spec with its form normalised (trimmed, only this kind's fields).
    pub fn new(conn: impl Into<String>, kind: LookupKind, form: &LookupForm) -> LookupSpec {
        LookupSpec {
            conn: conn.into(),
            kind,
            form: form.normalised(kind),
        }
    }

    /// Short words for a chip or a heading: "Agent webhook logs · agt / wh".
    pub fn describe(&self) -> String {
        if self.kind.uses_owner() {
            format!(
                "{} · {} / {}",
                self.kind.label(),
                self.form.owner_id,
                self.form.webhook_id
            )
        } else {
            let ids = hookscope_core::error::shorten(&self.form.id, 60);
            match self.form.webhook_type.as_str() {
                "" => format!("{} · {ids}", self.kind.label()),
                t => format!("{} · {ids} · {t}", self.kind.label()),
            }
        }
    }
}

/// The explorer's whole state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExplorerQuery {
    pub lookups: Vec<LookupSpec>,
    /// A connection named without a lookup (`?c=…`, the Connections page's link): the
    /// form starts on it. Written only when there are no lookups.
    pub conn_hint: Option<String>,
    pub filters: FilterSet,
    pub sort: Sort,
    /// Columns the person hid.
    pub hidden: Vec<Column>,
    /// The selected delivery's row key.
    pub sel: Option<String>,
}

/// Name of lookup field `base` for the lookup at `i` (0 → `c`, 1 → `c2`, …).
fn slot_param(base: &str, i: usize) -> String {
    if i == 0 {
        base.to_string()
    } else {
        format!("{base}{}", i.saturating_add(1))
    }
}

/// Decoded (name, value) pairs of a query string (with or without its `?`).
pub fn query_pairs(search: &str) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        percent_decode_str(&s).decode_utf8_lossy().into_owned()
    };
    search
        .trim_start_matches('?')
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| match p.split_once('=') {
            Some((k, v)) => (decode(k), decode(v)),
            None => (decode(p), String::new()),
        })
        .collect()
}

fn push_unique<T: PartialEq>(list: &mut Vec<T>, v: T) {
    if list.len() < MAX_VALUES && !list.contains(&v) {
        list.push(v);
    }
}

impl ExplorerQuery {
    /// Reads a query string. Never fails: what cannot be used is left out and said in
    /// the returned problems (one sentence each, for the page to show).
    pub fn parse(search: &str) -> (ExplorerQuery, Vec<String>) {
        let pairs = query_pairs(search);
        let first = |name: &str| {
            pairs
                .iter()
                .find(|(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let all = |name: &'static str| {
            pairs
                .iter()
                .filter(move |(k, _)| k == name)
                .map(|(_, v)| v.as_str())
        };
        let mut q = ExplorerQuery::default();
        let mut problems = Vec::new();

        for i in 0..MAX_LOOKUPS {
            let get = |base: &str| first(&slot_param(base, i)).unwrap_or("").to_string();
            let conn = get("c");
            let kind_raw = get("k");
            let form = LookupForm {
                id: get("id"),
                owner_id: get("owner"),
                webhook_id: get("wh"),
                webhook_type: get("type"),
            };
            if conn.is_empty() {
                continue;
            }
            match LookupKind::parse(&kind_raw) {
                _ if form.is_blank() && kind_raw.is_empty() => {
                    if i == 0 {
                        q.conn_hint = Some(conn);
                    }
                }
                Some(kind) if !form.normalised(kind).is_blank() => {
                    let spec = LookupSpec::new(conn, kind, &form);
                    if !q.lookups.contains(&spec) {
                        q.lookups.push(spec);
                    }
                }
                Some(_) => {
                    if i == 0 {
                        q.conn_hint = Some(conn);
                    }
                }
                None => {
                    if i == 0 {
                        q.conn_hint = Some(conn);
                    }
                    problems.push(format!(
                        "This link asks for the lookup “{kind_raw}”, which hookscope does not know. Choose a lookup below; known ones are {}.",
                        LookupKind::ALL.map(|k| k.id()).join(", ")
                    ));
                }
            }
        }
        if q.lookups.is_empty() && q.conn_hint.is_none() {
            // A link can only start from `c`; a stray `c2` alone is ignored, not fatal.
            q.conn_hint = None;
        }

        let f = &mut q.filters;
        for v in all("status").flat_map(|v| v.split(',')) {
            match DeliveryStatus::parse(v.trim()) {
                Some(s) => push_unique(&mut f.status, s),
                None if v.trim().is_empty() => {}
                None => problems.push(format!(
                    "Unknown status filter “{v}”; use success, failed, retrying or pending."
                )),
            }
        }
        for v in all("event").filter(|v| !v.is_empty()) {
            push_unique(&mut f.event, v.to_string());
        }
        for v in all("code").flat_map(|v| v.split(',')) {
            match CodeFilter::parse(v) {
                Some(c) => push_unique(&mut f.code, c),
                None if v.trim().is_empty() => {}
                None => problems.push(format!(
                    "Unknown HTTP code filter “{v}”; use 2xx, 4xx, 5xx, an exact code such as 404, or none."
                )),
            }
        }
        for v in all("src").filter(|v| !v.is_empty()) {
            match Source::parse(v) {
                Some(s) => push_unique(&mut f.source, s),
                None => problems.push(format!(
                    "Unknown vendor filter “{v}”; use bland, burki or talkover (optionally followed by “:connection name”)."
                )),
            }
        }
        f.q = first("q").unwrap_or("").to_string();
        let range = first("range").unwrap_or("");
        let mut time = |name: &str, label: &str| -> Option<chrono::DateTime<chrono::Utc>> {
            let v = first(name).unwrap_or("");
            if v.is_empty() {
                return None;
            }
            let t = parse_time(v);
            if t.is_none() {
                problems.push(format!(
                    "{label} date “{v}” is not a date and time (YYYY-MM-DDTHH:MM); it is ignored."
                ));
            }
            t
        };
        let (from, to) = (time("from", "From"), time("to", "To"));
        f.time = match Span::parse(range) {
            Some(s) => TimeRange::Last(s),
            None => {
                if !range.is_empty() {
                    problems.push(format!(
                        "Unknown time range “{range}”; use 1h, 24h, 7d or 30d."
                    ));
                }
                TimeRange::between(from, to)
            }
        };
        problems.extend(f.problems());

        let sort = first("sort").unwrap_or("");
        q.sort = Sort::parse(sort).unwrap_or_default();
        for v in all("hide").flat_map(|v| v.split(',')) {
            if let Some(c) = Column::parse(v.trim()) {
                push_unique(&mut q.hidden, c);
            }
        }
        q.hidden.sort();
        q.sel = first("sel").filter(|s| !s.is_empty()).map(str::to_string);
        (q, problems)
    }

    /// The (name, value) pairs, in the fixed order links are written.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = Vec::new();
        let mut put = |k: String, v: String| {
            if !v.is_empty() {
                out.push((k, v));
            }
        };
        if self.lookups.is_empty() {
            if let Some(c) = &self.conn_hint {
                put("c".into(), c.clone());
            }
        }
        for (i, l) in self.lookups.iter().take(MAX_LOOKUPS).enumerate() {
            let f = l.form.normalised(l.kind);
            put(slot_param("c", i), l.conn.clone());
            put(slot_param("k", i), l.kind.id().into());
            put(slot_param("id", i), f.id);
            put(slot_param("owner", i), f.owner_id);
            put(slot_param("wh", i), f.webhook_id);
            put(slot_param("type", i), f.webhook_type);
        }
        let f = &self.filters;
        for s in &f.source {
            put("src".into(), s.id());
        }
        for s in &f.status {
            put("status".into(), s.id().into());
        }
        for e in &f.event {
            put("event".into(), e.clone());
        }
        for c in &f.code {
            put("code".into(), c.id());
        }
        put("q".into(), f.q.clone());
        match f.time {
            TimeRange::Any => {}
            TimeRange::Last(s) => put("range".into(), s.id().into()),
            TimeRange::Between { from, to } => {
                put("from".into(), from.map(write_time).unwrap_or_default());
                put("to".into(), to.map(write_time).unwrap_or_default());
            }
        }
        put("sort".into(), self.sort.to_param());
        for c in &self.hidden {
            put("hide".into(), c.id().into());
        }
        put("sel".into(), self.sel.clone().unwrap_or_default());
        out
    }

    /// `/explorer?…` for this state.
    /// Why this view cannot be a link, if it cannot: its link would be longer than
    /// [`MAX_HREF_BYTES`], which servers and CDNs may refuse (nginx answers 414 past its
    /// header buffers). Said when the view is made, never when a link is opened.
    pub fn link_problem(&self) -> Option<String> {
        let len = self.to_href().len();
        (len > MAX_HREF_BYTES).then(|| {
            let ids: usize = self
                .lookups
                .iter()
                .map(|l| l.form.id.split([',', ' ', '\n']).filter(|s| !s.is_empty()).count())
                .sum();
            let fit = if ids > 0 {
                format!(" About {} IDs fit in one view.", ids.saturating_mul(MAX_HREF_BYTES) / len)
            } else {
                String::new()
            };
            format!(
                "This view's link would be {}, longer than the {} kB a link may be (servers refuse longer addresses, so the view could not be reopened or shared). Look up fewer IDs at once, or use Bulk for long lists.{fit}",
                hookscope_core::error::size_words(len as u64),
                MAX_HREF_BYTES / 1000
            )
        })
    }

    pub fn to_href(&self) -> String {
        let q: Vec<String> = self
            .pairs()
            .into_iter()
            .map(|(k, v)| format!("{k}={}", encode_component(&v)))
            .collect();
        if q.is_empty() {
            "/explorer".into()
        } else {
            format!("/explorer?{}", q.join("&"))
        }
    }

    /// The same view with no filters (what "Clear filters" links to).
    pub fn without_filters(&self) -> ExplorerQuery {
        ExplorerQuery {
            filters: FilterSet::default(),
            ..self.clone()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::data::filters::SortKey;

    #[test]
    fn links_of_earlier_versions_open() {
        let (q, p) = ExplorerQuery::parse(
            "?c=Demo%20Bland&k=bland-call&id=a%2C%20b&status=failed&code=5xx&q=a+b&from=2026-01-01T00%3A00&sort=-code&sel=x",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(q.lookups.len(), 1);
        assert_eq!(q.lookups[0].conn, "Demo Bland");
        assert_eq!(q.lookups[0].form.id, "a, b");
        assert_eq!(q.filters.status, [DeliveryStatus::Failed]);
        assert_eq!(q.filters.code, [CodeFilter::Class(5)]);
        assert_eq!(q.filters.q, "a b");
        assert_eq!(
            q.filters.time,
            TimeRange::Between {
                from: parse_time("2026-01-01T00:00"),
                to: None
            }
        );
        assert_eq!(
            q.sort,
            Sort {
                key: SortKey::Code,
                desc: true
            }
        );
        assert_eq!(q.sel.as_deref(), Some("x"));
        assert_eq!(
            q.to_href(),
            "/explorer?c=Demo%20Bland&k=bland-call&id=a%2C%20b&status=failed&code=5xx&q=a%20b&from=2026-01-01T00%3A00&sort=-code&sel=x"
        );
    }

    #[test]
    fn several_lookups_and_multi_values() {
        let (q, p) = ExplorerQuery::parse(
            "c=A&k=burki-call&id=1&c2=B&k2=talkover-agent&owner=&owner2=o&wh2=w&status=failed&status=retrying&event=a%2Cb&event=c&code=404&code=none&src=bland:X&range=24h&hide=target",
        );
        assert!(p.is_empty(), "{p:?}");
        assert_eq!(q.lookups.len(), 2);
        assert_eq!(q.lookups[1].form.owner_id, "o");
        assert_eq!(q.filters.status.len(), 2);
        assert_eq!(q.filters.event, ["a,b", "c"]);
        assert_eq!(q.filters.time, TimeRange::Last(Span::Day));
        assert_eq!(q.hidden, [Column::Target]);
        let (again, _) = ExplorerQuery::parse(q.to_href().trim_start_matches("/explorer"));
        assert_eq!(again, q);
    }

    #[test]
    fn bad_values_are_said_and_left_out() {
        let (q, p) = ExplorerQuery::parse(
            "c=X&k=nope&id=1&status=bogus&code=7xx&from=yesterday&range=2y&src=zz",
        );
        assert!(q.lookups.is_empty());
        assert_eq!(q.conn_hint.as_deref(), Some("X"));
        assert_eq!(p.len(), 6, "{p:?}");
        assert!(p[0].contains("does not know"));
        assert!(q.filters.status.is_empty() && q.filters.code.is_empty());
    }

    #[test]
    fn a_connection_alone_starts_the_form() {
        let (q, p) = ExplorerQuery::parse("c=Demo%20Bland");
        assert!(p.is_empty());
        assert_eq!(q.conn_hint.as_deref(), Some("Demo Bland"));
        assert_eq!(q.to_href(), "/explorer?c=Demo%20Bland");
        let (q, _) = ExplorerQuery::parse("c=X&k=burki-call&id=");
        assert!(q.lookups.is_empty());
    }

    #[test]
    fn lookups_keep_only_their_fields() {
        let f = LookupForm {
            id: " 1 ".into(),
            owner_id: "o".into(),
            webhook_id: "w".into(),
            webhook_type: "t".into(),
        };
        let s = LookupSpec::new("c", LookupKind::BurkiCall, &f);
        assert_eq!(
            s.form,
            LookupForm {
                id: "1".into(),
                webhook_type: "t".into(),
                ..Default::default()
            }
        );
    }
}
