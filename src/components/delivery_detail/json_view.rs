//! Read-only viewers for payloads and response bodies: a JSON tree (expand/collapse,
//! expand all, search with highlighted matches, copy a value, its path or everything, a
//! raw view) and a plain text view. Everything is rendered as text nodes: markup in a
//! vendor's data stays inert. Children are rendered only when their parent is opened, and
//! at most [`PAGE`] at a time, so a 5 MB payload opens at once.

use crate::components::delivery_detail::json_tree::{child_path, search, JNode};
use leptos::prelude::*;
use std::collections::HashSet;
use std::sync::Arc;

/// Children shown per container before "show more".
const PAGE: usize = 200;
/// "Expand all" opens every level of documents up to this many nodes, the first levels
/// of larger ones.
const EXPAND_ALL_NODES: usize = 5_000;
const EXPAND_ALL_DEPTH: usize = 4;

/// What a viewer shows.
#[derive(Clone, Debug, PartialEq)]
pub enum Doc {
    Tree(Arc<JNode>),
    Text(String),
}

impl Doc {
    /// A body as the vendor gave it: a tree when it is JSON, text otherwise.
    pub fn from_text(text: &str) -> Doc {
        match JNode::parse(text) {
            Ok(n @ (JNode::Obj(_) | JNode::Arr(_))) => Doc::Tree(Arc::new(n)),
            _ => Doc::Text(text.to_string()),
        }
    }
}

fn copy(text: &str) {
    crate::platform::clipboard::copy(text);
}

fn node_at<'a>(root: &'a JNode, idx: &[usize]) -> Option<&'a JNode> {
    idx.iter().try_fold(root, |n, i| match n {
        JNode::Arr(a) => a.get(*i),
        JNode::Obj(o) => o.get(*i).map(|(_, v)| v),
        _ => None,
    })
}

#[derive(Clone, Copy)]
struct TreeState {
    all_open: RwSignal<bool>,
    all_depth: RwSignal<usize>,
    hits: Memo<(HashSet<String>, HashSet<String>)>,
}

