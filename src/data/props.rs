//! Property tests (host only): the index's filters, counts and sort agree with a naive
//! reference that reads each delivery directly, and the URL state round-trips.

use super::filters::{CodeFilter, FilterSet, Sort, SortKey, Source, Span, TimeRange};
use super::index::{DeliveryIndex, Group, Prepared, Preparing, Rows, SlotInfo};
use crate::data::query::{CallSearch, ExplorerQuery, LookupSpec};
use chrono::{DateTime, TimeZone, Utc};
use hookscope_core::calls::EntryKind;
use hookscope_core::domain::{Attempt, Delivery, DeliveryStatus, Outcome, Timestamp, Vendor};
use hookscope_core::lookup::{LookupForm, LookupKind};
use proptest::prelude::*;
use std::sync::Arc;

const EVENTS: [&str; 3] = ["call_ended", "post_call", "sms"];
const WORDS: [&str; 4] = ["alpha", "Beta", "timeout ETIMEDOUT", "x"];

fn now() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 1, 10, 0, 0, 0).unwrap()
}

fn delivery() -> impl Strategy<Value = Delivery> {
    (
        0usize..6,
        0usize..3,
        prop::option::of(prop::sample::select(vec![200u16, 201, 404, 500, 503])),
        prop::option::of(0i64..(20 * 86_400)),
        prop::option::of(0u64..5000),
        0usize..4,
        0usize..4,
        (1usize..3, 0usize..3),
    )
        .prop_map(|(id, ev, code, secs, ms, word, status, (attempts, shape))| {
            let at = secs.map(|s| {
                let t = now() - chrono::Duration::seconds(s);
                Timestamp::new(&t.to_rfc3339(), Some(t))
            });
            let status = DeliveryStatus::ALL[status];
            let subject = format!("call-{}", WORDS[word]);
            // Shapes the search text leaves parts out of: a first log ID inside the
            // delivery's ID (Talkover's), the same answer on every attempt, a payload
            // holding the subject and event.
            let attempt = |n: usize| Attempt {
                log_id: Some(format!("log-{id}-{n}").into()),
                number: n as u32,
                at: at.clone(),
                http_code: code,
                duration_ms: ms,
                outcome: Outcome::from_http(code),
                trigger: "spawn".into(),
                error: (word == 2).then(|| WORDS[word].into()),
                response_body: (shape > 0).then(|| format!("{{\"error\":\"{}\"}}", WORDS[word]).into()),
                response_headers: None,
                retriable: false,
            };
            let payload = match shape {
                2 => serde_json::json!({"call_id": subject, "event": EVENTS[ev], "w": WORDS[(word + 1) % 4]}),
                _ => serde_json::json!({"w": WORDS[(word + 1) % 4]}),
            };
            Delivery {
                id: if shape == 1 { format!("talkover:log-{id}-1") } else { format!("d{id}") }.into(),
                vendor: Vendor::Talkover,
                subject: subject.into(),
                event: EVENTS[ev].into(),
                target_url: Some("https://example.test/hook".into()),
                payload: hookscope_core::Payload::from_value(&payload),
                created_at: None,
                status,
                attempts: (1..=attempts).map(attempt).collect(),
                extra: serde_json::Value::Null,
            }
        })
}

fn filters() -> impl Strategy<Value = FilterSet> {
    let time = prop_oneof![
        Just(TimeRange::Any),
        prop::sample::select(Span::ALL.to_vec()).prop_map(TimeRange::Last),
        (prop::option::of(0i64..20), prop::option::of(0i64..20)).prop_map(|(a, b)| {
            TimeRange::between(
                a.map(|d| now() - chrono::Duration::days(d)),
                b.map(|d| now() - chrono::Duration::days(d)),
            )
        }),
    ];
    (
        prop::sample::subsequence(DeliveryStatus::ALL.to_vec(), 0..=2),
        prop::sample::subsequence(vec!["call_ended", "sms", "nope"], 0..=2),
        prop::sample::subsequence(
            vec![
                CodeFilter::None,
                CodeFilter::Class(2),
                CodeFilter::Class(5),
                CodeFilter::Exact(404),
            ],
            0..=2,
        ),
        prop::sample::subsequence(
            vec![
                "",
                "b",
                "beta",
                "ETIMEDOUT",
                "call-",
                "zz",
                "log-1-1",
                "over:log",
                "error\":\"a",
                "ended",
            ],
            0..=1,
        ),
        prop::sample::subsequence(vec!["talkover", "talkover:B", "bland"], 0..=1),
        time,
    )
        .prop_map(|(status, event, code, q, source, time)| FilterSet {
            status,
            event: event.into_iter().map(String::from).collect(),
            code,
            source: source.into_iter().filter_map(Source::parse).collect(),
            q: q.first().map(|s| format!(" {s} ")).unwrap_or_default(),
            time,
        })
}

