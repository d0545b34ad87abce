//! Lookup and explorer: the form, the filterable delivery table and the detail panel.
//!
//! The URL holds the whole view (connection, lookup, filters, selection) so a link pasted
//! into a ticket reopens it; keys never go into the URL. Submitting the form navigates;
//! the lookup runs whenever the URL's lookup part changes (or on Refresh).

use crate::client::{self, LoadState, LookupResult, Progress};
use crate::components::delivery_detail::{DeliveryDetail, Origin};
use crate::components::delivery_table::DeliveryTable;
use crate::components::error_banner::ErrorBanner;
use crate::components::replay_many::{ReplayMany, ReplayState};
use crate::export;
use crate::filters::{status_counts, Filters, Sort, SortKey};
use crate::state::connections::{Connection, Connections};
use crate::transport::{CancelToken, Failure};
use crate::DemoOnScreen;
use hookscope_core::demo::data as demo;
use hookscope_core::diagnosis::cause_counts;
use hookscope_core::domain::{Delivery, DeliveryStatus};
use hookscope_core::error::ApiError;
use hookscope_core::ids::PathId;
use hookscope_core::lookup::{Field, Lookup, LookupForm, LookupKind};
use hookscope_core::request::encode_component;
use hookscope_core::vendors::{burki, talkover};
use leptos::prelude::*;
use leptos::task::spawn_local;
use leptos_router::hooks::{use_navigate, use_query_map};
use leptos_router::NavigateOptions;
use std::rc::Rc;

/// Every query parameter the explorer owns, in the order URLs are written.
const PARAMS: [&str; 14] = [
    "c", "k", "id", "owner", "wh", "type", "status", "event", "code", "q", "from", "to", "sort",
    "sel",
];

