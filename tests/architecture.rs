//! The architecture's invariants (ARCHITECTURE.md, "Invariants"), checked on the source
//! text as rust-analyzer's tidy tests do: a convention that is not tested drifts.
//!
//! - Dependencies run one way: data and format (pure) → platform → net → state →
//!   components → pages → app; no file imports a higher layer, and no import cycle.
//! - The pure layer names no browser API.
//! - A key's text is read (`ApiKey::expose`) only where it must leave memory.
//! - Vendor text is rendered only as text: no HTML is ever set from a string.
//! - The URL is the explorer's only written state: one place navigates.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A file may import its own layer and the ones below.
const LAYERS: &[(&str, &[&str])] = &[
    ("pure", &["data/", "format.rs"]),
    ("platform", &["platform/"]),
    ("net", &["net/"]),
    ("state", &["state/"]),
    ("components", &["components/"]),
    ("pages", &["pages/"]),
    ("app", &["app.rs"]),
    ("root", &["lib.rs", "main.rs"]),
];

/// Macros exported at the crate root, by the file that defines them.
const ROOT_MACROS: &[(&str, &str)] = &[("split_fn", "platform/split.rs")];

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// Every source file (relative to src/, `/`-separated) and its text without the test
/// module (by convention last in a file) and without comments.
fn files() -> BTreeMap<String, String> {
    fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
        for e in std::fs::read_dir(dir).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                walk(&p, out);
            } else if p.extension().is_some_and(|x| x == "rs") {
                out.push(p);
            }
        }
    }
    let mut paths = Vec::new();
    walk(&src(), &mut paths);
    paths
        .into_iter()
        .map(|p| {
            let rel = p
                .strip_prefix(src())
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            let mut text = std::fs::read_to_string(&p).unwrap();
            if let Some(i) = text.find("#[cfg(test)]\nmod tests") {
                text.truncate(i);
            }
            let code: Vec<&str> = text
                .lines()
                .map(|l| match l.find("//") {
                    // Keep `//` inside strings ("https://…"): cut only a comment that
                    // starts the line's code.
                    Some(i) if l[..i].trim().is_empty() => "",
                    _ => l,
                })
                .collect();
            (rel, code.join("\n"))
        })
        .collect()
}

fn layer_of(file: &str) -> usize {
    LAYERS
        .iter()
        .position(|(_, prefixes)| prefixes.iter().any(|p| file.starts_with(p)))
        .unwrap_or_else(|| panic!("{file} is in no layer: add it to LAYERS or move it"))
}

/// The module file a `crate::a::b::c` path names: the longest prefix that is a file.
fn module_file(parts: &[&str], files: &BTreeMap<String, String>) -> Option<String> {
    for n in (1..=parts.len()).rev() {
        let base = parts[..n].join("/");
        for cand in [format!("{base}.rs"), format!("{base}/mod.rs")] {
            if files.contains_key(&cand) {
                return Some(cand);
            }
        }
    }
    None
}

/// The file's own module path (`state/bulk/mod.rs` → `["state", "bulk"]`).
fn mod_path(file: &str) -> Vec<&str> {
    let mut parts: Vec<&str> = file.trim_end_matches(".rs").split('/').collect();
    if parts.last() == Some(&"mod") {
        parts.pop();
    }
    parts
}

