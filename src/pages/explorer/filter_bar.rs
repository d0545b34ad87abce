//! The filter bar, one compact row: status, event, HTTP code and vendor/connection (each
//! a checkbox menu whose boxes say how many rows they would leave, its picks shown as
//! removable chips), the time range, and a debounced search. Every change is written to
//! the URL; the rows follow from it.

use crate::components::menu::{CheckMenu, FilterChip, Menu, MenuOption};
use crate::data::axis::short;
use crate::data::filters::{parse_time, write_time, CodeFilter, Source, Span, TimeRange};
use crate::format::Zone;
use crate::platform::split::lazy_view_quiet;
use crate::state::follow::Follow;
use crate::state::results::ResultsData;
use hookscope_core::domain::{DeliveryStatus, Vendor};
use leptos::prelude::*;

/// How long typing pauses before the search runs.
const SEARCH_DEBOUNCE_MS: u64 = 150;

/// What the time filter says on its button and chip.
fn time_words(t: TimeRange) -> Option<String> {
    match t {
        TimeRange::Any => None,
        TimeRange::Last(s) => Some(s.label().to_string()),
        TimeRange::Between { from, to } => {
            let end =
                |t: Option<_>, none: &str| t.map(|t| short(t, Zone::Utc)).unwrap_or(none.into());
            Some(format!("{} – {} UTC", end(from, "…"), end(to, "now")))
        }
    }
}