/// The reference: each filter read straight off the delivery.
fn naive_match(f: &FilterSet, d: &Delivery, conn: &str) -> bool {
    let q = f.q.trim().to_lowercase();
    let text = format!(
        "{} {} {} {} {} {}",
        d.id,
        d.subject,
        d.event,
        d.target_url.clone().unwrap_or_default(),
        d.attempts
            .iter()
            .map(|a| format!(
                "{} {} {}",
                a.error.clone().unwrap_or_default(),
                a.log_id.clone().unwrap_or_default(),
                a.response_body.clone().unwrap_or_default()
            ))
            .collect::<String>(),
        d.payload.text()
    )
    .to_lowercase();
    let (from, to) = f.time.bounds(now());
    let t = d.last_time().and_then(|t| t.parsed);
    (f.status.is_empty() || f.status.contains(&d.status))
        && (f.event.is_empty() || f.event.iter().any(|e| d.event == *e))
        && (f.code.is_empty() || f.code.iter().any(|c| c.matches(d.http_code())))
        && (f.source.is_empty() || f.source.iter().any(|s| s.matches(d.vendor, conn)))
        && (q.is_empty() || text.contains(&q))
        && ((from.is_none() && to.is_none())
            || t.is_some_and(|t| {
                from.is_none_or(|f| t >= f)
                    && to.is_none_or(|e| t < e + chrono::Duration::seconds(1))
            }))
}

/// Rows with their index data made beforehand, as a lookup makes it (in small steps).
struct PreparedRows(Vec<Delivery>, Arc<Prepared>);

impl Rows for PreparedRows {
    fn deliveries(&self) -> &[Delivery] {
        &self.0
    }

    fn prepared(&self) -> Option<Arc<Prepared>> {
        Some(self.1.clone())
    }
}

/// Lookup A's rows are prepared by the index itself, B's (if any) beforehand in steps
/// of 3.
fn build(a: &[Delivery], b: &[Delivery]) -> (DeliveryIndex, Vec<(Delivery, String)>) {
    let mut seen: Vec<(Delivery, String)> = vec![];
    let mut groups: Vec<(SlotInfo, Group)> = vec![];
    // An empty B is no lookup at all (A alone is the one-lookup case).
    for (conn, ds) in [("A", a), ("B", b)]
        .into_iter()
        .filter(|(c, ds)| *c == "A" || !ds.is_empty())
    {
        // Within one lookup IDs are unique (the client makes them so).
        let mut ds = ds.to_vec();
        hookscope_core::domain::make_ids_unique(&mut ds);
        for d in &ds {
            if !seen.iter().any(|(o, _)| o.id == d.id && o.same_as(d)) {
                seen.push((d.clone(), conn.to_string()));
            }
        }
        let g: Group = if conn == "A" {
            Arc::new(ds)
        } else {
            let mut p = Preparing::default();
            while !p.step(&ds, 3) {}
            Arc::new(PreparedRows(ds, Arc::new(p.finish())))
        };
        groups.push((
            SlotInfo {
                vendor: Vendor::Talkover,
                conn: conn.into(),
            },
            g,
        ));
    }
    (DeliveryIndex::build(groups), seen)
}

