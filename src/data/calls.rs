//! What one call search found, as plain data: the calls (newest first, each once), each
//! call's full record and webhook deliveries as they arrive, and per entry how many of
//! its lookups ran and what they found, so an entry nobody has can say so. The state
//! (`state::calls`) runs the requests and feeds the answers in here; this module decides
//! nothing about the network and is host-tested.

use crate::data::query::LookupSpec;
use hookscope_core::calls::{CallPage, CallQuery};
use hookscope_core::domain::{Call, CallStatus, Delivery, Timestamp, Vendor};
use hookscope_core::error::{ApiError, ErrorKind};
use hookscope_core::lookup::{Lookup, LookupForm, LookupKind};

/// Cards shown at first, and added by each "more".
pub const CARDS_PAGE: usize = 10;

/// Where a call's webhook deliveries stand.
#[derive(Clone, Debug, Default, PartialEq)]
pub enum CallDeliveries {
    /// Not asked yet (its card is not shown yet).
    #[default]
    NotAsked,
    Loading,
    Loaded {
        deliveries: Vec<Delivery>,
        /// What is worth saying that is not an error ("no webhook sent yet").
        notes: Vec<String>,
        failures: Vec<ApiError>,
    },
    /// The vendor's answer gave no ID its delivery lookup can take.
    NoLookup,
}

impl CallDeliveries {
    /// A delivery lookup's answer for one call: a 404 there means no webhook was sent
    /// for the call yet (a queued or ongoing call), which is said, not shown as an error.
    pub fn from_lookup(
        deliveries: Vec<Delivery>,
        failures: Vec<ApiError>,
        mut notes: Vec<String>,
    ) -> CallDeliveries {
        let (none_yet, failures): (Vec<ApiError>, Vec<ApiError>) = failures
            .into_iter()
            .partition(|e| e.kind == ErrorKind::NotFound);
        if !none_yet.is_empty() && deliveries.is_empty() {
            notes.push("No webhook has been sent for this call yet.".into());
        }
        CallDeliveries::Loaded {
            deliveries,
            notes,
            failures,
        }
    }

    pub fn deliveries(&self) -> &[Delivery] {
        match self {
            CallDeliveries::Loaded { deliveries, .. } => deliveries,
            _ => &[],
        }
    }
}

/// One call found, on the connection that found it.
#[derive(Clone, Debug, PartialEq)]
pub struct FoundCall {
    /// Unique within one search (the card's key).
    pub seq: u64,
    pub call: Call,
    pub conn: String,
    /// Bland's calls list gives a summary of each call; its full record is read next.
    pub summary_only: bool,
    /// Why the full record could not be read (the summary stays shown).
    pub record_failure: Option<ApiError>,
    pub deliveries: CallDeliveries,
    /// A Bland SMS conversation (no call record: only its webhook).
    pub conversation: bool,
}

impl FoundCall {
    /// The lookup that shows this call's deliveries in the explorer's table and detail.
    pub fn lookup_spec(&self) -> Option<LookupSpec> {
        let id = self.call.id.clone();
        let kind = match (self.call.vendor, self.conversation) {
            (Vendor::Bland, true) => LookupKind::BlandSms,
            (Vendor::Bland, false) => LookupKind::BlandCall,
            (Vendor::Burki, _) => LookupKind::BurkiCall,
            (Vendor::Talkover, _) => return None,
        };
        let form = LookupForm {
            id,
            ..Default::default()
        };
        // Only an ID the lookup reads back as this one ID (the form takes lists: a
        // vendor's "a, b" would be two lookups).
        let one = match Lookup::validate(kind, &form).ok()? {
            Lookup::BlandCalls(ids) | Lookup::BlandSms(ids) => {
                ids.len() == 1 && ids[0].as_str() == self.call.id
            }
            Lookup::BurkiCalls { call_ids, .. } => {
                call_ids.len() == 1 && call_ids[0].to_string() == self.call.id
            }
            Lookup::Talkover { .. } => false,
        };
        one.then(|| LookupSpec::new(self.conn.clone(), kind, &form))
    }
}

/// How one entry's lookups went.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct EntryRun {
    pub asked: usize,
    pub done: usize,
    pub found: usize,
    pub failed: usize,
    /// One-call lookups the vendor answered 404 ("no such call here").
    pub not_found: usize,
}

impl EntryRun {
    /// Every lookup answered, and none found anything or failed: nobody has it.
    pub fn found_nothing(&self) -> bool {
        self.asked > 0 && self.done >= self.asked && self.found == 0 && self.failed == 0
    }
}

