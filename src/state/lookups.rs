//! The lookups loaded in the explorer's view, one slot each, kept in step with the URL's
//! list: a new spec starts a load, a removed one is cancelled, an unchanged one keeps its
//! rows. Each slot has its own progress, errors and result, so one vendor's failure never
//! hides another's rows.
//!
//! Why not one `LocalResource` per lookup: a load reports progress while it runs, waits
//! out rate limits with a countdown, can be cancelled from the page, and on a failed
//! refresh keeps the rows it had; a slot with a few signals says all of that directly.

use crate::data::query::LookupSpec;
use crate::net::lookup::{self, LoadState, LookupResult, Progress, Shown};
use crate::net::transport::{CancelToken, Failure};
use crate::state::connections::Connections;
use hookscope_core::connection::Connection;
use hookscope_core::error::ApiError;
use hookscope_core::lookup::{Field, Lookup};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::rc::Rc;
use std::sync::Arc;

/// How often a load's progress is drawn at most.
const PROGRESS_EVERY: std::time::Duration = std::time::Duration::from_millis(250);

/// One lookup of the view.
#[derive(Clone, Copy)]
pub struct Slot {
    pub id: u64,
    pub spec: StoredValue<LookupSpec>,
    /// Set while requests run (the total arrives with the first report).
    pub loading: RwSignal<Option<LoadState>>,
    pub failures: RwSignal<Vec<ApiError>>,
    /// Why this lookup could not start (unknown connection, wrong vendor, bad ID).
    pub problem: RwSignal<Option<String>>,
    /// The same, when it belongs to one form field.
    pub field_error: RwSignal<Option<(Field, String)>>,
    pub result: RwSignal<Option<Arc<LookupResult>>>,
    /// Said when a load was cancelled while it showed its rows so far (they stay).
    pub stopped: RwSignal<Option<String>>,
    pub conn: RwSignal<Option<Connection>>,
    token: StoredValue<Option<CancelToken>, LocalStorage>,
    /// The load's latest progress as reported (`loading` takes it at most every 250 ms).
    reported: StoredValue<Option<LoadState>, LocalStorage>,
}

impl PartialEq for Slot {
    fn eq(&self, other: &Self) -> bool {
        self.id == other.id
    }
}

impl Slot {
    pub fn spec(&self) -> LookupSpec {
        self.spec.get_value()
    }

    /// Stops the running load, if any. Rows it already showed stay, and say so.
    pub fn cancel(&self) {
        self.stop_requests();
        let was = self.reported.try_update_value(Option::take).flatten();
        let _ = self.loading.try_set(None);
        let shown = self
            .result
            .try_with_untracked(|r| r.as_ref().filter(|r| r.partial).map(|r| r.deliveries.len()))
            .flatten();
        if let (Some(n), Some(LoadState { done, total, .. })) = (shown, was) {
            let _ = self.stopped.try_set(Some(format!(
                "Cancelled after {done} of {total} pages: only the newest {n} deliveries are shown. Refresh loads them all."
            )));
        }
    }

    /// Whether the rows shown are a load's rows so far (running, or cancelled).
    fn is_partial(&self) -> bool {
        self.result
            .try_with_untracked(|r| r.as_ref().is_some_and(|r| r.partial))
            .unwrap_or(false)
    }

    /// Stops the requests only, changing no signal: what a page going away does (its views
    /// are being disposed; a change now would re-run views that read disposed values).
    fn stop_requests(&self) {
        let _ = self.token.try_update_value(|t| {
            if let Some(t) = t.take() {
                t.cancel()
            }
        });
    }

    /// How many deliveries it loaded (for the chip).
    pub fn count(&self) -> usize {
        self.result
            .with(|r| r.as_ref().map_or(0, |r| r.deliveries.len()))
    }
}

/// Every slot of the view, in URL order.
#[derive(Clone, Copy)]
pub struct LoadedLookups {
    pub slots: RwSignal<Vec<Slot>>,
    next_id: StoredValue<u64>,
    conns: Connections,
    /// The page's owner: slots outlive the effect run that made them.
    owner: StoredValue<Option<WeakOwner>, LocalStorage>,
    /// Called after a load finishes with rows.
    on_loaded: StoredValue<Option<Callback<u64>>>,
}

impl LoadedLookups {
    pub fn new(conns: Connections) -> LoadedLookups {
        let l = LoadedLookups {
            slots: RwSignal::new(vec![]),
            next_id: StoredValue::new(0),
            conns,
            // Weak: a strong clone kept in the owner's own arena would keep the page (and
            // every effect of it) alive after it unmounts, each syncing lookups again.
            owner: StoredValue::new_local(Owner::current().map(|o| o.downgrade())),
            on_loaded: StoredValue::new(None),
        };
        on_cleanup(move || {
            if let Some(slots) = l.slots.try_get_untracked() {
                slots.iter().for_each(Slot::stop_requests);
            }
        });
        l
    }

