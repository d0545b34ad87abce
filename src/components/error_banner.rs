//! `error-banner`: a failed request, named by vendor and request, with what to do next.

use hookscope_core::error::ApiError;
use leptos::prelude::*;

/// Shows the first error, and a count and list of the others (a fan-out can fail in part).
#[component]
pub fn ErrorBanner(
    errors: Vec<ApiError>,
    /// Called when the person dismisses the banner.
    #[prop(optional, into)]
    on_dismiss: Option<Callback<()>>,
    /// When given, a "Try again" button runs it (the same request again).
    #[prop(optional, into)]
    on_retry: Option<Callback<()>>,
) -> impl IntoView {
    let Some(first) = errors.first().cloned() else {
        return ().into_any();
    };
    let more = errors.len() - 1;
    let rest = errors
        .iter()
        .skip(1)
        .take(20)
        .map(|e| view! { <li>{e.to_string()}</li> })
        .collect_view();
    let retry_after = first
        .retry_after_secs
        .map(|s| s.to_string())
        .unwrap_or_default();
    view! {
        <div
            class="error-banner"
            role="alert"
            data-testid="error-banner"
            data-kind=first.kind.id()
            data-retry-after=retry_after
        >
            <div class="error-banner__head">
                <strong class="error-banner__title">{first.to_string()}</strong>
                {on_dismiss
                    .map(|cb| {
                        view! {
                            <button
                                class="icon-button"
                                title="Dismiss"
                                aria-label="Dismiss"
                                on:click=move |_| cb.run(())
                            >
                                "×"
                            </button>
                        }
                    })}
            </div>
            {first
                .detail
                .clone()
                .map(|d| {
                    view! { <p class="error-banner__detail">"Vendor said: " <code>{d}</code></p> }
                })}
            <p class="error-banner__advice">{first.advice()}</p>
            {on_retry
                .map(|cb| {
                    view! {
                        <button
                            type="button"
                            class="error-banner__retry"
                            data-testid="error-retry"
                            on:click=move |_| cb.run(())
                        >
                            "Try again"
                        </button>
                    }
                })}
            {(more > 0)
                .then(|| {
                    view! {
                        <details class="error-banner__more">
                            <summary>{format!("{more} more request(s) failed")}</summary>
                            <ul>{rest}</ul>
                        </details>
                    }
                })}
        </div>
    }
    .into_any()
}