/// One node and, when open, its children.
fn node_view(
    root: Arc<JNode>,
    idx: Vec<usize>,
    key: Option<String>,
    path: String,
    depth: usize,
    st: TreeState,
) -> AnyView {
    let Some(node) = node_at(&root, &idx) else {
        return ().into_any();
    };
    let container = matches!(node, JNode::Arr(_) | JNode::Obj(_));
    let len = match node {
        JNode::Arr(a) => a.len(),
        JNode::Obj(o) => o.len(),
        _ => 0,
    };
    let toggled = RwSignal::new(None::<bool>);
    let path_s = StoredValue::new(path.clone());
    let open = Memo::new(move |_| {
        toggled.get().unwrap_or_else(|| {
            depth == 0
                || (st.all_open.get() && depth < st.all_depth.get())
                || path_s.with_value(|p| st.hits.with(|(_, open)| open.contains(p)))
        })
    });
    let is_hit = Memo::new(move |_| path_s.with_value(|p| st.hits.with(|(h, _)| h.contains(p))));
    let shown = RwSignal::new(PAGE);
    // A long value (a 50 MB transcript) shows its start; "copy" copies all of it.
    let value_text = match node {
        JNode::Str(s) if s.len() > crate::format::SCREEN_VALUE_CHARS => {
            let (head, left) = crate::format::clip(s, crate::format::SCREEN_VALUE_CHARS);
            format!(
                "{}… ({} more; copy the value for all of it)",
                serde_json::to_string(head)
                    .unwrap_or_default()
                    .trim_end_matches('"'),
                hookscope_core::error::size_words(left as u64)
            )
        }
        _ => node.scalar_text(),
    };
    let kind = match node {
        JNode::Null => "null",
        JNode::Bool(_) => "bool",
        JNode::Num(_) => "num",
        JNode::Str(_) => "str",
        JNode::Arr(_) => "arr",
        JNode::Obj(_) => "obj",
    };
    let copy_value = {
        let root = root.clone();
        let idx = idx.clone();
        move |_| {
            if let Some(n) = node_at(&root, &idx) {
                match n {
                    JNode::Str(s) => copy(s),
                    other => copy(&other.to_json()),
                }
            }
        }
    };
    let last_index = idx.last().copied();
    let children = {
        let root = root.clone();
        move || {
            if !open.get() || !container {
                return None;
            }
            let n = node_at(&root, &idx)?;
            let limit = shown.get();
            let items: Vec<(Option<String>, String, usize)> = match n {
                JNode::Arr(a) => (0..a.len().min(limit))
                    .map(|i| (None, child_path(&path_s.get_value(), Err(i)), i))
                    .collect(),
                JNode::Obj(o) => o
                    .iter()
                    .take(limit)
                    .enumerate()
                    .map(|(i, (k, _))| (Some(k.clone()), child_path(&path_s.get_value(), Ok(k)), i))
                    .collect(),
                _ => vec![],
            };
            let more = len.saturating_sub(limit);
            let views = items
                .into_iter()
                .map(|(k, p, i)| {
                    let mut child = idx.clone();
                    child.push(i);
                    node_view(root.clone(), child, k, p, depth + 1, st)
                })
                .collect_view();
            Some(view! {
                <div class="jn__children">
                    {views}
                    {(more > 0)
                        .then(|| {
                            view! {
                                <button
                                    type="button"
                                    class="jn__more"
                                    on:click=move |_| shown.update(|s| *s = s.saturating_add(PAGE))
                                >
                                    {format!("show {} more of {more}", more.min(PAGE))}
                                </button>
                            }
                        })}
                </div>
            })
        }
    };
    let label = match (&key, last_index) {
        (Some(k), _) => serde_json::to_string(k).unwrap_or_default(),
        (None, Some(i)) => format!("[{i}]"),
        (None, None) => "$".into(),
    };
    view! {
        <div class="jn" data-testid="json-node" data-path=path.clone() class:jn--match=is_hit>
            <div class="jn__line">
                {if container {
                    view! {
                        <button type="button" class="jn__toggle" aria-expanded=move || open.get().to_string()
                            aria-label=move || format!("{} {}", if open.get() { "Collapse" } else { "Expand" }, path_s.get_value())
                            on:click=move |_| toggled.set(Some(!open.get_untracked()))>
                            {move || if open.get() { "▾" } else { "▸" }}
                        </button>
                    }.into_any()
                } else {
                    view! { <span class="jn__toggle jn__toggle--leaf" aria-hidden="true"></span> }.into_any()
                }}
                <span class="jn__key">{label}</span>
                <span class="jn__sep">": "</span>
                <span class=format!("jn__val jn--{kind}")>{value_text}</span>
                <span class="jn__tools">
                    <button type="button" class="jn__copy" title="Copy this value" aria-label="Copy value" on:click=copy_value>"copy"</button>
                    <button type="button" class="jn__copy" title="Copy this value's path" aria-label="Copy path" on:click=move |_| copy(&path_s.get_value())>"path"</button>
                </span>
            </div>
            {children}
        </div>
    }
    .into_any()
}

