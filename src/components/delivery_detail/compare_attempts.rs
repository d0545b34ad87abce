//! Two attempts side by side: status, timing, trigger, error, headers and body, with the
//! differences marked (a line diff of the bodies). All text, never markup.

use crate::components::delivery_detail::diff::{lines, Line};
use crate::format;
use hookscope_core::domain::Attempt;
use leptos::prelude::*;

/// The body as compared: its start only when large (the whole is in the response view).
fn body_text(a: &Attempt) -> String {
    let body = a.response_body.as_deref().unwrap_or_default();
    let (head, left) = format::clip(body, format::SCREEN_TEXT_BYTES);
    let mut text = format::pretty_body(head);
    if left > 0 {
        text.push_str(&format!(
            "\n… ({} more not compared)",
            hookscope_core::error::size_words(left as u64)
        ));
    }
    text
}

fn headers_text(a: &Attempt) -> String {
    a.response_headers
        .as_ref()
        .map(|h| format::pretty_json(&h.value()))
        .unwrap_or_default()
}

/// The facts compared in the table, as (label, value) pairs.
fn facts(a: &Attempt) -> Vec<(&'static str, String)> {
    vec![
        ("Outcome", a.outcome.id().to_string()),
        ("HTTP", format::http_code(a.http_code)),
        ("Duration", format::duration(a.duration_ms)),
        ("Trigger", a.trigger.to_string()),
        (
            "Time",
            a.at.as_ref()
                .map(|t| t.raw().into_owned())
                .unwrap_or_default(),
        ),
        ("Error", a.error.as_deref().unwrap_or_default().to_string()),
    ]
}

#[component]
pub fn CompareAttempts(attempts: Vec<Attempt>) -> impl IntoView {
    let n = attempts.len();
    let left = RwSignal::new(n.saturating_sub(2));
    let right = RwSignal::new(n.saturating_sub(1));
    let attempts = StoredValue::new(attempts);
    let picker = move |sel: RwSignal<usize>, label: &'static str| {
        view! {
            <label class="inline">
                {label}
                <select
                    prop:value=move || sel.get().to_string()
                    on:change=move |ev| {
                        let v: Option<usize> = event_target_value(&ev).parse().ok();
                        if let Some(i) = v {
                            sel.set(i)
                        }
                    }
                >
                    {attempts
                        .with_value(|a| {
                            a.iter()
                                .enumerate()
                                .map(|(i, x)| {
                                    view! {
                                        <option value=i.to_string() selected=move || sel.get() == i>
                                            {format!(
                                                "#{} {} {}",
                                                x.number,
                                                x.outcome.id(),
                                                format::http_code(x.http_code),
                                            )}
                                        </option>
                                    }
                                })
                                .collect_view()
                        })}
                </select>
            </label>
        }
    };
    let table = move || {
        attempts.with_value(|all| {
            let (Some(a), Some(b)) = (all.get(left.get()), all.get(right.get())) else {
                return ().into_any();
            };
            let rows = facts(a)
                .into_iter()
                .zip(facts(b))
                .map(|((label, x), (_, y))| {
                    let differs = x != y;
                    view! {
                        <tr class:differs=differs data-differs=differs.to_string()>
                            <th scope="row">{label}</th>
                            <td class="mono">{x}</td>
                            <td class="mono">{y}</td>
                        </tr>
                    }
                })
                .collect_view();
            let diff_view = |title: &'static str, x: String, y: String| {
                let body = match lines(&x, &y) {
                    None => view! { <p class="muted">"Too long to compare line by line."</p> }
                        .into_any(),
                    Some(d) if d.iter().all(|l| matches!(l, Line::Same(_))) => {
                        view! { <p class="muted">"Identical."</p> }.into_any()
                    }
                    Some(d) => view! {
                        <pre class="diff">
                            {d
                                .into_iter()
                                .map(|l| match l {
                                    Line::Same(s) => {
                                        view! {
                                            <span class="diff__same">{format!("  {s}\n")}</span>
                                        }
                                            .into_any()
                                    }
                                    Line::Removed(s) => {
                                        view! {
                                            <span class="diff__removed" data-diff="removed">
                                                {format!("- {s}\n")}
                                            </span>
                                        }
                                            .into_any()
                                    }
                                    Line::Added(s) => {
                                        view! {
                                            <span class="diff__added" data-diff="added">
                                                {format!("+ {s}\n")}
                                            </span>
                                        }
                                            .into_any()
                                    }
                                })
                                .collect_view()}
                        </pre>
                    }
                    .into_any(),
                };
                view! {
                    <h4>{title}</h4>
                    {body}
                }
            };
            view! {
                <table class="compare__facts">
                    <thead>
                        <tr>
                            <th scope="col"></th>
                            <th scope="col">{format!("#{}", a.number)}</th>
                            <th scope="col">{format!("#{}", b.number)}</th>
                        </tr>
                    </thead>
                    <tbody>{rows}</tbody>
                </table>
                {diff_view("Headers", headers_text(a), headers_text(b))}
                {diff_view("Body", body_text(a), body_text(b))}
            }
            .into_any()
        })
    };
    view! {
        <details class="compare" data-testid="compare-attempts">
            <summary>"Compare two attempts"</summary>
            <div class="compare__pickers">{picker(left, "First")}{picker(right, "Second")}</div>
            {table}
        </details>
    }
}
