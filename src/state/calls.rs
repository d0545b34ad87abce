//! The call search's state: from the URL's search (`q`, `as`) to the entries recognised,
//! what each can look up with the person's connections, and the calls found with their
//! deliveries. Made by the call search view (its own chunk of the download), keyed by the
//! query: a new search cancels the old one's requests.
//!
//! Talkover has no call lookup: a Talkover call is found in the logs of the webhooks the
//! person declared, which are the Talkover lookups of the view (and, on the demo, the
//! demo's calls webhook). Logs already loaded are searched at once; "scan" adds a webhook's
//! lookup to the view, whose load has its progress, cancel and pacing.

use crate::data::calls::{deliveries_beside, talkover_call, CallDeliveries, FoundCall, SearchRun};
use crate::data::query::{CallSearch, LookupSpec};
use crate::net::calls::{self as run_net, Pacer};
use crate::net::transport::{CancelToken, Failure};
use crate::state::explorer::{ExplorerState, LINK_REQUEST_LIMIT};
use crate::state::lookups::Slot;
use hookscope_core::calls::{
    deliveries_of, detail_query, plan, recognise, CallLookup, EntryKind, EntryPlan, KindError,
    Reach, RecogniseOptions, Recognised, TalkoverScope,
};
use hookscope_core::connection::Connection;
use hookscope_core::demo::call_data::{FIND_TALKOVER_AGENT, FIND_TALKOVER_WEBHOOK};
use hookscope_core::domain::{Delivery, Vendor};
use hookscope_core::lookup::{Lookup, LookupForm, LookupKind};
use hookscope_core::vendors::talkover;
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::Arc;

/// The search as read: entries as pasted, with the person's corrections applied, and the
/// corrections that could not apply (said beside the entry).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reading {
    pub search: CallSearch,
    /// As the shapes say (what a correction back to "as recognised" returns to).
    pub pasted: Recognised,
    pub entries: Recognised,
    pub problems: Vec<KindError>,
}

/// A Talkover webhook whose logs may hold a call, and the connection to read it with.
#[derive(Clone, Debug, PartialEq)]
pub struct Declared {
    pub spec: LookupSpec,
    pub scope: TalkoverScope,
}

/// One lookup the search runs: entry `entry`'s lookup on connection `conn`.
#[derive(Clone, Debug, PartialEq)]
pub struct Job {
    pub entry: usize,
    pub conn: String,
    pub lookup: CallLookup,
}

/// An entry searched in Talkover webhooks' logs: each declared webhook, with its slot in
/// the view when it is there (loaded, loading, or stopped).
#[derive(Clone, PartialEq)]
pub struct TalkoverEntry {
    pub entry: usize,
    pub call_id: String,
    pub scans: Vec<(Declared, Option<Slot>)>,
}

#[derive(Clone, Copy)]
pub struct CallsState {
    pub explorer: ExplorerState,
    /// The connections searched (the demo's only while there is no other).
    pub searched: Memo<Vec<Connection>>,
    pub reading: Memo<Arc<Reading>>,
    pub declared: Memo<Vec<Declared>>,
    pub plans: Memo<Arc<Vec<EntryPlan>>>,
    pub jobs: Memo<Arc<Vec<Job>>>,
    pub run: RwSignal<SearchRun>,
    /// Seconds left of a rate-limit pause, when one is on.
    pub waiting: RwSignal<Option<u64>>,
    /// Requests a link's search would send, held until the person says yes.
    pub held: RwSignal<Option<usize>>,
    /// The person stopped the search.
    pub stopped: RwSignal<bool>,
    pub talkover: Memo<Vec<TalkoverEntry>>,
    /// Talkover calls found in loaded logs, one card each.
    pub talkover_cards: Memo<Vec<(FoundCall, LookupSpec)>>,
    token: StoredValue<Option<CancelToken>, LocalStorage>,
    pacers: StoredValue<HashMap<String, Rc<Pacer>>, LocalStorage>,
}

/// The Talkover webhook a lookup spec names, if it names one.
fn scope_of(spec: &LookupSpec) -> Option<TalkoverScope> {
    if !spec.kind.uses_owner() {
        return None;
    }
    match Lookup::validate(spec.kind, &spec.form).ok()? {
        Lookup::Talkover {
            owner,
            owner_id,
            webhook_id,
        } => Some(TalkoverScope {
            owner,
            owner_id,
            webhook_id,
        }),
        _ => None,
    }
}

