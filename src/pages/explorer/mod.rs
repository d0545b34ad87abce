//! Lookup and explorer. This file wires; the state lives in `state::explorer`, the data
//! derived from loaded rows in `state::results`, the pieces of the page beside it:
//! `call_search` (the search box at the top), `calls` (what a call search found: its own
//! chunk), `lookup_form` (the form), `view_lookups` (loaded lookups, their progress and errors),
//! `filter_bar` (filters with counts), `overview` (summary and chart), `results`
//! (toolbar, table, detail).
//!
//! The form is in the first download; everything that shows loaded lookups is the
//! `results` chunk (`src/platform/split.rs`), fetched when the form gets focus or a lookup starts.
//!
//! The URL holds the whole view (lookups, filters, sort, columns, selection), so a link
//! pasted into a ticket reopens it; keys never go into it.

mod call_search;
mod calls;
mod filter_bar;
mod lookup_form;
mod overview;
mod results;
mod view_lookups;
mod views_bar;

use crate::platform::split::{lazy_view, lazy_view_quiet};
use crate::state::connections::Connections;
use crate::state::explorer::{focus_on_slash, ExplorerState, FormFold};
use crate::state::refresh::AutoRefresh;
use crate::state::results::ResultsData;
use crate::state::shell::DemoOnScreen;
use crate::state::views::SavedViews;
use call_search::CallSearchBox;
use filter_bar::FilterBar;
use leptos::prelude::*;
use lookup_form::LookupForm;
use overview::OverviewPanel;
use results::Results;
use view_lookups::ViewLookups;
use views_bar::ViewsBar;

crate::split_fn!(
    results,
    preload = preload_results;
    fn loaded_view(state: ExplorerState, search: NodeRef<leptos::html::Input>) -> AnyView {
        let views = SavedViews::load();
        let data = ResultsData::new(state);
        let auto = AutoRefresh::new(data);
        // On a phone the filter row is a sheet of its own, opened by "Filters"; on wider
        // screens the same element is shown in place (a popover never opened).
        // The filters and the overview are made with the view, while the rows load (the
        // view is hidden until then): made when the rows arrive, they held the page for a
        // tenth of a second on top of the rows' own work.
        view! {
            <div class="filter-row">
                <button type="button" class="filters-open" popovertarget="filters-sheet" data-testid="filters-open">
                    "Filters"
                </button>
                <div popover="auto" id="filters-sheet" class="filters-sheet" aria-label="Filters">
                    <div class="filters-sheet__head">
                        <strong>"Filters"</strong>
                        <button type="button" popovertarget="filters-sheet" popovertargetaction="hide">"Done"</button>
                    </div>
                    <FilterBar state=data search=search />
                    <ViewsBar state=state views=views />
                </div>
            </div>
            <OverviewPanel state=data />

            <Results state=data auto=auto />
        }
        .into_any()
    }
);

/// Starts downloading the explorer (a pointer or focus on a link to it).
pub fn prefetch_results() {
    crate::platform::split::prefetch(preload_results);
}

// The explorer page (its form, its state, running lookups, the results view) is one part,
// loaded like every page: the first download is the shell (header, routes, connections,
// config), and the page arrives beside it. One part rather than two: nearly every visit
// runs a lookup at once (a link, the demo), and each boundary between parts costs bytes
// and a request.
crate::split_fn!(
    results;
    pub fn page() -> AnyView {
        view! { <ExplorerPage /> }.into_any()
    }
);

// The loaded lookups' chips, progress and errors come with the results view.
crate::split_fn!(
    results;
    fn lookups_view(state: ExplorerState) -> AnyView {
        view! { <ViewLookups state=state /> }.into_any()
    }
);

