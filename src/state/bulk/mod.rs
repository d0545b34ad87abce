//! The bulk page's state and actions (the page itself only wires components to these).

pub mod journal;

use crate::net::bulk::{self as run, RunProgress, RunSpec, StopFlag};
use crate::net::lookup::LoadState;
use crate::net::preflight::{self, Check};
use crate::net::transport::CancelToken;
use crate::platform::storage::{self, keys};
use crate::state::connections::Connections;
use hookscope_core::bulk::{
    check_webhook_url, parse_ids, CallOutcome, Mode, ParsedIds, DEFAULT_CHUNK,
};
use hookscope_core::connection::Connection;
use hookscope_core::domain::Vendor;
use journal::{counts, Draft, Journal, RunState};
use leptos::prelude::*;
use leptos::task::spawn_local;
use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

/// Where the page stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Editing,
    /// The summary is shown; one click on Confirm sends.
    Reviewing,
    Running,
    Done,
}

#[derive(Clone, Copy)]
pub struct BulkCtl {
    pub conns: Connections,
    pub text: RwSignal<String>,
    pub mode: RwSignal<Mode>,
    pub url: RwSignal<String>,
    pub url_accepted: RwSignal<bool>,
    pub conn: RwSignal<String>,
    pub chunk: RwSignal<usize>,
    pub concurrency: RwSignal<usize>,
    pub parsed: Memo<ParsedIds>,
    pub phase: RwSignal<Phase>,
    /// The calls shown as rows: the parsed IDs, or the calls of the run on screen.
    pub rows: Memo<Vec<String>>,
    run_ids: RwSignal<Vec<String>>,
    /// The calls the next Confirm sends (all rows, or only the ones not done yet).
    pub to_send: RwSignal<Vec<String>>,
    pub checks: RwSignal<HashMap<String, Check>>,
    pub preflight: RwSignal<Option<LoadState>>,
    pub outcomes: RwSignal<BTreeMap<String, CallOutcome>>,
    pub progress: RwSignal<Option<RunProgress>>,
    pub started_ms: RwSignal<f64>,
    pub problem: RwSignal<Option<String>>,
    pub other_tab: RwSignal<bool>,
    pub resume: RwSignal<Option<Journal>>,
    pub filter: RwSignal<String>,
    stop: StoredValue<StopFlag, LocalStorage>,
    preflight_cancel: StoredValue<Option<CancelToken>, LocalStorage>,
    tab: StoredValue<String>,
    journal: StoredValue<Option<Journal>>,
}

/// Why `conn` cannot send webhooks, if it cannot.
pub fn cannot_send(conn: Option<&Connection>) -> Option<String> {
    match conn {
        None => Some("Choose a Bland connection.".into()),
        Some(c) if c.vendor != Vendor::Bland => {
            Some(format!("“{}” is not a Bland connection.", c.name))
        }
        Some(c) if c.readonly_reason().is_some() => c.readonly_reason(),
        // A managed connection's key is added by the deployment's proxy.
        Some(c) if c.key.is_empty() && !c.demo && !c.managed => Some(format!(
            "“{}” has no API key; add one in Connections.",
            c.name
        )),
        Some(_) => None,
    }
}

impl BulkCtl {
    pub fn new(conns: Connections) -> BulkCtl {
        let draft = Draft::load();
        let first_bland = conns.list.with_untracked(|l| {
            l.iter()
                .find(|c| c.vendor == Vendor::Bland && c.readonly_reason().is_none())
                .or_else(|| l.iter().find(|c| c.vendor == Vendor::Bland))
                .map(|c| c.name.clone())
                .unwrap_or_default()
        });
        let conn_name = if conns
            .get(&draft.connection)
            .is_some_and(|c| c.vendor == Vendor::Bland)
        {
            draft.connection.clone()
        } else {
            first_bland
        };
        let text = RwSignal::new(draft.ids.clone());
        let parsed = Memo::new(move |_| text.with(|t| parse_ids(t)));
        let run_ids = RwSignal::new(Vec::<String>::new());
        let rows = Memo::new(move |_| {
            let r = run_ids.get();
            if r.is_empty() {
                parsed.with(|p| p.valid.clone())
            } else {
                r
            }
        });
        let tab = storage::tab_id();
        let ctl = BulkCtl {
            conns,
            text,
            mode: RwSignal::new(draft.mode.unwrap_or(Mode::Create)),
            url: RwSignal::new(draft.url.clone()),
            url_accepted: RwSignal::new(false),
            conn: RwSignal::new(conn_name),
            chunk: RwSignal::new(DEFAULT_CHUNK),
            concurrency: RwSignal::new(2),
            parsed,
            phase: RwSignal::new(Phase::Editing),
            rows,
            run_ids,
            to_send: RwSignal::new(vec![]),
            checks: RwSignal::new(HashMap::new()),
            preflight: RwSignal::new(None),
            outcomes: RwSignal::new(BTreeMap::new()),
            progress: RwSignal::new(None),
            started_ms: RwSignal::new(0.0),
            problem: RwSignal::new(None),
            other_tab: RwSignal::new(false),
            resume: RwSignal::new(None),
            filter: RwSignal::new(String::new()),
            stop: StoredValue::new_local(StopFlag::default()),
            preflight_cancel: StoredValue::new_local(None),
            tab: StoredValue::new(tab),
            journal: StoredValue::new(None),
        };
        ctl.look_at_journal();
        ctl
    }