/// A calls page still to read ("more").
#[derive(Clone, Debug, PartialEq)]
pub struct NextPage {
    pub entry: usize,
    pub conn: String,
    pub query: CallQuery,
    /// "More calls match (120 in all): load the next 50."
    pub words: String,
}

/// Everything one search found so far.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SearchRun {
    /// Newest first; each call once.
    pub calls: Vec<FoundCall>,
    pub entries: Vec<EntryRun>,
    pub failures: Vec<ApiError>,
    pub next: Vec<NextPage>,
    /// Calls in the vendors' answers that could not be read at all.
    pub unreadable: usize,
    /// Cards shown (the first [`CARDS_PAGE`], more on asking).
    pub shown: usize,
    next_seq: u64,
}

impl SearchRun {
    pub fn new(entries: usize) -> SearchRun {
        SearchRun {
            entries: vec![EntryRun::default(); entries],
            shown: CARDS_PAGE,
            ..Default::default()
        }
    }

    fn entry(&mut self, i: usize) -> Option<&mut EntryRun> {
        self.entries.get_mut(i)
    }

    /// A lookup of entry `i` starts.
    pub fn asked(&mut self, i: usize) {
        if let Some(e) = self.entry(i) {
            e.asked = e.asked.saturating_add(1);
        }
    }

    /// Lookups still running.
    pub fn running(&self) -> usize {
        self.entries
            .iter()
            .map(|e| e.asked.saturating_sub(e.done))
            .sum()
    }

    /// Lookups started in all.
    pub fn asked_in_all(&self) -> usize {
        self.entries.iter().map(|e| e.asked).sum()
    }

    fn add_call(&mut self, call: Call, conn: &str, summary_only: bool) -> bool {
        if self.calls.iter().any(|f| f.call.same_call(&call)) {
            return false;
        }
        let seq = self.next_seq;
        self.next_seq = self.next_seq.wrapping_add(1);
        self.calls.push(FoundCall {
            seq,
            call,
            conn: conn.to_string(),
            summary_only,
            record_failure: None,
            deliveries: CallDeliveries::NotAsked,
            conversation: false,
        });
        true
    }

    /// Newest first, undated last; a stable sort, so equal times keep their arrival order.
    fn sort(&mut self) {
        self.calls
            .sort_by(|a, b| match (a.call.when(), b.call.when()) {
                (Some(x), Some(y)) => y.cmp(&x),
                (Some(_), None) => std::cmp::Ordering::Less,
                (None, Some(_)) => std::cmp::Ordering::Greater,
                (None, None) => std::cmp::Ordering::Equal,
            });
    }

    /// Entry `i`'s calls query `asked` on `conn` answered `page`.
    pub fn page(&mut self, i: usize, conn: &str, asked: &CallQuery, page: CallPage) {
        // Bland's list gives summaries; Burki's list items are whole records.
        let summary = matches!(asked, CallQuery::BlandCalls(_));
        let words = page
            .more_words()
            .unwrap_or_else(|| "More calls may match.".into());
        if let Some(query) = page.next {
            self.next.push(NextPage {
                entry: i,
                conn: conn.to_string(),
                query,
                words,
            });
        }
        let found = page.calls.len();
        for c in page.calls {
            self.add_call(c, conn, summary);
        }
        self.sort();
        self.unreadable = self.unreadable.saturating_add(page.unreadable);
        if let Some(e) = self.entry(i) {
            e.done = e.done.saturating_add(1);
            e.found = e.found.saturating_add(found);
            e.not_found = e.not_found.saturating_add(usize::from(page.not_found));
        }
    }

    /// Entry `i`'s lookup failed.
    pub fn failed(&mut self, i: usize, error: ApiError) {
        if let Some(e) = self.entry(i) {
            e.done = e.done.saturating_add(1);
            e.failed = e.failed.saturating_add(1);
        }
        if !self.failures.contains(&error) {
            self.failures.push(error);
        }
    }

    /// A lookup that found deliveries with no call record (a Bland SMS conversation).
    pub fn conversation(&mut self, i: usize, conn: &str, id: &str, deliveries: CallDeliveries) {
        let created_at = deliveries
            .deliveries()
            .iter()
            .find_map(|d| d.created_at.clone());
        let call = record_less_call(
            Vendor::Bland,
            id,
            created_at,
            "An SMS conversation: Bland keeps no call record for it, only its webhook.",
        );
        let found = usize::from(!deliveries.deliveries().is_empty());
        if self.add_call(call, conn, false) {
            if let Some(f) = self.calls.last_mut() {
                f.conversation = true;
                f.deliveries = deliveries;
            }
            self.sort();
        }
        if let Some(e) = self.entry(i) {
            e.done = e.done.saturating_add(1);
            e.found = e.found.saturating_add(found.max(1));
        }
    }