#[component]
pub fn ExplorerPage() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let state = ExplorerState::new(conns);
    state.open_demo_on_first_visit(&conns);
    let form = state.form_draft(conns);
    let search = NodeRef::<leptos::html::Input>::new();
    focus_on_slash(search);
    state.show_demo_badge(expect_context::<DemoOnScreen>(), form);
    // One task after the rows arrive (`ExplorerState::shown`).
    let loaded = state.shown;
    let finding = Memo::new(move |_| state.query.with(|q| !q.find.is_empty()));
    let nothing_asked = Memo::new(move |_| {
        !finding.get()
            && state.lookups.slots.with(Vec::is_empty)
            && state.url_problems.with(Vec::is_empty)
            && state.held.with(Option::is_none)
    });
    // The results view (its own chunk in release builds) starts downloading with the
    // first lookup, beside the vendor's answer, and stays once it is there.
    let asked = Memo::new(move |before: Option<&bool>| {
        before.copied().unwrap_or(false) || state.lookups.slots.with(|s| !s.is_empty())
    });
    let fold = FormFold::new(state);
    // The skeleton stays until the results view replaces it (one task after the rows).
    let loading = Memo::new(move |_| {
        !loaded.get() && (state.lookups.any_loading() || state.lookups.any_result())
    });

    view! {
        <section class="page explorer">
            // One line once something is loaded: the call search, the loaded lookups' chips
            // and "Change lookup"; the lookups' progress and notices on lines of their own.
            <div class="explorer__top">
                <CallSearchBox state=state />
                <div class="lookup-line">
                    {move || {
                        asked
                            .get()
                            .then(|| lazy_view_quiet(
                                "the results view",
                                move || lookups_view(state),
                            ))
                    }}
                    {move || {
                        asked
                            .get()
                            .then(|| {
                                view! {
                                    <button
                                        type="button"
                                        class="lookup-change"
                                        data-testid="lookup-change"
                                        aria-expanded=move || (!fold.folded.get()).to_string()
                                        on:click=move |_| fold.toggle()
                                    >
                                        {move || {
                                            if fold.folded.get() {
                                                "Change lookup"
                                            } else {
                                                "Hide the form"
                                            }
                                        }}
                                    </button>
                                }
                            })
                    }}
                </div>
            </div>
            {move || {
                finding
                    .get()
                    .then(|| lazy_view("the call search", move || calls::calls_view(state)))
            }}
            <div class="lookup-area" data-folded=move || fold.folded.get().to_string()>
                <LookupForm state=state conns=conns draft=form />
            </div>
            {move || state.held.get().map(|h| view! { <HeldLinkNotice held=h state=state /> })}
            {move || {
                loading
                    .get()
                    .then(|| {
                        view! {
                            <div class="skeleton" aria-hidden="true" data-testid="skeleton-rows">
                                {(0..8)
                                    .map(|_| view! { <div class="skeleton__row"></div> })
                                    .collect_view()}
                            </div>
                        }
                    })
            }}
            {move || {
                nothing_asked
                    .get()
                    .then(|| {
                        view! {
                            <div class="empty" data-testid="explorer-empty">
                                <h2>"Find a call, or look up webhook deliveries"</h2>
                                <p>
                                    "Paste what the ticket holds (a call ID, a call SID or a phone number) into “Find a call” above and press Enter: every connection that could hold it is searched."
                                </p>
                                <p>
                                    "Or choose a connection below, pick what to look up and paste an ID from the vendor's dashboard; “Add to view” loads another lookup beside it, from any vendor. Demo connections accept the example IDs shown under the form."
                                </p>
                            </div>
                        }
                    })
            }}
            <div class="results" class:hidden=move || !loaded.get()>
                {move || {
                    asked
                        .get()
                        .then(|| {
                            lazy_view("the results view", move || loaded_view(state, search))
                        })
                }}
            </div>
        </section>
    }
}

/// A link that would send many requests asks first, saying how many and to whom.
#[component]
fn HeldLinkNotice(held: crate::state::explorer::HeldLink, state: ExplorerState) -> impl IntoView {
    let to = held
        .connections
        .iter()
        .map(|c| format!("“{c}”"))
        .collect::<Vec<_>>()
        .join(", ");
    view! {
        <div
            class="notice notice--warn"
            role="alertdialog"
            data-testid="link-confirm"
            data-requests=held.requests.to_string()
        >
            <p>
                {format!(
                    "This link would send {} requests at once to {to}, each with that connection's API key. Nothing has been sent yet.",
                    held.requests,
                )}
            </p>
            <p class="muted">
                "Links can come from anywhere; load it only if you expected a view this large."
            </p>
            <button
                type="button"
                class="primary"
                data-testid="link-confirm-load"
                on:click=move |_| state.load_held()
            >
                {format!("Send {} requests", held.requests)}
            </button>
            " "
            <button
                type="button"
                data-testid="link-confirm-cancel"
                on:click=move |_| state.drop_held()
            >
                "Don't load"
            </button>
        </div>
    }
}