/// Every file another file names, by `crate::…`, `super::…` or a root macro.
fn edges(files: &BTreeMap<String, String>) -> BTreeMap<String, BTreeSet<String>> {
    let mut out: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (file, text) in files {
        let here = mod_path(file);
        let set = out.entry(file.clone()).or_default();
        for (i, _) in text
            .match_indices("crate::")
            .chain(text.match_indices("super::"))
        {
            let is_super = text[i..].starts_with("super::");
            let rest = &text[i + if is_super { 7 } else { 7 }..];
            let path: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_' || *c == ':' || *c == '{')
                .collect();
            let mut parts: Vec<&str> = path
                .split("::")
                .take_while(|p| !p.is_empty() && !p.starts_with('{'))
                .collect();
            if is_super {
                let mut base: Vec<&str> = here[..here.len().saturating_sub(1)].to_vec();
                base.append(&mut parts);
                parts = base;
            }
            if let Some((_, def)) = ROOT_MACROS.iter().find(|(m, _)| parts.first() == Some(m)) {
                set.insert(def.to_string());
                continue;
            }
            if let Some(target) = module_file(&parts, files) {
                if &target != file {
                    set.insert(target);
                }
            } else if !parts.is_empty() {
                panic!("{file}: `{}` names no module file", parts.join("::"));
            }
        }
    }
    out
}

#[test]
fn dependencies_run_one_way() {
    let files = files();
    let mut wrong = Vec::new();
    for (file, targets) in edges(&files) {
        for t in targets {
            if layer_of(&t) > layer_of(&file) {
                wrong.push(format!(
                    "{file} ({}) imports {t} ({})",
                    LAYERS[layer_of(&file)].0,
                    LAYERS[layer_of(&t)].0
                ));
            }
        }
    }
    assert!(
        wrong.is_empty(),
        "a lower layer imports a higher one (ARCHITECTURE.md, \"Layers\"):\n{}",
        wrong.join("\n")
    );
}

#[test]
fn no_import_cycle() {
    let files = files();
    let graph = edges(&files);
    // Depth-first search for a back edge; reports one cycle.
    fn visit(
        v: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        state: &mut BTreeMap<String, u8>,
        stack: &mut Vec<String>,
    ) -> Option<Vec<String>> {
        state.insert(v.to_string(), 1);
        stack.push(v.to_string());
        for t in graph.get(v).into_iter().flatten() {
            match state.get(t.as_str()).copied().unwrap_or(0) {
                1 => {
                    let at = stack.iter().position(|s| s == t).unwrap_or(0);
                    return Some(stack[at..].to_vec());
                }
                0 => {
                    if let Some(c) = visit(t, graph, state, stack) {
                        return Some(c);
                    }
                }
                _ => {}
            }
        }
        stack.pop();
        state.insert(v.to_string(), 2);
        None
    }
    let mut state = BTreeMap::new();
    for f in graph.keys() {
        if state.get(f.as_str()).copied().unwrap_or(0) == 0 {
            let cycle = visit(f, &graph, &mut state, &mut Vec::new());
            assert!(
                cycle.is_none(),
                "import cycle: {}",
                cycle.unwrap().join(" → ")
            );
        }
    }
}

#[test]
fn the_pure_layer_names_no_browser_api() {
    for (file, text) in files() {
        if layer_of(&file) != 0 {
            continue;
        }
        for api in ["web_sys", "js_sys", "leptos", "gloo", "wasm_bindgen"] {
            assert!(
                !text.contains(api),
                "{file} names {api}: pure modules (data/, format.rs) run on the host and in property tests"
            );
        }
    }
}

#[test]
fn a_key_is_read_only_where_it_must_leave_memory() {
    // The auth header is written by the core crate (`request::auth_header`), called by the
    // transport; a remembered key is written to storage by the connections store.
    const ALLOWED: &[&str] = &["state/connections.rs"];
    for (file, text) in files() {
        if text.contains(".expose()") {
            assert!(
                ALLOWED.contains(&file.as_str()),
                "{file} reads a key's text (`expose`): only {ALLOWED:?} may (ARCHITECTURE.md, \"Invariants\")"
            );
        }
    }
}

#[test]
fn vendor_text_is_only_ever_text() {
    for (file, text) in files() {
        for html in ["inner_html", "innerHTML", "set_inner_html", "outer_html"] {
            assert!(
                !text.contains(html),
                "{file} sets HTML from a string ({html}): render vendor data as text nodes"
            );
        }
    }
}

#[test]
fn the_url_is_the_explorers_only_written_state() {
    for (file, text) in files() {
        if text.contains("use_navigate") {
            assert_eq!(
                file, "state/explorer.rs",
                "{file} navigates: the explorer's view changes only through ExplorerState::go"
            );
        }
    }
}

/// The checker itself: a path it cannot resolve is a failure, not a silent pass.
#[test]
fn the_checker_sees_the_edges_it_should() {
    let files = files();
    let graph = edges(&files);
    assert!(graph["net/lookup.rs"].contains("net/transport.rs"));
    assert!(graph["pages/explorer/mod.rs"].contains("platform/split.rs"));
    assert!(graph["app.rs"].contains("state/shell.rs"));
    assert_eq!(layer_of("data/query.rs"), 0);
    assert_eq!(layer_of("pages/bulk/form.rs"), 5);
}

/// Every selector of `style/` with the at-rules it sits in (`@media …`), file by file.
fn css_selectors() -> Vec<(String, String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("style");
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap().flatten() {
        let file = entry.file_name().to_string_lossy().into_owned();
        if !file.ends_with(".css") {
            continue;
        }
        let mut text = std::fs::read_to_string(entry.path()).unwrap();
        while let Some(a) = text.find("/*") {
            let b = text[a..].find("*/").map_or(text.len(), |b| a + b + 2);
            text.replace_range(a..b, " ");
        }
        // The at-rules open around the current position; `None` for a plain rule's block.
        let mut context: Vec<Option<String>> = Vec::new();
        let mut prelude = String::new();
        for c in text.chars() {
            match c {
                '{' => {
                    let p = prelude.split_whitespace().collect::<Vec<_>>().join(" ");
                    prelude.clear();
                    let inside_keyframes = context
                        .iter()
                        .flatten()
                        .any(|c| c.starts_with("@keyframes"));
                    if p.starts_with('@') {
                        context.push(Some(p));
                    } else {
                        if !inside_keyframes {
                            let at: Vec<&str> =
                                context.iter().flatten().map(String::as_str).collect();
                            for sel in p.split(',') {
                                out.push((file.clone(), at.join(" "), sel.trim().to_string()));
                            }
                        }
                        context.push(None);
                    }
                }
                '}' => {
                    prelude.clear();
                    context.pop();
                }
                ';' if context.last().is_none_or(Option::is_some) => prelude.clear(),
                _ => prelude.push(c),
            }
        }
    }
    out
}

/// One rule per selector: a widget's look is in one place (its file under `style/`), so
/// a change there is not undone by a second rule elsewhere.
#[test]
fn no_css_rule_is_defined_twice() {
    let all = css_selectors();
    assert!(
        all.len() > 100,
        "the checker reads the stylesheets: {}",
        all.len()
    );
    let mut seen: BTreeMap<(String, String), String> = BTreeMap::new();
    let mut twice = Vec::new();
    for (file, at, sel) in all {
        if let Some(first) = seen.insert((at.clone(), sel.clone()), file.clone()) {
            twice.push(format!("`{sel}` {at} in {first} and {file}"));
        }
    }
    assert!(
        twice.is_empty(),
        "selectors with two rules:\n{}",
        twice.join("\n")
    );
}
