//! The explorer's state: the typed URL and the loaded lookups. What is derived from the
//! loaded rows (index, order, filtered rows, selection) is `state::results`, made by the
//! results view (its own chunk of the download). Nothing is copied from one signal into
//! another; the URL is the only thing written.

use crate::data::query::{CallSearch, ExplorerQuery, LookupSpec, MAX_LOOKUPS};
use crate::data::ticked::Ticked;
use crate::format::Zone;
use crate::platform::storage::{self, keys};
use crate::state::connections::Connections;
use crate::state::follow::Follow;
use crate::state::lookups::LoadedLookups;
use chrono::{DateTime, Utc};
use hookscope_core::calls::EntryKind;
use hookscope_core::lookup::LookupKind;
use leptos::prelude::*;
use leptos_router::hooks::{use_location, use_navigate};
use leptos_router::NavigateOptions;
use std::sync::Arc;

/// How often relative times ("3 min ago") and "last hour" are brought up to date.
const CLOCK_TICK_MS: u64 = 30_000;

/// What a first visit shows: (connection, Talkover agent, webhook).
const DEMO_FIRST: (&str, &str, &str) = ("Demo Talkover", "agt_demo_support", "wh_demo_primary");

type Navigate = Arc<dyn Fn(&str, NavigateOptions) + Send + Sync>;

/// A link (not the person, in this tab) that would send more requests than this at once
/// asks first: a link alone must not fire thousands of key-bearing requests.
pub const LINK_REQUEST_LIMIT: usize = 50;

/// A view from a link held back until the person says to load it.
#[derive(Clone, Debug, PartialEq)]
pub struct HeldLink {
    pub requests: usize,
    pub connections: Vec<String>,
}

#[derive(Clone, Copy)]
pub struct ExplorerState {
    pub query: Memo<ExplorerQuery>,
    /// What the URL held that could not be used, one sentence each.
    pub url_problems: Memo<Vec<String>>,
    pub lookups: LoadedLookups,
    /// Counts loads that finished with rows (the results view opens a lone delivery).
    pub loads: RwSignal<u64>,
    pub now: RwSignal<DateTime<Utc>>,
    pub zone: RwSignal<Zone>,
    /// Rows ticked for "retry/resend selected" (row keys); a new load starts with none.
    pub checked: RwSignal<Ticked>,
    /// The URL's lookups, held back because a link asked for too many requests.
    pub held: RwSignal<Option<HeldLink>>,
    /// Set by the person's own lookups in this tab (the form), read once by the next sync.
    asked: StoredValue<bool>,
    /// The same for the call search (typed or corrected here, not opened from a link).
    find_asked: StoredValue<bool>,
    /// Bumped when the person asks again for the call search already shown.
    pub find_again: RwSignal<u64>,
    /// Whether the results view shows: true one task after rows arrive (the task that
    /// brought them makes the index and the counts, the next draws the view), false at
    /// once when they go. The page and the results view read this one signal.
    pub shown: Signal<bool>,
    navigate: StoredValue<Navigate>,
}

/// "/" focuses `input`, as in most log tools (not while typing in another field).
pub fn focus_on_slash(input: NodeRef<leptos::html::Input>) {
    let _ = leptos_use_event_listener::use_event_listener(
        window(),
        leptos::ev::keydown,
        move |ev: leptos::ev::KeyboardEvent| {
            if ev.key() != "/" || ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
                return;
            }
            let typing = document().active_element().is_some_and(|e| {
                matches!(e.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                    || e.has_attribute("contenteditable")
            });
            if let (false, Some(input)) = (typing, input.get_untracked()) {
                ev.prevent_default();
                let _ = input.focus();
            }
        },
    );
}

/// Whether the lookup form is folded to one line: once a lookup is made, so the rows are
/// the page. "Change lookup" opens it for the lookups shown; a new lookup folds it again;
/// a field error keeps it open. Derived (the lookups it was opened for), never copied.
#[derive(Clone, Copy)]
pub struct FormFold {
    pub folded: Memo<bool>,
    lookups: Memo<Vec<LookupSpec>>,
    opened_for: RwSignal<Option<Vec<LookupSpec>>>,
}

