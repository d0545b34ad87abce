//! The shell: navigation, routes, shared context.

use crate::config::RuntimeConfig;
use crate::pages::explorer::ExplorerPage;
use crate::split::prefetch;
use crate::state::connections::Connections;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The explorer's last URL, so "Explorer" in the header returns to the view the person
/// left (its lookups are loaded again; keys are never part of it).
#[derive(Clone, Copy)]
pub struct LastExplorerHref(pub RwSignal<String>);

/// Where this tab keeps [`LastExplorerHref`] (sessionStorage: a link, never a key).
pub const LAST_EXPLORER_KEY: &str = "hookscope.last-explorer";

/// True while the page shows demo data (drives `demo-badge`). Pages claim it: the page
/// mounted last owns it, so the cleanup of the page it replaced cannot clear its badge.
#[derive(Clone, Copy)]
pub struct DemoOnScreen {
    shown: RwSignal<bool>,
    holder: StoredValue<u64>,
}

impl DemoOnScreen {
    pub fn new() -> DemoOnScreen {
        DemoOnScreen {
            shown: RwSignal::new(false),
            holder: StoredValue::new(0),
        }
    }

    pub fn get(&self) -> bool {
        self.shown.get()
    }

    /// Called once by a page as it mounts; its cleanup releases the badge.
    pub fn claim(&self) -> DemoClaim {
        let id = self.holder.get_value().wrapping_add(1);
        self.holder.set_value(id);
        let claim = DemoClaim { badge: *self, id };
        on_cleanup(move || claim.set(false));
        claim
    }
}

impl Default for DemoOnScreen {
    fn default() -> Self {
        Self::new()
    }
}

/// One page's hold on [`DemoOnScreen`]: it writes only while no later page claimed it.
#[derive(Clone, Copy)]
pub struct DemoClaim {
    badge: DemoOnScreen,
    id: u64,
}

impl DemoClaim {
    pub fn set(&self, on: bool) {
        if self.badge.holder.try_get_value() == Some(self.id) {
            let _ = self.badge.shown.try_set(on);
        }
    }
}

/// The deployment's settings from `config.json`, read once at start-up.
pub type Config = std::sync::Arc<RuntimeConfig>;

#[component]
pub fn App(#[prop(optional)] config: RuntimeConfig) -> impl IntoView {
    let problems = config.problems.clone();
    let config: Config = std::sync::Arc::new(config);
    let conns = Connections::load(&config);
    provide_context(conns);
    provide_context(config);
    let demo = DemoOnScreen::new();
    provide_context(demo);
    // Kept per tab, so a reload on another page still returns to the same view.
    let last = crate::state::storage::session_get(LAST_EXPLORER_KEY)
        .filter(|h| h.starts_with("/explorer"))
        .unwrap_or_else(|| "/explorer".to_string());
    let last = LastExplorerHref(RwSignal::new(last));
    provide_context(last);
    view! {
        <Router base=crate::base::base()>
            <header class="topbar">
                <A href=crate::base::href("/explorer") attr:class="brand">"hookscope"</A>
                <nav class="topnav">
                    <A href=move || crate::base::href(&last.0.get()) attr:data-testid="nav-explorer" on:mouseenter=move |_| crate::pages::explorer::prefetch_results() on:focus=move |_| crate::pages::explorer::prefetch_results()>"Explorer"</A>
                    <A href=crate::base::href("/bulk") attr:data-testid="nav-bulk" on:mouseenter=move |_| prefetch(crate::pages::bulk::preload) on:focus=move |_| prefetch(crate::pages::bulk::preload)>"Bulk"</A>
                    <A href=crate::base::href("/connections") attr:data-testid="nav-connections" on:mouseenter=move |_| prefetch(crate::pages::connections::preload) on:focus=move |_| prefetch(crate::pages::connections::preload)>"Connections"</A>
                </nav>
                {move || demo.get().then(|| view! {
                    <span class="demo-badge" data-testid="demo-badge" title="Generated demo data: no vendor was contacted">"Demo data"</span>
                })}
            </header>
            {(!problems.is_empty()).then(|| view! {
                <div class="notice config-problem" role="status" data-testid="config-problem">
                    {problems.into_iter().map(|p| view! { <p>{p}</p> }).collect_view()}
                </div>
            })}
            <main class="main">
                <Routes fallback=|| view! {
                    <section class="page empty" data-testid="not-found">
                        <h1>"Page not found"</h1>
                        <p><A href=crate::base::href("/explorer")>"Go to the explorer"</A></p>
                    </section>
                }>
                    <Route path=path!("/") view=ExplorerPage />
                    <Route path=path!("/explorer") view=ExplorerPage />
                    <Route path=path!("/connections") view=|| crate::split::lazy_view("the connections page", crate::pages::connections::page) />
                    <Route path=path!("/bulk") view=|| crate::split::lazy_view("the bulk page", crate::pages::bulk::page) />
                </Routes>
            </main>
        </Router>
    }
}