    /// Reads the stored journal: a run left unfinished is offered to continue; its
    /// results are shown; a run alive in another tab blocks this one.
    pub fn look_at_journal(&self) {
        let now = js_sys::Date::now();
        let Some(j) = Journal::load() else {
            self.other_tab.set(false);
            return;
        };
        let mine = self.tab.get_value();
        self.other_tab.set(j.running_elsewhere(&mine, now));
        if self.phase.get_untracked() == Phase::Editing
            && self.run_ids.with_untracked(Vec::is_empty)
        {
            self.run_ids.set(j.ids.clone());
            self.outcomes.set(j.outcomes.clone());
            if j.interrupted(&mine, now) && !j.not_done().is_empty() {
                self.resume.set(Some(j.clone()));
            }
            self.phase.set(Phase::Done);
        }
    }

    /// Saves what the person typed or chose.
    pub fn save_draft(&self) {
        Draft {
            ids: self.text.get_untracked(),
            mode: Some(self.mode.get_untracked()),
            url: self.url.get_untracked(),
            connection: self.conn.get_untracked(),
        }
        .save();
    }

    /// Whether the chosen connection serves demo data (tracked).
    pub fn connection_is_demo(&self) -> bool {
        self.conns.get(&self.conn.get()).is_some_and(|c| c.demo)
    }

    pub fn connection(&self) -> Option<Connection> {
        self.conns.get(&self.conn.get_untracked())
    }

    /// Everything that stops a review, in plain words (empty: ready to review).
    pub fn problems(&self) -> Vec<String> {
        let mut p = Vec::new();
        if let Some(why) = cannot_send(self.conns.get(&self.conn.get()).as_ref()) {
            p.push(why);
        }
        if self.parsed.with(|x| x.valid.is_empty()) && self.to_send.with(Vec::is_empty) {
            p.push("Paste at least one valid call ID.".into());
        }
        if self.mode.get() == Mode::Create {
            match check_webhook_url(&self.url.get()) {
                Err(e) => p.push(e),
                Ok((_, w)) if !w.is_empty() && !self.url_accepted.get() => {
                    p.push("Accept the warnings about the webhook URL, or change it.".into())
                }
                Ok(_) => {}
            }
        }
        if self.other_tab.get() {
            p.push("A run is in progress in another tab; wait for it to finish.".into());
        }
        p
    }

    /// Looks up each call's current webhook (bounded concurrency; cancellable).
    pub fn start_preflight(&self) {
        let Some(conn) = self.connection() else {
            self.problem
                .set(Some("Choose a Bland connection first.".into()));
            return;
        };
        self.cancel_preflight();
        let ids = self.rows.get_untracked();
        let mode = self.mode.get_untracked();
        let token = CancelToken::new();
        self.preflight_cancel.set_value(Some(token.clone()));
        self.checks.set(HashMap::new());
        self.preflight.set(Some(LoadState::default()));
        let (checks, state) = (self.checks, self.preflight);
        spawn_local(async move {
            let progress: crate::net::lookup::Progress = Rc::new(move |s| {
                let _ = state.try_set(Some(s));
            });
            if let Ok(found) = preflight::run(&conn, mode, &ids, &token, progress).await {
                let _ = checks.try_set(found.into_iter().collect());
            }
            let _ = state.try_set(None);
        });
    }

    pub fn cancel_preflight(&self) {
        let _ = self.preflight_cancel.try_update_value(|t| {
            if let Some(t) = t.take() {
                t.cancel()
            }
        });
        let _ = self.preflight.try_set(None);
    }

