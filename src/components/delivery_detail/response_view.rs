//! The response of one attempt: status, headers where the vendor gives them, and the body
//! as a JSON tree or as text, with a clear word when it is empty or was cut off.

use crate::components::delivery_detail::json_tree::JNode;
use crate::components::delivery_detail::json_view::{Doc, JsonView};
use hookscope_core::domain::{Attempt, Vendor};
use leptos::prelude::*;

/// Why a body needs a word of explanation, if it does.
pub fn body_note(vendor: Vendor, body: Option<&str>) -> Option<String> {
    let b = body?.trim();
    if b.is_empty() {
        return None;
    }
    let looks_json = b.starts_with('{') || b.starts_with('[');
    match JNode::parse(b) {
        Err(e) if looks_json && (e.contains("unexpected end") || e.contains("unterminated")) => Some(match vendor {
            Vendor::Burki => "This body is cut off: Burki shortens long response bodies in its logs, so the end is missing.".into(),
            _ => "This body ends before its JSON does: the vendor may have shortened it.".into(),
        }),
        Err(_) if looks_json => Some("This body starts like JSON but is not valid JSON; it is shown as text.".into()),
        _ => None,
    }
}

#[component]
pub fn ResponseView(attempt: Option<Attempt>, vendor: Vendor) -> impl IntoView {
    let Some(a) = attempt else {
        return view! {
            <p class="empty" data-testid="response-view">
                "No attempt selected."
            </p>
        }
        .into_any();
    };
    let status = match (a.http_code, a.error.as_deref()) {
        (Some(c), _) => format!("HTTP {c}"),
        (None, Some(e)) => format!("No HTTP answer: {}", hookscope_core::error::shorten(e, 500)),
        (None, None) => "No HTTP answer recorded".into(),
    };
    let headers = a.headers();
    let note = body_note(vendor, a.response_body.as_deref());
    let body = a.response_body.clone().unwrap_or_default();
    let doc = Doc::from_text(&body);
    let label = if body.trim().is_empty() {
        if a.response_body.is_some() {
            "Body: empty (the target sent no body)".to_string()
        } else {
            "Body: the vendor does not record it".to_string()
        }
    } else {
        "Body".to_string()
    };
    view! {
        <div class="response" data-testid="response-meta">
            <h3>{format!("Response of attempt #{}", a.number)}</h3>
            <p class="response__status mono" data-testid="response-status">
                {status}
            </p>
            {(!headers.is_empty())
                .then(|| {
                    view! {
                        <table class="response__headers">
                            <caption class="muted">"Headers"</caption>
                            <tbody>
                                {headers
                                    .into_iter()
                                    .map(|(k, v)| {
                                        view! {
                                            <tr>
                                                <th scope="row" class="mono">
                                                    {k}
                                                </th>
                                                <td class="mono">{v}</td>
                                            </tr>
                                        }
                                    })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                })}
            <JsonView doc=doc testid="response-view" label=label note=note.unwrap_or_default() />
        </div>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cut_off_and_odd_bodies_are_said() {
        assert!(body_note(Vendor::Burki, Some(r#"{"error": "upstream tim"#))
            .unwrap()
            .contains("Burki shortens"));
        assert!(body_note(Vendor::Talkover, Some(r#"[1, 2"#))
            .unwrap()
            .contains("shortened"));
        assert!(body_note(Vendor::Bland, Some("{not json}"))
            .unwrap()
            .contains("not valid JSON"));
        assert_eq!(body_note(Vendor::Burki, Some("Service Unavailable")), None);
        assert_eq!(body_note(Vendor::Burki, Some(r#"{"ok": true}"#)), None);
        assert_eq!(body_note(Vendor::Burki, Some("  ")), None);
        assert_eq!(body_note(Vendor::Burki, None), None);
    }
}
