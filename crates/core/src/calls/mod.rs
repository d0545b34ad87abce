//! Finding a call from what a support ticket holds.
//!
//! 1. [`recognise`] cuts pasted text into entries and reads each one's kind by its shape
//!    (the person may correct it: [`recognise::Entry::as_kind`]).
//! 2. [`plan`] says which lookups each entry can run with the person's connections, and
//!    why the others cannot.
//! 3. A [`CallQuery`] asks a vendor's calls endpoint and reads the answer into a
//!    [`CallPage`] of [`Call`]s (vendor-neutral); [`deliveries_of`] then names the
//!    delivery lookup of each call found. Bland SMS conversations and Talkover calls have
//!    no calls endpoint: their plan asks for deliveries directly.

pub mod phone;
pub mod plan;
pub mod recognise;

use crate::domain::{Call, Vendor};
use crate::error::{ApiError, ErrorKind};
use crate::ids::PathId;
use crate::lookup::Lookup;
use crate::request::ApiRequest;
use crate::response::{classify, RawResponse};
use crate::vendors::{bland, burki};
use chrono::{DateTime, Utc};

pub use phone::Phone;
pub use plan::{plan, plan_entry, talkover_searches, CallLookup, EntryPlan, Reach, TalkoverScope};
pub use recognise::{
    recognise, recognise_with, Entry, EntryKind, KindError, RecogniseOptions, Recognised,
};

/// Calls asked for per page when searching by phone number or SID: a ticket's number
/// rarely has more, and the person can ask for the next page.
pub const CALLS_PAGE: u32 = 50;

/// One request to a vendor's calls endpoints.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub enum CallQuery {
    /// Bland `GET /v1/calls/{id}`.
    BlandCall(PathId),
    /// Bland `GET /v1/calls?to_number=|from_number=…`.
    BlandCalls(bland::CallsQuery),
    /// Burki `GET /api/v1/calls/{id}`.
    BurkiCall(u64),
    /// Burki `GET /api/v1/calls/sid/{call_sid}`.
    BurkiCallBySid(PathId),
    /// Burki `GET /api/v1/calls?customer_phone=|call_sid=…`.
    BurkiCalls(burki::CallsQuery),
}

impl CallQuery {
    pub fn vendor(&self) -> Vendor {
        match self {
            CallQuery::BlandCall(_) | CallQuery::BlandCalls(_) => Vendor::Bland,
            _ => Vendor::Burki,
        }
    }

