//! The dense delivery table: status as colour and text, monospace IDs and codes,
//! relative times with the absolute time on hover, sticky header.

use crate::filters::{Sort, SortKey};
use crate::format;
use hookscope_core::domain::Delivery;
use leptos::prelude::*;

#[component]
pub fn DeliveryTable(
    #[prop(into)] rows: Signal<Vec<Delivery>>,
    #[prop(into)] selected: Signal<Option<String>>,
    #[prop(into)] on_select: Callback<String>,
    #[prop(into)] sort: Signal<Sort>,
    #[prop(into)] on_sort: Callback<SortKey>,
    /// Rows ticked for an action on several deliveries (a checkbox column when given).
    #[prop(optional)]
    checked: Option<RwSignal<std::collections::HashSet<String>>>,
) -> impl IntoView {
    let now = chrono::Utc::now();
    // ↓/j and ↑/k move the selection from the focused row, as in a mail client.
    let move_selection = move |ev: leptos::ev::KeyboardEvent| {
        let step: isize = match ev.key().as_str() {
            "ArrowDown" | "j" => 1,
            "ArrowUp" | "k" => -1,
            _ => return,
        };
        ev.prevent_default();
        let next = rows.with_untracked(|r| {
            let current = selected
                .get_untracked()
                .and_then(|s| r.iter().position(|d| d.id == s));
            let i = match current {
                None => 0,
                Some(i) => i.saturating_add_signed(step).min(r.len().saturating_sub(1)),
            };
            r.get(i).map(|d| d.id.clone())
        });
        if let Some(id) = next {
            on_select.run(id.clone());
            focus_row(&id);
        }
    };
    // A sortable header: a button inside <th>, with aria-sort for screen readers.
    let th = move |label: &'static str, key: SortKey, class: &'static str| {
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
            <th scope="col" class=class aria-sort=aria>
                <button type="button" class="th-sort" data-testid=format!("sort-{}", key.id()) on:click=move |_| on_sort.run(key)>{label}{arrow}</button>
            </th>
        }
    };
    view! {
        <div class="table-wrap">
            <table class="deliveries">
                <thead>
                    <tr>
                        {checked.map(|c| view! {
                            <th scope="col" class="check-col">
                                <input type="checkbox" data-testid="rows-check-all" aria-label="Select every row shown"
                                    prop:checked=move || { let n = rows.with(Vec::len); n > 0 && c.with(|s| s.len() == n) }
                                    on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        c.set(if on { rows.with_untracked(|r| r.iter().map(|d| d.id.clone()).collect()) } else { Default::default() });
                                    } />
                            </th>
                        })}
                        {th("Status", SortKey::Status, "")}
                        {th("Event", SortKey::Event, "")}
                        <th scope="col">"Subject"</th>
                        {th("HTTP", SortKey::Code, "num")}
                        {th("Attempts", SortKey::Attempts, "num")}
                        {th("Latency", SortKey::Latency, "num")}
                        {th("Last attempt", SortKey::Time, "")}
                        <th scope="col">"Target"</th>
                    </tr>
                </thead>
                <tbody on:keydown=move_selection>
                    <For each=move || rows.get() key=|d| d.id.clone() let:d>
                        {
                            let id = d.id.clone();
                            let id_sel = d.id.clone();
                            let is_sel = Memo::new(move |_| selected.with(|s| s.as_deref() == Some(id_sel.as_str())));
                            let (rel, abs) = format::time_cell(d.last_time(), now);
                            let code = d.http_code();
                            let status = d.status.id();
                            let select = {
                                let id = id.clone();
                                move || on_select.run(id.clone())
                            };
                            let select_key = select.clone();
                            view! {
                                <tr
                                    data-testid="delivery-row"
                                    data-id=d.id.clone()
                                    data-status=status
                                    data-http-code=code.map(|c| c.to_string()).unwrap_or_default()
                                    data-vendor=d.vendor.id()
                                    data-event=d.event.clone()
                                    class:selected=is_sel
                                    tabindex="0"
                                    aria-selected=move || is_sel.get().to_string()
                                    on:click=move |_| select()
                                    on:keydown=move |ev| if ev.key() == "Enter" || ev.key() == " " { ev.prevent_default(); select_key() }
                                >
                                    {checked.map(|c| {
                                        let (id_a, id_b, id_c) = (d.id.clone(), d.id.clone(), d.id.clone());
                                        view! {
                                            <td class="check-col" on:click=|ev| ev.stop_propagation()>
                                                <input type="checkbox" data-testid="row-check" aria-label=format!("Select delivery {id_c}")
                                                    prop:checked=move || c.with(|s| s.contains(&id_a))
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        c.update(|s| { if on { s.insert(id_b.clone()); } else { s.remove(&id_b); } });
                                                    } />
                                            </td>
                                        }
                                    })}
                                    <td><span class=format!("pill pill--{status}")>{status}</span></td>
                                    <td class="mono">{d.event.clone()}</td>
                                    <td class="mono ellipsis" title=d.subject.clone()>{d.subject.clone()}</td>
                                    <td class=format!("num mono code code--{}", code.map(|c| c / 100).unwrap_or(0))>{format::http_code(code)}</td>
                                    <td class="num">{d.attempts.len()}</td>
                                    <td class="num">{format::duration(d.last_duration_ms())}</td>
                                    <td title=abs>{rel}</td>
                                    <td class="mono ellipsis muted" title=d.target_url.clone().unwrap_or_default()>{d.target_url.clone().unwrap_or_else(|| "—".into())}</td>
                                </tr>
                            }
                        }
                    </For>
                </tbody>
            </table>
        </div>
    }
}

/// Focuses the row of delivery `id` (focus also scrolls it into view).
fn focus_row(id: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(list) = doc.query_selector_all("[data-testid=delivery-row]") else {
        return;
    };
    for i in 0..list.length() {
        if let Some(el) = list
            .item(i)
            .and_then(|n| n.dyn_into::<web_sys::HtmlElement>().ok())
        {
            if el.get_attribute("data-id").as_deref() == Some(id) {
                let _ = el.focus();
                return;
            }
        }
    }
}