/// A payload or body viewer. `note` is said above the content (e.g. "cut off by Burki").
#[component]
pub fn JsonView(
    doc: Doc,
    #[prop(into)] testid: String,
    #[prop(into)] label: String,
    #[prop(optional, into)] note: Option<String>,
) -> impl IntoView {
    let raw = RwSignal::new(false);
    let query = RwSignal::new(String::new());
    let all_open = RwSignal::new(false);
    let all_depth = RwSignal::new(usize::MAX);
    let tree = match &doc {
        Doc::Tree(t) => Some(t.clone()),
        Doc::Text(_) => None,
    };
    let text = match &doc {
        Doc::Tree(t) => t.to_json(),
        Doc::Text(s) => s.clone(),
    };
    let size = text.len();
    let empty = text.trim().is_empty();
    // What the page shows of the text (the raw view, a text body): its start only when
    // large; Copy all and Download give the whole.
    let (head, left) = crate::format::clip(&text, crate::format::SCREEN_TEXT_BYTES);
    let (head, left) = (head.to_string(), left);
    let text_s = StoredValue::new(text);
    let file_name = format!(
        "hookscope-{}.{}",
        testid.trim_end_matches("-view"),
        if tree.is_some() { "json" } else { "txt" }
    );
    let tree_for_hits = tree.clone();
    let hits = Memo::new(move |_| {
        let q = query.get().trim().to_lowercase();
        match (&tree_for_hits, q.chars().count() >= 2) {
            (Some(t), true) => {
                let (h, open) = search(t, &q, 500);
                (h.into_iter().collect(), open)
            }
            _ => (HashSet::new(), HashSet::new()),
        }
    });
    let st = TreeState {
        all_open,
        all_depth,
        hits,
    };
    let nodes = tree.as_ref().map(|t| t.count()).unwrap_or(0);
    let body = {
        let tree = tree.clone();
        move || {
            match (&tree, raw.get() || empty) {
            (Some(t), false) => node_view(t.clone(), vec![], None, "$".into(), 0, st),
            _ => view! {
                {(left > 0)
                    .then(|| {
                        view! {
                            <p class="notice" data-testid="text-clipped">
                                {format!(
                                    "Showing the first {} of {}; the rest would slow this page down. Copy all or Download gives the whole text.",
                                    hookscope_core::error::size_words(head.len() as u64),
                                    hookscope_core::error::size_words(size as u64),
                                )}
                            </p>
                        }
                    })}
                <pre class="text-view__body" data-empty=empty.to_string()>
                    {if empty { "(empty)".to_string() } else { head.clone() }}
                </pre>
            }
            .into_any(),
        }
        }
    };
    view! {
        <section
            class="text-view"
            data-testid=testid
            data-empty=empty.to_string()
            data-kind=if tree.is_some() { "json" } else { "text" }
        >
            <header class="text-view__head">
                <span class="text-view__label">{label}</span>
                <span class="muted">{hookscope_core::error::size_words(size as u64)}</span>
                {tree
                    .is_some()
                    .then(|| {
                        view! {
                            <input
                                type="search"
                                class="jn__search"
                                placeholder="Search keys and values"
                                aria-label="Search in this document"
                                prop:value=move || query.get()
                                on:input=move |ev| query.set(event_target_value(&ev))
                            />
                            {move || {
                                let n = hits.with(|(h, _)| h.len());
                                (query.get().trim().chars().count() >= 2)
                                    .then(|| {
                                        view! {
                                            <span class="muted" data-testid="json-matches">
                                                {format!("{n} match(es)")}
                                            </span>
                                        }
                                    })
                            }}
                            <button
                                type="button"
                                data-testid="json-expand-all"
                                on:click=move |_| {
                                    all_depth
                                        .set(
                                            if nodes <= EXPAND_ALL_NODES {
                                                usize::MAX
                                            } else {
                                                EXPAND_ALL_DEPTH
                                            },
                                        );
                                    all_open.set(true);
                                }
                                title=if nodes <= EXPAND_ALL_NODES {
                                    "Open every level".to_string()
                                } else {
                                    format!(
                                        "Open the first {EXPAND_ALL_DEPTH} levels ({nodes} nodes is too many to open at once)",
                                    )
                                }
                            >
                                "Expand all"
                            </button>
                            <button type="button" on:click=move |_| all_open.set(false)>
                                "Collapse"
                            </button>
                            <button
                                type="button"
                                class:active=move || raw.get()
                                aria-pressed=move || raw.get().to_string()
                                on:click=move |_| raw.update(|r| *r = !*r)
                            >
                                "Raw"
                            </button>
                        }
                    })}
                <button
                    type="button"
                    title="Copy everything"
                    on:click=move |_| text_s.with_value(|t| copy(t))
                >
                    "Copy all"
                </button>
                {(size > crate::format::SCREEN_TEXT_BYTES)
                    .then(|| {
                        let name = file_name.clone();
                        view! {
                            <button
                                type="button"
                                data-testid="text-download"
                                title="Save the whole text to a file"
                                on:click=move |_| {
                                    text_s
                                        .with_value(|t| crate::platform::download::download(
                                            &name,
                                            "text/plain",
                                            t,
                                        ))
                                }
                            >
                                "Download"
                            </button>
                        }
                    })}
            </header>
            {note
                .filter(|n| !n.is_empty())
                .map(|n| {
                    view! {
                        <p class="notice" data-testid="body-note">
                            {n}
                        </p>
                    }
                })}
            <div class="text-view__content">{body}</div>
        </section>
    }
}
