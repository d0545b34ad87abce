//! The delivery table, windowed: only the rows in view (plus a margin) are in the DOM, so
//! 100,000 rows scroll like 100. A real `<table>` (headers, `aria-rowcount`,
//! `aria-rowindex`) with fixed row height and column widths, a sticky header, and
//! spacer rows above and below the window. Written by hand: a table crate would add
//! ~110 kB gzip to the download for what is about 150 lines here.
//!
//! Keyboard (on the focused table): ↑/↓ or j/k move the cursor and scroll it into view;
//! Enter opens the cursor's delivery; Esc closes it. While a delivery is open the detail
//! follows the cursor, as in a mail client.

use crate::components::window::Window;
use crate::data::filters::{Column, Sort, SortKey};
use crate::data::index::IndexRef;
use crate::data::ticked::Ticked;
use crate::format::{self, Zone};
use crate::state::follow::Follow;
use chrono::{DateTime, Utc};
use leptos::html;
use leptos::prelude::*;
use std::sync::Arc;

/// Row height in px (CSS `.deliveries tbody tr.row` says the same). A phone shows cards,
/// taller: the table measures its first row and windows by what it found.
pub const ROW_HEIGHT: f64 = 32.0;
/// How the table is windowed (`components::window`).
pub const WINDOW: Window = Window {
    row_height: ROW_HEIGHT,
    // Ten rows (320 px) each way cover a fast wheel's frame; every row more is drawn
    // again at each keystroke that changes the rows.
    overscan: 10,
    full_below: 150,
    max_visible: 100,
};

/// What one row shows, taken from the index once when the row mounts.
struct Cells {
    key: String,
    status: &'static str,
    vendor: &'static str,
    vendor_label: &'static str,
    conn: String,
    event: String,
    subject: String,
    code: Option<u16>,
    attempts: usize,
    latency: String,
    time: Option<hookscope_core::domain::Timestamp>,
    target: Option<String>,
}

fn cells(ix: &IndexRef, row: u32) -> Option<Cells> {
    let d = ix.ix.get(row)?;
    let origin = ix.ix.origin(row);
    Some(Cells {
        key: ix.ix.key(row).to_string(),
        status: d.status.id(),
        vendor: d.vendor.id(),
        vendor_label: d.vendor.label(),
        conn: origin.map(|o| o.conn.clone()).unwrap_or_default(),
        event: d.event.to_string(),
        subject: d.subject.to_string(),
        code: d.http_code(),
        attempts: d.attempts.len(),
        latency: format::duration(d.last_duration_ms()),
        time: d.last_time().cloned(),
        target: d.target_url.as_deref().map(str::to_string),
    })
}

