//! A read-only, copyable text view of a payload or response body.

use leptos::prelude::*;

/// `text` is shown verbatim inside `<pre>` as a text node: markup in it stays inert.
#[component]
pub fn TextView(
    text: String,
    #[prop(into)] testid: String,
    #[prop(into)] label: String,
) -> impl IntoView {
    let empty = text.trim().is_empty();
    let size = text.len();
    view! {
        <section class="text-view">
            <header class="text-view__head">
                <span class="text-view__label">{label}</span>
                <span class="muted">{format!("{size} bytes")}</span>
            </header>
            <pre class="text-view__body" data-testid=testid data-empty=empty.to_string()>
                {if empty { "(empty)".to_string() } else { text }}
            </pre>
        </section>
    }
}
