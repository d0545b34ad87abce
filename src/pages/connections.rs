//! Connections: add, edit, remove; keys masked, kept in memory unless remembered.

use crate::state::connections::{Connection, Connections, DEFAULT_TIMEOUT_SECS};
use hookscope_core::domain::Vendor;
use hookscope_core::ids::clean_base_url;
use leptos::prelude::*;

/// The editor's fields; `original` is the name being edited (None: a new connection).
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    original: Option<String>,
    vendor: Vendor,
    name: String,
    base_url: String,
    key: String,
    remember: bool,
    timeout: String,
}

impl Draft {
    fn new() -> Draft {
        Draft {
            original: None,
            vendor: Vendor::Bland,
            name: String::new(),
            base_url: Vendor::Bland.default_base_url().into(),
            key: String::new(),
            remember: false,
            timeout: DEFAULT_TIMEOUT_SECS.to_string(),
        }
    }

    fn from(c: &Connection) -> Draft {
        Draft {
            original: Some(c.name.clone()),
            vendor: c.vendor,
            name: c.name.clone(),
            base_url: c.base_url.clone(),
            key: c.key.clone(),
            remember: c.remember,
            timeout: c.timeout_secs.to_string(),
        }
    }

    /// Checks every field; the errors name the field and what to change.
    fn validate(&self) -> Result<Connection, Vec<String>> {
        let mut errs = Vec::new();
        let name = self.name.trim().to_string();
        if name.is_empty() {
            errs.push(
                "Name is required (it identifies the connection in links and the lookup form)."
                    .to_string(),
            );
        } else if name.chars().count() > 60 {
            errs.push("Name is too long (at most 60 characters).".to_string());
        }
        let base_url = match clean_base_url(&self.base_url) {
            Ok(u) => u,
            Err(e) => {
                errs.push(format!("Base URL: {e}"));
                String::new()
            }
        };
        let timeout = match self.timeout.trim().parse::<u32>() {
            Ok(t) if (1..=300).contains(&t) => t,
            _ => {
                errs.push("Timeout must be a whole number of seconds from 1 to 300.".to_string());
                DEFAULT_TIMEOUT_SECS
            }
        };
        let key = self.key.trim().to_string();
        if key.chars().any(char::is_control) || key.contains(' ') && !key.starts_with("Bearer ") {
            errs.push("API key contains spaces or control characters; paste it again.".to_string());
        }
        if !errs.is_empty() {
            return Err(errs);
        }
        Ok(Connection {
            name,
            vendor: self.vendor,
            base_url,
            key,
            remember: self.remember,
            demo: false,
            timeout_secs: timeout,
        })
    }
}

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let draft = RwSignal::new(None::<Draft>);
    let errors = RwSignal::new(Vec::<String>::new());
    let forgot = RwSignal::new(false);

    let start_new = move |_| {
        errors.set(vec![]);
        draft.set(Some(Draft::new()));
    };

    let save = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(d) = draft.get_untracked() else {
            return;
        };
        match d.validate() {
            Err(e) => errors.set(e),
            Ok(c) => match conns.upsert(d.original.as_deref(), c) {
                Ok(()) => {
                    errors.set(vec![]);
                    draft.set(None);
                }
                Err(e) => errors.set(vec![e]),
            },
        }
    };

    let field = move |f: fn(&mut Draft, String)| {
        move |ev: leptos::ev::Event| {
            let v = event_target_value(&ev);
            draft.update(|d| {
                if let Some(d) = d {
                    f(d, v)
                }
            })
        }
    };

    view! {
        <section class="page connections">
            <header class="page__head">
                <h1>"Connections"</h1>
                <div class="page__actions">
                    <button data-testid="connection-add" class="primary" on:click=start_new>"Add connection"</button>
                    <button
                        data-testid="forget-keys"
                        title="Removes every API key kept on this device and in this tab"
                        on:click=move |_| {
                            conns.forget_keys();
                            forgot.set(true);
                        }
                    >"Forget all keys"</button>
                </div>
            </header>
            {move || conns.notice.get().map(|n| view! { <p class="notice" data-testid="storage-notice">{n}</p> })}
            {move || forgot.get().then(|| view! { <p class="notice" data-testid="keys-forgotten">"Every stored key was removed from this device and from memory."</p> })}
            <p class="muted">
                "Keys stay in this tab's memory unless you tick “Remember on this device” (then they are kept in this browser's local storage). They are sent only in the vendor's auth header, never in a URL."
            </p>
            {move || draft.get().map(|d| {
                let title = if d.original.is_some() { "Edit connection" } else { "New connection" };
                view! {
                    <form class="card form" on:submit=save novalidate>
                        <h2>{title}</h2>
                        <label>"Vendor"
                            <select
                                data-testid="connection-vendor"
                                prop:value=d.vendor.id()
                                on:change=move |ev| {
                                    let v = Vendor::parse(&event_target_value(&ev)).unwrap_or(Vendor::Bland);
                                    draft.update(|d| if let Some(d) = d {
                                        // Follow the vendor's host unless the person typed their own.
                                        if Vendor::ALL.iter().any(|x| x.default_base_url() == d.base_url.trim()) || d.base_url.trim().is_empty() {
                                            d.base_url = v.default_base_url().into();
                                        }
                                        d.vendor = v;
                                    })
                                }
                            >
                                {Vendor::ALL.iter().map(|v| view! { <option value=v.id() selected=*v == d.vendor>{v.label()}</option> }).collect_view()}
                            </select>
                        </label>
                        <label>"Name"
                            <input data-testid="connection-name" type="text" placeholder="e.g. Bland production" prop:value=d.name.clone() on:input=field(|d, v| d.name = v) />
                        </label>
                        <label>"Base URL"
                            <input data-testid="connection-base-url" type="url" prop:value=d.base_url.clone() on:input=field(|d, v| d.base_url = v) />
                            <small class="muted">"The vendor's host, or a same-origin proxy path such as /proxy/bland if the vendor does not allow cross-origin requests."</small>
                        </label>
                        <label>"API key"
                            <input data-testid="connection-key" type="password" autocomplete="off" spellcheck="false" prop:value=d.key.clone() on:input=field(|d, v| d.key = v) />
                        </label>
                        <label class="check">
                            <input data-testid="connection-remember" type="checkbox" prop:checked=d.remember on:change=move |ev| {
                                let on = event_target_checked(&ev);
                                draft.update(|d| if let Some(d) = d { d.remember = on })
                            } />
                            "Remember the key on this device"
                        </label>
                        <label>"Timeout (seconds)"
                            <input data-testid="connection-timeout" type="number" min="1" max="300" prop:value=d.timeout.clone() on:input=field(|d, v| d.timeout = v) />
                        </label>
                        {move || (!errors.get().is_empty()).then(|| view! {
                            <ul class="form-errors" data-testid="connection-errors">
                                {errors.get().into_iter().map(|e| view! { <li>{e}</li> }).collect_view()}
                            </ul>
                        })}
                        <div class="form__buttons">
                            <button data-testid="connection-save" class="primary" type="submit">"Save"</button>
                            <button type="button" on:click=move |_| { draft.set(None); errors.set(vec![]); }>"Cancel"</button>
                        </div>
                    </form>
                }
            })}
            <ul class="connection-list">
                <For each=move || conns.list.get() key=|c| (c.name.clone(), c.vendor, c.base_url.clone(), c.masked_key(), c.remember) let:c>
                    {
                        let name = c.name.clone();
                        let name_rm = c.name.clone();
                        let c_edit = c.clone();
                        view! {
                            <li class="card connection" data-testid="connection-row" data-vendor=c.vendor.id() data-demo=c.demo.to_string() data-name=c.name.clone()>
                                <div class="connection__main">
                                    <span class=format!("vendor vendor--{}", c.vendor.id())>{c.vendor.label()}</span>
                                    <strong>{c.name.clone()}</strong>
                                    {c.demo.then(|| view! { <span class="tag tag--demo">"demo data"</span> })}
                                </div>
                                <div class="connection__meta muted">
                                    <span class="mono">{if c.demo { "built-in demo data, no network".to_string() } else { c.base_url.clone() }}</span>
                                    " · key: " <span class="mono" data-testid="connection-key-masked">{c.masked_key()}</span>
                                    {c.remember.then_some(" · remembered on this device")}
                                </div>
                                <div class="connection__buttons">
                                    <a class="button" href=format!("/explorer?c={}", urlencode(&name))>"Look up"</a>
                                    {(!c.demo).then(|| view! {
                                        <button data-testid="connection-edit" on:click=move |_| { errors.set(vec![]); draft.set(Some(Draft::from(&c_edit))) }>"Edit"</button>
                                    })}
                                    <button data-testid="connection-remove" on:click=move |_| conns.remove(&name_rm)>"Remove"</button>
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || conns.list.with(|l| l.is_empty()).then(|| view! {
                <p class="empty">"No connections. Add one with your vendor's API key, or reload after clearing site data to get the demo connections back."</p>
            })}
        </section>
    }
}

pub fn urlencode(s: &str) -> String {
    hookscope_core::request::encode_component(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn draft_validation_names_each_field() {
        let mut d = Draft::new();
        d.base_url = "ftp://x".into();
        d.timeout = "0".into();
        let errs = d.validate().unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        d.name = "Prod".into();
        d.base_url = "https://api.bland.ai/".into();
        d.timeout = "20".into();
        d.key = "sk-1".into();
        let c = d.validate().unwrap();
        assert_eq!(c.base_url, "https://api.bland.ai");
        assert_eq!(c.timeout_secs, 20);
    }
}
