//! One delivery: its attempt timeline, payload and response, and the actions the vendor
//! allows (Talkover retry of a log, Bland resend of a post-call webhook, copy as curl).

pub mod attempt_timeline;
pub mod compare_attempts;
pub mod diff;
pub mod json_tree;
pub mod json_view;
pub mod response_view;
pub mod timeline;

use crate::components::delivery_detail::attempt_timeline::AttemptTimeline;
use crate::components::delivery_detail::compare_attempts::CompareAttempts;
use crate::components::delivery_detail::json_view::{Doc, JsonView};
use crate::components::delivery_detail::response_view::ResponseView;
use crate::components::diagnosis_note::diagnosis_note;
use crate::format;
use crate::net::lookup;
use crate::net::transport::{CancelToken, Failure};
use hookscope_core::connection::Connection;
use hookscope_core::domain::{Delivery, Vendor};
use hookscope_core::error::ApiError;
use hookscope_core::ids::PathId;
use hookscope_core::replay::{
    is_not_retriable, replay_of, NoReplay, Replay, RetryScope, NOT_RETRIABLE,
};
use hookscope_core::vendors::{bland, talkover};
use leptos::prelude::*;
use leptos::task::spawn_local;

/// The outcome of an action, shown under the buttons.
#[derive(Clone, Debug, PartialEq)]
enum ActionState {
    Idle,
    Running(String),
    Done(String),
    Failed(ApiError),
}