#[component]
pub fn DeliveryTable(
    #[prop(into)] index: Signal<IndexRef>,
    /// Rows to show (index rows, in order).
    #[prop(into)]
    rows: Signal<Arc<Vec<u32>>>,
    /// Key of the open delivery.
    #[prop(into)]
    selected: Signal<Option<String>>,
    /// Opens a delivery (`Some(key)`) or closes the open one (`None`).
    #[prop(into)]
    on_select: Callback<Option<String>>,
    #[prop(into)] sort: Signal<Sort>,
    #[prop(into)] on_sort: Callback<SortKey>,
    #[prop(into)] hidden: Signal<Vec<Column>>,
    /// When this changes (new filters or sort) the table scrolls back to the top; a
    /// refresh of the same view keeps its place.
    #[prop(into, optional)]
    reset_on: Signal<String>,
    #[prop(into)] now: Signal<DateTime<Utc>>,
    #[prop(into)] zone: Signal<Zone>,
    /// Rows ticked for an action on several deliveries (a checkbox column when given).
    #[prop(optional)]
    checked: Option<RwSignal<Ticked>>,
) -> impl IntoView {
    let scroller = NodeRef::<html::Div>::new();
    let scroll_top = RwSignal::new(0.0f64);
    let viewport = RwSignal::new(640.0f64);
    let row_h = RwSignal::new(ROW_HEIGHT);
    let head_h = RwSignal::new(ROW_HEIGHT);
    let count = Memo::new(move |_| rows.with(|r| r.len()));
    let range = Memo::new(move |_| {
        Window {
            row_height: row_h.get(),
            ..WINDOW
        }
        .rows(count.get(), scroll_top.get(), viewport.get())
    });
    // The keyboard cursor: a row key. It is where the keys moved it, until another
    // delivery opens; closing one leaves it on that row.
    let last_opened = Memo::new(move |before: Option<&Option<String>>| {
        selected.get().or_else(|| before.cloned().flatten())
    });
    let cursor = Follow::new(last_opened);
    let visible_cols = Memo::new(move |_| {
        hidden.with(|h| {
            Column::ALL
                .into_iter()
                .filter(|c| !h.contains(c))
                .collect::<Vec<_>>()
        })
    });

    // Sizes are read where the browser has just laid the page out (a ResizeObserver's
    // callback), never right after the rows changed: reading a height then makes the
    // browser lay out the whole page inside our task, which cost more than the rows.
    let measure = move || {
        use wasm_bindgen::JsCast;
        if let Some(el) = scroller.get_untracked() {
            let height = |sel: &str| {
                el.query_selector(sel)
                    .ok()
                    .flatten()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
                    .map(|e| f64::from(e.offset_height()))
            };
            // Set only what changed: the table's height changes at most keystrokes.
            let set = |s: RwSignal<f64>, v: f64| {
                if s.get_untracked() != v {
                    s.set(v);
                }
            };
            if let Some(h) = height("tr.row").filter(|h| *h >= 1.0) {
                set(row_h, h);
            }
            set(head_h, height("thead").unwrap_or(0.0));
            set(scroll_top, f64::from(el.scroll_top()));
            set(
                viewport,
                f64::from(el.client_height()).max(row_h.get_untracked()),
            );
        }
    };
    // The scroller's size (the window's, a detail opening) and the table's (rows arriving,
    // a phone's taller cards) are watched; the callback runs after layout, so it is free.
    let observer = StoredValue::new_local(None::<crate::platform::resize::Observer>);
    Effect::new(move |_| {
        if let Some(el) = scroller.get() {
            let table = el.first_element_child();
            observer.set_value(crate::platform::resize::Observer::new(
                measure,
                &el,
                table.as_ref(),
            ));
        }
    });
    on_cleanup(move || observer.set_value(None));
    // A new filter or sort starts at the top, as a new list would (writing scrollTop
    // makes the browser lay out at once: skipped when already there).
    Effect::new(move |prev: Option<()>| {
        reset_on.track();
        if prev.is_some() && scroll_top.get_untracked() > 0.0 {
            if let Some(el) = scroller.get_untracked() {
                el.set_scroll_top(0);
            }
            scroll_top.set(0.0);
        }
    });

    // Scrolls position `i` of the rows into view (below the sticky header).
    let reveal = move |i: usize| {
        let Some(el) = scroller.get_untracked() else {
            return;
        };
        let (row, header) = (row_h.get_untracked(), head_h.get_untracked());
        let top = i as f64 * row;
        let view_top = f64::from(el.scroll_top());
        let view_h = f64::from(el.client_height());
        let to = if top < view_top {
            Some(top)
        } else if top + row + header > view_top + view_h {
            Some((top + row + header - view_h).max(0.0))
        } else {
            None
        };
        // What was written, not read back (reading would lay the page out again).
        if let Some(to) = to {
            el.set_scroll_top(to as i32);
            scroll_top.set(to);
        }
    };
    let on_key = move |ev: leptos::ev::KeyboardEvent| {
        if ev.ctrl_key() || ev.meta_key() || ev.alt_key() {
            return;
        }
        let step: isize = match ev.key().as_str() {
            "ArrowDown" | "j" => 1,
            "ArrowUp" | "k" => -1,
            "Enter" => {
                if let Some(c) = cursor.get_untracked() {
                    ev.prevent_default();
                    on_select.run(Some(c));
                }
                return;
            }
            "Escape" => {
                if selected.with_untracked(Option::is_some) {
                    ev.prevent_default();
                    on_select.run(None);
                }
                return;
            }
            _ => return,
        };
        ev.prevent_default();
        let next = index.with_untracked(|ix| {
            rows.with_untracked(|r| {
                let at = cursor
                    .get_untracked()
                    .and_then(|k| ix.ix.row_of(&k))
                    .and_then(|row| r.iter().position(|x| *x == row));
                let i = match at {
                    None => 0,
                    Some(i) => i.saturating_add_signed(step).min(r.len().saturating_sub(1)),
                };
                r.get(i).map(|row| (i, ix.ix.key(*row).to_string()))
            })
        });
        if let Some((i, key)) = next {
            cursor.set(Some(key.clone()));
            reveal(i);
            if selected.with_untracked(Option::is_some) {
                on_select.run(Some(key));
            }
        }
    };

    // A sortable header: a button inside <th>, with aria-sort for screen readers.
    let th = move |col: Column| {
        let Some(key) = col.sort_key() else {
            return view! {
                <th scope="col" class=format!("col-{}", col.id())>
                    {col.label()}
                </th>
            }
            .into_any();
        };
        let aria = move || {
            let s = sort.get();
            if s.key != key {
                "none"
            } else if s.desc {
                "descending"
            } else {
                "ascending"
            }
        };
        let arrow = move || match aria() {
            "descending" => " ▼",
            "ascending" => " ▲",
            _ => "",
        };
        view! {
            <th scope="col" class=format!("col-{}", col.id()) aria-sort=aria>
                <button
                    type="button"
                    class="th-sort"
                    data-testid=format!("sort-{}", key.id())
                    on:click=move |_| on_sort.run(key)
                >
                    {col.label()}
                    {arrow}
                </button>
            </th>
        }
        .into_any()
    };
    let status_th = move || {
        let aria = move || match sort.get() {
            s if s.key != SortKey::Status => "none",
            s if s.desc => "descending",
            _ => "ascending",
        };
        view! {
            <th scope="col" class="col-status" aria-sort=aria>
                <button
                    type="button"
                    class="th-sort"
                    data-testid="sort-status"
                    on:click=move |_| on_sort.run(SortKey::Status)
                >
                    "Status"
                    {move || match aria() {
                        "descending" => " ▼",
                        "ascending" => " ▲",
                        _ => "",
                    }}
                </button>
            </th>
        }
    };

    // The rows in the window, with the position of the first: a row stays mounted while
    // it is in the window (a search that narrows the rows keeps most of those in view),
    // and reads its position from here.
    let window_rows = Memo::new(move |_| {
        let (a, b) = range.get();
        rows.with(|r| (a, r.get(a..b).unwrap_or_default().to_vec()))
    });
    let render_row = move |row: u32, cols: &[Column]| {
        let Some(c) = index.with_untracked(|ix| cells(ix, row)) else {
            return ().into_any();
        };
        let key = c.key.clone();
        // Up to 150 rows compare their key when the selection moves: cheaper than a
        // `Selector`, whose effect can outlive the table when the body is swapped.
        let (k_sel, k_cur, k_click) = (key.clone(), key.clone(), key.clone());
        let time = c.time.clone();
        let check = checked.map(|set| {
            let (a, b) = (key.clone(), key.clone());
            view! {
                <td class="check-col" on:click=|ev| ev.stop_propagation()>
                    <input
                        type="checkbox"
                        data-testid="row-check"
                        aria-label=format!("Select delivery {key}")
                        prop:checked=move || {
                            let g = index.with(|ix| ix.generation);
                            set.with(|t| t.keys(g).contains(&a))
                        }
                        on:change=move |ev| {
                            let on = event_target_checked(&ev);
                            let g = index.with_untracked(|ix| ix.generation);
                            set.update(|t| t.set(g, &b, on));
                        }
                    />
                </td>
            }
        });
        let cell = |col: Column| match col {
            Column::Vendor => view! { <td class="col-vendor">{c.vendor_label}</td> }.into_any(),
            Column::Connection => view! {
                <td class="col-connection ellipsis" title=c.conn.clone()>
                    {c.conn.clone()}
                </td>
            }
            .into_any(),
            Column::Event => {
                view! { <td class="col-event mono ellipsis">{c.event.clone()}</td> }.into_any()
            }
            Column::Subject => view! {
                <td class="col-subject mono ellipsis" title=c.subject.clone()>
                    {c.subject.clone()}
                </td>
            }
            .into_any(),
            Column::Code => view! {
                <td class=format!(
                    "col-code num mono code code--{}",
                    c.code.map(|c| c / 100).unwrap_or(0),
                )>{format::http_code(c.code)}</td>
            }
            .into_any(),
            Column::Attempts => view! { <td class="col-attempts num">{c.attempts}</td> }.into_any(),
            Column::Latency => {
                view! { <td class="col-latency num">{c.latency.clone()}</td> }.into_any()
            }
            Column::Time => {
                let t = time.clone();
                let t2 = time.clone();
                view! {
                    <td class="col-time" title=move || format::time_title(t.as_ref(), zone.get())>
                        {move || format::time_text(t2.as_ref(), now.get())}
                    </td>
                }
                .into_any()
            }
            Column::Target => view! {
                <td
                    class="col-target mono ellipsis muted"
                    title=c.target.clone().unwrap_or_default()
                >
                    {c.target.clone().unwrap_or_else(|| "—".into())}
                </td>
            }
            .into_any(),
        };
        let tds: Vec<_> = cols.iter().map(|col| cell(*col)).collect();
        let pos = move || {
            window_rows.with(|(a, w)| w.iter().position(|r| *r == row).map_or(0, |i| a + i))
        };
        view! {
            <tr
                data-testid="delivery-row"
                class="row"
                data-id=key.clone()
                data-status=c.status
                data-http-code=c.code.map(|c| c.to_string()).unwrap_or_default()
                data-vendor=c.vendor
                data-event=c.event.clone()
                data-time=c
                    .time
                    .as_ref()
                    .and_then(|t| t.parsed)
                    .map(|t| t.to_rfc3339_opts(chrono::SecondsFormat::Millis, true))
                    .unwrap_or_default()
                aria-rowindex=move || (pos() + 2).to_string()
                aria-selected=move || selected.with(|s| s.as_ref() == Some(&k_sel)).to_string()
                class:selected=move || selected.with(|s| s.as_ref() == Some(&key))
                class:cursor=move || cursor.get().as_ref() == Some(&k_cur)
                on:click=move |_| {
                    cursor.set(Some(k_click.clone()));
                    on_select.run(Some(k_click.clone()));
                }
            >
                {check}
                <td class="col-status">
                    <span class=format!("pill pill--{}", c.status)>{c.status}</span>
                </td>
                {tds}
            </tr>
        }
        .into_any()
    };

    let render_row = Arc::new(render_row);
    view! {
        <div
            class="table-scroll"
            data-testid="table-scroll"
            data-total-rows=move || count.get().to_string()
            data-view=move || reset_on.get()
            node_ref=scroller
            tabindex="0"
            role="region"
            aria-label="Deliveries (↑/↓ or j/k move, Enter opens, Esc closes)"
            on:scroll=move |_| {
                if let Some(el) = scroller.get_untracked() {
                    scroll_top.set(f64::from(el.scroll_top()));
                }
            }
            on:keydown=on_key
        >
            <table class="deliveries" aria-rowcount=move || (count.get() + 1).to_string()>
                <thead>
                    <tr aria-rowindex="1">
                        {checked
                            .map(|c| {
                                view! {
                                    <th scope="col" class="check-col">
                                        <input
                                            type="checkbox"
                                            data-testid="rows-check-all"
                                            aria-label="Select every row shown"
                                            prop:checked=move || {
                                                let n = count.get();
                                                let g = index.with(|ix| ix.generation);
                                                n > 0 && c.with(|t| t.keys(g).len() == n)
                                            }
                                            on:change=move |ev| {
                                                let on = event_target_checked(&ev);
                                                index
                                                    .with_untracked(|ix| {
                                                        let keys: Vec<String> = if on {
                                                            rows.with_untracked(|r| {
                                                                r.iter().map(|row| ix.ix.key(*row).to_string()).collect()
                                                            })
                                                        } else {
                                                            vec![]
                                                        };
                                                        c.update(|t| t.set_all(ix.generation, keys));
                                                    });
                                            }
                                        />
                                    </th>
                                }
                            })} {status_th}
                        {move || visible_cols.get().into_iter().map(th).collect_view()}
                    </tr>
                </thead>
                {move || {
                    let cols = visible_cols.get();
                    let render_row = render_row.clone();
                    let generation = index.with(|ix| ix.generation);
                    view! {
                        <tbody>
                            <tr
                                class="spacer"
                                aria-hidden="true"
                                style:height=move || {
                                    format!("{}px", range.get().0 as f64 * row_h.get())
                                }
                            ></tr>
                            <For
                                each=move || {
                                    window_rows
                                        .with(|(_, w)| {
                                            w.iter().map(|row| (generation, *row)).collect::<Vec<_>>()
                                        })
                                }
                                key=|k| *k
                                let:k
                            >
                                {render_row(k.1, &cols)}
                            </For>
                            <tr
                                class="spacer"
                                aria-hidden="true"
                                style:height=move || {
                                    format!(
                                        "{}px",
                                        count.get().saturating_sub(range.get().1) as f64
                                            * row_h.get(),
                                    )
                                }
                            ></tr>
                        </tbody>
                    }
                }}
            </table>
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_window_never_holds_more_than_150_rows() {
        assert_eq!(WINDOW.rows(100, 5000.0, 800.0), (0, 100));
        for (n, top, h) in [
            (100_000, 0.0, 800.0),
            (100_000, 1_600_000.0, 4000.0),
            (100_000, 3_200_000.0, 800.0),
            (151, 10_000.0, 100.0),
        ] {
            let (a, b) = WINDOW.rows(n, top, h);
            assert!(a <= b && b <= n, "{a} {b}");
            assert!(b - a <= WINDOW.full_below, "{n} {top}: {a}..{b}");
        }
        assert_eq!(WINDOW.rows(100_000, 3_200_000.0, 800.0).1, 100_000);
    }
}
