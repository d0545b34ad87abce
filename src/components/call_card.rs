//! `call-card`: one call found, with its facts as the vendor's call endpoint gives them,
//! then its webhook deliveries with their diagnosis (each one click from the full
//! detail), and "Copy for the ticket". Vendor text is rendered as text only; a recording
//! is a link (https only, opened apart from this page), never embedded.

use crate::components::diagnosis_note::diagnosis_note;
use crate::data::calls::{CallDeliveries, FoundCall};
use crate::data::ticket::{outcome_words, target_host, ticket_text, Ticket};
use crate::format::{absolute, duration, relative, Zone};
use crate::platform::clipboard;
use chrono::{DateTime, Utc};
use hookscope_core::domain::{CallStatus, Delivery, Timestamp};
use leptos::prelude::*;

fn status_words(s: CallStatus) -> &'static str {
    match s {
        CallStatus::Completed => "completed",
        CallStatus::Failed => "failed",
        CallStatus::Ongoing => "in progress",
        CallStatus::Queued => "queued",
        CallStatus::Unknown => "status unknown",
    }
}

/// "2026-11-30 07:12:03.000 UTC · 3 h ago", or the vendor's text when it is no time.
fn time_words(t: &Timestamp, now: DateTime<Utc>, zone: Zone) -> String {
    match t.parsed {
        Some(p) => format!("{} · {}", absolute(p, zone), relative(p, now)),
        None => t.raw().into_owned(),
    }
}

/// One delivery of the call: status, event, target host, code, attempts, diagnosis.
#[component]
fn CallDelivery(delivery: Delivery, on_open: Callback<String>) -> impl IntoView {
    let d = delivery;
    let host = d
        .target_url
        .as_deref()
        .map(target_host)
        .unwrap_or_else(|| "a target the vendor did not name".into());
    let code = d.http_code().map(|c| c.to_string()).unwrap_or_default();
    let n = d.attempts.len();
    let facts = format!(
        " · {} · {n} attempt{}{}",
        d.http_code()
            .map(|c| format!("HTTP {c}"))
            .unwrap_or_else(|| "no HTTP answer".into()),
        if n == 1 { "" } else { "s" },
        d.last_duration_ms()
            .map(|ms| format!(" · last took {}", duration(Some(ms))))
            .unwrap_or_default()
    );
    let id = d.id.to_string();
    // The visible words first: a screen reader's name must hold what is seen.
    let label = format!("Open detail: the {} delivery to {host}", d.event);
    view! {
        <li
            class="call-delivery"
            data-testid="call-delivery"
            data-id=d.id.to_string()
            data-status=d.status.id()
            data-http-code=code
            data-vendor=d.vendor.id()
            data-event=d.event.to_string()
        >
            <div class="call-delivery__line">
                <span class=format!("pill pill--{}", d.status.id())>{d.status.id()}</span>
                <span class="mono">{d.event.to_string()}</span>
                <span class="muted">" to "</span>
                <span
                    class="mono ellipsis"
                    title=d.target_url.as_deref().unwrap_or_default().to_string()
                >
                    {host}
                </span>
                <span class="muted">{facts}</span>
                <button
                    type="button"
                    class="call-delivery__open"
                    data-testid="call-delivery-open"
                    aria-label=label
                    on:click=move |_| on_open.run(id.clone())
                >
                    "Open detail"
                </button>
            </div>
            {diagnosis_note(&d)}
        </li>
    }
}

