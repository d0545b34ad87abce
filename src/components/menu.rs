//! Compact controls that open a small menu: [`Menu`] (a button and a panel of anything)
//! and [`CheckMenu`] (a checkbox list with counts, searchable when long, whose picked
//! values also show as removable chips beside the button).
//!
//! The panel is a native popover: the browser opens it from the button without our code,
//! closes it on Esc or a click outside, keeps it above the page, puts it next in the tab
//! order after its button and hands focus back to the button when it closes.

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

/// A button (`data-testid` = `testid`) that opens a panel holding `children`.
#[component]
pub fn Menu(
    /// The panel's id (unique in the page).
    id: String,
    #[prop(into)] label: Signal<String>,
    #[prop(into)] testid: String,
    /// Marks the button as holding a value (a filter that is on).
    #[prop(optional, into)]
    active: Signal<bool>,
    children: Children,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="menu__button"
            class:menu__button--on=move || active.get()
            popovertarget=id.clone()
            data-testid=testid
            style:anchor-name=format!("--{id}")
        >
            {move || label.get()}
            <span class="menu__caret" aria-hidden="true">"▾"</span>
        </button>
        // Placed under its button by CSS anchor positioning (the name set here, by CSSOM).
        <div popover="auto" id=id.clone() class="menu__panel" style:position-anchor=format!("--{id}")>
            {children()}
        </div>
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
    let find = RwSignal::new(String::new());
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
    let set = move |v: &str, on: bool| {
        let mut s = selected.get_untracked();
        s.retain(|x| x != v);
        if on {
            s.push(v.to_string());
        }
        on_pick.run(s);
    };
    let shown =
        move |l: &str| find.with(|f| f.is_empty() || l.to_lowercase().contains(&f.to_lowercase()));
    let option = move |o: MenuOption| {
        let (v, v2) = (o.value.clone(), o.value.clone());
        let count = Memo::new(move |_| {
            options.with(|os| {
                os.iter()
                    .find(|x| x.value == v)
                    .map(|x| x.count)
                    .unwrap_or(0)
            })
        });
        let text = o.label.trim().to_string();
        let l = text.clone();
        view! {
            <label
                class="menu__opt"
                class:menu__opt--strong=o.strong
                class:menu__opt--sub=o.label.starts_with(' ')
                class:hidden=move || !shown(&l)
            >
                <input
                    type="checkbox"
                    value=o.value.clone()
                    data-vendor=o.vendor
                    data-count=move || count.get().to_string()
                    prop:checked=move || selected.with(|s| s.contains(&v2))
                    on:change=move |ev| set(&o.value, event_target_checked(&ev))
                />
                <span class="menu__label">{text}</span>
                <span class="menu__count">{count}</span>
            </label>
        }
    };
    let chip = move |v: String| {
        let name = format!("{label}: {}", label_of(&v));
        let value = v.clone();
        view! {
            <span class="chip fchip" data-testid="filter-chip" data-filter=testid data-value=value>
                {name.clone()}
                <button
                    type="button"
                    class="chip__remove"
                    data-testid="filter-chip-remove"
                    aria-label=format!("Remove the filter {name}")
                    on:click=move |_| set(&v, false)
                >
                    "×"
                </button>
            </span>
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
                {move || {
                    (options.with(Vec::len) > SEARCH_ABOVE)
                        .then(|| {
                            view! {
                                <input
                                    type="search"
                                    class="menu__search"
                                    data-testid=format!("{testid}-search")
                                    placeholder=format!("Find {}", label.to_lowercase())
                                    aria-label=format!("Find a {}", label.to_lowercase())
                                    prop:value=move || find.get()
                                    on:input=move |ev| find.set(event_target_value(&ev))
                                />
                            }
                        })
                }}
                <div
                    class="menu__list"
                    role="group"
                    aria-label=label
                    data-testid=testid
                    data-value=move || selected.with(|s| s.join(","))
                >
                    <label class="menu__opt menu__opt--any">
                        <input
                            type="checkbox"
                            value=""
                            prop:checked=move || selected.with(Vec::is_empty)
                            on:change=move |ev| {
                                if event_target_checked(&ev) {
                                    on_pick.run(vec![]);
                                } else if selected.with_untracked(Vec::is_empty) {
                                    // "Any" stays on until something else is picked.
                                    event_target::<web_sys::HtmlInputElement>(&ev).set_checked(true);
                                }
                            }
                        />
                        <span class="menu__label">{any}</span>
                    </label>
                    <For each=move || options.get() key=|o| o.value.clone() children=option />
                </div>
            </Menu>
            {move || selected.get().into_iter().map(chip).collect_view()}
        </span>
    }
}
