//! The shell: navigation, routes, shared context.

use crate::pages::bulk::BulkPage;
use crate::pages::connections::ConnectionsPage;
use crate::pages::explorer::ExplorerPage;
use crate::state::connections::Connections;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The explorer's last URL, so "Explorer" in the header returns to the view the person
/// left (its lookups are loaded again; keys are never part of it).
#[derive(Clone, Copy)]
pub struct LastExplorerHref(pub RwSignal<String>);

/// True while the page shows demo data (drives `demo-badge`).
#[derive(Clone, Copy)]
pub struct DemoOnScreen(pub RwSignal<bool>);

#[component]
pub fn App() -> impl IntoView {
    let conns = Connections::load();
    provide_context(conns);
    let demo = DemoOnScreen(RwSignal::new(false));
    provide_context(demo);
    let last = LastExplorerHref(RwSignal::new("/explorer".to_string()));
    provide_context(last);
    view! {
        <Router>
            <header class="topbar">
                <a class="brand" href="/explorer">"hookscope"</a>
                <nav class="topnav">
                    <A href=move || last.0.get() attr:data-testid="nav-explorer">"Explorer"</A>
                    <A href="/bulk" attr:data-testid="nav-bulk">"Bulk"</A>
                    <A href="/connections" attr:data-testid="nav-connections">"Connections"</A>
                </nav>
                {move || demo.0.get().then(|| view! {
                    <span class="demo-badge" data-testid="demo-badge" title="Generated demo data: no vendor was contacted">"Demo data"</span>
                })}
            </header>
            <main class="main">
                <Routes fallback=|| view! {
                    <section class="page empty" data-testid="not-found">
                        <h1>"Page not found"</h1>
                        <p><a href="/explorer">"Go to the explorer"</a></p>
                    </section>
                }>
                    <Route path=path!("/") view=ExplorerPage />
                    <Route path=path!("/explorer") view=ExplorerPage />
                    <Route path=path!("/connections") view=ConnectionsPage />
                    <Route path=path!("/bulk") view=BulkPage />
                </Routes>
            </main>
        </Router>
    }
}
