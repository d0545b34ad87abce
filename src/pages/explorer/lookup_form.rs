//! The lookup form: connection, lookup kind, the kind's ID fields, "Look up" (replaces
//! the view) and "Add to view" (loads beside it), and demo IDs on demo connections.
//! The form's own state starts from the URL's first lookup and follows it (back/forward).

use crate::data::query::{ExplorerQuery, LookupSpec};
use crate::format::thousands;
use crate::platform::split::{lazy_view, prefetch};
use crate::platform::storage::{self, keys};
use crate::state::connections::Connections;
use crate::state::explorer::ExplorerState;
use crate::state::follow::Follow;
use hookscope_core::demo::data::{scale_hook, SCALES, SCALE_AGENT};
use hookscope_core::demo::examples::examples;
use hookscope_core::domain::Vendor;
use hookscope_core::lookup::{Field, Lookup, LookupForm as Form, LookupKind};
use hookscope_core::vendors::burki;
use leptos::prelude::*;

#[component]
pub fn LookupForm(
    state: ExplorerState,
    conns: Connections,
    /// What the form shows (`ExplorerState::form_draft`: the URL's first lookup until the
    /// person edits it; the page shows the demo badge by its connection).
    draft: Follow<LookupSpec>,
) -> impl IntoView {
    let q = state.query;
    let f_conn = move || draft.get().conn;
    // The kind always belongs to the connection's vendor.
    let kind = Memo::new(move |_| {
        let d = draft.get();
        match conns.get(&d.conn) {
            Some(c) if d.kind.vendor() != c.vendor => LookupKind::for_vendor(c.vendor)[0],
            _ => d.kind,
        }
    });
    // A hand-edited link with a bad ID shows its error at the field, as typing would; a
    // check of the person's own typing replaces it until the URL's lookup changes.
    let field_error = Follow::new(Memo::new(move |_| {
        state
            .lookups
            .slots
            .with(|s| s.first().and_then(|s| s.field_error.get()))
    }));
    let add_note = RwSignal::new(None::<String>);
    // What was typed but not yet looked up survives a reload or a crash of the tab.
    if q.with_untracked(|q| q.lookups.is_empty()) {
        if let Some(text) = storage::session_get(keys::LOOKUP_DRAFT) {
            let (d, _) = ExplorerQuery::parse(&text);
            let hint = q.with_untracked(|q| q.conn_hint.clone());
            if let Some(s) = d
                .lookups
                .into_iter()
                .next()
                .filter(|s| hint.as_ref().is_none_or(|h| *h == s.conn))
                .filter(|s| conns.get(&s.conn).is_some())
            {
                draft.set(s);
            }
        }
    }
    // The unsent text is kept in this tab's storage (a sync to storage, not a copy).
    Effect::new(move |_| {
        let d = draft.get();
        let unsent = ExplorerQuery {
            lookups: vec![LookupSpec::new(d.conn, kind.get(), &d.form)],
            ..Default::default()
        };
        storage::session_set(
            keys::LOOKUP_DRAFT,
            unsent.to_href().trim_start_matches("/explorer?"),
        );
    });

    let spec = move |form: Form| -> Option<LookupSpec> {
        let kind = kind.get_untracked();
        if let Err((f, e)) = Lookup::validate(kind, &form) {
            field_error.set(Some((f, e.to_string())));
            return None;
        }
        field_error.set(None);
        Some(LookupSpec::new(draft.get_untracked().conn, kind, &form))
    };
    let submit = move |form: Form| {
        add_note.set(None);
        if let Some(s) = spec(form) {
            if let Err(why) = state.look_up(s) {
                add_note.set(Some(why));
            }
        }
    };
    let add = move |_| {
        add_note.set(None);
        if let Some(s) = spec(draft.get_untracked().form) {
            if let Err(why) = state.add(s) {
                add_note.set(Some(why));
            }
        }
    };

    // Generated volumes live on the demo Talkover connection, whichever demo is picked.
    let load_scale = move |n: usize| {
        let talkover = conns.list.with_untracked(|l| {
            l.iter()
                .find(|c| c.demo && c.vendor == Vendor::Talkover)
                .map(|c| c.name.clone())
        });
        if let Some(name) = talkover {
            let form = Form {
                owner_id: SCALE_AGENT.into(),
                webhook_id: scale_hook(n),
                ..Default::default()
            };
            draft.set(LookupSpec {
                conn: name.clone(),
                kind: LookupKind::TalkoverAgent,
                form: form.clone(),
            });
            let _ = state.look_up(LookupSpec::new(name, LookupKind::TalkoverAgent, &form));
        }
    };
    let pick = Callback::new(move |form: Form| {
        draft.update(|d| d.form = form.clone());
        submit(form)
    });
    let scale = Callback::new(load_scale);
    let field_msg = move |f: Field| {
        move || {
            field_error.get().filter(|(ff, _)| *ff == f).map(|(_, m)| {
                view! {
                    <p class="field-error" data-testid="field-error" role="alert">
                        {m}
                    </p>
                }
            })
        }
    };
    let conn_vendor = Memo::new(move |_| conns.get(&f_conn()).map(|c| c.vendor));
    let is_demo_conn = Memo::new(move |_| conns.get(&f_conn()).map(|c| c.demo).unwrap_or(false));

    let text_input =
        move |testid: &'static str, get: fn(&Form) -> String, set: fn(&mut Form, String)| {
            view! {
                <input
                    data-testid=testid
                    type="text"
                    spellcheck="false"
                    prop:value=move || get(&draft.get().form)
                    on:input=move |ev| draft.update(|d| set(&mut d.form, event_target_value(&ev)))
                />
            }
        };

    view! {
        <form
            class="card lookup"
            on:focusin=move |_| prefetch(super::preload_results)
            on:submit=move |ev| {
                ev.prevent_default();
                submit(draft.get_untracked().form)
            }
            novalidate
        >
            <div class="lookup__row">
                <label>
                    "Connection"
                    <select
                        data-testid="lookup-connection"
                        prop:value=f_conn
                        on:change=move |ev| {
                            let c = event_target_value(&ev);
                            draft.update(|d| d.conn = c);
                            field_error.set(None);
                        }
                    >
                        <For each=move || conns.list.get() key=|c| c.name.clone() let:c>
                            <option value=c.name.clone() selected=move || f_conn() == c.name>
                                {format!("{} · {}", c.name, c.vendor.label())}
                            </option>
                        </For>
                    </select>
                </label>
                <label>
                    "Lookup"
                    <select
                        data-testid="lookup-kind"
                        prop:value=move || kind.get().id()
                        on:change=move |ev| {
                            if let Some(k) = LookupKind::parse(&event_target_value(&ev)) {
                                draft.update(|d| d.kind = k);
                                field_error.set(None);
                            }
                        }
                    >
                        {move || {
                            let kinds = conn_vendor
                                .get()
                                .map(LookupKind::for_vendor)
                                .unwrap_or_else(|| LookupKind::ALL.to_vec());
                            kinds
                                .into_iter()
                                .map(|k| {
                                    view! {
                                        <option value=k.id() selected=move || kind.get() == k>
                                            {k.label()}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                {move || {
                    let kind = kind.get();
                    if kind.uses_owner() {
                        view! {
                            <label>
                                {kind.id_label()}
                                {text_input(
                                    "lookup-owner-id",
                                    |f| f.owner_id.clone(),
                                    |f, v| f.owner_id = v,
                                )} {field_msg(Field::OwnerId)}
                            </label>
                            <label>
                                "Webhook ID"
                                {text_input(
                                    "lookup-webhook-id",
                                    |f| f.webhook_id.clone(),
                                    |f, v| f.webhook_id = v,
                                )} {field_msg(Field::WebhookId)}
                            </label>
                        }
                            .into_any()
                    } else {
                        let placeholder = match kind {
                            LookupKind::BurkiCall => "e.g. 1001, or several: 1001, 1002",
                            LookupKind::BlandSms => "one or more, separated by commas or spaces",
                            _ => "one or more call IDs, separated by commas or spaces",
                        };
                        view! {
                            <label class="grow">
                                {kind.id_label()}
                                <input
                                    data-testid="lookup-id"
                                    type="text"
                                    spellcheck="false"
                                    placeholder=placeholder
                                    prop:value=move || draft.get().form.id
                                    on:input=move |ev| {
                                        draft.update(|d| d.form.id = event_target_value(&ev))
                                    }
                                /> {field_msg(Field::Id)}
                            </label>
                            {(kind == LookupKind::BurkiCall)
                                .then(|| {
                                    view! {
                                        <label>
                                            "Webhook type"
                                            <select
                                                data-testid="lookup-webhook-type"
                                                prop:value=move || draft.get().form.webhook_type
                                                on:change=move |ev| {
                                                    draft
                                                        .update(|d| d.form.webhook_type = event_target_value(&ev))
                                                }
                                            >
                                                <option value="">"all types"</option>
                                                {burki::WEBHOOK_TYPES
                                                    .iter()
                                                    .map(|t| {
                                                        view! {
                                                            <option
                                                                value=*t
                                                                selected=move || draft.get().form.webhook_type == *t
                                                            >
                                                                {*t}
                                                            </option>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </select>
                                        </label>
                                    }
                                })}
                        }
                            .into_any()
                    }
                }}
                <div class="lookup__buttons">
                    <button data-testid="lookup-submit" class="primary" type="submit">
                        "Look up"
                    </button>
                    <button
                        data-testid="lookup-add"
                        type="button"
                        title="Load this lookup beside what the view shows (any vendor, any connection)"
                        on:click=add
                    >
                        "Add to view"
                    </button>
                </div>
            </div>
            {move || {
                add_note
                    .get()
                    .map(|m| {
                        view! {
                            <p class="field-error" data-testid="lookup-add-note" role="alert">
                                {m}
                            </p>
                        }
                    })
            }}
            {move || {
                is_demo_conn
                    .get()
                    .then(|| {
                        let kind = kind.get();
                        lazy_view("the demo examples", move || demo_examples(kind, pick, scale))
                    })
            }}
        </form>
    }
}

// The demo's example IDs come with the demo generator's chunk (they are made from it).
crate::split_fn!(
    demo;
    fn demo_examples(kind: LookupKind, pick: Callback<Form>, scale: Callback<usize>) -> AnyView {
        view! {
            <div class="examples" data-testid="demo-examples">
                <span class="muted">"Demo IDs: "</span>
                {examples(kind, chrono::Utc::now())
                    .into_iter()
                    .map(|(label, form)| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-testid="demo-example"
                                on:click=move |_| pick.run(form.clone())
                            >
                                {label}
                            </button>
                        }
                    })
                    .collect_view()}
                <label class="inline">
                    <span class="muted">"Volume: "</span>
                    <select
                        data-testid="demo-scale"
                        aria-label="Load a generated volume of demo deliveries"
                        on:change=move |ev| {
                            if let Ok(n) = event_target_value(&ev).parse::<usize>() {
                                scale.run(n);
                            }
                        }
                    >
                        <option value="" selected>
                            "generate…"
                        </option>
                        {SCALES
                            .iter()
                            .map(|n| {
                                view! {
                                    <option value=n.to_string() data-n=n.to_string()>
                                        {format!("{} deliveries", thousands(*n))}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </label>
            </div>
        }
        .into_any()
    }
);
