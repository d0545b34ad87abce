//! Compact controls that open a small menu: [`Menu`] (a button and a panel of anything)
//! and [`CheckMenu`] (a checkbox list with counts, searchable when long, whose picked
//! values also show as removable chips beside the button).
//!
//! The panel is a native popover: the browser opens it from the button without our code,
//! closes it on Esc or a click outside, keeps it above the page, puts it next in the tab
//! order after its button and hands focus back to the button when it closes.
//!
//! What a panel holds is drawn the first time it opens, from code that comes with the
//! delivery detail's part (downloaded on first use, started by a pointer or focus on any
//! menu's button): the first screen of a lookup needs only the buttons and chips.

use crate::platform::split::{lazy_view_quiet, prefetch};
use leptos::prelude::*;

/// Lists longer than this get a search box.
const SEARCH_ABOVE: usize = 8;

/// One choice of a [`CheckMenu`]: its value, what it says, and how many rows it would leave.
#[derive(Clone, Debug, PartialEq)]
pub struct MenuOption {
    pub value: String,
    pub label: String,
    pub count: usize,
    /// `data-vendor` on vendor options.
    pub vendor: Option<&'static str>,
    /// Shown bold (HTTP code classes above exact codes).
    pub strong: bool,
}

impl MenuOption {
    pub fn plain(value: &str, label: &str, count: usize) -> MenuOption {
        MenuOption {
            value: value.to_string(),
            label: label.to_string(),
            count,
            vendor: None,
            strong: false,
        }
    }
}

/// A button (`data-testid` = `testid`) that opens a panel; `children` draw what it holds
/// the first time it opens.
#[component]
pub fn Menu(
    /// The panel's id (unique in the page).
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] testid: String,
    /// Marks the button as holding a value (a filter that is on).
    #[prop(optional, into)]
    active: Signal<bool>,
    children: ChildrenFn,
) -> impl IntoView {
    let opened = RwSignal::new(false);
    let intent = || prefetch(preload_menus);
    view! {
        <button
            type="button"
            class="menu__button"
            class:menu__button--on=move || active.get()
            popovertarget=id.clone()
            data-testid=testid
            style:anchor-name=format!("--{id}")
            on:pointerenter=move |_| intent()
            on:focus=move |_| intent()
        >
            {move || label.get()}
            <span class="menu__caret" aria-hidden="true">"▾"</span>
        </button>
        // Placed under its button by CSS anchor positioning (the name set here, by CSSOM).
        <div
            popover="auto"
            id=id.clone()
            class="menu__panel"
            style:position-anchor=format!("--{id}")
            on:toggle=move |_| opened.set(true)
        >
            {move || opened.get().then(|| children())}
        </div>
    }
}

crate::split_fn!(
    detail, preload = preload_menus;
    fn check_panel(filter: CheckFilter) -> AnyView {
        view! { <CheckPanel filter=filter /> }.into_any()
    }
);

/// What a [`CheckMenu`] filters, shared by its button, its chips and its panel.
#[derive(Clone, Copy)]
struct CheckFilter {
    label: &'static str,
    testid: &'static str,
    any: &'static str,
    options: Signal<Vec<MenuOption>>,
    selected: Signal<Vec<String>>,
    on_pick: Callback<Vec<String>>,
}

impl CheckFilter {
    /// Picks or drops value `v`, keeping the other picks.
    fn set(self, v: &str, on: bool) {
        let mut s = self.selected.get_untracked();
        s.retain(|x| x != v);
        if on {
            s.push(v.to_string());
        }
        self.on_pick.run(s);
    }
}

/// A filter that is on, shown beside its menu with a button that removes it.
/// `data-filter` names the filter; `data-value` the value, for filters with values.
#[component]
pub fn FilterChip(
    filter: &'static str,
    name: String,
    #[prop(optional)] value: Option<String>,
    on_remove: Callback<()>,
) -> impl IntoView {
    view! {
        <span class="chip fchip" data-testid="filter-chip" data-filter=filter data-value=value>
            {name.clone()}
            <button
                type="button"
                class="chip__remove"
                data-testid="filter-chip-remove"
                aria-label=format!("Remove the filter {name}")
                on:click=move |_| on_remove.run(())
            >
                "×"
            </button>
        </span>
    }
}