    /// A stable name for the kind of query (for `data-*` attributes and tests).
    pub fn id(&self) -> &'static str {
        match self {
            CallQuery::BlandCall(_) => "bland-call",
            CallQuery::BlandCalls(q) if q.from_number.is_some() => "bland-calls-from",
            CallQuery::BlandCalls(_) => "bland-calls-to",
            CallQuery::BurkiCall(_) => "burki-call",
            CallQuery::BurkiCallBySid(_) => "burki-call-sid",
            CallQuery::BurkiCalls(q) if q.customer_phone.is_some() => "burki-calls-customer",
            CallQuery::BurkiCalls(_) => "burki-calls-sid",
        }
    }

    /// Whether it asks for one call by its ID (a 404 then means "no such call").
    pub fn finds_one(&self) -> bool {
        matches!(
            self,
            CallQuery::BlandCall(_) | CallQuery::BurkiCall(_) | CallQuery::BurkiCallBySid(_)
        )
    }

    pub fn request(&self) -> ApiRequest {
        match self {
            CallQuery::BlandCall(id) => bland::call(id),
            CallQuery::BlandCalls(q) => bland::calls(q),
            CallQuery::BurkiCall(id) => burki::call(*id),
            CallQuery::BurkiCallBySid(sid) => burki::call_by_sid(sid),
            CallQuery::BurkiCalls(q) => burki::calls(q),
        }
    }

    /// What it looks for, in words ("Bland: calls to +15550100199").
    pub fn describe(&self) -> String {
        match self {
            CallQuery::BlandCall(id) => format!("Bland: the call {id}"),
            CallQuery::BlandCalls(q) => match (&q.to_number, &q.from_number) {
                (Some(to), _) => format!("Bland: calls to {to}"),
                (None, Some(from)) => format!("Bland: calls from {from}"),
                (None, None) => "Bland: all calls".into(),
            },
            CallQuery::BurkiCall(id) => format!("Burki: call {id}"),
            CallQuery::BurkiCallBySid(sid) => format!("Burki: the call with SID {sid}"),
            CallQuery::BurkiCalls(q) => match (&q.customer_phone, &q.call_sid) {
                (Some(p), _) => format!("Burki: calls with the customer {p}"),
                (None, Some(s)) => format!("Burki: calls whose SID contains {s}"),
                (None, None) => "Burki: all calls".into(),
            },
        }
    }

    /// Reads a 2xx body (the transport has already turned other statuses into errors with
    /// [`crate::response::classify`]; [`CallQuery::read`] does both).
    pub fn decode(&self, status: u16, body: &str) -> Result<CallPage, ApiError> {
        let req = self.request();
        match self {
            CallQuery::BlandCall(id) => {
                let c = bland::decode_call(&req, Some(id), status, body)?;
                Ok(CallPage::one(c))
            }
            CallQuery::BurkiCall(id) => {
                let mut c = burki::decode_call(&req, status, body)?;
                if c.id.is_empty() {
                    c.id = id.to_string();
                }
                Ok(CallPage::one(c))
            }
            CallQuery::BurkiCallBySid(sid) => {
                let mut c = burki::decode_call(&req, status, body)?;
                if c.call_sid.is_none() {
                    c.call_sid = Some(sid.as_str().to_string());
                }
                Ok(CallPage::one(c))
            }
            CallQuery::BlandCalls(q) => {
                let list = bland::decode_calls(&req, status, body)?;
                let seen = q.from.saturating_add(len_u64(list.calls.len()));
                // `count` reads as the number of matches in all (the documented example's
                // 784 beside a short list). A short page is the last whatever it says.
                let full = list.calls.len() >= usize::try_from(q.limit).unwrap_or(usize::MAX);
                let more = full && list.count.is_none_or(|c| c > seen);
                Ok(CallPage {
                    total: list.count.filter(|c| *c >= seen),
                    next: more.then(|| CallQuery::BlandCalls(q.next_page())),
                    calls: list.calls,
                    unreadable: list.unreadable,
                    not_found: false,
                })
            }
            CallQuery::BurkiCalls(q) => {
                let list = burki::decode_calls(&req, status, body)?;
                let seen = q.skip.saturating_add(len_u64(list.calls.len()));
                let more = match list.total {
                    Some(t) => t > seen,
                    None => list.calls.len() >= usize::try_from(q.limit).unwrap_or(usize::MAX),
                };
                Ok(CallPage {
                    total: list.total,
                    next: more.then(|| CallQuery::BurkiCalls(q.next_page())),
                    calls: list.calls,
                    unreadable: list.unreadable,
                    not_found: false,
                })
            }
        }
    }

    /// Reads a whole answer: a vendor error becomes a typed [`ApiError`] (as for every
    /// other request), except a 404 to a one-call lookup, which is "no such call here"
    /// (a UUID pasted from a Talkover ticket is no Bland call; that is not a failure).
    pub fn read(&self, raw: &RawResponse, now: DateTime<Utc>) -> Result<CallPage, ApiError> {
        let req = self.request();
        match classify(self.vendor(), &req.label(), raw, now) {
            Ok(body) => self.decode(raw.status, &body),
            Err(e) if e.kind == ErrorKind::NotFound && self.finds_one() => Ok(CallPage {
                not_found: true,
                ..CallPage::default()
            }),
            Err(e) => Err(e),
        }
    }
}

fn len_u64(n: usize) -> u64 {
    u64::try_from(n).unwrap_or(u64::MAX)
}

/// What one calls request found.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct CallPage {
    pub calls: Vec<Call>,
    /// How many calls match in all, when the vendor says.
    pub total: Option<u64>,
    /// The query for the next page, when more calls match (or may).
    pub next: Option<CallQuery>,
    /// Calls in the answer that could not be read at all.
    pub unreadable: usize,
    /// A one-call lookup whose vendor has no such call (404).
    pub not_found: bool,
}

impl CallPage {
    fn one(c: Call) -> CallPage {
        CallPage {
            calls: vec![c],
            total: Some(1),
            ..CallPage::default()
        }
    }