    pub fn connections(&self) -> Connections {
        self.conns
    }

    pub fn on_loaded(&self, cb: Callback<u64>) {
        self.on_loaded.set_value(Some(cb));
    }

    /// How many requests opening `specs` would send at once, and to which connections:
    /// slots already loaded count nothing, a lookup that cannot start counts nothing, and
    /// a Talkover lookup counts its first page (the rest follow its pagination).
    pub fn requests_to_open(&self, specs: &[LookupSpec]) -> (usize, Vec<String>) {
        let current = self.slots.get_untracked();
        let mut n = 0usize;
        let mut conns: Vec<String> = Vec::new();
        for spec in specs {
            if current.iter().any(|s| s.spec.with_value(|x| x == spec)) {
                continue;
            }
            let Ok((conn, lookup)) = self.resolve(spec) else {
                continue;
            };
            n = n.saturating_add(lookup.initial_request_count());
            if !conns.contains(&conn.name) {
                conns.push(conn.name);
            }
        }
        (n, conns)
    }

    /// Makes the slots match `specs`: unchanged specs keep their slot and rows.
    pub fn sync(&self, specs: &[LookupSpec]) {
        let current = self.slots.get_untracked();
        if current.len() == specs.len()
            && current
                .iter()
                .zip(specs)
                .all(|(s, spec)| s.spec.with_value(|x| x == spec))
        {
            return;
        }
        let mut keep: Vec<Slot> = Vec::with_capacity(specs.len());
        let mut fresh = vec![];
        for spec in specs {
            match current.iter().find(|s| s.spec.with_value(|x| x == spec)) {
                Some(s) if !keep.iter().any(|k| k.id == s.id) => keep.push(*s),
                _ => {
                    let s = self.new_slot(spec.clone());
                    fresh.push(s);
                    keep.push(s);
                }
            }
        }
        // A removed slot's load stops; its few signals go with the page (views may still
        // read them while they unmount, so they are not disposed here).
        for old in current {
            if !keep.iter().any(|k| k.id == old.id) {
                old.cancel();
                let _ = old.result.try_set(None);
            }
        }
        self.slots.set(keep);
        for s in fresh {
            self.start(s);
        }
    }

    fn new_slot(&self, spec: LookupSpec) -> Slot {
        let id = self.next_id.get_value();
        self.next_id.set_value(id.wrapping_add(1));
        let make = move || Slot {
            id,
            spec: StoredValue::new(spec),
            loading: RwSignal::new(None),
            failures: RwSignal::new(vec![]),
            problem: RwSignal::new(None),
            field_error: RwSignal::new(None),
            result: RwSignal::new(None),
            stopped: RwSignal::new(None),
            conn: RwSignal::new(None),
            token: StoredValue::new_local(None),
            reported: StoredValue::new_local(None),
        };
        match self.owner.get_value().and_then(|o| o.upgrade()) {
            Some(o) => o.with(make),
            None => make(),
        }
    }

    /// Loads every slot again (Refresh, auto-refresh, after a retry).
    pub fn refresh_all(&self) {
        for s in self.slots.get_untracked() {
            self.start(s);
        }
    }

    pub fn refresh(&self, id: u64) {
        if let Some(s) = self.slots.get_untracked().into_iter().find(|s| s.id == id) {
            self.start(s);
        }
    }

    pub fn cancel_all(&self) {
        self.slots.get_untracked().iter().for_each(Slot::cancel);
    }

    pub fn any_loading_untracked(&self) -> bool {
        self.slots
            .with_untracked(|s| s.iter().any(|s| s.loading.with_untracked(Option::is_some)))
    }

    pub fn any_failures_untracked(&self) -> bool {
        self.slots
            .with_untracked(|s| s.iter().any(|s| !s.failures.with_untracked(Vec::is_empty)))
    }

    /// Whether any lookup has rows (or an answer) to show.
    pub fn any_result(&self) -> bool {
        self.slots
            .with(|s| s.iter().any(|s| s.result.with(Option::is_some)))
    }

    /// Whether any rows shown are a running load's rows so far.
    /// Whether a load still running shows its rows so far.
    pub fn any_partial_loading(&self) -> bool {
        self.slots.with(|s| {
            s.iter().any(|s| {
                s.loading.with(Option::is_some)
                    && s.result.with(|r| r.as_ref().is_some_and(|r| r.partial))
            })
        })
    }

    /// Whether a cancelled load's rows so far are shown (a refresh would load them all).
    pub fn any_stopped_untracked(&self) -> bool {
        self.slots
            .with_untracked(|s| s.iter().any(|s| s.stopped.with_untracked(Option::is_some)))
    }

    pub fn any_loading(&self) -> bool {
        self.slots
            .with(|s| s.iter().any(|s| s.loading.with(Option::is_some)))
    }