#[component]
pub fn DeliveryDetail(
    /// Shared with the index: the detail reads it in place.
    #[prop(into)]
    delivery: std::sync::Arc<Delivery>,
    conn: Connection,
    origin: RetryScope,
    #[prop(into)] on_close: Callback<()>,
    /// Called after a retry or resend was accepted, so the delivery can be looked up
    /// again and its new attempt shown.
    #[prop(optional, into)]
    on_changed: Option<Callback<()>>,
) -> impl IntoView {
    let now = chrono::Utc::now();
    let changed = move || {
        if let Some(cb) = on_changed {
            cb.run(())
        }
    };
    let selected_attempt = RwSignal::new(delivery.attempts.len().saturating_sub(1));
    let action = RwSignal::new(ActionState::Idle);
    let d = StoredValue::new(delivery.clone());
    let delivery: &Delivery = &delivery;

    // What this delivery can be sent again as: one rule (core `replay_of`) for the
    // buttons here and for "Retry all shown". A button shows when the vendor offers the
    // action; it is disabled, with the reason, on a read-only connection or an ID that
    // cannot go into a path.
    let replay = replay_of(delivery);
    let offered = |r: &Result<Replay, NoReplay>| !matches!(r, Err(NoReplay::Nothing(_)));
    let blocked = conn.readonly_reason().or_else(|| match &replay {
        Err(e @ NoReplay::UnusableId(_)) => Some(e.to_string()),
        _ => None,
    });
    let can_retry =
        delivery.vendor == Vendor::Talkover && offered(&replay) && origin.talkover.is_some();
    let retry_blocked = blocked.clone();
    let can_resend = delivery.vendor == Vendor::Bland && offered(&replay);
    let resend_blocked = blocked;
    let curl = curl_command(delivery, &conn, &origin);
    let conn_s = StoredValue::new(conn.clone());
    let retry_target = match &replay {
        Ok(Replay::RetryLog(id)) => Some(id.clone()),
        _ => None,
    };
    // Every action that sends a webhook asks first, once, saying what it will send
    // (`SendButton`).
    let retry_what = format!(
        "Retry log {} of this delivery? Talkover sends it again to the webhook's current URL (it may differ from {}).",
        retry_target.as_ref().map(PathId::as_str).unwrap_or("?"),
        delivery.target_url.as_deref().unwrap_or("the URL shown")
    );
    let run_retry = move |_: ()| {
        let (Some((owner, owner_id, wh)), Some(log)) =
            (origin.talkover.clone(), retry_target.clone())
        else {
            return;
        };
        let req = talkover::retry(owner, &owner_id, &wh, &log);
        action.set(ActionState::Running(format!("Retrying log {log}…")));
        let conn = conn_s.get_value();
        spawn_local(async move {
            let token = CancelToken::new();
            let r = match lookup::fetch(&conn, &req, &token).await {
                Ok((status, body)) => {
                    talkover::decode_retry(&req, status, &body).map_err(Failure::Api)
                }
                Err(e) => Err(e),
            };
            if r.is_ok() {
                changed();
            }
            action.set(match r {
                Ok((ack, msg)) => ActionState::Done(format!(
                    "{} New log {} queued; the delivery is being looked up again.",
                    msg.unwrap_or_else(|| "Retry queued.".into()),
                    ack.log_id.unwrap_or_else(|| "(id not given)".into())
                )),
                Err(Failure::Api(e)) if is_not_retriable(&e) => {
                    ActionState::Done(NOT_RETRIABLE.into())
                }
                Err(Failure::Api(e)) => ActionState::Failed(e),
                Err(Failure::Cancelled) => ActionState::Idle,
            });
        });
    };
    let resend_target = match &replay {
        Ok(Replay::ResendCall(id)) => Some(id.clone()),
        _ => None,
    };
    let resend_url = delivery
        .target_url
        .clone()
        .unwrap_or_else(|| "its original URL".into());
    let resend_what = format!(
        "Resend the post-call webhook of call {} to {}?",
        delivery.subject, resend_url
    );
    let run_resend = move |_: ()| {
        let Some(id) = resend_target.clone() else {
            return;
        };
        let ids = vec![id.as_str().to_string()];
        let req = bland::resend_webhooks(&ids);
        action.set(ActionState::Running(format!(
            "Resending the post-call webhook of {}…",
            ids[0]
        )));
        let conn = conn_s.get_value();
        spawn_local(async move {
            let token = CancelToken::new();
            let r = match lookup::fetch(&conn, &req, &token).await {
                Ok((status, body)) => {
                    bland::decode_bulk(&req, status, &body, &ids).map_err(Failure::Api)
                }
                Err(e) => Err(e),
            };
            if matches!(
                r.as_ref().map(|i| i.first().map(|(_, o)| o.outcome_id())),
                Ok(Some("created"))
            ) {
                changed();
            }
            action.set(match r {
                Ok(items) => match items.into_iter().next() {
                    Some((_, bland::BulkItem::Created(_))) => ActionState::Done(
                        "Resent; the delivery is being looked up again to show the new attempt."
                            .into(),
                    ),
                    Some((_, other)) => ActionState::Done(format!(
                        "Not resent ({}): {}",
                        other.outcome_id(),
                        other.message().unwrap_or("")
                    )),
                    None => ActionState::Done("Bland returned nothing for this call.".into()),
                },
                Err(Failure::Api(e)) => ActionState::Failed(e),
                Err(Failure::Cancelled) => ActionState::Idle,
            });
        });
    };

    // A delivery is sent again one way at most: Talkover's retry or Bland's resend.
    let send = if can_retry {
        Some((
            "retry",
            "Retry delivery…",
            "Retry",
            retry_what,
            retry_blocked,
            "Ask Talkover to send this delivery again (asks first)",
            Callback::new(run_retry),
        ))
    } else if can_resend {
        Some((
            "resend",
            "Resend webhook…",
            "Resend",
            resend_what,
            resend_blocked,
            "Ask Bland to send this post-call webhook again, to its original URL (asks first)",
            Callback::new(run_resend),
        ))
    } else {
        None
    };

    let copied = RwSignal::new(false);
    let copy_curl = move |_| {
        if crate::platform::clipboard::copy(&curl) {
            copied.set(true);
        }
    };

    let (created_rel, created_abs) = format::time_cell(delivery.created_at.as_ref(), now);
    view! {
        <aside
            class="detail"
            aria-label="Delivery detail"
            data-testid="delivery-detail"
            data-id=delivery.id.to_string()
        >
            <header class="detail__head">
                <div>
                    <span class=format!(
                        "pill pill--{}",
                        delivery.status.id(),
                    )>{delivery.status.id()}</span>
                    " "
                    <strong class="mono">{delivery.event.to_string()}</strong>
                    <div class="muted mono ellipsis" title=delivery.subject.to_string()>
                        {delivery.subject.to_string()}
                    </div>
                </div>
                // "×" beside the table; "‹ Back" where the detail is the whole screen (CSS
                // shows one of the two).
                <button
                    class="icon-button detail__close"
                    title="Close (Esc)"
                    aria-label="Close"
                    data-testid="detail-close"
                    on:click=move |_| on_close.run(())
                >
                    "×"
                </button>
                <button
                    class="detail__back"
                    data-testid="detail-back"
                    on:click=move |_| on_close.run(())
                >
                    "‹ Back"
                </button>
            </header>
            {diagnosis_note(delivery)}
            <dl class="detail__facts">
                <dt>"Target"</dt>
                <dd class="mono ellipsis">
                    {delivery
                        .target_url
                        .as_deref()
                        .unwrap_or("not given by the vendor")
                        .to_string()}
                </dd>
                <dt>"Created"</dt>
                <dd title=created_abs>{created_rel}</dd>
                <dt>"Vendor"</dt>
                <dd>{delivery.vendor.label()}</dd>
            </dl>
            <div class="detail__actions">
                {send
                    .map(|(id, label, confirm, what, why_not, title, run)| {
                        view! {
                            <SendButton
                                id=id
                                label=label
                                confirm=confirm
                                what=what
                                why_not=why_not
                                title=title
                                busy=Signal::derive(move || {
                                    matches!(action.get(), ActionState::Running(_))
                                })
                                run=run
                            />
                        }
                    })}
                <button
                    data-testid="export-har"
                    title="Downloads the attempts as a HAR file for a browser's network panel (no API key inside)"
                    on:click=move |_| {
                        d.with_value(|d| {
                            let name: String = d
                                .id
                                .chars()
                                .map(|c| {
                                    if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }
                                })
                                .collect();
                            let har = serde_json::to_string_pretty(&hookscope_core::har::to_har(d))
                                .unwrap_or_default();
                            crate::platform::download::download(
                                &format!("hookscope-{name}.har"),
                                "application/json",
                                &har,
                            );
                        })
                    }
                >
                    "HAR"
                </button>
                <button
                    data-testid="copy-curl"
                    on:click=copy_curl
                    title="Copies a curl command; the key is a shell variable, never the key itself"
                >
                    {move || if copied.get() { "Copied" } else { "Copy as curl" }}
                </button>
            </div>
            {move || match action.get() {
                ActionState::Idle => ().into_any(),
                ActionState::Running(m) => {
                    view! {
                        <p class="action-state" data-testid="action-state" data-state="running">
                            {m}
                        </p>
                    }
                        .into_any()
                }
                ActionState::Done(m) => {
                    view! {
                        <p class="action-state" data-testid="action-state" data-state="done">
                            {m}
                        </p>
                    }
                        .into_any()
                }
                ActionState::Failed(e) => {
                    view! { <crate::components::error_banner::ErrorBanner errors=vec![e] /> }
                        .into_any()
                }
            }}
            <h3>"Attempts"</h3>
            {if delivery.attempts.is_empty() {
                view! { <p class="empty">"The vendor lists no attempts for this delivery yet."</p> }
                    .into_any()
            } else {
                let inferred = delivery.vendor == Vendor::Talkover && delivery.attempts.len() > 1;
                let first_seen = delivery.extra.get("first_attempt_seen").and_then(|v| v.as_u64());
                let retrying = delivery.status == hookscope_core::domain::DeliveryStatus::Retrying;
                view! {
                    <AttemptTimeline
                        attempts=delivery.attempts.clone()
                        selected=selected_attempt
                        inferred=inferred
                        first_seen=first_seen
                        retrying=retrying
                    />
                }
                    .into_any()
            }}
            {(delivery.attempts.len() >= 2)
                .then(|| view! { <CompareAttempts attempts=delivery.attempts.clone() /> })}
            <JsonView doc=payload_doc(delivery) testid="payload-view" label="Payload sent" />
            {move || {
                let a = d.with_value(|d| d.attempts.get(selected_attempt.get()).cloned());
                let vendor = d.with_value(|d| d.vendor);
                view! { <ResponseView attempt=a vendor=vendor /> }
            }}
        </aside>
    }
}

