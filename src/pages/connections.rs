//! Connections: add, edit, remove; keys masked, kept in memory unless remembered.

use crate::platform::config::RuntimeConfig;
use crate::state::connections::Connections;
use crate::state::shell::Config;
use hookscope_core::connection::{rules, Connection, DEFAULT_TIMEOUT_SECS};
use hookscope_core::domain::Vendor;
use hookscope_core::ids::clean_base_url;
use hookscope_core::secret::{ApiKey, SecretText};
use leptos::prelude::*;

/// The editor's fields; `original` is the name being edited (None: a new connection).
/// The key field is a [`SecretText`], so a `{:?}` of the form cannot print it.
#[derive(Clone, Debug, PartialEq)]
struct Draft {
    original: Option<String>,
    vendor: Vendor,
    name: String,
    base_url: String,
    key: SecretText,
    /// The key of the connection being edited: kept when the key field is left empty, and
    /// never put back into the page (a key goes from memory only to its request header
    /// and, if remembered, to storage).
    kept: ApiKey,
    remember: bool,
    readonly: bool,
    timeout: String,
}

impl Draft {
    /// A new connection: the first vendor the deployment shows, at its configured URL.
    fn new(config: &RuntimeConfig) -> Draft {
        let vendor = config.vendors.first().copied().unwrap_or(Vendor::Bland);
        Draft {
            original: None,
            vendor,
            name: String::new(),
            base_url: config.base_url(vendor).into(),
            key: SecretText::default(),
            kept: ApiKey::default(),
            remember: false,
            readonly: false,
            timeout: DEFAULT_TIMEOUT_SECS.to_string(),
        }
    }

    fn from(c: &Connection) -> Draft {
        Draft {
            original: Some(c.name.clone()),
            vendor: c.vendor,
            name: c.name.clone(),
            base_url: c.base_url.clone(),
            key: SecretText::default(),
            kept: c.key.clone(),
            remember: c.remember,
            readonly: c.readonly,
            timeout: c.timeout_secs.to_string(),
        }
    }

    /// Checks every field with the same [`rules`] the storage reader uses; the errors name
    /// the field and what to change.
    fn validate(&self) -> Result<Connection, Vec<String>> {
        let mut errs = Vec::new();
        let name = rules::name(&self.name)
            .map_err(|e| errs.push(e))
            .unwrap_or_default();
        let base_url = match clean_base_url(&self.base_url) {
            Ok(u) => u.as_str().to_string(),
            Err(e) => {
                errs.push(format!("Base URL: {e}"));
                String::new()
            }
        };
        let timeout_secs = rules::timeout(&self.timeout)
            .map_err(|e| errs.push(e))
            .unwrap_or(DEFAULT_TIMEOUT_SECS);
        let key = if self.key.0.is_empty() {
            self.kept.clone()
        } else {
            ApiKey::parse(&self.key.0)
                .map_err(|e| errs.push(e.to_string()))
                .unwrap_or_default()
        };
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
            readonly: self.readonly,
            timeout_secs,
            managed: false,
            role_limit: None,
        })
    }

    /// Warnings that do not block saving (plain http off this machine).
    fn warning(&self) -> Option<String> {
        clean_base_url(&self.base_url)
            .ok()
            .and_then(|u| u.warning())
    }
}

crate::split_fn!(
    connections,
    preload = preload;
    pub fn page() -> AnyView {
        view! { <ConnectionsPage /> }.into_any()
    }
);

