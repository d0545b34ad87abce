//! Everything the explorer's URL holds, as one typed struct: parsed once from the query
//! string, written by one function in a fixed parameter order. Links written by earlier
//! versions (`?c=…&k=…&id=…&status=failed`) still open. Keys are never part of it.
//!
//! The call search comes first: `q` is the pasted text, each `as=<entry>~<kind>` a
//! correction of what one entry was recognised as (`as=1001~phone`). Lookups: the first
//! uses `c k id owner wh type`, the second `c2 k2 …`, and so on. Filters with several
//! values repeat their parameter (`status=failed&status=retrying`); the filter search is
//! `search`.
//!
//! Earlier versions wrote the filter search as `q`. A `q` is read that way when the link
//! holds lookups (`c`, `k`, `id`…) and neither `search` nor `as`: such a link can only be
//! an old one, because a link of this version with lookups and a call search always
//! carries `search` (empty when nothing is searched). A `q` with no lookups is a call
//! search.

use crate::data::filters::{
    parse_time, write_time, CodeFilter, Column, FilterSet, Sort, Source, Span, TimeRange,
};
use hookscope_core::calls::recognise::MAX_ENTRIES;
use hookscope_core::calls::EntryKind;
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

/// The call search (`q`, `as`): what was pasted into the search box, and the person's
/// corrections of what entries were recognised as. Empty text: no search.
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash)]
pub struct CallSearch {
    /// As pasted, trimmed.
    pub text: String,
    /// `(entry text, kind)`: the entry pasted as this text is looked up as this kind. One
    /// per entry text (the last given wins), at most [`MAX_ENTRIES`], kept only with text.
    pub corrections: Vec<(String, EntryKind)>,
}

impl CallSearch {
    /// A search for `text` (trimmed), with no corrections.
    pub fn new(text: &str) -> CallSearch {
        CallSearch {
            text: text.trim().to_string(),
            corrections: vec![],
        }
    }

    pub fn is_empty(&self) -> bool {
        self.text.is_empty()
    }

    /// The same search with the entry pasted as `entry` looked up as `kind` (a correction
    /// back to what its shape says is dropped by the caller passing `None`).
    pub fn corrected(&self, entry: &str, kind: Option<EntryKind>) -> CallSearch {
        let mut out = self.clone();
        out.corrections.retain(|(t, _)| t != entry);
        if let Some(k) = kind {
            if out.corrections.len() < MAX_ENTRIES && !entry.is_empty() {
                out.corrections.push((entry.to_string(), k));
            }
        }
        out
    }
}

/// The explorer's whole state as the URL holds it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExplorerQuery {
    /// The call search at the top of the page (`q`, `as`).
    pub find: CallSearch,
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

/// Whether a parameter name is one of a lookup's (`c`, `k2`, `id3`…).
fn is_lookup_param(name: &str) -> bool {
    let base = name.trim_end_matches(|c: char| c.is_ascii_digit());
    matches!(base, "c" | "k" | "id" | "owner" | "wh" | "type")
}

impl ExplorerQuery {
    /// Reads a query string. Never fails: what cannot be used is left out and said in
    /// the returned problems (one sentence each, for the page to show).
    pub fn parse(search: &str) -> (ExplorerQuery, Vec<String>) {
        Self::parse_as(search, false)
    }

    /// Reads a saved view's query text (filters, sort, columns). Views saved by earlier
    /// versions hold the filter search as `q`, and a view never holds a call search.
    pub fn parse_view(text: &str) -> (ExplorerQuery, Vec<String>) {
        Self::parse_as(text, true)
    }