/// The payload as a tree read from its text as sent (exact numbers; a payload nested too
/// deep for the decoder is still shown); anything that is not an object or array is
/// shown as text.
fn payload_doc(d: &Delivery) -> Doc {
    let text = d.payload.text();
    if text.starts_with(['{', '[']) {
        Doc::from_text(text)
    } else {
        Doc::Text(format::pretty_json(&d.payload.value()))
    }
}

/// A curl command that re-fetches this delivery's log. The key is `$VENDOR_API_KEY`,
/// never the key itself, so the command can be pasted into a ticket.
pub fn curl_command(d: &Delivery, conn: &Connection, origin: &RetryScope) -> String {
    let var = format!("${}_API_KEY", d.vendor.id().to_ascii_uppercase());
    let subject = || PathId::from_vendor("The delivery's ID", &d.subject);
    let req = match (d.vendor, &origin.talkover) {
        (Vendor::Talkover, Some((owner, o, w))) => {
            Ok(talkover::logs(*owner, o, w, 1, talkover::MAX_PER_PAGE))
        }
        (Vendor::Bland, _) if d.event == bland::EVENT_SMS => subject().map(|s| bland::sms_webhook(&s)),
        (Vendor::Bland, _) => subject().map(|s| bland::postcall_webhook(&s)),
        (Vendor::Burki, _) => match d.subject.parse::<u64>() {
            Ok(id) => Ok(hookscope_core::vendors::burki::webhook_logs(id, Some(&d.event))),
            Err(_) => {
                return "# Burki's call ID for this delivery is not an integer; cannot build the request".into()
            }
        },
        (Vendor::Talkover, None) => {
            return "# the Talkover agent/campaign of this delivery is unknown".into()
        }
    };
    let req = match req {
        Ok(r) => r,
        Err(e) => return format!("# cannot build the request: {e}"),
    };
    let (h, _) = hookscope_core::request::auth_header(req.vendor, "KEY");
    let value = match d.vendor {
        Vendor::Bland => var,
        _ => format!("Bearer {var}"),
    };
    let base = if conn.demo {
        d.vendor.default_base_url().to_string()
    } else {
        conn.base_url.clone()
    };
    format!(
        "curl -sS '{}' -H \"{h}: {value}\"",
        req.url(&base).replace('\'', "'\\''")
    )
}