#[component]
pub fn FilterBar(
    state: ResultsData,
    /// The search box (the page focuses it on "/").
    search: NodeRef<leptos::html::Input>,
) -> impl IntoView {
    let q = state.query;
    let facets = Memo::new(move |_| state.filtered.with(|f| f.facets.clone()));
    let filters = Memo::new(move |_| q.with(|q| q.filters.clone()));

    // Vendor / connection options: each vendor in view, and its connections when it has
    // more than one.
    let sources = Memo::new(move |_| {
        state.index.with(|ix| {
            let mut out: Vec<(Source, String)> = vec![];
            for v in Vendor::ALL {
                let conns: Vec<&str> = ix
                    .ix
                    .slots()
                    .iter()
                    .filter(|s| s.vendor == v)
                    .map(|s| s.conn.as_str())
                    .collect();
                if conns.is_empty() {
                    continue;
                }
                out.push((
                    Source {
                        vendor: v,
                        conn: None,
                    },
                    v.label().to_string(),
                ));
                let mut unique = conns.clone();
                unique.sort();
                unique.dedup();
                if unique.len() > 1 {
                    for c in unique {
                        out.push((
                            Source {
                                vendor: v,
                                conn: Some(c.to_string()),
                            },
                            format!("  {} · {c}", v.label()),
                        ));
                    }
                }
            }
            out
        })
    });
    let codes = Memo::new(move |_| {
        facets.with(|f| {
            let mut classes: Vec<CodeFilter> = f
                .code
                .iter()
                .filter_map(|(c, _)| c.map(|c| CodeFilter::Class((c / 100) as u8)))
                .collect();
            classes.dedup();
            let exact = f.code.iter().filter_map(|(c, _)| c.map(CodeFilter::Exact));
            let none = f
                .code
                .iter()
                .any(|(c, _)| c.is_none())
                .then_some(CodeFilter::None);
            let mut all: Vec<CodeFilter> = classes.into_iter().chain(exact).chain(none).collect();
            // Keep selected values visible even when no row has them now.
            for c in filters.with(|f| f.code.clone()) {
                if !all.contains(&c) {
                    all.push(c);
                }
            }
            all
        })
    });
    let events = Memo::new(move |_| {
        let mut e = facets.with(|f| f.event.clone());
        for name in filters.with(|f| f.event.clone()) {
            if !e.iter().any(|(x, _)| *x == name) {
                e.push((name, 0));
            }
        }
        e
    });

    let vendor_options = Memo::new(move |_| {
        let f = facets.get();
        state.index.with(|ix| {
            sources
                .get()
                .into_iter()
                .map(|(src, label)| MenuOption {
                    count: ix.ix.source_count(&f, &src),
                    value: src.id(),
                    label,
                    vendor: Some(src.vendor.id()),
                    strong: false,
                })
                .collect()
        })
    });
    let status_options = Memo::new(move |_| {
        facets.with(|f| {
            f.status
                .iter()
                .map(|(s, n)| MenuOption::plain(s.id(), s.id(), *n))
                .collect()
        })
    });
    let event_options = Memo::new(move |_| {
        events
            .get()
            .into_iter()
            .map(|(e, n)| MenuOption::plain(&e, &e, n))
            .collect()
    });
    let code_options = Memo::new(move |_| {
        codes
            .get()
            .into_iter()
            .map(|c| MenuOption {
                strong: matches!(c, CodeFilter::Class(_)),
                ..MenuOption::plain(&c.id(), &c.label(), facets.with(|f| f.code_count(c)))
            })
            .collect()
    });

    // The search box keeps its own text; the URL (and the rows) follow after a pause.
    // What the box shows: what was typed, until the URL's search changes (back/forward,
    // a saved view, Clear filters).
    let text = Follow::new(Memo::new(move |_| q.with(|q| q.filters.q.clone())));
    let pending = StoredValue::new_local(None::<TimeoutHandle>);
    let on_search = move |ev: leptos::ev::Event| {
        let v = event_target_value(&ev);
        text.set(v.clone());
        pending.update_value(|p| {
            if let Some(h) = p.take() {
                h.clear();
            }
        });
        let h = set_timeout_with_handle(
            move || state.update(|q| q.filters.q = v),
            std::time::Duration::from_millis(SEARCH_DEBOUNCE_MS),
        );
        pending.set_value(h.ok());
    };

    let time = Memo::new(move |_| filters.with(|f| time_words(f.time)));

    view! {
        <div class="filters" role="search" aria-label="Filter deliveries">
            <CheckMenu
                label="Status"
                testid="filter-status"
                any="any status"
                options=status_options
                selected=Signal::derive(move || {
                    filters.with(|f| f.status.iter().map(|s| s.id().to_string()).collect())
                })
                on_pick=Callback::new(move |v: Vec<String>| {
                    let v: Vec<DeliveryStatus> = v
                        .iter()
                        .filter_map(|s| DeliveryStatus::parse(s))
                        .collect();
                    state.update(|q| q.filters.status = v);
                })
            />
            <CheckMenu
                label="Event"
                testid="filter-event"
                any="any event"
                options=event_options
                selected=Signal::derive(move || filters.with(|f| f.event.clone()))
                on_pick=Callback::new(move |v: Vec<String>| state.update(|q| q.filters.event = v))
            />
            <CheckMenu
                label="HTTP code"
                testid="filter-code"
                any="any HTTP code"
                options=code_options
                selected=Signal::derive(move || {
                    filters.with(|f| f.code.iter().map(|c| c.id()).collect())
                })
                on_pick=Callback::new(move |v: Vec<String>| {
                    let v: Vec<CodeFilter> = v
                        .iter()
                        .filter_map(|s| CodeFilter::parse(s))
                        .collect();
                    state.update(|q| q.filters.code = v);
                })
            />
            <CheckMenu
                label="Vendor"
                testid="filter-vendor"
                any="any vendor"
                options=vendor_options
                selected=Signal::derive(move || {
                    filters.with(|f| f.source.iter().map(Source::id).collect())
                })
                on_pick=Callback::new(move |v: Vec<String>| {
                    let v: Vec<Source> = v.iter().filter_map(|s| Source::parse(s)).collect();
                    state.update(|q| q.filters.source = v);
                })
            />
            <span class="fmenu">
                <Menu
                    id="menu-filter-time".to_string()
                    label=Signal::derive(move || {
                        time.get().map(|t| format!("Time: {t}")).unwrap_or_else(|| "Time".into())
                    })
                    testid="filter-time-button"
                    active=Signal::derive(move || time.with(Option::is_some))
                >
                    {move || lazy_view_quiet("the filter menus", move || time_panel(state))}
                </Menu>
                {move || {
                    time.get()
                        .map(|t| {
                            view! {
                                <FilterChip
                                    filter="filter-time"
                                    name=format!("Time: {t}")
                                    on_remove=Callback::new(move |()| {
                                        state.update(|q| q.filters.time = TimeRange::Any)
                                    })
                                />
                            }
                        })
                }}
            </span>
            <input
                node_ref=search
                class="filters__search"
                data-testid="filter-search"
                type="search"
                aria-label="Search IDs, URL, errors, payloads and responses"
                placeholder="Search IDs, URL, errors, payloads…  /"
                prop:value=move || text.get()
                on:input=on_search
                on:keydown=move |ev| {
                    if ev.key() == "Enter" {
                        pending
                            .update_value(|p| {
                                if let Some(h) = p.take() {
                                    h.clear();
                                }
                            });
                        let v = text.get_untracked();
                        state.update(|q| q.filters.q = v);
                    }
                }
            />
            <button
                type="button"
                class="link filters__clear"
                data-testid="filters-clear"
                disabled=move || !filters.with(|f| f.is_active())
                on:click=move |_| {
                    text.set(String::new());
                    state.update(|q| q.filters = Default::default())
                }
            >
                "Clear filters"
            </button>
        </div>
    }
}