#[component]
pub fn ConnectionsPage() -> impl IntoView {
    let conns = expect_context::<Connections>();
    let draft = RwSignal::new(None::<Draft>);
    let errors = RwSignal::new(Vec::<String>::new());
    let forgot = RwSignal::new(false);
    let config = expect_context::<Config>();
    let remember_allowed = conns.remember_allowed();
    let cfg_new = config.clone();
    let start_new = move |_| {
        errors.set(vec![]);
        draft.set(Some(Draft::new(&cfg_new)));
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
                    <button data-testid="connection-add" class="primary" on:click=start_new>
                        "Add connection"
                    </button>
                    <button
                        data-testid="forget-keys"
                        title="Removes every API key kept on this device and in this tab"
                        on:click=move |_| {
                            conns.forget_keys();
                            forgot.set(true);
                        }
                    >
                        "Forget all keys"
                    </button>
                </div>
            </header>
            {move || {
                conns
                    .notice
                    .get()
                    .map(|n| {
                        view! {
                            <p class="notice" data-testid="storage-notice">
                                {n}
                            </p>
                        }
                    })
            }}
            {move || {
                forgot
                    .get()
                    .then(|| {
                        view! {
                            <p class="notice" data-testid="keys-forgotten">
                                "Every stored key was removed from this device and from memory."
                            </p>
                        }
                    })
            }}
            <p class="muted">
                "Keys stay in this tab's memory unless you tick “Remember on this device” (then they are kept in this browser's local storage). They are sent only in the vendor's auth header, never in a URL."
            </p>
            {move || {
                draft
                    .get()
                    .map(|d| {
                        let cfg_vendor = config.clone();
                        let title = if d.original.is_some() {
                            "Edit connection"
                        } else {
                            "New connection"
                        };
                        view! {
                            <form class="card form" on:submit=save novalidate>
                                <h2>{title}</h2>
                                <p class="notice notice--warn" data-testid="connection-key-advice">
                                    "Bland and Talkover advise never to put an API key in a browser. Use a key here only for yourself; for a team, use the team deployment (README, “Team deployment”): the keys stay on your server, everyone signs in, and roles are enforced there."
                                </p>
                                <label>
                                    "Vendor"
                                    <select
                                        data-testid="connection-vendor"
                                        prop:value=d.vendor.id()
                                        on:change=move |ev| {
                                            let v = Vendor::parse(&event_target_value(&ev))
                                                .unwrap_or(Vendor::Bland);
                                            draft
                                                .update(|d| {
                                                    if let Some(d) = d {
                                                        if cfg_vendor.is_a_default(d.base_url.trim())
                                                            || d.base_url.trim().is_empty()
                                                        {
                                                            d.base_url = cfg_vendor.base_url(v).into();
                                                        }
                                                        d.vendor = v;
                                                    }
                                                })
                                        }
                                    >
                                        {Vendor::ALL
                                            .iter()
                                            .filter(|v| config.shows(**v) || **v == d.vendor)
                                            .map(|v| {
                                                view! {
                                                    <option value=v.id() selected=*v == d.vendor>
                                                        {v.label()}
                                                    </option>
                                                }
                                            })
                                            .collect_view()}
                                    </select>
                                </label>
                                <label>
                                    "Name"
                                    <input
                                        data-testid="connection-name"
                                        type="text"
                                        placeholder="e.g. Bland production"
                                        prop:value=d.name.clone()
                                        on:input=field(|d, v| d.name = v)
                                    />
                                </label>
                                <label>
                                    "Base URL"
                                    <input
                                        data-testid="connection-base-url"
                                        type="url"
                                        prop:value=d.base_url.clone()
                                        on:input=field(|d, v| d.base_url = v)
                                    />
                                    <small class="muted">
                                        "The vendor's host, or a same-origin proxy path such as /proxy/bland if the vendor does not allow cross-origin requests."
                                    </small>
                                    {move || {
                                        draft
                                            .with(|d| d.as_ref().and_then(Draft::warning))
                                            .map(|w| {
                                                view! {
                                                    <small
                                                        class="field-warning"
                                                        data-testid="connection-base-url-warning"
                                                        role="status"
                                                    >
                                                        {w}
                                                    </small>
                                                }
                                            })
                                    }}
                                </label>
                                <label>
                                    "API key"
                                    <input
                                        data-testid="connection-key"
                                        type="password"
                                        autocomplete="off"
                                        spellcheck="false"
                                        prop:value=d.key.0.clone()
                                        placeholder=if d.kept.is_empty() {
                                            ""
                                        } else {
                                            "Leave empty to keep the current key"
                                        }
                                        on:input=field(|d, v| d.key = SecretText(v))
                                    />
                                    {move || {
                                        draft
                                            .with(|d| {
                                                d.as_ref().and_then(|d| ApiKey::parse(&d.key.0).err())
                                            })
                                            .map(|e| {
                                                view! {
                                                    <small
                                                        class="field-error"
                                                        data-testid="connection-key-error"
                                                        role="alert"
                                                    >
                                                        {e.to_string()}
                                                    </small>
                                                }
                                            })
                                    }}
                                </label>
                                <label class="check">
                                    <input
                                        data-testid="connection-remember"
                                        type="checkbox"
                                        prop:checked=d.remember && remember_allowed
                                        disabled=!remember_allowed
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            draft
                                                .update(|d| {
                                                    if let Some(d) = d {
                                                        d.remember = on;
                                                    }
                                                })
                                        }
                                    />
                                    "Remember the key on this device"
                                    {(!remember_allowed)
                                        .then(|| {
                                            view! {
                                                <small class="muted" data-testid="remember-disabled">
                                                    " (turned off for this deployment: keys stay in this tab's memory)"
                                                </small>
                                            }
                                        })}
                                </label>
                                <label class="check">
                                    <input
                                        data-testid="connection-readonly"
                                        type="checkbox"
                                        prop:checked=d.readonly
                                        on:change=move |ev| {
                                            let on = event_target_checked(&ev);
                                            draft
                                                .update(|d| {
                                                    if let Some(d) = d {
                                                        d.readonly = on;
                                                    }
                                                })
                                        }
                                    />
                                    "Read-only: review deliveries, never retry, resend or create"
                                </label>
                                <label>
                                    "Timeout (seconds)"
                                    <input
                                        data-testid="connection-timeout"
                                        type="number"
                                        min="1"
                                        max="300"
                                        prop:value=d.timeout.clone()
                                        on:input=field(|d, v| d.timeout = v)
                                    />
                                </label>
                                {move || {
                                    (!errors.get().is_empty())
                                        .then(|| {
                                            view! {
                                                <ul class="form-errors" data-testid="connection-errors">
                                                    {errors
                                                        .get()
                                                        .into_iter()
                                                        .map(|e| view! { <li>{e}</li> })
                                                        .collect_view()}
                                                </ul>
                                            }
                                        })
                                }}
                                <div class="form__buttons">
                                    <button
                                        data-testid="connection-save"
                                        class="primary"
                                        type="submit"
                                    >
                                        "Save"
                                    </button>
                                    <button
                                        type="button"
                                        on:click=move |_| {
                                            draft.set(None);
                                            errors.set(vec![]);
                                        }
                                    >
                                        "Cancel"
                                    </button>
                                </div>
                            </form>
                        }
                    })
            }}
            <ul class="connection-list">
                <For
                    each=move || conns.list.get()
                    key=|c| (
                        c.name.clone(),
                        c.vendor,
                        c.base_url.clone(),
                        c.masked_key(),
                        c.remember,
                        c.readonly,
                        c.managed,
                    )
                    let:c
                >
                    {
                        let name = c.name.clone();
                        let name_rm = c.name.clone();
                        let c_edit = c.clone();
                        view! {
                            <li
                                class="card connection"
                                data-testid="connection-row"
                                data-vendor=c.vendor.id()
                                data-demo=c.demo.to_string()
                                data-readonly=c.readonly.to_string()
                                data-managed=c.managed.to_string()
                                data-name=c.name.clone()
                            >
                                <div class="connection__main">
                                    <span class=format!(
                                        "vendor vendor--{}",
                                        c.vendor.id(),
                                    )>{c.vendor.label()}</span>
                                    <strong>{c.name.clone()}</strong>
                                    {c
                                        .demo
                                        .then(|| {
                                            view! { <span class="tag tag--demo">"demo data"</span> }
                                        })}
                                    {c
                                        .managed
                                        .then(|| {
                                            view! {
                                                <span
                                                    class="tag"
                                                    title="Declared by this deployment (config.json) for everyone of the team; its key is added by the deployment's proxy"
                                                >
                                                    "managed"
                                                </span>
                                            }
                                        })}
                                    {c
                                        .readonly
                                        .then(|| {
                                            view! {
                                                <span
                                                    class="tag"
                                                    title="Retry, resend and create are disabled for this connection"
                                                >
                                                    "read-only"
                                                </span>
                                            }
                                        })}
                                </div>
                                <div class="connection__meta muted">
                                    <span class="mono">
                                        {if c.demo {
                                            "built-in demo data, no network".to_string()
                                        } else {
                                            c.base_url.clone()
                                        }}
                                    </span>
                                    " · key: "
                                    <span class="mono" data-testid="connection-key-masked">
                                        {c.masked_key()}
                                    </span>
                                    {c.remember.then_some(" · remembered on this device")}
                                </div>
                                <div class="connection__buttons">
                                    <a
                                        class="button"
                                        href=crate::platform::base::href(
                                            &format!("/explorer?c={}", urlencode(&name)),
                                        )
                                    >
                                        "Look up"
                                    </a>
                                    {(!c.demo && !c.managed)
                                        .then(|| {
                                            view! {
                                                <button
                                                    data-testid="connection-edit"
                                                    on:click=move |_| {
                                                        errors.set(vec![]);
                                                        draft.set(Some(Draft::from(&c_edit)))
                                                    }
                                                >
                                                    "Edit"
                                                </button>
                                            }
                                        })}
                                    {(!c.managed)
                                        .then(|| {
                                            view! {
                                                <button
                                                    data-testid="connection-remove"
                                                    on:click=move |_| conns.remove(&name_rm)
                                                >
                                                    "Remove"
                                                </button>
                                            }
                                        })}
                                </div>
                            </li>
                        }
                    }
                </For>
            </ul>
            {move || {
                conns
                    .list
                    .with(|l| l.is_empty())
                    .then(|| {
                        view! {
                            <p class="empty">
                                "No connections. Add one with your vendor's API key, or reload after clearing site data to get the demo connections back."
                            </p>
                        }
                    })
            }}
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
        let mut d = Draft::new(&RuntimeConfig::default());
        d.base_url = "ftp://x".into();
        d.timeout = "0".into();
        let errs = d.validate().unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
        d.name = "Prod".into();
        d.base_url = "https://api.bland.ai/".into();
        d.timeout = "20".into();
        d.key = SecretText("sk-1".into());
        let c = d.validate().unwrap();
        assert_eq!(c.base_url, "https://api.bland.ai");
        assert_eq!(c.timeout_secs, 20);
        assert!(
            !format!("{d:?}").contains("sk-1"),
            "the form's Debug hides the key"
        );
    }

    /// The defect classes at the form: keys the browser would refuse, base URLs a
    /// browser would send elsewhere, and the plain-http warning.
    #[test]
    fn draft_refuses_unsendable_keys_and_foreign_urls() {
        let mut d = Draft::new(&RuntimeConfig::default());
        d.name = "Prod".into();
        for key in ["sk\u{200B}1", "\u{FEFF}sk1", "sk•1", "sk 1"] {
            d.key = SecretText(key.into());
            let errs = d.validate().unwrap_err();
            assert!(errs[0].contains("API key contains"), "{key:?}: {errs:?}");
        }
        d.key = SecretText("sk-1".into());
        for url in ["/\\evil.example", "//evil.example", "https:evil.example"] {
            d.base_url = url.into();
            assert!(d.validate().is_err(), "{url}");
        }
        d.base_url = "http://proxy.corp.example".into();
        assert!(d.validate().is_ok());
        assert!(d.warning().unwrap().contains("unencrypted"));
        d.base_url = "http://127.0.0.1:8787".into();
        assert_eq!(d.warning(), None);
    }
}