/// A button that sends a webhook: it asks first, saying what it will send (`{id}-button`,
/// `{id}-confirm-panel`, `{id}-confirm`, `{id}-cancel`), and is disabled with the reason
/// when the action cannot run.
#[component]
fn SendButton(
    id: &'static str,
    label: &'static str,
    confirm: &'static str,
    what: String,
    why_not: Option<String>,
    title: &'static str,
    #[prop(into)] busy: Signal<bool>,
    run: Callback<()>,
) -> impl IntoView {
    let asking = RwSignal::new(false);
    let off = why_not.is_some();
    view! {
        <button
            data-testid=format!("{id}-button")
            on:click=move |_| asking.set(true)
            title=why_not.unwrap_or_else(|| title.into())
            disabled=move || off || busy.get()
        >
            {label}
        </button>
        {move || {
            asking
                .get()
                .then(|| {
                    view! {
                        <span
                            class="confirm"
                            data-testid=format!("{id}-confirm-panel")
                            role="alertdialog"
                            aria-label=format!("Confirm: {confirm}")
                        >
                            {what.clone()}
                            " "
                            <button
                                class="primary"
                                data-testid=format!("{id}-confirm")
                                on:click=move |_| {
                                    asking.set(false);
                                    run.run(())
                                }
                            >
                                {confirm}
                            </button>
                            " "
                            <button
                                data-testid=format!("{id}-cancel")
                                on:click=move |_| asking.set(false)
                            >
                                "Cancel"
                            </button>
                        </span>
                    }
                })
        }}
    }
}