// What the time menu holds (the range, and From/To for a range between two times) comes
// with the other menus' panels, the first time one opens.
crate::split_fn!(
    detail;
    fn time_panel(state: ResultsData) -> AnyView {
        let filters = Memo::new(move |_| state.query.with(|q| q.filters.clone()));
        let range_value = move || match filters.with(|f| f.time) {
            TimeRange::Any => String::new(),
            TimeRange::Last(s) => s.id().to_string(),
            TimeRange::Between { .. } => "custom".into(),
        };
        let bound = move |which: usize| {
            move || match filters.with(|f| f.time) {
                TimeRange::Between { from, to } => {
                    let t = if which == 0 { from } else { to };
                    t.map(write_time).unwrap_or_default()
                }
                _ => String::new(),
            }
        };
        let set_bound = move |which: usize, v: String| {
            state.update(|q| {
                let (mut from, mut to) = match q.filters.time {
                    TimeRange::Between { from, to } => (from, to),
                    _ => (None, None),
                };
                let t = parse_time(&v);
                if which == 0 {
                    from = t;
                } else {
                    to = t;
                }
                q.filters.time = TimeRange::between(from, to);
                q.sel = None;
            })
        };

        // From (0) or To (1) of a "between" range.
        let bound_input =
            move |which: usize, label: &'static str, testid: &'static str, title: &'static str| {
                view! {
                    <label class="inline" title=title>
                        {label}
                        <input
                            data-testid=testid
                            type="datetime-local"
                            step="1"
                            prop:value=bound(which)
                            on:change=move |ev| set_bound(which, event_target_value(&ev))
                        />
                    </label>
                }
            };
        view! {
                        <div class="menu__form">
                            <label class="inline">
                                "Last attempt"
                                <select
                                    data-testid="filter-range"
                                    prop:value=range_value
                                    on:change=move |ev| {
                                        let v = event_target_value(&ev);
                                        state.update(|q| {
                                            q.filters.time = match Span::parse(&v) {
                                                Some(s) => TimeRange::Last(s),
                                                // "between…" keeps bounds already set; the From/To fields set them.
                                                None if v == "custom" => match q.filters.time {
                                                    b @ TimeRange::Between { .. } => b,
                                                    _ => TimeRange::Any,
                                                },
                                                None => TimeRange::Any,
                                            };
                                        });
                                    }
                                >
                                    <option value="" selected=move || range_value().is_empty()>
                                        "any time"
                                    </option>
                                    {Span::ALL
                                        .into_iter()
                                        .map(|s| {
                                            view! {
                                                <option value=s.id() selected=move || range_value() == s.id()>
                                                    {s.label()}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                    <option value="custom" selected=move || range_value() == "custom">
                                        "between…"
                                    </option>
                                </select>
                            </label>
                            {bound_input(0, "From", "filter-from", "Last attempt at or after this time (UTC)")}
                            {bound_input(1, "To", "filter-to", "Last attempt at or before this time (UTC)")}
                        </div>
        }
        .into_any()
    }
);
