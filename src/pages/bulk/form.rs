//! The form: mode, connection, webhook URL, the pasted call IDs and what was understood.

use crate::state::bulk::{cannot_send, BulkCtl, Phase};
use hookscope_core::bulk::{check_webhook_url, InputShape, Mode};
use hookscope_core::demo::data as demo;
use hookscope_core::domain::Vendor;
use leptos::prelude::*;

#[component]
pub fn BulkForm(ctl: BulkCtl) -> impl IntoView {
    let editing = move || matches!(ctl.phase.get(), Phase::Editing | Phase::Done);
    // Every change is kept, so a reload loses nothing typed.
    Effect::new(move |_| {
        ctl.text.track();
        ctl.mode.track();
        ctl.url.track();
        ctl.conn.track();
        ctl.save_draft();
    });
    let url_check = Memo::new(move |_| check_webhook_url(&ctl.url.get()));
    view! {
        <form
            class="card bulk-form"
            on:submit=move |ev| {
                ev.prevent_default();
                ctl.review();
            }
            novalidate
        >
            <div class="lookup__row">
                <label>
                    "Mode"
                    <select
                        data-testid="bulk-mode"
                        prop:value=move || ctl.mode.get().id()
                        disabled=move || !editing()
                        on:change=move |ev| {
                            if let Some(m) = Mode::parse(&event_target_value(&ev)) {
                                ctl.mode.set(m);
                                ctl.checks.set(Default::default());
                            }
                        }
                    >
                        <option value="create" selected=move || ctl.mode.get() == Mode::Create>
                            "Create post-call webhooks"
                        </option>
                        <option value="resend" selected=move || ctl.mode.get() == Mode::Resend>
                            "Resend to the original URL"
                        </option>
                    </select>
                </label>
                <label>
                    "Connection"
                    <select
                        data-testid="bulk-connection"
                        prop:value=move || ctl.conn.get()
                        disabled=move || !editing()
                        on:change=move |ev| ctl.conn.set(event_target_value(&ev))
                    >
                        {move || {
                            ctl.conns
                                .list
                                .get()
                                .into_iter()
                                .filter(|c| c.vendor == Vendor::Bland)
                                .map(|c| {
                                    let why = cannot_send(Some(&c));
                                    let name = c.name.clone();
                                    let selected = ctl.conn.get_untracked() == name;
                                    view! {
                                        <option
                                            value=name.clone()
                                            selected=selected
                                            title=why.clone().unwrap_or_default()
                                        >
                                            {format!(
                                                "{}{}",
                                                name,
                                                if c.readonly_reason().is_some() {
                                                    " (read-only)"
                                                } else {
                                                    ""
                                                },
                                            )}
                                        </option>
                                    }
                                })
                                .collect_view()
                        }}
                    </select>
                </label>
                {move || {
                    (ctl.mode.get() == Mode::Create)
                        .then(|| {
                            view! {
                                <label class="grow">
                                    "Webhook URL"
                                    <input
                                        data-testid="bulk-url"
                                        type="url"
                                        placeholder="https://your-server.example/bland/post-call"
                                        prop:value=move || ctl.url.get()
                                        disabled=move || !editing()
                                        on:input=move |ev| {
                                            ctl.url.set(event_target_value(&ev));
                                            ctl.url_accepted.set(false);
                                        }
                                    />
                                    {move || match url_check.get() {
                                        Err(e) if !ctl.url.get().trim().is_empty() => {
                                            view! {
                                                <small class="field-error" data-testid="bulk-url-error">
                                                    {e}
                                                </small>
                                            }
                                                .into_any()
                                        }
                                        Ok((_, w)) if !w.is_empty() => {
                                            view! {
                                                <div
                                                    class="field-warning"
                                                    data-testid="bulk-url-warnings"
                                                    role="status"
                                                >
                                                    <ul>
                                                        {w
                                                            .into_iter()
                                                            .map(|x| view! { <li>{x}</li> })
                                                            .collect_view()}
                                                    </ul>
                                                    <label class="check">
                                                        <input
                                                            data-testid="bulk-url-accept"
                                                            type="checkbox"
                                                            prop:checked=move || ctl.url_accepted.get()
                                                            on:change=move |ev| {
                                                                ctl.url_accepted.set(event_target_checked(&ev))
                                                            }
                                                        />
                                                        "I understand; send to this URL anyway"
                                                    </label>
                                                </div>
                                            }
                                                .into_any()
                                        }
                                        _ => ().into_any(),
                                    }}
                                </label>
                            }
                        })
                }}
            </div>
            <IdsInput ctl=ctl />
            <div class="form__buttons">
                <button
                    type="button"
                    data-testid="bulk-preflight"
                    disabled=move || !editing() || ctl.rows.with(Vec::is_empty)
                    title="Looks up each call's current post-call webhook first, so you see which calls Bland will refuse"
                    on:click=move |_| ctl.start_preflight()
                >
                    "Preflight"
                </button>
                // Nothing to review until an ID is understood; the reason is the button's title.
                <button
                    type="submit"
                    class="primary"
                    data-testid="bulk-review"
                    disabled=move || {
                        !editing()
                            || ctl.parsed.with(|x| x.valid.is_empty())
                                && ctl.to_send.with(Vec::is_empty)
                    }
                    title="Shows what will be sent, and asks before sending (paste call IDs first)"
                >
                    "Review…"
                </button>
                <details class="bulk-advanced">
                    <summary>"Request size and concurrency"</summary>
                    <label class="inline">
                        "IDs per request"
                        <input
                            data-testid="bulk-chunk"
                            type="number"
                            min="1"
                            max="500"
                            prop:value=move || ctl.chunk.get().to_string()
                            on:change=move |ev| {
                                ctl.chunk
                                    .set(
                                        event_target_value(&ev)
                                            .trim()
                                            .parse::<usize>()
                                            .unwrap_or(50)
                                            .clamp(1, 500),
                                    )
                            }
                        />
                    </label>
                    <label class="inline">
                        "In parallel"
                        <input
                            data-testid="bulk-concurrency"
                            type="number"
                            min="1"
                            max="8"
                            prop:value=move || ctl.concurrency.get().to_string()
                            on:change=move |ev| {
                                ctl.concurrency
                                    .set(
                                        event_target_value(&ev)
                                            .trim()
                                            .parse::<usize>()
                                            .unwrap_or(2)
                                            .clamp(1, 8),
                                    )
                            }
                        />
                    </label>
                </details>
            </div>
            {move || {
                ctl.problem
                    .get()
                    .map(|p| {
                        view! {
                            <p class="notice notice--warn" data-testid="bulk-problem" role="alert">
                                {p}
                            </p>
                        }
                    })
            }}
        </form>
    }
}