impl FormFold {
    pub fn new(state: ExplorerState) -> FormFold {
        let lookups = Memo::new(move |_| state.query.with(|q| q.lookups.clone()));
        let opened_for = RwSignal::new(None::<Vec<LookupSpec>>);
        let folded = Memo::new(move |_| {
            let open = opened_for.with(|o| lookups.with(|l| o.as_ref() == Some(l)));
            !open
                && state.lookups.slots.with(|s| {
                    !s.is_empty() && s.iter().all(|s| s.field_error.with(Option::is_none))
                })
        });
        FormFold {
            folded,
            lookups,
            opened_for,
        }
    }

    /// Opens the form for the lookups shown, or folds it.
    pub fn toggle(&self) {
        let open = self
            .folded
            .get_untracked()
            .then(|| self.lookups.get_untracked());
        self.opened_for.set(open);
    }
}

/// The paths the explorer is served at (below the deployment's sub-path).
fn is_explorer_path(path: &str) -> bool {
    let p = crate::platform::base::app_path(path).trim_end_matches('/');
    p.is_empty() || p == "/explorer"
}

impl ExplorerState {
    pub fn new(conns: Connections) -> ExplorerState {
        let location = use_location();
        // While the router leaves this page the location is already another page's:
        // keep the last explorer state rather than cancel every lookup on the way out.
        let parsed = Memo::new(move |prev: Option<&(ExplorerQuery, Vec<String>)>| {
            let path = location.pathname.get();
            match prev {
                Some(p) if !is_explorer_path(&path) => p.clone(),
                _ => ExplorerQuery::parse(&location.search.get()),
            }
        });
        let query = Memo::new(move |_| parsed.with(|p| p.0.clone()));
        let url_problems = Memo::new(move |_| parsed.with(|p| p.1.clone()));
        let lookups = LoadedLookups::new(conns);
        let now = RwSignal::new(Utc::now());
        let navigate = use_navigate();
        let state = ExplorerState {
            query,
            url_problems,
            lookups,
            loads: RwSignal::new(0),
            now,
            zone: RwSignal::new(
                storage::get(keys::TIME_ZONE)
                    .and_then(|z| Zone::parse(&z))
                    .unwrap_or_default(),
            ),
            checked: RwSignal::new(Ticked::default()),
            held: RwSignal::new(None),
            asked: StoredValue::new(false),
            find_asked: StoredValue::new(false),
            find_again: RwSignal::new(0),
            shown: crate::platform::slices::true_a_task_later(move || lookups.any_result()),
            navigate: StoredValue::new(Arc::new(navigate)),
        };

        if let Some(last) = use_context::<crate::state::shell::LastExplorerHref>() {
            last.follow(query);
        }
        // The time zone choice is remembered for the next visit.
        Effect::new(move |prev: Option<()>| {
            let z = state.zone.get();
            if prev.is_some() {
                storage::set(keys::TIME_ZONE, z.id());
            }
        });
        // The URL's list of lookups drives the slots, unless a link (not the person)
        // would send more than LINK_REQUEST_LIMIT requests: then it waits for a yes.
        Effect::new(move |_| {
            let specs = query.with(|q| q.lookups.clone());
            let asked = state
                .asked
                .try_update_value(std::mem::take)
                .unwrap_or(false);
            let (requests, connections) = lookups.requests_to_open(&specs);
            if !asked && requests > LINK_REQUEST_LIMIT {
                lookups.sync(&[]);
                state.held.set(Some(HeldLink {
                    requests,
                    connections,
                }));
            } else {
                state.held.set(None);
                lookups.sync(&specs);
            }
        });
        lookups.on_loaded(Callback::new(move |_| {
            let _ = state.loads.try_update(|n| *n += 1);
        }));
        let tick = set_interval_with_handle(
            move || {
                let _ = now.try_set(Utc::now());
            },
            std::time::Duration::from_millis(CLOCK_TICK_MS),
        );
        on_cleanup(move || {
            if let Ok(h) = tick {
                h.clear();
            }
        });
        state
    }