    fn by_seq(&mut self, seq: u64) -> Option<&mut FoundCall> {
        self.calls.iter_mut().find(|f| f.seq == seq)
    }

    /// The call's full record arrived (it replaces the list's summary).
    pub fn record(&mut self, seq: u64, mut call: Call) {
        if let Some(f) = self.by_seq(seq) {
            if call.id.is_empty() {
                call.id = f.call.id.clone();
            }
            f.call = call;
            f.summary_only = false;
        }
        self.sort();
    }

    pub fn record_failed(&mut self, seq: u64, e: ApiError) {
        if let Some(f) = self.by_seq(seq) {
            f.record_failure = Some(e);
        }
    }

    pub fn set_deliveries(&mut self, seq: u64, d: CallDeliveries) {
        if let Some(f) = self.by_seq(seq) {
            f.deliveries = d;
        }
    }

    /// The shown calls whose deliveries (and, for a summary, record) are not asked yet,
    /// now marked as loading: the state runs one job for each.
    pub fn take_jobs(&mut self) -> Vec<FoundCall> {
        let shown = self.shown;
        let mut jobs = Vec::new();
        for f in self.calls.iter_mut().take(shown) {
            if f.deliveries == CallDeliveries::NotAsked {
                f.deliveries = CallDeliveries::Loading;
                jobs.push(f.clone());
            }
        }
        jobs
    }

    /// Whether "more" has anything to show: cards not shown yet, or pages not read.
    pub fn has_more(&self) -> bool {
        self.shown < self.calls.len() || !self.next.is_empty()
    }

    /// "More": shows the next cards; when every found call is already shown, hands back
    /// the pages to read next (the state reads them).
    pub fn more(&mut self) -> Vec<NextPage> {
        let before = self.shown;
        self.shown = self.shown.saturating_add(CARDS_PAGE);
        if before >= self.calls.len() {
            let pages = std::mem::take(&mut self.next);
            for p in &pages {
                if let Some(e) = self.entry(p.entry) {
                    e.asked = e.asked.saturating_add(1);
                }
            }
            pages
        } else {
            vec![]
        }
    }
}

/// The deliveries lookup a one-call query can run beside it, before the call's record
/// is back: the ID asked is the ID the lookup takes (Bland's call UUID, Burki's integer).
/// Saves a round trip for the commonest search, one pasted call ID.
pub fn deliveries_beside(q: &CallQuery) -> Option<Lookup> {
    match q {
        CallQuery::BlandCall(id) => Some(Lookup::BlandCalls(vec![id.clone()])),
        CallQuery::BurkiCall(id) => Some(Lookup::BurkiCalls {
            call_ids: vec![*id],
            webhook_type: None,
        }),
        _ => None,
    }
}

impl SearchRun {
    /// Deliveries looked up beside a one-call query: given to the call `asked` found (by
    /// ID, on `conn`), unless its deliveries were asked for already.
    pub fn deliveries_found_beside(&mut self, conn: &str, asked: &CallQuery, d: CallDeliveries) {
        let id = match asked {
            CallQuery::BlandCall(id) => id.as_str().to_string(),
            CallQuery::BurkiCall(id) => id.to_string(),
            _ => return,
        };
        let vendor = asked.vendor();
        if let Some(f) = self.calls.iter_mut().find(|f| {
            f.conn == conn
                && f.call.vendor == vendor
                && f.call.id == id
                && f.deliveries == CallDeliveries::NotAsked
        }) {
            f.deliveries = d;
        }
    }
}

/// A Talkover call as a card can show it: Talkover has no calls endpoint, so the card is
/// made from the webhook logs that name the call (`request_payload.call_id`).
pub fn talkover_call(call_id: &str, deliveries: &[Delivery]) -> Call {
    let times: Vec<&Timestamp> = deliveries
        .iter()
        .filter_map(|d| d.created_at.as_ref())
        .collect();
    let first = times
        .iter()
        .filter(|t| t.parsed.is_some())
        .min_by_key(|t| t.parsed)
        .map(|t| (*t).clone());
    record_less_call(
        Vendor::Talkover,
        call_id,
        first,
        "Talkover keeps no call record hookscope can read: this card is made from the webhook logs that name the call.",
    )
}