/// The call-ID box: paste, type, drop or choose a file; shows at once what was understood
/// and lets each invalid entry be fixed where it stands.
#[component]
fn IdsInput(ctl: BulkCtl) -> impl IntoView {
    let read_file = move |file: web_sys::File| {
        let text = ctl.text;
        leptos::task::spawn_local(async move {
            match wasm_bindgen_futures::JsFuture::from(file.text()).await {
                Ok(v) => text.set(v.as_string().unwrap_or_default()),
                Err(_) => ctl.problem.set(Some(
                    "The file could not be read; save it as .csv or .txt and try again.".into(),
                )),
            }
        });
    };
    let on_drop = move |ev: leptos::ev::DragEvent| {
        ev.prevent_default();
        if let Some(f) = ev
            .data_transfer()
            .and_then(|d| d.files())
            .and_then(|f| f.get(0))
        {
            read_file(f);
        }
    };
    let is_demo = Memo::new(move |_| ctl.connection_is_demo());
    view! {
        <label class="bulk-ids">
            "Call IDs"
            <textarea
                data-testid="bulk-ids"
                rows="8"
                spellcheck="false"
                placeholder="One per line, or separated by commas, semicolons or spaces; a CSV with a call_id column; a JSON array. You can also drop a .csv or .txt file here."
                prop:value=move || ctl.text.get()
                on:input=move |ev| ctl.text.set(event_target_value(&ev))
                on:dragover=move |ev: leptos::ev::DragEvent| ev.prevent_default()
                on:drop=on_drop
            ></textarea>
        </label>
        <div class="bulk-file">
            <label class="inline">
                "or choose a file"
                <input
                    data-testid="bulk-file"
                    type="file"
                    accept=".csv,.txt,text/csv,text/plain"
                    on:change=move |ev| {
                        use wasm_bindgen::JsCast;
                        let input = event_target::<web_sys::HtmlInputElement>(&ev);
                        if let Some(f) = input.files().and_then(|f| f.get(0)) {
                            read_file(f);
                        }
                        let _ = input
                            .dyn_ref::<web_sys::HtmlInputElement>()
                            .map(|i| i.set_value(""));
                    }
                />
            </label>
            {move || {
                is_demo
                    .get()
                    .then(|| {
                        view! {
                            <button
                                type="button"
                                class="chip"
                                data-testid="bulk-demo-ids"
                                on:click=move |_| ctl.text.set(demo_ids())
                            >
                                "Demo IDs: 150 calls, a few invalid and failing"
                            </button>
                        }
                    })
            }}
        </div>
        {move || {
            ctl.parsed
                .with(|p| {
                    let shape = match p.shape {
                        InputShape::Empty => "nothing pasted yet".to_string(),
                        InputShape::List => "read as a list".to_string(),
                        InputShape::Json => "read as a JSON array".to_string(),
                        InputShape::Csv => {
                            format!(
                                "read as CSV, column “{}”",
                                p.column.clone().unwrap_or_default(),
                            )
                        }
                    };
                    view! {
                        <p
                            class="bulk-parsed"
                            data-testid="bulk-parsed"
                            data-valid=p.valid.len().to_string()
                            data-duplicates=p.duplicates.to_string()
                            data-invalid=p.invalid.len().to_string()
                            role="status"
                        >
                            <strong>{format!("{} valid call ID(s)", p.valid.len())}</strong>
                            {format!(
                                " · {} duplicate(s) removed · {} invalid · {shape}",
                                p.duplicates,
                                p.invalid.len(),
                            )}
                        </p>
                    }
                })
        }}
        {move || {
            ctl.parsed
                .with(|p| {
                    (!p.invalid.is_empty())
                        .then(|| {
                            let items = p
                                .invalid
                                .iter()
                                .take(200)
                                .map(|bad| {
                                    let span = bad.span;
                                    view! {
                                        <li data-testid="bulk-invalid">
                                            <span class="field-error">{bad.reason.clone()}</span>
                                            {span
                                                .map(|(a, b)| {
                                                    view! {
                                                        <input
                                                            data-testid="bulk-invalid-fix"
                                                            type="text"
                                                            spellcheck="false"
                                                            prop:value=bad.raw.clone()
                                                            aria-label="Fix this entry"
                                                            on:change=move |ev| {
                                                                let fixed = event_target_value(&ev);
                                                                ctl.text
                                                                    .update(|t| {
                                                                        if t.get(a..b).is_some() {
                                                                            t.replace_range(a..b, &fixed)
                                                                        }
                                                                    });
                                                            }
                                                        />
                                                    }
                                                })}
                                        </li>
                                    }
                                })
                                .collect_view();
                            view! { <ul class="bulk-invalid-list">{items}</ul> }
                        })
                })
        }}
    }
}

/// The demo set: every demo call, a few repeated, invalid and failing entries.
fn demo_ids() -> String {
    let mut lines: Vec<String> = (0..demo::BLAND_CALLS).map(demo::bland_call_id).collect();
    lines.push(demo::bland_call_id(0));
    lines.push("..".into());
    lines.push("fail-demo-1".into());
    lines.push("call-that-does-not-exist".into());
    lines.join("\n")
}