fn sort_key(d: &Delivery, conn: &str, key: SortKey) -> Option<String> {
    match key {
        SortKey::Time => d
            .last_time()
            .and_then(|t| t.parsed)
            .map(|t| format!("{:020}", t.timestamp_millis())),
        SortKey::Status => Some(d.status.id().into()),
        SortKey::Event => Some(d.event.to_string()),
        SortKey::Code => d.http_code().map(|c| format!("{c:05}")),
        SortKey::Attempts => Some(format!("{:05}", d.attempts.len())),
        SortKey::Latency => d.last_duration_ms().map(|c| format!("{c:020}")),
        SortKey::Vendor => Some(format!("{} {conn}", d.vendor.id())),
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn filters_sort_and_counts_match_a_naive_reference(
        a in prop::collection::vec(delivery(), 0..25),
        // Half the cases have one lookup: the index reads its keys by position then.
        b in prop_oneof![Just(vec![]), prop::collection::vec(delivery(), 1..25)],
        f in filters(),
        key in prop::sample::select(SortKey::ALL.to_vec()),
        desc in any::<bool>(),
    ) {
        let (ix, all) = build(&a, &b);
        prop_assert_eq!(ix.len(), all.len());
        // Every row has its own key, and the key finds the row.
        for r in 0..ix.len() as u32 {
            prop_assert_eq!(ix.row_of(ix.key(r)), Some(r));
        }
        let sort = Sort { key, desc };
        let order = ix.sorted(sort);
        let got = ix.filter(&f, &order, now());
        // Each shown row matches, and exactly the matching rows are shown.
        let want_n = (0..ix.len() as u32)
            .filter(|r| naive_match(&f, ix.get(*r).unwrap(), &ix.origin(*r).unwrap().conn))
            .count();
        prop_assert_eq!(got.rows.len(), want_n);
        for r in got.rows.iter() {
            prop_assert!(naive_match(&f, ix.get(*r).unwrap(), &ix.origin(*r).unwrap().conn));
        }
        // Each part a search reads, searched for whole, finds its row (the search text
        // leaves out parts the row already holds elsewhere).
        let mut parts: std::collections::BTreeMap<String, Vec<u32>> = Default::default();
        for r in 0..ix.len() as u32 {
            let d = ix.get(r).unwrap();
            let mut of = vec![d.id.to_string(), d.subject.to_string(), d.event.to_string(), d.payload.text().to_string()];
            of.extend(d.target_url.as_deref().map(str::to_string));
            for a in &d.attempts {
                of.extend([&a.error, &a.log_id, &a.response_body].into_iter().flatten().map(|p| p.to_string()));
            }
            for part in of {
                parts.entry(part).or_default().push(r);
            }
        }
        for (part, rows) in &parts {
            let found = ix.filter(&FilterSet { q: part.clone(), ..Default::default() }, &order, now()).rows;
            for r in rows {
                prop_assert!(found.contains(r), "{:?} does not find row {}", part, r);
            }
        }
        // Sorted: keys in order, missing values last, ties in load order.
        let keys: Vec<(Option<String>, u32)> =
            got.rows.iter().map(|r| (sort_key(ix.get(*r).unwrap(), &ix.origin(*r).unwrap().conn, key), *r)).collect();
        for w in keys.windows(2) {
            let ((ka, ra), (kb, rb)) = (&w[0], &w[1]);
            let ok = match (ka, kb) {
                (Some(x), Some(y)) if x == y => ra < rb,
                (Some(x), Some(y)) => if desc { x > y } else { x < y },
                (Some(_), None) => true,
                (None, Some(_)) => false,
                (None, None) => ra < rb,
            };
            prop_assert!(ok, "{:?} then {:?}", w[0], w[1]);
        }
        // The overview's failure kinds, read from the keys, are the diagnosis's own.
        prop_assert_eq!(
            ix.causes(&got.rows),
            hookscope_core::diagnosis::cause_counts(got.rows.iter().map(|r| ix.get(*r).unwrap()))
        );
        // And its figures are those of the deliveries themselves.
        for r in got.rows.iter() {
            let (d, x) = (ix.get(*r).unwrap(), ix.facts(*r).unwrap());
            prop_assert_eq!(x.status, d.status);
            prop_assert_eq!(x.code, d.http_code());
            prop_assert_eq!(x.latency_ms, d.last_duration_ms());
            prop_assert_eq!(x.time_ms, d.last_time().and_then(|t| t.parsed).map(|t| t.timestamp_millis()));
        }
        // A status option's count is the rows it would leave with the other filters.
        for (st, n) in &got.facets.status {
            let g = FilterSet { status: vec![*st], ..f.clone() };
            prop_assert_eq!(*n, ix.filter(&g, &order, now()).rows.len());
        }
        for (e, n) in &got.facets.event {
            let g = FilterSet { event: vec![e.clone()], ..f.clone() };
            prop_assert_eq!(*n, ix.filter(&g, &order, now()).rows.len());
        }
        for c in [CodeFilter::None, CodeFilter::Class(5), CodeFilter::Exact(404)] {
            let g = FilterSet { code: vec![c], ..f.clone() };
            prop_assert_eq!(got.facets.code_count(c), ix.filter(&g, &order, now()).rows.len());
        }
    }

    #[test]
    fn a_longer_search_after_a_shorter_one_matches_a_fresh_search(
        a in prop::collection::vec(delivery(), 0..30),
        first in prop::sample::select(vec!["a", "e", "t", "call"]),
        more in prop::sample::select(vec!["l", "ta", "imeout", "-b"]),
    ) {
        let (ix, _) = build(&a, &[]);
        let order = ix.sorted(Sort::default());
        let f = |q: &str| FilterSet { q: q.into(), ..Default::default() };
        let _ = ix.filter(&f(first), &order, now());
        let narrowed = ix.filter(&f(&format!("{first}{more}")), &order, now());
        let (fresh, _) = build(&a, &[]);
        prop_assert_eq!(narrowed.rows, fresh.filter(&f(&format!("{first}{more}")), &order, now()).rows);
    }
}

/// A call search as the page makes one: pasted text (any characters) and corrections of
/// some of its entries' kinds (entry texts with `~`, spaces, `&` and the like).
fn call_search() -> impl Strategy<Value = CallSearch> {
    (
        "[ -~àé😀&=+%#?,:\n]{0,24}",
        prop::collection::vec(
            (
                "[a-z0-9 ~+&=%,]{1,8}",
                prop::sample::select(EntryKind::ALL.to_vec()),
            ),
            0..4,
        ),
    )
        .prop_map(|(text, fixes)| {
            fixes
                .into_iter()
                .fold(CallSearch::new(&text), |s, (t, k)| s.corrected(&t, Some(k)))
        })
        .prop_map(|s| {
            if s.is_empty() {
                CallSearch::default()
            } else {
                s
            }
        })
}

fn query() -> impl Strategy<Value = ExplorerQuery> {
    let text = "[ -~àé😀&=+%#?,:]{0,12}";
    let spec = (
        "[A-Za-z0-9 &=+%:]{1,10}",
        prop::sample::select(LookupKind::ALL.to_vec()),
        "[a-z0-9_,+ %&]{1,12}",
        "[a-z0-9_%&+]{1,8}",
        prop::sample::select(vec!["", "call_ended"]),
    )
        .prop_map(|(conn, kind, id, other, t)| {
            let form = LookupForm {
                id: id.clone(),
                owner_id: other.clone(),
                webhook_id: other,
                webhook_type: t.into(),
            };
            LookupSpec::new(conn, kind, &form)
        })
        .prop_filter("an ID is left after trimming", |s| !s.form.is_blank());
    (
        prop::collection::vec(spec, 0..4),
        filters(),
        text,
        prop::sample::select(SortKey::ALL.to_vec()),
        any::<bool>(),
        prop::sample::subsequence(super::filters::Column::ALL.to_vec(), 0..3),
        prop::option::of("[ -~]{1,10}"),
        prop::option::of("[A-Za-z ]{1,8}"),
        call_search(),
    )
        .prop_map(
            |(lookups, mut filters, q, key, desc, hidden, sel, hint, find)| {
                filters.q = q;
                let mut lookups = lookups;
                lookups.dedup();
                let conn_hint = if lookups.is_empty() { hint } else { None };
                ExplorerQuery {
                    find,
                    lookups,
                    conn_hint,
                    filters,
                    sort: Sort { key, desc },
                    hidden,
                    sel: sel.filter(|s| !s.is_empty()),
                }
            },
        )
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    #[test]
    fn url_state_round_trips(q in query()) {
        let href = q.to_href();
        let search = href.trim_start_matches("/explorer");
        let (back, problems) = ExplorerQuery::parse(search);
        // Everything written reads back the same, and writes the same link again.
        prop_assert_eq!(back.to_href(), href.clone());
        prop_assert!(problems.iter().all(|p| p.contains("From date is after")), "{:?}", problems);
        let mut expect = q.clone();
        let mut seen = vec![];
        expect.lookups.retain(|l| { let new = !seen.contains(l); seen.push(l.clone()); new });
        prop_assert_eq!(back, expect);
    }

    #[test]
    fn any_query_string_parses_without_panic(s in "[ -~àé\u{0}%]{0,200}") {
        let (q, _) = ExplorerQuery::parse(&s);
        let href = q.to_href();
        let (again, _) = ExplorerQuery::parse(href.trim_start_matches("/explorer"));
        prop_assert_eq!(again.to_href(), href);
    }
}
