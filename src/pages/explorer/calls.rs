//! What the call search found: each entry as recognised (with the control to correct
//! it, and why it cannot be looked up when it cannot), the search's progress and errors,
//! Talkover's webhook scans, and a card per call. Its own chunk (`calls`): a lookup that
//! is no call search never downloads it.

use crate::components::call_card::CallCard;
use crate::components::error_banner::ErrorBanner;
use crate::components::pace::pace_note;
use crate::data::calls::{CallDeliveries, FoundCall, CARDS_PAGE};
use crate::data::query::{CallSearch, ExplorerQuery, LookupSpec};
use crate::state::calls::{talkover_spec, CallsState, Declared, TalkoverEntry};
use crate::state::explorer::ExplorerState;
use crate::state::lookups::Slot;
use hookscope_core::calls::{EntryKind, EntryPlan};
use hookscope_core::domain::Vendor;
use hookscope_core::lookup::Lookup;
use hookscope_core::vendors::talkover;
use leptos::prelude::*;

crate::split_fn!(
    calls;
    pub fn calls_view(state: ExplorerState) -> AnyView {
        view! { <CallResults state=state /> }.into_any()
    }
);

/// The absolute link to a call's own view (`…/explorer?q=<id>`), with the Talkover
/// webhook that holds it when it is one.
fn link_to(call_id: &str, talkover: Option<LookupSpec>) -> String {
    let q = ExplorerQuery {
        find: CallSearch::new(call_id),
        lookups: talkover.into_iter().collect(),
        ..Default::default()
    };
    let origin = web_sys::window()
        .and_then(|w| w.location().origin().ok())
        .unwrap_or_default();
    format!("{origin}{}", crate::platform::base::href(&q.to_href()))
}

/// A card's key: its call and how far it has loaded (a change shows the card anew).
fn card_key(f: &FoundCall) -> String {
    let d = match &f.deliveries {
        CallDeliveries::NotAsked => "n".to_string(),
        CallDeliveries::Loading => "l".to_string(),
        CallDeliveries::NoLookup => "x".to_string(),
        CallDeliveries::Loaded {
            deliveries,
            failures,
            ..
        } => format!("d{}f{}", deliveries.len(), failures.len()),
    };
    format!(
        "{}:{}:{}:{d}",
        f.seq,
        f.summary_only,
        f.record_failure.is_some()
    )
}

#[component]
fn CallResults(state: ExplorerState) -> impl IntoView {
    let calls = CallsState::new(state);
    let note = RwSignal::new(None::<String>);
    let open = move |spec: Option<LookupSpec>| {
        Callback::new(move |id: String| {
            note.set(state.open_delivery(spec.clone(), id).err());
        })
    };
    let (zone, now) = (Signal::from(state.zone), Signal::from(state.now));
    let cards = move || {
        let mut out: Vec<(String, FoundCall, Option<LookupSpec>, bool)> = calls.run.with(|r| {
            r.calls
                .iter()
                .take(r.shown)
                .map(|f| (card_key(f), f.clone(), f.lookup_spec(), false))
                .collect()
        });
        for (f, spec) in calls.talkover_cards.get() {
            out.push((card_key(&f), f, Some(spec), true));
        }
        out
    };
    let card = move |(_, f, spec, talkover): (String, FoundCall, Option<LookupSpec>, bool)| {
        let link = link_to(&f.call.id, spec.clone().filter(|_| talkover));
        // A Talkover card's deliveries are rows of the view already.
        let on_open = open(if talkover { None } else { spec });
        view! { <CallCard found=f link=link on_open=on_open zone=zone now=now /> }
    };
    let more_words = move || {
        calls.run.with(|r| {
            if r.shown < r.calls.len() {
                let n = (r.calls.len() - r.shown).min(CARDS_PAGE);
                format!("Show {n} more call(s)")
            } else {
                r.next
                    .first()
                    .map(|p| p.words.clone())
                    .unwrap_or_else(|| "More calls".into())
            }
        })
    };
    view! {
        <section class="call-results" aria-label="Calls found">
            <Entries calls=calls />
            {move || {
                calls
                    .held
                    .get()
                    .map(|n| {
                        view! {
                            <div
                                class="notice notice--warn"
                                role="alertdialog"
                                data-testid="call-search-confirm"
                                data-requests=n.to_string()
                            >
                                <p>
                                    {format!(
                                        "This link's call search would send {n} requests at once, each with a connection's API key. Nothing has been sent yet.",
                                    )}
                                </p>
                                <button
                                    type="button"
                                    class="primary"
                                    data-testid="call-search-confirm-load"
                                    on:click=move |_| calls.load_held()
                                >
                                    {format!("Send {n} requests")}
                                </button>
                            </div>
                        }
                    })
            }}
            <Status calls=calls />
            {move || {
                let errors = calls.run.with(|r| r.failures.clone());
                (!errors.is_empty())
                    .then(|| {
                        let again = state.query.with_untracked(|q| q.find.text.clone());
                        view! {
                            <ErrorBanner
                                errors=errors
                                on_retry=Callback::new(move |_| {
                                    let _ = state.find(&again);
                                })
                            />
                        }
                    })
            }}
            {move || {
                calls
                    .talkover
                    .get()
                    .into_iter()
                    .map(|t| view! { <TalkoverScan calls=calls entry=t /> })
                    .collect_view()
            }}
            {move || {
                note.get()
                    .map(|n| {
                        view! {
                            <p class="field-error" role="alert">
                                {n}
                            </p>
                        }
                    })
            }}
            <div class="call-cards">
                <For each=cards key=|(k, ..)| k.clone() children=card />
            </div>
            {move || {
                calls
                    .run
                    .with(|r| r.has_more())
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="call-more"
                                data-testid="call-more"
                                on:click=move |_| calls.more()
                            >
                                {more_words}
                            </button>
                        }
                    })
            }}
        </section>
    }
}