/// The spec that reads a Talkover webhook's logs on `conn`.
pub fn talkover_spec(
    conn: &str,
    owner: talkover::Owner,
    owner_id: &str,
    webhook_id: &str,
) -> LookupSpec {
    let kind = match owner {
        talkover::Owner::Agent => LookupKind::TalkoverAgent,
        talkover::Owner::Campaign => LookupKind::TalkoverCampaign,
    };
    LookupSpec::new(
        conn,
        kind,
        &LookupForm {
            owner_id: owner_id.into(),
            webhook_id: webhook_id.into(),
            ..Default::default()
        },
    )
}

/// Whether a Talkover search is worth offering for entry `i`: it was said to be a
/// Talkover call, or it is a UUID no Bland connection knows.
fn offers_talkover(p: &EntryPlan, run: &SearchRun, i: usize) -> bool {
    match p.entry.kind {
        EntryKind::TalkoverCallId => true,
        EntryKind::BlandCallId => {
            let bland_ran = p.lookups.iter().any(|l| matches!(l, CallLookup::Calls(_)));
            !bland_ran || run.entries.get(i).is_some_and(|e| e.found_nothing())
        }
        _ => false,
    }
}

impl CallsState {
    pub fn new(explorer: ExplorerState) -> CallsState {
        let conns = explorer.lookups.connections();
        let slots = explorer.lookups.slots;
        let search = Memo::new(move |_| explorer.query.with(|q| q.find.clone()));
        // The demo's connections are searched only while they are all there is: its calls
        // must never mix with a real account's.
        let searched = Memo::new(move |_| {
            conns.list.with(|l| {
                let own = l.iter().any(|c| !c.demo);
                l.iter()
                    .filter(|c| !(own && c.demo))
                    .cloned()
                    .collect::<Vec<_>>()
            })
        });
        let reading = Memo::new(move |_| {
            let search = search.get();
            let opts = RecogniseOptions::default();
            let pasted = recognise(&search.text);
            let (entries, problems) = pasted.corrected(&search.corrections, &opts);
            Arc::new(Reading {
                search,
                pasted,
                entries,
                problems,
            })
        });
        let declared = Memo::new(move |_| {
            let mut out: Vec<Declared> = Vec::new();
            let mut put = |spec: LookupSpec| {
                if let Some(scope) = scope_of(&spec) {
                    if !out.iter().any(|d| d.spec == spec) {
                        out.push(Declared { spec, scope });
                    }
                }
            };
            slots.with(|s| s.iter().for_each(|s| put(s.spec())));
            searched.with(|l| {
                for c in l.iter().filter(|c| c.demo && c.vendor == Vendor::Talkover) {
                    put(talkover_spec(
                        &c.name,
                        talkover::Owner::Agent,
                        FIND_TALKOVER_AGENT,
                        FIND_TALKOVER_WEBHOOK,
                    ));
                }
            });
            out
        });
        let plans = Memo::new(move |_| {
            let mut reach = Reach::new(searched.with(|l| {
                let mut v: Vec<Vendor> = l.iter().map(|c| c.vendor).collect();
                v.sort();
                v.dedup();
                v
            }));
            for d in declared.get() {
                reach = reach.with_talkover(d.scope);
            }
            Arc::new(reading.with(|r| plan(&r.entries.entries, &reach)))
        });
        let jobs = Memo::new(move |_| {
            let list = searched.get();
            let mut out = Vec::new();
            for (i, p) in plans.get().iter().enumerate() {
                for l in &p.lookups {
                    let talkover = matches!(
                        l,
                        CallLookup::Deliveries {
                            lookup: Lookup::Talkover { .. },
                            ..
                        }
                    );
                    if talkover {
                        continue;
                    }
                    for c in list.iter().filter(|c| c.vendor == l.vendor()) {
                        out.push(Job {
                            entry: i,
                            conn: c.name.clone(),
                            lookup: l.clone(),
                        });
                    }
                }
            }
            Arc::new(out)
        });
        let run = RwSignal::new(SearchRun::default());
        let talkover = Memo::new(move |_: Option<&Vec<TalkoverEntry>>| {
            let plans = plans.get();
            let declared = declared.get();
            let slots = slots.get();
            let talkover = searched.with(|l| l.iter().any(|c| c.vendor == Vendor::Talkover));
            run.with(|run| {
                plans
                    .iter()
                    .enumerate()
                    .filter(|(i, p)| talkover && offers_talkover(p, run, *i))
                    .map(|(i, p)| TalkoverEntry {
                        entry: i,
                        call_id: p.entry.value.clone(),
                        scans: declared
                            .iter()
                            .map(|d| {
                                let slot = slots
                                    .iter()
                                    .find(|s| s.spec.with_value(|x| *x == d.spec))
                                    .copied();
                                (d.clone(), slot)
                            })
                            .collect(),
                    })
                    .collect()
            })
        });
        let talkover_cards = Memo::new(move |_| {
            let mut out: Vec<(FoundCall, LookupSpec)> = Vec::new();
            for (n, t) in talkover.get().iter().enumerate() {
                let mut found: Vec<Delivery> = Vec::new();
                let mut spec = None;
                for (d, slot) in &t.scans {
                    let Some(slot) = slot else { continue };
                    slot.result.with(|r| {
                        // Cards come from whole scans only, not a scan's rows so far.
                        if let Some(r) = r.as_ref().filter(|r| !r.partial) {
                            let before = found.len();
                            found.extend(
                                r.deliveries
                                    .iter()
                                    .filter(|x| talkover::is_for_call(x, &t.call_id))
                                    .cloned(),
                            );
                            if found.len() > before && spec.is_none() {
                                spec = Some(d.spec.clone());
                            }
                        }
                    });
                }
                if let (Some(spec), false) = (spec, found.is_empty()) {
                    let call = talkover_call(&t.call_id, &found);
                    out.push((
                        FoundCall {
                            seq: u64::MAX - n as u64,
                            call,
                            conn: spec.conn.clone(),
                            summary_only: false,
                            record_failure: None,
                            deliveries: CallDeliveries::Loaded {
                                deliveries: found,
                                notes: vec![],
                                failures: vec![],
                            },
                            conversation: false,
                        },
                        spec,
                    ));
                }
            }
            out
        });
        let state = CallsState {
            explorer,
            searched,
            reading,
            declared,
            plans,
            jobs,
            run,
            waiting: RwSignal::new(None),
            held: RwSignal::new(None),
            stopped: RwSignal::new(false),
            talkover,
            talkover_cards,
            token: StoredValue::new_local(None),
            pacers: StoredValue::new_local(HashMap::new()),
        };
        // A new search (or the same one asked again) cancels the old one and starts.
        Effect::new(move |_| {
            explorer.find_again.track();
            let jobs = jobs.get();
            let entries = reading.with(|r| r.entries.entries.len());
            let asked = explorer.take_find_asked();
            if !asked && jobs.len() > LINK_REQUEST_LIMIT {
                state.stop_requests();
                state.run.set(SearchRun::new(entries));
                state.held.set(Some(jobs.len()));
            } else {
                state.held.set(None);
                state.start(&jobs, entries);
            }
        });
        on_cleanup(move || state.stop_requests());
        state
    }

