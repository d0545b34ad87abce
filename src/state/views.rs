//! Saved views: named filters, sort and columns, kept in localStorage and shared by every
//! open tab (the `storage` event). A view is stored as the URL's own query text for those
//! parts, so it is read back by the same parser that reads links, with the same checks.
//!
//! Hand-written over `leptos-use-storage`: that hook replaces a value it cannot decode
//! with the default on the next write; here an unreadable value is set aside and said.

use crate::data::query::ExplorerQuery;
use crate::platform::storage::{self, keys};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// Names and query texts are kept short (a hand-edited store could hold anything).
const MAX_NAME: usize = 60;
const MAX_VIEWS: usize = 100;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SavedView {
    pub name: String,
    /// Filters, sort and hidden columns as URL query text (`status=failed&sort=-code`).
    pub query: String,
}

/// The built-in views: (name, query text).
pub const BUILT_IN: [(&str, &str); 4] = [
    ("Failed", "status=failed"),
    ("Retrying/Pending", "status=retrying&status=pending"),
    ("Succeeded", "status=success"),
    ("All", ""),
];

/// The view part of a query (filters, sort, columns) as query text.
pub fn view_text(q: &ExplorerQuery) -> String {
    let only = ExplorerQuery {
        filters: q.filters.clone(),
        sort: q.sort,
        hidden: q.hidden.clone(),
        ..Default::default()
    };
    only.to_href()
        .strip_prefix("/explorer")
        .unwrap_or("")
        .trim_start_matches('?')
        .to_string()
}

/// `q` with the filters, sort and columns of the view `text` (lookups kept).
pub fn apply(q: &ExplorerQuery, text: &str) -> ExplorerQuery {
    let (v, _) = ExplorerQuery::parse_view(text);
    ExplorerQuery {
        filters: v.filters,
        sort: v.sort,
        hidden: v.hidden,
        sel: None,
        ..q.clone()
    }
}

/// Checks a name for a new view.
pub fn check_name(name: &str) -> Result<String, String> {
    let n = name.trim();
    if n.is_empty() {
        return Err("Give the view a name.".into());
    }
    if n.chars().count() > MAX_NAME {
        return Err(format!("A view name has at most {MAX_NAME} characters."));
    }
    if n.chars().any(char::is_control) {
        return Err("A view name cannot hold control characters.".into());
    }
    if BUILT_IN.iter().any(|(b, _)| b.eq_ignore_ascii_case(n)) {
        return Err(format!("“{n}” is a built-in view; choose another name."));
    }
    Ok(n.to_string())
}

/// Reads the stored list: the usable views, and a notice if some could not be used.
pub fn parse_stored(raw: Option<&str>) -> (Vec<SavedView>, Option<String>) {
    let Some(raw) = raw else {
        return (vec![], None);
    };
    match serde_json::from_str::<Vec<serde_json::Value>>(raw) {
        Err(_) => (
            vec![],
            Some(format!(
                "Saved views could not be read; the unreadable value is kept in this browser's storage under “{}”.",
                keys::VIEWS_UNREADABLE
            )),
        ),
        Ok(items) => {
            let mut out: Vec<SavedView> = vec![];
            let mut bad = 0usize;
            for v in items.into_iter().take(MAX_VIEWS) {
                match serde_json::from_value::<SavedView>(v) {
                    Ok(s) if check_name(&s.name).is_ok() && s.query.len() <= 4096 => {
                        if !out.iter().any(|o| o.name == s.name) {
                            out.push(s);
                        }
                    }
                    _ => bad += 1,
                }
            }
            let notice = (bad > 0).then(|| format!(
                "{bad} saved view(s) could not be used and were left out; the stored value is kept under “{}”.",
                keys::VIEWS_UNREADABLE
            ));
            (out, notice)
        }
    }
}

#[derive(Clone, Copy)]
pub struct SavedViews {
    pub list: RwSignal<Vec<SavedView>>,
    pub notice: RwSignal<Option<String>>,
}