    fn parse_as(search: &str, q_is_filter: bool) -> (ExplorerQuery, Vec<String>) {
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
        // `q` is the call search, unless the link can only be an earlier version's.
        let legacy = q_is_filter
            || (first("search").is_none()
                && first("as").is_none()
                && pairs.iter().any(|(k, _)| is_lookup_param(k)));
        let q_text = first("q").unwrap_or("");
        f.q = match first("search") {
            Some(s) => s.to_string(),
            None if legacy => q_text.to_string(),
            None => String::new(),
        };
        if !legacy {
            q.find.text = q_text.trim().to_string();
        }
        if !q.find.text.is_empty() {
            for v in all("as").filter(|v| !v.is_empty()) {
                match v.rsplit_once('~').map(|(t, k)| (t, EntryKind::parse(k))) {
                    Some((t, Some(kind))) if !t.is_empty() => {
                        q.find = q.find.corrected(t, Some(kind));
                    }
                    _ => problems.push(format!(
                        "This link corrects an entry as “{v}”, which hookscope cannot read (it takes entry~kind, kinds being {}); the entry is looked up as recognised.",
                        EntryKind::ALL.map(|k| k.id()).join(", ")
                    )),
                }
            }
        }
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
        put("q".into(), self.find.text.clone());
        if !self.find.is_empty() {
            for (t, k) in &self.find.corrections {
                put("as".into(), format!("{t}~{}", k.id()));
            }
        }
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
        // With lookups and a call search, `search` is always written (empty when there is
        // no filter search): it tells this link from an earlier version's (module docs).
        let marker = !self.find.is_empty()
            && f.q.is_empty()
            && self.find.corrections.is_empty()
            && (!self.lookups.is_empty() || self.conn_hint.is_some());
        if marker {
            out.push(("search".into(), String::new()));
        }
        let mut put = |k: String, v: String| {
            if !v.is_empty() {
                out.push((k, v));
            }
        };
        put("search".into(), f.q.clone());
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
            "/explorer?c=Demo%20Bland&k=bland-call&id=a%2C%20b&status=failed&code=5xx&search=a%20b&from=2026-01-01T00%3A00&sort=-code&sel=x"
        );
    }

    #[test]
    fn q_is_the_call_search_and_search_the_filter() {
        // No lookups: `q` is a call search, kept trimmed, with its corrections.
        let (q, p) = ExplorerQuery::parse(
            "?q=%20%2B1%20415%20555%200142%2C%201001%20&as=1001~phone&as=x~nope&as=~phone",
        );
        assert_eq!(p.len(), 2, "{p:?}");
        assert!(p[0].contains("“x~nope”"), "{p:?}");
        assert_eq!(q.find.text, "+1 415 555 0142, 1001");
        assert_eq!(q.find.corrections, [("1001".to_string(), EntryKind::Phone)]);
        assert!(q.filters.q.is_empty());
        assert_eq!(
            q.to_href(),
            "/explorer?q=%2B1%20415%20555%200142%2C%201001&as=1001~phone"
        );
        // The last correction of an entry wins; corrections need a search.
        let (q, _) = ExplorerQuery::parse("q=a&as=a~phone&as=a~unknown");
        assert_eq!(q.find.corrections, [("a".to_string(), EntryKind::Unknown)]);
        let (q, p) = ExplorerQuery::parse("as=a~phone&status=failed");
        assert!(p.is_empty() && q.find.is_empty());
        // An entry with `~` in it: the kind is after the last one.
        let (q, _) = ExplorerQuery::parse("q=a~b&as=a~b~burki-call-id");
        assert_eq!(
            q.find.corrections,
            [("a~b".to_string(), EntryKind::BurkiCallId)]
        );
        // The filter search is `search`, with or without lookups.
        let (q, _) = ExplorerQuery::parse("q=1001&search=timeout");
        assert_eq!(
            (q.find.text.as_str(), q.filters.q.as_str()),
            ("1001", "timeout")
        );
        assert_eq!(q.to_href(), "/explorer?q=1001&search=timeout");
    }

    #[test]
    fn a_call_search_beside_lookups_is_told_from_an_old_filter_search() {
        // An earlier version's link: lookups and `q`, no `search`: `q` filters.
        let (old, _) = ExplorerQuery::parse("c=A&k=burki-call&id=1&q=timeout");
        assert!(old.find.is_empty());
        assert_eq!(old.filters.q, "timeout");
        assert_eq!(
            old.to_href(),
            "/explorer?c=A&k=burki-call&id=1&search=timeout"
        );
        // This version's: a call search beside lookups always carries `search`.
        let q = ExplorerQuery {
            find: CallSearch::new("2001"),
            ..old.without_filters()
        };
        let href = q.to_href();
        assert_eq!(href, "/explorer?q=2001&c=A&k=burki-call&id=1&search=");
        assert_eq!(
            ExplorerQuery::parse(href.trim_start_matches("/explorer")).0,
            q
        );
        // …or `as`, which no earlier version wrote.
        let q = ExplorerQuery {
            find: CallSearch::new("2001").corrected("2001", Some(EntryKind::Phone)),
            ..q
        };
        let href = q.to_href();
        assert_eq!(href, "/explorer?q=2001&as=2001~phone&c=A&k=burki-call&id=1");
        assert_eq!(
            ExplorerQuery::parse(href.trim_start_matches("/explorer")).0,
            q
        );
        // A connection hint counts as a lookup parameter too.
        let q = ExplorerQuery {
            find: CallSearch::new("2001"),
            conn_hint: Some("A".into()),
            ..Default::default()
        };
        assert_eq!(q.to_href(), "/explorer?q=2001&c=A&search=");
        assert_eq!(ExplorerQuery::parse(&q.to_href()[9..]).0, q);
        // Saved views of earlier versions hold the filter search as `q`.
        let (v, _) = ExplorerQuery::parse_view("status=failed&q=timeout");
        assert_eq!(v.filters.q, "timeout");
        assert!(v.find.is_empty());
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