    /// Says that more calls match, and how to see them, when they do.
    pub fn more_words(&self) -> Option<String> {
        let next = self.next.as_ref()?;
        let size = match next {
            CallQuery::BlandCalls(q) => q.limit,
            CallQuery::BurkiCalls(q) => q.limit,
            _ => return None,
        };
        Some(match self.total {
            Some(t) => format!("More calls match ({t} in all): load the next {size}."),
            None => format!("More calls may match: load the next {size}."),
        })
    }
}

/// Calls found by several lookups as one list: each call once (the first copy kept; a
/// call found by number and by SID is the same call), newest first, undated last.
pub fn merge_calls(calls: impl IntoIterator<Item = Call>) -> Vec<Call> {
    let mut out: Vec<Call> = Vec::new();
    for c in calls {
        if !out.iter().any(|k| k.same_call(&c)) {
            out.push(c);
        }
    }
    out.sort_by(|a, b| match (a.when(), b.when()) {
        (Some(x), Some(y)) => y.cmp(&x),
        (Some(_), None) => std::cmp::Ordering::Less,
        (None, Some(_)) => std::cmp::Ordering::Greater,
        (None, None) => std::cmp::Ordering::Equal,
    });
    out
}

/// The query for a call's full record. Bland's list gives only a summary of each call
/// (ID, times, numbers, status, `answered_by`); its summary, recording and costs come from
/// `GET /v1/calls/{id}`. Burki's list items are whole records already. `None` when the
/// vendor's answer gave no usable ID.
pub fn detail_query(call: &Call) -> Option<CallQuery> {
    match call.vendor {
        Vendor::Bland => PathId::from_vendor("Call ID", &call.id)
            .ok()
            .map(CallQuery::BlandCall),
        Vendor::Burki => call.id.parse::<u64>().ok().map(CallQuery::BurkiCall),
        Vendor::Talkover => None,
    }
}