#[component]
pub fn CallCard(
    found: FoundCall,
    /// The absolute link back to this call's view, for the ticket.
    link: String,
    /// Opens a delivery (by ID) in the full detail.
    on_open: Callback<String>,
    zone: Signal<Zone>,
    now: Signal<DateTime<Utc>>,
) -> impl IntoView {
    let c = found.call.clone();
    let vendor = c.vendor.label();
    let id_text = if c.id.is_empty() {
        "(no ID given)".to_string()
    } else {
        c.id.clone()
    };
    let title = if found.conversation {
        format!("{vendor} SMS conversation")
    } else {
        format!("{vendor} call")
    };
    let aria = format!("{title} {id_text}");
    let when = move |t: Option<Timestamp>| {
        t.map(|t| time_words(&t, now.get(), zone.get()))
            .unwrap_or_else(|| "—".into())
    };
    let started = c.started_at.clone().or_else(|| c.created_at.clone());
    let ended = c.ended_at.clone();
    let has_times = started.is_some() || ended.is_some();
    let direction = match c.inbound {
        Some(true) => "inbound",
        Some(false) => "outbound",
        None => "",
    };
    let numbers = match (&c.from, &c.to) {
        (None, None) => None,
        (f, t) => Some(format!(
            "{} → {}{}",
            f.as_deref().unwrap_or("—"),
            t.as_deref().unwrap_or("—"),
            if direction.is_empty() {
                String::new()
            } else {
                format!(" ({direction})")
            }
        )),
    };
    let recording = c
        .recording_url
        .clone()
        .filter(|u| u.starts_with("https://"));
    let cost = c.costs.as_ref().and_then(|k| {
        k.total.map(|t| {
            format!(
                "{t:.2} {}",
                k.currency
                    .clone()
                    .unwrap_or_else(|| "(currency not given)".into())
            )
        })
    });
    let show_outcome = !found.conversation;
    let outcome = outcome_words(&c);
    let deliveries = found.deliveries.clone();
    let count = match &deliveries {
        CallDeliveries::Loaded { deliveries, .. } => deliveries.len().to_string(),
        _ => String::new(),
    };
    let payloads = RwSignal::new(false);
    let copied = RwSignal::new(None::<&'static str>);
    let copy = {
        let (call, ds, link) = (c.clone(), deliveries.clone(), link.clone());
        move |_| {
            let text = ticket_text(&Ticket {
                call: &call,
                deliveries: ds.deliveries(),
                link: &link,
                with_payloads: payloads.get_untracked(),
            });
            copied.set(Some(if clipboard::copy(&text) {
                "Copied: paste it into the ticket."
            } else {
                "This browser offers no clipboard here."
            }));
        }
    };
    let list = match deliveries {
        CallDeliveries::NotAsked => ().into_any(),
        CallDeliveries::Loading => view! {
            <p class="muted" role="status" data-testid="call-deliveries-loading">
                "Loading the webhook deliveries…"
            </p>
        }
        .into_any(),
        CallDeliveries::NoLookup => view! {
            <p class="muted">
                "The vendor's answer gave no call ID its webhook logs can be asked by."
            </p>
        }
        .into_any(),
        CallDeliveries::Loaded {
            deliveries,
            notes,
            failures,
        } => view! {
            {(!failures.is_empty())
                .then(|| {
                    view! { <crate::components::error_banner::ErrorBanner errors=failures /> }
                })}
            {notes
                .into_iter()
                .map(|n| {
                    view! {
                        <p class="muted" data-testid="call-deliveries-note">
                            {n}
                        </p>
                    }
                })
                .collect_view()}
            {deliveries
                .is_empty()
                .then(|| {
                    view! {
                        <p class="muted" data-testid="call-deliveries-none">
                            "No webhook delivery found for this call."
                        </p>
                    }
                })}
            <ul class="call-deliveries">
                {deliveries
                    .into_iter()
                    .map(|d| view! { <CallDelivery delivery=d on_open=on_open /> })
                    .collect_view()}
            </ul>
        }
        .into_any(),
    };
    view! {
        <article
            class="call-card"
            data-testid="call-card"
            data-vendor=c.vendor.id()
            data-call-id=c.id.clone()
            data-status=c.status.id()
            data-deliveries=count
            data-when=c.when().map(|t| absolute(t, Zone::Utc)).unwrap_or_default()
            aria-label=aria
        >
            <header class="call-card__head">
                <span class="call-card__vendor">{title}</span>
                <h3 class="call-card__id mono">{id_text.clone()}</h3>
                {show_outcome
                    .then(|| {
                        view! {
                            <span
                                class=format!("call-status call-status--{}", c.status.id())
                                data-testid="call-status"
                            >
                                {status_words(c.status)}
                            </span>
                        }
                    })}
            </header>
            <dl class="call-card__facts">
                {show_outcome
                    .then(|| {
                        view! {
                            <dt>"Outcome"</dt>
                            <dd data-testid="call-outcome">{outcome.clone()}</dd>
                        }
                    })}
                {has_times
                    .then(|| {
                        let (s, e) = (started.clone(), ended.clone());
                        view! {
                            <dt>"Started"</dt>
                            <dd>{move || when(s.clone())}</dd>
                            <dt>"Ended"</dt>
                            <dd>{move || when(e.clone())}</dd>
                        }
                    })}
                {c
                    .length_words()
                    .map(|l| {
                        view! {
                            <dt>"Length"</dt>
                            <dd>{l}</dd>
                        }
                    })}
                {numbers
                    .map(|n| {
                        view! {
                            <dt>"From → to"</dt>
                            <dd class="mono">{n}</dd>
                        }
                    })}
                {c
                    .call_sid
                    .clone()
                    .map(|s| {
                        view! {
                            <dt>"Call SID"</dt>
                            <dd class="mono">{s}</dd>
                        }
                    })}
                {c
                    .summary
                    .clone()
                    .filter(|s| !s.trim().is_empty())
                    .map(|s| {
                        view! {
                            <dt>"Summary"</dt>
                            <dd class="call-card__summary">{s}</dd>
                        }
                    })}
                {recording
                    .map(|u| {
                        view! {
                            <dt>"Recording"</dt>
                            <dd>
                                <a
                                    href=u
                                    target="_blank"
                                    rel="noopener noreferrer"
                                    data-testid="call-recording"
                                >
                                    "Open the recording (new tab)"
                                </a>
                            </dd>
                        }
                    })}
                {cost
                    .map(|k| {
                        view! {
                            <dt>"Cost"</dt>
                            <dd>{k}</dd>
                        }
                    })} <dt>"Found on"</dt><dd>{found.conn.clone()}</dd>
            </dl>
            {(!c.notes.is_empty())
                .then(|| {
                    view! {
                        <ul class="call-card__notes muted">
                            {c.notes.iter().map(|n| view! { <li>{n.clone()}</li> }).collect_view()}
                        </ul>
                    }
                })}
            {found
                .summary_only
                .then(|| view! { <p class="muted">"Reading the call's full record…"</p> })}
            {found
                .record_failure
                .clone()
                .map(|e| {
                    view! {
                        <p class="notice notice--warn" role="alert">
                            {format!(
                                "The call's full record could not be read ({e}); the list's summary is shown.",
                            )}
                        </p>
                    }
                })}
            <section class="call-card__deliveries" aria-label="Webhook deliveries">
                <h4>"Webhook deliveries"</h4>
                {list}
            </section>
            <footer class="call-card__actions">
                <button type="button" data-testid="copy-ticket" on:click=copy>
                    "Copy for the ticket"
                </button>
                <label class="inline">
                    <input
                        type="checkbox"
                        data-testid="copy-ticket-payloads"
                        prop:checked=move || payloads.get()
                        on:change=move |ev| payloads.set(event_target_checked(&ev))
                    />
                    "with payloads"
                </label>
                <span class="muted" role="status" data-testid="copy-ticket-state">
                    {move || copied.get()}
                </span>
            </footer>
        </article>
    }
}