    /// Loads the lookups a link asked for, once the person said yes.
    pub fn load_held(&self) {
        if self.held.get_untracked().is_some() {
            self.held.set(None);
            self.lookups
                .sync(&self.query.with_untracked(|q| q.lookups.clone()));
        }
    }

    /// Leaves the lookups a link asked for unloaded: the view without them.
    pub fn drop_held(&self) {
        self.held.set(None);
        let q = self.query.get_untracked();
        let _ = self.go(
            &ExplorerQuery {
                lookups: vec![],
                ..q
            },
            false,
        );
    }

    /// Changes the view in place (filters, sort, selection): the URL is replaced. (A
    /// filter cannot make a link too long: the search is bounded, the lookups unchanged.)
    pub fn update(&self, f: impl FnOnce(&mut ExplorerQuery)) {
        let mut q = self.query.get_untracked();
        f(&mut q);
        let _ = self.go(&q, true);
    }

    /// Opens `q` as a new history entry (a new lookup) or in place. A view whose link
    /// would be too long is not opened: `Err` says why.
    pub fn go(&self, q: &ExplorerQuery, replace: bool) -> Result<(), String> {
        if let Some(why) = q.link_problem() {
            return Err(why);
        }
        let href = q.to_href();
        self.navigate.with_value(|n| {
            n(
                &href,
                NavigateOptions {
                    replace,
                    scroll: false,
                    ..Default::default()
                },
            )
        });
        Ok(())
    }

    /// Shows `spec` alone ("Look up"); asking again for what is shown loads it again.
    /// `Err` says why it cannot be shown (its link would be too long).
    pub fn look_up(&self, spec: LookupSpec) -> Result<(), String> {
        let q = self.query.get_untracked();
        if q.lookups == [spec.clone()] && self.held.get_untracked().is_none() {
            self.lookups.refresh_all();
            return Ok(());
        }
        if q.lookups == [spec.clone()] {
            self.load_held();
            return Ok(());
        }
        let next = ExplorerQuery {
            lookups: vec![spec],
            ..Default::default()
        };
        if let Some(why) = next.link_problem() {
            return Err(why);
        }
        self.asked.set_value(true);
        self.go(&next, false)
    }

    /// Adds `spec` beside what is shown ("Add to view"). Returns why not, if not.
    pub fn add(&self, spec: LookupSpec) -> Result<(), String> {
        let mut q = self.query.get_untracked();
        if q.lookups.contains(&spec) {
            return Err("This lookup is already in the view.".into());
        }
        if q.lookups.len() >= MAX_LOOKUPS {
            return Err(format!(
                "A view holds at most {MAX_LOOKUPS} lookups; remove one first."
            ));
        }
        q.lookups.push(spec);
        q.conn_hint = None;
        if let Some(why) = q.link_problem() {
            return Err(why);
        }
        self.asked.set_value(true);
        self.go(&q, false)
    }

    pub fn remove(&self, i: usize) {
        let mut q = self.query.get_untracked();
        if i < q.lookups.len() {
            let gone = q.lookups.remove(i);
            // A filter on the removed connection alone would hide everything left.
            q.filters
                .source
                .retain(|s| s.conn.as_deref() != Some(gone.conn.as_str()));
            let _ = self.go(&q, false);
        }
    }

    /// Searches for the calls `text` names (the search box): a new history entry, the
    /// rest of the view kept; asking again for what is shown runs it again.
    pub fn find(&self, text: &str) -> Result<(), String> {
        let mut q = self.query.get_untracked();
        let search = CallSearch::new(text);
        if q.find.text == search.text {
            self.find_asked.set_value(true);
            self.find_again.update(|n| *n = n.wrapping_add(1));
            return Ok(());
        }
        q.find = search;
        q.sel = None;
        if let Some(why) = q.link_problem() {
            return Err(why);
        }
        self.find_asked.set_value(true);
        self.go(&q, false)
    }

    /// Reads the entry pasted as `entry` as `kind` (`None`: as its shape says).
    pub fn correct(&self, entry: &str, kind: Option<EntryKind>) {
        self.find_asked.set_value(true);
        self.update(|q| q.find = q.find.corrected(entry, kind));
    }