/// A call known only from webhook deliveries that name it: its vendor, ID, first
/// delivery time and a note on why the card says so little.
fn record_less_call(vendor: Vendor, id: &str, created_at: Option<Timestamp>, note: &str) -> Call {
    Call {
        vendor,
        id: id.to_string(),
        call_sid: None,
        status: CallStatus::Unknown,
        status_word: None,
        completed: None,
        error: None,
        answered_by: None,
        created_at,
        started_at: None,
        ended_at: None,
        duration_ms: None,
        from: None,
        to: None,
        customer_number: None,
        inbound: None,
        summary: None,
        recording_url: None,
        costs: None,
        notes: vec![note.into()],
        extra: serde_json::Value::Null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use hookscope_core::calls::CallQuery;
    use hookscope_core::ids::PathId;
    use hookscope_core::vendors::bland;

    fn bland_list(body: &str) -> (CallQuery, CallPage) {
        let phone = hookscope_core::calls::Phone::parse_e164("+14155550142").unwrap();
        let q = CallQuery::BlandCalls(bland::CallsQuery::calls_to(&phone, 2));
        let p = q.decode(200, body).unwrap();
        (q, p)
    }

    fn burki_one(id: u64, started: &str) -> (CallQuery, CallPage) {
        let q = CallQuery::BurkiCall(id);
        let p = q
            .decode(
                200,
                &format!(r#"{{"id": {id}, "status": "completed", "started_at": "{started}"}}"#),
            )
            .unwrap();
        (q, p)
    }

    #[test]
    fn calls_arrive_newest_first_once_each() {
        let mut run = SearchRun::new(2);
        run.asked(0);
        run.asked(0);
        run.asked(1);
        let (q, p) = bland_list(
            r#"{"count": 3, "calls": [
                {"call_id": "a", "created_at": "2026-11-01T10:00:00Z"},
                {"call_id": "b", "created_at": "2026-11-03T10:00:00Z"}]}"#,
        );
        run.page(0, "Bland", &q, p);
        assert_eq!(run.running(), 2);
        let (q, p) = burki_one(7, "2026-11-02T10:00:00Z");
        run.page(1, "Burki", &q, p);
        let (q, p) = burki_one(7, "2026-11-02T10:00:00Z");
        run.page(0, "Burki", &q, p);
        let ids: Vec<&str> = run.calls.iter().map(|f| f.call.id.as_str()).collect();
        assert_eq!(ids, ["b", "7", "a"]);
        assert_eq!(run.running(), 0);
        assert!(run.calls[0].summary_only && !run.calls[1].summary_only);
        assert_eq!(run.next.len(), 1, "the Bland list has a next page");
        assert!(run.next[0].words.contains("3 in all"), "{:?}", run.next);
    }

    #[test]
    fn an_entry_nobody_has_says_so_and_a_failure_is_not_nothing() {
        let mut run = SearchRun::new(2);
        run.asked(0);
        run.asked(1);
        let q = CallQuery::BlandCall(PathId::typed("ID", "x").unwrap());
        let missing = CallPage {
            not_found: true,
            ..Default::default()
        };
        run.page(0, "Bland", &q, missing);
        assert!(run.entries[0].found_nothing());
        assert_eq!(run.entries[0].not_found, 1);
        assert!(!run.entries[1].found_nothing(), "still running");
        let e = ApiError::new(ErrorKind::Server, Vendor::Burki, "GET x", "down");
        run.failed(1, e.clone());
        run.failed(1, e);
        assert!(!run.entries[1].found_nothing());
        assert_eq!(run.failures.len(), 1, "the same error once");
        // Out-of-range entries are ignored, never a panic.
        run.asked(9);
        run.failed(
            9,
            ApiError::new(ErrorKind::Server, Vendor::Burki, "GET y", "down"),
        );
    }

    #[test]
    fn shown_calls_load_once_and_more_pages_follow_the_cards() {
        let mut run = SearchRun::new(1);
        run.asked(0);
        let calls: Vec<String> = (0..12)
            .map(|n| {
                format!(
                    r#"{{"call_id": "c{n}", "created_at": "2026-11-{:02}T10:00:00Z"}}"#,
                    n + 1
                )
            })
            .collect();
        let phone = hookscope_core::calls::Phone::parse_e164("+14155550142").unwrap();
        let q = CallQuery::BlandCalls(bland::CallsQuery::calls_to(&phone, 12));
        let p = q
            .decode(200, &format!(r#"{{"calls": [{}]}}"#, calls.join(",")))
            .unwrap();
        run.page(0, "Bland", &q, p);
        let jobs = run.take_jobs();
        assert_eq!(jobs.len(), CARDS_PAGE);
        assert_eq!(jobs[0].call.id, "c11", "newest first");
        assert!(run.take_jobs().is_empty(), "each call is asked once");
        assert!(run.has_more());
        assert!(run.more().is_empty(), "more cards first, no request");
        assert_eq!(run.take_jobs().len(), 2);
        assert!(run.has_more(), "a full page may have more after it");
        let pages = run.more();
        assert_eq!(pages.len(), 1);
        assert_eq!(run.running(), 1, "the next page counts as running");
        assert!(!run.has_more());
        let seq = jobs[0].seq;
        run.set_deliveries(
            seq,
            CallDeliveries::from_lookup(
                vec![],
                vec![ApiError::new(
                    ErrorKind::NotFound,
                    Vendor::Bland,
                    "GET /v1/postcall/webhooks/c11",
                    "Not found",
                )],
                vec![],
            ),
        );
        let f = run.calls.iter().find(|f| f.seq == seq).unwrap();
        match &f.deliveries {
            CallDeliveries::Loaded {
                notes, failures, ..
            } => {
                assert!(failures.is_empty());
                assert_eq!(notes, &["No webhook has been sent for this call yet."]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn deliveries_asked_beside_a_one_call_query_go_to_its_call_once() {
        let q = CallQuery::BurkiCall(2004);
        assert!(matches!(
            deliveries_beside(&q),
            Some(Lookup::BurkiCalls { ref call_ids, .. }) if call_ids == &[2004]
        ));
        let phone = hookscope_core::calls::Phone::parse_e164("+14155550142").unwrap();
        assert_eq!(
            deliveries_beside(&CallQuery::BlandCalls(bland::CallsQuery::calls_to(
                &phone, 5
            ))),
            None,
            "a list has no one ID to ask by"
        );
        let mut run = SearchRun::new(1);
        let (_, p) = burki_one(2004, "2026-11-02T10:00:00Z");
        run.page(0, "Sim Burki", &q, p);
        let loaded = CallDeliveries::from_lookup(vec![], vec![], vec!["n".into()]);
        run.deliveries_found_beside("Other Burki", &q, loaded.clone());
        assert_eq!(
            run.calls[0].deliveries,
            CallDeliveries::NotAsked,
            "another connection's"
        );
        run.deliveries_found_beside("Sim Burki", &q, loaded.clone());
        assert_eq!(run.calls[0].deliveries, loaded);
        assert!(run.take_jobs().is_empty(), "not asked again");
        run.deliveries_found_beside("Sim Burki", &q, CallDeliveries::NoLookup);
        assert_eq!(run.calls[0].deliveries, loaded, "once");
    }

    #[test]
    fn a_full_record_replaces_the_summary_and_keeps_its_id() {
        let mut run = SearchRun::new(1);
        run.asked(0);
        let (q, p) = bland_list(r#"{"calls": [{"call_id": "a"}]}"#);
        run.page(0, "Bland", &q, p);
        let seq = run.calls[0].seq;
        let mut full = run.calls[0].call.clone();
        full.id = String::new();
        full.summary = Some("Talked about billing".into());
        run.record(seq, full);
        assert_eq!(run.calls[0].call.id, "a");
        assert!(!run.calls[0].summary_only);
        assert_eq!(
            run.calls[0].call.summary.as_deref(),
            Some("Talked about billing")
        );
    }

    #[test]
    fn each_card_names_the_lookup_that_opens_its_deliveries() {
        let mut run = SearchRun::new(1);
        let (q, p) = burki_one(2004, "2026-11-02T10:00:00Z");
        run.page(0, "Sim Burki", &q, p);
        let spec = run.calls[0].lookup_spec().unwrap();
        assert_eq!(
            (spec.conn.as_str(), spec.kind, spec.form.id.as_str()),
            ("Sim Burki", LookupKind::BurkiCall, "2004")
        );
        run.conversation(
            0,
            "Sim Bland",
            "convo_abc123",
            CallDeliveries::from_lookup(vec![], vec![], vec![]),
        );
        let convo = run.calls.iter().find(|f| f.conversation).unwrap();
        assert_eq!(convo.lookup_spec().unwrap().kind, LookupKind::BlandSms);
        let mut odd = convo.clone();
        odd.conversation = false;
        odd.call.id = "a, b".into();
        assert_eq!(odd.lookup_spec(), None, "an odd vendor ID opens nothing");
        let t = talkover_call("8b9c", &[]);
        assert_eq!(
            (t.vendor, t.status),
            (Vendor::Talkover, CallStatus::Unknown)
        );
    }
}