/// The search's progress line: running, rate-limited, stopped, or what it found.
#[component]
fn Status(calls: CallsState) -> impl IntoView {
    let running = Memo::new(move |_| calls.run.with(|r| r.running()));
    let found = move || calls.run.with(|r| r.calls.len()) + calls.talkover_cards.with(Vec::len);
    let words = move || {
        let (asked, running) = (calls.run.with(|r| r.asked_in_all()), running.get());
        if calls.stopped.get() {
            return format!("Stopped: {} call(s) found before it stopped.", found());
        }
        if let Some(w) = calls.waiting.get() {
            return format!(
                "Rate-limited by the vendor: every request waits {}, then the search resumes.",
                hookscope_core::error::wait_words(w)
            );
        }
        if running > 0 {
            return format!(
                "Looking up… {} of {asked} lookup(s) answered.",
                asked.saturating_sub(running)
            );
        }
        match found() {
            0 => String::new(),
            1 => "1 call found.".into(),
            n => format!("{n} calls found, newest first."),
        }
    };
    view! {
        <p
            class="call-status-line muted"
            role="status"
            data-testid="call-search-status"
            data-running=move || running.get().to_string()
            data-found=move || found().to_string()
        >
            {words}
            {move || {
                (running.get() > 0 && !calls.stopped.get())
                    .then(|| {
                        view! {
                            " "
                            <button
                                type="button"
                                data-testid="call-search-cancel"
                                on:click=move |_| calls.cancel()
                            >
                                "Cancel"
                            </button>
                        }
                    })
            }}
        </p>
    }
}