    /// Whether the person asked for the current call search in this tab (read once).
    pub fn take_find_asked(&self) -> bool {
        self.find_asked
            .try_update_value(std::mem::take)
            .unwrap_or(false)
    }

    /// Opens a delivery a call card shows in the detail: its lookup joins the view (when
    /// it is not there yet) and the URL selects it, so the link reopens it too.
    pub fn open_delivery(&self, spec: Option<LookupSpec>, key: String) -> Result<(), String> {
        let mut q = self.query.get_untracked();
        if let Some(spec) = spec {
            if !q.lookups.contains(&spec) {
                if q.lookups.len() >= MAX_LOOKUPS {
                    q.lookups.remove(0);
                }
                q.lookups.push(spec);
                q.conn_hint = None;
                self.asked.set_value(true);
            }
        }
        q.sel = Some(key);
        self.go(&q, false)
    }

    /// Scans a Talkover webhook's logs for a call: the webhook's lookup joins the view
    /// (its loading shows progress and can be cancelled), or loads again if it is there.
    pub fn scan(&self, spec: LookupSpec) -> Result<(), String> {
        let q = self.query.get_untracked();
        if q.lookups.contains(&spec) {
            let slot = self.lookups.slots.with_untracked(|s| {
                s.iter()
                    .find(|s| s.spec.with_value(|x| *x == spec))
                    .copied()
            });
            if let Some(s) = slot {
                self.lookups.refresh(s.id);
            }
            return Ok(());
        }
        self.add(spec)
    }

    /// First visit with only the demo connections: show the demo at once.
    pub fn open_demo_on_first_visit(&self, conns: &Connections) {
        let q = self.query.get_untracked();
        if !q.lookups.is_empty() || q.conn_hint.is_some() || !q.find.is_empty() {
            return;
        }
        let all_demo = conns
            .list
            .with_untracked(|l| !l.is_empty() && l.iter().all(|c| c.demo));
        if all_demo && conns.get(DEMO_FIRST.0).is_some() {
            let form = hookscope_core::lookup::LookupForm {
                owner_id: DEMO_FIRST.1.into(),
                webhook_id: DEMO_FIRST.2.into(),
                ..Default::default()
            };
            let q = ExplorerQuery {
                lookups: vec![LookupSpec::new(
                    DEMO_FIRST.0,
                    LookupKind::TalkoverAgent,
                    &form,
                )],
                ..Default::default()
            };
            // After the page is built: it is built while its part loads (an async task),
            // and navigating from inside that would dispose the page being built.
            let this = *self;
            leptos::task::spawn_local(async move {
                let _ = this.go(&q, true);
            });
        }
    }

    /// What the lookup form shows: the URL's first lookup (or, with none, the link's
    /// connection hint or the first connection, and the first kind), until the person
    /// edits it; the URL's next change shows that again (back/forward, a link).
    pub fn form_draft(&self, conns: Connections) -> Follow<LookupSpec> {
        let q = self.query;
        Follow::new(Memo::new(move |_| {
            q.with(|q| match q.lookups.first() {
                Some(l) => l.clone(),
                None => {
                    let conn = q.conn_hint.clone().unwrap_or_else(|| {
                        conns
                            .list
                            .with(|l| l.first().map(|c| c.name.clone()).unwrap_or_default())
                    });
                    LookupSpec::new(conn, LookupKind::BlandCall, &Default::default())
                }
            })
        }))
    }

    /// Keeps the header's demo badge on while demo data is (or is about to be) on screen.
    pub fn show_demo_badge(
        &self,
        badge: crate::state::shell::DemoOnScreen,
        form: Follow<LookupSpec>,
    ) {
        let slots = self.lookups.slots;
        let conns = self.lookups.connections();
        let badge = badge.claim();
        Effect::new(move |_| {
            let shown = slots.with(|s| {
                s.iter()
                    .any(|s| s.conn.with(|c| c.as_ref().is_some_and(|c| c.demo)))
            });
            let picked = conns.get(&form.get().conn).is_some_and(|c| c.demo);
            badge.set(shown || picked);
        });
    }
}