/// A filter as a checkbox menu. The list holding the values carries `data-testid` =
/// `testid` and `data-value` (the picked values, comma-separated); each checkbox its
/// `value` and `data-count`. Its first box ("any …", value "") is on while nothing is
/// picked and clears the filter, as the first option of a multi-select did.
#[component]
pub fn CheckMenu(
    /// What it filters ("Status").
    label: &'static str,
    testid: &'static str,
    /// The first box ("any status").
    any: &'static str,
    #[prop(into)] options: Signal<Vec<MenuOption>>,
    #[prop(into)] selected: Signal<Vec<String>>,
    on_pick: Callback<Vec<String>>,
) -> impl IntoView {
    let label_of = move |v: &str| {
        options
            .with(|o| {
                o.iter()
                    .find(|x| x.value == v)
                    .map(|x| x.label.trim().to_string())
            })
            .unwrap_or_else(|| v.to_string())
    };
    let title = Signal::derive(move || {
        selected.with(|s| match s.as_slice() {
            [] => label.to_string(),
            [one] => format!("{label}: {}", label_of(one)),
            [one, rest @ ..] => format!("{label}: {} +{}", label_of(one), rest.len()),
        })
    });
    let filter = CheckFilter {
        label,
        testid,
        any,
        options,
        selected,
        on_pick,
    };
    let chip = move |v: String| {
        let name = format!("{label}: {}", label_of(&v));
        view! {
            <FilterChip
                filter=testid
                name=name
                value=v.clone()
                on_remove=Callback::new(move |()| filter.set(&v, false))
            />
        }
    };
    view! {
        <span class="fmenu">
            <Menu
                id=format!("menu-{testid}")
                label=title
                testid=format!("{testid}-button")
                active=Signal::derive(move || selected.with(|s| !s.is_empty()))
            >
                {move || { lazy_view_quiet("the filter menus", move || { check_panel(filter) }) }}
            </Menu>
            {move || selected.get().into_iter().map(chip).collect_view()}
        </span>
    }
}

/// What a [`CheckMenu`]'s panel holds: a search box when the list is long, the "any" box,
/// and a box per option with its count.
#[component]
fn CheckPanel(filter: CheckFilter) -> impl IntoView {
    let find = RwSignal::new(String::new());
    // The boxes are drawn again when the counts or the picks change; the box that was
    // just used gets the focus back, so the keyboard stays in the menu.
    let panel = format!("menu-{}", filter.testid);
    let panel_id = panel.clone();
    let on_box = move |ev: leptos::ev::Event| {
        let input = event_target::<web_sys::HtmlInputElement>(&ev);
        let (v, on) = (input.value(), input.checked());
        if !v.is_empty() {
            filter.set(&v, on);
        } else if on {
            filter.on_pick.run(vec![]);
        } else {
            // "Any" stays on until something else is picked.
            input.set_checked(true);
        }
        let id = panel_id.clone();
        // After the boxes are drawn again (Leptos draws in a microtask, before timers).
        set_timeout(move || refocus(&id, &v), std::time::Duration::ZERO);
    };
    let boxes = move || {
        let picked = filter.selected.get();
        let find = find.with(|f| f.to_lowercase());
        let on_box = on_box.clone();
        let one = move |value: String, label: String, count: Option<usize>, class: &'static str| {
            let on = if value.is_empty() {
                picked.is_empty()
            } else {
                picked.contains(&value)
            };
            let hidden = !find.is_empty() && !label.to_lowercase().contains(&find);
            view! {
                <label class=class class:hidden=hidden>
                    <input
                        type="checkbox"
                        value=value
                        prop:checked=on
                        data-count=count.map(|n| n.to_string())
                        on:change=on_box.clone()
                    />
                    <span class="menu__label">{label}</span>
                    <span class="menu__count">{count}</span>
                </label>
            }
        };
        let mut out = vec![one(
            String::new(),
            filter.any.to_string(),
            None,
            "menu__opt menu__opt--any",
        )];
        out.extend(filter.options.get().into_iter().map(|o| {
            let class = if o.strong {
                "menu__opt menu__opt--strong"
            } else if o.label.starts_with(' ') {
                "menu__opt menu__opt--sub"
            } else {
                "menu__opt"
            };
            one(o.value, o.label.trim().to_string(), Some(o.count), class)
        }));
        out.collect_view()
    };
    view! {
        {move || {
            (filter.options.with(Vec::len) > SEARCH_ABOVE)
                .then(|| {
                    view! {
                        <input
                            type="search"
                            class="menu__search"
                            data-testid=format!("{}-search", filter.testid)
                            placeholder=format!("Find {}", filter.label.to_lowercase())
                            aria-label=format!("Find a {}", filter.label.to_lowercase())
                            prop:value=move || find.get()
                            on:input=move |ev| find.set(event_target_value(&ev))
                        />
                    }
                })
        }}
        <div
            class="menu__list"
            role="group"
            aria-label=filter.label
            data-testid=filter.testid
            data-value=move || filter.selected.with(|s| s.join(","))
        >
            {boxes}

        </div>
    }
}

/// Focuses the box with `value` in the menu `id` (after the boxes were drawn again).
fn refocus(id: &str, value: &str) {
    let value = value.replace('\\', "\\\\").replace('"', "\\\"");
    crate::platform::focus(&format!("#{id} input[value=\"{value}\"]"));
}