/// The lookup of a call's webhook deliveries: Bland's post-call webhook by call ID,
/// Burki's webhook logs by integer ID. `None` when the vendor's answer gave no usable ID.
pub fn deliveries_of(call: &Call) -> Option<Lookup> {
    match call.vendor {
        Vendor::Bland => PathId::from_vendor("Call ID", &call.id)
            .ok()
            .map(|id| Lookup::BlandCalls(vec![id])),
        Vendor::Burki => call.id.parse::<u64>().ok().map(|id| Lookup::BurkiCalls {
            call_ids: vec![id],
            webhook_type: None,
        }),
        Vendor::Talkover => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::test_now as now;
    use crate::domain::CallStatus;
    use crate::response::raw;

    fn phone() -> Phone {
        Phone::parse_e164("+15550100199").unwrap()
    }

    #[test]
    fn a_404_to_a_one_call_lookup_is_no_call_not_an_error() {
        let q = CallQuery::BlandCall(PathId::typed("ID", "abc").unwrap());
        let p = q
            .read(&raw(404, r#"{"data": null, "errors": [{"error": "invalid_parameter", "message": "Call not found"}]}"#), now())
            .unwrap();
        assert!(p.not_found && p.calls.is_empty());
        let list = CallQuery::BlandCalls(bland::CallsQuery::calls_to(&phone(), 50));
        assert_eq!(
            list.read(&raw(404, "{}"), now()).unwrap_err().kind,
            ErrorKind::NotFound
        );
        let e = q
            .read(
                &raw(
                    401,
                    r#"{"errors": [{"error": "UNAUTHORIZED", "message": "Invalid API key"}]}"#,
                ),
                now(),
            )
            .unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unauthorized);
        let e = CallQuery::BurkiCall(7)
            .read(&raw(422, r#"{"detail": [{"loc": ["path", "call_id"], "msg": "value is not a valid integer", "type": "type_error.integer"}]}"#), now())
            .unwrap_err();
        assert_eq!(
            e.detail.as_deref(),
            Some("path.call_id: value is not a valid integer")
        );
        let ok = CallQuery::BurkiCall(7)
            .read(&raw(200, r#"{"status": "completed"}"#), now())
            .unwrap();
        assert_eq!(
            ok.calls[0].id, "7",
            "the asked ID when the answer names none"
        );
    }

    #[test]
    fn paging_says_when_more_exist() {
        let q = CallQuery::BlandCalls(bland::CallsQuery::calls_to(&phone(), 2));
        let two = r#"{"count": 5, "calls": [{"call_id": "a"}, {"call_id": "b"}]}"#;
        let p = q.decode(200, two).unwrap();
        assert_eq!(p.total, Some(5));
        let next = p.next.clone().unwrap();
        assert_eq!(
            next.request().path_and_query(),
            "/v1/calls?to_number=%2B15550100199&limit=2&from=2&to=4"
        );
        assert_eq!(
            p.more_words().unwrap(),
            "More calls match (5 in all): load the next 2."
        );
        let last = next
            .decode(200, r#"{"count": 5, "calls": [{"call_id": "c"}]}"#)
            .unwrap();
        assert_eq!(last.next, None, "a short page is the last");
        let p = q
            .decode(
                200,
                r#"{"count": 2, "calls": [{"call_id": "a"}, {"call_id": "b"}]}"#,
            )
            .unwrap();
        assert_eq!(
            p.next, None,
            "a full page that is all the matches is the last"
        );
        let p = q
            .decode(200, r#"{"calls": [{"call_id": "a"}, {"call_id": "b"}]}"#)
            .unwrap();
        assert!(
            p.next.is_some(),
            "without a count, a full page may have more after it"
        );
        let burki = CallQuery::BurkiCalls(burki::CallsQuery::customer(&phone(), 2));
        let p = burki
            .decode(200, r#"{"items": [{"id": 1}, {"id": 2}], "total": 2}"#)
            .unwrap();
        assert_eq!(p.next, None, "the total says there is nothing more");
        let p = burki
            .decode(200, r#"{"items": [{"id": 1}, {"id": 2}]}"#)
            .unwrap();
        assert_eq!(
            p.next.as_ref().unwrap().request().path_and_query(),
            "/api/v1/calls?customer_phone=%2B15550100199&skip=2&limit=2"
        );
        assert_eq!(
            p.more_words().unwrap(),
            "More calls may match: load the next 2."
        );
    }

    #[test]
    fn merged_calls_are_unique_and_newest_first() {
        let q = CallQuery::BurkiCalls(burki::CallsQuery::customer(&phone(), 50));
        let p = q
            .decode(
                200,
                r#"{"items": [
                {"id": 1, "started_at": "2026-10-01T00:00:00Z", "status": "completed"},
                {"id": 2, "started_at": "2026-10-03T00:00:00Z"},
                {"id": 3}
            ]}"#,
            )
            .unwrap();
        let again = CallQuery::BurkiCall(1)
            .decode(200, r#"{"id": 1, "started_at": "2026-10-01T00:00:00Z"}"#)
            .unwrap();
        let merged = merge_calls(p.calls.into_iter().chain(again.calls));
        let ids: Vec<&str> = merged.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, ["2", "1", "3"]);
        assert_eq!(
            merged[1].status,
            CallStatus::Completed,
            "the first copy is kept"
        );
    }

    #[test]
    fn each_call_names_its_delivery_lookup() {
        let bland = CallQuery::BlandCall(PathId::typed("ID", "c-1").unwrap())
            .decode(200, r#"{"call_id": "c-1"}"#)
            .unwrap();
        let l = deliveries_of(&bland.calls[0]).unwrap();
        assert_eq!(l.initial_requests()[0].path, "/v1/postcall/webhooks/c-1");
        let burki = CallQuery::BurkiCall(2001)
            .decode(200, r#"{"id": 2001}"#)
            .unwrap();
        assert_eq!(
            deliveries_of(&burki.calls[0]).unwrap().initial_requests()[0].path,
            "/api/v1/calls/2001/webhook-logs"
        );
        let odd = CallQuery::BurkiCall(1)
            .decode(200, r#"{"id": "not-a-number"}"#)
            .unwrap();
        assert_eq!(deliveries_of(&odd.calls[0]), None);
        let spaced = CallQuery::BlandCall(PathId::typed("ID", "x").unwrap())
            .decode(200, r#"{"call_id": " x "}"#)
            .unwrap();
        assert_eq!(
            deliveries_of(&spaced.calls[0]),
            None,
            "a vendor ID is used exactly as sent"
        );
    }
}