    /// Shows the summary; nothing is sent until Confirm.
    pub fn review(&self) {
        self.problem.set(None);
        self.look_at_journal_for_other_tab();
        let p = self.problems();
        if !p.is_empty() {
            self.problem.set(Some(p.join(" ")));
            return;
        }
        if self.to_send.with_untracked(Vec::is_empty) {
            let ids = self.parsed.with_untracked(|p| p.valid.clone());
            self.run_ids.set(ids.clone());
            self.to_send.set(ids);
        }
        self.phase.set(Phase::Reviewing);
    }

    pub fn back_to_editing(&self) {
        if self.phase.get_untracked() == Phase::Reviewing {
            self.phase.set(Phase::Editing);
            if self.outcomes.with_untracked(BTreeMap::is_empty) {
                self.run_ids.set(vec![]);
                self.to_send.set(vec![]);
            }
        }
    }

    fn look_at_journal_for_other_tab(&self) {
        let now = js_sys::Date::now();
        let mine = self.tab.get_value();
        self.other_tab
            .set(Journal::load().is_some_and(|j| j.running_elsewhere(&mine, now)));
    }

    /// Sends. Runs once per review: a second click (or Enter, or another tab's run)
    /// finds the phase already changed and does nothing.
    pub fn confirm(&self) {
        if self.phase.get_untracked() != Phase::Reviewing {
            return;
        }
        self.look_at_journal_for_other_tab();
        let problems = self.problems();
        let Some(conn) = self.connection().filter(|_| problems.is_empty()) else {
            self.problem.set(Some(problems.join(" ")));
            self.phase.set(Phase::Editing);
            return;
        };
        self.phase.set(Phase::Running);
        self.resume.set(None);
        let ids = self.to_send.get_untracked();
        let mode = self.mode.get_untracked();
        let url = self.url.get_untracked().trim().to_string();
        let now = js_sys::Date::now();
        let journal = Journal {
            run_id: format!("run-{now}"),
            tab: self.tab.get_value(),
            mode,
            connection: conn.name.clone(),
            url: url.clone(),
            ids: self.run_ids.get_untracked(),
            outcomes: self.outcomes.get_untracked(),
            state: RunState::Running,
            heartbeat_ms: now,
            started_ms: now,
        };
        if !journal.save() {
            self.problem.set(Some("This browser refused to keep the run journal; if the tab closes mid-run, what was sent cannot be shown afterwards.".into()));
        }
        self.journal.set_value(Some(journal));
        self.started_ms.set(now);
        let stop = StopFlag::default();
        self.stop.set_value(stop.clone());
        let ctl = *self;
        let heartbeat = set_interval_with_handle(
            move || ctl.write_journal(|_| {}),
            std::time::Duration::from_secs(2),
        )
        .ok();
        let spec = RunSpec {
            mode,
            conn,
            url,
            ids,
            chunk: self.chunk.get_untracked(),
            concurrency: self.concurrency.get_untracked(),
        };
        let on_done: run::OnDone = Rc::new(move |got: Vec<(String, CallOutcome)>| {
            let _ = ctl.outcomes.try_update(|o| o.extend(got.iter().cloned()));
            ctl.write_journal(|j| j.outcomes.extend(got.iter().cloned()));
        });
        let progress: Rc<dyn Fn(RunProgress)> = Rc::new(move |p| {
            let _ = ctl.progress.try_set(Some(p));
        });
        spawn_local(async move {
            run::run(spec, stop.clone(), on_done, progress).await;
            if let Some(h) = heartbeat {
                h.clear();
            }
            let state = if stop.stopped() {
                RunState::Cancelled
            } else {
                RunState::Finished
            };
            ctl.write_journal(|j| j.state = state);
            let _ = ctl.to_send.try_set(vec![]);
            let _ = ctl.phase.try_set(Phase::Done);
        });
    }

    fn write_journal(&self, f: impl FnOnce(&mut Journal)) {
        let _ = self.journal.try_update_value(|j| {
            if let Some(j) = j {
                f(j);
                j.heartbeat_ms = js_sys::Date::now();
                j.save();
            }
        });
    }

    /// Nothing more is sent; requests already sent finish and are reported.
    pub fn cancel_run(&self) {
        self.stop.with_value(StopFlag::stop);
    }

