//! The explorer's filters and sort order, as the URL holds them. Pure: host-tested.

use chrono::{DateTime, NaiveDateTime, Utc};
use hookscope_core::domain::{Delivery, DeliveryStatus};

/// Filter values straight from the URL (empty = no filter).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Filters {
    pub status: String,
    pub event: String,
    /// `2xx`, `4xx`, `5xx`, `none` (no HTTP answer) or an exact code.
    pub code: String,
    pub q: String,
    /// `YYYY-MM-DDTHH:MM` (a `datetime-local` value), read as UTC.
    pub from: String,
    pub to: String,
}

/// Parses a `datetime-local` value (minutes or seconds precision) as UTC.
pub fn parse_local(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
        .or_else(|_| NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S"))
        .ok()
        .map(|n| n.and_utc())
}

impl Filters {
    /// Problems with the filter values themselves (from a hand-edited link), for display.
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if !self.status.is_empty() && DeliveryStatus::parse(&self.status).is_none() {
            p.push(format!(
                "Unknown status filter “{}”; use success, failed, retrying or pending.",
                self.status
            ));
        }
        for (name, v) in [("From", &self.from), ("To", &self.to)] {
            if !v.is_empty() && parse_local(v).is_none() {
                p.push(format!(
                    "{name} date “{v}” is not a date and time (YYYY-MM-DDTHH:MM); it is ignored."
                ));
            }
        }
        if let (Some(f), Some(t)) = (parse_local(&self.from), parse_local(&self.to)) {
            if f > t {
                p.push("The From date is after the To date, so nothing can match.".into());
            }
        }
        p
    }

    pub fn is_active(&self) -> bool {
        *self != Filters::default()
    }

    pub fn matches(&self, d: &Delivery) -> bool {
        if !self.status.is_empty() && d.status.id() != self.status {
            return false;
        }
        if !self.event.is_empty() && d.event != self.event {
            return false;
        }
        if !self.code.is_empty() {
            let c = d.http_code();
            let ok = match self.code.as_str() {
                "none" => c.is_none(),
                class @ ("1xx" | "2xx" | "3xx" | "4xx" | "5xx") => {
                    c.map(|c| c / 100) == class[..1].parse::<u16>().ok()
                }
                exact => c.map(|c| c.to_string()).as_deref() == Some(exact),
            };
            if !ok {
                return false;
            }
        }
        let from = parse_local(&self.from);
        let to = parse_local(&self.to);
        if from.is_some() || to.is_some() {
            // A delivery whose time the vendor gave in an unreadable form cannot be placed.
            let Some(t) = d.last_time().and_then(|t| t.parsed) else {
                return false;
            };
            if from.is_some_and(|f| t < f) || to.is_some_and(|to| t > to) {
                return false;
            }
        }
        if !self.q.trim().is_empty() {
            let q = self.q.trim().to_lowercase();
            let hit = |s: &str| s.to_lowercase().contains(&q);
            let in_attempts = d.attempts.iter().any(|a| {
                a.error.as_deref().is_some_and(hit)
                    || a.log_id.as_deref().is_some_and(hit)
                    || a.response_body.as_deref().is_some_and(hit)
            });
            if !(hit(&d.id)
                || hit(&d.subject)
                || hit(&d.event)
                || d.target_url.as_deref().is_some_and(hit)
                || in_attempts
                || hit(&d.payload.to_string()))
            {
                return false;
            }
        }
        true
    }
}

/// Column the table is sorted by; `desc` puts the largest/newest first.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SortKey {
    Time,
    Status,
    Event,
    Code,
    Attempts,
    Latency,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Sort {
    pub key: SortKey,
    pub desc: bool,
}

impl Default for Sort {
    /// Newest first, as every delivery log reads.
    fn default() -> Self {
        Sort {
            key: SortKey::Time,
            desc: true,
        }
    }
}

impl SortKey {
    pub const ALL: [SortKey; 6] = [
        SortKey::Status,
        SortKey::Event,
        SortKey::Code,
        SortKey::Attempts,
        SortKey::Latency,
        SortKey::Time,
    ];

    pub fn id(self) -> &'static str {
        match self {
            SortKey::Time => "time",
            SortKey::Status => "status",
            SortKey::Event => "event",
            SortKey::Code => "code",
            SortKey::Attempts => "attempts",
            SortKey::Latency => "latency",
        }
    }
}

impl Sort {
    /// `time`, `-time`, `latency`, … (a leading `-` means descending). Unknown: the default.
    pub fn parse(s: &str) -> Sort {
        let (desc, name) = match s.strip_prefix('-') {
            Some(n) => (true, n),
            None => (false, s),
        };
        match SortKey::ALL.into_iter().find(|k| k.id() == name) {
            Some(key) => Sort { key, desc },
            None => Sort::default(),
        }
    }

    pub fn to_param(self) -> String {
        if self == Sort::default() {
            String::new()
        } else if self.desc {
            format!("-{}", self.key.id())
        } else {
            self.key.id().to_string()
        }
    }

    /// Clicking a column: the same column flips direction, another starts descending.
    pub fn toggled(self, key: SortKey) -> Sort {
        if self.key == key {
            Sort {
                key,
                desc: !self.desc,
            }
        } else {
            Sort { key, desc: true }
        }
    }