    /// The connection and lookup a slot will run, or why it cannot.
    fn resolve(&self, spec: &LookupSpec) -> Result<(Connection, Lookup), (Option<Field>, String)> {
        let Some(conn) = self.conns.get(&spec.conn) else {
            return Err((None, format!(
                "This link asks for the connection “{}”, which does not exist in this browser. Add a connection with that name in Connections (keys are never part of links), or pick another connection below.",
                spec.conn
            )));
        };
        if spec.kind.vendor() != conn.vendor {
            return Err((
                None,
                format!(
                    "“{}” is a {} connection; the lookup “{}” is for {}.",
                    conn.name,
                    conn.vendor.label(),
                    spec.kind.label(),
                    spec.kind.vendor().label()
                ),
            ));
        }
        Lookup::validate(spec.kind, &spec.form)
            .map(|l| (conn, l))
            .map_err(|(f, e)| (Some(f), e.to_string()))
    }

    fn start(&self, slot: Slot) {
        slot.cancel();
        // A cancelled load's rows so far give way to the new load's.
        if slot.is_partial() {
            slot.result.set(None);
        }
        slot.stopped.set(None);
        slot.problem.set(None);
        slot.field_error.set(None);
        let spec = slot.spec();
        let (conn, lookup) = match self.resolve(&spec) {
            Ok(x) => x,
            Err((Some(f), msg)) => {
                slot.field_error.set(Some((f, msg)));
                return;
            }
            Err((None, msg)) => {
                slot.problem.set(Some(msg));
                return;
            }
        };
        slot.conn.set(Some(conn.clone()));
        let token = CancelToken::new();
        slot.token.set_value(Some(token.clone()));
        slot.reported.set_value(Some(LoadState::default()));
        slot.loading.set(Some(LoadState::default()));
        slot.failures.set(vec![]);
        // A first load shows its rows as its pages arrive; a refresh keeps the rows it
        // had until the new ones are all in (they would shrink to one page, then grow).
        let first_load = slot.result.with_untracked(Option::is_none);
        let on_loaded = self.on_loaded;
        spawn_local(async move {
            // The bar takes at most one new state every 250 ms, the latest: a load of 1,000
            // pages drew it again for each request (about 0.3 s of the page's time at
            // 100,000 rows), and once a frame still laid out the page below it (the rows
            // shown so far) 60 times a second. A draw due after this load was stopped or
            // replaced draws nothing (its token is cancelled then).
            let latest: Rc<std::cell::Cell<Option<LoadState>>> = Rc::default();
            let this_load = token.clone();
            let progress: Progress = Rc::new(move |state| {
                // A stopped load's requests still end (each as cancelled): they report
                // nothing, so the note of a cancel keeps the pages read before it.
                if this_load.is_cancelled() {
                    return;
                }
                let _ = slot.reported.try_set_value(Some(state));
                if latest.replace(Some(state)).is_none() {
                    let (latest, this_load) = (latest.clone(), this_load.clone());
                    set_timeout(
                        move || {
                            let Some(state) = latest.take() else { return };
                            if !this_load.is_cancelled()
                                && slot.loading.try_get_untracked().flatten().is_some()
                            {
                                slot.loading.set(Some(state));
                            }
                        },
                        PROGRESS_EVERY,
                    );
                }
            });
            let this_load = token.clone();
            let shown: Option<Shown> = first_load.then(|| {
                Rc::new(move |so_far: LookupResult| {
                    if !this_load.is_cancelled()
                        && slot.loading.try_get_untracked().flatten().is_some()
                    {
                        let _ = slot.result.try_set(Some(Arc::new(so_far)));
                    }
                }) as Shown
            });
            let vendor = conn.vendor;
            let label = spec.kind.label();
            let r = match lookup::run_split(conn, lookup, token.clone(), progress, shown).await {
                Ok(running) => running.await,
                Err(e) => Err(Failure::Api(e.api_error(vendor, label, "the results view"))),
            };
            if token.is_cancelled() {
                return;
            }
            match r {
                Err(Failure::Cancelled) => {}
                Err(Failure::Api(e)) => {
                    let _ = slot.failures.try_set(vec![e]);
                }
                Ok(res) => {
                    let _ = slot.failures.try_set(res.failures.clone());
                    // A load that failed outright keeps the rows this slot had.
                    let failed_outright = res.deliveries.is_empty()
                        && !res.failures.is_empty()
                        && res.notes.is_empty();
                    if !failed_outright {
                        let _ = slot.result.try_set(Some(Arc::new(res)));
                        if let Some(cb) = on_loaded.try_get_value().flatten() {
                            cb.run(slot.id);
                        }
                    }
                }
            }
            // A load that ended without its result forgets its rows so far.
            if slot.is_partial() {
                let _ = slot.result.try_set(None);
            }
            let _ = slot.reported.try_set_value(None);
            let _ = slot.loading.try_set(None);
        });
    }
}
