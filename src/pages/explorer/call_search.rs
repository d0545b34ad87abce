//! The call search box at the top of the explorer: paste what the ticket holds (one
//! identifier or several), Enter searches. It only writes the URL (`q`); recognising the
//! entries and looking them up is the `calls` chunk's (`calls.rs`), so this box costs the
//! first lookup's download next to nothing.

use crate::state::explorer::ExplorerState;
use crate::state::follow::Follow;
use leptos::prelude::*;

const HELP: &str =
    "Paste what the ticket holds, one entry or several: Enter searches every connection that could hold each; Shift+Enter adds a line.";

#[component]
pub fn CallSearchBox(state: ExplorerState) -> impl IntoView {
    let text = Follow::<String>::new(Memo::new(move |_| {
        state.query.with(|q| q.find.text.clone())
    }));
    let note = RwSignal::new(None::<String>);
    let submit = move || note.set(state.find(&text.get_untracked()).err());
    view! {
        <form
            class="call-search"
            role="search"
            aria-label="Find a call"
            on:submit=move |ev| {
                ev.prevent_default();
                submit();
            }
        >
            <div class="call-search__row">
                <label for="call-search" class="call-search__label">
                    "Find a call"
                </label>
                <textarea
                    id="call-search"
                    data-testid="call-search"
                    rows=move || text.get().lines().count().clamp(1, 4).to_string()
                    spellcheck="false"
                    autocomplete="off"
                    placeholder="Call IDs, call SIDs or phone numbers"
                    title=HELP
                    aria-describedby="call-search-help"
                    prop:value=move || text.get()
                    on:input=move |ev| text.set(event_target_value(&ev))
                    on:keydown=move |ev: leptos::ev::KeyboardEvent| {
                        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
                            ev.prevent_default();
                            submit();
                        }
                    }
                ></textarea>
                <button type="submit" class="primary" data-testid="call-search-submit">
                    "Find"
                </button>
            </div>
            <p id="call-search-help" class="muted call-search__help">
                {HELP}
            </p>
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
        </form>
    }
}