    /// Stable sort; deliveries without a value go last in either direction.
    pub fn apply(self, rows: &mut [Delivery]) {
        use std::cmp::Ordering;
        fn opt<T: Ord>(a: Option<T>, b: Option<T>, desc: bool) -> Ordering {
            match (a, b) {
                (Some(a), Some(b)) => {
                    if desc {
                        b.cmp(&a)
                    } else {
                        a.cmp(&b)
                    }
                }
                (Some(_), None) => Ordering::Less,
                (None, Some(_)) => Ordering::Greater,
                (None, None) => Ordering::Equal,
            }
        }
        let desc = self.desc;
        rows.sort_by(|a, b| match self.key {
            SortKey::Time => opt(
                a.last_time().and_then(|t| t.parsed),
                b.last_time().and_then(|t| t.parsed),
                desc,
            ),
            SortKey::Status => opt(Some(a.status.id()), Some(b.status.id()), desc),
            SortKey::Event => opt(Some(&a.event), Some(&b.event), desc),
            SortKey::Code => opt(a.http_code(), b.http_code(), desc),
            SortKey::Attempts => opt(Some(a.attempts.len()), Some(b.attempts.len()), desc),
            SortKey::Latency => opt(a.last_duration_ms(), b.last_duration_ms(), desc),
        });
    }
}

/// How many deliveries have each status (for the summary strip).
pub fn status_counts(rows: &[Delivery]) -> Vec<(DeliveryStatus, usize)> {
    DeliveryStatus::ALL
        .iter()
        .map(|s| (*s, rows.iter().filter(|d| d.status == *s).count()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::vendors::talkover;

    fn sample() -> Vec<Delivery> {
        let body = r#"{"success": true, "data": [
          {"id": "a", "webhook_id": "w", "event": "e1", "attempt": 1, "status": "success", "http_status": 200, "duration_ms": 50, "request_payload": {"call_id": "c-a"}, "created_at": "2026-01-01T10:00:00Z"},
          {"id": "b", "webhook_id": "w", "event": "e2", "attempt": 1, "status": "failed", "http_status": 503, "duration_ms": 900, "error": "Service Unavailable", "request_payload": {"call_id": "c-b"}, "created_at": "2026-01-02T10:00:00Z"},
          {"id": "c", "webhook_id": "w", "event": "e1", "attempt": 1, "status": "retrying", "http_status": null, "error": "connect ETIMEDOUT", "request_payload": {"call_id": "c-c"}, "created_at": "2026-01-03T10:00:00Z"},
          {"id": "d", "webhook_id": "w", "event": "e1", "attempt": 1, "status": "pending", "request_payload": {"call_id": "c-d"}, "created_at": "sometime"}
        ]}"#;
        let id = |s: &str| hookscope_core::ids::PathId::typed("ID", s).unwrap();
        let req = talkover::logs(talkover::Owner::Agent, &id("a"), &id("w"), 1, 25);
        talkover::to_deliveries(&talkover::decode_page(&req, 200, body).unwrap().logs)
    }

    fn ids(rows: &[Delivery], f: &Filters) -> Vec<String> {
        let mut v: Vec<String> = rows
            .iter()
            .filter(|d| f.matches(d))
            .map(|d| d.subject.clone())
            .collect();
        v.sort();
        v
    }

    #[test]
    fn each_filter() {
        let rows = sample();
        let f = |mut g: Filters, set: fn(&mut Filters)| {
            set(&mut g);
            ids(&rows, &g)
        };
        assert_eq!(
            f(Filters::default(), |g| g.status = "failed".into()),
            ["c-b"]
        );
        assert_eq!(f(Filters::default(), |g| g.event = "e2".into()), ["c-b"]);
        assert_eq!(f(Filters::default(), |g| g.code = "5xx".into()), ["c-b"]);
        assert_eq!(f(Filters::default(), |g| g.code = "200".into()), ["c-a"]);
        assert_eq!(
            f(Filters::default(), |g| g.code = "none".into()),
            ["c-c", "c-d"]
        );
        assert_eq!(f(Filters::default(), |g| g.q = "etimedout".into()), ["c-c"]);
        assert_eq!(f(Filters::default(), |g| g.q = " C-A ".into()), ["c-a"]);
        assert_eq!(
            f(Filters::default(), |g| g.from = "2026-01-02T00:00".into()),
            ["c-b", "c-c"]
        );
        assert_eq!(
            f(Filters::default(), |g| g.to = "2026-01-02T10:00".into()),
            ["c-a", "c-b"]
        );
        assert_eq!(ids(&rows, &Filters::default()).len(), 4);
    }

    #[test]
    fn filter_problems_are_explained() {
        let f = Filters {
            status: "nope".into(),
            from: "2026-02-01T00:00".into(),
            to: "2026-01-01T00:00".into(),
            ..Default::default()
        };
        let p = f.problems();
        assert_eq!(p.len(), 2, "{p:?}");
        let f = Filters {
            from: "yesterday".into(),
            ..Default::default()
        };
        assert!(f.problems()[0].contains("not a date"));
    }

    #[test]
    fn sorting() {
        let mut rows = sample();
        Sort::default().apply(&mut rows);
        assert_eq!(
            rows.iter().map(|d| d.subject.as_str()).collect::<Vec<_>>(),
            ["c-c", "c-b", "c-a", "c-d"],
            "newest first, unknown time last"
        );
        Sort::parse("latency").apply(&mut rows);
        assert_eq!(rows[0].subject, "c-a");
        Sort::parse("-code").apply(&mut rows);
        assert_eq!(rows[0].subject, "c-b");
        assert_eq!(Sort::parse("bogus"), Sort::default());
        assert_eq!(Sort::parse("-latency").to_param(), "-latency");
        assert_eq!(Sort::default().to_param(), "");
        assert_eq!(
            Sort::default().toggled(SortKey::Time),
            Sort {
                key: SortKey::Time,
                desc: false
            }
        );
    }

    #[test]
    fn counts() {
        let c = status_counts(&sample());
        assert!(c.iter().all(|(_, n)| *n == 1));
    }
}