    /// Reviews a new run of the calls that failed (nothing else is sent again).
    pub fn retry_failed(&self) {
        let failed: Vec<String> = self.outcomes.with_untracked(|o| {
            self.run_ids.with_untracked(|ids| {
                ids.iter()
                    .filter(|i| matches!(o.get(*i), Some(CallOutcome::Failed { .. })))
                    .cloned()
                    .collect()
            })
        });
        if failed.is_empty() {
            return;
        }
        self.outcomes.update(|o| {
            for i in &failed {
                o.remove(i);
            }
        });
        self.to_send.set(failed);
        self.phase.set(Phase::Reviewing);
    }

    /// Offers to send the calls an interrupted run never sent (never the ones it did).
    ///
    /// The journal comes from storage, which every app on the origin can write: it passes
    /// the checks typed input does. Its IDs are parsed again (what fails is not sent), and
    /// the webhook URL's warnings must be accepted again in the form; the notice names
    /// the URL and the connection.
    pub fn continue_interrupted(&self) {
        let Some(j) = self.resume.get_untracked() else {
            return;
        };
        let parsed = parse_ids(&j.ids.join("\n"));
        let valid: std::collections::HashSet<&str> =
            parsed.valid.iter().map(String::as_str).collect();
        let to_send: Vec<String> = j
            .not_done()
            .into_iter()
            .filter(|i| valid.contains(i.as_str()))
            .collect();
        self.mode.set(j.mode);
        self.url.set(j.url.clone());
        self.url_accepted.set(false);
        self.conn.set(j.connection.clone());
        self.run_ids.set(parsed.valid.clone());
        self.outcomes.set(
            j.outcomes
                .iter()
                .filter(|(k, _)| valid.contains(k.as_str()))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect(),
        );
        self.to_send.set(to_send);
        self.journal.set_value(Some(j.clone()));
        let mut said = Vec::new();
        if !parsed.invalid.is_empty() {
            said.push(format!(
                "{} stored entr(ies) are not valid call IDs and will not be sent.",
                parsed.invalid.len()
            ));
        }
        let problems = self.problems();
        if problems.is_empty() {
            self.problem.set((!said.is_empty()).then(|| said.join(" ")));
            self.phase.set(Phase::Reviewing);
        } else {
            let target = match j.mode {
                Mode::Create => format!(" to “{}”", j.url),
                Mode::Resend => String::new(),
            };
            said.insert(
                0,
                format!(
                    "The interrupted run ({} on “{}”{target}) was read back from this browser's storage, so it is checked like typed input before anything is sent.",
                    j.mode.id(),
                    j.connection
                ),
            );
            said.extend(problems);
            self.problem.set(Some(said.join(" ")));
            self.phase.set(Phase::Editing);
        }
    }

    /// Forgets the results on screen and in storage.
    pub fn clear_results(&self) {
        if self.phase.get_untracked() == Phase::Running {
            return;
        }
        // Another tab's live run keeps its journal: only this tab's view is cleared.
        let now = js_sys::Date::now();
        let mine = self.tab.get_value();
        if !Journal::load().is_some_and(|j| j.running_elsewhere(&mine, now)) {
            Journal::clear();
        }
        self.resume.set(None);
        self.outcomes.set(BTreeMap::new());
        self.run_ids.set(vec![]);
        self.to_send.set(vec![]);
        self.checks.set(HashMap::new());
        self.phase.set(Phase::Editing);
    }

    /// Counts per outcome of the calls on screen.
    pub fn summary(&self) -> BTreeMap<&'static str, usize> {
        self.outcomes.with(|o| counts(o.values()))
    }

    /// The results as CSV (formula-safe).
    pub fn results_csv(&self) -> String {
        let mut out = String::from("call_id,outcome,message\r\n");
        self.outcomes.with_untracked(|o| {
            self.run_ids.with_untracked(|ids| {
                for id in ids {
                    let (kind, msg) = match o.get(id) {
                        Some(x) => (x.id(), x.message()),
                        None => ("", String::from("not sent")),
                    };
                    out.push_str(
                        &[id.as_str(), kind, &msg]
                            .map(crate::data::export::csv_cell)
                            .join(","),
                    );
                    out.push_str("\r\n");
                }
            })
        });
        out
    }

    /// Follows other tabs' runs (the `storage` event) so Confirm is blocked while one runs.
    pub fn follow_other_tabs(&self) {
        let ctl = *self;
        storage::on_change(&[keys::BULK_JOURNAL], move |_| {
            ctl.look_at_journal_for_other_tab()
        });
        // A tab that dies without a last write is noticed by its stale heartbeat.
        if let Ok(h) = set_interval_with_handle(
            move || ctl.look_at_journal_for_other_tab(),
            std::time::Duration::from_secs(3),
        ) {
            on_cleanup(move || h.clear());
        }
    }
}