/// Each entry as recognised: its text, what it was read as (a control to correct it),
/// and why it cannot be looked up, or that nobody has it.
#[component]
fn Entries(calls: CallsState) -> impl IntoView {
    let state = calls.explorer;
    let entry = move |(i, p): (usize, EntryPlan)| {
        let e = p.entry.clone();
        let text = e.text.clone();
        let shape = calls.reading.with_untracked(|r| {
            r.pasted
                .entries
                .iter()
                .find(|x| x.text == e.text)
                .map(|x| x.kind)
        });
        let choose = {
            let text = text.clone();
            move |ev| {
                if let Some(k) = EntryKind::parse(&event_target_value(&ev)) {
                    state.correct(&text, (Some(k) != shape).then_some(k));
                }
            }
        };
        let options = EntryKind::ALL
            .into_iter()
            .map(|k| {
                view! {
                    <option value=k.id() selected=k == e.kind>
                        {k.label()}
                    </option>
                }
            })
            .collect_view();
        let why = p.why_nothing();
        let has_why = why.is_some();
        let cannot = (!p.lookups.is_empty() && !p.cannot.is_empty()).then(|| p.cannot.join(" "));
        let describe: Vec<String> = p.lookups.iter().map(|l| l.describe()).collect();
        let nobody = move || {
            calls.run.with(|r| {
                r.entries
                    .get(i)
                    .filter(|x| x.found_nothing())
                    .map(|_| format!("No call found for “{}”: {}.", e.text, describe.join("; ")))
            })
        };
        view! {
            <li
                class="call-entry"
                class:call-entry--none=has_why
                data-testid="call-entry"
                data-kind=p.entry.kind.id()
                data-value=p.entry.value.clone()
                data-lookups=p.lookups.len().to_string()
                data-corrected=p.entry.corrected.to_string()
            >
                <span class="mono call-entry__text">{text.clone()}</span>
                <select data-testid="call-search-kind" aria-label=format!("What “{text}” is") on:change=choose>
                    {options}
                </select>
                {p.entry.note.clone().map(|n| view! { <span class="muted call-entry__note">{n}</span> })}
                {why.map(|w| view! { <p class="call-entry__why" data-testid="call-entry-problem">{w}</p> })}
                {cannot.map(|c| view! { <p class="muted call-entry__note">{c}</p> })}
                {move || nobody().map(|n| view! { <p class="call-entry__why" data-testid="call-not-found" role="status">{n}</p> })}
            </li>
        }
    };
    view! {
        {move || {
            calls
                .reading
                .with(|r| {
                    (r.entries.entries.is_empty())
                        .then(|| {
                            view! {
                                <p class="notice" data-testid="call-search-nothing">
                                    "Nothing here looks like a call ID, a call SID, a phone number or a conversation ID. Paste one from the ticket."
                                </p>
                            }
                        })
                })
        }}
        <ul class="call-entries" aria-label="What the search looks for">
            {move || calls.plans.get().iter().cloned().enumerate().map(entry).collect_view()}
        </ul>
        {move || {
            calls
                .reading
                .with(|r| {
                    let mut notes: Vec<String> = r.problems.iter().map(|p| p.to_string()).collect();
                    notes.extend(r.entries.dropped_words());
                    notes
                        .into_iter()
                        .map(|n| {
                            view! {
                                <p class="notice notice--warn" data-testid="call-kind-problem">
                                    {n}
                                </p>
                            }
                        })
                        .collect_view()
                })
        }}
    }
}

/// Where one declared webhook's scan stands.
fn scan_state(slot: Option<Slot>, call_id: &str) -> (&'static str, String) {
    let Some(s) = slot else {
        return ("none", "Not scanned yet.".into());
    };
    if s.loading.with(Option::is_some) {
        return ("running", String::new());
    }
    if let Some(p) = s.problem.get() {
        return ("problem", p);
    }
    if !s.failures.with(Vec::is_empty) && s.result.with(Option::is_none) {
        return (
            "failed",
            "Its logs could not be read (the error is shown with the view's lookups below).".into(),
        );
    }
    match s.result.with(|r| {
        r.as_ref().map(|r| {
            (
                r.deliveries.len(),
                r.deliveries
                    .iter()
                    .filter(|d| talkover::is_for_call(d, call_id))
                    .count(),
                r.partial,
            )
        })
    }) {
        // A cancelled scan's rows so far prove nothing about the logs it did not read.
        Some((all, n, true)) => (
            "stopped",
            format!("Scan stopped before the end: {n} of the newest {all} logs name the call."),
        ),
        Some((_, 0, false)) => ("done", "No log of this webhook names the call.".into()),
        Some((all, n, false)) => ("done", format!("{n} of its {all} logs name the call.")),
        None => (
            "stopped",
            "Scan stopped before the end: nothing was matched.".into(),
        ),
    }
}