impl SavedViews {
    pub fn load() -> SavedViews {
        let raw = storage::get(keys::VIEWS);
        let (list, notice) = parse_stored(raw.as_deref());
        if notice.is_some() {
            if let Some(r) = &raw {
                storage::set(keys::VIEWS_UNREADABLE, r);
            }
        }
        let v = SavedViews {
            list: RwSignal::new(list),
            notice: RwSignal::new(notice),
        };
        // Another tab saved or deleted a view: show the same list here.
        storage::on_change(&[keys::VIEWS], move |_| {
            let (list, _) = parse_stored(storage::get(keys::VIEWS).as_deref());
            let _ = v.list.try_set(list);
        });
        v
    }

    fn write(&self, list: Vec<SavedView>) -> Result<(), String> {
        let text = serde_json::to_string(&list).unwrap_or_else(|_| "[]".into());
        if !storage::set(keys::VIEWS, &text) {
            return Err("This browser refused to store the view (storage full or disabled); it is kept for this tab only.".into());
        }
        self.list.set(list);
        Ok(())
    }

    /// Saves (or replaces) the view `name` as `query` text.
    pub fn save(&self, name: &str, query: String) -> Result<String, String> {
        let name = check_name(name)?;
        // Catch up with other tabs first, so their views are not overwritten.
        let (mut list, _) = parse_stored(storage::get(keys::VIEWS).as_deref());
        if list.len() >= MAX_VIEWS && !list.iter().any(|v| v.name == name) {
            return Err(format!(
                "At most {MAX_VIEWS} saved views; delete one first."
            ));
        }
        match list.iter_mut().find(|v| v.name == name) {
            Some(v) => v.query = query,
            None => list.push(SavedView {
                name: name.clone(),
                query,
            }),
        }
        let kept = list.clone();
        self.write(list)
            .map(|_| name)
            .inspect_err(|_| self.list.set(kept))
    }

    pub fn delete(&self, name: &str) -> Result<(), String> {
        let (mut list, _) = parse_stored(storage::get(keys::VIEWS).as_deref());
        list.retain(|v| v.name != name);
        self.write(list)
    }

    /// The query text of the view named `name` (built-in or saved).
    pub fn find(&self, name: &str) -> Option<String> {
        BUILT_IN
            .iter()
            .find(|(b, _)| *b == name)
            .map(|(_, q)| q.to_string())
            .or_else(|| {
                self.list
                    .with_untracked(|l| l.iter().find(|v| v.name == name).map(|v| v.query.clone()))
            })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_views_are_checked_and_the_rest_said() {
        let (l, n) = parse_stored(Some(
            r#"[{"name":"Mine","query":"status=failed"},{"name":"Failed","query":""},{"nope":1},{"name":"Mine","query":"x"}]"#,
        ));
        assert_eq!(l.len(), 1);
        assert!(n.unwrap().contains("2 saved view"));
        let (l, n) = parse_stored(Some("{not json"));
        assert!(l.is_empty() && n.unwrap().contains(keys::VIEWS_UNREADABLE));
        assert_eq!(parse_stored(None), (vec![], None));
    }

    #[test]
    fn a_view_is_the_filters_sort_and_columns_of_a_link() {
        let (q, _) = ExplorerQuery::parse(
            "c=A&k=burki-call&id=1&status=failed&sort=-code&hide=target&sel=x",
        );
        let text = view_text(&q);
        assert_eq!(text, "status=failed&sort=-code&hide=target");
        let (other, _) = ExplorerQuery::parse("c=B&k=burki-call&id=2&q=zzz");
        let applied = apply(&other, &text);
        assert_eq!(applied.lookups, other.lookups);
        assert_eq!(applied.filters, q.filters);
        assert_eq!(applied.sel, None);
        // Views saved by earlier versions hold the filter search as `q`.
        assert_eq!(
            apply(&other, "status=failed&q=timeout").filters.q,
            "timeout"
        );
        assert!(
            check_name("all").is_err() && check_name("  ").is_err() && check_name("EU 5xx").is_ok()
        );
    }
}
