//! Saved views: pick a built-in or saved view (`view-select`), or save the current
//! filters, sort and columns under a name (`view-name`, `view-save`, in a small menu so
//! the filter row stays one line).

use crate::components::menu::Menu;
use crate::platform::split::lazy_view_quiet;
use crate::state::explorer::ExplorerState;
use crate::state::views::{apply, view_text, SavedViews, BUILT_IN};
use leptos::prelude::*;

#[component]
pub fn ViewsBar(state: ExplorerState, views: SavedViews) -> impl IntoView {
    let name = RwSignal::new(String::new());
    let message = RwSignal::new(None::<(bool, String)>);
    let current = Memo::new(move |_| state.query.with(view_text));
    // The view whose filters are on screen, if one matches exactly.
    let matching = Memo::new(move |_| {
        let cur = current.get();
        BUILT_IN
            .iter()
            .find(|(_, q)| *q == cur)
            .map(|(n, _)| n.to_string())
            .or_else(|| {
                views
                    .list
                    .with(|l| l.iter().find(|v| v.query == cur).map(|v| v.name.clone()))
            })
            .unwrap_or_default()
    });
    let pick = move |ev: leptos::ev::Event| {
        let n = event_target_value(&ev);
        if let Some(text) = views.find(&n) {
            let q = state.query.with_untracked(|q| apply(q, &text));
            let _ = state.go(&q, true);
            message.set(None);
        }
    };
    view! {
        <div class="views-bar">
            <label class="inline">
                "View"
                <select data-testid="view-select" prop:value=move || matching.get() on:change=pick>
                    <option value="" selected=move || matching.with(String::is_empty)>
                        "custom filters"
                    </option>
                    <optgroup label="Built in">
                        {BUILT_IN
                            .iter()
                            .map(|(n, _)| {
                                view! {
                                    <option value=*n selected=move || matching.with(|m| m == n)>
                                        {*n}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </optgroup>
                    <optgroup label="Saved">
                        <For each=move || views.list.get() key=|v| v.name.clone() let:v>
                            {
                                let n = v.name.clone();
                                view! {
                                    <option
                                        value=v.name.clone()
                                        selected=move || matching.with(|m| *m == n)
                                    >
                                        {v.name.clone()}
                                    </option>
                                }
                            }
                        </For>
                    </optgroup>
                </select>
            </label>
            <Menu id="menu-views".to_string() label="Save view".to_string() testid="view-save-menu">
                {move || {
                    lazy_view_quiet(
                        "the filter menus",
                        move || save_panel(views, name, message, current, matching),
                    )
                }}
            </Menu>
            {move || {
                views
                    .notice
                    .get()
                    .map(|m| {
                        view! {
                            <span class="notice" data-testid="views-notice">
                                {m}
                            </span>
                        }
                    })
            }}
        </div>
    }
}

// Naming, saving and deleting a view come with the other menus' panels, the first time
// one opens.
crate::split_fn!(
    detail;
    fn save_panel(
        views: SavedViews,
        name: RwSignal<String>,
        message: RwSignal<Option<(bool, String)>>,
        current: Memo<String>,
        matching: Memo<String>,
    ) -> AnyView {
        let save = move |_| match views.save(&name.get_untracked(), current.get_untracked()) {
            Ok(n) => {
                message.set(Some((
                    false,
                    format!("Saved “{n}”; every open tab lists it."),
                )));
                name.set(String::new());
            }
            Err(e) => message.set(Some((true, e))),
        };
        let delete = move |_| {
            let n = matching.get_untracked();
            if let Err(e) = views.delete(&n) {
                message.set(Some((true, e)));
            } else {
                message.set(Some((false, format!("Deleted “{n}”."))));
            }
        };
        let is_saved = move || {
            let m = matching.get();
            !m.is_empty() && !BUILT_IN.iter().any(|(b, _)| *b == m)
        };
        view! {
                    <div class="menu__form">
                        <input
                            data-testid="view-name"
                            type="text"
                            placeholder="name this view"
                            aria-label="Name for the current filters, sort and columns"
                            maxlength="60"
                            prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev))
                            on:keydown=move |ev| {
                                if ev.key() == "Enter" {
                                    ev.prevent_default();
                                    save(());
                                }
                            }
                        />
                        <button type="button" class="primary" data-testid="view-save" on:click=move |_| save(())>
                            "Save"
                        </button>
                        {move || {
                            is_saved()
                                .then(|| {
                                    view! {
                                        <button type="button" data-testid="view-delete" on:click=delete>
                                            {format!("Delete “{}”", matching.get())}
                                        </button>
                                    }
                                })
                        }}
                        {move || {
                            message
                                .get()
                                .map(|(err, m)| {
                                    view! {
                                        <span
                                            class=if err { "field-error" } else { "muted" }
                                            data-testid="view-message"
                                            role="status"
                                        >
                                            {m}
                                        </span>
                                    }
                                })
                        }}
                    </div>
        }
        .into_any()
    }
);