/// Talkover has no call lookup: the declared webhooks' logs are searched for the call,
/// and another webhook can be named.
#[component]
fn TalkoverScan(calls: CallsState, entry: TalkoverEntry) -> impl IntoView {
    let state = calls.explorer;
    let talkover_conns = move || {
        calls.searched.with(|l| {
            l.iter()
                .filter(|c| c.vendor == Vendor::Talkover)
                .map(|c| c.name.clone())
                .collect::<Vec<_>>()
        })
    };
    let note = RwSignal::new(None::<String>);
    let scan = move |spec: LookupSpec| note.set(state.scan(spec).err());
    let call_id = entry.call_id.clone();
    let row = move |(d, slot): (Declared, Option<Slot>)| {
        let call_id = call_id.clone();
        let desc = format!("{} · {}", d.spec.conn, d.scope.describe());
        let spec = d.spec.clone();
        let progress = move || {
            slot.and_then(|s| s.loading.get().map(|l| (s, l))).map(|(s, l)| view! {
                <span
                    class="call-scan__progress"
                    data-testid="call-scan-progress"
                    data-done=l.done.to_string()
                    data-total=l.total.to_string()
                    role="status"
                >
                    <progress max=l.total.max(1).to_string() value=l.done.to_string()></progress>
                    {match l.waiting_secs {
                        Some(w) => {
                            format!(
                                " Rate-limited: waiting {}…",
                                hookscope_core::error::wait_words(w),
                            )
                        }
                        None if l.total == 0 => " Reading the first page…".to_string(),
                        None => format!(" {} of {} page(s) read…", l.done, l.total),
                    }}
                    " "
                    {pace_note(l.paced, Vendor::Talkover.label())}
                    <button
                        type="button"
                        data-testid="call-scan-cancel"
                        on:click=move |_| s.cancel()
                    >
                        "Cancel"
                    </button>
                </span>
            })
        };
        let current = move || scan_state(slot, &call_id);
        let state_of = current.clone();
        view! {
            <li
                class="call-scan"
                data-testid="call-scan"
                data-webhook=d.scope.webhook_id.as_str().to_string()
                data-state=move || state_of().0
            >
                <span class="mono">{desc}</span>
                " "
                {progress}
                {move || {
                    let (st, words) = current();
                    let spec = spec.clone();
                    view! {
                        <span class="muted">{words}</span>
                        {matches!(st, "none" | "stopped" | "failed")
                            .then(|| {
                                view! {
                                    " "
                                    <button
                                        type="button"
                                        data-testid="call-scan-start"
                                        on:click=move |_| scan(spec.clone())
                                    >
                                        {if st == "none" { "Scan its logs" } else { "Scan again" }}
                                    </button>
                                }
                            })}
                    }
                }}
            </li>
        }
    };
    // Naming another webhook.
    let owner_kind = RwSignal::new("agent".to_string());
    let owner_id = RwSignal::new(String::new());
    let webhook_id = RwSignal::new(String::new());
    let conn = RwSignal::new(String::new());
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let c = match conn.get_untracked() {
            c if !c.is_empty() => c,
            _ => talkover_conns().into_iter().next().unwrap_or_default(),
        };
        let owner = if owner_kind.get_untracked() == "campaign" {
            talkover::Owner::Campaign
        } else {
            talkover::Owner::Agent
        };
        let spec = talkover_spec(
            &c,
            owner,
            &owner_id.get_untracked(),
            &webhook_id.get_untracked(),
        );
        match Lookup::validate(spec.kind, &spec.form) {
            Err((_, e)) => note.set(Some(e.to_string())),
            Ok(_) => scan(spec),
        }
    };
    let none_declared = entry.scans.is_empty();
    let has_talkover = !talkover_conns().is_empty();
    view! {
        <div
            class="call-scan-panel"
            data-testid="call-scan-panel"
            data-call-id=entry.call_id.clone()
        >
            <p>
                {format!(
                    "Talkover has no call lookup: the logs of its webhooks are searched for logs whose request_payload.call_id is {}.",
                    entry.call_id,
                )} {(!none_declared).then_some(" Logs already loaded are searched at once.")}
            </p>
            <ul class="call-scans">{entry.scans.into_iter().map(row).collect_view()}</ul>
            {has_talkover
                .then(|| {
                    view! {
                        <details class="call-scan__other" open=none_declared>
                            <summary>"Scan a webhook's logs for this call"</summary>
                            <form class="call-scan__form" on:submit=submit>
                                <label>
                                    "Connection"
                                    <select
                                        data-testid="call-scan-conn"
                                        on:change=move |ev| conn.set(event_target_value(&ev))
                                    >
                                        {talkover_conns()
                                            .into_iter()
                                            .map(|n| {
                                                view! { <option value=n.clone()>{n.clone()}</option> }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label>
                                    "Owner"
                                    <select
                                        data-testid="call-scan-owner-kind"
                                        on:change=move |ev| owner_kind.set(event_target_value(&ev))
                                    >
                                        <option value="agent">"agent"</option>
                                        <option value="campaign">"campaign"</option>
                                    </select>
                                </label>
                                <label>
                                    "Agent or campaign ID"
                                    <input
                                        type="text"
                                        data-testid="call-scan-owner"
                                        prop:value=move || owner_id.get()
                                        on:input=move |ev| owner_id.set(event_target_value(&ev))
                                    />
                                </label>
                                <label>
                                    "Webhook ID"
                                    <input
                                        type="text"
                                        data-testid="call-scan-webhook"
                                        prop:value=move || webhook_id.get()
                                        on:input=move |ev| webhook_id.set(event_target_value(&ev))
                                    />
                                </label>
                                <button type="submit" data-testid="call-scan-submit">
                                    "Scan"
                                </button>
                            </form>
                        </details>
                    }
                })}
            {move || {
                note.get()
                    .map(|n| {
                        view! {
                            <p class="field-error" role="alert">
                                {n}
                            </p>
                        }
                    })
            }}
        </div>
    }
}