    /// Runs the search a link held back, once the person said yes.
    pub fn load_held(&self) {
        if self.held.get_untracked().is_some() {
            self.held.set(None);
            let entries = self.reading.with_untracked(|r| r.entries.entries.len());
            self.start(&self.jobs.get_untracked(), entries);
        }
    }

    /// Stops the requests only, changing no signal (the view may be going away).
    fn stop_requests(&self) {
        let _ = self.token.try_update_value(|t| {
            if let Some(t) = t.take() {
                t.cancel();
            }
        });
    }

    /// Stops the search: what arrived stays shown.
    pub fn cancel(&self) {
        self.stop_requests();
        self.stopped.set(true);
        self.waiting.set(None);
    }

    fn pacer(&self, conn: &str) -> Rc<Pacer> {
        let waiting = self.waiting;
        self.pacers
            .try_update_value(|m| {
                m.entry(conn.to_string())
                    .or_insert_with(|| {
                        Pacer::new(Rc::new(move |w| {
                            let _ = waiting.try_set(w);
                        }))
                    })
                    .clone()
            })
            .unwrap_or_else(|| Pacer::new(Rc::new(|_| {})))
    }

    fn token(&self) -> Option<CancelToken> {
        self.token.try_get_value().flatten()
    }

    fn start(&self, jobs: &[Job], entries: usize) {
        self.stop_requests();
        let token = CancelToken::new();
        self.token.set_value(Some(token));
        self.pacers.set_value(HashMap::new());
        self.stopped.set(false);
        self.waiting.set(None);
        let mut run = SearchRun::new(entries);
        for j in jobs {
            run.asked(j.entry);
        }
        self.run.set(run);
        for j in jobs {
            self.spawn_job(j.clone());
        }
    }