/// The filter parameters ("Clear filters" empties these).
const FILTER_PARAMS: [&str; 6] = ["status", "event", "code", "q", "from", "to"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum BodyState {
    Empty,
    NoMatches,
    Table,
}

/// The lookup part of the URL.
#[derive(Clone, Debug, PartialEq)]
struct Spec {
    conn: String,
    kind: LookupKind,
    form: LookupForm,
}

/// `get` reads one URL parameter (a closure so this stays pure and host-testable).
fn spec_from(get: impl Fn(&str) -> Option<String>) -> Option<Spec> {
    let conn = get("c").filter(|c| !c.is_empty())?;
    let kind = LookupKind::parse(&get("k").unwrap_or_default())?;
    let form = LookupForm {
        id: get("id").unwrap_or_default(),
        owner_id: get("owner").unwrap_or_default(),
        webhook_id: get("wh").unwrap_or_default(),
        webhook_type: get("type").unwrap_or_default(),
    };
    if form.id.is_empty() && form.owner_id.is_empty() && form.webhook_id.is_empty() {
        return None;
    }
    Some(Spec { conn, kind, form })
}

/// Builds `/explorer?…` from (name, value) pairs, leaving out empty values.
pub fn explorer_url(pairs: &[(&str, String)]) -> String {
    let q: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if q.is_empty() {
        "/explorer".into()
    } else {
        format!("/explorer?{}", q.join("&"))
    }
}

/// The current URL with some parameters replaced.
fn with_params(get: impl Fn(&str) -> Option<String>, changes: &[(&str, String)]) -> String {
    debug_assert!(
        changes.iter().all(|(k, _)| PARAMS.contains(k)),
        "every parameter the explorer writes must be in PARAMS"
    );
    let pairs: Vec<(&str, String)> = PARAMS
        .iter()
        .map(|k| match changes.iter().find(|(c, _)| c == k) {
            Some((_, v)) => (*k, v.clone()),
            None => (*k, get(k).unwrap_or_default()),
        })
        .collect();
    explorer_url(&pairs)
}

/// Demo IDs to try, per lookup kind: (label, form).
fn demo_examples(kind: LookupKind) -> Vec<(String, LookupForm)> {
    let id = |s: String| LookupForm {
        id: s,
        ..Default::default()
    };
    let to = |o: &str, w: &str| LookupForm {
        owner_id: o.into(),
        webhook_id: w.into(),
        ..Default::default()
    };
    match kind {
        LookupKind::BlandCall => vec![
            ("one call".into(), id(demo::bland_call_id(1))),
            (
                "failed, then resent".into(),
                id(demo::bland_call_id(
                    demo::bland_call_resent_after_failure(chrono::Utc::now()).unwrap_or(1),
                )),
            ),
            (
                "120 calls".into(),
                id((0..120)
                    .map(demo::bland_call_id)
                    .collect::<Vec<_>>()
                    .join(", ")),
            ),
            (
                "call with no webhook yet".into(),
                id(demo::bland_call_id(9)),
            ),
            ("error: bad key (401)".into(), id("err-401".into())),
            ("error: rate limited (429)".into(), id("err-429".into())),
            ("error: proxy HTML page".into(), id("err-html".into())),
        ],
        LookupKind::BlandSms => vec![
            (
                "documented example".into(),
                id(demo::BLAND_DOC_CONVERSATION.into()),
            ),
            (
                "all 40 conversations".into(),
                id((0..demo::BLAND_CONVERSATIONS)
                    .map(demo::bland_conversation_id)
                    .collect::<Vec<_>>()
                    .join(", ")),
            ),
            (
                "no webhook sent yet".into(),
                id(demo::bland_conversation_id(7)),
            ),
            ("error: not Enterprise (403)".into(), id("err-403".into())),
        ],
        LookupKind::BurkiCall => vec![
            ("call 1001".into(), id("1001".into())),
            ("three calls at once".into(), id("1001, 1002, 1003".into())),
            (
                "call with failed deliveries".into(),
                id(demo::burki_call_with_failures(chrono::Utc::now())
                    .unwrap_or(demo::BURKI_FIRST_CALL)
                    .to_string()),
            ),
            ("error: server (990500)".into(), id("990500".into())),
            ("error: truncated (990002)".into(), id("990002".into())),
        ],
        LookupKind::TalkoverAgent => vec![
            (
                "support agent, primary webhook".into(),
                to("agt_demo_support", "wh_demo_primary"),
            ),
            (
                "support agent, CRM webhook".into(),
                to("agt_demo_support", "wh_demo_crm"),
            ),
            (
                "error: unknown webhook (404)".into(),
                to("agt_demo_support", "wh_missing"),
            ),
        ],
        LookupKind::TalkoverCampaign => vec![(
            "winter campaign".into(),
            to("cmp_demo_winter", "wh_demo_campaign"),
        )],
    }
}

/// The form as the URL holds it: trimmed, and only the fields this kind uses.
fn normalise(kind: LookupKind, f: &LookupForm) -> LookupForm {
    let keep = |on: bool, v: &str| {
        if on {
            v.trim().to_string()
        } else {
            String::new()
        }
    };
    LookupForm {
        id: keep(!kind.uses_owner(), &f.id),
        owner_id: keep(kind.uses_owner(), &f.owner_id),
        webhook_id: keep(kind.uses_owner(), &f.webhook_id),
        webhook_type: keep(kind == LookupKind::BurkiCall, &f.webhook_type),
    }
}

fn form_pairs(conn: &str, kind: LookupKind, f: &LookupForm) -> Vec<(&'static str, String)> {
    let f = normalise(kind, f);
    vec![
        ("c", conn.to_string()),
        ("k", kind.id().to_string()),
        ("id", f.id),
        ("owner", f.owner_id),
        ("wh", f.webhook_id),
        ("type", f.webhook_type),
    ]
}

#[component]
pub fn ExplorerPage() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let demo_on_screen = expect_context::<DemoOnScreen>().0;
    let query = use_query_map();
    let navigate = use_navigate();
    let param = move |k: &'static str| query.with(|m| m.get(k).unwrap_or_default());
    let spec = Memo::new(move |_| query.with(|m| spec_from(|k| m.get(k))));

    // First open: nothing asked yet and only demo connections — show the demo at once.
    if query.with_untracked(|m| m.get("c").is_none()) {
        let all_demo = conns
            .list
            .with_untracked(|l| !l.is_empty() && l.iter().all(|c| c.demo));
        if all_demo && conns.get("Demo Talkover").is_some() {
            let url = explorer_url(&form_pairs(
                "Demo Talkover",
                LookupKind::TalkoverAgent,
                &LookupForm {
                    owner_id: "agt_demo_support".into(),
                    webhook_id: "wh_demo_primary".into(),
                    ..Default::default()
                },
            ));
            navigate(
                &url,
                NavigateOptions {
                    replace: true,
                    ..Default::default()
                },
            );
        }
    }

    // The form's own state: starts from the URL and follows it (back/forward, links).
    let first_conn = conns
        .list
        .with_untracked(|l| l.first().map(|c| c.name.clone()).unwrap_or_default());
    let url_conn = query.with_untracked(|m| m.get("c").unwrap_or_default());
    let f_conn = RwSignal::new(if url_conn.is_empty() {
        first_conn
    } else {
        url_conn
    });
    let f_kind = RwSignal::new(LookupKind::BlandCall);
    let f_form = RwSignal::new(LookupForm::default());
    let field_error = RwSignal::new(None::<(Field, String)>);
    let sync_kind_to_conn = move || {
        if let Some(c) = conns.get(&f_conn.get_untracked()) {
            if f_kind.get_untracked().vendor() != c.vendor {
                f_kind.set(LookupKind::for_vendor(c.vendor)[0]);
            }
        }
    };
    sync_kind_to_conn();
    Effect::new(move |_| {
        if let Some(s) = spec.get() {
            f_conn.set(s.conn.clone());
            f_kind.set(s.kind);
            f_form.set(s.form.clone());
        }
    });

    let result = RwSignal::new(None::<(Spec, LookupResult)>);
    let failures = RwSignal::new(Vec::<ApiError>::new());
    let problem = RwSignal::new(None::<String>);
    let loading = RwSignal::new(None::<LoadState>);
    let refresh = RwSignal::new(0u32);
    let current = StoredValue::new_local(None::<CancelToken>);
    // `try_`: also called from on_cleanup, when the stored value may already be gone.
    let cancel_current = move || {
        let _ = current.try_update_value(|t| {
            if let Some(t) = t.take() {
                t.cancel()
            }
        });
    };

    let nav = navigate.clone();
    let set_param = move |k: &'static str, v: String| {
        let url = query.with_untracked(|m| with_params(|k| m.get(k), &[(k, v)]));
        nav(
            &url,
            NavigateOptions {
                replace: true,
                scroll: false,
                ..Default::default()
            },
        );
    };
    let set_param = StoredValue::new(set_param);

    Effect::new(move |_| {
        refresh.track();
        let Some(spec) = spec.get() else {
            // A link naming a lookup kind we do not know: say so rather than show nothing.
            let k = query.with(|m| m.get("k")).unwrap_or_default();
            if !k.is_empty() && LookupKind::parse(&k).is_none() {
                problem.set(Some(format!(
                    "This link asks for the lookup “{k}”, which hookscope does not know. Choose a lookup below; known ones are {}.",
                    LookupKind::ALL.map(|k| k.id()).join(", ")
                )));
            }
            return;
        };
        cancel_current();
        loading.set(None);
        problem.set(None);
        field_error.set(None);
        let Some(conn) = conns.get(&spec.conn) else {
            problem.set(Some(format!(
                "This link asks for the connection “{}”, which does not exist in this browser. Add a connection with that name in Connections (keys are never part of links), or pick another connection below.",
                spec.conn
            )));
            return;
        };
        if spec.kind.vendor() != conn.vendor {
            problem.set(Some(format!(
                "“{}” is a {} connection; the lookup “{}” is for {}.",
                conn.name,
                conn.vendor.label(),
                spec.kind.label(),
                spec.kind.vendor().label()
            )));
            return;
        }
        let lookup = match Lookup::validate(spec.kind, &spec.form) {
            Ok(l) => l,
            Err((f, e)) => {
                field_error.set(Some((f, e.to_string())));
                return;
            }
        };
        let token = CancelToken::new();
        current.set_value(Some(token.clone()));
        // The total arrives with the first progress report.
        loading.set(Some(LoadState::default()));
        failures.set(vec![]);
        spawn_local(async move {
            let progress: Progress = Rc::new(move |state| {
                if loading.try_get_untracked().flatten().is_some() {
                    loading.set(Some(state));
                }
            });
            let r = client::run(&conn, &lookup, &token, progress).await;
            if token.is_cancelled() {
                return;
            }
            match r {
                Err(Failure::Cancelled) => {}
                Err(Failure::Api(e)) => failures.set(vec![e]),
                Ok(res) => {
                    failures.set(res.failures.clone());
                    // A lookup that failed outright keeps the previous results on screen.
                    if !(res.deliveries.is_empty()
                        && !res.failures.is_empty()
                        && res.notes.is_empty())
                    {
                        // A lookup that finds one delivery opens it (and the URL says so).
                        let only =
                            (res.deliveries.len() == 1).then(|| res.deliveries[0].id.clone());
                        result.set(Some((spec, res)));
                        if let Some(id) =
                            only.filter(|_| query.with_untracked(|m| m.get("sel").is_none()))
                        {
                            set_param.with_value(|f| f("sel", id));
                        }
                    }
                }
            }
            loading.set(None);
        });
    });
    on_cleanup(cancel_current);

    let shown_conn =
        Memo::new(move |_| result.with(|r| r.as_ref().and_then(|(s, _)| conns.get(&s.conn))));
    Effect::new(move |_| {
        let demo = shown_conn.get().map(|c| c.demo).unwrap_or(false)
            || conns.get(&f_conn.get()).map(|c| c.demo).unwrap_or(false);
        demo_on_screen.set(demo);
    });
    on_cleanup(move || {
        let _ = demo_on_screen.try_set(false);
    });

    let replay = ReplayState::default();
    // Rows ticked for "retry/resend selected"; a new result starts with none.
    let checked = RwSignal::new(std::collections::HashSet::<String>::new());
    Effect::new(move |_| {
        result.track();
        checked.set(Default::default());
    });
    let filters = Memo::new(move |_| Filters {
        status: param("status"),
        event: param("event"),
        code: param("code"),
        q: param("q"),
        from: param("from"),
        to: param("to"),
    });
    let sort = Memo::new(move |_| Sort::parse(&param("sort")));
    let rows = Memo::new(move |_| {
        let f = filters.get();
        let mut rows = result.with(|r| {
            r.as_ref()
                .map(|(_, res)| {
                    res.deliveries
                        .iter()
                        .filter(|d| f.matches(d))
                        .cloned()
                        .collect::<Vec<_>>()
                })
                .unwrap_or_default()
        });
        sort.get().apply(&mut rows);
        rows
    });
    let chosen = Memo::new(move |_| {
        checked.with(|c| {
            if c.is_empty() {
                rows.get()
            } else {
                rows.with(|r| r.iter().filter(|d| c.contains(&d.id)).cloned().collect())
            }
        })
    });
    let summary = Memo::new(move |_| {
        result.with(|r| {
            r.as_ref()
                .map(|(_, res)| status_counts(&res.deliveries))
                .unwrap_or_default()
        })
    });
    let total = Memo::new(move |_| {
        result.with(|r| r.as_ref().map(|(_, res)| res.deliveries.len()).unwrap_or(0))
    });
    // Which body to show; a Memo so the table is not rebuilt each time the rows change.
    let body_state = Memo::new(move |_| {
        if total.get() == 0 {
            BodyState::Empty
        } else if rows.with(|r| r.is_empty()) {
            BodyState::NoMatches
        } else {
            BodyState::Table
        }
    });
    let events = Memo::new(move |_| {
        result.with(|r| {
            let mut e: Vec<String> = r
                .as_ref()
                .map(|(_, res)| res.deliveries.iter().map(|d| d.event.clone()).collect())
                .unwrap_or_default();
            e.sort();
            e.dedup();
            e
        })
    });

    let nav = navigate.clone();
    let submit = move |form: LookupForm| {
        let conn = f_conn.get_untracked();
        let kind = f_kind.get_untracked();
        if let Err((f, e)) = Lookup::validate(kind, &form) {
            field_error.set(Some((f, e.to_string())));
            return;
        }
        field_error.set(None);
        let url = explorer_url(&form_pairs(&conn, kind, &form));
        // Asking again for what is on screen re-runs it (the URL would not change).
        let form = normalise(kind, &form);
        if query.with_untracked(|m| spec_from(|k| m.get(k))) == Some(Spec { conn, kind, form }) {
            refresh.update(|n| *n += 1);
        } else {
            nav(&url, NavigateOptions::default());
        }
    };
    let submit = StoredValue::new(submit);

    let field_msg = move |f: Field| {
        move || {
            field_error.get().filter(|(ff, _)| *ff == f).map(|(_, m)| view! { <p class="field-error" data-testid="field-error" role="alert">{m}</p> })
        }
    };
    let conn_vendor = Memo::new(move |_| conns.get(&f_conn.get()).map(|c| c.vendor));
    let is_demo_conn =
        Memo::new(move |_| conns.get(&f_conn.get()).map(|c| c.demo).unwrap_or(false));

    let selected = Memo::new(move |_| {
        let sel = param("sel");
        if sel.is_empty() {
            return None;
        }
        result.with(|r| {
            r.as_ref()
                .and_then(|(_, res)| res.deliveries.iter().find(|d| d.id == sel).cloned())
        })
    });
    let origin = Memo::new(move |_| {
        result.with(|r| {
            let talk = r.as_ref().and_then(|(s, _)| {
                let owner = match s.kind {
                    LookupKind::TalkoverAgent => talkover::Owner::Agent,
                    LookupKind::TalkoverCampaign => talkover::Owner::Campaign,
                    _ => return None,
                };
                let o = PathId::typed("Owner ID", &s.form.owner_id).ok()?;
                let w = PathId::typed("Webhook ID", &s.form.webhook_id).ok()?;
                Some((owner, o, w))
            });
            Origin { talkover: talk }
        })
    });

    view! {
        <section class="page explorer">
            <form class="card lookup" on:submit=move |ev| { ev.prevent_default(); submit.with_value(|s| s(f_form.get_untracked())) } novalidate>
                <div class="lookup__row">
                    <label>"Connection"
                        <select data-testid="lookup-connection" prop:value=move || f_conn.get() on:change=move |ev| {
                            f_conn.set(event_target_value(&ev));
                            sync_kind_to_conn();
                            field_error.set(None);
                        }>
                            <For each=move || conns.list.get() key=|c| c.name.clone() let:c>
                                <option value=c.name.clone() selected=move || f_conn.get() == c.name>{format!("{} · {}", c.name, c.vendor.label())}</option>
                            </For>
                        </select>
                    </label>
                    <label>"Lookup"
                        <select data-testid="lookup-kind" prop:value=move || f_kind.get().id() on:change=move |ev| {
                            if let Some(k) = LookupKind::parse(&event_target_value(&ev)) { f_kind.set(k); field_error.set(None); }
                        }>
                            {move || {
                                let kinds = conn_vendor.get().map(LookupKind::for_vendor).unwrap_or_else(|| LookupKind::ALL.to_vec());
                                kinds.into_iter().map(|k| view! { <option value=k.id() selected=move || f_kind.get() == k>{k.label()}</option> }).collect_view()
                            }}
                        </select>
                    </label>
                    {move || {
                        let kind = f_kind.get();
                        if kind.uses_owner() {
                            view! {
                                <label>{kind.id_label()}
                                    <input data-testid="lookup-owner-id" type="text" spellcheck="false" prop:value=move || f_form.with(|f| f.owner_id.clone())
                                        on:input=move |ev| f_form.update(|f| f.owner_id = event_target_value(&ev)) />
                                    {field_msg(Field::OwnerId)}
                                </label>
                                <label>"Webhook ID"
                                    <input data-testid="lookup-webhook-id" type="text" spellcheck="false" prop:value=move || f_form.with(|f| f.webhook_id.clone())
                                        on:input=move |ev| f_form.update(|f| f.webhook_id = event_target_value(&ev)) />
                                    {field_msg(Field::WebhookId)}
                                </label>
                            }.into_any()
                        } else {
                            let placeholder = match kind {
                                LookupKind::BurkiCall => "e.g. 1001, or several: 1001, 1002",
                                LookupKind::BlandSms => "one or more, separated by commas or spaces",
                                _ => "one or more call IDs, separated by commas or spaces",
                            };
                            view! {
                                <label class="grow">{kind.id_label()}
                                    <input data-testid="lookup-id" type="text" spellcheck="false" placeholder=placeholder prop:value=move || f_form.with(|f| f.id.clone())
                                        on:input=move |ev| f_form.update(|f| f.id = event_target_value(&ev)) />
                                    {field_msg(Field::Id)}
                                </label>
                                {(kind == LookupKind::BurkiCall).then(|| view! {
                                    <label>"Webhook type"
                                        <select data-testid="lookup-webhook-type" prop:value=move || f_form.with(|f| f.webhook_type.clone())
                                            on:change=move |ev| f_form.update(|f| f.webhook_type = event_target_value(&ev))>
                                            <option value="">"all types"</option>
                                            {burki::WEBHOOK_TYPES.iter().map(|t| view! { <option value=*t selected=move || f_form.with(|f| f.webhook_type == *t)>{*t}</option> }).collect_view()}
                                        </select>
                                    </label>
                                })}
                            }.into_any()
                        }
                    }}
                    <div class="lookup__buttons">
                        <button data-testid="lookup-submit" class="primary" type="submit">"Look up"</button>
                    </div>
                </div>
                {move || is_demo_conn.get().then(|| {
                    let kind = f_kind.get();
                    view! {
                        <div class="examples" data-testid="demo-examples">
                            <span class="muted">"Demo IDs: "</span>
                            {demo_examples(kind).into_iter().map(|(label, form)| {
                                view! { <button type="button" class="chip" data-testid="demo-example" on:click=move |_| { f_form.set(form.clone()); submit.with_value(|s| s(form.clone())) }>{label}</button> }
                            }).collect_view()}
                        </div>
                    }
                })}
            </form>

            {move || problem.get().map(|p| view! { <p class="notice notice--warn" data-testid="lookup-problem" role="alert">{p}</p> })}
            {move || (!failures.get().is_empty()).then(|| view! { <ErrorBanner
                    errors=failures.get()
                    on_dismiss=Callback::new(move |_| failures.set(vec![]))
                    on_retry=Callback::new(move |_| refresh.update(|n| *n += 1))
                /> })}
            {move || loading.get().map(|LoadState { done, total, waiting_secs }| view! {
                <div class="progress" data-testid="load-progress" data-done=done.to_string() data-total=total.to_string() data-waiting=waiting_secs.map(|w| w.to_string()).unwrap_or_default() role="status">
                    <progress max=total.max(1).to_string() value=done.to_string()></progress>
                    <span>{match (waiting_secs, total) {
                        (Some(w), _) => format!("Rate-limited by the vendor: every request waits {w} s, then the load resumes ({done} of {total} done)."),
                        (None, 0) => "Loading…".to_string(),
                        (None, _) => format!("Loading… {done} of {total} request(s)"),
                    }}</span>
                    <button data-testid="load-cancel" type="button" on:click=move |_| { cancel_current(); loading.set(None); }>"Cancel"</button>
                </div>
            })}

            {move || match result.get() {
                // After a failed first lookup the banner says what to do; no intro under it.
                None if !failures.with(Vec::is_empty) || problem.with(Option::is_some) => ().into_any(),
                None => view! {
                    <div class="empty" data-testid="explorer-empty">
                        <h2>"Look up webhook deliveries"</h2>
                        <p>"Choose a connection, pick what to look up and paste an ID from the vendor's dashboard. Demo connections accept the example IDs shown under the form."</p>
                    </div>
                }.into_any(),
                Some((spec, res)) => {
                    let notes = res.notes.clone();
                    let shown = match spec.kind {
                        k if k.uses_owner() => format!("{} · {} / {}", k.label(), spec.form.owner_id, spec.form.webhook_id),
                        k => format!("{} · {}", k.label(), hookscope_core::error::shorten(&spec.form.id, 80)),
                    };
                    let vendor_total = res.vendor_total;
                    view! {
                        <div class="results">
                            <div class="toolbar">
                                <span class="muted" title=spec.conn.clone()>{format!("{} — {}", spec.conn, shown)}</span>
                                <span class="row-count" data-testid="row-count" data-count=move || rows.with(|r| r.len()).to_string()>
                                    {move || format!("{} of {} deliveries", rows.with(|r| r.len()), total.get())}
                                </span>
                                {vendor_total.map(|t| view! { <span class="muted">{format!("({t} logs reported by the vendor)")}</span> })}
                                <button type="button" data-testid="lookup-refresh" on:click=move |_| refresh.update(|n| *n += 1)>"Refresh"</button>
                                <span class="muted hint" title="Focus a row, then use the arrow keys or j / k">"↑↓ or j/k move the selection"</span>
                            </div>
                            <div class="filters">
                                <select data-testid="filter-status" aria-label="Status" prop:value=move || param("status") on:change=move |ev| set_param.with_value(|f| f("status", event_target_value(&ev)))>
                                    <option value="">"any status"</option>
                                    {DeliveryStatus::ALL.iter().map(|s| view! { <option value=s.id() selected=move || param("status") == s.id()>{s.id()}</option> }).collect_view()}
                                </select>
                                <select data-testid="filter-event" aria-label="Event" prop:value=move || param("event") on:change=move |ev| set_param.with_value(|f| f("event", event_target_value(&ev)))>
                                    <option value="">"any event"</option>
                                    {move || events.get().into_iter().map(|e| { let e2 = e.clone(); view! { <option value=e.clone() selected=move || param("event") == e2>{e.clone()}</option> } }).collect_view()}
                                </select>
                                <select data-testid="filter-code" aria-label="HTTP code" prop:value=move || param("code") on:change=move |ev| set_param.with_value(|f| f("code", event_target_value(&ev)))>
                                    <option value="">"any HTTP code"</option>
                                    {["2xx", "4xx", "5xx", "none"].into_iter().map(|c| view! { <option value=c selected=move || param("code") == c>{if c == "none" { "no answer" } else { c }}</option> }).collect_view()}
                                </select>
                                <input data-testid="filter-search" type="search" placeholder="Search IDs, errors, payloads" prop:value=move || param("q")
                                    on:input=move |ev| set_param.with_value(|f| f("q", event_target_value(&ev))) />
                                <label class="inline" title="Last attempt at or after this time (UTC)">"From"
                                    <input data-testid="filter-from" type="datetime-local" prop:value=move || param("from")
                                        on:change=move |ev| set_param.with_value(|f| f("from", event_target_value(&ev))) />
                                </label>
                                <label class="inline" title="Last attempt at or before this time (UTC)">"To"
                                    <input data-testid="filter-to" type="datetime-local" prop:value=move || param("to")
                                        on:change=move |ev| set_param.with_value(|f| f("to", event_target_value(&ev))) />
                                </label>
                                <button type="button" data-testid="export-csv" on:click=move |_| export::download_csv(&rows.get_untracked())>"CSV"</button>
                                <button type="button" data-testid="export-json" on:click=move |_| export::download_json(&rows.get_untracked())>"JSON"</button>
                                <ReplayMany state=replay rows=chosen selected=Signal::derive(move || checked.with(|c| !c.is_empty())) conn=Signal::derive(move || shown_conn.get()) origin=Signal::derive(move || origin.get()) on_done=Callback::new(move |_| refresh.update(|n| *n += 1)) />
                            </div>
                            <div class="summary" data-testid="status-summary">
                                {move || summary.get().into_iter().map(|(st, n)| {
                                    let id = st.id();
                                    view! {
                                        <button type="button" class=format!("summary__item pill pill--{id}") data-status=id data-count=n.to_string()
                                            aria-pressed=move || (param("status") == id).to_string()
                                            title=format!("Show only {id} deliveries")
                                            on:click=move |_| set_param.with_value(|f| f("status", if param("status") == id { String::new() } else { id.to_string() }))>
                                            {format!("{n} {id}")}
                                        </button>
                                    }
                                }).collect_view()}
                            </div>
                            {move || {
                                let causes = rows.with(|r| cause_counts(r.iter()));
                                (!causes.is_empty()).then(|| view! {
                                    <p class="causes muted" data-testid="cause-counts">
                                        "Why the shown deliveries failed: "
                                        {causes.into_iter().map(|(c, n)| view! { <span class="tag" data-cause=c.id() data-count=n.to_string()>{format!("{n} {}", c.label())}</span> " " }).collect_view()}
                                    </p>
                                })
                            }}
                            {move || {
                                let p = filters.with(Filters::problems);
                                (!p.is_empty()).then(|| view! { <ul class="notice" data-testid="filter-problems">{p.into_iter().map(|m| view! { <li>{m}</li> }).collect_view()}</ul> })
                            }}
                            {(!notes.is_empty()).then(|| view! { <ul class="notes" data-testid="lookup-notes">{notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}</ul> })}
                            {move || (!param("sel").is_empty() && selected.with(|s| s.is_none())).then(|| view! {
                                <p class="notice" data-testid="selection-missing">"The delivery this link points at is not in these results (it may be older than the vendor keeps, or on a filter you cleared)."</p>
                            })}
                            <div class="split" class:with-detail=move || selected.with(|s| s.is_some())>
                                {move || match body_state.get() {
                                    BodyState::Empty => view! { <p class="empty" data-testid="no-deliveries">"The vendor returned no webhook deliveries for this lookup. Check the ID, or widen the webhook type."</p> }.into_any(),
                                    BodyState::NoMatches => view! { <p class="empty" data-testid="no-matches">"No deliveries match the filters. " <a data-testid="clear-filters" href=move || query.with(|m| with_params(|k| m.get(k), &FILTER_PARAMS.map(|k| (k, String::new()))))>"Clear filters"</a></p> }.into_any(),
                                    BodyState::Table => view! {
                                        <DeliveryTable
                                            rows=rows
                                            selected=Signal::derive(move || { let s = param("sel"); (!s.is_empty()).then_some(s) })
                                            on_select=Callback::new(move |id: String| set_param.with_value(|f| f("sel", id)))
                                            sort=sort
                                            on_sort=Callback::new(move |k: SortKey| set_param.with_value(|f| f("sort", sort.get_untracked().toggled(k).to_param())))
                                            checked=checked
                                        />
                                    }.into_any(),
                                }}
                                {move || selected.get().zip(shown_conn.get()).map(|(d, c): (Delivery, Connection)| view! {
                                    <DeliveryDetail delivery=d conn=c origin=origin.get() on_close=Callback::new(move |_| set_param.with_value(|f| f("sel", String::new()))) on_changed=Callback::new(move |_| refresh.update(|n| *n += 1)) />
                                })}
                            </div>
                        </div>
                    }.into_any()
                }
            }}
        </section>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_parameter_written_is_kept_in_urls() {
        for k in FILTER_PARAMS
            .iter()
            .chain(["sort", "sel", "c", "k", "id", "owner", "wh", "type"].iter())
        {
            assert!(
                PARAMS.contains(k),
                "{k} missing from PARAMS: links would drop it"
            );
        }
        let m = |k: &str| match k {
            "c" => Some("Demo Bland".to_string()),
            "from" => Some("2026-01-01T00:00".to_string()),
            _ => None,
        };
        let url = with_params(m, &[("sort", "-code".into()), ("q", "a b".into())]);
        assert_eq!(
            url,
            "/explorer?c=Demo%20Bland&q=a%20b&from=2026-01-01T00%3A00&sort=-code"
        );
    }

    #[test]
    fn spec_needs_connection_kind_and_an_id() {
        let params = |kind: &'static str, id: &'static str| {
            move |k: &str| match k {
                "c" => Some("X".to_string()),
                "k" => Some(kind.to_string()),
                "id" => Some(id.to_string()),
                _ => None,
            }
        };
        assert_eq!(spec_from(params("burki-call", "")), None);
        assert_eq!(
            spec_from(params("burki-call", "12")).unwrap().kind,
            LookupKind::BurkiCall
        );
        assert_eq!(spec_from(params("nope", "12")), None);
    }

    #[test]
    fn normalised_forms_keep_only_their_fields() {
        let f = LookupForm {
            id: " 1 ".into(),
            owner_id: "o".into(),
            webhook_id: "w".into(),
            webhook_type: "t".into(),
        };
        assert_eq!(
            normalise(LookupKind::BurkiCall, &f),
            LookupForm {
                id: "1".into(),
                webhook_type: "t".into(),
                ..Default::default()
            }
        );
        assert_eq!(
            normalise(LookupKind::TalkoverAgent, &f),
            LookupForm {
                owner_id: "o".into(),
                webhook_id: "w".into(),
                ..Default::default()
            }
        );
    }
}