    fn spawn_job(&self, job: Job) {
        let (Some(token), Some(conn)) = (
            self.token(),
            self.explorer.lookups.connections().get(&job.conn),
        ) else {
            return;
        };
        let pacer = self.pacer(&job.conn);
        let this = *self;
        spawn_local(async move {
            match &job.lookup {
                CallLookup::Calls(q) => {
                    // One call asked by its ID: its deliveries are asked at the same time.
                    let beside = async {
                        match deliveries_beside(q) {
                            Some(l) => Some(run_net::deliveries(&conn, &l, &pacer, &token).await),
                            None => None,
                        }
                    };
                    let (r, beside) =
                        futures::join!(run_net::read_calls(&conn, q, &pacer, &token), beside);
                    if token.is_cancelled() {
                        return;
                    }
                    match r {
                        Ok(page) => {
                            let _ = this.run.try_update(|r| {
                                r.page(job.entry, &job.conn, q, page);
                                if let Some(Ok(res)) = beside {
                                    let d = CallDeliveries::from_lookup(
                                        res.deliveries.into_vec(),
                                        res.failures,
                                        res.notes,
                                    );
                                    r.deliveries_found_beside(&job.conn, q, d);
                                }
                            });
                            this.load_shown();
                        }
                        Err(Failure::Api(e)) => {
                            let _ = this.run.try_update(|r| r.failed(job.entry, e));
                        }
                        Err(Failure::Cancelled) => {}
                    }
                }
                CallLookup::Deliveries { lookup, .. } => {
                    let id = match lookup {
                        Lookup::BlandSms(ids) => ids.first().map(|i| i.as_str().to_string()),
                        _ => None,
                    }
                    .unwrap_or_default();
                    let r = run_net::deliveries(&conn, lookup, &pacer, &token).await;
                    if token.is_cancelled() {
                        return;
                    }
                    match r {
                        Ok(res) => {
                            let d = CallDeliveries::from_lookup(
                                res.deliveries.into_vec(),
                                res.failures,
                                res.notes,
                            );
                            let _ = this
                                .run
                                .try_update(|r| r.conversation(job.entry, &job.conn, &id, d));
                        }
                        Err(Failure::Api(e)) => {
                            let _ = this.run.try_update(|r| r.failed(job.entry, e));
                        }
                        Err(Failure::Cancelled) => {}
                    }
                }
            }
        });
    }

    /// Starts loading the shown cards' records and deliveries (each once).
    fn load_shown(&self) {
        let Some(jobs) = self.run.try_update(|r| r.take_jobs()) else {
            return;
        };
        let Some(token) = self.token() else { return };
        for f in jobs {
            let Some(conn) = self.explorer.lookups.connections().get(&f.conn) else {
                let _ = self
                    .run
                    .try_update(|r| r.set_deliveries(f.seq, CallDeliveries::NoLookup));
                continue;
            };
            let pacer = self.pacer(&f.conn);
            let this = *self;
            if f.summary_only {
                if let Some(q) = detail_query(&f.call) {
                    let (conn, pacer, token) = (conn.clone(), pacer.clone(), token.clone());
                    spawn_local(async move {
                        let r = run_net::read_calls(&conn, &q, &pacer, &token).await;
                        if token.is_cancelled() {
                            return;
                        }
                        match r {
                            Ok(mut page) => {
                                if let Some(c) = page.calls.pop() {
                                    let _ = this.run.try_update(|r| r.record(f.seq, c));
                                }
                            }
                            Err(Failure::Api(e)) => {
                                let _ = this.run.try_update(|r| r.record_failed(f.seq, e));
                            }
                            Err(Failure::Cancelled) => {}
                        }
                    });
                }
            }
            let Some(lookup) = deliveries_of(&f.call) else {
                let _ = self
                    .run
                    .try_update(|r| r.set_deliveries(f.seq, CallDeliveries::NoLookup));
                continue;
            };
            let token = token.clone();
            spawn_local(async move {
                let r = run_net::deliveries(&conn, &lookup, &pacer, &token).await;
                if token.is_cancelled() {
                    return;
                }
                let d = match r {
                    Ok(res) => CallDeliveries::from_lookup(
                        res.deliveries.into_vec(),
                        res.failures,
                        res.notes,
                    ),
                    Err(Failure::Api(e)) => CallDeliveries::Loaded {
                        deliveries: vec![],
                        notes: vec![],
                        failures: vec![e],
                    },
                    Err(Failure::Cancelled) => return,
                };
                let _ = this.run.try_update(|r| r.set_deliveries(f.seq, d));
            });
        }
    }

    /// "More": the next cards, then the next pages of the vendors' lists.
    pub fn more(&self) {
        let pages = self.run.try_update(|r| r.more()).unwrap_or_default();
        for p in pages {
            self.spawn_job(Job {
                entry: p.entry,
                conn: p.conn,
                lookup: CallLookup::Calls(p.query),
            });
        }
        self.load_shown();
    }
}
